// What every browser spec shares: reading the environment the Go test passes, starting Debian's
// Chromium with the flags this machine needs (and closing it when the spec or test ends), opening the
// harness page signed in as someone, watching the page for console errors, failed responses and
// requests in flight, and saving screenshots.
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {after} from 'node:test';

import {chromium} from 'playwright-core';

/** An environment variable the Go test sets; `hint` names the test to run when it is missing. */
export function requireEnv(hint) {
    return (name, fallback) => {
        const value = process.env[name] ?? fallback;
        if (value === undefined || value === '') {
            throw new Error(`${name} is not set: run this through the Go test ${hint}`);
        }
        return value;
    };
}

// Without the background-networking flags Chromium keeps calling home, which this closed network refuses.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Launches Chromium with one page, closed by node:test when the spec ends (called at the spec's top
 * level) or when the test that called it ends. The returned `consoleErrors` and `failedResponses`
 * collect what went wrong, so a spec can assert the page stayed clean; `settle()` waits for the
 * network to go quiet; `open()` and `openTab()` load the harness page.
 */
export async function launchBrowser({viewport = {width: 1280, height: 900}} = {}) {
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_FLAGS,
    });
    after(() => browser.close());
    const context = await browser.newContext({viewport, locale: 'en-US'});
    const page = await context.newPage();
    const consoleErrors = [];
    const failedResponses = [];
    let inFlight = 0;
    page.on('console', (msg) => {
        if (msg.type() === 'error') {
            consoleErrors.push(msg.text());
        }
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    page.on('request', () => inFlight++);
    page.on('requestfinished', () => inFlight--);
    page.on('requestfailed', () => inFlight--);
    page.on('response', (r) => {
        if (r.status() >= 400) {
            failedResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`);
        }
    });

    /** Resolves once no request has been in flight for `quietMs` (bounded by `timeoutMs`). */
    async function settle(quietMs = 300, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        let quietSince = Date.now();
        while (Date.now() < deadline) {
            if (inFlight > 0) {
                quietSince = Date.now();
            } else if (Date.now() - quietSince >= quietMs) {
                return;
            }
            // eslint-disable-next-line no-await-in-loop -- polling: one wait, then look again.
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`requests still in flight after ${timeoutMs} ms`);
    }

    /**
     * A fresh harness document (the harness reads its fragment once, so it goes through about:blank)
     * with `fragment`'s parameters, e.g. `{user, password}` to sign in as someone other than the admin,
     * `{view: 'channels'}` or `{route: 'status'}`; resolves once the cockpit is ready.
     */
    async function open(fragment = {}) {
        const hash = new URLSearchParams(fragment).toString();
        await page.goto('about:blank');
        await page.goto(hash === '' ? harnessURL() : `${harnessURL()}#${hash}`);
        await waitForCockpit(page);
    }

    /** Opens the harness (see `open`) and selects the cockpit's tab called `name`. */
    async function openTab(name, fragment = {}) {
        await open(fragment);
        await selectTab(page, name);
    }

    return {page, consoleErrors, failedResponses, settle, open, openTab};
}

/** The harness page of this run's host profile; the Go test sets it. */
function harnessURL() {
    return requireEnv('(e2e/cockpit/*_browser_test.go)')('HARNESS_URL');
}

/** Saves a screenshot of `target` (the page or a locator) at `path`, making its directory first. */
export async function screenshot(target, path, options = {}) {
    mkdirSync(dirname(path), {recursive: true});
    await target.screenshot({...options, path});
}

/** The host library profile the Go test runs this spec under (HARNESS_PROFILE: mm11, mm12, …). */
export const hostProfile = process.env.HARNESS_PROFILE || 'mm11';

/**
 * The System Console's settings form (schema_admin_settings.tsx, form.form-horizontal around the
 * custom setting) was never submitted: the cockpit's own forms must not reach its handleSubmit,
 * which in production would save the plugin config. Call after using cockpit forms in the console view.
 */
export async function assertConsoleFormUntouched(page, assert, what) {
    const {submits, log} = await page.evaluate(() => ({
        submits: window.__harness.consoleSubmits,
        log: window.__harness.consoleSubmitLog || [],
    }));
    assert.equal(
        submits,
        0,
        `${what}: the System Console's form.form-horizontal got ${submits} submit(s) from inside the cockpit (${JSON.stringify(log)})`,
    );
}

/**
 * Waits until the harness page has run the plugin's initialize (its state reads ready or failed)
 * and fails with the errors the harness collected unless it is ready.
 */
export async function waitForCockpit(page) {
    await page.getByTestId('harness-state').filter({hasText: /^(ready|failed)$/}).waitFor({timeout: 30_000});
    const {state, errors} = await page.evaluate(() => ({state: window.__harness.state, errors: window.__harness.errors}));
    if (state !== 'ready') {
        throw new Error(`the harness is ${state}: ${errors.join('\n')}`);
    }
}

/** Selects the cockpit's tab called `name` and fails unless it is then the selected one. */
export async function selectTab(page, name) {
    await page.getByRole('tablist', {name: 'Cockpit sections'}).waitFor({timeout: 20_000});
    const tab = page.getByRole('tab', {name, exact: true});
    await tab.click();
    const selected = await tab.getAttribute('aria-selected');
    if (selected !== 'true') {
        throw new Error(`the ${name} tab is not selected after a click (aria-selected=${selected})`);
    }
}

/**
 * The default plan opens as the table, which shows fewer tasks than the cards; the phases' progress bars,
 * the task badges and the evidence lists are on the cards.
 */
export async function showPlanCards(page) {
    const cards = page.getByRole('group', {name: 'View', exact: true}).getByRole('button', {name: 'Cards', exact: true});
    await cards.waitFor({timeout: 20_000});
    if (await cards.getAttribute('aria-pressed') !== 'true') {
        await cards.click();
    }
}
