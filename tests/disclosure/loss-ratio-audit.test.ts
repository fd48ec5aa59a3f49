/**
 * Attacker audit of the loss ratios (docs/disclosure-control.md §6, §7 "Loss ratios") and the
 * invalidation of their protected structure per data version (§3.4).
 *
 * On the demo history (its fitted models price the quotes), bound business is generated here
 * through the API: backdated quotes of ≥ 5 organizations, in the scenario classes each one runs,
 * over random whole-month periods, bound by the underwriter; some endorsed (units added mid-term),
 * some cancelled. Then every answerable loss-ratio query is sent as a regulator — area levels
 * (none, area) × windows (all time, each year, quarter, month of the data) and each period unit —
 * and
 *
 * 1. every published figure (earned premium, incurred losses) equals the sum of the true finest
 *    cells (area × month) it covers, and a cell has the same value and status in every answer;
 * 2. with glpk.js, over all published figures at once and the non-negativity of the finest cells,
 *    each withheld cell's interval on earned premium and on incurred losses respects the
 *    protection level (±20 %) and is never a point — at least 100 CNY wide, so that a withheld
 *    zero (no losses) is not pinned to [0, rounding];
 * 3. every published count of insured organizations lies over published finest cells only
 *    (tests/helpers/count-audit.ts): no equation or inequality on the counts involves a withheld cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { feasibleIntervals, protects, type Equation } from '../../services/lp-audit.ts';
import * as repo from '../../db/repositories/statistics.ts';
import { buildLossRatioStructure, lossRatioStructure, LOSS_RATIO_DIMS } from '../../services/protected-tables.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';
import { cellId, TOTAL } from '../../services/linked-tables.ts';
import { calendarPeriodOf } from '../../domain/calendar.ts';
import { lossRatios } from '../../services/statistics.ts';
import { answerableWindows } from '../helpers/windows.ts';
import { countsOverWithheld, type SeenCounts } from '../helpers/count-audit.ts';

const PROTECTION = 0.2; // the default DISCLOSURE_PROTECTION
const TOLERANCE = 0.005; // published amounts are rounded to the cent
const MIN_WIDTH = 100; // a withheld amount, zero included, stays uncertain by at least 100 CNY (LOSS_RATIO_MIN_WIDTH)
type Cell = Record<string, string | number | null> & { suppressed: string | null };

let ctx: TestContext;
const post = (path: string, body: unknown) => request(ctx.baseUrl).post(path).set(bearer(ctx.keys.underwriter)).send(body as object);

/** mulberry32: a small seeded generator, so the generated business is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addMonths = (first: string, n: number) => { const d = new Date(`${first}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return iso(d); };
const dayBefore = (day: string) => iso(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000));

/**
 * A backdated quote of `org` over `period` with these fleet lines (about 2,400 hours per unit and
 * year), bound by the underwriter — a referred one quoted by the underwriter first; null when it
 * was declined or a subjectivity holds the bind.
 */
