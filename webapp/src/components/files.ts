// Browser file helpers: save text as a download, read a chosen file as text.

/** Offers `text` as a file download (a blob: URL on a temporary <a download>). */
export function saveTextFile(text: string, filename: string, type = 'application/json'): void {
    const url = URL.createObjectURL(new Blob([text], {type}));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The text of a file from an <input type="file">. */
export function readFileText(file: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
        reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
        reader.readAsText(file);
    });
}

/** A file name part from free text: lower-case letters, digits and dashes. */
export function fileSlug(text: string, fallback: string): string {
    const slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
    return slug || fallback;
}
