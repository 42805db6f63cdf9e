import {defineMessages} from 'react-intl';

export const loadTestMessages = defineMessages({
    title: {id: 'cockpit.loadtest.title', defaultMessage: 'Load test against the sizing'},
    subtitle: {
        id: 'cockpit.loadtest.subtitle',
        defaultMessage: 'Upload the result of Mattermost’s load-test tool (mattermost-load-test-ng): the coordinator’s status JSON, the output of "ltctl loadtest status", or the comparison.json of "ltctl comparison run --format json". The load-test task is verified when the newest run supports the planned concurrent users.',
    },
    plannedTarget: {
        id: 'cockpit.loadtest.plannedTarget',
        defaultMessage: 'Measured against the plan’s sizing: {concurrent} concurrent users of {total} planned users (Plan tab, Hardware sizing).',
    },
    noSavedTarget: {
        id: 'cockpit.loadtest.noSavedTarget',
        defaultMessage: 'No sizing is saved yet: save the planned concurrent users in the Plan tab’s Hardware sizing.',
    },
    architecture: {
        id: 'cockpit.loadtest.architecture',
        defaultMessage: 'Reference architecture: up to {users} concurrent users, {nodes, number} × {vcpu, number} vCPU, {gib, number} GiB application nodes ({instance}).',
    },
    upload: {id: 'cockpit.loadtest.upload', defaultMessage: 'Upload a result file'},
    uploading: {id: 'cockpit.loadtest.uploading', defaultMessage: 'Reading the result…'},
    uploaded: {id: 'cockpit.loadtest.uploaded', defaultMessage: '{file}: {users, number} supported concurrent users.'},
    refused: {id: 'cockpit.loadtest.refused', defaultMessage: '{file} was not stored: {message}'},
    reached: {
        id: 'cockpit.loadtest.verdict.reached',
        defaultMessage: 'Verified: the newest run supported {supported, number} concurrent users; the plan needs {target, number}.',
    },
    below: {
        id: 'cockpit.loadtest.verdict.below',
        defaultMessage: 'Not enough: the newest run supported {supported, number} concurrent users, fewer than the {target, number} planned.',
    },
    noRun: {id: 'cockpit.loadtest.verdict.noRun', defaultMessage: 'No load-test result yet for {target, number} planned concurrent users.'},
    noTarget: {
        id: 'cockpit.loadtest.verdict.noTarget',
        defaultMessage: 'Save the planned concurrent users in the Plan tab’s Hardware sizing to measure a load test against them.',
    },
    historyCaption: {id: 'cockpit.loadtest.history', defaultMessage: 'Load-test runs, newest first ({count, number} in all)'},
    run: {id: 'cockpit.loadtest.column.run', defaultMessage: 'Run'},
    supported: {id: 'cockpit.loadtest.column.supported', defaultMessage: 'Supported users'},
    target: {id: 'cockpit.loadtest.column.target', defaultMessage: 'Target then'},
    period: {id: 'cockpit.loadtest.column.period', defaultMessage: 'Ran'},
    errors: {id: 'cockpit.loadtest.column.errors', defaultMessage: 'Errors'},
    file: {id: 'cockpit.loadtest.column.file', defaultMessage: 'File'},
    unknown: {id: 'cockpit.loadtest.unknown', defaultMessage: 'unknown'},
    none: {id: 'cockpit.loadtest.none', defaultMessage: 'none'},
});
