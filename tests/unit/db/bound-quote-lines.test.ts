/**
 * `bound_quote_lines` (migration 20261130000100) mirrors the premium lines of bound quotes: kept
 * by triggers on `quotes`, filled from the quotes already bound when the migration runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/context.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { loadCatalog } from '../../../services/seed-catalog.ts';
import * as migration from '../../../db/migrations/20261130000100_bound_quote_lines.ts';

let t: TestDb;
let orgId: number;
beforeAll(async () => {
  t = await openTestDb();
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  [{ id: orgId }] = await t.db('organizations').insert({ ref: 'O', name: 'o', kind: 'enterprise' }).returning('id');
});
afterAll(async () => { await t?.close(); });

let n = 0;
async function insertQuote(status: string, classes = ['manufacturing.assembly', 'warehousing_logistics.picking']) {
  const ref = `Q-${++n}`;
  const lines = classes.flatMap((_, i) => [
    { line: i + 1, coverage: 'robot_damage', gross_premium: 100.25 * (i + 1) },
    { line: i + 1, coverage: 'business_interruption', gross_premium: 10 * (i + 1) },
  ]);
  await t.db('quotes').insert({
    ref, organization_id: orgId, request_hash: ref, decision: 'quoted', status, gross_premium: 0, worksheet: '{}', versions: '{}',
    request: JSON.stringify({ period: { start: '2025-03-01', end: '2026-02-28' }, fleet: classes.map((c) => ({ scenario_class: c })), coverages: [] }),
    result: JSON.stringify({ premium: { lines } }), valid_until: new Date('2030-01-01'), created_by: 't',
  });
  return ref;
}

const linesOf = async (ref: string) => (await t.db.raw(
  `select l.line, l.coverage, c.code as scenario_class, l.period_start::text as start, l.period_end::text as "end", l.gross_premium::float8 as gross
   from bound_quote_lines l join quotes q on q.id = l.quote_id join scenario_classes c on c.id = l.scenario_class_id
   where q.ref = ? order by l.line, l.coverage`, [ref])).rows;

describe('bound_quote_lines', () => {
  it('holds the lines of a quote while it is bound, and only then', async () => {
    const ref = await insertQuote('quoted');
    expect(await linesOf(ref)).toEqual([]);
    await t.db('quotes').where({ ref }).update({ status: 'bound' });
    expect(await linesOf(ref)).toEqual([
      { line: 1, coverage: 'business_interruption', scenario_class: 'manufacturing.assembly', start: '2025-03-01', end: '2026-02-28', gross: 10 },
      { line: 1, coverage: 'robot_damage', scenario_class: 'manufacturing.assembly', start: '2025-03-01', end: '2026-02-28', gross: 100.25 },
      { line: 2, coverage: 'business_interruption', scenario_class: 'warehousing_logistics.picking', start: '2025-03-01', end: '2026-02-28', gross: 20 },
      { line: 2, coverage: 'robot_damage', scenario_class: 'warehousing_logistics.picking', start: '2025-03-01', end: '2026-02-28', gross: 200.5 },
    ]);
    await t.db('quotes').where({ ref }).update({ status: 'expired' });
    expect(await linesOf(ref)).toEqual([]);
    expect(await linesOf(await insertQuote('bound', ['maintenance.cleaning']))).toHaveLength(2);
  });

  it('refuses to bind a quote whose premium lines do not match its fleet', async () => {
    await expect(insertQuote('bound', ['no.such_class'])).rejects.toThrow(/premium lines match a fleet line/);
  });

  it('the migration copies the quotes bound before it', async () => {
    await migration.down(t.db);
    const ref = await insertQuote('bound');
    await migration.up(t.db);
    expect(await linesOf(ref)).toHaveLength(4);
    expect(Number((await t.db('bound_quote_lines').count('* as n'))[0].n)).toBe(6);
  });
});
