/**
 * The built bundle, run the way the Go host runs it: a fresh JS realm with only `__host_call`, `console`
 * and the host's two pieces of Intl, and without the built-ins goja lacks (reference/goja-host.md §1.2). The host side is the
 * in-memory fake behind a JSON boundary. Promises must be settled when a call returns, as in goja.
 */
import {mkdtempSync, readdirSync, readFileSync} from 'fs';
import {tmpdir} from 'os';
import {join} from 'path';
import vm from 'vm';

import webpack from 'webpack';

import {ErrorIds} from 'contract/errors';
import {PlanRoutes, Routes} from 'contract/routes';

import type {HookName} from './host/abi';
import {httpRequest} from './testing/harness';
import {hostCallBackedBy} from './testing/inMemory/hostCall';
import {InMemoryMattermostApi} from './testing/inMemory/inMemoryMattermostApi';

// CommonJS config, loaded as webpack's CLI loads it.
const webpackConfig = require('../webpack.config.js');

/** ES built-ins goja does not have; removed from the realm so any use fails here rather than in production. */
const missingInGoja = {
    globals: ['Intl', 'WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'Iterator'],
    statics: ['Object.groupBy', 'Map.groupBy', 'Promise.withResolvers', 'Promise.try', 'Array.fromAsync', 'Error.captureStackTrace'],
    prototypes: ['String.prototype.isWellFormed', 'String.prototype.toWellFormed', 'Set.prototype.union', 'Set.prototype.intersection'],
};

/**
 * The Intl the Go host installs (server/host/intl.go): PluralRules and NumberFormat, nothing else. The
 * realm gets Node's two, so the bundle fails here if it reaches for any other part of Intl.
 */
const hostIntl = 'globalThis.Intl = {PluralRules: Intl.PluralRules, NumberFormat: Intl.NumberFormat};';

/**
 * Host APIs and syntax that have no business in the bundle text (the realm test can only catch what runs).
 * Intl is not among them: intl-messageformat names its other parts, behind checks or in code the
 * catalogues never reach (server/src/i18n/catalogues.test.ts allows only what the host's Intl formats).
 */
const forbiddenText = ['setTimeout(', 'setInterval(', 'queueMicrotask', 'structuredClone', 'TextEncoder', 'TextDecoder',
    'for await', 'Symbol.asyncIterator', 'import(', 'fetch(', 'require('];

/**
 * zod formats that cannot work in goja: url/ipv6/cidrv6 call `new URL` (inside a try, so every value
 * would silently fail validation) and emoji builds a `\p{…}` RegExp. zod's code for them is in the
 * bundle (the `z` namespace is not tree-shaken), which is harmless as long as no schema uses them.
 */
const formatsGojaCannotRun = /\.(url|ipv6|cidrv6|emoji)\(/;

function sourcesValidatedOnTheServer(): string[] {
    const root = join(__dirname, '..', '..');
    return [join(root, 'server', 'src'), join(root, 'contract')].flatMap((dir) =>
        (readdirSync(dir, {recursive: true}) as string[]).
            filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).
            map((file) => join(dir, file)),
    );
}

function buildBundle(): Promise<string> {
    const outputPath = mkdtempSync(join(tmpdir(), 'cockpit-bundle-'));

    // tsc already type-checks the sources; transpiling only keeps this test fast.
    const rules = webpackConfig.module.rules.map((rule: {options?: object}) => ({
        ...rule,
        options: {...rule.options, transpileOnly: true},
    }));
    const config = {...webpackConfig, module: {...webpackConfig.module, rules}, output: {...webpackConfig.output, path: outputPath}};
    return new Promise((resolve, reject) => {
        webpack(config, (error, stats) => {
            if (error || !stats || stats.hasErrors()) {
                reject(error ?? new Error(stats?.toString('errors-only')));
                return;
            }
            resolve(readFileSync(join(outputPath, webpackConfig.output.filename), 'utf8'));
        });
    });
}

interface Settled {
    state: 'pending' | 'fulfilled' | 'rejected';
    value?: string;
    error?: string;
}

function gojaLikeRealm(bundle: string, api: InMemoryMattermostApi, logs: string[]) {
    const log = (level: string) => (...data: unknown[]) => logs.push(`${level} ${data.map((d) => JSON.stringify(d)).join(' ')}`);

    // 'afterEvaluate' drains the realm's promise jobs when each evaluation returns, as goja does when a call returns.
    const context = vm.createContext(
        {
            __host_call: hostCallBackedBy(api),
            console: {log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug')},
        },
        {microtaskMode: 'afterEvaluate'},
    );
    vm.runInContext(
        [
            hostIntl,
            ...missingInGoja.globals.filter((name) => name !== 'Intl').map((name) => `delete globalThis.${name};`),
            ...[...missingInGoja.statics, ...missingInGoja.prototypes].map((path) => `delete ${path};`),
        ].join('\n'),
        context,
    );
    vm.runInContext(bundle, context, {filename: 'plugin.js'});

    return function dispatch(hook: HookName, argument: unknown): Settled {
        context.__hook = hook;
        context.__argument = typeof argument === 'string' ? argument : JSON.stringify(argument);
        vm.runInContext(
            `var __settled = {state: 'pending'};
             __plugin.dispatch(__hook, __argument).then(
                 function (value) { __settled = {state: 'fulfilled', value: value}; },
                 function (error) { __settled = {state: 'rejected', error: String(error)}; });`,
            context,
        );
        return context.__settled as Settled;
    };
}

describe('the bundle in a goja-like realm', () => {
    let bundle: string;
    beforeAll(async () => {
        bundle = await buildBundle();
    }, 120_000);

    function setup() {
        const api = new InMemoryMattermostApi();
        const logs: string[] = [];
        const dispatch = gojaLikeRealm(bundle, api, logs);
        const admin = api.addSystemAdmin('admin');
        const member = api.addUser({username: 'member'});
        const serve = (method: string, path: string, userId: string, body?: unknown, query?: Record<string, string[]>) => {
            const settled = dispatch('serveHTTP', httpRequest(method, path, {userId, body, query}));
            expect(settled.state).toBe('fulfilled');
            const response = JSON.parse(settled.value ?? 'null');
            const isJson = (response.headers?.['Content-Type'] ?? 'application/json').startsWith('application/json');
            return {...response, json: response.body && isJson ? JSON.parse(response.body) : undefined};
        };
        return {api, logs, dispatch, serve, admin, member};
    }

    test("the realm really lacks timers, and has only the host's Intl; the bundle defines __plugin", () => {
        const context = vm.createContext({});
        vm.runInContext(hostIntl, context);
        expect(
            vm.runInContext(
                '[typeof setTimeout, Object.keys(Intl), typeof TextEncoder, typeof structuredClone, typeof URL].join()',
                context,
            ),
        ).toBe('undefined,PluralRules,NumberFormat,undefined,undefined,undefined');
        expect(bundle.startsWith('var __plugin;')).toBe(true);
    });

    test('the bundle text uses none of the forbidden host APIs', () => {
        const code = bundle.split('\n//# sourceMappingURL=')[0];
        expect(forbiddenText.filter((token) => code.includes(token))).toEqual([]);
    });

    test('no schema validated on the server uses a zod format goja cannot run', () => {
        const offenders = sourcesValidatedOnTheServer().filter((file) => formatsGojaCannotRun.test(readFileSync(file, 'utf8')));
        expect(offenders).toEqual([]);
    });

    test('onActivate ensures the bot and stores its id (through zod-validated KV)', () => {
        const {api, dispatch, logs} = setup();
        expect(dispatch('onActivate', null)).toEqual({state: 'fulfilled', value: 'null'});
        const bot = api.users.getByUsername('cockpit');
        expect(api.kv.get('bot:user_id')).toBe(JSON.stringify(bot.id));
        expect(logs.some((line) => line.startsWith('info "Cockpit bot ready"'))).toBe(true);
    });

    test('ping, status, and the error answers', () => {
        const {api, serve, admin, member} = setup();
        api.license = {
            id: 'l',
            issued_at: 0,
            starts_at: 0,
            expires_at: 5,
            sku_name: 'Enterprise',
            sku_short_name: 'enterprise',
            is_trial: false,
            features: {users: 100},
        };

        expect(serve('GET', Routes.ping, member.id)).toMatchObject({status: 200, body: '{"ok":true}'});
        expect(serve('GET', Routes.status, admin.id).json.license).toEqual({
            licensed: true,
            sku: 'enterprise',
            is_trial: false,
            expires_at: 5,
            users: 100,
        });
        expect(serve('GET', Routes.status, member.id)).toMatchObject({status: 403, json: {error: {id: ErrorIds.forbidden}}});
        expect(serve('GET', Routes.ping, '')).toMatchObject({status: 401, json: {error: {id: ErrorIds.unauthenticated}}});
        expect(serve('GET', '/api/v1/nowhere', member.id)).toMatchObject({status: 404, json: {error: {id: ErrorIds.notFound}}});
        expect(serve('POST', Routes.ping, member.id)).toMatchObject({status: 405, headers: {Allow: 'GET'}});
    });

    test('a host error inside a handler becomes a logged 500, and the promise still settles', () => {
        const {api, serve, admin, logs} = setup();
        api.system.getServerVersion = () => {
            throw Object.assign(new Error('rpc broke'), {name: 'HostError', status_code: 500, id: 'plugin.rpc'});
        };
        expect(serve('GET', Routes.status, admin.id)).toMatchObject({status: 500, json: {error: {id: ErrorIds.internal}}});
        expect(logs.some((line) => line.includes('rpc broke'))).toBe(true);
    });

    test('the plan: default at version 0 without a write, an edit, its audit entry, and the export files', () => {
        const {api, serve, admin, member} = setup();
        const plan = serve('GET', PlanRoutes.plan, admin.id);
        expect(plan.status).toBe(200);
        expect(plan.json.plan.version).toBe(0);
        expect(plan.json.plan.phases.length).toBeGreaterThan(5);
        expect(api.kv.listKeys(0, 100)).toEqual([]);
        expect(serve('GET', PlanRoutes.plan, member.id).status).toBe(403);

        const taskId = plan.json.plan.phases[0].tasks[0].id;
        const edited = serve('PATCH', PlanRoutes.task(taskId), admin.id, {expected_version: 0, changes: {state: 'done'}});
        expect(edited.status).toBe(200);
        expect(edited.json.plan).toMatchObject({version: 1, updated_by: admin.id});
        expect(edited.json.plan.updated_at).toBeGreaterThan(0);
        expect(serve('PATCH', PlanRoutes.task(taskId), admin.id, {expected_version: 0, changes: {state: 'blocked'}}).status).toBe(409);

        const audit = serve('GET', PlanRoutes.audit, admin.id);
        expect(audit.json).toMatchObject({
            total: 1,
            entries: [{action: 'plan.task.update', before: {state: 'not_started'}, after: {state: 'done'}}],
        });
        const csv = serve('GET', PlanRoutes.auditExport, admin.id, undefined, {format: ['csv']});
        expect(csv.headers['Content-Disposition']).toMatch(/^attachment; filename="cockpit-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
        expect(csv.body.split('\r\n')[1]).toMatch(/^"1","\d{4}-\d{2}-\d{2}T[\d:.]+Z",".+","admin","plan.task.update"/);
        const exported = serve('GET', PlanRoutes.exportPlan, admin.id);
        expect(exported.json.phases[0].tasks[0].state).toBe('done');
    });

    test('readiness (GET computes without writing, run caches) and the config snapshot', () => {
        const {api, serve, admin} = setup();
        api.serverConfig = {ServiceSettings: {SiteURL: 'https://chat.example'}, EmailSettings: {SMTPPassword: 'hunter2'}};
        const report = serve('GET', PlanRoutes.readiness, admin.id);
        expect(report.status).toBe(200);
        expect(report.json.results.length).toBeGreaterThanOrEqual(30);
        expect(api.kv.listKeys(0, 100)).toEqual([]);
        expect(serve('POST', PlanRoutes.readinessRun, admin.id).status).toBe(200);
        expect(api.kv.listKeys(0, 100)).toContain('readiness:report');

        const snapshot = serve('GET', PlanRoutes.configSnapshot, admin.id);
        expect(snapshot.json.settings).toMatchObject({'EmailSettings.SMTPPassword': '********'});

        // Environment-specific: never in a snapshot.
        expect(snapshot.json.settings).not.toHaveProperty(['ServiceSettings.SiteURL']);
        expect(snapshot.body).not.toContain('hunter2');
    });

    test('onActivate schedules the readiness job, and runJob refreshes the report', () => {
        const {api, dispatch} = setup();
        expect(dispatch('onActivate', null).state).toBe('fulfilled');
        expect(api.scheduledJobs.get('readiness.refresh')).toBe(900);
        expect(dispatch('runJob', {jobId: 'readiness.refresh'})).toEqual({state: 'fulfilled', value: 'null'});
        expect(api.kv.get('readiness:report')).toContain('"score"');
    });
});
