import {act, fireEvent, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {JourneyEndpoints, WaveEndpoints} from 'contract/endpoints';
import {WaveRoutes} from 'contract/routes';
import {defaultWaveInvitation, WaveDefinitionSchema, type DryRunReport, type InvitationPreview, type WaveResponse} from 'contract/waves';

import {cohortTemplateCsv} from './csv';
import {RunView} from './run_view';
import {WavesTab} from './waves_tab';

import {readFileText} from '../components/files';
import {expectChipKeepsTheNextFieldFocused, renderInConsole, routeFetch} from '../test/helpers';
import {fakeMattermost, fakeTeam} from '../test/mattermost';

// Waves for people without an account, in the editor and the run view: the cohort template, the
// named-column upload, the newcomers settings, the invitation email, the dry run's people, the results.

jest.setTimeout(20000);

const waveId = 'w'.repeat(26);
const teamId = 't'.repeat(26);
const previewPath = WaveEndpoints.invitationPreview.toPath({waveId});
const testSendPath = WaveEndpoints.invitationTestSend.toPath({waveId});

beforeEach(() => {
    fakeMattermost({teams: [fakeTeam(teamId, 'Rollout', 'rollout')]});
});

afterEach(() => jest.restoreAllMocks());

function wave(definition: Record<string, unknown> = {}, overrides: Partial<WaveResponse> = {}): WaveResponse {
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
        progress: {
            wave_id: waveId,
            state: 'draft',
            total: 0,
            processed: 0,
            counts: {added: 0, already_member: 0, skipped: 0, failed: 0, welcomed: 0, created: 0, invited: 0},
            retrying: 0,
            pending: 0,
            started_at: null,
            finished_at: null,
            last_tick_at: null,
        },
        ...overrides,
    };
}

async function openWave(routes: Parameters<typeof routeFetch>[0], w = wave()) {
    const fake = routeFetch({
        [`GET ${WaveRoutes.waves}`]: {
            body: [
                {id: w.id, version: w.version, name: w.definition.name, state: w.state, rolling: false, csv_rows: 0, progress: w.progress},
            ],
        },
        [`GET ${WaveRoutes.wave(waveId)}`]: {body: w},
        [`POST ${WaveRoutes.welcomePreview(waveId)}`]: {body: {markdown: 'Hi'}},

        // The journey panel under every wave (webapp/src/journey): no follow-ups.
        [`GET ${JourneyEndpoints.journey.toPath({waveId})}`]: {body: {wave_id: waveId, steps: [], version: 0, counts: {}, stopped: 0}},
        ...routes,
    });
    renderInConsole(<WavesTab/>);
    await userEvent.click(await screen.findByRole('button', {name: w.definition.name}));
    await screen.findByRole('group', {name: 'Placeholders of the invitation'});
    return fake;
}

const preview = (overrides: Partial<InvitationPreview> = {}): InvitationPreview => ({
    subject: 'Welcome to Rollout',
    html: '<p>Hello &lt;b&gt;Eve&lt;/b&gt;</p><script>parent.document.title = "owned"</script>',
    text: 'Hello <b>Eve</b>',
    recipient: 'eve@example.com',
    smtp_configured: true,
    ...overrides,
});

function dryRunReport(overrides: Partial<DryRunReport> = {}): DryRunReport {
    return {
        cohort_size: 6,
        people: {
            existing: 2,
            create: 3,
            invite: 0,
            skip: 1,
            by_auth_service: {email: 1, saml: 2},
            sample: [
                {line: 2, email: 'ada@example.com', username: 'ada', action: 'existing', auth_service: ''},
                {line: 3, email: 'grace@example.com', username: '', action: 'create', auth_service: 'saml'},
                {line: 5, email: 'new@example.com', username: 'newbie', action: 'create', auth_service: 'email'},
            ],
        },
        sources: {csv: 6, groups: 0, teams: 0, email_domains: 0},
        duplicates: 0,
        csv_problems: [],
        cannot_add: {deactivated: 0, bot: 0, guest: 0, group_synced: 0},
        membership_checked: 2,
        targets: [],
        target_problems: [],
        sample: [],
        welcome_languages: [],
        outside_languages: 0,
        ...overrides,
    };
}

