import type { Knex } from 'knex';

export interface ImpactJobRow {
  id: number;
  rating_plan_id: number;
  period_from: string;
  period_to: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  result: Record<string, unknown> | null;
  error: string | null;
  created_by: string;
  created_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}

export async function insertImpactJob(q: Knex, j: { rating_plan_id: number; period_from: string; period_to: string; total: number; created_by: string }): Promise<ImpactJobRow> {
  const [row] = await q('impact_jobs').insert(j).returning('*');
  return row as ImpactJobRow;
}

export async function getImpactJob(q: Knex, id: number): Promise<ImpactJobRow | undefined> {
  return q('impact_jobs').where({ id }).first();
}

/** Progress and heartbeat of a running job. */
export async function recordImpactProgress(q: Knex, id: number, done: number): Promise<void> {
  await q('impact_jobs').where({ id, status: 'running' }).update({ done, heartbeat_at: q.fn.now() });
}

export async function finishImpactJob(q: Knex, id: number, end: { status: 'done'; done: number; result: unknown } | { status: 'failed'; error: string }): Promise<void> {
  const values = end.status === 'done'
    ? { status: 'done', done: end.done, result: JSON.stringify(end.result) }
    : { status: 'failed', error: end.error };
  await q('impact_jobs').where({ id }).update({ ...values, heartbeat_at: q.fn.now(), finished_at: q.fn.now() });
}

/** Quotes created in [from, to) (ISO timestamps). */
const inPeriod = (b: Knex.QueryBuilder, from: string, to: string) => b.where('q.created_at', '>=', from).where('q.created_at', '<', to);

export async function countQuotesCreated(q: Knex, from: string, to: string): Promise<number> {
  const r = await inPeriod(q('quotes as q'), from, to).count<{ n: number }[]>({ n: '*' });
  return Number(r[0].n);
}

/** What re-rating a stored quote under another plan needs: its stored inputs without the plan's parts, and its old result. */
export interface StoredQuoteForRerating {
  id: number;
  ref: string;
  organization_ref: string;
  decision: 'quoted' | 'referred' | 'declined';
  gross_premium: number;
  request: Record<string, unknown>;
  experience: Record<string, unknown>;
  credibility: Record<string, unknown>;
  scenario_classes: Record<string, unknown>;
  robot_models: Record<string, unknown>;
  scorecard_verdicts: Record<string, string | null> | null;
  lines: { line: number; coverage: string; gross_premium: number }[];
}

/**
 * The next `limit` quotes of the period after id `afterId` (keyset on the primary key), or the
 * quotes `ids` of the period. Only the parts of the worksheet that re-rating keeps are read (the
 * plan, rule set and model snapshots are replaced by the candidate plan's).
 */
export async function storedQuotesForRerating(q: Knex, from: string, to: string, afterId: number, limit: number, ids?: readonly number[]): Promise<StoredQuoteForRerating[]> {
  let b = inPeriod(q('quotes as q'), from, to).join('organizations as o', 'o.id', 'q.organization_id');
  b = ids ? b.whereIn('q.id', ids as number[]) : b.where('q.id', '>', afterId).limit(limit);
  return b
    .orderBy('q.id')
    .select(
      'q.id', 'q.ref', 'o.ref as organization_ref', 'q.decision', 'q.gross_premium',
      q.raw("q.worksheet->'inputs'->'request' as request"),
      q.raw("q.worksheet->'inputs'->'experience' as experience"),
      q.raw("q.worksheet->'inputs'->'credibility' as credibility"),
      q.raw("q.worksheet->'inputs'->'scenario_classes' as scenario_classes"),
      q.raw("q.worksheet->'inputs'->'robot_models' as robot_models"),
      q.raw("q.worksheet->'inputs'->'scorecard_verdicts' as scorecard_verdicts"),
      q.raw("q.result->'premium'->'lines' as lines"),
    );
}

/** What re-pricing a stored quote under other loadings needs: its versions, its stored aggregate basis and result lines. */
export interface StoredQuoteBasis {
  id: number;
  ref: string;
  organization_ref: string;
  decision: 'quoted' | 'referred' | 'declined';
  gross_premium: number;
  versions: { pricing_engine?: string; rating_plan?: { id: number } } | null;
  /** The stored request's fleet (scenario class, units, hours per line). */
  fleet: { scenario_class: string; units: number; operating_hours_per_unit: number }[];
  /** worksheet.aggregate, as column `rating_basis` (null when absent). */
  aggregate: Record<string, unknown> | null;
  /** result.premium.lines. */
  lines: { line: number; coverage: string; gross_premium: number; expected_claims: number; loaded_expected_claims: number; expected_payment_per_loss: number; loading_factor: number }[];
}

/**
 * The next `limit` quotes of the period after `afterId` with their stored aggregate basis
 * (`rating_basis`, generated from the worksheet: migration 20261207000100) and result lines;
 * the worksheet itself is not read.
 */
export async function storedQuoteBases(q: Knex, from: string, to: string, afterId: number, limit: number): Promise<StoredQuoteBasis[]> {
  return inPeriod(q('quotes as q'), from, to)
    .join('organizations as o', 'o.id', 'q.organization_id')
    .where('q.id', '>', afterId)
    .orderBy('q.id')
    .limit(limit)
    .select(
      'q.id', 'q.ref', 'o.ref as organization_ref', 'q.decision', 'q.gross_premium', 'q.versions',
      q.raw("q.request->'fleet' as fleet"),
      'q.rating_basis as aggregate',
      q.raw("q.result->'premium'->'lines' as lines"),
    );
}
