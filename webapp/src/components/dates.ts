// Dates as machine text in the browser's time zone, for file names and form inputs. (Dates a person reads
// go through react-intl — <DateTime>, intl.formatDate — which follow the admin's locale.)

const two = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD`. */
export function localDate(time: number | Date = Date.now()): string {
    const d = new Date(time);
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** `YYYY-MM-DD` in UTC: the day the server counts evidence validity and due digests by. */
export function utcDate(time: number | Date = Date.now()): string {
    return new Date(time).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:mm`, the value of an <input type="datetime-local">. */
export function localDateTimeInput(time: number): string {
    const d = new Date(time);
    return `${localDate(d)}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
