// Route paths like `/api/v1/teams/:teamId/proposals`. Segments starting with ':' capture one path
// segment. The host hands over r.URL.Path, which the server has already percent-decoded.

export interface PathPattern {
    readonly source: string;
    readonly segments: readonly string[];

    /** How many literal segments: the more, the more specific (a literal beats a parameter). */
    readonly literalCount: number;

    /** The pattern with parameter names erased, to detect two routes that would always collide. */
    readonly shape: string;
}

function splitPath(path: string): string[] {
    return path.split('/').filter((segment) => segment !== '');
}

export function compilePath(source: string): PathPattern {
    if (!source.startsWith('/')) {
        throw new Error(`route path "${source}" must start with "/"`);
    }
    const segments = splitPath(source);
    const literals = segments.filter((segment) => !segment.startsWith(':'));
    return {
        source,
        segments,
        literalCount: literals.length,
        shape: '/' + segments.map((segment) => (segment.startsWith(':') ? ':' : segment)).join('/'),
    };
}

/** The captured parameters, or undefined when the path does not match. A trailing slash is ignored. */
export function matchPath(pattern: PathPattern, path: string): Record<string, string> | undefined {
    const parts = splitPath(path);
    if (parts.length !== pattern.segments.length) {
        return undefined;
    }
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
        const segment = pattern.segments[i];
        if (segment.startsWith(':')) {
            params[segment.slice(1)] = parts[i];
        } else if (segment !== parts[i]) {
            return undefined;
        }
    }
    return params;
}
