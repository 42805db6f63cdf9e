
import {AuditTab} from './audit_tab';
import {auditMessages} from './messages';

import type {CockpitTab} from '../cockpit/types';

export const auditTab: CockpitTab = {
    id: 'audit',
    title: auditMessages.tab,
    Panel: AuditTab,
};
