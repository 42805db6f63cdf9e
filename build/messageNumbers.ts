import {dirname, join, relative} from 'path';

import {parse, TYPE, type MessageFormatElement} from '@formatjs/icu-messageformat-parser';
import ts from 'typescript';

// Which webapp messages print a number through a plain `{x}` argument. A plain argument prints the number
// as String(x) ("2150") whatever the reader's language; `{x, number}` prints it the locale's way ("2,150",
// "2.150"). The call sites are read with the TypeScript checker: every `formatMessage(descriptor, values)`
// and `<FormattedMessage {...descriptor} values={...}/>` whose descriptor resolves to a catalogue id, each
// value's type taken from the checker. Numbers rendered bare as JSX children are listed too (rawNumbers).

export interface PlainNumber {id: string; argument: string; where: string}
export interface Unresolved {where: string; numberValues: string[]}
export interface MessageNumbersReport {
    /** A number given to a plain argument: the message should say `{argument, number}`. */
    plainNumbers: PlainNumber[];

    /** Call sites whose descriptor did not resolve to an id, with the values that are numbers. */
    unresolved: Unresolved[];

    /** How many call sites resolved to at least one id (so an empty plainNumbers is not an empty scan). */
    resolvedSites: number;

    /** A number rendered as a JSX child (`<td>{count}</td>`): printed as String(count), not the locale's way. */
    rawNumbers: string[];
}

/** The names of a message's plain arguments (`{x}`), nested ones in plural/select options included. */
export function plainArguments(message: string): Set<string> {
    const names = new Set<string>();
    const walk = (elements: MessageFormatElement[]) => {
        for (const el of elements) {
            if (el.type === TYPE.argument) {
                names.add(el.value);
            } else if (el.type === TYPE.select || el.type === TYPE.plural) {
                Object.values(el.options).forEach((option) => walk(option.value));
            } else if (el.type === TYPE.tag) {
                walk(el.children);
            }
        }
    };
    walk(parse(message));
    return names;
}

function isNumberType(type: ts.Type): boolean {
    const parts = type.isUnion() ? type.types : [type];
    const present = parts.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    return present.length > 0 && present.every((t) => (t.flags & ts.TypeFlags.NumberLike) !== 0);
}

function unwrap(expr: ts.Expression): ts.Expression {
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
        e = e.expression;
    }
    return e;
}

/** The declaration a name stands for, through imports. */
function declarationOf(expr: ts.Expression, checker: ts.TypeChecker): ts.Declaration | undefined {
    let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(expr) ? expr.name : expr);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
        symbol = checker.getAliasedSymbol(symbol);
    }
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (declaration && ts.isShorthandPropertyAssignment(declaration)) {
        return checker.getShorthandAssignmentValueSymbol(declaration)?.valueDeclaration;
    }
    return declaration;
}

/** The expressions a function can return (an arrow's body, or its return statements). */
function returnedExpressions(declaration: ts.Declaration): ts.Expression[] {
    const fn = ts.isVariableDeclaration(declaration) ? declaration.initializer && unwrap(declaration.initializer) : declaration;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) || !fn.body) {
        return [];
    }
    if (!ts.isBlock(fn.body)) {
        return [fn.body];
    }
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isReturnStatement(node) && node.expression) {
            found.push(node.expression);
        } else if (!ts.isFunctionLike(node)) {
            ts.forEachChild(node, visit);
        }
    };
    visit(fn.body);
    return found;
}

/** Every catalogue id an expression naming a message descriptor can stand for; [] when it cannot be told. */
function descriptorIds(expr: ts.Expression, checker: ts.TypeChecker, depth = 0): string[] {
    if (depth > 8) {
        return [];
    }
    const e = unwrap(expr);
    const all = (parts: ts.Expression[]) => {
        const ids = parts.map((part) => descriptorIds(part, checker, depth + 1));
        return ids.length && ids.every((found) => found.length) ? ids.flat() : [];
    };
    if (ts.isConditionalExpression(e)) {
        return all([e.whenTrue, e.whenFalse]);
    }
    if (ts.isObjectLiteralExpression(e)) {
        for (const prop of e.properties) {
            if (ts.isPropertyAssignment(prop) && prop.name.getText() === 'id' && ts.isStringLiteralLike(prop.initializer)) {
                return [prop.initializer.text];
            }
        }
        return [];
    }

    // An element of a record of descriptors (`titles[tab]`, `m[`advice_${id}`]`): the ids it can hold.
    if (ts.isElementAccessExpression(e)) {
        const index = e.argumentExpression;
        const entries = recordEntries(e.expression, checker, depth + 1).filter(([name]) => {
            if (ts.isStringLiteralLike(index)) {
                return name === index.text;
            }
            return ts.isTemplateExpression(index) ? name.startsWith(index.head.text) : true;
        });
        return all(entries.map(([, value]) => value));
    }
    const declaration = declarationOf(ts.isCallExpression(e) ? e.expression : e, checker);
    if (!declaration) {
        return [];
    }
    if (ts.isCallExpression(e)) {
        return all(returnedExpressions(declaration));
    }
    if ((ts.isPropertyAssignment(declaration) || ts.isVariableDeclaration(declaration)) && declaration.initializer) {
        return descriptorIds(declaration.initializer, checker, depth + 1);
    }
    return [];
}

