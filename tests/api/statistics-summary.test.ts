/**
 * The monthly exposure summary (exposure_month_summary) against the raw exposure rows: after
 * every kind of import it equals a recomputation from scratch (in JavaScript, from the raw rows),
 * and monthly statistics answered from it equal those of the raw path. Rows of a quarter or
 * across a month boundary spread their hours over the days they cover. Hours are multiples of
 * 0.25 h, and rows longer than their months carry a multiple of 0.25 h per day, so that every
 * part and sum is exact in binary floating point whatever the summation order, and every figure
 * can be compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import * as repo from '../../db/repositories/statistics.ts';
import { incidentRates } from '../../services/statistics.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';
import { summaryRefresh } from '../../db/repositories/imports.ts';
import * as m0600 from '../../db/migrations/20261123000600_exposure_month_summary.ts';
import * as m1201 from '../../db/migrations/20261201000100_exposure_spread.ts';
import * as m1205 from '../../db/migrations/20261205000100_exposure_period_firsts.ts';
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

const DAY = 86_400_000;
const dayNo = (d: string) => Date.parse(d) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The summary recomputed from scratch in JavaScript: each row's hours spread over its days, per month. */
async function fromScratch() {
  const deps = new Map<number, { org: number; cls: number }>(
    (await ctx.db('deployments').select('id', 'organization_id', 'scenario_class_id'))
      .map((d: { id: number; organization_id: number; scenario_class_id: number }) => [d.id, { org: d.organization_id, cls: d.scenario_class_id }]),
  );
  const rows: { deployment_id: number; ps: string; pe: string; h: number }[] = (await ctx.db.raw(
    `select deployment_id, period_start::text as ps, period_end::text as pe, operating_hours as h from exposures where operating_hours > 0`,
  )).rows;
  const perDeploymentMonth = new Map<string, { dep: number; month: string; h: number; n: number }>();
  for (const r of rows) {
    const [ps, pe] = [dayNo(r.ps), dayNo(r.pe)];
    for (let month = r.ps.slice(0, 7); month <= r.pe.slice(0, 7);) {
      const [y, m] = month.split('-').map(Number);
      const first = Date.UTC(y, m - 1, 1) / DAY;
      const last = Date.UTC(y, m, 0) / DAY;
      const [a, b] = [Math.max(ps, first), Math.min(pe, last)];
      const part = a === ps && b === pe ? r.h : (r.h * (b - a + 1)) / (pe - ps + 1);
      const key = `${r.deployment_id}|${month}`;
      const cell = perDeploymentMonth.get(key) ?? { dep: r.deployment_id, month: isoOf(first), h: 0, n: 0 };
      cell.h += part;
      cell.n += 1;
      perDeploymentMonth.set(key, cell);
      month = isoOf(last + 1).slice(0, 7);
    }
  }
  const out = new Map<string, { month: string; scenario_class_id: number; organization_id: number; operating_hours: number; deployments: number; exposure_rows: number;
    first_in_quarter: number; first_in_year: number; first_ever: number }>();
  // a deployment's months with hours, in order: the first of each quarter, year and of all of them
  const present = [...perDeploymentMonth.values()].filter((c) => c.h > 0).sort((x, y) => x.dep - y.dep || (x.month < y.month ? -1 : 1));
  const quarterOf = (month: string) => `${month.slice(0, 4)}-${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
  present.forEach((c, i) => {
    const prev = i > 0 && present[i - 1].dep === c.dep ? present[i - 1].month : null;
    const d = deps.get(c.dep)!;
    const key = `${c.month}|${d.cls}|${d.org}`;
    const o = out.get(key) ?? { month: c.month, scenario_class_id: d.cls, organization_id: d.org, operating_hours: 0, deployments: 0, exposure_rows: 0,
      first_in_quarter: 0, first_in_year: 0, first_ever: 0 };
    o.operating_hours += c.h;
    o.deployments += 1;
    o.exposure_rows += c.n;
    if (prev === null || quarterOf(prev) !== quarterOf(c.month)) o.first_in_quarter += 1;
    if (prev === null || prev.slice(0, 4) !== c.month.slice(0, 4)) o.first_in_year += 1;
    if (prev === null) o.first_ever += 1;
    out.set(key, o);
  });
  return [...out.values()].sort((x, y) => (x.month < y.month ? -1 : x.month > y.month ? 1 : x.scenario_class_id - y.scenario_class_id || x.organization_id - y.organization_id));
}
async function summary() {
  const r = await ctx.db.raw(`select month::text as month, scenario_class_id, organization_id, operating_hours, deployments,
    exposure_rows, first_in_quarter, first_in_year, first_ever from exposure_month_summary order by 1, 2, 3`);
  return r.rows;
}

const SUMMARY_QUERIES: { dims: repo.ExposureDim[]; unit?: repo.PeriodUnit; from?: string; to?: string }[] = [
  { dims: ['period'] },
  { dims: ['scenario_area', 'period'] },
  { dims: ['scenario_class', 'period'] },
  { dims: ['scenario_area', 'scenario_class', 'period'] },
  { dims: ['period', 'scenario_area'] },
  { dims: ['scenario_area', 'period'], from: '2021-01-01', to: '2021-12-31' },
  { dims: ['scenario_class', 'period'], from: '2020-03-01' },
  { dims: ['scenario_class', 'period'], to: '2022-06-30' },
  // quarters and years: deployments counted in their first month with hours of the bucket
  { dims: ['period'], unit: 'quarter' },
  { dims: ['scenario_class', 'period'], unit: 'quarter' },
  { dims: ['scenario_area', 'period'], unit: 'quarter', from: '2023-01-01', to: '2023-12-31' },
  { dims: ['scenario_class', 'period'], unit: 'quarter', from: '2023-04-01', to: '2024-02-29' }, // ends inside a quarter
  { dims: ['scenario_class', 'period'], unit: 'year' },
  { dims: ['scenario_area', 'scenario_class', 'period'], unit: 'year', from: '2022-01-01' },
  { dims: ['scenario_area', 'period'], unit: 'year', to: '2023-05-31' },
  // no period: all history (up to `to`), or one month, quarter or year (or its first months)
  { dims: [] },
  { dims: ['scenario_class'] },
  { dims: ['scenario_area'], to: '2023-02-28' },
  { dims: ['scenario_class'], from: '2023-01-01', to: '2023-12-31' },
  { dims: ['scenario_area'], from: '2023-10-01', to: '2023-12-31' },
  { dims: ['scenario_class'], from: '2024-01-01', to: '2024-01-31' },
  { dims: ['scenario_class'], from: '2023-07-01', to: '2023-08-31' },
];

/** The summary equals a recomputation, and every query it answers gives the same groups on both paths (through the summary). */
async function expectConsistent() {
  const s = await summary();
  expect(s.length).toBeGreaterThan(0);
  expect(s).toEqual(await fromScratch());
  for (const q of SUMMARY_QUERIES) {
    const f = { unit: q.unit ?? 'month', from: q.from, to: q.to };
    expect(repo.summaryAnswers(q.dims, f)).toBe(true);
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
            if (oi === 2 && k === 0 && m >= 36 && m < 48) {
              // ORG-C reports 2023 by quarter for its first deployments: 2 h a day, spread over the months
              if (m % 3 === 0) csv += `${ref},${monthStart(m)},${monthEnd(m + 2)},${2 * (dayNo(monthEnd(m + 2)) - dayNo(monthStart(m)) + 1)}\n`;
            } else if (oi === 1 && ci === 0 && k === 0 && (m === 48 || m === 49)) {
              // ORG-B, one deployment: a period across the January / February 2024 boundary (0.5 h a day)
              if (m === 48) csv += `${ref},2024-01-01,2024-01-15,30\n${ref},2024-01-16,2024-02-15,15.5\n${ref},2024-02-16,2024-02-29,10.5\n`;
            } else if (k === 1 && m % 4 === 0) {
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
      // 18 deployments × 60 months, 9 deployments (k = 1) split every 4th month in two rows, 3 deployments
      // with 4 quarters instead of 12 months in 2023, one with 3 rows instead of 2 months in 2024
      expect(r.body.inserted).toBe(18 * MONTHS + 9 * (MONTHS / 4) - 3 * 8 + 1);
      expect(r.body.inserted).toBe(csv.trim().split('\n').length - 1);
      // (organization, class, month) keys: 3 × 3 × 60 = 540 touched; fewer rows where both deployments of a key had 0 hours
      const n = (await summary()).length;
      expect(n).toBeGreaterThan(450);
      expect(n).toBeLessThan(540);
      await expectConsistent();
    });

    it('counts deployments, not rows, and leaves out months with only 0-hour rows (hand-checked cells)', async () => {
      const cell = async (month: string, org = 'ORG-A') => (await ctx.db.raw(
        `select c.code, s.deployments, s.exposure_rows, s.operating_hours
         from exposure_month_summary s join organizations o on o.id = s.organization_id join scenario_classes c on c.id = s.scenario_class_id
         where o.ref = ? and s.month = ?::date order by c.code`, [org, month])).rows;
      // ORG-A, 2020-01: deployment k = 0 has 0 hours, k = 1 has two half-month rows → 1 deployment, 2 rows
      expect(await cell('2020-01-01')).toEqual([...CLASSES].sort().map((code) => {
        const ci = CLASSES.indexOf(code);
        return { code, deployments: 1, exposure_rows: 2, operating_hours: hours(0, ci, 1, 0) + hours(0, ci, 1, 1) };
      }));
      // ORG-A, 2020-08: both deployments 0 hours → no row (the raw path sees no exposure either)
      expect(await cell('2020-08-01')).toEqual([]);
      // ORG-C, 2023-02 (month 37): the quarterly row's February part (28 days × 2 h) and the monthly row of k = 1
      expect(await cell('2023-02-01', 'ORG-C')).toEqual([...CLASSES].sort().map((code) => {
        const ci = CLASSES.indexOf(code);
        return { code, deployments: 2, exposure_rows: 2, operating_hours: 56 + hours(2, ci, 1, 37) };
      }));
      // ORG-B, manufacturing.assembly, January and February 2024: 30 h + 16 days × 0.5 h; 15 days × 0.5 h + 10.5 h
      const assembly = async (month: string) => (await cell(month, 'ORG-B')).find((r: { code: string }) => r.code === 'manufacturing.assembly');
      expect(await assembly('2024-01-01')).toEqual({ code: 'manufacturing.assembly', deployments: 2, exposure_rows: 4, operating_hours: 30 + 8 + hours(1, 0, 1, 48) + hours(1, 0, 1, 49) });
      expect(await assembly('2024-02-01')).toEqual({ code: 'manufacturing.assembly', deployments: 2, exposure_rows: 3, operating_hours: 7.5 + 10.5 + hours(1, 0, 1, 49) });
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

    it('a shortened period recomputes the months it no longer covers; overlapping periods are refused', async () => {
      // ORG-C's 2023 Q4 row of assembly (2023-10-01..12-31) becomes October–November only
      const ref = 'S-2-0-0';
      const before = await summary();
      // in December 2023 only this row has hours in ORG-C's assembly cell (the other deployment reports 0 h)
      const december = async () => (await ctx.db.raw(`select s.deployments, s.operating_hours from exposure_month_summary s join organizations o on o.id = s.organization_id
        join scenario_classes c on c.id = s.scenario_class_id where o.ref = 'ORG-C' and c.code = 'manufacturing.assembly' and s.month = '2023-12-01'`)).rows;
      expect(await december()).toEqual([{ deployments: 1, operating_hours: 62 }]);
      expect((await put('exposures', `${EXP_HEADER}${ref},2023-10-01,2023-11-30,122\n`)).status).toBe(200);
      expect(await december()).toEqual([]);
      expect(await summary()).not.toEqual(before);
      await expectConsistent();
      // a December row for the gap is fine; one reaching back into November overlaps the stored row
      const overlapStored = await put('exposures', `${EXP_HEADER}${ref},2023-11-20,2023-12-31,84\n`);
      expect(overlapStored.status).toBe(422);
      expect(overlapStored.body.errors).toEqual([expect.objectContaining({ line: 2, field: 'period_start',
        message: 'period 2023-11-20..2023-12-31 overlaps the stored period 2023-10-01..2023-11-30 of deployment S-2-0-0' })]);
      // two lines of one file that overlap: both are listed; a third that does not overlap is not
      const overlapFile = await put('exposures', `${EXP_HEADER}${ref},2025-01-01,2025-01-31,10\n${ref},2025-01-20,2025-02-10,10\n${ref},2025-02-11,2025-02-28,10\n`);
      expect(overlapFile.status).toBe(422);
      expect(overlapFile.body.errors.map((p: { line: number }) => p.line)).toEqual([2, 3]);
      // a period longer than a year is refused at the row
      const long = await put('exposures', `${EXP_HEADER}${ref},2025-01-01,2026-01-02,10\n`);
      expect(long.status).toBe(422);
      expect(long.body.errors[0]).toMatchObject({ line: 2, field: 'period_end' });
      expect(await summary()).toEqual(await fromScratch());
      expect((await put('exposures', `${EXP_HEADER}${ref},2023-12-01,2023-12-31,62\n`)).status).toBe(200);
      await expectConsistent();
    });

    it('a month gaining or losing hours moves the first-month counts of later months the file does not touch', async () => {
      // deployment S-0-0-0 reports monthly in 2022 (January to March with hours); set to 0 h in January and
      // February and back, its first month with hours of Q1 2022 and of 2022 moves to March and back
      const firsts = async (month: string) => (await ctx.db.raw(`select s.deployments, s.first_in_quarter, s.first_in_year, s.first_ever
        from exposure_month_summary s join deployments d on d.organization_id = s.organization_id and d.scenario_class_id = s.scenario_class_id
        where d.ref = 'S-0-0-0' and s.month = ?::date`, [month])).rows[0];
      const march = await firsts('2022-03-01');
      expect((await put('exposures', `${EXP_HEADER}S-0-0-0,2022-01-01,2022-01-31,0\nS-0-0-0,2022-02-01,2022-02-28,0\n`)).status).toBe(200);
      expect(await firsts('2022-03-01')).toEqual({ ...march, first_in_quarter: march.first_in_quarter + 1, first_in_year: march.first_in_year + 1 });
      await expectConsistent();
      expect((await put('exposures', `${EXP_HEADER}S-0-0-0,2022-02-01,2022-02-28,4.5\n`)).status).toBe(200);
      expect(await firsts('2022-03-01')).toEqual(march);
      await expectConsistent();
    });

    it('the migrations fill the summary from existing data', async () => {
      const maintained = await summary();
      await ctx.db.schema.dropTable('exposure_month_summary');
      await m0600.up(ctx.db);
      await m1201.up(ctx.db);
      await m1205.up(ctx.db);
      expect(await summary()).toEqual(maintained);
    });
  });

  describe('monthly statistics from the summary', () => {
    it('the monthly series over the API publishes the organizations, deployments and hours of the raw groups', async () => {
      let counted = 0;
      for (const dim of ['scenario_area', 'scenario_class'] as const) {
        const r = await get(`/v1/statistics/incident-rates?group_by=${dim},period&period_unit=month`);
        expect(r.status).toBe(200);
        const raw = await repo.exposureGroupsRaw(ctx.db, [dim, 'period'], { unit: 'month' });
        expect(r.body.cells).toHaveLength(raw.length);
        r.body.cells.forEach((c: JsonOf<typeof IncidentRateCell>, i: number) => {
          expect({ [dim]: c[dim], period: c.period }).toEqual(raw[i].key);
          if (c.suppressed) return;
          expect(c.operating_hours).toEqual(Math.round(raw[i].hours * 100) / 100);
          // counts only over finest cells inside no withheld cell (docs/disclosure-control.md §2): else both null
          if (c.deployments === null) { expect(c.organizations).toBeNull(); return; }
          expect([c.organizations, c.deployments]).toEqual([raw[i].organizations, raw[i].deployments]);
          counted += 1;
        });
        expect(r.body.cells.some((c: { suppressed: string | null }) => c.suppressed === null)).toBe(true);
        expect(r.body.cells.some((c: { suppressed: string | null }) => c.suppressed !== null)).toBe(true);
        // here every published cell lies over a withheld one; with disclosure control off every cell publishes its counts
        const open = await incidentRates(ctx.db, { group_by: [dim, 'period'], period_unit: 'month' }, { ...DEFAULT_DISCLOSURE_RULES, minContributors: 1, dominance: 1, pPercent: 0 });
        expect(open.cells).toHaveLength(raw.length);
        open.cells.forEach((c, i) => {
          expect([c.organizations, c.deployments, c.operating_hours]).toEqual([raw[i].organizations, raw[i].deployments, Math.round(raw[i].hours * 100) / 100]);
          counted += 1;
        });
      }
      expect(counted).toBeGreaterThan(0);
    });

    it('falls back to the raw rows where the summary cannot be exact', async () => {
      const f = (from?: string, to?: string) => ({ unit: 'month' as const, from, to });
      expect(repo.summaryCounter(['scenario_area'], f())).toBe('first_ever');
      expect(repo.summaryCounter(['scenario_area', 'period'], { unit: 'quarter' })).toBe('first_in_quarter');
      expect(repo.summaryCounter(['scenario_area', 'period'], { unit: 'year', to: '2023-05-31' })).toBe('first_in_year');
      expect(repo.summaryCounter(['scenario_area'], f('2023-04-01', '2023-05-31'))).toBe('first_in_quarter');
      // a window starting inside a bucket: a deployment's first month there may lie before the window
      expect(repo.summaryAnswers(['scenario_area', 'period'], { unit: 'year', from: '2023-04-01' })).toBe(false);
      expect(repo.summaryAnswers(['scenario_area', 'period'], { unit: 'quarter', from: '2023-02-01', to: '2023-12-31' })).toBe(false);
      expect(repo.summaryAnswers(['scenario_area'], f('2023-02-01', '2023-03-31'))).toBe(false);
      expect(repo.summaryAnswers(['scenario_area'], f('2023-01-01', '2024-06-30'))).toBe(false); // more than one year
      expect(repo.summaryAnswers(['scenario_area'], f('2023-01-01'))).toBe(false);
      expect(repo.summaryAnswers(['period'], f('2021-01-02'))).toBe(false); // cuts a month
      expect(repo.summaryAnswers(['period'], f(undefined, '2020-01-15'))).toBe(false);
      expect(repo.summaryAnswers(['period'], f(undefined, '2024-02-28'))).toBe(false); // a leap year's February ends on the 29th
      expect(repo.summaryAnswers(['period'], f('2020-01-01', '2024-02-29'))).toBe(true);
      for (const [from, to] of [['2021-01-02', '2021-06-30'], [undefined, '2020-01-15'], ['2023-02-15', '2023-05-20']]) {
        const groups = await repo.exposureGroups(ctx.db, ['scenario_class', 'period'], f(from, to));
        expect(groups).toEqual(await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], f(from, to)));
        // the summary would have counted whole months where the window cuts them
        await expect(repo.exposureGroupsFromSummary(ctx.db, ['scenario_class', 'period'], f(from, to))).rejects.toThrow(/does not answer/);
      }
      // the raw path is still right where the summary is not: a year from April counts the deployments with hours from April on
      const fromApril = await repo.exposureGroups(ctx.db, ['scenario_class', 'period'], { unit: 'year', from: '2023-04-01' });
      expect(fromApril).toEqual(await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], { unit: 'year', from: '2023-04-01' }));
      expect(fromApril.length).toBeGreaterThan(0);
    });

    it('a window clips rows: their part inside it, pro rata of their days', async () => {
      // June 2023 (30 days): whole-month rows and ORG-C's second-quarter rows (2 h a day) only, so a
      // 10-day window holds a third of every cell's June hours, with the same deployments
      const june = await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], { unit: 'month', from: '2023-06-01', to: '2023-06-30' });
      const window = await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], { unit: 'month', from: '2023-06-11', to: '2023-06-20' });
      expect(window.map((g) => [g.key, g.deployments, g.organizations])).toEqual(june.map((g) => [g.key, g.deployments, g.organizations]));
      window.forEach((g, i) => expect(g.hours / (june[i].hours / 3) - 1).toBeCloseTo(0, 12));
      const quarterly = (await repo.exposureGroupsRaw(ctx.db, ['period'], { unit: 'quarter', from: '2023-06-11', to: '2023-06-20' }));
      expect(quarterly.map((g) => g.key.period)).toEqual(['2023-Q2']);
      expect(quarterly[0].hours).toBeCloseTo(window.reduce((a, g) => a + g.hours, 0), 9);
    });

    it('quarters and years add up the months, whatever the reporting period of the rows', async () => {
      const by = async (unit: repo.PeriodUnit) => {
        const out = new Map<string, number>();
        for (const g of await repo.exposureGroupsRaw(ctx.db, ['scenario_class', 'period'], { unit })) out.set(`${g.key.scenario_class}|${g.key.period}`, g.hours);
        return out;
      };
      const months = await by('month');
      const quarters = await by('quarter');
      const rollUp = new Map<string, number>();
      for (const [key, h] of months) {
        const [cls, p] = key.split('|');
        const q = `${cls}|${p.slice(0, 4)}-Q${Math.ceil(Number(p.slice(5)) / 3)}`;
        rollUp.set(q, (rollUp.get(q) ?? 0) + h);
      }
      expect([...rollUp.keys()].sort()).toEqual([...quarters.keys()].sort());
      for (const [key, h] of quarters) expect(h / rollUp.get(key)! - 1).toBeCloseTo(0, 12);
      const years = await by('year');
      const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      expect(total(years) / total(quarters) - 1).toBeCloseTo(0, 12);
      expect([...years.keys()].map((k) => k.split('|')[1])).toContain('2024');
    });
  });
});
