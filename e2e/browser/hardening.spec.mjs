// Injected markup is inert in every cockpit tab and on the stakeholder status page. The Go test
// TestBrowserHardeningInjection (e2e/cockpit/hardening_injection_test.go) first stores hostile text
// through the API (a plan phase's and task's title and notes, a draft and a started wave's name and
// welcome template, a role template's name and description, an adoption target's label, the brand
// texts) and passes:
//   HARNESS_URL      the harness page
//   HARDENING_PART   tabs (TestBrowserHardeningInjection) or status (TestBrowserHardeningStatusPage)
//   HOSTILE_TITLE    (tabs) the hostile task title, which the Plan tab must show as text
//   HOSTILE_WAVE, HOSTILE_TARGET   (status) a started wave's name and a target's label, which the
//                    status page must show as text
//   STAKEHOLDER_USER, USER_PASSWORD, TEAM_NAME   (status) a listed non-admin who opens the status page
//   HARDENING_SCREENSHOT_DIR   where to save one screenshot per tab
// Every payload carries the attribute data-hardening and sets window.__xss if it ever runs. For each
// tab found in the tab list (so tabs added later are covered): no payload ran, no dialog opened, no
// element with data-hardening and no javascript: link exists in the page.
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserHardeningInjection (cd e2e && go test ./cockpit -run BrowserHardening)');

// HARDENING_PART: "tabs" (the cockpit) or "status" (the status page); each Go test runs one part,
// within the 60 s its context gives a spec.
const part = env('HARDENING_PART');
const tabs = part === 'tabs';
const status = part === 'status';
const shots = env('HARDENING_SCREENSHOT_DIR', '/tmp');

const dialogs = [];
const {page, settle, open} = await launchBrowser();
page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
});

async function injected() {
    return page.evaluate(() => ({
        ran: window.__xss ?? null,
        elements: document.querySelectorAll('[data-hardening]').length,
        javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
            a.getAttribute('href').trim().toLowerCase().startsWith('javascript:'),
        ).length,
    }));
}

test('hostile text is shown as text and never runs, in every tab', {skip: !tabs}, async () => {
    const hostileTitle = env('HOSTILE_TITLE');
    await open();
    const tablist = page.getByRole('tablist', {name: 'Cockpit sections'});
    await tablist.waitFor({timeout: 20_000});
    const names = await tablist.getByRole('tab').allTextContents();
    assert.ok(names.length >= 3, `only ${names.length} tabs found`);

    const seen = [];
    for (const name of names) {
        await tablist.getByRole('tab', {name, exact: true}).click();

        // A tab that polls never goes quiet: bounded, then a moment for anything injected to run.
        // (The Go side gives the whole spec 60 s.)
        await settle(300, 4_000).catch(() => undefined);
        await page.waitForTimeout(500);
        const state = await injected();
        seen.push(`${name}: ${JSON.stringify(state)}`);
        await screenshot(page, join(shots, `hardening-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`));
        assert.equal(state.ran, null, `a payload ran in the ${name} tab (window.__xss = ${state.ran})`);
        assert.equal(state.elements, 0, `${state.elements} injected element(s) in the ${name} tab`);
        assert.equal(state.javascriptLinks, 0, `javascript: link(s) in the ${name} tab`);
        if (name === 'Plan') {
            await page.getByText(hostileTitle, {exact: false}).first().waitFor({timeout: 10_000});
        }
    }
    assert.deepEqual(dialogs, [], 'a dialog opened');
    console.log(seen.join('\n'));
});

test('hostile text is shown as text and never runs on the stakeholder status page', {skip: !status}, async () => {
    // Signed in as the listed non-admin.
    await open({route: 'status', team: env('TEAM_NAME'), user: env('STAKEHOLDER_USER'), password: env('USER_PASSWORD')});
    await page.getByRole('heading', {name: 'Roll-out status'}).waitFor({timeout: 20_000});
    const waves = page.getByRole('region', {name: 'Rollout waves'});
    await waves.waitFor({timeout: 20_000}).catch(async (error) => {
        await screenshot(page, join(shots, 'hardening-status-page.png'), {fullPage: true});
        throw new Error(`${error.message}\npage text: ${await page.locator('body').innerText()}`);
    });

    // The hostile wave name is on the page, as text (proof the payload reached this page).
    await waves.getByText(env('HOSTILE_WAVE'), {exact: false}).first().waitFor({timeout: 10_000});
    const adoption = page.getByRole('region', {name: 'Adoption'});
    await adoption.waitFor({timeout: 20_000});
    await adoption.getByText(env('HOSTILE_TARGET'), {exact: false}).first().waitFor({timeout: 10_000});
    await settle(300, 4_000).catch(() => undefined);
    await page.waitForTimeout(500);
    const state = await injected();
    await screenshot(page, join(shots, 'hardening-status-page.png'), {fullPage: true});
    assert.equal(state.ran, null, `a payload ran on the status page (window.__xss = ${state.ran})`);
    assert.equal(state.elements, 0, `${state.elements} injected element(s) on the status page`);
    assert.equal(state.javascriptLinks, 0, 'javascript: link(s) on the status page');
    assert.deepEqual(dialogs, [], 'a dialog opened');
    console.log(`status page: ${JSON.stringify(state)}`);
});
