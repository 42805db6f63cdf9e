// The Branding tab in a real browser against a real server (started by the Go test
// TestBrowserBranding, e2e/cockpit/branding_browser_test.go, with HARNESS_URL, ARTIFACTS_DIR,
// CHROMIUM_PATH): type a site name, see the preview follow, apply, reload, see it persisted, roll
// back in one click. Screenshots at desktop and mobile widths go to ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, requireEnv, screenshot, launchBrowser} from './session.mjs';

const env = requireEnv('TestBrowserBranding (cd e2e && go test ./cockpit -run BrowserBranding)');

const artifacts = env('ARTIFACTS_DIR');

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser({viewport: {width: 1440, height: 1000}});

async function openBranding() {
    await openTab('Branding');
    await page.getByRole('textbox', {name: 'Site name'}).waitFor({timeout: 20_000});
}

const preview = (which) => page.getByRole('group', {name: `${which} preview`});

let originalName;
let versionBefore;
const newName = `Bank Chat ${Date.now() % 100000}`;

test('typing a site name updates the preview at both widths; nothing is written', async () => {
    await openBranding();
    const name = page.getByRole('textbox', {name: 'Site name'});
    originalName = await name.inputValue();
    const writes = [];
    const onRequest = (r) => r.method() !== 'GET' && writes.push(r.url());
    page.on('request', onRequest);
    await name.fill(newName);
    await preview('Desktop').getByRole('heading', {name: newName}).waitFor();
    await preview('Mobile').getByRole('heading', {name: newName}).waitFor();
    await page.getByRole('textbox', {name: 'Custom brand text (Markdown)'}).fill('**Welcome** <img src=x onerror=alert(1)>');
    await page.getByRole('checkbox', {name: 'Show the custom brand image and text on the login screen'}).check();
    assert.match(await preview('Desktop').textContent(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await preview('Desktop').locator('img[src="x"]').count(), 0);
    page.off('request', onRequest);
    assert.deepEqual(writes, []);
    await screenshot(page, join(artifacts, 'branding-desktop.png'), {fullPage: true});
});

test('Apply writes it; after a reload the form and preview show it', async () => {
    const history = page.getByRole('region', {name: 'History'});
    const applied = page.waitForResponse((r) => r.url().endsWith('/api/v1/branding/apply'));
    await page.getByRole('button', {name: 'Apply branding'}).click();
    const res = await applied;
    assert.equal(res.status(), 200);
    const body = await res.json();
    assert.deepEqual(body.applied.not_applied, []);
    versionBefore = body.applied.version - 1;
    await page.getByText(`Applied as version ${body.applied.version}.`).waitFor();

    // The branding form is a <form> inside the System Console's settings form: its submit must stop there.
    await assertConsoleFormUntouched(page, assert, 'Apply branding');

    await openBranding();
    assert.equal(await page.getByRole('textbox', {name: 'Site name'}).inputValue(), newName);
    await preview('Desktop').getByRole('heading', {name: newName}).waitFor();
    await history.getByRole('listitem', {name: `Version ${body.applied.version}`}).waitFor();

    await page.setViewportSize({width: 390, height: 844});
    await screenshot(page, join(artifacts, 'branding-mobile.png'), {fullPage: true});
    await page.setViewportSize({width: 1440, height: 1000});
});

test('one click rolls back to the previous version', async () => {
    await page.getByRole('button', {name: `Roll back to version ${versionBefore}`}).click();
    await page.getByText(new RegExp(`^Rolled back to version ${versionBefore} \\(now version \\d+\\)\\.`)).waitFor();
    await openBranding();
    assert.equal(await page.getByRole('textbox', {name: 'Site name'}).inputValue(), originalName);
    assert.deepEqual(failedResponses, [], 'HTTP errors in the Branding tab');
    assert.deepEqual(consoleErrors, []);
});
