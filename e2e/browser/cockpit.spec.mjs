// The cockpit in a real browser (Debian Chromium driven by playwright-core), against a real
// Mattermost server through the same-origin harness page (e2e/harness). Started by the Go test
// TestBrowserCockpit, which passes:
//   HARNESS_URL             the harness page (front door = the server's SiteURL)
//   EXPECT_SERVER_VERSION   the server version the Go side read through the API
//   EXPECT_PLUGIN_VERSION   the plugin version of the installed bundle's manifest
//   SCREENSHOT_PATH         where to save the overview screenshot
//   READONLY_USER, USER_PASSWORD  a system read-only admin (no sysconsole_write_plugins)
//   HARNESS_PROFILE         the host library profile of the harness page (mm11, mm12)
//   CHROMIUM_PATH           default /usr/bin/chromium
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {assertConsoleFormUntouched, hostProfile, launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserCockpit (cd e2e && go test ./cockpit -run Browser)');

const harnessURL = env('HARNESS_URL');
const serverVersion = env('EXPECT_SERVER_VERSION');
const pluginVersion = env('EXPECT_PLUGIN_VERSION');
const screenshotPath = env('SCREENSHOT_PATH', '/tmp/cockpit-overview.png');

const {page, consoleErrors, failedResponses, settle, open} = await launchBrowser();

/** The value (dd) of a label/value row (dt) inside the region named `region`. */
function fact(region, label) {
    return page.getByRole('region', {name: region, exact: true}).
        getByRole('term').filter({hasText: new RegExp(`^${label}$`)}).
        locator('xpath=following-sibling::dd[1]');
}

test('the harness signs in and loads the real plugin bundle from the server', async () => {
    await page.goto(harnessURL);
    await page.getByTestId('harness-state').filter({hasText: /^(ready|failed)$/}).waitFor({timeout: 30_000});
    const harness = await page.evaluate(() => ({state: window.__harness.state,
        errors: window.__harness.errors,
        bundlePath: window.__harness.bundlePath,
        subsections: Object.keys(window.__harness.adminDefinition?.plugins?.subsections ?? {}),
        profile: window.__harness.profile,
        react: window.React.version,
        jsxRuntime: typeof window.ReactJSXRuntime?.jsx}));
    assert.equal(harness.profile, hostProfile, 'the harness page of the profile this run is for');
    assert.equal(
        harness.jsxRuntime,
        hostProfile === 'mm11' ? 'undefined' : 'function',
        'window.ReactJSXRuntime only where the release publishes it',
    );
    console.log(`host profile ${harness.profile}: window.React ${harness.react}`);
    assert.equal(harness.state, 'ready', `harness failed under ${hostProfile} (React ${harness.react}): ${harness.errors.join('\n')}`);
    assert.match(harness.bundlePath, /^\/static\/plugins\/onboarding-cockpit\/.+_bundle\.js$/);

    // registerAdminConsolePlugin added the cockpit's own System Console page.
    assert.ok(harness.subsections.length >= 3, 'registerAdminConsolePlugin added no subsection');
    assert.ok(
        harness.subsections.includes('plugin_management') && harness.subsections.includes('custom'),
        'the plugin reducer kept the core plugin subsections',
    );
    assert.ok(await page.evaluate(() => Boolean(window.__harness.adminDefinition.about)), 'the plugin reducer kept the other sections');
    const cookies = await page.context().cookies();
    assert.ok(cookies.some((c) => c.name === 'MMAUTHTOKEN'), 'no MMAUTHTOKEN cookie after login');
    assert.ok(cookies.some((c) => c.name === 'MMCSRF'), 'no MMCSRF cookie after login');
});

test('the cockpit is rendered inside the System Console settings form with the console\'s props', async () => {
    await page.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 15_000});

    // schema_admin_settings.tsx: div.wrapper--fixed > div.admin-console__wrapper > div.admin-console__content >
    // form.form-horizontal[role=form].
    const inForm = await page.
        getByRole('tablist', {name: 'Cockpit sections'}).
        evaluate((el) =>
            Boolean(
                el.closest(
                    'div.wrapper--fixed > div.admin-console__wrapper > div.admin-console__content > form.form-horizontal[role=form]',
                ),
            ),
        );
    assert.ok(inForm, 'the custom setting sits inside the console form');
    const props = await page.evaluate(() => window.__harness.customSettingProps);
    assert.deepEqual(props, {
        id: 'PluginSettings.Plugins.onboarding-cockpit.cockpit',
        value: undefined,
        disabled: false,
        helpTextIsElement: true,
    });
});

