// The Waves tab in a real browser against a real server (started by the Go test TestBrowserWaves,
// e2e/cockpit/waves_browser_test.go, which creates the users, team and channel and checks the result
// through the API afterwards): create a wave, upload a CSV through the file input (its bad row is
// shown with its line), pick a target team and channel, preview the welcome (rendered markdown),
// test-send it, save, dry run, launch, and watch the run reach 100 % with every user added.
// The wave asks for feedback (the editor's Feedback checkbox, with the target channel picked as the
// help-desk channel), saved with the wave and shown again when the wave is reopened. Then a user
// of the wave signs in, opens the bot's DM in the channels view and clicks the welcome's
// "👍 Great" (a real post action; the updated post and the ephemeral thanks arrive over the websocket).
// Screenshots: ARTIFACTS_DIR/waves-editor.png, waves-run.png and waves-feedback.png.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserWaves (cd e2e && go test ./cockpit -run BrowserWaves)');

const artifacts = env('ARTIFACTS_DIR');
const csvPath = env('WAVE_CSV');
const waveName = env('WAVE_NAME');
const teamName = env('WAVE_TEAM');
const channelName = env('WAVE_CHANNEL');
const users = Number(env('WAVE_USERS'));
const badLine = env('WAVE_BAD_LINE');
const badValue = env('WAVE_BAD_VALUE');
const feedbackUser = env('WAVE_FEEDBACK_USER');
const userPassword = env('USER_PASSWORD');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser({viewport: {width: 1440, height: 1000}});

