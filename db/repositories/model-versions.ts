import type { Knex } from 'knex';
import type { CoverageCode, ModelKind, ModelStatus } from '../../domain/index.ts';

export interface ModelVersionRow {
  id: number;
  kind: ModelKind;
  coverage: CoverageCode | null;
  status: ModelStatus;
  spec: Record<string, unknown>;
  result: Record<string, unknown>;
  data_snapshot: Record<string, unknown>;
  created_by: string;
  created_at: Date;
  activated_at: Date | null;
}

const COLS = ['id', 'kind', 'coverage', 'status', 'spec', 'result', 'data_snapshot', 'created_by', 'created_at', 'activated_at'];

export async function insertModelVersion(q: Knex | Knex.Transaction, m: Pick<ModelVersionRow, 'kind' | 'coverage' | 'spec' | 'result' | 'data_snapshot' | 'created_by'>): Promise<ModelVersionRow> {
  const [row] = await q('model_versions').insert({
    ...m, spec: JSON.stringify(m.spec), result: JSON.stringify(m.result), data_snapshot: JSON.stringify(m.data_snapshot),
  }).returning(COLS);
  return row;
}

export async function getModelVersion(q: Knex | Knex.Transaction, id: number, forUpdate = false): Promise<ModelVersionRow | undefined> {
  return q('model_versions').select(COLS).where({ id }).modify((b) => { if (forUpdate) b.forUpdate(); }).first();
}

export async function getModelVersions(q: Knex | Knex.Transaction, ids: number[]): Promise<ModelVersionRow[]> {
  return q('model_versions').select(COLS).whereIn('id', ids);
}

export async function listModelVersions(q: Knex, f: { kind?: string; coverage?: string; status?: string; afterId?: number; limit: number }) {
  return (await q('model_versions')
    .select(['id', 'kind', 'coverage', 'status', 'spec', 'created_by', 'created_at', 'activated_at',
      q.raw(`result->'summary' as summary`), 'data_snapshot'])
    .modify((b) => {
      if (f.kind) b.where('kind', f.kind);
      if (f.coverage) b.where('coverage', f.coverage);
      if (f.status) b.where('status', f.status);
      if (f.afterId) b.where('id', '>', f.afterId);
    })
    .orderBy('id').limit(f.limit)) as ListedModelVersionRow[];
}

/** A model version as listed: its result's summary only. */
export type ListedModelVersionRow = Omit<ModelVersionRow, 'result'> & { summary: unknown };

/** Retires the active version of the same kind and coverage and activates this one. */
export async function activateModelVersion(trx: Knex.Transaction, m: ModelVersionRow): Promise<ModelVersionRow | undefined> {
  await trx('model_versions').where({ kind: m.kind, status: 'active' })
    .modify((b) => (m.coverage === null ? b.whereNull('coverage') : b.where('coverage', m.coverage)))
    .whereNot('id', m.id)
    .update({ status: 'retired' });
  const [row] = await trx('model_versions').where({ id: m.id }).update({ status: 'active', activated_at: trx.fn.now() }).returning(COLS);
  return row;
}

export async function activeModelVersion(q: Knex | Knex.Transaction, kind: ModelKind, coverage: CoverageCode): Promise<ModelVersionRow | undefined> {
  return q('model_versions').select(COLS).where({ kind, coverage, status: 'active' }).first();
}
