import {z} from 'zod';

// Go types for the real-server tests (e2e/contract/contract_gen.go), generated from the contract's zod
// schemas so the Go side reads the same shapes the TypeScript sides validate, declared once.
//
// Every exported `XSchema` becomes the Go type `X`: the schemas go into one zod registry and through
// z.toJSONSchema, so a schema used inside another becomes a reference to its named type. The Go type is
// the shape the server sends (zod's output side: a field with a default is always present).
//
// How JSON Schema maps to Go:
//   object with properties      struct; a field the schema requires is a value with `json:"name"`, an
//                               optional field a pointer (or a slice, map or any, which are nil already)
//                               with `json:"name,omitempty"`; an inline object becomes a named struct,
//                               its parent's name followed by the field's
//   object with no properties   map[string]T of its additionalProperties (a record); struct{} when it
//                               allows none
//   nullable (anyOf with null)  a pointer to the other type (slices, maps and any stay as they are)
//   union of objects            one struct with every variant's fields (a discriminated union's tag is a
//                               string field); a field is required only when every variant requires it
//                               with the same type
//   union of strings            string; any other union any
//   string enum                 string, or for an exported enum a named string type with one constant
//                               per value
//   integer / number / boolean  int / float64 / bool
//   array                       a slice of the item type; a tuple []any
//   unknown, unrepresentable    any
//
// A schema exported under two names (`CreateWaveRequestSchema = WaveDefinitionSchema`) is one type and
// an alias: the shorter name is the type.

/** One exported schema: its name without `Schema`, the module it comes from, the schema. */
export interface ExportedSchema {
    name: string;
    module: string;
    schema: z.ZodType;
}

