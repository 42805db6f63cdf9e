// Every message the webapp defines (id + defaultMessage in source) is in en.json with the same text, and
// en.json holds nothing else.
import {readdirSync, readFileSync, statSync} from 'fs';
import {join} from 'path';

import en from './en.json';

const srcDir = join(__dirname, '..');

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return name === 'test' ? [] : sources(path);
        }
        return (/\.tsx?$/).test(name) && !(/\.test\.tsx?$/).test(name) ? [path] : [];
    });
}

function definedMessages(): Record<string, string> {
    const found: Record<string, string> = {};
    for (const file of sources(srcDir)) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/id: '(cockpit\.[^']+)',\s*defaultMessage: '((?:[^'\\]|\\.)*)'/g)) {
            expect(found[m[1]] === undefined || found[m[1]] === m[2]).toBe(true);
            found[m[1]] = m[2];
        }
    }
    return found;
}

describe('i18n/en.json', () => {
    it('matches the messages defined in source', () => {
        const defined = definedMessages();
        expect(Object.keys(defined).length).toBeGreaterThan(30);
        expect(en).toEqual(defined);
    });
});
