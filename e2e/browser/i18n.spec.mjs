// The cockpit in the admin's language, in a real browser against the real server through the harness
// page. Started by the Go test TestBrowserI18n (e2e/cockpit/i18n_browser_test.go), which passes:
//   HARNESS_URL        the harness page (front door = the server's SiteURL)
//   LOCALES            the locales to try, in order (de,ja)
//   WAVE_NAME          a draft wave the test made, opened on the Waves tab
//   I18N_SHOT_PREFIX   screenshots go to <prefix>-<locale>-<host profile>.png
// For each locale the admin's Mattermost `locale` is set through the real REST route the web app's
// language setting uses (PUT /api/v4/users/me/patch) and the page is reloaded: the harness reads the
// user's locale as the web app does. Then no visible text of the Plan and Waves tabs may be English.
//
// What counts as English: a line of the cockpit's visible text (innerText, so hidden text is not read)
// that, once every string the page received from the server is taken out of it, (a) reads as an
// en.json message whose translation differs, (b) still contains an English word from a short list
// (function words, UI verbs, English-only month abbreviations, AM/PM), or (c) shows a raw message id.
// Strings from the server are data: the plan's phases and tasks (the default plan comes from the server,
// in English, and is the admin's content to edit), the readiness checks' titles, names of users, teams
// and waves. The server's own wording is checked by the server's catalogues, not here.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

import {parse, TYPE} from '@formatjs/icu-messageformat-parser';

import {hostProfile, launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserI18n (cd e2e && go test ./cockpit -run BrowserI18n)');

const locales = env('LOCALES', 'de,ja').split(',');
const waveName = env('WAVE_NAME');
const shotPrefix = env('I18N_SHOT_PREFIX', '/tmp/i18n');

const catalogueDir = join(process.cwd(), 'webapp', 'src', 'i18n');
const catalogue = (locale) => JSON.parse(readFileSync(join(catalogueDir, `${locale}.json`), 'utf8'));
const en = catalogue('en');

// Every string value of every JSON answer the page received: the data the cockpit shows.
const serverStrings = new Set();
const pendingBodies = [];
function collectStrings(value) {
    if (typeof value === 'string') {
        if (value.trim().length > 1) {
            serverStrings.add(value.trim());
        }
    } else if (Array.isArray(value)) {
        value.forEach(collectStrings);
    } else if (value && typeof value === 'object') {
        Object.values(value).forEach(collectStrings);
    }
}

const {page, consoleErrors, settle, open} = await launchBrowser();
page.on('response', (r) => {
    if ((r.headers()['content-type'] || '').includes('application/json')) {
        pendingBodies.push(r.json().then(collectStrings, () => undefined));
    }
});

// English words that are not also German words a translation would use.
const englishWords = [
    'the', 'and', 'of', 'to', 'is', 'are', 'with', 'for', 'from', 'this', 'that', 'not', 'yet', 'been', 'has', 'have',
    'by', 'on', 'or', 'you', 'your', 'be', 'it', 'its', 'each', 'than', 'when', 'who', 'what', 'which', 'there', 'here',
    'at', 'into', 'only', 'more', 'none', 'no', 'all',
    'Add', 'Save', 'Cancel', 'Edit', 'Remove', 'Delete', 'Search', 'Show', 'Hide', 'Loading', 'Refresh', 'Reload',
    'Download', 'Upload', 'Apply', 'Preview', 'Owner', 'Due', 'Done', 'Blocked', 'Overdue', 'Tasks', 'Task', 'Waves',
    'Wave', 'Users', 'Launch', 'Cards', 'Table', 'Not', 'No', 'New', 'State', 'Evidence', 'Notes', 'Skipped',
    'Mar', 'May', 'Oct', 'Dec', 'AM', 'PM',
];
const englishWord = new RegExp(`(?<![\\p{L}\\p{N}_-])(${englishWords.join('|')})(?![\\p{L}\\p{N}_-])`, 'u');

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A message as a pattern of its literal text, every argument, plural or select a wildcard. */
function messagePattern(message) {
    const parts = parse(message, {ignoreTag: true}).map((el) => (el.type === TYPE.literal ? escapeRegExp(el.value) : '.*?'));
    return new RegExp(`^${parts.join('')}$`, 's');
}

/** The en.json messages whose text the locale changes, as patterns (at least one word of literal text). */
function englishPatterns(translated) {
    return Object.entries(en).
        filter(([id, text]) => translated[id] !== text && (/\p{L}{3}/u).test(parse(text, {ignoreTag: true}).filter((el) => el.type === TYPE.literal).map((el) => el.value).join(''))).
        map(([id, text]) => ({id, pattern: messagePattern(text)}));
}

/**
 * Takes every server string out of a line, longest first, where it stands as whole words: an enum value
 * such as "done" must not cut a word of the translation.
 */
function withoutData(line) {
    let rest = line;
    const inLine = [...serverStrings].filter((s) => s.length >= 3 && rest.includes(s)).sort((a, b) => b.length - a.length);
    for (const s of inLine) {
        rest = rest.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`, 'gu'), ' ');
    }
    return rest;
}

/** The lines of the cockpit's visible text that read as English, with why. */
async function englishOnScreen(patterns, where) {
    await settle();
    await Promise.all(pendingBodies.splice(0));
    const text = await page.locator('.cockpit').first().innerText();
    const found = [];
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line === '') {
            continue;
        }
        const rest = withoutData(line).trim();
        const message = rest === '' ? undefined : patterns.find(({pattern}) => pattern.test(rest));
        const word = rest.match(englishWord);
        if (message) {
            found.push(`${where}: "${line}" is en.json's ${message.id}`);
        } else if (word) {
            found.push(`${where}: "${line}" has the English word "${word[1]}"`);
        } else if ((/cockpit\.[a-z]+\.[A-Za-z.]+/).test(rest)) {
            found.push(`${where}: "${line}" shows a message id`);
        }
    }
    return {found, lines: text.split('\n').filter((l) => l.trim() !== '').length};
}

