import {defineMessages} from 'react-intl';

export const privacyMessages = defineMessages({
    title: {id: 'cockpit.privacy.title', defaultMessage: 'Personal data'},
    subtitle: {
        id: 'cockpit.privacy.subtitle',
        defaultMessage: 'Find a person and erase what the cockpit keeps of them: wave results, markers, feedback and survey answers, journey progress, plan tasks and reminders. Counts stay; the audit trail keeps the fact.',
    },
    termLabel: {id: 'cockpit.privacy.termLabel', defaultMessage: 'Username, email or user ID'},
    find: {id: 'cockpit.privacy.find', defaultMessage: 'Find'},
    account: {id: 'cockpit.privacy.account', defaultMessage: '@{username} ({email})'},
    deactivated: {id: 'cockpit.privacy.deactivated', defaultMessage: 'deactivated'},
    noAccount: {id: 'cockpit.privacy.noAccount', defaultMessage: 'No account: a person of a cohort file ({email}).'},
    deletedAccount: {id: 'cockpit.privacy.deletedAccount', defaultMessage: 'No account (deleted).'},
    records: {
        id: 'cockpit.privacy.records',
        defaultMessage: '{total, plural, =0 {No cockpit record names this person.} one {# cockpit record names this person.} other {# cockpit records name this person.}}',
    },
    erase: {id: 'cockpit.privacy.erase', defaultMessage: 'Erase this person’s cockpit data'},
    confirm: {id: 'cockpit.privacy.confirm', defaultMessage: 'Erase for good? This cannot be undone.'},
    confirmYes: {id: 'cockpit.privacy.confirmYes', defaultMessage: 'Erase'},
    cancel: {id: 'cockpit.privacy.cancel', defaultMessage: 'Cancel'},
    erased: {id: 'cockpit.privacy.erased', defaultMessage: '{total, plural, one {# record erased.} other {# records erased.}}'},
    retentionTitle: {id: 'cockpit.privacy.retentionTitle', defaultMessage: 'Retention'},
    retentionLabel: {
        id: 'cockpit.privacy.retentionLabel',
        defaultMessage: 'Remove per-user data of finished waves after (days, empty: keep)',
    },
    deactivationLabel: {
        id: 'cockpit.privacy.deactivationLabel',
        defaultMessage: 'Also erase people when the server deactivates them (always when it deletes them)',
    },
    save: {id: 'cockpit.privacy.save', defaultMessage: 'Save'},
    saved: {id: 'cockpit.privacy.saved', defaultMessage: 'Saved.'},
    waveRemoved: {id: 'cockpit.privacy.waveRemoved', defaultMessage: 'Per-user data removed on {date}, counts kept.'},
    waveRemoves: {id: 'cockpit.privacy.waveRemoves', defaultMessage: 'Per-user data will be removed on {date}.'},
});
