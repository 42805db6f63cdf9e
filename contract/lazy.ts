// Schemas built on first use. The server runs every request in a script engine of its own, and each
// engine evaluates the whole bundle: built when the module loads, the contract's schemas (thousands of
// zod instances) cost each engine some 20 MB of heap, though a request touches the few of its route.
// Declared with lazySchema, a schema is built the first time anything reads it, once per engine (and
// once per page in the webapp), and cached.
//
// What lazySchema returns stands for the schema everywhere: parse and safeParse, .shape, .extend,
// .pick, .options, nesting in other schemas, instanceof, and its static type is the schema's own
// (z.infer unchanged). It is a plain object whose prototype is first a Proxy, whose traps build the
// schema on the first read (or `in`, or write) and then make the schema itself the object's
// prototype: from then on every read is an ordinary prototype lookup, and no trap runs again. A
// Proxy standing for the schema for good would run a trap on every property read, the schema's
// parsers' own reads of it included, and a trap costs goja several times a plain read (measured:
// 0.66 µs against 0.10 µs a read; parsing 200 nested objects 33% slower). One difference remains: the schema's
// own properties are its prototype's, so reflection on own keys (Object.keys, hasOwnProperty,
// spreading the schema itself) sees none; neither zod nor this code reflects on a schema that way. And
// z.toJSONSchema, which keys its walk by the schema object while the schema's own code refers to itself,
// fails on a stand-in: the Go types' generator (build/gotypes.test.ts) loads the contract built at once.

/** Builds the schema `build` returns on first use; the result stands for it and has its type. */
export function lazySchema<Schema extends object>(build: () => Schema): Schema {
    let schema: Schema | undefined;
    let building = false;
    const resolve = (): Schema => {
        if (schema === undefined) {
            if (building) {
                // A schema whose own construction reads it would recurse for ever; zod's getters are the way to declare recursion.
                throw new Error('lazySchema: the schema reads itself while it is being built');
            }
            building = true;
            try {
                schema = build();
            } finally {
                building = false;
            }
            Object.setPrototypeOf(standIn, schema);
        }
        return schema;
    };
    const firstUse = new Proxy({}, {
        get: (_target, key, receiver) => Reflect.get(resolve(), key, receiver),
        has: (_target, key) => Reflect.has(resolve(), key),
        set: (_target, key, value, receiver) => Reflect.set(resolve(), key, value, receiver),
        getPrototypeOf: () => Object.getPrototypeOf(resolve()),
    });
    const standIn = Object.create(firstUse) as Schema;
    return standIn;
}