type JsonSchema = {
    $ref?: string;

    /** A list only for a nullable scalar, which zod writes as `["string", "null"]`. */
    type?: string | string[];
    const?: unknown;
    enum?: unknown[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean | JsonSchema;
    items?: JsonSchema;
    prefixItems?: JsonSchema[];
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    allOf?: JsonSchema[];
};

/** Words Go spells in capitals (golint's common initialisms and the project's own), plurals included. */
const INITIALISMS: Record<string, string> = Object.fromEntries([
    'id', 'url', 'api', 'csv', 'json', 'http', 'https', 'ip', 'smtp', 'dm', 'ui', 'sso', 'ldap', 'mfa', 'html', 'kv', 'sha256',
    'mau', 'dau', 'wau', 'ok', 'db', 'sku', 'vm',
].flatMap((w) => [[w, w.toUpperCase()], [`${w}s`, `${w.toUpperCase()}s`]]));

/** `user_id` → `UserID`, `image/png` → `ImagePng`, `needs_license` → `NeedsLicense`. */
export function goName(raw: string): string {
    const words = raw.split(/[^A-Za-z0-9]+/).filter(Boolean);
    const name = words.map((w) => {
        const initialism = INITIALISMS[w.toLowerCase()];
        if (initialism !== undefined) {
            return initialism;
        }
        return w[0].toUpperCase() + w.slice(1);
    }).join('');
    return (/^[0-9]/).test(name) ? `V${name}` : name;
}

/**
 * The exported `*Schema` constants of contract modules, by module and name. A schema a module re-exports
 * is listed once, under the module `declares` says declares it.
 */
export function exportedSchemas(
    modules: Record<string, Record<string, unknown>>,
    declares: (module: string, exportName: string) => boolean = () => true,
): ExportedSchema[] {
    const found = new Map<string, ExportedSchema>();
    for (const module of Object.keys(modules).sort()) {
        for (const [exportName, value] of Object.entries(modules[module])) {
            if (!exportName.endsWith('Schema') || !(value instanceof z.ZodType)) {
                continue;
            }
            const name = exportName.slice(0, -'Schema'.length);
            const previous = found.get(name);
            if (previous !== undefined && previous.schema !== value) {
                throw new Error(`${exportName} is exported by both contract/${previous.module}.ts and contract/${module}.ts`);
            }
            if (previous === undefined || declares(module, exportName)) {
                found.set(name, {name, module, schema: value});
            }
        }
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

type Field = {json: string; goType: string; required: boolean};

class Emitter {
    private readonly decls = new Map<string, string>();

    /** The registry's schemas by id, to resolve a union's referenced variants. */
    constructor(private readonly named: Set<string>, private readonly definitions: Record<string, JsonSchema>) {}

    declarations(): string[] {
        return [...this.decls.keys()].sort().map((name) => this.decls.get(name) as string);
    }

    declare(name: string, text: string): void {
        if (this.decls.has(name) && this.decls.get(name) !== text) {
            throw new Error(`two different Go types are named ${name}`);
        }
        this.decls.set(name, text);
    }

    /** The Go type of a JSON Schema node; `hint` names a struct the node needs. */
    goType(node: JsonSchema, hint: string): string {
        if (node.$ref !== undefined) {
            return node.$ref;
        }
        const variants = node.anyOf ?? node.oneOf;
        if (variants !== undefined) {
            return this.union(variants, hint);
        }
        if (node.allOf !== undefined) {
            return this.union(node.allOf, hint, true);
        }
        if (node.const !== undefined) {
            return scalarOf(node.const);
        }
        if (node.enum !== undefined) {
            return node.enum.every((v) => typeof v === 'string') ? 'string' : 'any';
        }
        switch (node.type) {
        case 'string':
            return 'string';
        case 'integer':
            return 'int';
        case 'number':
            return 'float64';
        case 'boolean':
            return 'bool';
        case 'array':
            return node.items === undefined ? '[]any' : `[]${this.goType(node.items, `${hint}Item`)}`;
        case 'object':
            return this.object(node, hint);
        default:
            return 'any';
        }
    }

    private object(node: JsonSchema, hint: string): string {
        if (node.properties === undefined || Object.keys(node.properties).length === 0) {
            const extra = node.additionalProperties;
            if (extra === false) {
                return 'struct{}';
            }
            return `map[string]${extra === undefined || extra === true ? 'any' : this.goType(extra, `${hint}Value`)}`;
        }
        const required = new Set(node.required ?? []);
        const fields = Object.entries(node.properties).map(([json, child]) => this.field(json, child, required.has(json), hint));
        this.declare(hint, structDecl(hint, fields));
        return hint;
    }

    private field(json: string, child: JsonSchema, required: boolean, parent: string): Field {
        const nullable = nonNull(child);
        if (nullable !== null) {
            return {json, goType: pointer(this.goType(nullable, parent + goName(json))), required};
        }
        const goType = this.goType(child, parent + goName(json));
        return {json, goType: required ? goType : pointer(goType), required};
    }

    private union(variants: JsonSchema[], hint: string, all = false): string {
        const nullable = nonNull({anyOf: variants});
        if (nullable !== null) {
            return pointer(this.goType(nullable, hint));
        }
        const objects = variants.map((v) => this.resolveObject(v));
        if (objects.every((o) => o !== null)) {
            return this.mergedStruct(objects as JsonSchema[], hint, all);
        }
        if (variants.every((v) => this.goType(v, hint) === 'string')) {
            return 'string';
        }
        return 'any';
    }

    /** An object variant, inline or a reference to a named one; null for anything else. */
    private resolveObject(node: JsonSchema): JsonSchema | null {
        const target = node.$ref === undefined ? node : this.definitions[node.$ref];
        return target !== undefined && target.type === 'object' && target.properties !== undefined ? target : null;
    }

    private mergedStruct(objects: JsonSchema[], hint: string, all: boolean): string {
        const byName = new Map<string, {goType: string; required: number; same: boolean}>();
        for (const object of objects) {
            const required = new Set(object.required ?? []);
            for (const [json, child] of Object.entries(object.properties ?? {})) {
                const goType = this.field(json, child, true, hint).goType;
                const entry = byName.get(json);
                if (entry === undefined) {
                    byName.set(json, {goType, required: required.has(json) ? 1 : 0, same: true});
                } else {
                    entry.required += required.has(json) ? 1 : 0;
                    entry.same = entry.same && entry.goType === goType;
                }
            }
        }
        const fields: Field[] = [...byName.entries()].map(([json, e]) => {
            const required = e.same && (all ? e.required > 0 : e.required === objects.length);
            const goType = e.same ? e.goType : 'any';
            return {json, goType: required ? goType : pointer(goType), required};
        });
        this.declare(hint, structDecl(hint, fields));
        return hint;
    }

    /** A top-level schema: a named type, with constants for a string enum. */
    topLevel(name: string, node: JsonSchema, source: string): void {
        const doc = `// ${name} is ${source}.`;
        if (node.enum !== undefined && node.enum.every((v) => typeof v === 'string')) {
            const values = node.enum as string[];
            const constNames = values.map((v) => name + goName(v));
            const lines = [`${doc}\ntype ${name} string`];
            if (new Set(constNames).size === constNames.length && constNames.every((c) => !this.named.has(c))) {
                lines.push(`const (\n${aligned(values.map((v, i) => [constNames[i], name, `= ${JSON.stringify(v)}`]))}\n)`);
            }
            this.declare(name, lines.join('\n\n'));
            return;
        }
        const goType = this.goType(node, name);
        if (goType === name) {
            this.decls.set(name, `${doc}\n${this.decls.get(name) as string}`);
            return;
        }
        this.declare(name, `${doc}\ntype ${name} ${goType}`);
    }
}

function nonNull(node: JsonSchema): JsonSchema | null {
    if (Array.isArray(node.type)) {
        const others = node.type.filter((t) => t !== 'null');
        return others.length === 1 && others.length < node.type.length ? {...node, type: others[0]} : null;
    }
    const variants = node.anyOf ?? node.oneOf;
    if (variants === undefined || variants.length !== 2) {
        return null;
    }
    const others = variants.filter((v) => v.type !== 'null');
    return others.length === 1 ? others[0] : null;
}

function pointer(goType: string): string {
    return goType.startsWith('[]') || goType.startsWith('map[') || goType === 'any' || goType.startsWith('*') ? goType : `*${goType}`;
}

function scalarOf(value: unknown): string {
    switch (typeof value) {
    case 'string':
        return 'string';
    case 'number':
        return Number.isInteger(value) ? 'int' : 'float64';
    case 'boolean':
        return 'bool';
    default:
        return 'any';
    }
}

function structDecl(name: string, fields: Field[]): string {
    if (fields.length === 0) {
        return `type ${name} struct{}`;
    }
    const rows = fields.map((f) => [goName(f.json), f.goType, `\`json:"${f.json}${f.required ? '' : ',omitempty'}"\``]);
    return `type ${name} struct {\n${aligned(rows)}\n}`;
}

/** Rows of a struct or const block in columns, as gofmt lays them out. */
function aligned(rows: string[][]): string {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows.
        map((row) => `\t${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join(' ')}`).
        join('\n');
}

/** The Go source of package `packageName` for the given schemas; `command` is how to regenerate it. */
export function goSource(schemas: ExportedSchema[], packageName: string, command: string): string {
    // One registry entry per schema object; a schema exported under several names is one type and aliases.
    const canonical = new Map<z.ZodType, ExportedSchema>();
    for (const s of [...schemas].sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name))) {
        if (!canonical.has(s.schema)) {
            canonical.set(s.schema, s);
        }
    }
    const registry = z.registry<{id: string}>();
    for (const s of canonical.values()) {
        registry.add(s.schema, {id: s.name});
    }
    const json = z.toJSONSchema(registry, {io: 'output', unrepresentable: 'any', uri: (id) => id}) as {schemas: Record<string, JsonSchema>};

    const emitter = new Emitter(new Set(schemas.map((s) => s.name)), json.schemas);
    for (const s of canonical.values()) {
        emitter.topLevel(s.name, json.schemas[s.name], `${s.name}Schema of contract/${s.module}.ts`);
    }
    for (const s of schemas) {
        const type = canonical.get(s.schema) as ExportedSchema;
        if (type !== s) {
            emitter.declare(
                s.name,
                `// ${s.name} is ${s.name}Schema of contract/${s.module}.ts, the same schema as ${type.name}.\n` +
                `type ${s.name} = ${type.name}`,
            );
        }
    }
    const header = [
        `// Code generated by ${command} from the zod schemas of contract/*.ts. DO NOT EDIT.`,
        '',
        '// Package contract holds the JSON shapes of the plugin\'s API as Go types, one per exported schema.',
        `package ${packageName}`,
    ];
    return `${header.join('\n')}\n\n${emitter.declarations().join('\n\n')}\n`;
}
