import type {CockpitTab} from '../cockpit/types';

import {AuditTab} from './audit_tab';
import {auditMessages} from './messages';

export const auditTab: CockpitTab = {
    id: 'audit',
    title: auditMessages.tab,
    Panel: AuditTab,
};
