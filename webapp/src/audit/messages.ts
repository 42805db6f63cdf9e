import {defineMessages} from 'react-intl';

export const auditMessages = defineMessages({
    tab: {id: 'cockpit.audit.tab', defaultMessage: 'Audit'},
    title: {id: 'cockpit.audit.title', defaultMessage: 'Audit log'},
    subtitle: {id: 'cockpit.audit.subtitle', defaultMessage: 'Every change made through the cockpit, newest first.'},
    loading: {id: 'cockpit.audit.loading', defaultMessage: 'Loading the audit log…'},
    empty: {id: 'cockpit.audit.empty', defaultMessage: 'Nothing has been changed through the cockpit yet.'},
    when: {id: 'cockpit.audit.when', defaultMessage: 'When'},
    who: {id: 'cockpit.audit.who', defaultMessage: 'Who'},
    action: {id: 'cockpit.audit.action', defaultMessage: 'Action'},
    target: {id: 'cockpit.audit.target', defaultMessage: 'Target'},
    change: {id: 'cockpit.audit.change', defaultMessage: 'Change'},
    previous: {id: 'cockpit.audit.previous', defaultMessage: 'Previous page'},
    next: {id: 'cockpit.audit.next', defaultMessage: 'Next page'},
    range: {id: 'cockpit.audit.range', defaultMessage: '{first, number}–{last, number} of {total, number}'},
    pagination: {id: 'cockpit.audit.pagination', defaultMessage: 'Audit log pages'},
    refresh: {id: 'cockpit.audit.refresh', defaultMessage: 'Refresh'},
    exportCsv: {id: 'cockpit.audit.exportCsv', defaultMessage: 'Export CSV'},
    exportJson: {id: 'cockpit.audit.exportJson', defaultMessage: 'Export JSON'},
    exportError: {id: 'cockpit.audit.exportError', defaultMessage: 'The export failed: {message}'},
    system: {id: 'cockpit.audit.system', defaultMessage: 'System'},
});
