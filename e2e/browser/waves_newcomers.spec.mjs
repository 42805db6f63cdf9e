// A wave for people who have no account yet, in a real browser against a real server (started by the
// Go test TestBrowserWavesNewcomers, e2e/cockpit/waves_newcomers_browser_test.go, which switches SAML and
// LDAP on, points the server's email at an SMTP sink, plants the people and checks the accounts and the
// mail afterwards): upload a cohort file with named columns through the file input, pick the target team
// and channel, invite the newcomers and see the dry run count them as invited, switch to creating their
// accounts and see the dry run count them as created, preview the invitation for the email person on its
// CSV line (the server's rendering in a sandboxed frame, with the server's own password-reset page) and
// test-send it, launch and watch the run complete with every account created and the funnel count them.
// Screenshots: ARTIFACTS_DIR/waves-newcomers-editor.png and waves-newcomers-run.png.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, requireEnv, screenshot, launchBrowser} from './session.mjs';

const env = requireEnv('TestBrowserWavesNewcomers (cd e2e && go test ./cockpit -run BrowserWavesNewcomers)');

const artifacts = env('ARTIFACTS_DIR');
const csvPath = env('WAVE_CSV');
const waveName = env('WAVE_NAME');
const teamName = env('WAVE_TEAM');
const channelName = env('WAVE_CHANNEL');
const existing = Number(env('WAVE_EXISTING'));
const newcomers = Number(env('WAVE_NEWCOMERS'));
const rows = Number(env('WAVE_ROWS'));
const previewLine = env('PREVIEW_LINE');
const previewEmail = env('PREVIEW_EMAIL');
const previewFirstName = env('PREVIEW_FIRST_NAME');
const marker = env('INVITATION_MARKER');
const siteURL = env('SITE_URL');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser({viewport: {width: 1440, height: 1000}});

/** The wave editor's Save (not the System Console's own Save below the settings form); waits for "Saved.". */
async function save() {
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && (/\/api\/v1\/waves\/[a-z0-9]{26}$/).test(r.url()));
    await page.getByRole('region', {name: 'Wave', exact: true}).getByRole('button', {name: 'Save', exact: true}).click();
    assert.equal((await saved).status(), 200);
    await page.getByText('Saved.').waitFor();
}

/** Runs a dry run and returns the people counts it shows. */
async function dryRunPeople() {
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/dry-run'));
    await page.getByRole('button', {name: 'Dry run'}).click();
    assert.equal((await answered).status(), 200);
    const people = page.getByTestId('dry-run-people');
    await people.waitFor({timeout: 20_000});
    const count = async (action) => Number(await people.getByTestId(`dry-run-people-${action}`).textContent());
    return {existing: await count('existing'), create: await count('create'), invite: await count('invite'), skip: await count('skip')};
}

const modes = () => page.getByRole('radiogroup', {name: 'What the wave does for them'});

