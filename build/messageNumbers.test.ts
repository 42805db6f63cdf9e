import {join} from 'path';

import {messageNumbers, plainArguments} from './messageNumbers';

import en from '../webapp/src/i18n/en.json';

// Every number the webapp shows is printed by the reader's locale: a message whose plain
// argument (`{x}`) receives a number-typed value fails here until it says `{x, number}` (in en.json and, for
// the same key, in every catalogue: catalogues.test.ts keeps the argument kinds equal), and a number
// rendered bare as an element's child fails until it goes through FormattedNumber.

/**
 * Numbers that name something rather than count it, printed as they are (an HTTP status, a stored
 * version or change number, a step's ordinal): "Version 1.234" would read as a decimal in German.
 */
const identifiers: Record<string, string[]> = {
    'cockpit.branding.applied': ['version'],
    'cockpit.branding.history.kind.rollback': ['version'],
    'cockpit.branding.history.version': ['version'],
    'cockpit.branding.rollbackLabel': ['version'],
    'cockpit.branding.rolledBack': ['from', 'version'],
    'cockpit.error.server': ['status'],
    'cockpit.journey.stepTitle': ['number'],
    'cockpit.plan.evidence.loadTestRun': ['run'],
    'cockpit.plan.saveError': ['status'],
    'cockpit.plan.version': ['version'],
    'cockpit.readiness.probes.call': ['status'],
    'cockpit.readiness.promote.applied': ['seq'],
    'cockpit.readiness.promote.kindApply': ['seq'],
    'cockpit.readiness.promote.kindRollback': ['from', 'seq'],
    'cockpit.readiness.promote.notApplied': ['seq'],
    'cockpit.readiness.promote.rollback': ['seq'],
    'cockpit.survey.question': ['number'],
    'cockpit.templates.httpStatus': ['status'],
};

describe('numbers in webapp messages and elements', () => {
    test('finds plain arguments, nested ones included, and not typed ones', () => {
        expect([...plainArguments('{a} of {b, number} {c, plural, one {# {d}} other {{e}}}')].sort()).toEqual(['a', 'd', 'e']);
    });

    test('no message prints a counted number through a plain argument', () => {
        const report = messageNumbers(join(__dirname, '..', 'webapp', 'tsconfig.json'), en as Record<string, string>);

        // The scan reads the call sites (a few hundred), so an empty answer is not an empty scan.
        expect(report.resolvedSites).toBeGreaterThan(250);

        const counted = report.plainNumbers.filter(({id, argument}) => !identifiers[id]?.includes(argument));
        expect(counted).toEqual([]);

        // A site whose message cannot be told must not hand it a number unseen.
        expect(report.unresolved.filter(({numberValues}) => numberValues.length)).toEqual([]);

        // Nor is a count rendered bare as a JSX child; a CSV line number is a position, printed as it is.
        expect(report.rawNumbers.filter((site) => !(/ (problem|row)\.line$/).test(site))).toEqual([]);

        // Each identifier listed is still a plain argument given a number (the list does not outlive its messages).
        for (const [id, args] of Object.entries(identifiers)) {
            for (const argument of args) {
                const plain = report.plainNumbers.some((p) => p.id === id && p.argument === argument);
                expect({id, argument, plain}).toEqual({id, argument, plain: true});
            }
        }
    }, 120_000);
});
