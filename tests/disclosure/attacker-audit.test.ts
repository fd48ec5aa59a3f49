/**
 * Attacker audit of the regulator statistics (docs/disclosure-control.md §6), on the demo history
 * and on a generated smaller one: enumerate every answer a regulator can obtain — each grouping of
 * the class hierarchy (none, area, class) × every answerable window (all time, each year, quarter
 * and month; severity: quarter and year) and period unit, for incident rates and for the severity
 * of each coverage (× severity level) — and check that
 *
 * 1. every published figure is the sum of the true finest cells it covers (each answer is a cell
 *    of the one fixed linked structure; a cell has the same value and status in every answer);
 * 2. by linear programming over all published figures at once and the non-negativity of the
 *    finest cells, the feasible interval of every withheld cell, on every audited measure (hours
 *    and incidents; incurred and claims), is wider than the protection level (±20 % of the true
 *    value by default) and never a point;
 * 3. every published count (organizations and deployments of a rate cell, share_open of a severity
 *    cell) lies over published finest cells only (tests/helpers/count-audit.ts), and, by LP per
 *    period column, the deployments of every class whose count is withheld cannot be narrowed
 *    below the protection level from the published deployments of classes, areas and the total.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { feasibleIntervals, protects, type Equation } from '../../services/lp-audit.ts';
import * as repo from '../../db/repositories/statistics.ts';
import { buildRateAndScorecard, buildSeverityTables, CLASS_DIM, PERIOD_DIM } from '../../services/protected-tables.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';
import { TOTAL, type LinkedDim } from '../../services/linked-tables.ts';
import { calendarPeriodOf } from '../../domain/calendar.ts';
import { COVERAGE_CODES, INCIDENT_TYPES } from '../../domain/index.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';
import { DEMO_ORGANIZATIONS } from '../../seeds/catalog.ts';
import { DEPLOYMENT_COLUMNS, EXPOSURE_COLUMNS, INCIDENT_COLUMNS, toCsv } from '../../seeds/csv.ts';
import { upsertOrganizations } from '../../db/repositories/organizations.ts';
import { importHistory } from '../../services/imports.ts';
import { answerableWindows } from '../helpers/windows.ts';
import GLPK from 'glpk.js/node';
import { countsOverWithheld, type SeenCounts } from '../helpers/count-audit.ts';

const PROTECTION = 0.2; // the default DISCLOSURE_PROTECTION
type Cell = Record<string, string | number | null> & { suppressed: string | null };

/** A linked structure as the attacker sees it: its finest cells' true values and how a response cell maps onto them. */
interface AuditSpec {
  name: string;
  dims: readonly LinkedDim[];
  /** Finest cells: values per dimension and the true measures. */
  base: { values: string[]; measures: number[] }[];
  /** Response fields of the measures, and the half-width of their rounding. */
  fields: readonly string[];
  tolerance: readonly number[];
  /** Count fields published beside the measures (not LP-protected: published only over published finest cells). */
  counts: readonly string[];
  /** Dimension of the structure → response field (the class dimension reads the class, else the area). */
  keyOf(c: Cell, window: { from?: string; to?: string }): string[];
  queries: string[];
  /** Which withheld cells must be protected (default: all); the others are complements, checked for consistency only. */
  mustProtect?(key: string, withheld: (key: string) => boolean): boolean;
}

const flat = (name: string): LinkedDim => ({ name, up: () => [TOTAL] });
const rollsUp = (d: LinkedDim, base: string, v: string) => v === TOTAL || v === base || d.up(base).includes(v);

const windows = answerableWindows;

const windowOf = (path: string) => {
  const u = new URL(path, 'http://x');
  return { from: u.searchParams.get('from') ?? undefined, to: u.searchParams.get('to') ?? undefined };
};
const periodKey = (c: Cell, w: { from?: string; to?: string }) =>
  (c.period as string | undefined) ?? (w.from && w.to ? calendarPeriodOf(w.from, w.to)!.period : TOTAL);
