import {z} from 'zod';

import {lazySchema} from './lazy';

// The one convention for writes to shared records: every write names, in its body, the version of the
// record it was based on, and the server refuses it with 409 when the stored record has moved on since
// (compare-and-set). DELETEs carry the same body, so no write hides its version in a query parameter.

/** The version a write is based on; 0 where the record may not exist yet. */
export const ExpectedVersionSchema = lazySchema(() => z.number().int().min(0));

/** A DELETE's body: the version of the record being deleted. */
export const DeleteRequestSchema = lazySchema(() => z.strictObject({expected_version: ExpectedVersionSchema}));
