import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {PlanEndpoints} from 'contract/endpoints/plan';
import {SurveyEndpoints} from 'contract/endpoints/survey';
import type {SurveyResults} from 'contract/survey';

import {SurveyResultsView} from './survey_results';

import {renderInConsole, routeFetch} from '../test/helpers';
import {planResponse} from '../test/plan_fixtures';

// jsdom has no canvas: the chart component is replaced for rendering only; the test asserts on the data
// handed to it.
const barProps: Array<{data: {labels: string[]; datasets: Array<{data: number[]}>}}> = [];
jest.mock('react-chartjs-2', () => ({
    Bar: (props: never) => {
        barProps.push(props);
        return null;
    },
}));

const waveId = 'w'.repeat(26);
const params = {waveId, stepId: 'pulse'};

const results: SurveyResults = {
    wave_id: waveId,
    step_id: 'pulse',
    title: 'First week',
    asked: 4,
    answered: 3,
    response_rate: 0.75,
    closes_at: null,
    closed: false,
    questions: [
        {id: 'stars',
            kind: 'rating',
            label: 'Rate the tools',
            help: '',
            answered: 3,
            average: 11 / 3,
            counts: [
                {value: '1', count: 0}, {value: '2', count: 1}, {value: '3', count: 0}, {value: '4', count: 1}, {value: '5', count: 1},
            ]},
        {id: 'why', kind: 'text', label: 'Anything to add?', help: '', answered: 1, average: null, counts: []},
    ],
    texts: [{id: 'u1:why', question_id: 'why', user_id: 'u1', username: 'ada', text: '<b>More</b> docs', at: 1_700_000_000_000}],
    texts_total: 1,
    page: 0,
};

describe('SurveyResultsView', () => {
    test('the response rate, a chart per rated question, the free text as typed, and a plan task from chosen answers', async () => {
        const user = userEvent.setup();
        const plan = planResponse();
        const calls = routeFetch({
            [`GET ${SurveyEndpoints.results.toPath(params)}?page=0`]: {body: results},
            [`GET ${PlanEndpoints.plan.toPath()}`]: {body: plan},
            [`POST ${SurveyEndpoints.createTask.toPath(params)}`]: {
                status: 201,
                body: {task_id: 'survey-pulse-1', plan_version: 8, answers: 1},
            },
        });
        renderInConsole(
            <SurveyResultsView
                waveId={waveId}
                stepId='pulse'
            />,
        );
        expect(await screen.findByText('Asked 4 · answered 3 · response rate 75%')).toBeInTheDocument();
        expect(screen.getByText('Average 3.7 of 5')).toBeInTheDocument();
        const chart = barProps[barProps.length - 1].data;
        expect(chart.labels).toEqual(['1', '2', '3', '4', '5']);
        expect(chart.datasets[0].data).toEqual([0, 1, 0, 1, 1]);
        expect(screen.queryByTestId('survey-chart-why')).toBeNull();

        // People's words are shown as text, never as markup.
        expect(screen.getByText('<b>More</b> docs')).toBeInTheDocument();

        const task = screen.getByTestId('survey-task');
        const add = within(task).getByRole('button', {name: 'Add the task to the plan'});
        await user.type(within(task).getByLabelText('Task title'), 'Better docs');
        expect(add).toBeDisabled();
        await user.click(screen.getByRole('checkbox', {name: 'ada: <b>More</b> docs'}));
        await user.click(add);
        expect(await within(task).findByText('Task “survey-pulse-1” added to the plan, quoting 1 answer.')).toBeInTheDocument();
        expect(calls.all.find((c) => c.method === 'POST')?.body).toEqual({
            phase_id: plan.plan.phases[0].id,
            title: 'Better docs',
            expected_version: plan.plan.version,
            answer_ids: ['u1:why'],
        });
    });
});
