// Role templates in a real browser against a real server (started by the Go test TestBrowserTemplates,
// e2e/cockpit/templates_browser_test.go, which creates the channel, passes the names below, and checks
// the result through the API afterwards):
//  1. the system admin, in the System Console's Templates tab, creates a template, grants the
//     moderation credential if needed, and proposes the template for one channel of team A;
//  2. team admin A, in the normal UI, opens the bot's proposal DM and clicks its Review button (a real
//     post action: the answer comes back as an ephemeral post), then types `/onboarding review` (the real server answers with the
//     review page's goto_location), sees current next to proposed settings, and approves the channel.
// Screenshots: ARTIFACTS_DIR/templates-console.png, templates-review.png (the diff, before deciding) and
// templates-review-decided.png. STEP=propose|review runs one of the two (the Go test runs them one after
// the other, each within its own time limit).
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {assertConsoleFormUntouched, launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserTemplates (cd e2e && go test ./cockpit -run BrowserTemplates)');

const artifacts = env('ARTIFACTS_DIR');
const templateName = env('TEMPLATE_NAME');
const teamDisplayName = env('TEAM_A_DISPLAY_NAME');
const teamName = env('TEAM_A_NAME');
const channelName = env('CHANNEL_NAME');
const channelDisplayName = env('CHANNEL_DISPLAY_NAME');
const teamAdmin = env('TEAM_ADMIN');
const password = env('PASSWORD');
const step = process.env.STEP ?? '';

/** The header the template sets: admin text that must show as text, never as markup. */
const header = 'Questions in threads <b>please</b> [rules](http://evil.example)';

/** A browser of the calling test's own (closed when it ends) on the harness page opened with `fragment`. */
async function session(fragment) {
    const s = await launchBrowser({viewport: {width: 1440, height: 1000}});
    await s.open(fragment);
    return s;
}

const started = Date.now();
const mark = (what) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

test('the system admin creates a template and proposes it for a channel of team A', {skip: step === 'review'}, async () => {
    const {page, consoleErrors, failedResponses} = await session();
    mark('console ready');
    await page.getByRole('tab', {name: 'Templates', exact: true}).click();
    const list = page.getByRole('region', {name: 'Role templates'});
    await list.waitFor({timeout: 20_000});

    // The starters ship with the plugin.
    assert.ok(await list.getByText('Starter').count() >= 1, 'starter templates are listed');

    await list.getByRole('button', {name: 'New template'}).click();
    const editor = page.getByRole('form', {name: 'New template'});
    await editor.getByRole('textbox', {name: 'Name'}).fill(templateName);
    await editor.getByRole('textbox', {name: 'Description'}).fill('Only admins start threads; everyone answers.');
    await editor.getByRole('combobox', {name: 'Create posts for Members'}).selectOption({label: 'Do not allow'});
    await editor.getByRole('combobox', {name: 'Create posts for Guests'}).selectOption({label: 'Do not allow'});
    await editor.getByRole('checkbox', {name: 'Set the channel header'}).check();
    await editor.getByRole('textbox', {name: 'Header'}).fill(header);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/templates') && r.request().method() === 'POST');
    await editor.getByRole('button', {name: 'Save template'}).click();
    assert.equal((await created).status(), 201);
    await list.getByRole('rowheader', {name: new RegExp(templateName)}).waitFor();
    mark('template created');

    // Moderation changes need the REST credential: grant it through the confirmation if it is not yet.
    const access = page.getByRole('region', {name: 'Access for channel moderation'});
    if (await access.getByRole('button', {name: 'Grant access'}).count() > 0) {
        await access.getByRole('button', {name: 'Grant access'}).click();
        const dialog = access.getByRole('alertdialog', {name: 'Grant the plugin access for channel moderation?'});
        assert.match(await dialog.textContent(), /system_user_manager role/);
        await dialog.getByRole('button', {name: 'Grant', exact: true}).click();
    }
    await access.getByText('Granted', {exact: true}).waitFor();
    mark('credential granted');

    const form = page.getByRole('form', {name: 'Propose a template'});
    await list.getByRole('button', {name: `Propose ${templateName}`}).click();
    await form.getByRole('checkbox', {name: teamDisplayName}).check();
    const channels = form.getByRole('listbox', {name: `Channels of ${teamDisplayName}`});
    await channels.getByRole('option', {name: `${channelDisplayName} (~${channelName})`}).waitFor({timeout: 20_000});
    await channels.selectOption({label: `${channelDisplayName} (~${channelName})`});
    const preview = form.getByRole('region', {name: 'Channels the team admins will be asked about'});
    assert.match(await preview.textContent(), new RegExp(`1 channel: ${channelDisplayName}`));
    await form.getByRole('textbox', {name: 'Note for the team admins'}).fill('Browser test proposal');
    const proposed = page.waitForResponse((r) => r.url().endsWith('/api/v1/templates/proposals') && r.request().method() === 'POST');
    await form.getByRole('button', {name: 'Propose', exact: true}).click();
    assert.equal((await proposed).status(), 201);
    mark('proposed');
    await assertConsoleFormUntouched(page, assert, 'saving a template and proposing it');

    // The new proposal opens with its per-channel status table.
    const detail = page.getByRole('region', {name: `Channels of ${templateName}`});
    const table = detail.getByRole('table', {name: `Channel status in ${teamDisplayName}`});
    await table.waitFor({timeout: 20_000});
    const row = table.getByRole('row').filter({has: page.getByRole('rowheader', {name: new RegExp(channelDisplayName)})});
    assert.match(await row.textContent(), /Pending/);
    await page.getByRole('progressbar', {name: `Progress of ${templateName}`}).waitFor();

    await screenshot(page, join(artifacts, 'templates-console.png'), {fullPage: true});
    assert.deepEqual(failedResponses, [], 'HTTP errors in the Templates tab');
    assert.deepEqual(consoleErrors, []);
});

test('team admin A opens the review with /onboarding review, sees the diff and approves', {skip: step === 'propose'}, async () => {
    const {page, consoleErrors, failedResponses} = await session({view: 'channels', team: teamName, user: teamAdmin, password});
    mark('channels view ready');

    // The proposal DM from the bot, as the webapp shows it; its buttons are the real server's post actions.
    const sidebar = page.getByRole('navigation', {name: 'Channels'});
    await sidebar.getByRole('link', {name: '@cockpit', exact: true}).click();
    const dm = page.getByRole('article').filter({hasText: templateName});
    await dm.waitFor({timeout: 20_000});
    for (const name of ['Approve all', 'Reject all', 'Review']) {
        await dm.getByRole('button', {name, exact: true}).waitFor();
    }
    assert.equal(await dm.getByRole('button', {name: 'Approve all'}).getAttribute('data-style'), 'primary');
    assert.equal(await dm.getByRole('button', {name: 'Reject all'}).getAttribute('data-style'), 'danger');
    const clicked = page.waitForResponse(
        (r) => (/\/api\/v4\/posts\/[a-z0-9]{26}\/actions\/review$/).test(r.url()) && r.request().method() === 'POST',
    );
    await dm.getByRole('button', {name: 'Review', exact: true}).click();
    const click = await clicked;
    assert.equal(click.status(), 200, await click.text());
    assert.ok(click.request().headers()['x-csrf-token'], 'the post action carries the CSRF header');
    const answer = page.getByRole('article').filter({hasText: 'Open the review panel:'}).last();
    await answer.waitFor({timeout: 20_000});
    assert.match(await answer.textContent(), /\(Only visible to you\)/);
    assert.match(await answer.textContent(), new RegExp(`/${teamName}/onboarding-cockpit/review`));
    await screenshot(page, join(artifacts, 'templates-dm.png'), {fullPage: true});
    mark('DM Review answered');
    await sidebar.getByRole('link', {name: 'Town Square', exact: true}).click();
    const box = page.getByRole('textbox', {name: /^Write to /});
    await box.fill('/onboarding review');
    await box.press('Enter');

    // The real server's command answer leads to the plugin's team page.
    await page.getByRole('heading', {name: 'Role template review'}).waitFor({timeout: 20_000});
    mark('review page open');
    assert.match(new URL(page.url()).pathname, new RegExp(`^/${teamName}/onboarding-cockpit/review$`));

    const proposal = page.getByRole('article', {name: templateName});
    await proposal.waitFor({timeout: 20_000});
    const channel = proposal.getByRole('region', {name: channelDisplayName});
    const diff = channel.getByRole('table', {name: `Settings of ${channelDisplayName}: now and proposed`});
    const line = (name) => diff.getByRole('row').filter({has: page.getByRole('rowheader', {name, exact: true})});
    assert.deepEqual(await line('Create posts (members)').getByRole('cell').allTextContents(), ['Allowed', 'Not allowed', 'Changes']);
    const headerCells = await line('Header').getByRole('cell').allTextContents();
    assert.equal(headerCells[1], header, 'the proposed header is shown as the text the admin typed');
    assert.equal(await diff.locator('b, a, script').count(), 0, 'admin text is never rendered as markup');

    await channel.getByRole('textbox', {name: `Comment for ${channelDisplayName}`}).fill('Looks right for our announcements');
    await screenshot(page, join(artifacts, 'templates-review.png'), {fullPage: true});
    const decided = page.waitForResponse((r) => r.url().endsWith('/decide'));
    await channel.getByRole('button', {name: `Approve ${channelDisplayName}`}).click();
    assert.equal((await decided).status(), 200);
    mark('decided');
    const result = page.getByRole('status');
    await result.waitFor({timeout: 20_000});
    await screenshot(page, join(artifacts, 'templates-review-decided.png'), {fullPage: true});

    // On failure, the channel's section says why (status and reason).
    assert.equal(await result.textContent(), `${channelDisplayName}: Applied`, await channel.textContent());
    await channel.getByText('Applied', {exact: true}).waitFor();
    assert.deepEqual(failedResponses, [], 'HTTP errors in the review panel');
    assert.deepEqual(consoleErrors, []);
});
