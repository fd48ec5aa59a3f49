import type { Knex } from 'knex';
import type { OrganizationKind } from '../../domain/index.ts';

export interface OrganizationRow {
  id: number;
  ref: string;
  name: string;
  kind: OrganizationKind;
  province: string | null;
  created_at: Date;
}
export type NewOrganization = Pick<OrganizationRow, 'ref' | 'name' | 'kind' | 'province'>;

const COLS = ['id', 'ref', 'name', 'kind', 'province', 'created_at'];

export async function listOrganizations(q: Knex, f: { kind?: string; onlyId?: number | null; afterId?: number; limit: number }) {
  return (await q('organizations').select(COLS)
    .modify((b) => {
      if (f.kind) b.where('kind', f.kind);
      if (f.onlyId != null) b.where('id', f.onlyId);
      if (f.afterId) b.where('id', '>', f.afterId);
    })
    .orderBy('id').limit(f.limit)) as OrganizationRow[];
}

export async function getOrganizationByRef(q: Knex | Knex.Transaction, ref: string): Promise<OrganizationRow | undefined> {
  return q('organizations').select(COLS).where({ ref }).first();
}

export async function getOrganizationById(q: Knex | Knex.Transaction, id: number): Promise<OrganizationRow | undefined> {
  return q('organizations').select(COLS).where({ id }).first();
}

/** Inserts; returns undefined when the ref exists already. */
export async function insertOrganization(q: Knex | Knex.Transaction, o: NewOrganization): Promise<OrganizationRow | undefined> {
  const r = await q('organizations').insert(o).onConflict('ref').ignore().returning(COLS);
  return r[0] as OrganizationRow | undefined;
}

export async function upsertOrganizations(q: Knex | Knex.Transaction, rows: NewOrganization[]) {
  if (rows.length) await q('organizations').insert(rows).onConflict('ref').merge(['name', 'kind', 'province']);
}