test('build a wave: CSV upload with a bad row, targets, welcome preview, test-send, save', async () => {
    await openTab('Waves');

    await page.getByRole('button', {name: 'New wave'}).click();
    await page.getByRole('textbox', {name: 'Name of the new wave'}).fill(waveName);
    await page.getByRole('button', {name: 'Create', exact: true}).click();
    await page.getByRole('heading', {name: waveName}).waitFor();

    // The CSV goes through the real file input; the upload's progress bar reaches 100 %.
    await page.getByLabel('Upload CSV').setInputFiles(csvPath);
    const upload = page.getByRole('progressbar', {name: /^Upload of /});
    await page.waitForFunction(
        () => document.querySelector('[aria-label^="Upload of"]')?.getAttribute('aria-valuenow') === '100',
        null,
        {timeout: 20_000},
    );
    assert.equal(await upload.getAttribute('aria-valuetext'), `${users + 1} of ${users + 1} rows stored`);
    await page.getByText(`${users + 1} CSV rows stored`).waitFor();

    // The bad row is reported with its line and reason.
    const problems = page.getByRole('table', {name: /1 row with a problem/});
    const bad = problems.getByRole('row').filter({hasText: badValue});
    assert.deepEqual(await bad.getByRole('cell').allTextContents(), [badLine, badValue, 'not a valid username or email']);

    // Targets: the team, then one of its channels as channel admin.
    await page.getByRole('searchbox', {name: 'Search teams to add users to'}).fill(teamName);
    await page.getByRole('list', {name: 'Search teams to add users to'}).getByRole('button', {name: `Add ${teamName}`}).click();
    await page.getByRole('searchbox', {name: 'Search channels of the target teams'}).fill(channelName);
    await page.getByRole('list', {name: 'Search channels of the target teams'}).getByRole('button', {name: `Add ${channelName}`}).click();
    await page.getByRole('combobox', {name: `Channel role in ${channelName}`}).selectOption({label: 'Channel admin'});

    // The welcome: the preview is the server's rendering for me, shown by the host's post renderer.
    const template = page.getByRole('textbox', {name: 'Template (Markdown)'});
    await template.fill('**Welcome aboard, {{first_name}}!** You are now in {{team}} ({{channels}}). Questions? ');
    await template.press('End');
    await page.getByRole('button', {name: 'Insert help_link'}).click();

    // Typed into the help link field at once: the chip must not take the focus back to the template a frame later.
    const helpLink = page.getByRole('textbox', {name: 'Help link'});
    await helpLink.fill('https://help.example.com/start');
    assert.equal(await helpLink.inputValue(), 'https://help.example.com/start');
    assert.match(await template.inputValue(), /\{\{help_link\}\}$/);
    const preview = page.getByTestId('welcome-preview');

    // The server renders the preview; on a busy machine that can take longer than a keystroke's debounce.
    await preview.locator('a[href="https://help.example.com/start"]').waitFor({timeout: 30_000});
    const strong = preview.locator('strong');
    assert.match(await strong.textContent(), /^Welcome aboard, .+!$/);
    assert.match(await preview.textContent(), new RegExp(`You are now in ${teamName} \\(${channelName}\\)`));
    assert.equal(await preview.locator('[data-renderer="mattermost"]').count(), 1, 'rendered through window.PostUtils');

    await page.getByRole('button', {name: 'Send me a test'}).click();
    await page.getByText('Sent: see your direct messages from the cockpit bot.').waitFor();

    // The welcome's feedback buttons (the definition's `feedback`, off by default): the Feedback section's
    // checkbox, then a help-desk channel (here the target channel) from its channel picker.
    const feedback = page.getByRole('group', {name: 'Feedback', exact: true});
    const askFeedback = feedback.getByRole('checkbox', {name: 'Ask for feedback under the welcome message'});
    assert.equal(await askFeedback.isChecked(), false);
    await askFeedback.check();
    await feedback.getByRole('searchbox', {name: 'Search channels for the help desk'}).fill(channelName);
    await feedback.getByRole('list', {name: 'Search channels for the help desk'}).getByRole('button', {name: `Add ${channelName}`}).click();
    await feedback.getByRole('button', {name: `Remove ${channelName}`}).waitFor();

    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && (/\/api\/v1\/waves\/[a-z0-9]{26}$/).test(r.url()));

    // The wave editor's Save, not the System Console's own Save below the settings form.
    await page.getByRole('region', {name: 'Wave', exact: true}).getByRole('button', {name: 'Save', exact: true}).click();
    const savedResponse = await saved;
    assert.equal(savedResponse.status(), 200);
    await page.getByText('Saved.').waitFor();
    await assertConsoleFormUntouched(page, assert, 'creating and saving a wave');
    await screenshot(page, join(artifacts, 'waves-editor.png'), {fullPage: true});

    // Feedback was saved with the wave, through the same PATCH as the rest: on, with the picked channel.
    const {definition} = await savedResponse.json();
    assert.equal(definition.feedback.enabled, true, JSON.stringify(definition.feedback));
    assert.equal(definition.targets.channels.length, 1);
    assert.equal(definition.feedback.help_desk_channel_id, definition.targets.channels[0].channel_id);

    // Reopened, the editor shows the stored wave: feedback on, with its help-desk channel.
    await page.getByRole('button', {name: '← All waves'}).click();
    await page.getByRole('button', {name: waveName, exact: true}).click();
    await page.getByRole('heading', {name: waveName}).waitFor();
    const reopened = page.getByRole('group', {name: 'Feedback', exact: true});
    assert.equal(await reopened.getByRole('checkbox', {name: 'Ask for feedback under the welcome message'}).isChecked(), true);
    await reopened.getByRole('button', {name: `Remove ${channelName}`}).waitFor();
});

