// A task owner who is not an admin, in a real browser against a real server (started by the Go test
// TestBrowserOwners, e2e/cockpit/owners_browser_test.go, with HARNESS_URL, OWNER_USER, USER_PASSWORD,
// TEAM_NAME, TASK_TITLE, MY_TASKS_SCREENSHOT_PATH, PLAN_TABLE_SCREENSHOT_PATH, CHROMIUM_PATH): the owner
// finds "My roll-out tasks" in the team menu, the page opens in-app at /<team>/<plugin id>/tasks
// (registerNeedsTeamRoute), they mark their task done; then the admin's Plan tab, a table for the default
// plan, filtered by that owner, shows it done, and its card opens and closes from the keyboard.
// Screenshots: MY_TASKS_SCREENSHOT_PATH, PLAN_TABLE_SCREENSHOT_PATH.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserOwners (cd e2e && go test ./cockpit -run BrowserOwners)');

const owner = env('OWNER_USER');
const password = env('USER_PASSWORD');
const team = env('TEAM_NAME');
const taskTitle = env('TASK_TITLE');
const shot = env('MY_TASKS_SCREENSHOT_PATH');
const tableShot = env('PLAN_TABLE_SCREENSHOT_PATH');

const {page, consoleErrors, failedResponses, settle, open, openTab} = await launchBrowser({viewport: {width: 1280, height: 900}});

test('an owner who is not an admin opens "My roll-out tasks" from the team menu and marks their task done', async () => {
    await open({view: 'channels', team, user: owner, password});
    await settle();
    await page.getByRole('button', {name: /team menu$/}).click();
    const item = page.getByRole('menu', {name: 'Team menu'}).getByRole('menuitem', {name: 'My roll-out tasks'});
    await item.waitFor({timeout: 10_000});
    await item.click();

    await page.getByRole('heading', {name: 'My roll-out tasks'}).waitFor({timeout: 20_000});
    assert.equal(new URL(page.url()).pathname, `/${team}/onboarding-cockpit/tasks`);
    const card = page.getByRole('region', {name: taskTitle, exact: true});
    await card.waitFor({timeout: 20_000});
    assert.equal(await page.locator('.cockpit-my-tasks').getByRole('region').count(), 1, 'the owner sees their one task only');

    const state = card.getByRole('combobox', {name: 'State'});
    assert.equal(await state.inputValue(), 'not_started');
    await state.selectOption({label: 'Done'});
    await page.getByRole('status').filter({hasText: 'Saved.'}).waitFor({timeout: 10_000});
    assert.equal(await state.inputValue(), 'done');

    // The page takes Mattermost's center area (grid-area center), not a narrow auto-placed cell.
    const box = await page.locator('.cockpit-my-tasks').boundingBox();
    assert.ok(box && box.width > 0.6 * page.viewportSize().width, `the page takes the center area: ${box && box.width} px`);
    await screenshot(page, shot, {fullPage: true});
    assert.deepEqual(failedResponses, [], 'HTTP errors on the owner\'s page');
    assert.deepEqual(consoleErrors, []);
});

test('the admin\'s plan table, filtered by the owner, shows the owner\'s task done', async () => {
    failedResponses.length = 0;
    await openTab('Plan');
    const table = page.getByRole('table', {name: 'Plan tasks'});
    await table.waitFor({timeout: 20_000});
    assert.equal(await page.getByRole('button', {name: 'Table', exact: true}).getAttribute('aria-pressed'), 'true');
    const total = await table.getByRole('rowheader').count();
    assert.ok(total > 10, `the default plan's ${total} tasks open as a table`);

    const filters = page.getByRole('group', {name: 'Filter tasks'});
    const byOwner = filters.getByRole('combobox', {name: 'Filter by owner'});

    // The owner's name appears once the host has their profile.
    const option = byOwner.locator('option', {hasText: `@${owner}`});
    await option.waitFor({state: 'attached', timeout: 10_000});
    await byOwner.selectOption({label: (await option.textContent()).trim()});
    await filters.getByRole('list', {name: 'Active filters'}).getByText(`Owner: @${owner}`).waitFor();
    await filters.getByRole('status').filter({hasText: `Showing 1 of ${total} tasks`}).waitFor();

    const title = table.getByRole('button', {name: taskTitle, exact: true});
    assert.equal(await table.getByRole('rowheader').count(), 1);
    assert.equal(await table.getByRole('combobox', {name: `State of “${taskTitle}”`}).inputValue(), 'done');

    // The keyboard opens the task's card below its row and Escape closes it.
    await title.focus();
    await page.keyboard.press('Enter');
    const card = page.getByRole('region', {name: `Card of “${taskTitle}”`});
    await card.waitFor();
    assert.equal(await card.getByRole('combobox', {name: 'State', exact: true}).inputValue(), 'done');
    await screenshot(page, tableShot);
    await page.keyboard.press('Escape');
    await card.waitFor({state: 'detached'});
    assert.equal(await title.evaluate((el) => el === document.activeElement), true, 'focus back on the row');
    assert.deepEqual(failedResponses, []);
    assert.deepEqual(consoleErrors, []);
});
