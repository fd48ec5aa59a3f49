/**
 * Before/after of the regulator statistics SQL in one session: the repository functions of an
 * older checkout (BEFORE=<its directory>, e.g. `git archive <commit> | tar -x -C /tmp/before`) and
 * of this one run alternately on a loaded bench schema (BENCH_SCHEMA, see statistics.bench.ts),
 * REPEAT times each, so that both see the same load; then median and range per query, and whether
 * both gave the same cells.
 *   BEFORE=/tmp/before BENCH_SCHEMA=bench_s npx tsx bench/statistics-compare.ts
 */
import { createDb } from '../db/connection.ts';
import * as after from '../db/repositories/statistics.ts';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = process.env.BENCH_SCHEMA;
const beforeDir = process.env.BEFORE;
const REPEAT = Number(process.env.REPEAT ?? 5);
if (!schema || !beforeDir) throw new Error('BENCH_SCHEMA and BEFORE are required');
const before = (await import(`${beforeDir}/db/repositories/statistics.ts`)) as typeof after;
const db = createDb({ databaseUrl: PG_URL, schema });

type Repo = typeof after;
const cases: [string, (r: Repo) => Promise<unknown>][] = [
  ['exposure groups area × year (whole history)', (r) => r.exposureGroups(db, ['scenario_area', 'period'], { unit: 'year' })],
  ['exposure groups class (all time)', (r) => r.exposureGroups(db, ['scenario_class'], { unit: 'year' })],
  ['exposure groups area (all time)', (r) => r.exposureGroups(db, ['scenario_area'], { unit: 'year' })],
  ['exposure groups class × quarter (whole history)', (r) => r.exposureGroups(db, ['scenario_class', 'period'], { unit: 'quarter' })],
  ['exposure groups area × month (whole history)', (r) => r.exposureGroups(db, ['scenario_area', 'period'], { unit: 'month' })],
  ['incident counts area × year', (r) => r.incidentCounts(db, ['scenario_area', 'period'], { unit: 'year' })],
  ['incident counts class × type', (r) => r.incidentCounts(db, ['scenario_class', 'incident_type'], { unit: 'year' })],
  ['severity robot_damage area × level', (r) => r.severityCells(db, 'robot_damage', ['scenario_area', 'severity_level'], { unit: 'year' })],
  ['severity robot_damage class × quarter', (r) => r.severityCells(db, 'robot_damage', ['scenario_class', 'period'], { unit: 'quarter' })],
  ['earned premium area (all time)', (r) => r.earnedPremiumCells(db, ['scenario_area'], { unit: 'year' })],
  ['earned premium area × year', (r) => r.earnedPremiumCells(db, ['scenario_area', 'period'], { unit: 'year' })],
  ['earned premium area × month', (r) => r.earnedPremiumCells(db, ['scenario_area', 'period'], { unit: 'month' })],
  ['incurred losses area × year', (r) => r.incurredLossCells(db, ['scenario_area', 'period'], { unit: 'year' })],
  ['incurred losses area × month', (r) => r.incurredLossCells(db, ['scenario_area', 'period'], { unit: 'month' })],
];
const only = process.argv.slice(2);
/** Cells compared to 1e-9 relative (sums of floats in another order may differ in the last bits). */
const close = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    // the fields of the newer shape (`b`): a field the new code no longer returns is not compared
    const kb = Object.keys(b);
    return kb.every((k) => k in a && close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
};
const ms = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return `${s[Math.floor(s.length / 2)].toFixed(0)} ms (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)})`;
};
try {
  console.log('| SQL | before: median (min–max) | after: median (min–max) | same cells |\n|---|---|---|---|');
  for (const [name, run] of cases) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    const t: Record<'b' | 'a', number[]> = { b: [], a: [] };
    let rb: unknown;
    let ra: unknown;
    for (let i = 0; i < REPEAT; i++) {
      for (const [k, r] of [['b', before], ['a', after]] as const) {
        const t0 = performance.now();
        const out = await run(r);
        t[k].push(performance.now() - t0);
        if (k === 'b') rb = out; else ra = out;
      }
    }
    console.log(`| ${name} | ${ms(t.b)} | ${ms(t.a)} | ${close(rb, ra) ? 'yes' : '**NO**'} |`);
  }
} finally {
  await db.destroy();
}
