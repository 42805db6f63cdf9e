/** Structured fields are flat so the host can pass them to Mattermost's LogInfo(msg, key, value, ...). */
export type LogFields = Record<string, string | number | boolean>;

export interface Logger {
    debug(message: string, fields?: LogFields): void;
    info(message: string, fields?: LogFields): void;
    warn(message: string, fields?: LogFields): void;
    error(message: string, fields?: LogFields): void;
}

function forward(write: (...data: unknown[]) => void) {
    return (message: string, fields?: LogFields) => (fields ? write(message, fields) : write(message));
}

/** Writes to the host's `console`, which the Go host routes to the plugin log. */
export const consoleLogger: Logger = {
    debug: forward((...data) => console.debug(...data)),
    info: forward((...data) => console.info(...data)),
    warn: forward((...data) => console.warn(...data)),
    error: forward((...data) => console.error(...data)),
};
