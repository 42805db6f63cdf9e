import type {LogFields, Logger} from '../host/log';

export interface LogLine {
    level: keyof Logger;
    message: string;
    fields?: LogFields;
}

/** A Logger that keeps what it was told, so tests can assert on log output. */
export function memoryLogger(): Logger & {lines: LogLine[]} {
    const lines: LogLine[] = [];
    const at = (level: keyof Logger) => (message: string, fields?: LogFields) => {
        lines.push({level, message, fields});
    };
    return {lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error')};
}
