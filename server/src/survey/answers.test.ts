import {JourneyStepsSchema} from 'contract/journey';
import {type Survey, SurveySchema, SurveyTaskRequestSchema} from 'contract/survey';

import {checkSubmission, dialogElements, helpCall, isClosed} from './answers';
import {questionResults, responseRate, resultsCsv, textAnswers, type AnswerSet} from './results';
import {chooseAnswers, freeTaskId, taskFromAnswers} from './tasks';

import {speakerFor} from '../i18n/messages';
import {defaultPlanContent} from '../plan/defaultPlan';

// The survey's pure parts: the survey's own validation, a submission checked field by field, the
// aggregation the results chart reads, the CSV export and a plan task made from answers.

const survey: Survey = SurveySchema.parse({
    title: 'First week',
    questions: [
        {id: 'mood', kind: 'choice', label: 'How is it going?', options: ['Fine', 'I need help']},
        {id: 'stars', kind: 'rating', label: 'Rate the tools'},
        {id: 'why', kind: 'text', label: 'Anything to add?', help: 'Tell us in your own words.'},
    ],
});

describe('survey validation', () => {
    test.each([
        ['a choice with one option', {id: 'a', kind: 'choice', label: 'x', options: ['only']}, 'at least two options'],
        ['a choice with a repeated option', {id: 'a', kind: 'choice', label: 'x', options: ['y', 'y']}, 'distinct'],
        ['a rating with options', {id: 'a', kind: 'rating', label: 'x', options: ['y', 'z']}, 'only a choice question'],
        ['a label the dialog cannot show (over 24 characters)', {id: 'a', kind: 'text', label: 'x'.repeat(25)}, 'Too big'],
        ['an id with a capital', {id: 'A', kind: 'text', label: 'x'}, 'lowercase'],
    ])('refuses %s', (_, question, message) => {
        const result = SurveySchema.safeParse({title: 'T', questions: [question]});
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((issue) => issue.message).join(' ')).toContain(message);
    });

    test('a survey needs a question, unique question ids, and a title of at most 24 characters', () => {
        expect(SurveySchema.safeParse({title: 'T', questions: []}).success).toBe(false);
        const twice = {id: 'a', kind: 'text', label: 'x'};
        expect(SurveySchema.safeParse({title: 'T', questions: [twice, twice]}).success).toBe(false);
        expect(SurveySchema.safeParse({title: 'x'.repeat(25), questions: [twice]}).success).toBe(false);
        expect(SurveySchema.parse({title: 'T', questions: [twice]})).toEqual({
            title: 'T',
            questions: [{id: 'a', kind: 'text', label: 'x', help: '', options: []}],
            closes_at: null,
        });
    });

    test('a step may carry a survey; a task request names answers or a question, not both', () => {
        const step = {id: 's', after: 'previous', delay_minutes: 0, condition: null, template: 'Tell us', survey};
        expect(JourneyStepsSchema.safeParse([step]).success).toBe(true);
        const base = {phase_id: 'p', title: 'T', expected_version: 1};
        expect(SurveyTaskRequestSchema.safeParse({...base, answer_ids: ['u:why']}).success).toBe(true);
        expect(SurveyTaskRequestSchema.safeParse({...base, question_id: 'why'}).success).toBe(true);
        expect(SurveyTaskRequestSchema.safeParse({...base, answer_ids: ['u:why'], question_id: 'why'}).success).toBe(false);
        expect(SurveyTaskRequestSchema.safeParse(base).success).toBe(false);
    });
});