describe('cohort template and named columns', () => {
    it('downloads the template as a CSV blob: the header of named columns and two example people', async () => {
        await openWave({});
        const created: Blob[] = [];
        URL.createObjectURL = jest.fn((blob: Blob) => {
            created.push(blob);
            return 'blob:template';
        });
        URL.revokeObjectURL = jest.fn();
        const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
            expect(this.download).toBe('cohort-template.csv');
            expect(this.href).toBe('blob:template');
        });
        await userEvent.click(screen.getByRole('button', {name: 'Download the template'}));
        expect(click).toHaveBeenCalledTimes(1);
        expect(created).toHaveLength(1);
        expect(created[0].type).toBe('text/csv');
        const text = await readFileText(created[0]);
        expect(text).toBe(cohortTemplateCsv());
        expect(text.split('\r\n')[0]).toBe(
            '"email","username","first_name","last_name","nickname","position","locale","timezone","auth_service","auth_data"',
        );
        expect(text).toContain('"grace.hopper@example.com","grace.hopper","Grace","Hopper","","Engineer","en","America/New_York","saml"');
    });

    it('uploads each person of a named-column file and lists the header and row problems by line', async () => {
        const {calls} = await openWave({[`POST ${WaveRoutes.csv(waveId)}`]: {body: wave()}});
        const file = new File(['email,username,team\nada@example.com,ada,Sales\n,,\n,grace,\n'], 'people.csv', {type: 'text/csv'});
        fireEvent.change(screen.getByLabelText('Upload CSV'), {target: {files: [file]}});
        await waitFor(() => expect(calls('POST', WaveRoutes.csv(waveId))).toHaveLength(1));
        expect(calls('POST', WaveRoutes.csv(waveId))[0].body.rows).toEqual([
            {line: 2, value: 'ada@example.com', person: {email: 'ada@example.com', username: 'ada'}},
            {line: 4, value: 'grace', person: {username: 'grace'}},
        ]);
        expect(await screen.findByText('Columns read: email, username')).toBeInTheDocument();
        const problems = screen.getByRole('table', {name: /2 rows with problems/});
        const rows = within(problems).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
        expect(rows).toEqual([
            ['1', 'team', expect.stringMatching(/^unknown columns, ignored/)],
            ['3', ',,', 'neither an email nor a username'],
        ]);
    });
});