const classKey = (c: Cell) => (c.scenario_class as string | undefined) ?? (c.scenario_area as string | undefined) ?? TOTAL;

async function rateSpec(ctx: TestContext): Promise<AuditSpec> {
  const byCell = new Map<string, { values: string[]; measures: number[] }>();
  for (const r of await repo.rateBaseRows(ctx.db)) {
    const k = `${r.scenario_class}|${r.month}`;
    const o = byCell.get(k) ?? { values: [r.scenario_class, r.month], measures: [0, 0] };
    o.measures[0] += r.hours; o.measures[1] += r.incidents;
    byCell.set(k, o);
  }
  const months = [...new Set([...byCell.values()].map((b) => b.values[1]))].sort();
  const queries: string[] = [];
  for (const g of ['', 'scenario_area', 'scenario_class', 'scenario_area,scenario_class']) {
    for (const w of windows(months)) queries.push(`/v1/statistics/incident-rates?group_by=${g}${w.q}`);
    for (const u of ['month', 'quarter', 'year']) queries.push(`/v1/statistics/incident-rates?group_by=${g ? `${g},` : ''}period&period_unit=${u}`);
  }
  return {
    name: 'incident rates', dims: [CLASS_DIM, PERIOD_DIM], base: [...byCell.values()], fields: ['operating_hours', 'incidents'], tolerance: [0.005, 0],
    counts: ['organizations', 'deployments'],
    keyOf: (c, w) => [classKey(c), periodKey(c, w)], queries,
  };
}

/**
 * Incident counts split by incident type or by severity level inside the rate groups: finest
 * cells class × month × type (or level) — every value of every class × month of the rate
 * structure, 0 where none occurred, so the attacker does not learn zeros for free — against the
 * split answers and the unsplit ones (their incidents are the split totals). The cells that must
 * be protected are the rate cells and every split of a withheld group (primary or
 * complementary); a split withheld only because its published group covers a withheld cell
 * (publishedOverPublished) is a complement: it must be consistent, not protected (it is logged).
 */
async function splitSpec(ctx: TestContext, dim: 'incident_type' | 'severity_level'): Promise<AuditSpec> {
  const rates = await rateSpec(ctx);
  const domain: readonly string[] = dim === 'incident_type' ? INCIDENT_TYPES : ['0', '1', '2', '3', '4', '5'];
  const byCell = new Map<string, { values: string[]; measures: number[] }>();
  for (const b of rates.base) for (const t of domain) byCell.set(`${b.values[0]}|${b.values[1]}|${t}`, { values: [b.values[0], b.values[1], t], measures: [0] });
  for (const r of await repo.incidentCounts(ctx.db, ['scenario_class', 'period', dim], { unit: 'month' })) {
    byCell.get(`${r.key.scenario_class}|${r.key.period}|${r.key[dim]}`)!.measures[0] += r.incidents;
  }
  const split = rates.queries.map((q) => q.replace(/group_by=([^&]*)/, (_, g: string) => `group_by=${g ? `${g},` : ''}${dim}`));
  return {
    name: `incident counts by ${dim.replace('_', ' ')}`, dims: [CLASS_DIM, PERIOD_DIM, flat(dim)], base: [...byCell.values()], fields: ['incidents'], tolerance: [0], counts: rates.counts,
    keyOf: (c, w) => [classKey(c), periodKey(c, w), (c[dim] as string | undefined) ?? TOTAL], queries: [...rates.queries, ...split],
    mustProtect: (key, withheld) => {
      const [g, p, v] = key.split('|');
      return v === TOTAL || withheld(`${g}|${p}|${TOTAL}`);
    },
  };
}