describe('the dialog', () => {
    test('one field per question: radios for a choice and a rating, a text area for text, each showing the current answer', () => {
        const elements = dialogElements(survey, {mood: 'Fine', why: 'ok'});
        expect(elements.map((e) => [e.name, e.type, e.optional, e.default])).toEqual([
            ['mood', 'radio', false, 'Fine'],
            ['stars', 'radio', false, ''],
            ['why', 'textarea', true, 'ok'],
        ]);
        expect(elements[0].options).toEqual([{text: 'Fine', value: 'Fine'}, {text: 'I need help', value: 'I need help'}]);
        expect(elements[1].options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
        expect(elements[2].help_text).toBe('Tell us in your own words.');
    });

    test('a submission is checked field by field; blank text is no answer; unknown fields are dropped', () => {
        expect(checkSubmission(survey, {mood: 'Fine', stars: '4', why: '  ', extra: 'x'})).toEqual({values: {mood: 'Fine', stars: '4'}});
        expect(checkSubmission(survey, {mood: 'Fine', stars: 5, why: ' Great team '})).toEqual({
            values: {mood: 'Fine', stars: '5', why: 'Great team'},
        });
        expect(checkSubmission(survey, {mood: 'Other', stars: '6', why: 'x'.repeat(2001)})).toEqual({
            errors: {mood: 'Choose one of the options.', stars: 'Choose a rating from 1 to 5.', why: 'At most 2,000 characters.'},
        });

        // In the person's language (the action passes their speaker).
        expect(checkSubmission(survey, {mood: 'Other', stars: '6', why: 'x'.repeat(2001)}, speakerFor('de'))).toEqual({
            errors: {
                mood: 'Wählen Sie eine der Optionen.',
                stars: 'Wählen Sie eine Bewertung von 1 bis 5.',
                why: 'Höchstens 2.000 Zeichen.',
            },
        });
        expect(checkSubmission(survey, {})).toEqual({errors: {mood: 'Choose one of the options.', stars: 'Choose a rating from 1 to 5.'}});
        expect(checkSubmission(survey, {mood: ['Fine'], stars: {}})).toHaveProperty('errors');
    });

    test('closed from closes_at on; help is called by "I need help" or a rating of 2 or less', () => {
        expect(isClosed(survey, Date.now())).toBe(false);
        expect(isClosed({...survey, closes_at: 1000}, 999)).toBe(false);
        expect(isClosed({...survey, closes_at: 1000}, 1000)).toBe(true);
        expect(helpCall(survey, {mood: 'Fine', stars: '3'})).toBeNull();
        expect(helpCall(survey, {mood: 'Fine', stars: '2'})).toBe('Rate the tools: 2/5');
        expect(helpCall(survey, {mood: 'I need help', stars: '1'})).toBe('How is it going?: I need help; Rate the tools: 1/5');
    });
});

const sets: AnswerSet[] = [
    {userId: 'ann', values: {mood: 'Fine', stars: '5', why: '=HYPERLINK("http://evil")'}, at: 1000, edited_at: 1000},
    {userId: 'bob', values: {mood: 'I need help', stars: '2'}, at: 2000, edited_at: 5000},
    {userId: 'cat', values: {mood: 'Fine', stars: '4', why: 'More *docs* @all'}, at: 3000, edited_at: 3000},
];

describe('results', () => {
    test('per question: every option or rating counted in order (zeros included), a rating\'s mean, how many answered', () => {
        const [mood, stars, why] = questionResults(survey, sets);
        expect(mood.counts).toEqual([{value: 'Fine', count: 2}, {value: 'I need help', count: 1}]);
        expect(stars.counts).toEqual([
            {value: '1', count: 0}, {value: '2', count: 1}, {value: '3', count: 0}, {value: '4', count: 1}, {value: '5', count: 1},
        ]);
        expect(stars.average).toBeCloseTo(11 / 3);
        expect(mood.average).toBeNull();
        expect([mood.answered, stars.answered, why.answered]).toEqual([3, 3, 2]);
        expect(why.counts).toEqual([]);
        expect(questionResults(survey, [])[1].average).toBeNull();
    });

    test('free text newest first, each named by person and question; the response rate against the people asked', () => {
        expect(textAnswers(survey, sets).map((text) => [text.id, text.text])).toEqual([
            ['cat:why', 'More *docs* @all'],
            ['ann:why', '=HYPERLINK("http://evil")'],
        ]);
        expect(responseRate(3, 4)).toBe(0.75);
        expect(responseRate(0, 0)).toBe(0);
    });

    test('the CSV: one row per person, a formula shown as text', () => {
        const csv = resultsCsv(survey, sets, (userId) => `@${userId}`);
        const lines = csv.trimEnd().split('\r\n');
        expect(lines[0]).toBe(
            '"user_id","username","answered_at","changed_at","How is it going? (mood)","Rate the tools (stars)","Anything to add? (why)"',
        );
        expect(lines).toHaveLength(4);
        expect(lines[1]).toBe(`"ann","'@ann","${new Date(1000).toISOString()}","${new Date(1000).toISOString()}","Fine","5","'=HYPERLINK(""http://evil"")"`);
        expect(lines[2]).toContain('"bob","\'@bob"');
        expect(lines[2]).toContain(`"${new Date(5000).toISOString()}","I need help","2",""`);
    });
});

describe('a plan task from answers', () => {
    const source = {waveId: 'w1', waveName: 'Spring @channel', stepId: 'pulse', survey};

    test('chosen answers, or every answer to a question; an unknown id or nothing chosen is a 400', () => {
        expect(chooseAnswers(survey, sets, {answer_ids: ['cat:why', 'bob:stars']}).map((a) => a.id)).toEqual(['bob:stars', 'cat:why']);
        expect(chooseAnswers(survey, sets, {question_id: 'why'}).map((a) => [a.id, a.value])).toEqual([
            ['ann:why', '=HYPERLINK("http://evil")'],
            ['cat:why', 'More *docs* @all'],
        ]);
        expect(() => chooseAnswers(survey, sets, {answer_ids: ['bob:why']})).toThrow('no answer bob:why');
        expect(() => chooseAnswers(survey, [], {question_id: 'why'})).toThrow('no answers');
    });

    test('the task quotes the answers inert and links back to them by id', () => {
        const answers = chooseAnswers(survey, sets, {question_id: 'why'});
        const task = taskFromAnswers('survey-pulse-1', 'Better docs', source, answers, (userId) => userId);
        expect(task.survey).toEqual({wave_id: 'w1', step_id: 'pulse', answer_ids: ['ann:why', 'cat:why']});
        expect(task.description).toContain('the wave “Spring ＠channel”');
        expect(task.description).toContain('> **Anything to add?** (cat): More \\*docs\\* ＠all');
        expect(task.description).not.toMatch(/@all|\[|\*docs\*/);
        expect(task.state).toBe('not_started');
    });

    test('many long answers: as many as fit, then how many more', () => {
        const many = Array.from({length: 30}, (_, i) => ({id: `u${i}:why`, userId: `u${i}`, label: 'Why', value: 'x'.repeat(1000)}));
        const task = taskFromAnswers('t', 'Many', source, many, (userId) => userId);
        expect(task.description.length).toBeLessThanOrEqual(10000);
        const quoted = task.description.split('\n').filter((line) => line.startsWith('> **')).length;
        expect(task.description).toContain(`…and ${30 - quoted} more`);
        expect(task.survey?.answer_ids).toHaveLength(30);
    });

    test('a task id the plan does not use yet', () => {
        const content = defaultPlanContent();
        expect(freeTaskId(content, 'pulse')).toBe('survey-pulse-1');
        content.phases[0].tasks.push({...content.phases[0].tasks[0], id: 'survey-pulse-1'});
        expect(freeTaskId(content, 'pulse')).toBe('survey-pulse-2');
    });
});