describe('newcomers settings', () => {
    it('saves the mode, sign-in method, language and time zone as definition.newcomers', async () => {
        const {calls} = await openWave({
            [`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave({newcomers: body.changes.newcomers})}),
        });
        const modes = screen.getByRole('radiogroup', {name: 'What the wave does for them'});
        expect(within(modes).getByRole('radio', {name: 'Skip them'})).toBeChecked();
        expect(within(modes).getByRole('radio', {name: 'Skip them'})).toHaveAccessibleDescription(/reported as skipped \(no account\)/);
        expect(screen.queryByRole('combobox', {name: 'Default sign-in method'})).toBeNull();

        await userEvent.click(within(modes).getByRole('radio', {name: 'Create their accounts'}));
        expect(screen.getByTestId('newcomers-invitation-hint')).toHaveTextContent(/learn of their new account only from the invitation/);
        await userEvent.click(screen.getByRole('checkbox', {name: 'Send each person an invitation email (once per person)'}));
        expect(screen.queryByTestId('newcomers-invitation-hint')).toBeNull();
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Default sign-in method'}), 'SAML');
        const language = screen.getByRole('combobox', {name: 'Default language'});
        expect(within(language).getAllByRole('option')).toHaveLength(23);
        await userEvent.selectOptions(language, 'de');
        await userEvent.type(screen.getByRole('textbox', {name: 'Default time zone'}), 'Europe/Berlin');
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        const [patch] = calls('PATCH', WaveRoutes.wave(waveId));
        expect(patch.body.changes.newcomers).toEqual({mode: 'create', auth_service: 'saml', locale: 'de', timezone: 'Europe/Berlin'});
        expect(patch.body.changes.cohort).toBeUndefined();
    });

    it('checks the time zone when the field is left, and refuses to save an unknown one', async () => {
        const {calls} = await openWave(
            {[`PATCH ${WaveRoutes.wave(waveId)}`]: (body) => ({body: wave({newcomers: body.changes.newcomers})})},
            wave({newcomers: {mode: 'create'}}),
        );
        const zone = screen.getByRole('textbox', {name: 'Default time zone'});
        await userEvent.type(zone, 'Mars/Olympus_Mons');
        expect(screen.queryByText(/is not a time zone/)).toBeNull();
        await userEvent.tab();
        expect(screen.getByText('“Mars/Olympus_Mons” is not a time zone (e.g. Europe/Berlin, America/New_York, UTC).')).toBeInTheDocument();
        expect(zone).toHaveAttribute('aria-invalid', 'true');
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        expect(screen.getByText('Fix the marked fields first.')).toBeInTheDocument();
        expect(calls('PATCH', WaveRoutes.wave(waveId))).toEqual([]);

        // Skipping newcomers hides the defaults, and their time zone no longer blocks saving.
        await userEvent.click(screen.getByRole('radio', {name: 'Skip them'}));
        expect(screen.queryByRole('textbox', {name: 'Default time zone'})).toBeNull();
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        expect(calls('PATCH', WaveRoutes.wave(waveId))[0].body.changes.newcomers).toMatchObject({mode: 'skip'});
        await userEvent.click(screen.getByRole('radio', {name: 'Create their accounts'}));
        const again = screen.getByRole('textbox', {name: 'Default time zone'});
        await userEvent.clear(again);
        await userEvent.type(again, 'America/Argentina/Buenos_Aires');
        await userEvent.tab();
        expect(screen.queryByText(/is not a time zone/)).toBeNull();
    });

    it('invite mode without the invitation email: an error, and launch is refused', async () => {
        const {calls} = await openWave({}, wave({newcomers: {mode: 'invite'}}));
        const error = /Inviting needs the invitation email/;
        expect(screen.getByText(error)).toHaveAttribute('role', 'alert');
        await userEvent.click(screen.getByRole('button', {name: 'Launch now'}));
        expect(screen.getAllByText(error)).toHaveLength(2);
        expect(calls('POST', WaveRoutes.start(waveId))).toEqual([]);
        await userEvent.click(screen.getByRole('checkbox', {name: 'Send each person an invitation email (once per person)'}));
        expect(screen.queryByText(error)).toBeNull();
    });
});

describe('invitation email', () => {
    it('previews the edited invitation for a CSV line: subject, the HTML inert in a sandboxed frame, the text part', async () => {
        const answer = preview();
        const {calls} = await openWave({[`POST ${previewPath}`]: {body: answer}}, wave({invitation: {enabled: true}}));
        fireEvent.change(screen.getByRole('textbox', {name: 'Subject'}), {target: {value: 'Hi {{first_name}}'}});
        await userEvent.click(screen.getByRole('button', {name: 'Put sign_up_link in the invitation'}));
        await userEvent.type(screen.getByRole('spinbutton', {name: 'Preview for the person on CSV line'}), '3');
        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));

        const frame = await screen.findByTitle('The invitation as HTML');
        expect(calls('POST', previewPath)[0].body).toEqual({
            subject: 'Hi {{first_name}}',
            html_template: expect.stringMatching(/\{\{sign_up_link\}\}/),
            line: 3,
        });

        // The server's HTML goes to the frame exactly as answered; the empty sandbox runs no script in it.
        expect(frame.tagName).toBe('IFRAME');
        expect(frame).toHaveAttribute('sandbox', '');
        expect(frame.getAttribute('srcdoc')).toBe(answer.html);
        expect(document.title).not.toBe('owned');
        expect(document.querySelectorAll('script')).toHaveLength(0);
        expect(screen.getByTestId('invitation-preview-subject')).toHaveTextContent('Welcome to Rollout');
        expect(screen.getByTestId('invitation-preview-recipient')).toHaveTextContent('eve@example.com');
        expect(screen.getByTestId('invitation-preview-text').textContent).toBe('Hello <b>Eve</b>');
        expect(screen.queryByTestId('invitation-smtp-warning')).toBeNull();
    });

    it('a placeholder chip leaves the caret after it at once; the field focused next keeps the focus', async () => {
        await openWave({});
        await expectChipKeepsTheNextFieldFocused(
            screen.getByRole('textbox', {name: 'Body (HTML)'}),
            screen.getByRole('button', {name: 'Put wave in the invitation'}),
            '{{wave}}',
            screen.getByRole('spinbutton', {name: 'Preview for the person on CSV line'}),
        );
    });

    it('test-sends to the admin and says where it went', async () => {
        const {calls} = await openWave(
            {[`POST ${testSendPath}`]: {body: {...preview(), sent_to: 'admin@example.com'}}},
            wave({invitation: {enabled: true}}),
        );
        await userEvent.click(screen.getByRole('button', {name: 'Send test to me'}));
        expect(await screen.findByText('Sent to admin@example.com.')).toBeInTheDocument();
        expect(calls('POST', testSendPath)[0].body).toEqual({subject: 'Welcome to {{team}}', html_template: expect.any(String)});
        expect(screen.getByTitle('The invitation as HTML')).toHaveAttribute('sandbox', '');
    });

    it('without SMTP (the preview says so): a warning, and test-send is disabled', async () => {
        await openWave({[`POST ${previewPath}`]: {body: preview({smtp_configured: false})}}, wave({invitation: {enabled: true}}));
        expect(screen.getByRole('button', {name: 'Send test to me'})).toBeEnabled();
        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));
        expect(await screen.findByTestId('invitation-smtp-warning')).toHaveTextContent(
            'Email is not configured on this server (System Console > Environment > SMTP, and Notifications > Enable Email ' +
                'Notifications): nothing will be sent',
        );
        expect(screen.getByRole('button', {name: 'Send test to me'})).toBeDisabled();

        // Another language puts the rendering away, not what it said about the server's email.
        await userEvent.selectOptions(screen.getByRole('combobox', {name: 'Language of this invitation'}), 'de');
        expect(screen.queryByTitle('The invitation as HTML')).toBeNull();
        expect(screen.getByTestId('invitation-smtp-warning')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Send test to me'})).toBeDisabled();
    });

    it('without SMTP (the dry run says so): the same warning before any preview, and its warnings listed', async () => {
        const warning = 'Email is not configured on this server: invitation emails cannot be sent.';
        await openWave({[`POST ${WaveRoutes.dryRun(waveId)}`]: {body: dryRunReport({smtp_configured: false, warnings: [warning]})}});
        await userEvent.click(screen.getByRole('button', {name: 'Dry run'}));
        expect(await screen.findByTestId('invitation-smtp-warning')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Send test to me'})).toBeDisabled();
        expect(screen.getByTestId('dry-run-warnings')).toHaveTextContent(warning);
    });

    const french = {subject: 'Bienvenue dans {{team}}', html_template: '<p>Bonjour {{first_name}}</p>'};
    const saving = {[`PATCH ${WaveRoutes.wave(waveId)}`]: (body: {changes: Record<string, unknown>}) => ({body: wave(body.changes)})};
    const savedInvitation = async (calls: Awaited<ReturnType<typeof openWave>>['calls']) => {
        await userEvent.click(screen.getByRole('button', {name: 'Save'}));
        await screen.findByText('Saved.');
        return calls('PATCH', WaveRoutes.wave(waveId))[0].body.changes.invitation;
    };

    it('choosing German edits only the German text, starting from the fallback; the other languages stay', async () => {
        const {calls} = await openWave(saving, wave({invitation: {enabled: true, translations: {fr: french}}}));
        const picker = screen.getByRole('combobox', {name: 'Language of this invitation'});
        expect(within(picker).getByRole('option', {name: 'French: own text'})).toBeInTheDocument();
        await userEvent.selectOptions(picker, 'de');

        // No German text yet: empty fields that show the fallback as their placeholder.
        const subject = screen.getByRole('textbox', {name: 'Subject'});
        const body = screen.getByRole('textbox', {name: 'Body (HTML)'});
        expect(subject).toHaveValue('');
        expect(subject).toHaveAttribute('placeholder', 'Welcome to {{team}}');
        expect(body).toHaveValue('');
        fireEvent.change(subject, {target: {value: 'Willkommen bei {{team}}'}});
        expect(within(picker).getByRole('option', {name: 'German: own text'})).toBeInTheDocument();
        expect(body).toHaveValue(defaultWaveInvitation().html_template);
        fireEvent.change(body, {target: {value: '<p>Hallo {{first_name}}</p>'}});

        // The fallback and French are as they were.
        await userEvent.selectOptions(picker, '');
        expect(screen.getByRole('textbox', {name: 'Subject'})).toHaveValue('Welcome to {{team}}');
        await userEvent.selectOptions(picker, 'fr');
        expect(screen.getByRole('textbox', {name: 'Subject'})).toHaveValue(french.subject);

        expect(await savedInvitation(calls)).toEqual({
            ...defaultWaveInvitation(),
            enabled: true,
            translations: {fr: french, de: {subject: 'Willkommen bei {{team}}', html_template: '<p>Hallo {{first_name}}</p>'}},
        });
    });

    it('clearing a language’s subject and body removes its translation: the fallback applies again', async () => {
        const {calls} = await openWave(saving, wave({invitation: {enabled: true, translations: {fr: french, de: french}}}));
        const picker = screen.getByRole('combobox', {name: 'Language of this invitation'});
        await userEvent.selectOptions(picker, 'de');
        fireEvent.change(screen.getByRole('textbox', {name: 'Subject'}), {target: {value: ''}});

        // Half a translation is marked and blocks the preview until the body is emptied too (or a subject written).
        expect(screen.getByText('A subject is required (at most 200 characters).')).toBeInTheDocument();
        expect(screen.getByText('Each invitation of its own needs a subject and a body: German.')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Preview'})).toBeDisabled();
        fireEvent.change(screen.getByRole('textbox', {name: 'Body (HTML)'}), {target: {value: ''}});
        expect(screen.queryByText(/needs a subject and a body/)).toBeNull();
        expect(within(picker).getByRole('option', {name: 'German'})).toBeInTheDocument();
        expect(screen.getByRole('textbox', {name: 'Subject'})).toHaveAttribute('placeholder', 'Welcome to {{team}}');

        expect(await savedInvitation(calls)).toEqual({...defaultWaveInvitation(), enabled: true, translations: {fr: french}});
    });

    it('the preview and the test-send carry the chosen language: its own text, else the fallback in the fallback language', async () => {
        const {calls} = await openWave(
            {
                [`POST ${previewPath}`]: {body: preview()},
                [`POST ${testSendPath}`]: {body: {...preview(), sent_to: 'admin@example.com'}},
            },
            wave({invitation: {enabled: true, translations: {fr: french}}}),
        );
        const picker = screen.getByRole('combobox', {name: 'Language of this invitation'});
        await userEvent.selectOptions(picker, 'fr');
        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));
        await screen.findByTitle('The invitation as HTML');
        expect(calls('POST', previewPath)[0].body).toEqual({...french, locale: 'fr'});
        await userEvent.click(screen.getByRole('button', {name: 'Send test to me'}));
        await screen.findByText('Sent to admin@example.com.');
        expect(calls('POST', testSendPath)[0].body).toEqual({...french, locale: 'fr'});

        // German has no text of its own: a German reader gets the fallback, whose sentences stay English.
        // The French rendering and its test-send result are put away when the language changes.
        await userEvent.selectOptions(picker, 'de');
        expect(screen.queryByTitle('The invitation as HTML')).toBeNull();
        expect(screen.queryByText('Sent to admin@example.com.')).toBeNull();
        await userEvent.click(screen.getByRole('button', {name: 'Preview'}));
        await waitFor(() => expect(calls('POST', previewPath)).toHaveLength(2));
        expect(calls('POST', previewPath)[1].body).toEqual({
            subject: defaultWaveInvitation().subject,
            html_template: defaultWaveInvitation().html_template,
            locale: 'en',
        });
    });

    it('an empty subject is marked and blocks preview and test-send', async () => {
        const {calls} = await openWave({}, wave({invitation: {enabled: true}}));
        fireEvent.change(screen.getByRole('textbox', {name: 'Subject'}), {target: {value: '  '}});
        expect(screen.getByText('A subject is required (at most 200 characters).')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Preview'})).toBeDisabled();
        expect(screen.getByRole('button', {name: 'Send test to me'})).toBeDisabled();
        expect(calls('POST', previewPath)).toEqual([]);
    });
});

describe('dry run people', () => {
    it('counts who has an account, who would be created, invited or skipped, by sign-in method, with sample rows', async () => {
        await openWave({[`POST ${WaveRoutes.dryRun(waveId)}`]: {body: dryRunReport()}});
        await userEvent.click(screen.getByRole('button', {name: 'Dry run'}));
        const people = await screen.findByTestId('dry-run-people');
        expect(
            (['existing', 'create', 'invite', 'skip'] as const).map((action) => screen.getByTestId(`dry-run-people-${action}`).textContent),
        ).toEqual(['2', '3', '0', '1']);
        const byAuth = within(people).getByRole('table', {name: 'People to create or invite, by sign-in method'});
        expect(within(byAuth).getAllByRole('row').map((r) => r.textContent)).toEqual([
            'Sign-in methodPeople',
            'Email and password1',
            'SAML2',
        ]);
        const sample = within(people).getByRole('table', {name: 'Sample of 3 rows'});
        expect(within(sample).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
            ['2', 'ada@example.com', 'ada', 'Has an account', '–'],
            ['3', 'grace@example.com', '–', 'Will be created', 'SAML'],
            ['5', 'new@example.com', 'newbie', 'Will be created', 'Email and password'],
        ]);
    });

    it('shows no people block for a wave without a CSV', async () => {
        const empty = {existing: 0, create: 0, invite: 0, skip: 0, by_auth_service: {}, sample: []};
        const sources = {csv: 0, groups: 6, teams: 0, email_domains: 0};
        await openWave({[`POST ${WaveRoutes.dryRun(waveId)}`]: {body: dryRunReport({people: empty, sources})}});
        await userEvent.click(screen.getByRole('button', {name: 'Dry run'}));
        await screen.findByRole('table', {name: 'Who would be added where'});
        expect(screen.queryByTestId('dry-run-people')).toBeNull();
    });
});

describe('results of a wave with newcomers', () => {
    const base = {reason: '', welcome: 'sent', at: 5, attempts: 1};
    const created = {...base, index: 0, user_id: 'u1', username: 'grace', outcome: 'created', invitation: 'sent'};
    const invited = {
        ...base,
        index: 1,
        user_id: '',
        username: '',
        email: 'new@example.com',
        outcome: 'invited',
        welcome: 'not_sent',
        invitation: 'sent',
    };
    const page = (results: unknown[]) => ({body: {page: 0, per_page: 50, total: results.length, results}});

    it('counts created and invited people, filters by those outcomes, names a person without an account by email', async () => {
        const path = `${WaveRoutes.results(waveId)}?page=0&per_page=50`;
        const {calls} = routeFetch({
            [`GET ${path}`]: page([created, invited]),
            [`GET ${path}&outcome=created`]: page([created]),
            [`GET ${path}&outcome=invited`]: page([invited]),
            [`GET ${WaveRoutes.activation(waveId)}`]: {status: 500, body: {error: {id: 'cockpit.internal', message: 'later'}}},
        });
        const w = wave({newcomers: {mode: 'create'}}, {state: 'completed'});
        w.progress = {...w.progress, state: 'completed', total: 2, processed: 2, counts: {...w.progress.counts, created: 1, invited: 1}};
        renderInConsole((
            <RunView
                wave={w}
                onReload={() => undefined}
            />
        ));
        const all = await screen.findByRole('table', {name: '2 results'});
        expect(within(all).getAllByRole('row').map((r) => r.textContent)).toEqual([
            'UserOutcomeReasonWelcome DMInvitation emailAttemptsWhen',
            expect.stringMatching(/^@graceAccount created–SentSent1/),
            expect.stringMatching(/^new@example\.comInvited–Not sentSent1/),
        ]);
        expect(screen.getByText('Accounts created').nextSibling).toHaveTextContent('1');
        expect(screen.getByText('Invited (no account yet)').nextSibling).toHaveTextContent('1');

        const filter = screen.getByRole('combobox', {name: 'Outcome'});
        await userEvent.selectOptions(filter, 'Account created');
        expect(await screen.findByRole('table', {name: '1 result'})).toHaveTextContent('@grace');
        await userEvent.selectOptions(filter, 'Invited');
        await waitFor(() => expect(calls('GET', `${path}&outcome=invited`)).toHaveLength(1));
        await act(async () => undefined);
        expect(screen.getByRole('table', {name: '1 result'})).toHaveTextContent('new@example.com');
        expect(calls('GET', `${path}&outcome=created`)).toHaveLength(1);
    });
});
