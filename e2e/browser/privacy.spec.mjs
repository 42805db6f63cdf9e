// The personal-data panel in a real browser against the real server: the admin finds a person of a
// finished wave by username in the Waves tab, sees their account and how many cockpit records name them,
// erases them after the confirmation, and sees how many records were erased and that none names them
// now. Started by TestBrowserPrivacy (e2e/cockpit/privacy_browser_test.go), which checks the server's
// records afterwards and passes:
//   HARNESS_URL                        the harness page
//   PERSON_USERNAME, PERSON_EMAIL      the person to find
//   EXPECT_RECORDS                     how many records name them before (the server's lookup)
//   PRIVACY_SCREENSHOT_PATH            where to save the screenshot of the panel after the erasure
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {launchBrowser, requireEnv, screenshot} from './session.mjs';

const env = requireEnv('TestBrowserPrivacy (cd e2e && go test ./cockpit -run BrowserPrivacy)');

const username = env('PERSON_USERNAME');
const email = env('PERSON_EMAIL');
const expectRecords = Number(env('EXPECT_RECORDS'));
const shot = env('PRIVACY_SCREENSHOT_PATH', '/tmp/privacy.png');

const API = '/plugins/onboarding-cockpit/api/v1';

const {page, consoleErrors, failedResponses, openTab} = await launchBrowser();

/** Waits for the answer of `method path` (path relative to the plugin's API, query left out) while `act` runs it. */
async function answerOf(method, path, act) {
    const answered = page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(API + path));
    await act();
    return answered;
}

test('an admin finds a person, sees the records naming them, erases them and sees the result', async () => {
    assert.ok(expectRecords > 0, `the person should have records to erase, has ${expectRecords}`);
    await openTab('Waves');
    const panel = page.getByRole('region', {name: 'Personal data', exact: true});
    await panel.waitFor({timeout: 20_000});

    // Find: Enter in the search box, as a person would.
    const term = panel.getByLabel('Username, email or user ID', {exact: true});
    await term.fill(username);
    const found = await answerOf('GET', '/privacy/people', () => term.press('Enter'));
    assert.equal(found.status(), 200, `the lookup answered ${found.status()}`);
    await panel.getByText(`@${username} (${email})`, {exact: true}).waitFor({timeout: 10_000});
    const counts = panel.getByRole('status');
    const naming = expectRecords === 1 ? '1 cockpit record names this person.' : `${expectRecords} cockpit records name this person.`;
    await counts.filter({hasText: naming}).waitFor();

    // Erase asks first; Cancel leaves everything as it was.
    await panel.getByRole('button', {name: 'Erase this person’s cockpit data', exact: true}).click();
    const confirm = panel.getByRole('group').filter({hasText: 'Erase for good? This cannot be undone.'});
    await confirm.waitFor();
    await confirm.getByRole('button', {name: 'Cancel', exact: true}).click();
    await confirm.waitFor({state: 'detached'});
    await panel.getByRole('button', {name: 'Erase this person’s cockpit data', exact: true}).click();
    const erased = await answerOf('POST', '/privacy/erase', () => confirm.getByRole('button', {name: 'Erase', exact: true}).click());
    assert.equal(erased.status(), 200, `the erasure answered ${erased.status()}`);
    assert.equal(Object.values((await erased.json()).records).reduce((a, b) => a + b, 0), expectRecords);

    const erasedText = expectRecords === 1 ? '1 record erased.' : `${expectRecords} records erased.`;
    await counts.filter({hasText: erasedText}).waitFor({timeout: 10_000});
    await counts.filter({hasText: 'No cockpit record names this person.'}).waitFor();
    await panel.getByRole('button', {name: 'Erase this person’s cockpit data', exact: true}).waitFor({state: 'detached'});

    await screenshot(panel, shot);

    assert.deepEqual(failedResponses, [], 'HTTP errors while finding and erasing');
    assert.deepEqual(await page.evaluate(() => window.__harness.errors), []);
    assert.deepEqual(consoleErrors, []);
});
