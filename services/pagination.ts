import { appError } from './errors.ts';

export interface Page<T> { data: T[]; next_cursor: string | null }

/** Opaque cursor: base64url of the last id seen. */
export const encodeCursor = (id: number): string => Buffer.from(`id:${id}`).toString('base64url');

/** Throws VALIDATION_FAILED (field `cursor`) for a cursor this service did not issue. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const m = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw appError('VALIDATION_FAILED', 'invalid cursor', { errors: [{ field: 'cursor', message: 'not a cursor returned by this API' }] });
  return Number(m[1]);
}
