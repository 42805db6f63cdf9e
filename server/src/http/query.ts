/** Read access to the decoded query string (`?a=1&a=2` → getAll('a') = ['1','2']). */
export class Query {
    constructor(private readonly values: Readonly<Record<string, readonly string[]>>) {}

    /** The first value, or undefined when absent. */
    get(name: string): string | undefined {
        return this.values[name]?.[0];
    }

    getAll(name: string): readonly string[] {
        return this.values[name] ?? [];
    }
}
