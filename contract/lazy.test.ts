import fs from 'fs';
import path from 'path';

import {z} from 'zod';

import {lazySchema} from './lazy';

import defaultPlan from '../assets/plan/default-plan.json';

type Result = {success: boolean; data?: unknown; issues?: unknown};

/** What a caller can see of a parse: the data, or the issues (codes, paths, messages). */
function outcome(schema: z.ZodType, input: unknown): Result {
    const result = schema.safeParse(input);
    return result.success ? {success: true, data: result.data} : {success: false, issues: result.error.issues};
}

describe('lazySchema', () => {
    const build = () => z.strictObject({
        id: z.string().regex(/^[a-z]+$/, 'lower-case letters'),
        kind: z.enum(['a', 'b']),
        count: z.number().int().min(0).default(0),
        tags: z.array(z.string().max(3)).max(2).default([]),
    });
    const samples: unknown[] = [
        {id: 'abc', kind: 'a'},
        {id: 'abc', kind: 'b', count: 2, tags: ['x', 'yz']},
        {id: 'ABC', kind: 'c', count: -1.5, tags: ['long', 'x', 'y'], extra: true},
        {},
        [],
        null,
        undefined,
        'abc',
    ];

    test('builds nothing until first used, then once', () => {
        const factory = jest.fn(build);
        const schema = lazySchema(factory);
        expect(factory).not.toHaveBeenCalled();

        schema.parse({id: 'abc', kind: 'a'});
        schema.safeParse({});
        expect(schema.shape.kind.options).toEqual(['a', 'b']);
        expect(factory).toHaveBeenCalledTimes(1);
    });

    test('parses, fails and derives exactly as the schema built at once', () => {
        const eager = build();
        const lazy = lazySchema(build);
        for (const input of samples) {
            expect(outcome(lazy, input)).toEqual(outcome(eager, input));
        }

        const extended = (schema: typeof eager) => schema.extend({note: z.string()}).pick({id: true, note: true});
        const nested = (schema: typeof eager) => z.object({items: z.array(schema).min(1), main: schema.optional()});
        for (const input of [{id: 'abc', note: 'n'}, {id: 'abc'}, {id: 1, note: 'n', kind: 'a'}]) {
            expect(outcome(extended(lazySchema(build)), input)).toEqual(outcome(extended(eager), input));
        }
        for (const input of [{items: samples.slice(0, 3)}, {items: [], main: samples[0]}, {items: samples.slice(0, 2), main: samples[2]}]) {
            expect(outcome(nested(lazySchema(build)), input)).toEqual(outcome(nested(eager), input));
        }
        expect(Object.keys(lazySchema(build).shape)).toEqual(Object.keys(eager.shape));
    });

    test('is an instance of its schema class and answers `in`, before and after it is built', () => {
        expect(lazySchema(build)).toBeInstanceOf(z.ZodObject);
        expect('shape' in lazySchema(build)).toBe(true);
        const schema = lazySchema(build);
        schema.parse({id: 'abc', kind: 'a'});
        expect(schema).toBeInstanceOf(z.ZodObject);
        expect(schema).not.toBeInstanceOf(z.ZodString);
    });

    test('a schema that reads itself while being built is refused with a clear error', () => {
        const schema: z.ZodType = lazySchema(() => z.array(schema.optional()));
        expect(() => schema.parse([])).toThrow('reads itself while it is being built');
    });
});

/** The contract's modules (not the tests), to load all of them. */
function contractModules(): string[] {
    const modules: string[] = [];
    for (const dir of [__dirname, path.join(__dirname, 'endpoints')]) {
        for (const name of fs.readdirSync(dir)) {
            if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
                modules.push(path.join(dir, name));
            }
        }
    }
    return modules;
}

describe('the contract', () => {
    type Endpoints = typeof import('./endpoints');

    afterEach(() => {
        jest.dontMock('./lazy');
    });

    test('loading every module builds no schema; a route builds what it touches and not the others', () => {
        const declared: object[] = [];
        const built = new Set<object>();
        jest.doMock('./lazy', () => {
            const actual = jest.requireActual<typeof import('./lazy')>('./lazy');
            return {
                lazySchema: (schemaBuilder: () => object) => {
                    const standIn = actual.lazySchema(() => {
                        built.add(standIn);
                        return schemaBuilder();
                    });
                    declared.push(standIn);
                    return standIn;
                },
            };
        });
        let endpoints!: Endpoints;
        jest.isolateModules(() => {
            for (const module of contractModules()) {
                require(module);
            }
            endpoints = require('./endpoints');
        });
        expect(declared.length).toBeGreaterThan(250);
        expect(built.size).toBe(0);

        const plan = endpoints.PlanEndpoints.plan.answer;
        expect(plan.safeParse({}).success).toBe(false);
        expect(built.has(plan)).toBe(true);
        expect(built.has(endpoints.WaveEndpoints.wave.answer)).toBe(false);
        expect(built.size).toBeLessThan(declared.length / 4);
    });

    test('every endpoint schema parses and fails exactly as the same contract built at load', () => {
        let lazy!: Endpoints;
        let eager!: Endpoints;
        let lazyPlan!: typeof import('./plan');
        let eagerPlan!: typeof import('./plan');
        jest.isolateModules(() => {
            lazy = require('./endpoints');
            lazyPlan = require('./plan');
        });
        jest.doMock('./lazy', () => ({lazySchema: (schemaBuilder: () => object) => schemaBuilder()}));
        jest.isolateModules(() => {
            eager = require('./endpoints');
            eagerPlan = require('./plan');
        });

        const inputs: unknown[] = [undefined, null, {}, [], 'x', 0, {version: 1}, {page: '2'}];
        expect(lazy.allEndpoints.length).toBe(eager.allEndpoints.length);
        let compared = 0;
        lazy.allEndpoints.forEach((endpoint, i) => {
            const twin = eager.allEndpoints[i];
            expect(`${endpoint.method} ${endpoint.path}`).toBe(`${twin.method} ${twin.path}`);
            for (const part of ['query', 'body', 'answer'] as const) {
                const schema = endpoint[part];
                const twinSchema = twin[part];
                if (schema !== undefined && !lazy.isFileAnswer(schema) && twinSchema !== undefined && !eager.isFileAnswer(twinSchema)) {
                    for (const input of inputs) {
                        expect(outcome(schema, input)).toEqual(outcome(twinSchema, input));
                    }
                    compared++;
                }
            }
        });
        expect(compared).toBeGreaterThan(100);

        const plan = {...defaultPlan, title: '  The roll-out  '};
        expect(outcome(lazyPlan.PlanContentSchema, plan)).toEqual(outcome(eagerPlan.PlanContentSchema, plan));
        expect(outcome(lazyPlan.PlanContentSchema, plan).success).toBe(true);
        const broken = {...defaultPlan, phases: [{...defaultPlan.phases[0], id: 'Not A Slug'}]};
        expect(outcome(lazyPlan.PlanContentSchema, broken)).toEqual(outcome(eagerPlan.PlanContentSchema, broken));
        expect(outcome(lazyPlan.PlanContentSchema, broken).success).toBe(false);
    });
});
