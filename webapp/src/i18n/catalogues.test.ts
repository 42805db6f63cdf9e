// Every catalogue file in this folder is listed in the index and carries exactly en.json's keys, each message
// with the same arguments (names and kinds: plain, number, date, time, select with the same options,
// plural with the language's own categories) and the same rich-text tags. A catalogue added later as
// <locale>.json is checked without touching this test.
import {readdirSync, readFileSync} from 'fs';
import {join} from 'path';

import {parse, TYPE, type MessageFormatElement} from '@formatjs/icu-messageformat-parser';

import {catalogues, sourceLocale, translationsFor} from './catalogues';
import en from './en.json';

const files = readdirSync(__dirname).filter((name) => name.endsWith('.json')).sort();
const fileCatalogues = Object.fromEntries(files.map((name) => [
    name.slice(0, -'.json'.length),
    JSON.parse(readFileSync(join(__dirname, name), 'utf8')) as Record<string, unknown>,
]));
const translated = Object.keys(fileCatalogues).filter((locale) => locale !== sourceLocale);

/** What a message asks of its caller and its translator: `name:kind` of every argument and tag, nested ones included. */
export function signature(message: string, locale: string): string[] {
    const found = new Set<string>();
    const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    const walk = (elements: MessageFormatElement[]) => {
        for (const el of elements) {
            switch (el.type) {
            case TYPE.argument:
                found.add(`${el.value}:plain`);
                break;
            case TYPE.number:
            case TYPE.date:
            case TYPE.time:
                found.add(`${el.value}:${TYPE[el.type]}`);
                break;
            case TYPE.select:
                found.add(`${el.value}:select(${Object.keys(el.options).sort().join('|')})`);
                Object.values(el.options).forEach((option) => walk(option.value));
                break;
            case TYPE.plural: {
                // Exact matches (=0) are the translator's choice; every other key must be a category of the language.
                const keys = Object.keys(el.options).filter((key) => !key.startsWith('='));
                const foreign = keys.filter((key) => !categories.has(key));
                const kind = el.pluralType === 'ordinal' ? 'selectordinal' : 'plural';
                const lacks = foreign.length ? ` with categories ${locale} lacks: ${foreign.join(',')}` : '';
                found.add(`${el.value}:${kind}${lacks}${keys.includes('other') ? '' : ' without other'}`);
                Object.values(el.options).forEach((option) => walk(option.value));
                break;
            }
            case TYPE.tag:
                found.add(`<${el.value}>:tag`);
                walk(el.children);
                break;
            default:
                break;
            }
        }
    };
    walk(parse(message));
    return [...found].sort();
}

describe('i18n catalogues', () => {
    it('lists every catalogue file of this folder in the index, English as the source', () => {
        expect(Object.keys(catalogues).sort()).toEqual(Object.keys(fileCatalogues).sort());
        expect(catalogues[sourceLocale]).toBe(en);
        expect(translated.length).toBeGreaterThanOrEqual(2);
    });

    it('tells a number argument from a plain one, so a translation cannot drop the locale\'s number format', () => {
        expect(signature('{n, number} users', 'en')).toEqual(['n:number']);
        expect(signature('{n} Nutzer', 'de')).toEqual(['n:plain']);
        expect(signature('{n, number, ::percent}', 'de')).toEqual(['n:number']);
    });

    it('parses every English message', () => {
        const unparsable = Object.entries(en).filter(([, message]) => {
            try {
                signature(message, sourceLocale);
                return false;
            } catch {
                return true;
            }
        });
        expect(unparsable).toEqual([]);
    });

    describe.each(translated)('%s', (locale) => {
        const catalogue = fileCatalogues[locale];

        it('has every key of en.json and no other', () => {
            const missing = Object.keys(en).filter((id) => !Object.prototype.hasOwnProperty.call(catalogue, id));
            const extra = Object.keys(catalogue).filter((id) => !Object.prototype.hasOwnProperty.call(en, id));
            expect({missing, extra}).toEqual({missing: [], extra: []});
        });

        it('keeps every message\'s arguments, select options and tags, with the language\'s plural categories', () => {
            const wrong: Array<{id: string; en: string[]; [locale: string]: string[] | string}> = [];
            for (const [id, source] of Object.entries(en)) {
                const message = catalogue[id];
                if (typeof message !== 'string' || message.trim() === '') {
                    wrong.push({id, en: signature(source, 'en'), [locale]: 'not a text'});
                    continue;
                }
                let theirs: string[] | string;
                try {
                    theirs = signature(message, locale);
                } catch (err) {
                    theirs = `does not parse: ${String(err)}`;
                }
                const ours = signature(source, sourceLocale);
                if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
                    wrong.push({id, en: ours, [locale]: theirs});
                }
            }
            expect(wrong).toEqual([]);
        });

        it('is translated: at most a tenth of its messages read exactly as in English', () => {
            const same = Object.entries(en).filter(([id, source]) => catalogue[id] === source).map(([id]) => id);
            expect(same.length).toBeLessThanOrEqual(Object.keys(en).length / 10);
        });

        it('is what the web app gets for the locale, over English', () => {
            const messages = translationsFor(locale);
            expect(Object.keys(messages).length).toBe(Object.keys(en).length);
            expect(messages['cockpit.admin.sidebarTitle']).toBe(catalogue['cockpit.admin.sidebarTitle']);
        });
    });

    it('gives English for a locale without a catalogue and for English itself', () => {
        expect(translationsFor('sv')).toBe(en);
        expect(translationsFor(sourceLocale)).toBe(en);
        expect(translationsFor('')).toBe(en);
    });
});