async function setLocale(locale) {
    const status = await page.evaluate(async (value) => {
        const csrf = decodeURIComponent((document.cookie.match(/(?:^|;\s*)MMCSRF=([^;]+)/) || [])[1] || '');
        const r = await fetch('/api/v4/users/me/patch', {
            method: 'PUT',
            credentials: 'include',
            headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'X-Requested-With': 'XMLHttpRequest'},
            body: JSON.stringify({locale: value}),
        });
        return r.status;
    }, locale);
    assert.equal(status, 200, `PUT /api/v4/users/me/patch {locale: ${locale}}`);
}

/** The locale the harness page, opened afresh, gives the plugin. */
async function openHarness() {
    await open();
    return page.evaluate(() => ({locale: window.__harness.locale}));
}

test('the harness starts in English before the admin picks a language', async () => {
    const harness = await openHarness();
    assert.equal(harness.locale, 'en');
    await page.getByRole('tablist', {name: en['cockpit.tabs.label'], exact: true}).waitFor({timeout: 20_000});
});

/** The admin switches to `locale`; the Plan and Waves tabs show none of the cockpit's English. */
async function checkLocale(locale) {
    const t = catalogue(locale);
    const patterns = englishPatterns(t);
    await setLocale(locale);
    const harness = await openHarness();
    assert.equal(harness.locale, locale, 'the harness reads the user\'s locale as the web app does');

    const tabs = page.getByRole('tablist', {name: t['cockpit.tabs.label'], exact: true});
    await tabs.waitFor({timeout: 20_000});
    const problems = [];
    let lines = 0;
    const check = async (where) => {
        const r = await englishOnScreen(patterns, where);
        problems.push(...r.found);
        lines += r.lines;
    };

    // Plan: the table (the default plan has more than ten tasks), then the cards.
    await tabs.getByRole('tab', {name: t['cockpit.plan.tab'], exact: true}).click();
    await page.getByRole('group', {name: t['cockpit.plan.view.label'], exact: true}).waitFor({timeout: 20_000});
    await check('Plan');
    await page.getByRole('group', {name: t['cockpit.plan.view.label'], exact: true}).
        getByRole('button', {name: t['cockpit.plan.view.table'], exact: true}).click();
    await page.getByRole('grid').or(page.getByRole('table')).first().waitFor({timeout: 20_000});
    await check('Plan, table');
    const shot = `${shotPrefix}-${locale}-${hostProfile}.png`;
    await screenshot(page, shot);
    await page.getByRole('group', {name: t['cockpit.plan.view.label'], exact: true}).
        getByRole('button', {name: t['cockpit.plan.view.cards'], exact: true}).click();
    await check('Plan, cards');

    // Waves: the list, the test's draft wave in its editor, and its dry run.
    await tabs.getByRole('tab', {name: t['cockpit.waves.tab'], exact: true}).click();
    const open = page.getByRole('button', {name: waveName, exact: true});
    await open.waitFor({timeout: 20_000});
    await check('Waves');
    await open.click();
    await page.getByRole('heading', {name: waveName}).waitFor({timeout: 20_000});
    await check('Waves, editor');
    await page.getByRole('button', {name: t['cockpit.waves.dryRun'], exact: true}).click();
    await page.getByRole('table', {name: t['cockpit.waves.targetsTable'], exact: true}).waitFor({timeout: 30_000});
    await check('Waves, dry run');

    assert.ok(lines > 40, `only ${lines} lines of text read: the tabs did not render`);
    assert.deepEqual(problems, [], `English on the cockpit in ${locale}:\n${problems.join('\n')}`);
    assert.deepEqual(consoleErrors, []);
}

for (const locale of locales) {
    test(`the Plan and Waves tabs in ${locale}`, () => checkLocale(locale));
}
