import {z} from 'zod';

import {lazySchema} from './lazy';
import {ExpectedVersionSchema} from './versioned';

// Hardware sizing from Mattermost's published reference architectures.
// Source: Mattermost docs, "Scale Mattermost" reference architectures
// (source/administration-guide/scale/scale-to-N-users.rst) and software/hardware requirements
// (source/deployment-guide/software-hardware-requirements.rst). Counts are CONCURRENT users;
// each tier is nodes × vCPU/GiB with the AWS instance type the docs tested.
export const SIZING_SOURCE = {
    title: 'Mattermost docs: Scale Mattermost — reference architectures',
    url: 'https://docs.mattermost.com/administration-guide/scale/scaling-for-enterprise.html',
};

export interface Tier {
    nodes: number;
    vcpu: number;
    gib: number;
    instance: string;
}

export interface ReferenceArchitecture {
    concurrent_users: number;
    app: Tier;
    db_writer: Tier;
    db_readers: Tier | null;
    search: Tier | null;
    proxy: Tier;
    redis: Tier | null;
}

const t = (nodes: number, vcpu: number, gib: number, instance: string): Tier => ({nodes, vcpu, gib, instance});
const PROXY = t(1, 16, 64, 'm7i.4xlarge');

export const REFERENCE_ARCHITECTURES: ReferenceArchitecture[] = [
    {
        concurrent_users: 200,
        app: t(1, 2, 4, 'c7i.large'),
        db_writer: t(1, 2, 16, 'db.r7g.large'),
        db_readers: null,
        search: null,
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 2000,
        app: t(2, 2, 4, 'c7i.large'),
        db_writer: t(1, 2, 16, 'db.r7g.large'),
        db_readers: t(1, 2, 16, 'db.r7g.large'),
        search: t(2, 4, 32, 'r6g.xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 15000,
        app: t(2, 4, 8, 'c7i.xlarge'),
        db_writer: t(1, 4, 32, 'db.r7g.xlarge'),
        db_readers: t(1, 4, 32, 'db.r7g.xlarge'),
        search: t(2, 4, 32, 'r6g.xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 30000,
        app: t(2, 8, 16, 'c7i.2xlarge'),
        db_writer: t(1, 8, 64, 'db.r7g.2xlarge'),
        db_readers: t(1, 8, 64, 'db.r7g.2xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 50000,
        app: t(5, 8, 16, 'c7i.2xlarge'),
        db_writer: t(1, 8, 64, 'db.r7g.2xlarge'),
        db_readers: t(4, 8, 64, 'db.r7g.2xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 80000,
        app: t(4, 16, 32, 'c7i.4xlarge'),
        db_writer: t(1, 16, 128, 'db.r7g.4xlarge'),
        db_readers: t(3, 16, 128, 'db.r7g.4xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 90000,
        app: t(5, 16, 32, 'c7i.4xlarge'),
        db_writer: t(1, 16, 128, 'db.r7g.4xlarge'),
        db_readers: t(4, 16, 128, 'db.r7g.4xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 100000,
        app: t(6, 16, 32, 'c7i.4xlarge'),
        db_writer: t(1, 16, 128, 'db.r7g.4xlarge'),
        db_readers: t(5, 16, 128, 'db.r7g.4xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: PROXY,
        redis: null,
    },
    {
        concurrent_users: 200000,
        app: t(14, 16, 32, 'c7i.4xlarge'),
        db_writer: t(1, 16, 128, 'db.r7g.4xlarge'),
        db_readers: t(6, 16, 128, 'db.r7g.4xlarge'),
        search: t(4, 8, 64, 'r6g.2xlarge.search'),
        proxy: t(4, 32, 128, 'm6in.8xlarge'),
        redis: t(1, 8, 32, 'cache.m7g.2xlarge'),
    },
];

/** Storage per user per month, in MB, and the safety factor the docs apply. */
export const STORAGE_MB_PER_USER_MONTH = {low: 5, high: 25, safety: 2};

export interface SizingAdvice {
    architecture: ReferenceArchitecture | null;

    /** True when the planned load is above the largest tested architecture. */
    beyond_tested: boolean;
    storage_gb_per_year: {low: number; high: number};

    /** Single-server guidance for small deployments (1–2,000 users). */
    single_server: {vcpu: number; gib: number} | null;
    load_test_recommended: boolean;
}

export function sizingFor(totalUsers: number, concurrentUsers: number): SizingAdvice {
    const concurrent = Math.max(0, concurrentUsers);
    const architecture = REFERENCE_ARCHITECTURES.find((a) => a.concurrent_users >= concurrent) ?? null;
    const yearly = (mb: number) => Math.round((Math.max(0, totalUsers) * mb * 12 * STORAGE_MB_PER_USER_MONTH.safety) / 1000);
    let singleServer: SizingAdvice['single_server'] = null;
    if (totalUsers <= 1000) {
        singleServer = {vcpu: 1, gib: 2};
    } else if (totalUsers <= 2000) {
        singleServer = {vcpu: 2, gib: 4};
    }
    return {
        architecture: architecture ?? REFERENCE_ARCHITECTURES[REFERENCE_ARCHITECTURES.length - 1],
        beyond_tested: architecture === null,
        storage_gb_per_year: {low: yearly(STORAGE_MB_PER_USER_MONTH.low), high: yearly(STORAGE_MB_PER_USER_MONTH.high)},
        single_server: singleServer,
        load_test_recommended: totalUsers > 2000,
    };
}

/** A reference architecture's id: the concurrent users it was tested for (each tier has its own). */
export const ArchitectureUsersSchema = lazySchema(() => z.number().int().refine(
    (users) => REFERENCE_ARCHITECTURES.some((a) => a.concurrent_users === users),
    {message: `not a reference architecture (one of ${REFERENCE_ARCHITECTURES.map((a) => a.concurrent_users).join(', ')} users)`},
));

/**
 * The plan's sizing, saved once for everything that measures against it (the sizing panel writes it;
 * the load-test verification reads it): planned users, planned concurrent users, and the reference
 * architecture chosen (null: none chosen, the recommendation for the concurrent users applies).
 */
export const SizingPlanSchema = lazySchema(() => z.strictObject({
    total_users: z.number().int().min(0).max(10_000_000),
    concurrent_users: z.number().int().min(0).max(10_000_000),
    architecture_users: ArchitectureUsersSchema.nullable(),
}));
export type SizingPlan = z.infer<typeof SizingPlanSchema>;

/** The architecture a saved sizing stands for: the one chosen, else the one recommended for its load. */
export function chosenArchitecture(sizing: SizingPlan): ReferenceArchitecture | null {
    if (sizing.architecture_users !== null) {
        return REFERENCE_ARCHITECTURES.find((a) => a.concurrent_users === sizing.architecture_users) ?? null;
    }
    return sizing.concurrent_users > 0 ? sizingFor(sizing.total_users, sizing.concurrent_users).architecture : null;
}

/** GET and PUT /api/v1/sizing: the saved sizing (null: never saved), its version, who saved it and when. */
export const SizingAnswerSchema = lazySchema(() => z.object({
    sizing: SizingPlanSchema.nullable(),
    version: z.number().int().min(0),
    updated_at: z.number().nullable(),
    updated_by: z.string().nullable(),
}));
export type SizingAnswer = z.infer<typeof SizingAnswerSchema>;

/** PUT /api/v1/sizing: compare-and-set on the version GET answered. */
export const SaveSizingSchema = lazySchema(() => z.strictObject({
    expected_version: ExpectedVersionSchema,
    sizing: SizingPlanSchema,
}));
export type SaveSizing = z.infer<typeof SaveSizingSchema>;
