import {ErrorIds} from 'contract/errors';
import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';

import {testApp} from '../testing/harness';
import {kvDump} from '../testing/kvDump';

// Every route of the plan, audit, readiness and config-snapshot capabilities is for system admins
// only. A body that would be valid, so a refusal can only come from the guard.
const content = defaultPlanContent();
const phaseId = content.phases[0].id;
const taskId = content.phases[0].tasks[0].id;
const order = {
    phase_order: content.phases.map((phase) => phase.id),
    task_order: Object.fromEntries(content.phases.map((phase) => [phase.id, phase.tasks.map((task) => task.id)])),
};
const snapshot = {schema_version: 1, taken_at: 0, server_version: '11.9.0', site_url: '', settings: {}};

// Every row has three elements: jest hands a handler with more parameters than the row a `done` callback.
const routes: Array<[method: string, path: string, body: unknown]> = [
    ['GET', PlanRoutes.plan, undefined],
    ['PATCH', PlanRoutes.task(taskId), {expected_version: 0, changes: {state: 'done'}}],
    ['DELETE', PlanRoutes.task(taskId), {expected_version: 0}],
    ['POST', PlanRoutes.phaseTasks(phaseId), {expected_version: 0, task: {id: 'new-task', title: 'New'}}],
    ['POST', PlanRoutes.phases, {expected_version: 0, phase: {id: 'new-phase', title: 'New', tasks: []}}],
    ['PATCH', PlanRoutes.phase(phaseId), {expected_version: 0, changes: {title: 'Renamed'}}],
    ['DELETE', PlanRoutes.phase(phaseId), {expected_version: 0}],
    ['POST', PlanRoutes.reorder, {expected_version: 0, ...order}],
    ['GET', PlanRoutes.exportPlan, undefined],
    ['POST', PlanRoutes.importPreview, {plan: content}],
    ['POST', PlanRoutes.importPlan, {plan: content}],
    ['GET', PlanRoutes.readiness, undefined],
    ['POST', PlanRoutes.readinessRun, undefined],
    ['GET', PlanRoutes.configSnapshot, undefined],
    ['POST', PlanRoutes.configCompare, {snapshot}],
    ['GET', PlanRoutes.audit, undefined],
    ['GET', `${PlanRoutes.auditExport}`, undefined],
];

function setup() {
    const harness = testApp();
    const {api} = harness;
    const team = api.addTeam('sales');
    const teamAdmin = api.addUser({username: 'lead'});
    api.addTeamMember(team.id, teamAdmin.id, 'team_user team_admin');
    return {...harness, admin: api.addSystemAdmin('admin'), member: api.addUser({username: 'member'}), teamAdmin};
}

type Who = 'anonymous' | 'member' | 'teamAdmin';
const refusals: Array<[Who, number, string]> = [
    ['anonymous', 401, ErrorIds.unauthenticated],
    ['member', 403, ErrorIds.forbidden],
    ['teamAdmin', 403, ErrorIds.forbidden],
];

describe.each(refusals)('%s', (who, status, errorId) => {
    test.each(routes)(`%s %s → ${status}, nothing stored`, async (method, path, body) => {
        const harness = setup();
        const before = kvDump(harness.api.kv);
        const userId = who === 'anonymous' ? '' : harness[who].id;
        const response = await harness.request(method, path, {userId, body});
        expect(response.status).toBe(status);
        expect(response.json.error.id).toBe(errorId);
        expect(kvDump(harness.api.kv)).toEqual(before);
    });
});

describe('system admin', () => {
    test.each(routes)('%s %s → 2xx (the same request the others were refused)', async (method, path, body) => {
        const {request, admin} = setup();
        const response = await request(method, path, {userId: admin.id, body});
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(300);
    });
});
