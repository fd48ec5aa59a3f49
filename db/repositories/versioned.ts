/**
 * Versioned documents (rule sets and rating plans): each POST makes a new immutable version of
 * a name; activation stamps `effective_from`; the one in force is the active version with the
 * latest effective_from not after the given time.
 */
import type { Knex } from 'knex';

export type VersionedTable = 'rulesets' | 'rating_plans' | 'scorecard_rulesets';

export interface VersionedRow {
  id: number;
  name: string;
  version: number;
  /** The stored JSON document (validated by the service that wrote it). */
  body: unknown;
  status: 'draft' | 'active' | 'retired';
  effective_from: Date | null;
  created_by: string;
  created_at: Date;
}

const COLS = ['id', 'name', 'version', 'body', 'status', 'effective_from', 'created_by', 'created_at'];

export async function insertVersion(trx: Knex.Transaction, table: VersionedTable, v: { name: string; body: unknown; created_by: string; extra?: Record<string, unknown> }): Promise<VersionedRow> {
  // serialise version numbering per name
  await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`${table}:${v.name}`]);
  const r = await trx(table).where({ name: v.name }).max<{ max: number | null }[]>('version as max');
  const version = (r[0].max ?? 0) + 1;
  const [row] = await trx(table).insert({ name: v.name, version, body: JSON.stringify(v.body), created_by: v.created_by, ...v.extra }).returning(COLS);
  return row;
}

export async function getVersion(q: Knex | Knex.Transaction, table: VersionedTable, id: number, forUpdate = false): Promise<VersionedRow | undefined> {
  return q(table).select(COLS).where({ id }).modify((b) => { if (forUpdate) b.forUpdate(); }).first();
}

export async function listVersions(q: Knex, table: VersionedTable, f: { name?: string; status?: string; afterId?: number; limit: number }): Promise<VersionedRow[]> {
  return q(table).select(COLS)
    .modify((b) => {
      if (f.name) b.where('name', f.name);
      if (f.status) b.where('status', f.status);
      if (f.afterId) b.where('id', '>', f.afterId);
    })
    .orderBy('id').limit(f.limit);
}

export async function activateVersion(trx: Knex.Transaction, table: VersionedTable, id: number, effectiveFrom: Date): Promise<VersionedRow> {
  const [row] = await trx(table).where({ id }).update({ status: 'active', effective_from: effectiveFrom }).returning(COLS);
  return row;
}

/** The version in force at `at`: active, effective_from ≤ at, latest effective_from (then id). */
export async function versionInForce(q: Knex | Knex.Transaction, table: VersionedTable, at: Date): Promise<VersionedRow | undefined> {
  return q(table).select(COLS).where('status', 'active').where('effective_from', '<=', at)
    .orderBy([{ column: 'effective_from', order: 'desc' }, { column: 'id', order: 'desc' }]).first();
}
