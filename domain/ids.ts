/**
 * Record ids as clients spell them. Ids are PostgreSQL `serial`s (int4), so a number above
 * 2^31−1 names nothing — and would make the database fail instead of answering "not found".
 * An id in a path or cursor has exactly one spelling, decimal digits without sign, leading zero,
 * spaces or exponent: `/v1/rulesets/0x10`, `1e1`, `01`, `+1` or ` 1 ` must not name rule set 16,
 * 10 or 1 (`DELETE /v1/api-keys/01` would revoke key 1). The schemas in domain/schemas/common.ts
 * and the cursors of services/pagination.ts are built on this file.
 */

/** Largest id the database stores (int4). */
export const MAX_ID = 2_147_483_647;

/** The canonical spelling of an id: 1 to 10 digits, no leading zero. */
export const CANONICAL_ID = /^[1-9][0-9]{0,9}$/;

/** The id `s` spells canonically, within int4; undefined otherwise. */
export function parseId(s: string): number | undefined {
  if (!CANONICAL_ID.test(s)) return undefined;
  const n = Number(s);
  return n <= MAX_ID ? n : undefined;
}

/** Opaque page cursor: base64url of `id:<last id seen>`. */
export const encodeCursor = (id: number): string => Buffer.from(`id:${id}`).toString('base64url');

/** The id a cursor carries, or undefined for a string that is not exactly a cursor this API issues. */
export function cursorId(cursor: string): number | undefined {
  const m = /^id:([0-9]{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const id = m ? parseId(m[1]) : undefined;
  // base64url decoding skips stray characters: only the exact encoding is the cursor
  return id !== undefined && encodeCursor(id) === cursor ? id : undefined;
}
