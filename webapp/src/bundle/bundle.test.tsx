import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import type {BundleApply, BundlePreview, PartPreview} from 'contract/bundle';
import {BundleEndpoints} from 'contract/endpoints/bundle';
import {ConfigSnapshotEndpoints} from 'contract/endpoints/configsnapshot';
import {LoadTestEndpoints} from 'contract/endpoints/loadtest';
import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {ReadinessTab} from '../readiness/readiness_tab';
import {makeStore, renderInConsole, routeFetch, type RouteAnswer} from '../test/helpers';
import {planResponse, readinessFixture} from '../test/plan_fixtures';

const part = (name: PartPreview['part'], changes: Partial<PartPreview>): PartPreview => ({
    part: name, added: [], changed: [], removed: [], unchanged: 0, problems: [], notes: [], ...changes,
});

const preview: BundlePreview = {
    source: {site_name: 'Staging Chat', site_url: 'https://staging.example', server_version: '11.4.0'},
    exported_at: Date.UTC(2026, 11, 1, 9),
    include_people: false,
    parts: [
        part('plan', {changed: ['planning.kickoff'], unchanged: 41}),
        part('templates', {added: ['Announcements only'], unchanged: 3}),
        part('waves', {added: ['Pilot wave'], problems: ['channel "help" of team "rollout" does not exist on this server']}),
        part('adoption_targets', {unchanged: 1}),
    ],
};

const file = {format: 'onboarding-cockpit-bundle', version: 1};

function setup(routes: Record<string, RouteAnswer>) {
    const fake = routeFetch({
        [`GET ${PlanRoutes.readiness}`]: {body: readinessFixture()},
        [`GET ${PlanRoutes.plan}`]: {body: planResponse()},
        [`GET ${LoadTestEndpoints.overview.toPath()}`]: {
            body: {
                target: null,
                verdict: {state: 'no_target', supported_users: null, concurrent_users: null, run_seq: null},
                runs: [],
                total_runs: 0,
            },
        },
        [`GET ${ConfigSnapshotEndpoints.applies.toPath()}`]: {body: {version: 0, changes: []}},
        ...routes,
    });
    renderInConsole(<ReadinessTab/>, makeStore());
    return fake;
}

async function bundlePanel() {
    await screen.findByRole('progressbar', {name: 'Readiness score'});
    return screen.getByRole('region', {name: 'Staging → production bundle'});
}

it('previews a bundle per part, applies only the parts that can apply and shows the result of each', async () => {
    const applied: BundleApply = {
        parts: [
            {part: 'plan', status: 'applied', changes: preview.parts[0]},
            {
                part: 'templates',
                status: 'failed',
                changes: preview.parts[1],
                error: {id: ErrorIds.conflict, message: 'changed by someone else'},
            },
        ],
        image_action: 'none',
    };
    const {calls} = setup({
        [`POST ${BundleEndpoints.preview.toPath()}`]: {body: preview},
        [`POST ${BundleEndpoints.apply.toPath()}`]: {body: applied},
    });
    const panel = await bundlePanel();
    await userEvent.upload(within(panel).getByLabelText('Import a bundle file'), new File([JSON.stringify(file)], 'staging.json'));

    const table = await within(panel).findByRole('table', {name: /What importing each part would change/});
    expect(within(table).getByText(/staging\.json: from Staging Chat \(https:\/\/staging\.example\)/)).toBeInTheDocument();
    expect(calls('POST', BundleEndpoints.preview.toPath())[0].body).toEqual({bundle: file});
    const wavesRow = within(table).getByRole('row', {name: /Wave definitions and journeys/});
    expect(wavesRow).toHaveTextContent('Cannot apply here: channel "help" of team "rollout" does not exist on this server');
    expect(within(wavesRow).getByRole('checkbox')).toBeDisabled();
    expect(within(table).getByRole('row', {name: /Adoption targets/})).toHaveTextContent('Nothing to change');
    expect(within(table).getByRole('checkbox', {name: 'Apply Roll-out plan'})).toBeChecked();
    expect(within(table).getByRole('checkbox', {name: 'Apply Role templates'})).toBeChecked();

    await userEvent.click(within(panel).getByRole('button', {name: 'Apply the picked parts'}));
    const result = await within(panel).findByRole('table', {name: 'Result per part'});
    expect(calls('POST', BundleEndpoints.apply.toPath())[0].body).toEqual({bundle: file, parts: ['plan', 'templates']});
    expect(within(result).getByRole('row', {name: /Roll-out plan/})).toHaveTextContent('Applied');
    expect(within(result).getByRole('row', {name: /Role templates/})).
        toHaveTextContent('Not applied (nothing of it written): Someone else changed this in the meantime. Reload and try again.');
});

it('a file the server refuses shows its message, and nothing can be applied', async () => {
    setup({
        [`POST ${BundleEndpoints.preview.toPath()}`]: {
            status: 400,
            body: {error: {id: ErrorIds.invalid, message: 'bundle.version: a bundle of format version 0; this server reads version 1'}},
        },
    });
    const panel = await bundlePanel();
    const old = new File([JSON.stringify({...file, version: 0})], 'old.json');
    await userEvent.upload(within(panel).getByLabelText('Import a bundle file'), old);
    expect(await within(panel).findByRole('alert')).toHaveTextContent('this server reads version 1');
    expect(within(panel).queryByRole('button', {name: 'Apply the picked parts'})).toBeNull();
});

it('exports the ticked parts, with people only when asked', async () => {
    const query = 'parts=plan%2Cwaves%2Cbranding%2Cadoption_targets&include_people=true';
    const asked = `${BundleEndpoints.export.toPath()}?${query}`;
    const {calls} = setup({[`GET ${asked}`]: {text: JSON.stringify(file)}});
    URL.createObjectURL = jest.fn(() => 'blob:bundle');
    URL.revokeObjectURL = jest.fn();
    const names: string[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
        names.push(this.download);
    });
    const panel = await bundlePanel();
    await userEvent.click(within(panel).getByRole('checkbox', {name: 'Role templates'}));
    await userEvent.click(within(panel).getByRole('checkbox', {name: /Include people/}));
    await userEvent.click(within(panel).getByRole('button', {name: 'Download bundle'}));
    await act(async () => undefined);
    expect(calls('GET', asked)).toHaveLength(1);
    expect(names).toEqual([expect.stringMatching(/^cockpit-bundle-\d{4}-\d{2}-\d{2}\.json$/)]);
    click.mockRestore();
});
