// A failed host call throws an Error whose name is "HostError" and which carries the server's
// AppError status, id and message. The Go host creates it, so it is NOT an instance of the class
// below; always recognise it with `isHostError`, never with `instanceof`.

export interface HostErrorShape extends Error {
    name: 'HostError';
    status_code: number;
    id: string;
}

/** The same shape, built in TypeScript: the in-memory fake throws these so tests see what the host throws. */
export class HostError extends Error implements HostErrorShape {
    override name = 'HostError' as const;

    constructor(readonly status_code: number, readonly id: string, message: string) {
        super(message);
    }
}

// Duck-typed on purpose: errors thrown by the host (or by another JS realm in tests) fail `instanceof`.
export function isHostError(error: unknown): error is HostErrorShape {
    if (typeof error !== 'object' || error === null) {
        return false;
    }
    const candidate = error as Partial<HostErrorShape>;
    return candidate.name === 'HostError' && typeof candidate.status_code === 'number' && typeof candidate.id === 'string';
}

export function isNotFound(error: unknown): boolean {
    return isHostError(error) && error.status_code === 404;
}
