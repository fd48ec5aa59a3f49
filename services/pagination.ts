import { cursorId, encodeCursor } from '../domain/ids.ts';
import { appError } from './errors.ts';

export interface Page<T> { data: T[]; next_cursor: string | null }

/** Opaque cursor: base64url of the last id seen (domain/ids.ts). */
export { encodeCursor };

/**
 * The id a cursor carries. Throws VALIDATION_FAILED (field `cursor`) for a cursor this service
 * did not issue, including one whose id is beyond int4 (it would fail in the database).
 */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const id = cursorId(cursor);
  if (id === undefined) throw appError('VALIDATION_FAILED', 'invalid cursor', { errors: [{ field: 'cursor', message: 'not a cursor returned by this API' }] });
  return id;
}
