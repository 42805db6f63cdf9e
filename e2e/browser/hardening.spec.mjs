// Injected markup is inert in every cockpit tab. The Go test TestBrowserHardeningInjection
// (e2e/cockpit/hardening_injection_test.go) first stores hostile text through the API (a plan
// phase's and task's title and notes, a draft wave's name and welcome template) and passes:
//   HARNESS_URL      the harness page
//   HOSTILE_TITLE    the hostile task title, which the Plan tab must show as text
//   HARDENING_SCREENSHOT_DIR   where to save one screenshot per tab
// Every payload carries the attribute data-hardening and sets window.__xss if it ever runs. For each
// tab found in the tab list (so tabs added later are covered): no payload ran, no dialog opened, no
// element with data-hardening and no javascript: link exists in the page.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {openBrowser, requireEnv} from './session.mjs';

const env = requireEnv('TestBrowserHardeningInjection (cd e2e && go test ./cockpit -run BrowserHardening)');
const harnessURL = env('HARNESS_URL');
const hostileTitle = env('HOSTILE_TITLE');
const shots = env('HARDENING_SCREENSHOT_DIR', '/tmp');

let browser;
let page;
let settle;
const dialogs = [];

before(async () => {
    ({browser, page, settle} = await openBrowser());
    page.on('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
    });
});

after(async () => {
    await browser?.close();
});

async function injected() {
    return page.evaluate(() => ({
        ran: window.__xss ?? null,
        elements: document.querySelectorAll('[data-hardening]').length,
        javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
    }));
}

test('hostile text is shown as text and never runs, in every tab', async () => {
    mkdirSync(shots, {recursive: true});
    await page.goto(harnessURL);
    await page.getByTestId('harness-state').filter({hasText: /^(ready|failed)$/}).waitFor({timeout: 30_000});
    assert.equal(await page.evaluate(() => window.__harness.state), 'ready');
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
        await page.screenshot({path: join(shots, `hardening-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`)});
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
