// The cockpit in a real browser (Debian Chromium driven by playwright-core), against a real
// Mattermost server through the same-origin harness page (e2e/harness). Started by the Go test
// TestBrowserCockpit, which passes:
//   HARNESS_URL             the harness page (front door = the server's SiteURL)
//   EXPECT_SERVER_VERSION   the server version the Go side read through the API
//   EXPECT_PLUGIN_VERSION   the plugin version of the installed bundle's manifest
//   SCREENSHOT_PATH         where to save the overview screenshot
//   CHROMIUM_PATH           default /usr/bin/chromium
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {after, before, test} from 'node:test';

import {openBrowser, requireEnv} from './session.mjs';

const env = requireEnv('TestBrowserCockpit (cd e2e && go test ./cockpit -run Browser)');

const harnessURL = env('HARNESS_URL');
const serverVersion = env('EXPECT_SERVER_VERSION');
const pluginVersion = env('EXPECT_PLUGIN_VERSION');
const screenshotPath = env('SCREENSHOT_PATH', '/tmp/cockpit-overview.png');

let browser;
let page;
let consoleErrors;
let failedResponses;
let settle;

before(async () => {
    ({browser, page, consoleErrors, failedResponses, settle} = await openBrowser());
});

after(async () => {
    await browser?.close();
});

/** The value (dd) of a label/value row (dt) inside the region named `region`. */
function fact(region, label) {
    return page.getByRole('region', {name: region, exact: true})
        .getByRole('term').filter({hasText: new RegExp(`^${label}$`)})
        .locator('xpath=following-sibling::dd[1]');
}

test('the harness signs in and loads the real plugin bundle from the server', async () => {
    await page.goto(harnessURL);
    await page.getByTestId('harness-state').filter({hasText: /^(ready|failed)$/}).waitFor({timeout: 30_000});
    const harness = await page.evaluate(() => ({state: window.__harness.state, errors: window.__harness.errors, bundlePath: window.__harness.bundlePath, subsections: Object.keys(window.__harness.adminDefinition?.plugins?.subsections ?? {})}));
    assert.equal(harness.state, 'ready', `harness failed: ${harness.errors.join('\n')}`);
    assert.match(harness.bundlePath, /^\/static\/plugins\/onboarding-cockpit\/.+_bundle\.js$/);
    // registerAdminConsolePlugin added the cockpit's own System Console page.
    assert.ok(harness.subsections.length >= 1, 'registerAdminConsolePlugin added no subsection');
    const cookies = await page.context().cookies();
    assert.ok(cookies.some((c) => c.name === 'MMAUTHTOKEN'), 'no MMAUTHTOKEN cookie after login');
    assert.ok(cookies.some((c) => c.name === 'MMCSRF'), 'no MMCSRF cookie after login');
});

test('the cockpit overview shows versions read from the real server', async () => {
    await page.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 15_000});
    await page.getByRole('tab', {name: 'Overview', exact: true}).click();
    await page.getByRole('region', {name: 'Plugin', exact: true}).waitFor({timeout: 20_000});

    assert.equal((await fact('Plugin', 'Server version').textContent()).trim(), serverVersion);
    assert.equal((await fact('Plugin', 'Plugin version').textContent()).trim(), pluginVersion);
    // The test licence the Go side installed (Enterprise SKU).
    await page.getByRole('region', {name: 'License', exact: true}).waitFor();

    mkdirSync(dirname(screenshotPath), {recursive: true});
    await page.screenshot({path: screenshotPath, fullPage: true});
});

test('Refresh reloads the status without errors', async () => {
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/plugins/onboarding-cockpit/api/v1/status') && r.request().method() === 'GET');
    await page.getByRole('button', {name: 'Refresh'}).click();
    const res = await refreshed;
    assert.equal(res.status(), 200);
    const body = await res.json();
    assert.equal(body.server_version, serverVersion);
    await page.getByRole('region', {name: 'Plugin', exact: true}).waitFor();
    assert.equal((await fact('Plugin', 'Server version').textContent()).trim(), serverVersion);
    const errors = await page.evaluate(() => window.__harness.errors);
    assert.deepEqual(errors, []);
    assert.deepEqual(failedResponses, [], 'HTTP errors while the cockpit ran');
    assert.deepEqual(consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
});

test('every cockpit tab renders against the real server without HTTP or script errors', async () => {
    const tabs = page.getByRole('tablist', {name: 'Cockpit sections'}).getByRole('tab');
    const names = (await tabs.allTextContents()).map((s) => s.trim());
    assert.ok(names.length >= 1);
    for (const name of names) {
        await page.getByRole('tab', {name, exact: true}).click();
        assert.equal(await page.getByRole('tab', {name, exact: true}).getAttribute('aria-selected'), 'true');
        await page.getByRole('tabpanel').waitFor();
        await settle();
    }
    assert.deepEqual(failedResponses, [], `HTTP errors while visiting the tabs ${names.join(', ')}`);
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});
