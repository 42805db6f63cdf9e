// Every form of the cockpit is a CockpitForm (components/cockpit_form.tsx): inside the System Console's
// settings form a raw `<form onSubmit>` never gets its submit in Chromium. This fails on any raw `<form`
// in the webapp's sources. Test files are left out: their raw forms stand for the console's own form.
import fs from 'fs';
import path from 'path';

const root = __dirname;
const allowed = new Set([path.join(root, 'components', 'cockpit_form.tsx')]);

function sources(dir: string): string[] {
    return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return sources(full);
        }
        return (/\.(tsx?|jsx?)$/).test(entry.name) ? [full] : [];
    });
}

const isTest = (file: string) => (/\.test\.[jt]sx?$/).test(file) || file.startsWith(path.join(root, 'test') + path.sep);

describe('no raw <form> in webapp/src', () => {
    it('finds the sources it checks', () => {
        const files = sources(root).filter((f) => !isTest(f));
        expect(files.length).toBeGreaterThan(20);
        expect(files).toContain(path.join(root, 'components', 'cockpit_form.tsx'));
    });

    it('every form is a CockpitForm', () => {
        const offenders = sources(root).
            filter((f) => !isTest(f) && !allowed.has(f)).
            flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').
                map((line, i) => ({line, at: `${path.relative(root, f)}:${i + 1}`})).
                filter(({line}) => (/<form(?![\w-])/).test(line) || (/createElement\(\s*['"]form['"]/).test(line)).
                map(({at, line}) => `${at}: ${line.trim()}`));
        expect(offenders).toEqual([]);
    });
});
