// The journey editor in a real browser against a real server (started by the Go test
// TestBrowserJourney, e2e/cockpit/journey_browser_test.go, which checks the saved journey afterwards):
// a new wave, a follow-up added with a condition and a text, previewed for the signed-in admin (their
// real state: no mobile app session, so the step would go to them) and saved. Screenshot:
// ARTIFACTS_DIR/journey-editor-<profile>.png.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {assertConsoleFormUntouched, hostProfile, openBrowser, openCockpitTab, requireEnv} from './session.mjs';

const env = requireEnv('TestBrowserJourney (cd e2e && go test ./cockpit -run BrowserJourney)');

const harnessURL = env('HARNESS_URL');
const artifacts = env('ARTIFACTS_DIR');
const waveName = env('WAVE_NAME');
const tip = env('JOURNEY_TIP');

let browser;
let page;
let consoleErrors;

before(async () => {
    mkdirSync(artifacts, {recursive: true});
    ({browser, page, consoleErrors} = await openBrowser({viewport: {width: 1440, height: 1000}}));
});

after(async () => {
    await browser?.close();
});

test('a follow-up with a condition, previewed with the admin\'s real state, saved', async () => {
    await openCockpitTab(page, harnessURL, 'Waves');
    await page.getByRole('button', {name: 'New wave'}).click();
    await page.getByRole('textbox', {name: 'Name of the new wave'}).fill(waveName);
    await page.getByRole('button', {name: 'Create', exact: true}).click();
    await page.getByRole('heading', {name: waveName}).waitFor();

    const editor = page.getByTestId('journey-editor');
    await editor.waitFor();
    await editor.getByRole('button', {name: 'Add a follow-up'}).click();
    const step = editor.getByTestId('journey-step-step1');
    await step.getByLabel('Delay (minutes)').fill('60');
    await step.getByLabel('Send only to people who').selectOption('no_mobile_session');
    await step.getByRole('textbox', {name: /^Message/}).fill(`${tip} {{first_name}}: get the **mobile app**.`);

    const previewed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/journey/preview'));
    await step.getByRole('button', {name: 'Preview'}).click();
    assert.equal((await previewed).status(), 200);
    const preview = step.getByTestId('journey-preview');
    await preview.getByText('This person would get this message now.').waitFor();
    await preview.getByText(/Mobile app: no/).waitFor();
    await preview.getByText(tip, {exact: false}).first().waitFor();

    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/journey'));
    await editor.getByRole('button', {name: 'Save the journey'}).click();
    assert.equal((await saved).status(), 200);
    await editor.getByText('Journey saved.').waitFor();
    await assertConsoleFormUntouched(page, assert, 'journey save');

    await editor.scrollIntoViewIfNeeded();
    await page.screenshot({path: join(artifacts, `journey-editor-${hostProfile}.png`), fullPage: true});
    assert.deepEqual(consoleErrors, []);
});