async function bindNew(org: string, period: { start: string; end: string }, fleet: { scenario_class: string; robot_model: string }[], coverages: string[]): Promise<string | null> {
  const days = (Date.parse(period.end) - Date.parse(period.start)) / 86_400_000 + 1;
  const r = await post('/v1/quotes', {
    organization_ref: org, basis: 'annual', period, backdating: { reason: 'generated bound business for the loss-ratio audit' },
    fleet: fleet.map((l) => ({ ...l, units: 4, autonomy_level: 'supervised', operating_hours_per_unit: Math.round((2400 * days) / 366), safety: { safety_officer_on_site: true } })),
    coverages: coverages.map((coverage) => ({ coverage, deductible: 1000, per_occurrence_limit: 1_000_000 })),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  if (r.body.status === 'referred') {
    const d = await post(`/v1/quotes/${r.body.ref}/decision`, { decision: 'quoted', note: 'generated business: accepted as referred' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
  } else if (r.body.status !== 'quoted') return null;
  const b = await post(`/v1/quotes/${r.body.ref}/bind`, {});
  if (b.status === 409) return null; // an open bind subjectivity
  expect(b.status, JSON.stringify(b.body)).toBe(200);
  return b.body.policy_number as string;
}

/** The demo enterprises' scenario classes, each with a robot model the enterprise runs there. */
async function classesRun(): Promise<Map<string, { scenario_class: string; robot_model: string }[]>> {
  const runs = (await ctx.db.raw(`select o.ref, c.code as scenario_class, min(m.code) as robot_model
    from deployments d join robot_models m on m.id = d.robot_model_id join organizations o on o.id = d.organization_id join scenario_classes c on c.id = d.scenario_class_id
    where o.ref like 'ENT-%' group by o.ref, c.code order by o.ref, c.code`)).rows as { ref: string; scenario_class: string; robot_model: string }[];
  const byOrg = new Map<string, { scenario_class: string; robot_model: string }[]>();
  for (const r of runs) byOrg.set(r.ref, [...(byOrg.get(r.ref) ?? []), { scenario_class: r.scenario_class, robot_model: r.robot_model }]);
  return byOrg;
}

interface Generated { policies: number; organizations: Set<string>; endorsed: number; cancelled: number }

/**
 * Bound business of the demo's enterprises: for each of the first `orgs` enterprises with
 * deployments, two or three policies of 6–15 months starting on the first of a month of the
 * history, each with one or two fleet lines in classes the organization runs and a random subset
 * of the coverages; every third policy endorsed (two more units on line 1 from a month after
 * inception), every fourth cancelled (from a month before its end).
 */
async function generateBusiness(seed: number, orgs: number): Promise<Generated> {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const span = (await ctx.db.raw(`select to_char(min(month), 'YYYY-MM-DD') as first, to_char(max(month), 'YYYY-MM-DD') as last from exposure_month_summary`)).rows[0];
  const byOrg = await classesRun();
  const months: string[] = [];
  for (let m = span.first as string; m <= span.last; m = addMonths(m, 1)) months.push(m);
  const out: Generated = { policies: 0, organizations: new Set(), endorsed: 0, cancelled: 0 };
  for (const [org, classes] of [...byOrg].slice(0, orgs)) {
    const n = 2 + Math.floor(random() * 2);
    for (let k = 0; k < n; k++) {
      const start = pick(months.slice(0, Math.max(1, months.length - 6)));
      const length = 6 + Math.floor(random() * 10);
      const period = { start, end: dayBefore(addMonths(start, length)) };
      const fleet = [pick(classes), ...(random() < 0.5 ? [pick(classes)] : [])];
      const coverages = ['robot_damage', 'third_party_liability', 'business_interruption'].filter((_, i) => i === 0 || random() < 0.6);
      const policy = await bindNew(org, period, fleet, coverages);
      if (!policy) continue;
      out.policies += 1;
      out.organizations.add(org);
      if (out.policies % 3 === 0) {
        const e = await post(`/v1/policies/${policy}/endorsements`, { effective_date: addMonths(start, 1), reason: 'two more robots', lines: [{ line: 1, add_units: 2 }] });
        expect(e.status, JSON.stringify(e.body)).toBe(201);
        out.endorsed += 1;
      }
      if (out.policies % 4 === 0) {
        const c = await post(`/v1/policies/${policy}/cancellation`, { effective_date: addMonths(start, length - 1), reason: 'fleet sold' });
        expect(c.status, JSON.stringify(c.body)).toBe(200);
        out.cancelled += 1;
      }
    }
  }
  return out;
}

const windows = answerableWindows;

/** The structure's key of a response cell: its area (or all), its period (or the window's calendar period, or all time). */
function keyOf(c: Cell, path: string): string {
  const u = new URL(path, 'http://x');
  const from = u.searchParams.get('from');
  const to = u.searchParams.get('to');
  const period = (c.period as string | undefined) ?? (from && to ? calendarPeriodOf(from, to)!.period : TOTAL);
  return `${(c.scenario_area as string | undefined) ?? TOTAL}|${period}`;
}

interface AuditResult { answers: number; published: number; withheld: number; failures: string[]; narrowest: number[]; countsPublished: number }

/** Sends every answerable loss-ratio query as a regulator; checks every published figure and every withheld cell's LP interval. */
async function auditLossRatios(): Promise<AuditResult> {
  // finest cells: area × month, true earned premium and incurred (summed over organizations)
  const byCell = new Map<string, { area: string; month: string; m: number[] }>();
  for (const r of await repo.lossRatioBaseRows(ctx.db)) {
    const k = `${r.scenario_area}|${r.month}`;
    const o = byCell.get(k) ?? { area: r.scenario_area, month: r.month, m: [0, 0] };
    o.m[0] += r.earned; o.m[1] += r.incurred;
    byCell.set(k, o);
  }
  const base = [...byCell.values()];
  const months = [...new Set(base.map((b) => b.month))].sort();
  const queries: string[] = [];
  for (const g of ['', 'scenario_area']) {
    for (const w of windows(months)) queries.push(`/v1/statistics/loss-ratios?group_by=${g}${w.q}`);
    for (const u of ['month', 'quarter', 'year']) queries.push(`/v1/statistics/loss-ratios?group_by=${g ? `${g},` : ''}period&period_unit=${u}`);
  }
  const fields = ['earned_premium', 'incurred_losses'];
  const seen = new Map<string, SeenCounts & { values: (number | null)[] }>();
  const failures: string[] = [];
  for (const path of queries) {
    const r = await request(ctx.baseUrl).get(path).set(bearer(ctx.keys.regulator));
    expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    expect(r.body.disclosure.method).toBe('linked_tables');
    for (const c of r.body.cells as Cell[]) {
      const key = keyOf(c, path);
      const entry = { suppressed: c.suppressed !== null, values: fields.map((f) => c[f] as number | null), counts: [c.organizations as number | null] };
      if (!entry.suppressed && entry.values[0]! > 0) {
        // a published loss ratio with its earned premium is the incurred: the three published figures agree
        expect(Math.abs((c.loss_ratio as number) - entry.values[1]! / entry.values[0]!)).toBeLessThan(1e-4);
      }
      const prev = seen.get(key);
      if (prev && (prev.suppressed !== entry.suppressed || prev.values.some((v, i) => Math.abs((v ?? 0) - (entry.values[i] ?? 0)) > 1e-6) || prev.counts[0] !== entry.counts[0])) {
        failures.push(`${key}: different in two answers (${JSON.stringify(prev)} vs ${JSON.stringify(entry)}, ${path})`);
      }
      seen.set(key, entry);
    }
  }
  const up = (d: number, v: string) => LOSS_RATIO_DIMS[d].up(v);
  const members = (key: string) => {
    const [area, period] = key.split('|');
    return base.flatMap((b, i) => ((area === TOTAL || area === b.area) && (period === TOTAL || period === b.month || up(1, b.month).includes(period)) ? [i] : []));
  };
  const truth = (cells: readonly number[], m: number) => cells.reduce((s, i) => s + base[i].m[m], 0);
  // 3. counts of insured organizations only over published finest cells (area × month of the true data)
  failures.push(...countsOverWithheld(seen, (k) => members(k).map((i) => `${base[i].area}|${base[i].month}`)));
  const published = [...seen].filter(([, e]) => !e.suppressed);
  const withheld = [...seen].filter(([, e]) => e.suppressed).map(([k]) => ({ key: k, cells: members(k) }));
  const narrowest = [Infinity, Infinity];
  for (let m = 0; m < fields.length; m++) {
    const equations: Equation[] = published.map(([k, e]) => ({ cells: members(k), value: e.values[m]!, tolerance: TOLERANCE }));
    for (const [i, [k]] of published.entries()) {
      const t = truth(equations[i].cells, m);
      if (Math.abs(t - equations[i].value) > TOLERANCE + 1e-6) failures.push(`${k} ${fields[m]}: published ${equations[i].value}, finest cells add to ${t}`);
    }
    const intervals = await feasibleIntervals(equations, withheld.map((w) => w.cells));
    const slack = TOLERANCE * 2 * base.length + 1e-6;
    intervals.forEach((iv, i) => {
      const v = truth(withheld[i].cells, m);
      if (v > 0) narrowest[m] = Math.min(narrowest[m], (iv.hi - iv.lo) / v);
      if (!protects(iv, v, PROTECTION, slack) || iv.hi - iv.lo < MIN_WIDTH - 2 * slack) failures.push(`${withheld[i].key} ${fields[m]} = ${v}: attacker's interval [${iv.lo}, ${iv.hi}]`);
    });
  }
  return { answers: queries.length, published: published.length, withheld: withheld.length, failures, narrowest, countsPublished: [...seen.values()].filter((e) => e.counts[0] !== null).length };
}

beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 600_000);
afterAll(async () => { await ctx?.close(); });

describe('loss-ratio structure: cached per data version', () => {
  // disclosure control off (one organization may form a cell, no p % rule): every cell is published
  const open = { ...DEFAULT_DISCLOSURE_RULES, minContributors: 1, dominance: 1, pPercent: 0 };
  const allTime = async () => (await lossRatioStructure(ctx.db, open)).cells.get(cellId([TOTAL, TOTAL]))?.measures ?? [0, 0];
  const answer = async () => (await lossRatios(ctx.db, { group_by: [], period_unit: 'year' }, open)).cells[0] as { earned_premium: number | null; incurred_losses: number | null } | undefined;
  const version = async () => Number((await ctx.db('cache_versions').where({ name: 'bound_business' }).first('version')).version);

  it('a read reuses the structure; binding, endorsing and cancelling each rebuild it, and the next answer reflects the change', async () => {
    const s0 = await lossRatioStructure(ctx.db, open);
    expect(await lossRatioStructure(ctx.db, open)).toBe(s0); // no write: the same structure
    const v0 = await version();
    const [e0] = await allTime();

    let policy: string | null = null;
    for (const [org, classes] of await classesRun()) {
      policy = await bindNew(org, { start: '2025-01-01', end: '2025-12-31' }, [classes[0]], ['robot_damage']);
      if (policy) break;
    }
    expect(policy).not.toBeNull();
    expect(await version()).toBeGreaterThan(v0);
    const s1 = await lossRatioStructure(ctx.db, open);
    expect(s1).not.toBe(s0);
    const [e1] = await allTime();
    expect(e1).toBeGreaterThan(e0);
    expect((await answer())!.earned_premium).toBeCloseTo(e1, 2);

    const v1 = await version();
    const e = await post(`/v1/policies/${policy}/endorsements`, { effective_date: '2025-04-01', reason: 'four more robots', lines: [{ line: 1, add_units: 4 }] });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    expect(await version()).toBeGreaterThan(v1);
    const s2 = await lossRatioStructure(ctx.db, open);
    expect(s2).not.toBe(s1);
    const [e2] = await allTime();
    expect(e2).toBeGreaterThan(e1); // more units: more premium from April
    expect((await answer())!.earned_premium).toBeCloseTo(e2, 2);

    const v2 = await version();
    const c = await post(`/v1/policies/${policy}/cancellation`, { effective_date: '2025-07-01', reason: 'fleet sold' });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(await version()).toBeGreaterThan(v2);
    const s3 = await lossRatioStructure(ctx.db, open);
    expect(s3).not.toBe(s2);
    const [e3] = await allTime();
    expect(e3).toBeLessThan(e2); // no premium earned after June
    expect(e3).toBeGreaterThan(e0);
    expect((await answer())!.earned_premium).toBeCloseTo(e3, 2);
  }, 120_000);
});

describe('attacker audit of the loss ratios on generated bound business', () => {
  it('every published figure is a true sum; no withheld earned premium or incurred loss can be narrowed below the protection level', async () => {
    const g = await generateBusiness(20261208, 40);
    console.log(`generated: ${g.policies} policies of ${g.organizations.size} organizations, ${g.endorsed} endorsed, ${g.cancelled} cancelled`);
    expect(g.organizations.size).toBeGreaterThanOrEqual(5);
    expect(g.endorsed).toBeGreaterThan(0);
    expect(g.cancelled).toBeGreaterThan(0);
    let t = performance.now();
    const s = await buildLossRatioStructure(ctx.db, DEFAULT_DISCLOSURE_RULES);
    console.log(`loss-ratio structure: ${s.cells.size} cells (${s.finest.length} finest), ${s.primary} primary + ${s.complementary} complementary withheld, LP-checked ${s.lpAudited}, built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    expect(s.lpAudited).toBe(true);
    t = performance.now();
    const r = await auditLossRatios();
    console.log(`loss ratios: ${r.answers} answers, ${r.published} published (${r.countsPublished} with their count of organizations) and ${r.withheld} withheld cells, narrowest interval ${r.narrowest.map((x) => `${(100 * x).toFixed(0)} %`).join(' / ')} of the value (earned / incurred), ${((performance.now() - t) / 1000).toFixed(1)} s`);
    expect(r.failures, r.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(r.published).toBeGreaterThan(0);
    expect(r.withheld).toBeGreaterThan(0);
  }, 600_000);
});
