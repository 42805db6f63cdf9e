import type {ProbeFact} from 'contract/probes';

import {isOn, parseBody, text, type ProbeDefinition, type RecordedAnswer} from './probe';

// Push notifications: does the push notification server this Mattermost server sends to
// (EmailSettings.PushNotificationServer, used only while SendPushNotifications is on) answer as a
// Mattermost push proxy? The host GETs two read-only routes of mattermost-push-proxy there
// (server/host/push_probe.go): GET /version, which answers {"version", "hash"} (server/server.go and
// internal/version/version.go of mattermost/mattermost-push-proxy), and GET /, which answers the fixed
// page "<html><body>Mattermost Push Proxy</body></html>" in every release, older ones without /version
// included. No notification is sent; nothing on the proxy changes.

/** The text of the push proxy's own root page (mattermost-push-proxy server/server.go, func root). */
export const PUSH_PROXY_PAGE_MARK = 'Mattermost Push Proxy';

const CHECKS = ['mobile.push'];

const is2xx = (answer: RecordedAnswer | undefined) => Boolean(answer && answer.status >= 200 && answer.status < 300);

/** The release and build a /version answer reports, when it is the push proxy's answer. */
function reportedVersion(answer: RecordedAnswer | undefined): {version: string; hash: string} | null {
    if (!answer || !is2xx(answer)) {
        return null;
    }
    const body = parseBody<Record<string, unknown>>(answer);
    if (!body || typeof body !== 'object' || typeof body.version !== 'string' || body.version === '') {
        return null;
    }
    return {version: body.version, hash: typeof body.hash === 'string' ? body.hash : ''};
}

function answered(answer: RecordedAnswer): string {
    if (answer.status === 0) {
        return answer.timed_out ? 'no answer in time' : `no answer (${answer.error})`;
    }
    return `${answer.status}`;
}

export const pushProbe: ProbeDefinition = {
    id: 'push',
    title: 'Push notification server',
    needsAdmin: false,
    target: 'push_proxy',
    requests: ({config}) => (isOn(config, 'EmailSettings.SendPushNotifications') && text(config, 'EmailSettings.PushNotificationServer') ?
        [{method: 'GET', path: '/version'}, {method: 'GET', path: '/'}] :
        []),
    interpret: ({config}, answers) => {
        if (!isOn(config, 'EmailSettings.SendPushNotifications')) {
            return {state: 'not_configured', summary: 'Push notifications are off.', facts: [], checks: []};
        }
        const server = text(config, 'EmailSettings.PushNotificationServer');
        if (!server || answers.length === 0) {
            const summary = 'Push notifications are on, but no push notification server is set.';
            return {state: 'not_configured', summary, facts: [], checks: []};
        }
        const [versionAnswer, pageAnswer] = answers;
        const facts: ProbeFact[] = [{name: 'push notification server', value: server}];
        const reported = reportedVersion(versionAnswer);
        const isProxyPage = is2xx(pageAnswer) && pageAnswer.body.includes(PUSH_PROXY_PAGE_MARK);
        if (reported || isProxyPage) {
            return {
                state: 'passed',
                summary: reported ?
                    `${server} answers as a Mattermost push proxy (version ${reported.version}).` :
                    `${server} answers as a Mattermost push proxy (a release that does not report its version).`,
                facts: [
                    ...facts,
                    {name: 'push proxy version', value: reported?.version ?? 'not reported'},
                    ...(reported?.hash ? [{name: 'push proxy build', value: reported.hash}] : []),
                ],
                checks: CHECKS,
            };
        }
        const answersFacts = answers.map((answer) => ({name: `GET ${answer.request.path}`, value: answered(answer)}));
        if (answers.every((answer) => answer.status === 0 && answer.timed_out)) {
            return {
                state: 'timeout',
                summary: `${server} did not answer within ${Math.round(versionAnswer.duration_ms / 1000)} s.`,
                facts: [...facts, ...answersFacts],
                checks: [],
            };
        }
        if (answers.every((answer) => answer.status === 0)) {
            return {
                state: 'failed',
                summary: `${server} does not answer: ${versionAnswer.error || pageAnswer.error}`,
                facts: [...facts, ...answersFacts],
                checks: CHECKS,
            };
        }
        return {
            state: 'failed',
            summary: `${server} answers, but not as a Mattermost push proxy.`,
            facts: [...facts, ...answersFacts],
            checks: CHECKS,
        };
    },
};
