import type { Knex } from 'knex';
import type { Role } from '../../domain/index.ts';

export interface ApiKeyRow {
  id: number;
  key_prefix: string;
  role: Role;
  organization_id: number | null;
  organization_ref: string | null;
  label: string | null;
  created_at: Date;
  revoked_at: Date | null;
  /** null: the key never expires. */
  expires_at: Date | null;
  /** Last authenticated use, to about a minute (null: never used). */
  last_used_at: Date | null;
}

const select = (q: Knex | Knex.Transaction) =>
  q('api_keys as k').leftJoin('organizations as o', 'o.id', 'k.organization_id')
    .select('k.id', 'k.key_prefix', 'k.role', 'k.organization_id', 'o.ref as organization_ref', 'k.label', 'k.created_at', 'k.revoked_at', 'k.expires_at', 'k.last_used_at');

/** The active (not revoked) key with this hash; whether it has expired is for the caller to judge. */
export async function findActiveKeyByHash(q: Knex, keyHash: string): Promise<ApiKeyRow | undefined> {
  return select(q).where('k.key_hash', keyHash).whereNull('k.revoked_at').first();
}

export async function insertApiKey(
  q: Knex | Knex.Transaction,
  k: { key_hash: string; key_prefix: string; role: string; organization_id: number | null; label: string | null; expires_at?: Date | null },
): Promise<ApiKeyRow | undefined> {
  const r = await q('api_keys').insert(k).onConflict('key_hash').ignore().returning('id');
  if (!r.length) return undefined;
  return select(q).where('k.id', r[0].id).first();
}

/**
 * Sets `last_used_at` to now unless it was set less than `resolutionSeconds` ago. The condition
 * is in the statement, so several processes sharing the database write the row about once per
 * interval: under PostgreSQL's read committed, an update that waited for another's row lock
 * re-checks the condition against the new row and skips it. Returns whether the row was written.
 */
export async function touchApiKeyLastUsed(q: Knex, id: number, resolutionSeconds: number): Promise<boolean> {
  const n = await q('api_keys').where({ id })
    .where((b) => b.whereNull('last_used_at').orWhereRaw(`last_used_at < now() - ? * interval '1 second'`, [resolutionSeconds]))
    .update({ last_used_at: q.fn.now() });
  return n > 0;
}

export async function listApiKeys(q: Knex): Promise<ApiKeyRow[]> {
  return select(q).orderBy('k.id');
}

export async function revokeApiKey(q: Knex | Knex.Transaction, id: number): Promise<ApiKeyRow | undefined> {
  const r = await q('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: q.fn.now() }).returning('id');
  if (!r.length) return undefined;
  return select(q).where('k.id', id).first();
}

export async function countApiKeys(q: Knex): Promise<number> {
  const r = await q('api_keys').count<{ count: number }[]>('* as count');
  return Number(r[0].count);
}
