import {PlanRoutes} from 'contract/routes';

import {defaultPlanContent} from './defaultPlan';

import {KvKeys} from '../kv/keys';
import {KvStore} from '../kv/store';
import {crashAtSideEffect} from '../testing/crashPoints';
import {testApp} from '../testing/harness';

// An import killed after any of its side effects must end, once the plugin is back (onActivate),
// with the old plan untouched and no entry, or the imported plan and exactly ONE plan.import entry.

function setup() {
    const harness = testApp();
    const admin = harness.api.addSystemAdmin('admin');
    const as = (method: string, path: string, body?: unknown) => harness.request(method, path, {userId: admin.id, body});
    const kv = new KvStore(harness.api.kv);
    const imports = () =>
        Array.from(
            {length: kv.readVersioned(KvKeys.auditHead).value?.count ?? 0},
            (_, i) => kv.readVersioned(KvKeys.auditEntry(i + 1)).value,
        ).filter((entry) => entry?.action === 'plan.import');
    return {...harness, admin, as, kv, imports};
}

function planTitled(title: string) {
    return {...defaultPlanContent(), title};
}

describe('import, killed after each side effect', () => {
    test.each([['before' as const], ['after' as const]])('crash %s each side effect: all or nothing after the restart', async (when) => {
        const seen = new Set<string>();
        for (let crashAt = 1; ; crashAt++) {
            const s = setup();
            expect((await s.as('POST', PlanRoutes.importPlan, {expected_version: 0, plan: planTitled('Earlier')})).status).toBe(200);
            const old = (await s.as('GET', PlanRoutes.plan)).json.plan;
            const crashing = crashAtSideEffect(s.api, crashAt, when);
            const answer = await s.as('POST', PlanRoutes.importPlan, {expected_version: old.version, plan: planTitled(`Crash ${crashAt}`)});
            crashing.restart();
            const done = !crashing.crashed();
            if (!done) {
                await s.app.dispatch('onActivate', '');
            }
            const now = (await s.as('GET', PlanRoutes.plan)).json.plan;
            if (now.title === 'Earlier') {
                expect(now.version).toBe(old.version);
                expect(s.imports()).toHaveLength(1);
                seen.add('old');
            } else {
                expect({title: now.title, version: now.version}).toEqual({title: `Crash ${crashAt}`, version: old.version + 1});
                const entries = s.imports();
                expect(entries).toHaveLength(2);
                expect(entries[1]).toMatchObject({
                    target: 'plan',
                    user_id: s.admin.id,
                    before: {version: old.version, title: 'Earlier'},
                    after: {version: now.version, title: `Crash ${crashAt}`},
                });
                seen.add('new');
            }

            // A second activation (or any later write) adds nothing.
            await s.app.dispatch('onActivate', '');
            expect(s.imports()).toHaveLength(now.title === 'Earlier' ? 1 : 2);
            if (done) {
                expect(answer.status).toBe(200);
                expect(crashAt).toBeGreaterThan(2);
                break;
            }
        }

        // Killed before the plan's compare-and-set, the old plan stays; after it, the import stands.
        expect([...seen].sort()).toEqual(when === 'before' ? ['new', 'old'] : ['new']);
    });

    test('GET never repairs; onActivate does, once', async () => {
        const s = setup();

        // Side effects of an import: the plan's compare-and-set, then the audit writes. Die right after the plan.
        const crashing = crashAtSideEffect(s.api, 1, 'after');
        await s.as('POST', PlanRoutes.importPlan, {expected_version: 0, plan: planTitled('Unaudited')});
        crashing.restart();
        const stored = s.kv.readVersioned(KvKeys.plan);
        expect(stored.value?.content.title).toBe('Unaudited');
        expect(s.imports()).toHaveLength(0);
        const dump = JSON.stringify(s.api.kv);
        expect((await s.as('GET', PlanRoutes.plan)).status).toBe(200);
        expect(JSON.stringify(s.api.kv)).toBe(dump);
        expect(s.imports()).toHaveLength(0);

        await s.app.dispatch('onActivate', '');
        expect(s.imports()).toHaveLength(1);
        expect(s.kv.get(KvKeys.planAudited)).toEqual({version: stored.version, at: stored.value?.last_changes?.[0]?.at});
        await s.app.dispatch('onActivate', '');
        expect(s.imports()).toHaveLength(1);
    });
});
