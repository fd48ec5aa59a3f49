/**
 * Hours per deployment and month for the premium statements (db/repositories/policy-usage.ts):
 * quarterly and straddling exposure rows split into months pro rata over their days, clipped to
 * the window asked for, and consistent with `exposure_month_summary` kept by the import.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/context.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { loadCatalog } from '../../../services/seed-catalog.ts';
import { importHistory } from '../../../services/imports.ts';
import { deploymentMonthHours } from '../../../db/repositories/policy-usage.ts';

let t: TestDb;
let ids: Record<string, number>;
const csv = (...lines: string[]) => Readable.from([`${lines.join('\n')}\n`]);

beforeAll(async () => {
  t = await openTestDb();
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  await t.db('organizations').insert({ ref: 'ORG-U', name: 'u', kind: 'enterprise' });
  const robot = (await t.db('robot_models').first('code')).code as string;
  await importHistory(t.db, 'system', 'deployments', 'csv', csv(
    'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
    `U-D1,ORG-U,Guangdong,manufacturing.assembly,${robot},4,supervised,2027-01-01,`,
    `U-D2,ORG-U,Guangdong,manufacturing.assembly,${robot},2,supervised,2027-01-01,`,
  ), 10);
  await importHistory(t.db, 'system', 'exposures', 'csv', csv(
    'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses',
    'U-D1,2027-01-01,2027-03-31,900,0,0,0', // a quarter of 90 days: 10 h a day
    'U-D1,2027-04-01,2027-04-30,100,0,0,0', // one month
    'U-D2,2027-03-15,2027-04-14,310,0,0,0', // 31 days straddling March and April
    'U-D2,2027-05-01,2027-05-31,0,0,0,0', // a month with no hours
  ), 10);
  ids = Object.fromEntries((await t.db('deployments').select('ref', 'id')).map((r: { ref: string; id: number }) => [r.ref, r.id]));
});
afterAll(async () => { await t?.close(); });

describe('deploymentMonthHours', () => {
  it('splits a quarterly row into its months by days (31/90, 28/90, 31/90)', async () => {
    expect(await deploymentMonthHours(t.db, [ids['U-D1']], '2027-01-01', '2027-12-31')).toEqual([
      { deployment_id: ids['U-D1'], month: '2027-01', hours: 310, rows: 1 },
      { deployment_id: ids['U-D1'], month: '2027-02', hours: 280, rows: 1 },
      { deployment_id: ids['U-D1'], month: '2027-03', hours: 310, rows: 1 },
      { deployment_id: ids['U-D1'], month: '2027-04', hours: 100, rows: 1 },
    ]);
  });

  it('a row straddling two months: 17 of its 31 days in March, 14 in April; a month of 0 hours is present', async () => {
    const rows = await deploymentMonthHours(t.db, [ids['U-D2']], '2027-01-01', '2027-12-31');
    expect(rows.map((r) => [r.month, r.hours, r.rows])).toEqual([['2027-03', 170, 1], ['2027-04', 140, 1], ['2027-05', 0, 1]]);
  });

  it('only the days of the window count (a policy starting on 10 February and ending on 20 April)', async () => {
    const rows = await deploymentMonthHours(t.db, [ids['U-D1'], ids['U-D2']], '2027-02-10', '2027-04-20');
    const h = (ref: string, month: string) => rows.find((r) => r.deployment_id === ids[ref] && r.month === month)?.hours;
    expect(h('U-D1', '2027-01')).toBeUndefined();
    expect(h('U-D1', '2027-02')).toBeCloseTo(190, 9); // 19 days × 10 h
    expect(h('U-D1', '2027-03')).toBe(310);
    expect(h('U-D1', '2027-04')).toBeCloseTo(200 / 3, 9); // 20 of 30 days of 100 h
    expect(h('U-D2', '2027-03')).toBe(170);
    expect(h('U-D2', '2027-04')).toBe(140);
  });

  it('whole months add up to the organization’s exposure_month_summary (the same spreading)', async () => {
    const rows = await deploymentMonthHours(t.db, [ids['U-D1'], ids['U-D2']], '2027-01-01', '2027-12-31');
    const summary = await t.db('exposure_month_summary').select(t.db.raw(`to_char(month, 'YYYY-MM') as month`), 'operating_hours').orderBy('month');
    for (const s of summary as { month: string; operating_hours: number }[]) {
      const ours = rows.filter((r) => r.month === s.month).reduce((a, r) => a + r.hours, 0);
      expect(ours).toBeCloseTo(Number(s.operating_hours), 9);
    }
    expect(summary.map((s: { month: string }) => s.month)).toEqual(['2027-01', '2027-02', '2027-03', '2027-04']);
  });

  it('no deployments: no rows', async () => {
    expect(await deploymentMonthHours(t.db, [], '2027-01-01', '2027-12-31')).toEqual([]);
  });
});
