import {act, fireEvent, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {JourneyEndpoints} from 'contract/endpoints/journey';
import {ErrorIds} from 'contract/errors';
import {WaveRoutes} from 'contract/routes';
import {WaveDefinitionSchema, type WaveProgress, type WaveResponse, type WaveState} from 'contract/waves';

import {csvChunks, parseCohortCsv, resultsCsv} from './csv';
import {RunView} from './run_view';
import {WavesTab} from './waves_tab';

import {expectChipKeepsTheNextFieldFocused, renderInConsole, routeFetch} from '../test/helpers';
import {fakeChannel, fakeGroup, fakeMattermost, fakeTeam} from '../test/mattermost';

// The editor tests type and click through a large form: allow for a busy machine.
jest.setTimeout(15000);

const waveId = 'w'.repeat(26);
const teamId = 't'.repeat(26);

// Teams, channels and groups come from Mattermost's REST API through Client4: faked at that seam.
let mattermost: ReturnType<typeof fakeMattermost>;
beforeEach(() => {
    mattermost = fakeMattermost({
        teams: [fakeTeam('t'.repeat(26), 'Rollout', 'rollout'), fakeTeam('s'.repeat(26), 'Sales', 'sales')],
        channels: [fakeChannel('c'.repeat(26), 'Welcome', 'welcome', 't'.repeat(26))],
        groups: [fakeGroup('g'.repeat(26), 'Engineering', 'engineering', 12)],
    });
});

function progress(state: WaveState, overrides: Partial<WaveProgress> = {}): WaveProgress {
    return {
        wave_id: waveId,
        state,
        total: 20,
        processed: 0,
        counts: {added: 0, already_member: 0, skipped: 0, failed: 0, welcomed: 0, created: 0, invited: 0},
        retrying: 0,
        pending: 0,
        started_at: null,
        finished_at: null,
        last_tick_at: null,
        ...overrides,
    };
}

function wave(overrides: Partial<WaveResponse> = {}, definition: Record<string, unknown> = {}): WaveResponse {
    return {
        id: waveId,
        version: 1,
        definition: WaveDefinitionSchema.parse({name: 'Pilot', cohort: {}, targets: {teams: [{team_id: teamId}]}, ...definition}),
        state: 'draft',
        start_at: null,
        created_at: 1,
        created_by: 'u',
        updated_at: 1,
        updated_by: 'u',
        csv_problems: [],
        progress: progress('draft'),
        ...overrides,
    };
}

const summary = (w: WaveResponse) => ({
    id: w.id,
    version: w.version,
    name: w.definition.name,
    state: w.state,
    rolling: false,
    csv_rows: 0,
    progress: w.progress,
});

/** Renders the tab with the wave in the list and opens it. */
async function openWave(routes: Parameters<typeof routeFetch>[0], w = wave()) {
    const fake = routeFetch({
        [`GET ${WaveRoutes.waves}`]: {body: [summary(w)]},
        [`GET ${WaveRoutes.wave(waveId)}`]: {body: w},
        [`POST ${WaveRoutes.welcomePreview(waveId)}`]: {body: {markdown: 'Hi **Ada**'}},

        // The journey panel under every wave (webapp/src/journey): no follow-ups.
        [`GET ${JourneyEndpoints.journey.toPath({waveId})}`]: {body: {wave_id: waveId, steps: [], version: 0, counts: {}, stopped: 0}},
        ...routes,
    });
    const view = renderInConsole(<WavesTab/>);
    await userEvent.click(await screen.findByRole('button', {name: w.definition.name}));
    return {...fake, ...view};
}

afterEach(() => {
    jest.useRealTimers();
    delete (window as {PostUtils?: unknown}).PostUtils;
});

describe('cohort CSV parsing', () => {
    it('reports each row that cannot be a value with its line; header optional; quoted line breaks counted', () => {
        const text = 'username\nalice\n\n"bob",x\n  carol@corp.example  \n,\n"multi\nline"\nbad"quote\n"open\ndave';
        const parsed = parseCohortCsv(text);
        expect(parsed.header).toBe(true);
        expect(parsed.rows).toEqual([
            {line: 2, value: 'alice'},
            {line: 5, value: 'carol@corp.example'},
            {line: 7, value: 'multi\nline'},
            {line: 9, value: 'bad"quote'},
        ]);
        expect(parsed.problems.map((p) => [p.line, p.reason])).toEqual([
            [4, 'one username or email per row expected, found 2 values'],
            [6, 'empty value'],
            [10, 'Quoted field unterminated'],
        ]);
        expect(parseCohortCsv('alice\nbob').header).toBe(false);
        expect(parseCohortCsv(Array.from({length: 50001}, (_, i) => `u${i}`).join('\n')).tooMany).toBe(true);
    });

    it('splits rows into chunks of at most 10,000 rows and under 1 MiB', () => {
        const rows = Array.from({length: 25000}, (_, i) => ({line: i + 1, value: `user${i}`}));
        expect(csvChunks(rows).map((c) => c.length)).toEqual([10000, 10000, 5000]);
        const long = Array.from({length: 5000}, (_, i) => ({line: i + 1, value: 'é€😀'.repeat(70)}));
        const chunks = csvChunks(long);
        expect(chunks.length).toBeGreaterThan(1);
        for (const chunk of chunks) {
            expect(Buffer.byteLength(JSON.stringify(chunk), 'utf8')).toBeLessThan(1024 * 1024);
        }
        expect(chunks.flat()).toEqual(long);
    });

    it('results CSV neutralises cells a spreadsheet would run', () => {
        const csv = resultsCsv([
            {
                index: 0,
                user_id: 'id1',
                username: 'eve',
                outcome: 'failed',
                reason: '=HYPERLINK("x")',
                welcome: 'not_sent',
                at: 0,
                attempts: 1,
            },
        ]);
        expect(csv.split('\r\n')[1]).toContain('"\'=HYPERLINK(""x"")"');
    });
});

describe('wave editor', () => {
    it('uploads a CSV in chunks (replace first, each with the previous version) with progress, and lists problems by line', async () => {
        const lines = ['email', ...Array.from({length: 12000}, (_, i) => `user${i}@corp.example`), 'a,b'];
        const {calls} = await openWave({
            [`POST ${WaveRoutes.csv(waveId)}`]: (body, call) => ({
                body: wave({
                    version: 2 + call,
                    csv_problems: call === 1 ? [{line: 9, value: 'user7@corp.example', reason: 'no such user'}] : [],
                }),
            }),
        });
        const input = await screen.findByLabelText('Upload CSV');
        fireEvent.change(input, {target: {files: [new File([lines.join('\n')], 'cohort.csv', {type: 'text/csv'})]}});
        const bar = await screen.findByRole('progressbar', {name: 'Upload of cohort.csv'});
        await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'));
        expect(bar).toHaveAttribute('aria-valuetext', '12,000 of 12,000 rows stored');
        const posts = calls('POST', WaveRoutes.csv(waveId));
        expect(posts.map((c) => [c.body.expected_version, c.body.replace, c.body.rows.length])).toEqual([
            [1, true, 10000],
            [2, false, 2000],
        ]);
        expect(posts[0].body.rows[0]).toEqual({line: 2, value: 'user0@corp.example'});
        const problems = screen.getByRole('table', {name: /2 rows with problems/});
        const rows = within(problems).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
        expect(rows).toEqual([
            ['9', 'user7@corp.example', 'no such user'],
            ['12002', 'a,b', 'one username or email per row expected, found 2 values'],
        ]);
        expect(screen.getByText('The first line is a header and was not taken as a user.')).toBeInTheDocument();
    }, 20000); // 12,000 rows parsed and posted: slow on a busy machine

    it('group picker (LDAP groups included): a picked group is saved with the cohort, keeping the stored CSV rows', async () => {
        const stored = wave({}, {cohort: {csv: [{line: 2, value: 'alice'}]}});
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave({version: 2}, {cohort: body.changes.cohort})}),
        }, stored);
        expect(screen.queryByRole('list', {name: 'Search groups'})).toBeNull();
        await userEvent.type(await screen.findByRole('searchbox', {name: 'Search groups'}), 'eng');
        const options = await screen.findByRole('list', {name: 'Search groups'});
        expect(await within(options).findByText('LDAP · 12 members')).toBeInTheDocument();
        expect(mattermost.getGroups).toHaveBeenLastCalledWith(expect.objectContaining({q: 'eng', include_member_count: true}));
        await userEvent.click(within(options).getByRole('button', {name: 'Add Engineering'}));
        expect(screen.getByRole('button', {name: 'Remove Engineering'})).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body.changes.cohort).toEqual({
            csv: [{line: 2, value: 'alice'}],
            group_ids: ['g'.repeat(26)],
            team_ids: [],
            email_domains: [],
        });
    });

    it('language filter: the checked languages are saved with the cohort, in the languages’ order; none checked = none saved', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave({version: 2}, {cohort: body.changes.cohort})}),
        });
        const languages = await screen.findByRole('group', {name: 'Only people who read these languages'});
        expect(languages).toHaveAccessibleDescription(/None checked: everybody the sources name\./);
        expect(within(languages).getAllByRole('checkbox').filter((box) => (box as HTMLInputElement).checked)).toEqual([]);
        await userEvent.click(within(languages).getByRole('checkbox', {name: 'French'}));
        await userEvent.click(within(languages).getByRole('checkbox', {name: 'German'}));
        await userEvent.click(within(languages).getByRole('checkbox', {name: 'Japanese'}));
        await userEvent.click(within(languages).getByRole('checkbox', {name: 'Japanese'}));
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body.changes.cohort.locales).toEqual(['de', 'fr']);
        expect(within(languages).getByRole('checkbox', {name: 'German'})).toBeChecked();
    });

    it('validates before saving: no PATCH with an empty name or a bad domain', async () => {
        const {calls} = await openWave({});
        const name = await screen.findByRole('textbox', {name: 'Name'});
        await userEvent.clear(name);
        await userEvent.type(screen.getByRole('textbox', {name: 'Email domains'}), 'corp.example, not_a domain');
        expect(screen.getByText('Not a domain: not_a, domain')).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        expect(screen.getByText('A name is required (at most 200 characters).')).toBeInTheDocument();
        expect(screen.getByRole('alert')).toHaveTextContent('Fix the marked fields first.');
        expect(calls('PATCH', WaveRoutes.wave(waveId))).toEqual([]);
    });

    it('saves through PATCH with expected_version; a 409 says someone else changed it and offers a reload', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: {status: 409, body: {error: {id: ErrorIds.conflict, message: 'stale'}}},
        });
        const name = await screen.findByRole('textbox', {name: 'Name'});
        await userEvent.type(name, ' 2');
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('Changed by someone else');
        expect(alert).toHaveTextContent('Reload to see the latest version');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body).toMatchObject({expected_version: 1, changes: {name: 'Pilot 2'}});

        // The CSV is not part of a save that does not change the cohort.
        expect(patch.body.changes.cohort).toBeUndefined();
        const before = calls('GET', WaveRoutes.wave(waveId)).length;
        await userEvent.click(within(alert).getByRole('button', {name: 'Reload'}));
        await waitFor(() => expect(calls('GET', WaveRoutes.wave(waveId)).length).toBe(before + 1));

        // The editor is mounted again once the reload has settled (a passive effect after the answer's render;
        // React 19 runs it a tick later than 18), so wait for the new editor rather than reading the old one.
        await waitFor(() => expect(screen.getByRole('textbox', {name: 'Name'})).toHaveValue('Pilot'));
    });

    it('renders the live preview with the host post renderer (window.PostUtils) and test-sends to oneself', async () => {
        const formatText = jest.fn((text: string) => text.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>'));
        (window as {PostUtils?: unknown}).PostUtils = {
            formatText,
            messageHtmlToComponent: (html: string) => <span dangerouslySetInnerHTML={{__html: html}}/>,
        };
        const {calls} = await openWave({
            [`POST ${WaveRoutes.welcomeTestSend(waveId)}`]: {body: {markdown: 'x', post_id: 'p', channel_id: 'c'}},
        });
        const preview = await screen.findByTestId('welcome-preview');
        await waitFor(() => expect(preview.querySelector('strong')).toHaveTextContent('Ada'));
        expect(formatText).toHaveBeenCalledWith('Hi **Ada**', expect.objectContaining({atMentions: false}));

        // A chip inserts its variable at the cursor (here: the end of the template).
        const template = screen.getByRole('textbox', {name: 'Template (Markdown)'}) as HTMLTextAreaElement;
        template.setSelectionRange(template.value.length, template.value.length);
        await userEvent.click(screen.getByRole('button', {name: 'Insert first_name'}));
        expect(template.value).toMatch(/\? \{\{help_link\}\}\{\{first_name\}\}$/);
        await waitFor(() => expect(calls('POST', WaveRoutes.welcomePreview(waveId)).at(-1)?.body.template).toMatch(/\{\{first_name\}\}$/));
        await userEvent.click(screen.getByRole('button', {name: 'Send me a test'}));
        expect(await screen.findByText('Sent: see your direct messages from the cockpit bot.')).toBeInTheDocument();
        expect(calls('POST', WaveRoutes.welcomeTestSend(waveId))[0].body.template).toMatch(/\{\{first_name\}\}$/);
    });

    it('a chip leaves the caret after its variable at once; the field focused next keeps the focus', async () => {
        await openWave({});
        await expectChipKeepsTheNextFieldFocused(
            await screen.findByRole('textbox', {name: 'Template (Markdown)'}),
            screen.getByRole('button', {name: 'Insert wave'}),
            '{{wave}}',
            screen.getByRole('textbox', {name: 'Help link'}),
        );
    });

    it('the welcome per language, with the shared picker: German alone, emptied = fallback, previewed in its locale', async () => {
        const {calls} = await openWave(
            {[`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave({}, body.changes)})},
            wave({}, {welcome: {translations: {fr: 'Salut {{first_name}}'}}}),
        );
        const picker = screen.getByRole('combobox', {name: 'Language of this text'});
        expect(within(picker).getByRole('option', {name: 'French: own text'})).toBeInTheDocument();
        await userEvent.selectOptions(picker, 'de');
        const template = screen.getByRole('textbox', {name: 'Template (Markdown)'});
        expect(template).toHaveValue('');
        fireEvent.change(template, {target: {value: 'Hallo {{first_name}}'}});
        await waitFor(() => expect(calls('POST', WaveRoutes.welcomePreview(waveId)).at(-1)?.body).toMatchObject({
            template: 'Hallo {{first_name}}',
            locale: 'de',
        }));
        expect(within(picker).getByRole('option', {name: 'German: own text'})).toBeInTheDocument();
        await userEvent.selectOptions(picker, '');
        expect(screen.getByRole('textbox', {name: 'Template (Markdown)'})).not.toHaveValue('Hallo {{first_name}}');

        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        expect(calls('PATCH', WaveRoutes.wave(waveId))[0].body.changes.welcome.translations).toEqual({
            fr: 'Salut {{first_name}}',
            de: 'Hallo {{first_name}}',
        });

        // Emptying French removes its text: French readers get the fallback again.
        await userEvent.selectOptions(picker, 'fr');
        fireEvent.change(screen.getByRole('textbox', {name: 'Template (Markdown)'}), {target: {value: ''}});
        expect(within(picker).getByRole('option', {name: 'French'})).toBeInTheDocument();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await waitFor(() => expect(calls('PATCH', WaveRoutes.wave(waveId))).toHaveLength(2));
        expect(calls('PATCH', WaveRoutes.wave(waveId))[1].body.changes.welcome.translations).toEqual({de: 'Hallo {{first_name}}'});
    });

    it('shows the dry run report and launches with the saved version', async () => {
        const report = {
            cohort_size: 3,
            people: {existing: 3, create: 0, invite: 0, skip: 0, by_auth_service: {}, sample: []},
            sources: {csv: 3, groups: 0, teams: 0, email_domains: 0},
            duplicates: 0,
            csv_problems: [{line: 4, value: 'ghost', reason: 'no such user'}],
            cannot_add: {deactivated: 1, bot: 0, guest: 0, group_synced: 1},
            membership_checked: 2,
            targets: [
                {kind: 'team', id: 't', name: 'Rollout', role: 'member', would_add: 1, already_member: 1, refused: 0},
                {kind: 'channel', id: 'c', name: 'Synced', role: 'member', would_add: 1, already_member: 0, refused: 1},
            ],
            target_problems: [],
            welcome_languages: [{locale: 'de', people: 2, own_template: true}, {locale: 'en', people: 1, own_template: false}],
            outside_languages: 2,
            sample: [
                {user_id: 'a', username: 'alice', status: 'ok', would_join: ['Rollout', 'Synced'], already_in: [], refused_by: []},
                {user_id: 'r', username: 'retired', status: 'deactivated', would_join: [], already_in: [], refused_by: []},
                {
                    user_id: 'o',
                    username: 'outsider',
                    status: 'group_synced',
                    would_join: ['Rollout'],
                    already_in: [],
                    refused_by: ['Synced'],
                },
            ],
        };
        const {calls} = await openWave({
            [`POST ${WaveRoutes.dryRun(waveId)}`]: {body: report},
            [`POST ${WaveRoutes.start(waveId)}`]: {body: wave({state: 'running', progress: progress('running', {processed: 5})})},
            [`GET ${WaveRoutes.progress(waveId)}`]: {body: progress('running', {processed: 5})},
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: {body: {page: 0, per_page: 50, total: 0, results: []}},
        });
        await userEvent.click(await screen.findByRole('button', {name: 'Dry run'}));
        const where = await screen.findByRole('table', {name: 'Who would be added where'});
        expect(screen.getByTestId('dry-run-languages')).toHaveTextContent('German: 2 people · English: 1 person (fallback text)');
        expect(screen.getByTestId('dry-run-outside-languages')).toHaveTextContent('2 people');
        expect(screen.getByText('Left out by the language filter')).toBeInTheDocument();
        expect(
            within(within(where).getByRole('row', {name: /Rollout/})).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['Team Rollout', 'member', '1', '1', '0']);
        expect(
            within(within(where).getByRole('row', {name: /Synced/})).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['Channel Synced', 'member', '1', '0', '1']);
        expect(screen.getByText('2 (1 deactivated, 0 bots, 0 guests, 1 refused by a group-synced target)')).toBeInTheDocument();
        expect(screen.getByRole('table', {name: /1 row with a problem/})).toHaveTextContent('4ghostno such user');
        const sample = screen.getByRole('table', {name: 'Sample of 3 users'});
        expect(sample).toHaveTextContent('@retiredDeactivated');
        expect(
            within(within(sample).getByRole('row', {name: /@outsider/})).
                getAllByRole('cell').
                map((c) => c.textContent),
        ).toEqual(['@outsider', 'Not in the synced groups of Synced', 'Rollout', '–']);
        await userEvent.click(screen.getByRole('button', {name: 'Launch now'}));
        expect(calls('POST', WaveRoutes.start(waveId))[0].body).toEqual({expected_version: 1, start_at: null});
        expect(await screen.findByRole('progressbar', {name: 'Progress of Pilot'})).toHaveAttribute('aria-valuenow', '25');
    });
});

describe('launch', () => {
    it('schedules at a chosen future time; a past time is refused before any request', async () => {
        const {calls} = await openWave({
            [`POST ${WaveRoutes.start(waveId)}`]: {body: wave({state: 'scheduled', start_at: 1, progress: progress('scheduled')})},
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: {body: {page: 0, per_page: 50, total: 0, results: []}},
        });
        await userEvent.click(await screen.findByRole('radio', {name: 'Start at'}));
        const when = screen.getByLabelText('Start time');
        fireEvent.change(when, {target: {value: '2001-01-01T10:00'}});
        await userEvent.click(screen.getByRole('button', {name: 'Schedule'}));
        expect(screen.getByText('Choose a start time in the future.')).toBeInTheDocument();
        expect(calls('POST', WaveRoutes.start(waveId))).toEqual([]);
        fireEvent.change(when, {target: {value: '2099-03-04T05:06'}});
        await userEvent.click(screen.getByRole('button', {name: 'Schedule'}));
        await waitFor(() => expect(calls('POST', WaveRoutes.start(waveId))).toHaveLength(1));
        expect(calls('POST', WaveRoutes.start(waveId))[0].body).toEqual({
            expected_version: 1,
            start_at: new Date('2099-03-04T05:06').getTime(),
        });
        expect(await screen.findByText('Scheduled')).toBeInTheDocument();
    });

    it('a wave without a target team cannot be launched', async () => {
        const {calls} = await openWave({}, wave({}, {targets: {teams: []}}));
        await userEvent.click(await screen.findByRole('button', {name: 'Launch now'}));
        expect(screen.getAllByText('Choose at least one target team.').length).toBeGreaterThan(0);
        expect(calls('POST', WaveRoutes.start(waveId))).toEqual([]);
    });
});

describe('run view', () => {
    const results = {
        page: 0,
        per_page: 50,
        total: 1,
        results: [{index: 0, user_id: 'u1', username: 'alice', outcome: 'added', reason: '', welcome: 'sent', at: 5, attempts: 1}],
    };

    it.each([
        ['running', {pause: true, resume: false, cancel: true, retry: true}],
        ['scheduled', {pause: true, resume: false, cancel: true, retry: false}],
        ['paused', {pause: false, resume: true, cancel: true, retry: true}],
        ['completed', {pause: false, resume: false, cancel: false, retry: false}],
        ['completed_with_failures', {pause: false, resume: false, cancel: false, retry: true}],
        ['cancelled', {pause: false, resume: false, cancel: false, retry: false}],
    ] as const)('%s: enables exactly the allowed actions', async (state, enabled) => {
        routeFetch({
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: {body: results},
            [`GET ${WaveRoutes.progress(waveId)}`]: {body: progress(state)},
        });
        const failed = state === 'completed' ? 0 : 2;
        renderInConsole((
            <RunView
                wave={wave({
                    state,
                    progress: progress(state, {
                        counts: {added: 1, already_member: 0, skipped: 0, failed, welcomed: 1, created: 0, invited: 0},
                    }),
                })}
                onReload={() => undefined}
            />
        ));
        await screen.findByRole('table', {name: '1 result'});
        expect(screen.getByRole('button', {name: 'Pause'})).toHaveProperty('disabled', !enabled.pause);
        expect(screen.getByRole('button', {name: 'Resume'})).toHaveProperty('disabled', !enabled.resume);
        expect(screen.getByRole('button', {name: 'Cancel wave'})).toHaveProperty('disabled', !enabled.cancel);
        expect(screen.getByRole('button', {name: 'Retry failed users'})).toHaveProperty('disabled', !enabled.retry);
    });

    it('polls progress every 2 s while running, updates the bar, stops when completed', async () => {
        jest.useFakeTimers();
        const {calls} = routeFetch({
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: {body: results},
            [`GET ${WaveRoutes.progress(waveId)}`]: [
                {body: progress('running', {processed: 10})},
                {body: progress('completed', {processed: 20, finished_at: 9})},
            ],
        });
        renderInConsole((
            <RunView
                wave={wave({state: 'running', progress: progress('running', {processed: 2})})}
                onReload={() => undefined}
            />
        ));
        const bar = screen.getByRole('progressbar', {name: 'Progress of Pilot'});
        expect(bar).toHaveAttribute('aria-valuenow', '10');
        await act(async () => {
            await jest.advanceTimersByTimeAsync(2000);
        });
        expect(bar).toHaveAttribute('aria-valuenow', '50');
        await act(async () => {
            await jest.advanceTimersByTimeAsync(2000);
        });
        expect(bar).toHaveAttribute('aria-valuenow', '100');
        await act(async () => {
            await jest.advanceTimersByTimeAsync(10000);
        });
        expect(calls('GET', WaveRoutes.progress(waveId))).toHaveLength(2);
    });

    it('stops polling when unmounted', async () => {
        jest.useFakeTimers();
        const {calls} = routeFetch({
            [`GET ${WaveRoutes.results(waveId)}?page=0&per_page=50`]: {body: results},
            [`GET ${WaveRoutes.progress(waveId)}`]: {body: progress('running', {processed: 3})},
        });
        const {unmount} = renderInConsole((
            <RunView
                wave={wave({state: 'running', progress: progress('running')})}
                onReload={() => undefined}
            />
        ));
        await act(async () => {
            await jest.advanceTimersByTimeAsync(4100);
        });
        expect(calls('GET', WaveRoutes.progress(waveId))).toHaveLength(2);
        unmount();
        await act(async () => {
            await jest.advanceTimersByTimeAsync(20000);
        });
        expect(calls('GET', WaveRoutes.progress(waveId))).toHaveLength(2);
    });

    it('filters results by outcome and pages through them', async () => {
        const page = (p: number, outcome = '') => `GET ${WaveRoutes.results(waveId)}?page=${p}&per_page=50${outcome}`;
        const many = (from: number, n: number) =>
            Array.from({length: n}, (_, i) => ({...results.results[0], index: from + i, username: `user${from + i}`}));
        const {calls} = routeFetch({
            [page(0)]: {body: {page: 0, per_page: 50, total: 60, results: many(0, 50)}},
            [page(1)]: {body: {page: 1, per_page: 50, total: 60, results: many(50, 10)}},
            [page(0, '&outcome=failed')]: {
                body: {
                    page: 0,
                    per_page: 50,
                    total: 1,
                    results: [{...results.results[0], outcome: 'failed', reason: 'team: denied', username: 'bob'}],
                },
            },
        });
        renderInConsole((
            <RunView
                wave={wave({state: 'completed', progress: progress('completed', {processed: 60, total: 60})})}
                onReload={() => undefined}
            />
        ));
        expect(await screen.findByRole('table', {name: '60 results'})).toHaveTextContent('@user0');
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        expect(await screen.findByText('@user59')).toBeInTheDocument();
        expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Outcome'}), 'Failed');
        expect(await screen.findByRole('table', {name: '1 result'})).toHaveTextContent('@bobFailedteam: denied');
        expect(calls('GET', `${WaveRoutes.results(waveId)}?page=0&per_page=50&outcome=failed`)).toHaveLength(1);
    });
});
