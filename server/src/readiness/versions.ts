/** Compares dotted versions numerically: -1, 0 or 1. Suffixes such as "-rc1" are ignored. */
export function compareVersions(a: string, b: string): number {
    const parse = (v: string) => v.split('-')[0].split('.').map((part) => parseInt(part, 10) || 0);
    const [x, y] = [parse(a), parse(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const diff = (x[i] ?? 0) - (y[i] ?? 0);
        if (diff !== 0) {
            return diff < 0 ? -1 : 1;
        }
    }
    return 0;
}
