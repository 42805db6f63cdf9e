import {DAY_MS, isoTime, type ProbeDefinition} from './probe';

// Licence: days to expiry and the licensed user count against the active users, through the plugin
// API (GetLicense and the user count), so the scheduled job runs it too.
export const licenseProbe: ProbeDefinition = {
    id: 'license',
    title: 'Licence',
    needsAdmin: false,
    pluginApiCalls: ['GetLicense', 'active user count'],
    requests: () => [],
    interpret: ({license, activeUsers, now}) => {
        if (!license) {
            return {
                state: 'not_licensed',
                summary: 'The server has no licence.',
                facts: [{name: 'active users', value: String(activeUsers)}],
                checks: [],
            };
        }
        const days = Math.floor((license.expires_at - now) / DAY_MS);
        const seats = typeof license.features?.users === 'number' ? license.features.users : 0;
        const facts = [
            {name: 'expires', value: isoTime(license.expires_at)},
            {name: 'days to expiry', value: String(days)},
            {name: 'licensed users', value: seats > 0 ? String(seats) : 'not limited'},
            {name: 'active users', value: String(activeUsers)},
        ];
        const checks = ['license.present', 'license.expiry'];
        if (days < 0) {
            return {state: 'failed', summary: 'The licence has expired.', facts, checks};
        }
        if (seats > 0 && activeUsers > seats) {
            return {state: 'failed', summary: `${activeUsers} active users exceed the ${seats} licensed.`, facts, checks};
        }
        if (days < 30) {
            return {state: 'warning', summary: `The licence expires in ${days} day(s).`, facts, checks};
        }
        if (seats > 0 && activeUsers > seats * 0.9) {
            return {state: 'warning', summary: `${activeUsers} of ${seats} licensed users are active.`, facts, checks};
        }
        return {
            state: 'passed',
            summary: `The licence is valid for ${days} more days${seats > 0 ? ` with ${seats - activeUsers} seats free` : ''}.`,
            facts,
            checks,
        };
    },
};
