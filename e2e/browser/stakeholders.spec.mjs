// The stakeholder status page in a real browser against a real server (started by the Go test
// TestBrowserStakeholders, e2e/cockpit/stakeholders_test.go, with HARNESS_URL, ARTIFACTS_DIR,
// CHROMIUM_PATH, STAKEHOLDER_USER, OUTSIDER_USER, USER_PASSWORD, TEAM_NAME): the harness renders the
// component the plugin registered with registerNeedsTeamRoute('/status') as Mattermost does at
// /<team>/<plugin id>/status, signed in as a NON-admin. A listed user sees plan progress, waves and
// adoption (counts only, also as a CSV download); a user nobody listed sees the refusal. Screenshot: ARTIFACTS_DIR/stakeholders.png.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserStakeholders (cd e2e && go test ./cockpit -run BrowserStakeholders)');

const artifacts = env('ARTIFACTS_DIR');
const password = env('USER_PASSWORD');
const team = env('TEAM_NAME');

const {page, consoleErrors, failedResponses, settle, open} = await launchBrowser({viewport: {width: 1280, height: 1000}});

/** Opens the status page as `user`. */
const openStatusPageAs = (user) => open({route: 'status', team, user, password});

test('a listed stakeholder (not an admin) sees plan progress, waves and adoption, as counts only', async () => {
    await openStatusPageAs(env('STAKEHOLDER_USER'));
    await page.getByRole('heading', {name: 'Roll-out status'}).waitFor();
    const plan = page.getByRole('region', {name: 'Plan progress'});
    await plan.waitFor({timeout: 20_000});
    const overall = plan.getByRole('progressbar').first();
    assert.match(await overall.getAttribute('aria-label'), /: overall progress$/);
    assert.ok(await plan.getByRole('listitem').count() > 0, 'one row per phase');

    await page.getByRole('region', {name: 'Rollout waves'}).waitFor();
    const adoption = page.getByRole('region', {name: 'Adoption'});
    await adoption.getByText('Monthly active users', {exact: true}).first().waitFor();

    // The adoption job ran at activation: today's snapshot is plotted and in the data table.
    const day = new Date().toISOString().slice(0, 10);
    await adoption.getByRole('table', {name: 'Active users per day'}).getByRole('rowheader', {name: day}).waitFor();
    const drawn = await adoption.locator('.cockpit-chart canvas').first().evaluate((c) => c.width > 0 && c.height > 0);
    assert.ok(drawn, 'the chart canvas has a size');

    // Counts only: no email address and no user name of the signed-in user anywhere on the page.
    const text = await page.locator('#root').innerText();
    assert.doesNotMatch(text, /[\w.+-]+@[\w-]+\.[\w.]+/);
    assert.ok(!text.includes(env('STAKEHOLDER_USER')), 'the page does not show user names');

    // The page's tables as one CSV of counts: the same answer, no user name either.
    const download = page.waitForEvent('download');
    await page.getByRole('button', {name: 'Download CSV'}).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    assert.match(csv, /^"section","item","measure","value"\r\n/);
    assert.match(csv, /\r\n"adoption","","monthly_active","\d+"\r\n/);
    assert.match(csv, /\r\n"phase","[^"]+","required","\d+"\r\n/);
    assert.ok(!csv.includes(env('STAKEHOLDER_USER')), 'the CSV holds no user names');
    assert.doesNotMatch(csv, /[\w.+-]+@[\w-]+\.[\w.]+/);

    // team_controller.tsx renders the page in root.tsx's .main-wrapper grid and asks it (css prop) to take
    // grid-area center; a page that ignores that is auto-placed into a narrow cell.
    const box = await page.locator('.cockpit-stakeholders').boundingBox();
    const viewport = page.viewportSize();
    assert.ok(
        box && box.width > 0.6 * viewport.width,
        `the status page takes the center area: ${box && box.width} px of ${viewport.width}`,
    );

    // The page scrolls inside Mattermost's center area (as here): grow the window to its height for one picture.
    const height = await page.locator('.cockpit-stakeholders').evaluate((e) => e.scrollHeight);
    await page.setViewportSize({width: 1280, height: height + 40});

    // chart.js redraws after the resize (ResizeObserver): wait until the canvas holds painted pixels again.
    await page.waitForFunction(() => {
        const canvas = document.querySelector('.cockpit-stakeholders .cockpit-chart canvas');
        const {data} = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        return data.some((value, i) => i % 4 === 3 && value > 0);
    }, null, {timeout: 10_000});
    await screenshot(page, join(artifacts, 'stakeholders.png'), {fullPage: true});
    assert.deepEqual(failedResponses, [], 'HTTP errors on the status page');
    assert.deepEqual(consoleErrors, []);
});

/** The channels view as `user`, and its team menu (sidebar_team_menu.tsx) opened. */
async function openTeamMenuAs(user) {
    await open({view: 'channels', team, user, password});
    await settle();
    await page.getByRole('button', {name: /team menu$/}).click();
    return page.getByRole('menu', {name: 'Team menu'});
}

test('the team menu offers a listed stakeholder "Roll-out status", which opens the page in-app (WebappUtils.browserHistory)', async () => {
    failedResponses.length = 0;
    const menu = await openTeamMenuAs(env('STAKEHOLDER_USER'));
    const item = menu.getByRole('menuitem', {name: 'Roll-out status'});
    await item.waitFor({timeout: 10_000});
    await item.click();
    await page.getByRole('heading', {name: 'Roll-out status'}).waitFor({timeout: 20_000});
    assert.equal(new URL(page.url()).pathname, `/${team}/onboarding-cockpit/status`);
    assert.deepEqual(
        await page.evaluate(() => window.__harness.historyPushes),
        [`/${team}/onboarding-cockpit/status`],
        'pushed onto the host history, no reload',
    );
    await page.getByRole('region', {name: 'Plan progress'}).waitFor({timeout: 20_000});
    const box = await page.locator('.cockpit-stakeholders').boundingBox();
    assert.ok(box && box.width > 0.6 * page.viewportSize().width, `the status page takes the center area: ${box && box.width} px`);
    assert.deepEqual(failedResponses, []);
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
});

test('the team menu has no "Roll-out status" for a member nobody listed', async () => {
    failedResponses.length = 0;
    const menu = await openTeamMenuAs(env('OUTSIDER_USER'));
    await menu.getByRole('menuitem').first().waitFor();
    assert.equal(
        await menu.getByRole('menuitem', {name: 'Roll-out status'}).count(),
        0,
        'the entry is only for people who may see the page',
    );
});

test('a member nobody listed is told whom to ask, and sees no numbers', async () => {
    failedResponses.length = 0;
    await openStatusPageAs(env('OUTSIDER_USER'));
    const alert = page.getByRole('alert').filter({hasText: 'Not on the roll-out team list'});
    await alert.waitFor({timeout: 20_000});
    assert.equal(await page.getByRole('region', {name: 'Plan progress'}).count(), 0);
    assert.equal(await page.getByRole('progressbar').count(), 0);
    await screenshot(page, join(artifacts, 'stakeholders-refused.png'));
    assert.deepEqual(failedResponses.map((r) => r.replace(/ http.*\/plugins\/[^/]+/, ' ')), ['403 GET /api/v1/stakeholders/status']);

    // The 403 is an expected answer, not a page error; the browser logs the failed fetch itself.
    assert.deepEqual(consoleErrors.filter((e) => !(/status of 403/).test(e)), []);
});
