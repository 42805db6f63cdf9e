import {IntlMessageFormat} from 'intl-messageformat';

import {cockpitLocales} from 'contract/locales';

import {catalogues, type MessageId} from './messages';

// Every catalogue against the English source: the same keys, each message parses, uses the same
// arguments as the English one, and only the argument kinds the plugin's script engine formats (its
// Intl is the host's plural rules and decimal numbers: server/host/intl.go), so a translation can
// never fail or show a raw placeholder at run time.

type Element = {type: number; value?: string; style?: unknown; options?: Record<string, {value: Element[]}>};

// The AST's element types (@formatjs/icu-messageformat-parser TYPE): 0 literal, 1 argument, 2 number,
// 3 date, 4 time, 5 select, 6 plural, 7 pound, 8 tag.
const allowedTypes = new Set([0, 1, 2, 5, 6, 7]);

function argumentsOf(elements: Element[], found = new Map<string, number>()): Map<string, number> {
    for (const element of elements) {
        if (!allowedTypes.has(element.type)) {
            throw new Error(`element type ${element.type} (${element.value ?? ''}) is not formatted by the plugin's engine`);
        }
        if (element.type === 2 && element.style !== null && element.style !== undefined && element.style !== 'integer') {
            throw new Error(`number style ${JSON.stringify(element.style)} is not formatted by the plugin's engine`);
        }
        if (element.value !== undefined && element.type !== 0) {
            found.set(element.value, element.type === 1 ? 1 : element.type);
        }
        Object.values(element.options ?? {}).forEach((option) => argumentsOf(option.value, found));
    }
    return found;
}

const ast = (message: string, locale: string) => new IntlMessageFormat(message, locale).getAst() as unknown as Element[];

const english = catalogues.en as Record<MessageId, string>;
const ids = Object.keys(english) as MessageId[];

describe('the English source', () => {
    test.each(ids)('%s parses and uses only what the engine formats', (id) => {
        expect(() => argumentsOf(ast(english[id], 'en'))).not.toThrow();
    });
});

describe.each(cockpitLocales.filter((locale) => locale !== 'en'))('the %s catalogue', (locale) => {
    const catalogue = catalogues[locale];

    test('has every key of the English source and no other', () => {
        expect(Object.keys(catalogue).sort()).toEqual([...ids].sort());
    });

    test.each(ids)('%s: same arguments as English, only what the engine formats', (id) => {
        const message = catalogue[id];
        expect(typeof message).toBe('string');
        expect(message).not.toBe('');
        const own = [...argumentsOf(ast(message!, locale)).entries()].sort();
        const source = [...argumentsOf(ast(english[id], 'en')).entries()].sort();
        expect(own.map(([name]) => name)).toEqual(source.map(([name]) => name));
    });
});