test('the cockpit overview shows versions read from the real server', async () => {
    await page.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 15_000});
    await page.getByRole('tab', {name: 'Overview', exact: true}).click();

    // The roll-out comes first; the versions are under the collapsed Diagnostics.
    await page.getByRole('region', {name: 'Plan progress', exact: true}).waitFor({timeout: 20_000});
    await page.getByText('Diagnostics', {exact: true}).click();
    await page.getByRole('region', {name: 'Plugin', exact: true}).waitFor({timeout: 20_000});

    assert.equal((await fact('Plugin', 'Server version').textContent()).trim(), serverVersion);
    assert.equal((await fact('Plugin', 'Plugin version').textContent()).trim(), pluginVersion);

    // The test licence the Go side installed (Enterprise SKU).
    await page.getByRole('region', {name: 'License', exact: true}).waitFor();

    await screenshot(page, screenshotPath, {fullPage: true});
});

test('Refresh reloads the status without errors', async () => {
    const refreshed = page.waitForResponse(
        (r) => r.url().endsWith('/plugins/onboarding-cockpit/api/v1/status') && r.request().method() === 'GET',
    );
    await page.getByRole('button', {name: 'Refresh', exact: true}).click();
    const res = await refreshed;
    assert.equal(res.status(), 200);
    const body = await res.json();
    assert.equal(body.server_version, serverVersion);
    await page.getByRole('region', {name: 'Plugin', exact: true}).waitFor();
    assert.equal((await fact('Plugin', 'Server version').textContent()).trim(), serverVersion);
    const errors = await page.evaluate(() => window.__harness.errors);
    assert.deepEqual(errors, []);
    assert.deepEqual(failedResponses, [], 'HTTP errors while the cockpit ran');
    assert.deepEqual(consoleErrors.filter((e) => !(/^Failed to load resource/).test(e)), []);
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
    await assertConsoleFormUntouched(page, assert, 'visiting every tab');
});

test('the registerAdminConsolePlugin page: listed in the console sidebar by its descriptor, ' +
    'rendered with disabled=isDisabled', async () => {
    failedResponses.length = 0;
    await open({view: 'console-page'});
    const sidebar = page.getByRole('navigation', {name: 'System Console'});
    const link = sidebar.getByRole('link', {name: 'Onboarding Cockpit'});
    await link.waitFor();
    assert.equal(await link.getAttribute('aria-current'), 'page');
    assert.equal(await link.getAttribute('href'), '/admin_console/plugins/onboarding_cockpit');
    await sidebar.getByRole('link', {name: 'Plugin Management'}).waitFor();
    const consolePage = page.getByTestId('console-page');
    await consolePage.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 15_000});
    assert.equal(
        await consolePage.locator('form.form-horizontal[role=form]').count(),
        0,
        'no console form around the dedicated page',
    );
    assert.deepEqual(await page.evaluate(() => window.__harness.consolePage), {
        subsection: 'onboarding_cockpit',
        url: 'plugins/onboarding_cockpit',
        isDisabled: false,
    });
    await consolePage.getByRole('tab', {name: 'Overview', exact: true}).click();
    await consolePage.getByRole('region', {name: 'Plan progress', exact: true}).waitFor({timeout: 20_000});
    await consolePage.getByText('Diagnostics', {exact: true}).click();
    await consolePage.getByRole('region', {name: 'Plugin', exact: true}).waitFor({timeout: 20_000});
    await settle();
    assert.deepEqual(failedResponses, []);
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
});

test('Site Statistics: the plugin\'s rows (Promise.all of the handlers) in div.grid-statistics', async () => {
    await open({view: 'site-statistics'});
    const grid = page.locator('div.grid-statistics');
    await grid.getByTestId('onboarding-cockpit.adoption_mau').waitFor({timeout: 20_000});
    const stats = await page.evaluate(() => window.__harness.siteStats);
    assert.deepEqual(Object.keys(stats).sort(), [
        'onboarding-cockpit.adoption_dau',
        'onboarding-cockpit.adoption_mau',
        'onboarding-cockpit.adoption_posts',
    ]);
    for (const [key, row] of Object.entries(stats)) {
        assert.ok(Number.isInteger(row.value) && row.value >= 0, `${key} value ${row.value}`);
        assert.match(row.icon, /^fa-/);
        assert.ok(row.nameIsElement, `${key} name is a FormattedMessage`);
    }
    const card = grid.getByTestId('onboarding-cockpit.adoption_mau');
    assert.match(await card.locator('.title').textContent(), /\S/);
    assert.match(await card.locator('.content').textContent(), /^\d+$/);
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
});

test('a system read-only admin gets the custom setting with disabled (no sysconsole_write_plugins)', async () => {
    await open({user: env('READONLY_USER'), password: env('USER_PASSWORD')});
    const access = await page.evaluate(() => window.__harness.consoleAccess);
    assert.ok(access.roles.includes('system_read_only_admin'), JSON.stringify(access.roles));
    assert.equal(access.canWritePlugins, false);
    const props = await page.evaluate(() => window.__harness.customSettingProps);
    assert.equal(props.disabled, true, 'disabled = !userHasWritePermissionOnResource(plugins)');
    await page.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 15_000});

    // The cockpit says it is read-only (its view-only notice) instead of offering live controls.
    await page.getByRole('status').filter({hasText: 'View only'}).first().waitFor({timeout: 15_000});
    await settle();
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
});
