import type {Task} from 'contract/plan';

/** A plan task with every field at its empty value, named `Task <id>`, and the fields a test sets. */
export function taskFixture(id: string, extra: Partial<Task> = {}): Task {
    return {
        id,
        title: `Task ${id}`,
        description: '',
        optional: false,
        roadmap: false,
        owner_id: null,
        due_date: null,
        state: 'not_started',
        skip_reason: '',
        notes: '',
        evidence: [],
        evidence_valid_days: null,
        checks: [],
        ...extra,
    };
}