test('dry run shows who would be added where; launch; the run reaches 100 % with every user added', async () => {
    await page.getByRole('button', {name: 'Dry run'}).click();
    const where = page.getByRole('table', {name: 'Who would be added where'});
    const teamRow = where.getByRole('row').filter({hasText: `Team ${teamName}`});
    await teamRow.waitFor({timeout: 20_000});
    assert.deepEqual(await teamRow.getByRole('cell').allTextContents(), [`Team ${teamName}`, 'member', String(users), '0', '0']);
    const channelRow = where.getByRole('row').filter({hasText: `Channel ${channelName}`});
    assert.deepEqual(await channelRow.getByRole('cell').allTextContents(), [
        `Channel ${channelName}`,
        'channel_admin',
        String(users),
        '0',
        '0',
    ]);
    const facts = await page.locator('.cockpit-facts').first().textContent();
    assert.match(facts, new RegExp(`Cohort size${users}`));

    // The estimate (from the default model until a wave has run on this server, said so) and the
    // advice on the default-channel join/leave messages, on by default, with its System Console link.
    const estimate = await page.getByTestId('dry-run-estimate').textContent();
    const about = `Estimated duration: About \\d+ (s|min) for ${users} users \\(largest target team: \\d+ members now\\)`;
    assert.match(estimate, new RegExp(about));
    assert.match(estimate, /(A default, until a wave runs on this server|Learned on this server from \d+ batches)/);
    const advice = page.getByTestId('dry-run-advice');
    assert.match(await advice.textContent(), /ServiceSettings\.ExperimentalEnableDefaultChannelLeaveJoinMessages/);
    const consoleLink = advice.getByRole('link', {name: 'Open System Console > Experimental > Features'});
    assert.match(await consoleLink.getAttribute('href'), /^(\/[^/]+)*\/admin_console\/experimental\/features$/);

    await page.getByRole('button', {name: 'Launch now'}).click();
    const bar = page.getByRole('progressbar', {name: `Progress of ${waveName}`});
    await bar.waitFor();
    await page.waitForFunction(
        (name) => document.querySelector(`[aria-label="Progress of ${name}"]`)?.getAttribute('aria-valuenow') === '100',
        waveName,
        {timeout: 60_000},
    );
    assert.equal(await bar.getAttribute('aria-valuetext'), `${users} of ${users} users (100 %)`);
    await page.getByText('Completed', {exact: true}).first().waitFor();
    const results = page.getByRole('table', {name: `${users} results`});
    await results.waitFor({timeout: 10_000});
    const outcomes = await results.locator('tbody tr td:nth-child(2)').allTextContents();
    assert.equal(outcomes.length, users);
    assert.deepEqual([...new Set(outcomes)], ['Added']);
    const welcomes = await results.locator('tbody tr td:nth-child(4)').allTextContents();
    assert.deepEqual([...new Set(welcomes)], ['Sent']);

    // The measured pace covers every user; a finished wave has no time left.
    const pace = new RegExp(`^\\d+\\.\\d\\d s per user \\(measured over ${users} users\\)$`);
    assert.match(await page.getByTestId('wave-pace').textContent(), pace);
    assert.equal(await page.getByTestId('wave-time-left').textContent(), '–');

    // The finished wave offers no pause/resume/cancel; no failures → no retry.
    for (const name of ['Pause', 'Resume', 'Cancel wave', 'Retry failed users']) {
        assert.equal(await page.getByRole('button', {name}).isDisabled(), true, name);
    }
    await screenshot(page, join(artifacts, 'waves-run.png'), {fullPage: true});

    // Back in the list, the wave shows completed with a full bar.
    await page.getByRole('button', {name: '← All waves'}).click();
    const listBar = page.getByRole('progressbar', {name: `Progress of ${waveName}`});
    assert.equal(await listBar.getAttribute('aria-valuenow'), '100');

    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(failedResponses, []);
});

test('a user of the wave answers the welcome DM\'s feedback buttons in the channels view', async () => {
    const s = await launchBrowser({viewport: {width: 1280, height: 900}});
    await s.open({view: 'channels', channel: '@cockpit', user: feedbackUser, password: userPassword});
    const welcome = s.page.getByRole('article').filter({hasText: 'Welcome aboard'});
    await welcome.waitFor({timeout: 20_000});
    assert.match(await welcome.textContent(), /How is your start going\?/);
    const clicked = s.page.waitForResponse((r) => (/\/api\/v4\/posts\/[a-z0-9]{26}\/actions\/feedbackgreat$/).test(r.url()));
    await welcome.getByRole('button', {name: '👍 Great'}).click();
    assert.equal((await clicked).status(), 200);

    // The plugin's answer: `update` replaces the post (post_edited), `ephemeral_text` is shown to the user.
    await welcome.getByText(/Your answer: 👍 Great/).waitFor({timeout: 20_000});
    await s.page.getByRole('article').filter({hasText: 'Thanks for your answer!'}).waitFor({timeout: 20_000});
    await screenshot(s.page, join(artifacts, 'waves-feedback.png'));
    assert.deepEqual(s.failedResponses, []);
    assert.deepEqual(s.consoleErrors, []);
});
