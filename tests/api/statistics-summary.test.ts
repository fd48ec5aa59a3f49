/**
 * The monthly exposure summary (exposure_month_summary) against the raw exposure rows: after
 * every kind of import it equals a recomputation from scratch, and monthly statistics answered
 * from it equal those of the raw path. Hours are multiples of 0.25 h so that sums are exact in
 * binary floating point whatever the summation order, and every figure can be compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import * as repo from '../../db/repositories/statistics.ts';
import { summaryRefresh } from '../../db/repositories/imports.ts';
import * as m0600 from '../../db/migrations/20261123000600_exposure_month_summary.ts';
import type { JsonOf } from '../helpers/api-types.ts';
import type { IncidentRateCell } from '../../api/schemas-statistics.ts';

let ctx: TestContext;

const put = (kind: string, body: string) =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);
const get = (path: string) => request(ctx.baseUrl).get(path).set(bearer(ctx.keys.regulator));

const ORGS = ['ORG-A', 'ORG-B', 'ORG-C'];
const CLASSES = ['manufacturing.assembly', 'manufacturing.machine_tending', 'maintenance.inspection'];
const MONTHS = 60; // 2020-01 … 2024-12
const monthStart = (i: number) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
const monthEnd = (i: number) => {
  const y = 2020 + Math.floor(i / 12);
  const m = (i % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}-${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
};
const DEP_HEADER = 'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n';
const EXP_HEADER = 'deployment_ref,period_start,period_end,operating_hours\n';

/** Two deployments per organization × class (S-<org>-<class>-<k>), 18 in all. */
const deployments = (override: Record<string, { org?: string; cls?: string }> = {}) => {
  let csv = DEP_HEADER;
  ORGS.forEach((o, oi) => CLASSES.forEach((c, ci) => {
    for (let k = 0; k < 2; k++) {
      const ref = `S-${oi}-${ci}-${k}`;
      csv += `${ref},${override[ref]?.org ?? o},${override[ref]?.cls ?? c},LMD-B300,2,supervised,2020-01-01,\n`;
    }
  }));
  return csv;
};
const hours = (oi: number, ci: number, k: number, m: number) => 40 + ((oi * 37 + ci * 11 + k * 5 + m * 3) % 60) * 2.25;

/** The summary recomputed from scratch, as the migration fills it. */
async function fromScratch() {
  const r = await ctx.db.raw(`
    select pd.month::text as month, d.scenario_class_id, d.organization_id, sum(pd.h) as operating_hours, count(*)::int as deployments,
           sum(pd.n)::int as exposure_rows, max(pd.pe)::text as max_period_end
    from (select deployment_id, date_trunc('month', period_start::timestamp)::date as month, sum(operating_hours) as h,
                 count(*) as n, max(period_end) as pe
          from exposures where operating_hours > 0 group by 1, 2) pd
    join deployments d on d.id = pd.deployment_id group by 1, 2, 3 order by 1, 2, 3`);
  return r.rows;
}
async function summary() {
  const r = await ctx.db.raw(`select month::text as month, scenario_class_id, organization_id, operating_hours, deployments,
    exposure_rows, max_period_end::text as max_period_end from exposure_month_summary order by 1, 2, 3`);
  return r.rows;
}

const MONTHLY: { dims: repo.ExposureDim[]; from?: string; to?: string }[] = [
  { dims: ['period'] },
  { dims: ['scenario_area', 'period'] },
  { dims: ['scenario_class', 'period'] },
  { dims: ['scenario_area', 'scenario_class', 'period'] },
  { dims: ['period', 'scenario_area'] },
  { dims: ['scenario_area', 'period'], from: '2021-01-01', to: '2021-12-31' },
  { dims: ['scenario_class', 'period'], from: '2020-03-01' },
  { dims: ['scenario_class', 'period'], to: '2022-06-30' },
];

/** The summary equals a recomputation, and every monthly query gives the same groups on both paths (through the summary). */
async function expectConsistent() {
  const s = await summary();
  expect(s.length).toBeGreaterThan(0);
  expect(s).toEqual(await fromScratch());
  for (const q of MONTHLY) {
    const f = { unit: 'month' as const, from: q.from, to: q.to };
    expect(await repo.summaryAnswers(ctx.db, q.dims, f)).toBe(true);
    const raw = await repo.exposureGroupsRaw(ctx.db, q.dims, f);
    expect(raw.length).toBeGreaterThan(0);
    expect(await repo.exposureGroupsFromSummary(ctx.db, q.dims, f)).toEqual(raw);
    expect(await repo.exposureGroups(ctx.db, q.dims, f)).toEqual(raw);
  }
}

