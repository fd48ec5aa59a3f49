/**
 * EXPLAIN (ANALYZE, BUFFERS) of the regulator statistics SQL on a loaded schema (a bench schema kept
 * with BENCH_SCHEMA, see statistics.bench.ts):
 *   BENCH_SCHEMA=bench_s npx tsx bench/explain-statistics.ts [severity|rates|loss|all]
 */
import type { Knex } from 'knex';
import { createDb } from '../db/connection.ts';
import * as repo from '../db/repositories/statistics.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = process.env.BENCH_SCHEMA;
if (!schema) throw new Error('BENCH_SCHEMA is required');
const db = createDb({ databaseUrl: PG_URL, schema });
const what = process.argv[2] ?? 'all';
/** A knex stand-in whose raw statements are explained, not run for their rows. */
const explaining = (k: Knex, label: string): Knex => {
  const wrap = (x: Knex | Knex.Transaction) => ({
    raw: async (sql: string, b?: unknown) => {
      if (/^\s*set local/.test(sql)) return x.raw(sql);
      const r = await x.raw(`explain (analyze, buffers) ${sql}`, b as Knex.RawBinding[]);
      console.log(`--- ${label}\n${r.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n')}`);
      return { rows: [] };
    },
    transaction: async (fn: (t: unknown) => Promise<unknown>) => k.transaction((t) => fn(wrap(t))),
  });
  return wrap(k) as unknown as Knex;
};
try {
  if (what === 'severity' || what === 'all') {
    await repo.severityCells(explaining(db, 'severity area×level'), 'robot_damage', ['scenario_area', 'severity_level'], { unit: 'year' });
    await repo.severityCells(explaining(db, 'severity class×quarter'), 'robot_damage', ['scenario_class', 'period'], { unit: 'quarter' });
  }
  if (what === 'rates' || what === 'all') {
    await repo.exposureGroups(explaining(db, 'exposure area×year'), ['scenario_area', 'period'], { unit: 'year' });
    await repo.exposureGroups(explaining(db, 'exposure class (all time)'), ['scenario_class'], { unit: 'year' });
    await repo.incidentCounts(explaining(db, 'incidents area×year'), ['scenario_area', 'period'], { unit: 'year' });
    await repo.incidentCounts(explaining(db, 'incidents class×type'), ['scenario_class', 'incident_type'], { unit: 'year' });
  }
  if (what === 'loss' || what === 'all') {
    await repo.earnedPremiumCells(explaining(db, 'earned area×year'), ['scenario_area', 'period'], { unit: 'year' });
    await repo.incurredLossCells(explaining(db, 'incurred area×year'), ['scenario_area', 'period'], { unit: 'year' });
    await repo.earnedPremiumCells(explaining(db, 'earned area×month'), ['scenario_area', 'period'], { unit: 'month' });
    await repo.incurredLossCells(explaining(db, 'incurred area×month'), ['scenario_area', 'period'], { unit: 'month' });
  }
} finally {
  await db.destroy();
}
