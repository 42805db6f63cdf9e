// The journey editor in a real browser against a real server (started by the Go test
// TestBrowserJourney, e2e/cockpit/journey_browser_test.go, which checks the saved journey afterwards):
// a new wave, a follow-up added with a condition and a text, previewed for the signed-in admin (their
// real state: no mobile app session, so the step would go to them) and saved. Screenshot:
// ARTIFACTS_DIR/journey-editor-<profile>.png. Then a second follow-up made a survey (two questions
// edited, the dialog previewed) and saved; and the results of SURVEY_WAVE (a wave the Go test ran,
// whose survey two people answered through the real dialog route) charted. Screenshot:
// ARTIFACTS_DIR/survey-results-<profile>.png.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, hostProfile, requireEnv, screenshot, launchBrowser} from './session.mjs';

const env = requireEnv('TestBrowserJourney (cd e2e && go test ./cockpit -run BrowserJourney)');

const artifacts = env('ARTIFACTS_DIR');
const waveName = env('WAVE_NAME');
const tip = env('JOURNEY_TIP');
const surveyWave = env('SURVEY_WAVE');

const {page, consoleErrors, openTab} = await launchBrowser({viewport: {width: 1440, height: 1000}});

test('a follow-up with a condition, previewed with the admin\'s real state, saved', async () => {
    await openTab('Waves');
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
    await screenshot(page, join(artifacts, `journey-editor-${hostProfile}.png`), {fullPage: true});
    assert.deepEqual(consoleErrors, []);
});

test('a survey step: questions edited, the dialog previewed, saved', async () => {
    const editor = page.getByTestId('journey-editor');
    await editor.getByRole('button', {name: 'Add a follow-up'}).click();
    const step = editor.getByTestId('journey-step-step2');
    await step.getByLabel('Delay (minutes)').fill('0');
    await step.getByRole('textbox', {name: /^Message/}).fill(`${tip} a quick survey, {{first_name}}`);
    await step.getByRole('checkbox', {name: /Ask a survey/}).check();
    const survey = step.getByTestId('survey-editor');
    await survey.getByLabel(/Survey title/).fill('First week');
    const first = survey.getByTestId('survey-question-q1');
    await first.getByLabel(/^Label/).fill('Rate the tools');
    await survey.getByRole('button', {name: 'Add a question'}).click();
    const second = survey.getByTestId('survey-question-q2');
    await second.getByLabel('Kind').selectOption('choice');
    await second.getByLabel(/^Label/).fill('How is it going?');
    await second.getByLabel(/^Options/).fill('Fine\nI need help');

    await step.getByRole('button', {name: 'Preview'}).click();
    const dialog = step.getByTestId('survey-preview');
    await dialog.getByText('The dialog behind the “Answer” button: First week').waitFor();
    await dialog.getByText('○ I need help').waitFor();
    await dialog.getByText('○ 5').waitFor();

    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/journey'));
    await editor.getByRole('button', {name: 'Save the journey'}).click();
    const response = await saved;
    assert.equal(response.status(), 200);
    const {steps} = await response.json();
    assert.deepEqual(steps[1].survey.questions.map((q) => [q.id, q.kind, q.label, q.options]), [
        ['q1', 'rating', 'Rate the tools', []],
        ['q2', 'choice', 'How is it going?', ['Fine', 'I need help']],
    ]);
    await step.getByRole('button', {name: 'Show the results'}).waitFor();
    assert.deepEqual(consoleErrors, []);
});

test('the results of an answered survey: the response rate, a chart per question, the free text', async () => {
    await page.getByRole('button', {name: '← All waves'}).click();
    await page.getByRole('button', {name: surveyWave, exact: true}).click();
    await page.getByRole('heading', {name: surveyWave}).waitFor();
    const step = page.getByTestId('journey-step-pulse');
    await step.getByRole('button', {name: 'Show the results'}).click();
    const results = step.getByTestId('survey-results-pulse');
    await results.getByTestId('survey-summary').getByText('Asked 2 · answered 2 · response rate 100%').waitFor();
    const stars = results.getByTestId('survey-chart-stars');
    await stars.locator('canvas').first().waitFor();
    await stars.getByText('Average 3.0 of 5').waitFor();
    await results.getByTestId('survey-chart-mood').locator('canvas').first().waitFor();
    await results.getByText('Free-text answers (1)').waitFor();
    await results.getByText('More docs please').waitFor();

    await step.scrollIntoViewIfNeeded();
    await results.scrollIntoViewIfNeeded();
    await screenshot(page, join(artifacts, `survey-results-${hostProfile}.png`), {fullPage: true});
    assert.deepEqual(consoleErrors, []);
});
