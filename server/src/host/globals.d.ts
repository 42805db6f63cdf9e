// The only globals the Go host defines (see abi.ts). Nothing else exists at run time: no timers,
// no Intl, no TextEncoder — server/tsconfig.json leaves out the DOM and Node libraries so such
// uses fail to compile.

/** Calls host function `name` with a JSON array of arguments; returns the result as JSON text. Throws a HostError. */
// eslint-disable-next-line @typescript-eslint/naming-convention -- the name the Go host gives it.
declare function __host_call(name: string, argsJSON: string): string;

// Declared as an interface so it merges with the DOM/Node `Console` when the root tsconfig checks this folder.
interface Console {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    debug(...data: unknown[]): void;
}
declare var console: Console;
