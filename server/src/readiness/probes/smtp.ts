import {failedCall, text, type ProbeDefinition} from './probe';

// SMTP: the server's own test (POST /api/v4/email/test with no body, so the server uses its saved
// settings, saved password included). Like System Console > SMTP > "Test Connection", the server
// sends one test message to the requesting admin's own address and to nobody else.
export const smtpProbe: ProbeDefinition = {
    id: 'smtp',
    title: 'SMTP connection',
    needsAdmin: true,
    requests: ({config}) => (text(config, 'EmailSettings.SMTPServer') ? [{method: 'POST', path: '/api/v4/email/test'}] : []),
    interpret: ({config}, answers) => {
        const server = `${text(config, 'EmailSettings.SMTPServer')}:${text(config, 'EmailSettings.SMTPPort')}`;
        if (answers.length === 0) {
            return {state: 'not_configured', summary: 'No SMTP server is set.', facts: [], checks: []};
        }
        const facts = [
            {name: 'SMTP server', value: server},
            {name: 'connection security', value: text(config, 'EmailSettings.ConnectionSecurity') || 'none'},
        ];
        const refused = failedCall(answers[0], `The SMTP test through ${server}`, ['email.smtp']);
        if (refused) {
            return {...refused, facts: [...facts, ...refused.facts]};
        }
        return {
            state: 'passed',
            summary: `${server} accepted a test message (sent to the requesting admin's own address).`,
            facts,
            checks: ['email.smtp'],
        };
    },
};