async function severitySpec(ctx: TestContext, coverage: string): Promise<AuditSpec> {
  const byCell = new Map<string, { values: string[]; measures: number[] }>();
  for (const r of await repo.severityBaseRows(ctx.db, coverage)) {
    const values = [r.scenario_class, r.quarter, r.severity_level];
    const k = values.join('|');
    const o = byCell.get(k) ?? { values, measures: [0, 0] };
    o.measures[0] += r.incurred; o.measures[1] += r.claims;
    byCell.set(k, o);
  }
  // months of the quarters, for the windows: severity answers whole quarters and years only
  const months = [...new Set([...byCell.values()].map((b) => `${b.values[1].slice(0, 4)}-${String(3 * Number(b.values[1].slice(6)) - 2).padStart(2, '0')}`))].sort();
  const wins = windows(months).filter((w) => !w.from || calendarPeriodOf(w.from, w.to!)!.unit !== 'month');
  const queries: string[] = [];
  for (const g of ['', 'scenario_area', 'scenario_class']) {
    for (const split of ['', 'severity_level']) {
      const dims = [g, split].filter(Boolean).join(',');
      for (const w of wins) queries.push(`/v1/statistics/severity?coverage=${coverage}&group_by=${dims}${w.q}`);
      for (const u of ['quarter', 'year']) queries.push(`/v1/statistics/severity?coverage=${coverage}&group_by=${dims ? `${dims},` : ''}period&period_unit=${u}`);
    }
  }
  return {
    name: `severity ${coverage}`, dims: [CLASS_DIM, PERIOD_DIM, flat('severity_level')], base: [...byCell.values()],
    fields: ['total_incurred', 'claims'], tolerance: [0.005, 0], counts: ['share_open'],
    keyOf: (c, w) => [classKey(c), periodKey(c, w), (c.severity_level as string | undefined) ?? TOTAL], queries,
  };
}

interface AuditResult {
  answers: number; published: number; withheld: number;
  /** Withheld cells that must be protected (all, unless the spec says otherwise). */
  protectedChecked: number;
  failures: string[]; narrowest: number;
  /** Published cells whose last dimension is not the total (the splits of a split spec). */
  splitsPublished: number;
  /** Every cell seen, by key, with its count fields as published. */
  seen: ReadonlyMap<string, SeenCounts & { values: (number | null)[] }>;
}

/** Runs every query of the spec as a regulator, checks consistency, then the LP intervals of every withheld cell. */
async function audit(ctx: TestContext, spec: AuditSpec): Promise<AuditResult> {
  const seen = new Map<string, SeenCounts & { values: (number | null)[] }>();
  const failures: string[] = [];
  for (const path of spec.queries) {
    const r = await request(ctx.baseUrl).get(path).set(bearer(ctx.keys.regulator));
    expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    for (const c of r.body.cells as Cell[]) {
      const key = spec.keyOf(c, windowOf(path)).join('|');
      const entry = { suppressed: c.suppressed !== null, values: spec.fields.map((f) => (c[f] as number | null)), counts: spec.counts.map((f) => (c[f] as number | null)) };
      const prev = seen.get(key);
      const differ = (a: readonly (number | null)[], b: readonly (number | null)[]) => a.some((v, i) => (v === null) !== (b[i] === null) || Math.abs((v ?? 0) - (b[i] ?? 0)) > 1e-6);
      if (prev && (prev.suppressed !== entry.suppressed || differ(prev.values, entry.values) || differ(prev.counts, entry.counts))) {
        failures.push(`${key}: different in two answers (${JSON.stringify(prev)} vs ${JSON.stringify(entry)}, ${path})`);
      }
      seen.set(key, entry);
    }
  }
  const members = (key: string) => {
    const vals = key.split('|');
    return spec.base.flatMap((b, i) => (b.values.every((bv, d) => rollsUp(spec.dims[d], bv, vals[d])) ? [i] : []));
  };
  const truth = (cells: readonly number[], m: number) => cells.reduce((s, i) => s + spec.base[i].measures[m], 0);
  const published = [...seen].filter(([, e]) => !e.suppressed);
  const isWithheld = (k: string) => seen.get(k)?.suppressed ?? true;
  const withheldAll = [...seen].filter(([, e]) => e.suppressed).map(([k]) => k);
  // complements (see mustProtect) are not sent to the LP: they need no protection of their own
  const withheld = withheldAll.filter((k) => spec.mustProtect?.(k, isWithheld) ?? true).map((k) => ({ key: k, cells: members(k) }));
  // 3. counts only over published finest cells (the finest cells from the true data)
  // (a split withheld only as a complement of a published group is no cell of the rate structure: counts are not split)
  failures.push(...countsOverWithheld(seen, (k) => members(k).map((i) => spec.base[i].values.join('|')), (k) => spec.mustProtect?.(k, isWithheld) ?? true));
  let narrowest = Infinity;
  for (let m = 0; m < spec.fields.length; m++) {
    const equations: Equation[] = published.map(([k, e]) => ({ cells: members(k), value: e.values[m]!, tolerance: spec.tolerance[m] }));
    // 1. every published figure is the sum of the finest cells it covers
    for (const [i, [k]] of published.entries()) {
      const t = truth(equations[i].cells, m);
      if (Math.abs(t - equations[i].value) > spec.tolerance[m] + 1e-6) failures.push(`${k} ${spec.fields[m]}: published ${equations[i].value}, finest cells add to ${t}`);
    }
    // 2. the attacker's intervals
    const intervals = await feasibleIntervals(equations, withheld.map((w) => w.cells));
    const slack = spec.tolerance[m] * 2 * spec.base.length + 1e-6;
    intervals.forEach((iv, i) => {
      const v = truth(withheld[i].cells, m);
      if (v > 0) narrowest = Math.min(narrowest, (iv.hi - iv.lo) / v);
      if (!protects(iv, v, PROTECTION, slack)) failures.push(`${withheld[i].key} ${spec.fields[m]} = ${v}: attacker's interval [${iv.lo}, ${iv.hi}]`);
    });
  }
  return { answers: spec.queries.length, published: published.length, withheld: withheldAll.length, protectedChecked: withheld.length, failures, narrowest, splitsPublished: published.filter(([k]) => !k.endsWith(`|${TOTAL}`)).length, seen };
}