// The recompute has two plans (index probes per key and deployment, or one scan): each runs the whole sequence.
describe.each([['index-probe', Number.POSITIVE_INFINITY], ['one-scan', 0]])('summary recompute by %s', (_plan, probeMax) => {
  const saved = summaryRefresh.probeMax;
  beforeAll(async () => { summaryRefresh.probeMax = probeMax; ctx = await startTestApp(); }, 120_000);
  afterAll(async () => { summaryRefresh.probeMax = saved; await ctx?.close(); });

  describe('exposure_month_summary maintained by imports', () => {
    it('after the first imports (several deployments per organization × class × month, several rows per month, 0-hour rows)', async () => {
      expect((await put('deployments', deployments())).status).toBe(200);
      let csv = EXP_HEADER;
      ORGS.forEach((_, oi) => CLASSES.forEach((_c, ci) => {
        for (let k = 0; k < 2; k++) {
          for (let m = 0; m < MONTHS; m++) {
            const ref = `S-${oi}-${ci}-${k}`;
            if (k === 1 && m % 4 === 0) {
              // two half-month rows in one month: one deployment, two rows
              csv += `${ref},${monthStart(m)},${monthStart(m).slice(0, 8)}15,${hours(oi, ci, k, m)}\n`;
              csv += `${ref},${monthStart(m).slice(0, 8)}16,${monthEnd(m)},${hours(oi, ci, k, m + 1)}\n`;
            } else {
              csv += `${ref},${monthStart(m)},${monthEnd(m)},${(oi + m) % 7 === 0 ? 0 : hours(oi, ci, k, m)}\n`;
            }
          }
        }
      }));
      const r = await put('exposures', csv);
      expect(r.status).toBe(200);
      expect(r.body.inserted).toBe(18 * MONTHS + 9 * (MONTHS / 4)); // 9 deployments (k = 1) split every 4th month in two rows;
      // (organization, class, month) keys: 3 × 3 × 60 = 540 touched; fewer rows where both deployments of a key had 0 hours
      const n = (await summary()).length;
      expect(n).toBeGreaterThan(450);
      expect(n).toBeLessThan(540);
      await expectConsistent();
    });

    it('counts deployments, not rows, and leaves out months with only 0-hour rows (hand-checked cells)', async () => {
      const cell = async (month: string) => (await ctx.db.raw(
        `select c.code, s.deployments, s.exposure_rows, s.operating_hours, s.max_period_end::text as max_period_end
         from exposure_month_summary s join organizations o on o.id = s.organization_id join scenario_classes c on c.id = s.scenario_class_id
         where o.ref = 'ORG-A' and s.month = ?::date order by c.code`, [month])).rows;
      // ORG-A, 2020-01: deployment k = 0 has 0 hours, k = 1 has two half-month rows → 1 deployment, 2 rows
      expect(await cell('2020-01-01')).toEqual([...CLASSES].sort().map((code) => {
        const ci = CLASSES.indexOf(code);
        return { code, deployments: 1, exposure_rows: 2, operating_hours: hours(0, ci, 1, 0) + hours(0, ci, 1, 1), max_period_end: '2020-01-31' };
      }));
      // ORG-A, 2020-08: both deployments 0 hours → no row (the raw path sees no exposure either)
      expect(await cell('2020-08-01')).toEqual([]);
      // ORG-A, 2020-02: two deployments, one row each
      expect((await cell('2020-02-01')).map((r: { deployments: number; exposure_rows: number }) => [r.deployments, r.exposure_rows])).toEqual([[2, 2], [2, 2], [2, 2]]);
    });

    it('after deployments change organization and scenario class (old and new keys recomputed)', async () => {
      const before = await summary();
      const r = await put('deployments', deployments({
        'S-0-0-0': { org: 'ORG-B' }, // A → B, same class
        'S-1-1-1': { cls: 'maintenance.inspection' }, // class change within B
        'S-2-2-0': { org: 'ORG-A', cls: 'manufacturing.assembly' }, // both
      }));
      expect(r.status).toBe(200);
      expect(r.body.updated).toBe(3);
      expect(await summary()).not.toEqual(before);
      await expectConsistent();
    });

    it('after exposures are updated (to 0 hours, other hours, later period ends) and added', async () => {
      let csv = EXP_HEADER;
      for (let m = 0; m < MONTHS; m += 3) csv += `S-0-1-0,${monthStart(m)},${monthEnd(m)},0\n`; // ORG-A loses class 1 in these months for k = 0
      for (let m = 1; m < MONTHS; m += 5) csv += `S-1-0-0,${monthStart(m)},${monthEnd(m)},999.75\n`;
      csv += `S-2-1-1,${monthStart(MONTHS)},${monthEnd(MONTHS)},12.5\n`; // a new month
      const r = await put('exposures', csv);
      expect(r.status).toBe(200);
      expect(r.body.updated).toBeGreaterThan(10);
      expect(r.body.inserted).toBe(1);
      await expectConsistent();
    });

    it('moving a deployment back and forth restores the summary exactly', async () => {
      const snapshotMoved = await summary();
      expect((await put('deployments', deployments({ 'S-1-1-1': { cls: 'maintenance.inspection' }, 'S-2-2-0': { org: 'ORG-A', cls: 'manufacturing.assembly' } }))).status).toBe(200);
      expect(await summary()).not.toEqual(snapshotMoved);
      await expectConsistent();
      expect((await put('deployments', deployments({ 'S-0-0-0': { org: 'ORG-B' }, 'S-1-1-1': { cls: 'maintenance.inspection' }, 'S-2-2-0': { org: 'ORG-A', cls: 'manufacturing.assembly' } }))).status).toBe(200);
      expect(await summary()).toEqual(snapshotMoved);
    });

    it('re-sending a file changes nothing; a rejected file writes nothing', async () => {
      const before = await summary();
      const csv = `${EXP_HEADER}S-0-2-0,${monthStart(5)},${monthEnd(5)},1.25\n`;
      expect((await put('exposures', csv)).status).toBe(200);
      const once = await summary();
      expect(once).not.toEqual(before);
      expect((await put('exposures', csv)).status).toBe(200);
      expect(await summary()).toEqual(once);
      const bad = await put('exposures', `${EXP_HEADER}S-0-2-0,${monthStart(6)},${monthEnd(6)},2.5\nNO-SUCH,${monthStart(6)},${monthEnd(6)},2.5\n`);
      expect(bad.status).toBe(422);
      expect(await summary()).toEqual(once);
      await expectConsistent();
    });

    it('the migration fills the summary from existing data', async () => {
      const maintained = await summary();
      await ctx.db.schema.dropTable('exposure_month_summary');
      await m0600.up(ctx.db);
      expect(await summary()).toEqual(maintained);
    });
  });

  describe('monthly statistics from the summary', () => {
    it('the monthly series over the API publishes the organizations, deployments and hours of the raw groups', async () => {
      const r = await get('/v1/statistics/incident-rates?group_by=scenario_area,period&period_unit=month');
      expect(r.status).toBe(200);
      const raw = await repo.exposureGroupsRaw(ctx.db, ['scenario_area', 'period'], { unit: 'month' });
      expect(r.body.cells).toHaveLength(raw.length);
      r.body.cells.forEach((c: JsonOf<typeof IncidentRateCell>, i: number) => {
        expect({ scenario_area: c.scenario_area, period: c.period }).toEqual(raw[i].key);
        if (c.suppressed) return;
        expect([c.organizations, c.deployments, c.operating_hours]).toEqual([raw[i].organizations, raw[i].deployments, Math.round(raw[i].hours * 100) / 100]);
      });
      expect(r.body.cells.some((c: { suppressed: string | null }) => c.suppressed === null)).toBe(true);
      expect(r.body.cells.some((c: { suppressed: string | null }) => c.suppressed !== null)).toBe(true);
    });

    it('falls back to the raw rows where the summary cannot be exact', async () => {
      const f = (from?: string, to?: string) => ({ unit: 'month' as const, from, to });
      expect(await repo.summaryAnswers(ctx.db, ['scenario_area'], f())).toBe(false); // no period: deployments over months are not additive
      expect(await repo.summaryAnswers(ctx.db, ['scenario_area', 'period'], { unit: 'quarter' })).toBe(false);
      expect(await repo.summaryAnswers(ctx.db, ['period'], f('2021-01-02'))).toBe(false); // cuts a month
      expect(await repo.summaryAnswers(ctx.db, ['period'], f(undefined, '2020-01-15'))).toBe(false); // a half-month row ends later
      expect(await repo.summaryAnswers(ctx.db, ['period'], f(undefined, '2020-01-31'))).toBe(true);
      for (const [from, to] of [['2021-01-02', '2021-06-30'], [undefined, '2020-01-15'], ['2020-01-01', '2020-05-20']]) {
        const groups = await repo.exposureGroups(ctx.db, ['scenario_class', 'period'], f(from, to));
        expect(groups).toEqual(await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], f(from, to)));
        // the summary would have counted rows that the raw filter drops
        expect(await repo.exposureGroupsFromSummary(ctx.db, ['scenario_class', 'period'], f(from, to))).not.toEqual(groups);
      }
    });
  });
});