/** The named entries of a record of descriptors: an object literal, or a variable holding one (defineMessages too). */
function recordEntries(expr: ts.Expression, checker: ts.TypeChecker, depth: number): Array<[string, ts.Expression]> {
    let e = unwrap(expr);
    if (!ts.isObjectLiteralExpression(e)) {
        const declaration = declarationOf(e, checker);
        const holdsValue = declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration));
        if (depth > 8 || !declaration || !holdsValue || !declaration.initializer) {
            return [];
        }
        e = unwrap(declaration.initializer);
        if (ts.isCallExpression(e) && e.expression.getText() === 'defineMessages' && e.arguments.length) {
            e = unwrap(e.arguments[0]);
        }
        if (!ts.isObjectLiteralExpression(e)) {
            return recordEntries(e, checker, depth + 1);
        }
    }
    return e.properties.filter(ts.isPropertyAssignment).map((prop) => [prop.name.getText().replace(/^['"]|['"]$/g, ''), prop.initializer]);
}

/** The values given at a call site: each property's name and whether its value is a number. */
function valueTypes(values: ts.Expression, checker: ts.TypeChecker): Map<string, boolean> {
    const out = new Map<string, boolean>();
    if (ts.isObjectLiteralExpression(values)) {
        for (const prop of values.properties) {
            if (ts.isPropertyAssignment(prop)) {
                out.set(prop.name.getText().replace(/^['"]|['"]$/g, ''), isNumberType(checker.getTypeAtLocation(prop.initializer)));
            } else if (ts.isShorthandPropertyAssignment(prop)) {
                out.set(prop.name.text, isNumberType(checker.getTypeAtLocation(prop.name)));
            } else if (ts.isSpreadAssignment(prop)) {
                valueTypes(prop.expression, checker).forEach((isNumber, name) => out.set(name, isNumber));
            }
        }
        return out;
    }
    const type = checker.getTypeAtLocation(values);
    for (const prop of checker.getPropertiesOfType(type)) {
        out.set(prop.name, isNumberType(checker.getTypeOfSymbolAtLocation(prop, values)));
    }
    return out;
}

interface Site {descriptor?: ts.Expression; id?: string; values?: ts.Expression; node: ts.Node}

function callSites(file: ts.SourceFile): Site[] {
    const sites: Site[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
            const callee = node.expression;
            let name = '';
            if (ts.isPropertyAccessExpression(callee)) {
                name = callee.name.text;
            } else if (ts.isIdentifier(callee)) {
                name = callee.text;
            }
            if (name === 'formatMessage' && node.arguments.length > 0) {
                sites.push({descriptor: node.arguments[0], values: node.arguments[1], node});
            }
        }
        if ((ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) && node.tagName.getText() === 'FormattedMessage') {
            const site: Site = {node};
            for (const attr of node.attributes.properties) {
                if (ts.isJsxSpreadAttribute(attr)) {
                    site.descriptor = attr.expression;
                } else if (attr.initializer) {
                    const init = attr.initializer;
                    const expression = ts.isJsxExpression(init) ? init.expression : init;
                    if (attr.name.getText() === 'id' && expression && ts.isStringLiteralLike(expression)) {
                        site.id = expression.text;
                    } else if (attr.name.getText() === 'values' && expression) {
                        site.values = expression;
                    }
                }
            }
            sites.push(site);
        }
        ts.forEachChild(node, visit);
    };
    visit(file);
    return sites;
}

/** Reads the webapp's sources (tests left out) against the English catalogue. */
export function messageNumbers(tsconfigPath: string, catalogue: Record<string, string>): MessageNumbersReport {
    const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath));
    const sources = parsed.fileNames.filter((name) => !(/\.test\.tsx?$/).test(name) && !name.includes('/test/'));
    const program = ts.createProgram(sources, parsed.options);
    const checker = program.getTypeChecker();
    const root = join(dirname(tsconfigPath), '..');

    const report: MessageNumbersReport = {plainNumbers: [], unresolved: [], resolvedSites: 0, rawNumbers: []};
    for (const name of sources) {
        const file = program.getSourceFile(name)!;
        const visit = (node: ts.Node) => {
            if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) &&
                isNumberType(checker.getTypeAtLocation(node.expression))) {
                const {line} = file.getLineAndCharacterOfPosition(node.getStart());
                report.rawNumbers.push(`${relative(root, name)}:${line + 1} ${node.expression.getText()}`);
            }
            ts.forEachChild(node, visit);
        };
        visit(file);
        for (const site of callSites(file)) {
            if (!site.values) {
                continue;
            }
            const {line} = file.getLineAndCharacterOfPosition(site.node.getStart());
            const where = `${relative(root, name)}:${line + 1}`;
            const values = valueTypes(site.values, checker);
            const fromDescriptor = site.descriptor ? descriptorIds(site.descriptor, checker) : [];
            const ids = site.id ? [site.id] : fromDescriptor;
            const known = ids.filter((id) => catalogue[id] !== undefined);
            if (!known.length) {
                const numberValues = [...values].filter(([, isNumber]) => isNumber).map(([argument]) => argument);
                report.unresolved.push({where, numberValues});
                continue;
            }
            report.resolvedSites++;
            for (const id of known) {
                const plain = plainArguments(catalogue[id]);
                for (const [argument, isNumber] of values) {
                    if (isNumber && plain.has(argument)) {
                        report.plainNumbers.push({id, argument, where});
                    }
                }
            }
        }
    }
    return report;
}