/**
 * The attacker's LP on deployments: unknowns the true deployments of each class in each period
 * with exposure (month, quarter, year, all time; ≥ 0); equations the published deployments of the
 * classes, areas and the total of one period (deployments add up over classes within a period);
 * inequalities over time, per class (a deployment is counted once in a period however many of its
 * months it ran): a period's deployments ≥ each of its sub-periods' and ≤ their sum. Every withheld
 * cell (class, area or total × period: a sum of the class unknowns of its period) must keep the
 * protection level and never be a point. A published cell whose counts are withheld (a withheld
 * cell lies under it) is a complement, as a withheld split of a published group is: it passed the
 * primary rules, its count is withheld only so that it bounds no withheld cell; its interval is
 * reported, not required. Truth: the repository's exposure groups per class and period, read
 * without disclosure control.
 */
async function auditDeployments(ctx: TestContext, seen: AuditResult['seen']) {
  const truth = new Map<string, number>(); // `class|period` → deployments
  for (const unit of ['month', 'quarter', 'year'] as const) {
    for (const g of await repo.exposureGroups(ctx.db, ['scenario_class', 'period'], { unit })) truth.set(`${g.key.scenario_class}|${g.key.period}`, g.deployments);
  }
  for (const g of await repo.exposureGroups(ctx.db, ['scenario_class'], { unit: 'month' })) truth.set(`${g.key.scenario_class}|${TOTAL}`, g.deployments);
  const glpk = await GLPK();
  const di = 1; // deployments: the second count field of the rate spec
  const keys = [...truth.keys()];
  const name = new Map(keys.map((k, i) => [k, `x${i}`]));
  const subjectTo: { name: string; vars: { name: string; coef: number }[]; bnds: { type: number; lb: number; ub: number } }[] = [];
  let equations = 0;
  for (const [key, e] of seen) {
    if (e.counts[di] === null) continue;
    const [g, p] = key.split('|');
    const cells = keys.filter((k) => { const [c, kp] = k.split('|'); return kp === p && (g === TOTAL || g === c || c.startsWith(`${g}.`)); });
    subjectTo.push({ name: `e${subjectTo.length}`, vars: cells.map((k) => ({ name: name.get(k)!, coef: 1 })), bnds: { type: glpk.GLP_FX, lb: e.counts[di]!, ub: e.counts[di]! } });
    equations += 1;
  }
  const children = new Map<string, string[]>();
  for (const k of keys) {
    const [c, p] = k.split('|');
    if (p === TOTAL) continue;
    const parent = `${c}|${PERIOD_DIM.up(p)[0]}`;
    children.set(parent, [...(children.get(parent) ?? []), k]);
  }
  for (const [parent, kids] of children) {
    for (const k of kids) subjectTo.push({ name: `g${subjectTo.length}`, vars: [{ name: name.get(parent)!, coef: 1 }, { name: name.get(k)!, coef: -1 }], bnds: { type: glpk.GLP_LO, lb: 0, ub: 0 } });
    subjectTo.push({ name: `s${subjectTo.length}`, vars: [...kids.map((k) => ({ name: name.get(k)!, coef: 1 })), { name: name.get(parent)!, coef: -1 }], bnds: { type: glpk.GLP_LO, lb: 0, ub: 0 } });
  }
  const bounds = keys.map((k) => ({ name: name.get(k)!, type: glpk.GLP_LO, lb: 0, ub: 0 }));
  const solve = (cells: readonly string[], direction: number) => {
    const r = glpk.solve({ name: 'deployments', objective: { direction, name: 'z', vars: cells.map((k) => ({ name: name.get(k)!, coef: 1 })) }, subjectTo, bounds }, { msglev: glpk.GLP_MSG_OFF, presol: false });
    if (r.result.status === glpk.GLP_UNBND) return direction === glpk.GLP_MAX ? Infinity : -Infinity;
    if (r.result.status !== glpk.GLP_OPT) throw new Error(`LP status ${r.result.status}: published deployments inconsistent with the data`);
    return r.result.z;
  };
  const failures: string[] = [];
  let narrowest = Infinity;
  let complements = 0;
  let complementsNarrowed = 0;
  const under = (key: string) => {
    const [g, p] = key.split('|');
    return keys.filter((k) => { const [c, kp] = k.split('|'); return kp === p && (g === TOTAL || g === c || c.startsWith(`${g}.`)); });
  };
  const targets = [...seen].filter(([k, e]) => e.counts[di] === null && under(k).length > 0);
  for (const [key, e] of targets) {
    const cells = under(key);
    const v = cells.reduce((s, k) => s + truth.get(k)!, 0);
    const iv = { lo: solve(cells, glpk.GLP_MIN), hi: solve(cells, glpk.GLP_MAX) };
    if (!e.suppressed) {
      complements += 1;
      if (!protects(iv, v, PROTECTION, 1e-6)) complementsNarrowed += 1;
      continue;
    }
    if (v > 0) narrowest = Math.min(narrowest, (iv.hi - iv.lo) / v);
    if (!protects(iv, v, PROTECTION, 1e-6)) failures.push(`${key} deployments = ${v}: attacker's interval [${iv.lo}, ${iv.hi}]`);
  }
  return { unknowns: keys.length, equations, targets: targets.length - complements, complements, complementsNarrowed, narrowest, failures };
}

