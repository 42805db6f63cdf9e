/** The first `<prefix><n>` (n from `taken.length + 1`) not among `taken`: a new item's id, unique in its list and stable once saved. */
export function freshId(prefix: string, taken: readonly string[]): string {
    for (let n = taken.length + 1; ; n++) {
        const id = `${prefix}${n}`;
        if (!taken.includes(id)) {
            return id;
        }
    }
}
