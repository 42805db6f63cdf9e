import type {ProbeFact} from 'contract/probes';

import {isoTime, parseBody, type RecordedAnswer} from './probe';

/** A job as GET /api/v4/jobs/type/{type} answers it (model.Job). */
export interface ServerJob {
    id: string;
    type: string;
    status: string;
    create_at: number;
    start_at: number;
    last_activity_at: number;
    data?: Record<string, unknown> | null;
}

export function jobsRequest(type: string, perPage: number) {
    return {method: 'GET', path: `/api/v4/jobs/type/${type}?page=0&per_page=${perPage}`};
}

export function jobsOf(answer: RecordedAnswer): ServerJob[] {
    const jobs = parseBody<unknown>(answer);
    return Array.isArray(jobs) ? jobs.filter((j): j is ServerJob => Boolean(j) && typeof (j as ServerJob).status === 'string') : [];
}

/** The job's status, time and whatever its data records (the server's own counts and error), as facts. */
export function jobFacts(label: string, job: ServerJob): ProbeFact[] {
    const facts: ProbeFact[] = [
        {name: `${label} status`, value: job.status},
        {name: `${label} time`, value: isoTime(job.last_activity_at || job.start_at || job.create_at)},
    ];
    for (const [key, value] of Object.entries(job.data ?? {})) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
            facts.push({name: `${label} ${key}`, value: String(value).slice(0, 300)});
        }
    }
    return facts;
}