test('a cohort file with named columns: invited, then created, in the dry run; the invitation previewed and test-sent', async () => {
    await openTab('Waves');
    await page.getByRole('button', {name: 'New wave'}).click();
    await page.getByRole('textbox', {name: 'Name of the new wave'}).fill(waveName);
    await page.getByRole('button', {name: 'Create', exact: true}).click();
    await page.getByRole('heading', {name: waveName}).waitFor();

    // The file goes through the real file input; its named columns are recognised.
    await page.getByLabel('Upload CSV').setInputFiles(csvPath);
    await page.waitForFunction(
        () => document.querySelector('[aria-label^="Upload of"]')?.getAttribute('aria-valuenow') === '100',
        null,
        {timeout: 20_000},
    );
    await page.getByText(`${rows} CSV rows stored`).waitFor();
    await page.getByText(/^Columns read: email, username, first_name, last_name/).waitFor();

    // Targets: the team and one of its channels.
    await page.getByRole('searchbox', {name: 'Search teams to add users to'}).fill(teamName);
    await page.getByRole('list', {name: 'Search teams to add users to'}).getByRole('button', {name: `Add ${teamName}`}).click();
    await page.getByRole('searchbox', {name: 'Search channels of the target teams'}).fill(channelName);
    await page.getByRole('list', {name: 'Search channels of the target teams'}).getByRole('button', {name: `Add ${channelName}`}).click();

    // The invitation email, with the variables that tell each person how to get in.
    const invitation = page.getByRole('group', {name: 'Invitation email', exact: true});
    await invitation.getByRole('checkbox', {name: /^Send each person an invitation email/}).check();
    await invitation.getByRole('textbox', {name: 'Subject'}).fill(`${marker} for {{first_name}}`);
    await invitation.getByRole('textbox', {name: 'Body (HTML)'}).fill(
        `<p>Hello {{first_name}}, welcome to {{team}}.</p><p>{{sign_in_method}}</p><p>${marker}</p>`,
    );

    // Invite them: the dry run counts the newcomers as invited.
    await modes().getByRole('radio', {name: 'Invite them'}).check();
    await save();
    let people = await dryRunPeople();
    assert.deepEqual(people, {existing, create: 0, invite: newcomers, skip: 0});

    // Create their accounts: now they are counted as created.
    await modes().getByRole('radio', {name: 'Create their accounts'}).check();
    await save();
    people = await dryRunPeople();
    assert.deepEqual(people, {existing, create: newcomers, invite: 0, skip: 0});
    const byService = page.getByRole('table', {name: 'People to create or invite, by sign-in method'});
    assert.ok(await byService.getByRole('row').filter({hasText: 'SAML'}).count() === 1, 'a SAML row in the sign-in methods');

    // The preview for the email person of the file: the server's rendering, with the set-password page.
    await invitation.getByRole('spinbutton', {name: 'Preview for the person on CSV line'}).fill(previewLine);
    await invitation.getByRole('button', {name: /^Preview( the invitation)?$/}).click();
    const preview = page.getByTestId('invitation-preview');
    await preview.waitFor({timeout: 10_000});
    assert.equal(await preview.getByTestId('invitation-preview-recipient').textContent(), previewEmail);
    assert.equal(await preview.getByTestId('invitation-preview-subject').textContent(), `${marker} for ${previewFirstName}`);
    const frame = page.frameLocator('[data-testid="invitation-preview-frame"]');
    await frame.getByText(`Hello ${previewFirstName}, welcome to ${teamName}.`).waitFor({timeout: 10_000});
    assert.match(await frame.locator('body').innerHTML(), new RegExp(`${siteURL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/reset_password`));
    assert.equal(await page.getByTestId('invitation-preview-frame').getAttribute('sandbox'), '', 'the preview frame is sandboxed');

    // Test-send: to the admin's own address (the Go test finds it at the sink).
    await invitation.getByRole('button', {name: 'Send test to me'}).click();
    await invitation.getByRole('status').filter({hasText: /^Sent to .+@.+\.$/}).waitFor({timeout: 20_000});

    // German: a text of its own, edited through the language picker; the preview for the same person asks
    // for German and comes back with the server's German sign-in sentence. Saved before the launch, so a
    // German reader of the file gets it (its subject carries the marker too: one mail per person still).
    const language = invitation.getByRole('combobox', {name: 'Language of this invitation'});
    await language.selectOption('de');
    assert.equal(await invitation.getByRole('textbox', {name: 'Subject'}).inputValue(), '', 'German starts without a text');
    await invitation.getByRole('textbox', {name: 'Subject'}).fill(`${marker} für {{first_name}}`);
    await invitation.getByRole('textbox', {name: 'Body (HTML)'}).fill(
        `<p>Hallo {{first_name}}, willkommen bei {{team}}.</p><p>{{sign_in_method}}</p><p>${marker}</p>`,
    );
    await language.getByRole('option', {name: 'German: own text'}).waitFor({state: 'attached'});
    const germanPreview = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/invitation/preview'));
    await invitation.getByRole('button', {name: /^Preview( the invitation)?$/}).click();
    assert.equal((await germanPreview).request().postDataJSON().locale, 'de');
    const germanSubject = preview.getByTestId('invitation-preview-subject').filter({hasText: `${marker} für ${previewFirstName}`});
    await germanSubject.waitFor({timeout: 10_000});
    await frame.getByText(`Hallo ${previewFirstName}, willkommen bei ${teamName}.`).waitFor({timeout: 10_000});
    assert.match(await frame.locator('body').textContent(), /Wählen Sie Ihr Passwort auf/);
    await save();
    await language.selectOption('');
    const fallbackSubject = await invitation.getByRole('textbox', {name: 'Subject'}).inputValue();
    assert.equal(fallbackSubject, `${marker} for {{first_name}}`, 'the fallback unchanged');
    await assertConsoleFormUntouched(page, assert, 'saving a newcomer wave');
    await screenshot(page, join(artifacts, 'waves-newcomers-editor.png'), {fullPage: true});
});

test('launch: every account created, the funnel counts them', async () => {
    await page.getByRole('button', {name: 'Launch now'}).click();
    const bar = page.getByRole('progressbar', {name: `Progress of ${waveName}`});
    await bar.waitFor();
    await page.waitForFunction(
        (name) => document.querySelector(`[aria-label="Progress of ${name}"]`)?.getAttribute('aria-valuenow') === '100',
        waveName,
        {timeout: 120_000},
    );
    await page.getByText('Completed', {exact: true}).first().waitFor();
    const counts = page.locator('.cockpit-facts').filter({hasText: 'Accounts created'});
    assert.match(await counts.textContent(), new RegExp(`Accounts created${newcomers}(?!\\d)`));

    const total = existing + newcomers;
    const results = page.getByRole('table', {name: `${total} results`});
    await results.waitFor({timeout: 10_000});
    const outcomes = await results.locator('tbody tr td:nth-child(2)').allTextContents();
    assert.equal(outcomes.filter((o) => o === 'Account created').length, newcomers);
    assert.equal(outcomes.filter((o) => o === 'Added').length, existing);

    // The funnel: everyone invited, the created accounts in the account stage.
    const funnel = page.getByTestId('activation-funnel-table');
    await funnel.waitFor({timeout: 20_000});
    const stage = (name) => funnel.getByRole('row').filter({hasText: name}).getByRole('cell').nth(1).textContent();
    assert.equal(await stage('Invitation email sent'), String(total));
    assert.equal(await stage('Has an account'), String(newcomers));
    const account = await funnel.getByRole('row').filter({hasText: 'Has an account'}).textContent();
    assert.match(account, new RegExp(`${newcomers} created by the wave · 0 signed up`));
    assert.equal(await stage('Added to the teams and channels'), String(total));
    await screenshot(page, join(artifacts, 'waves-newcomers-run.png'), {fullPage: true});

    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(failedResponses, []);
});
