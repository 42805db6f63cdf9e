import {emptyTask, type Task} from 'contract/plan';

/** A plan task named `Task <id>` with the schema's defaults and the fields a test sets. */
export function taskFixture(id: string, extra: Partial<Task> = {}): Task {
    return {...emptyTask(id, `Task ${id}`), ...extra};
}