async function auditAll(ctx: TestContext) {
  for (const [name, build] of [['rates', async () => (await buildRateAndScorecard(ctx.db, DEFAULT_DISCLOSURE_RULES)).rates], ...COVERAGE_CODES.map((c) => [c, async () => (await buildSeverityTables(ctx.db, c, DEFAULT_DISCLOSURE_RULES)).structure] as const)] as const) {
    const t = performance.now();
    const s = await build();
    console.log(`${name} structure: ${s.cells.size} cells (${s.finest.length} finest), ${s.primary} primary + ${s.complementary} complementary withheld, LP-checked ${s.lpAudited}, built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const specs = [await rateSpec(ctx), ...(await Promise.all(COVERAGE_CODES.map((c) => severitySpec(ctx, c))))];
  for (const spec of specs) {
    const t = performance.now();
    const r = await audit(ctx, spec);
    const countsLost = [...r.seen.values()].filter((e) => !e.suppressed && e.counts.every((c) => c === null)).length;
    console.log(`${spec.name}: ${r.answers} answers, ${r.published} published (${countsLost} of them without their counts) and ${r.withheld} withheld cells, narrowest interval ${(100 * r.narrowest).toFixed(0)} % of the value, ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const d = spec.name === 'incident rates' ? await auditDeployments(ctx, r.seen) : null;
    if (d) {
      console.log(`deployments: ${d.unknowns} classes × periods, ${d.equations} published deployment counts; ${d.targets} withheld cells, narrowest interval ${(100 * d.narrowest).toFixed(0)} % of the value, ${d.failures.length} narrowed below the protection level; ${d.complements} published cells without counts (complements), ${d.complementsNarrowed} of them narrowed below ±20 %`);
    }
    expect(r.failures, r.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(r.published).toBeGreaterThan(0);
    if (d) {
      expect(r.withheld).toBeGreaterThan(0);
      expect(d.failures, d.failures.slice(0, 20).join('\n')).toEqual([]);
      expect(d.targets).toBeGreaterThan(0);
    }
  }
}

async function auditSplits(ctx: TestContext, dim: 'incident_type' | 'severity_level') {
  const t = performance.now();
  const r = await audit(ctx, await splitSpec(ctx, dim));
  console.log(`incident counts by ${dim}: ${r.answers} answers, ${r.published} published cells (${r.splitsPublished} splits) and ${r.withheld} withheld (${r.protectedChecked} of them rate cells or splits of withheld groups, LP-checked), narrowest interval ${(100 * r.narrowest).toFixed(0)} % of the value, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  expect(r.failures, r.failures.slice(0, 20).join('\n')).toEqual([]);
  expect(r.splitsPublished).toBeGreaterThan(0);
  expect(r.protectedChecked).toBeGreaterThan(0);
}

describe('attacker audit on the demo history', () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
  afterAll(async () => { await ctx?.close(); });
  it('no withheld value of incident rates or severity can be narrowed below the protection level', async () => { await auditAll(ctx); }, 180_000);
});

/** A generated history (seeded), imported through the CSV importer as an enterprise would. */
async function generatedContext(seed: number, deployments: number, months: number): Promise<TestContext> {
  const ctx = await startTestApp({});
  await upsertOrganizations(ctx.db, DEMO_ORGANIZATIONS.map((o) => ({ ref: o.ref, name: o.name, kind: o.kind, province: o.province })));
  const h = generateDemoHistory({ seed, deployments, months, start: '2024-10-01' });
  const files = { deployments: toCsv(h.deployments, DEPLOYMENT_COLUMNS), exposures: toCsv(h.exposures, EXPOSURE_COLUMNS), incidents: toCsv(h.incidents, INCIDENT_COLUMNS) };
  for (const kind of ['deployments', 'exposures', 'incidents'] as const) await importHistory(ctx.db, 'system', kind, 'csv', Readable.from([files[kind]]), 100);
  return ctx;
}

describe('attacker audit on a generated smaller history', () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await generatedContext(4242, 90, 9); }, 240_000);
  afterAll(async () => { await ctx?.close(); });
  it('no withheld value can be narrowed below the protection level', async () => { await auditAll(ctx); }, 180_000);
});

// The splits of the rate cells (docs/disclosure-control.md §2): every split of a withheld group keeps the
// protection level, zeros included, against all split and unsplit answers together. Histories dense
// enough that splits are published (on the 90-deployment one nearly every rate cell is withheld).
describe.each([77, 2026])('split attacker audit on a generated history (seed %i, 240 deployments, 6 months)', (seed) => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await generatedContext(seed, 240, 6); }, 240_000);
  afterAll(async () => { await ctx?.close(); });
  it.each(['incident_type', 'severity_level'] as const)('%s splits of withheld groups cannot be narrowed below the protection level', async (dim) => {
    await auditSplits(ctx, dim);
  }, 240_000);
});
