/**
 * Attacker audit of the regulator scorecard's secondary measures (docs/disclosure-control.md §2,
 * §3.6, §7; issues 11 and 13): deployments, organizations, task cycles, severe and injury
 * incidents, severe share, protective stops, near misses and downtime per 1,000 h, published beside
 * the audited hours and incidents. They are splits of (or counts beside) the incidents, so the
 * split rule of §2 applies to them: a published cell publishes them only when its group (class or
 * area) is *clean* — no withheld cell of the rate structure or of the scorecard structure contains
 * any of the group's finest cells. On the demo history and on a generated one:
 *
 * (a) structural: the published and withheld cells of every answer (statistics at every answerable
 *     window, scorecard by class and area, with and without versions) say which groups are clean —
 *     computed here from the answers alone, not by the production predicate; every published
 *     secondary figure must belong to a clean group, and every cell of a clean group must publish
 *     them (the rule costs no more than it says);
 * (b) linear programming (glpk.js) on the severe incidents: unknowns are the incidents per class ×
 *     month × severity level and per robot model × class × software version (severe, other), tied
 *     by one identity per class and both splits (each side adds up the class's incidents); the
 *     equations are every published incident count and severity-level split of the statistics at
 *     every answerable window, and every published scorecard incident count and severe count; every
 *     withheld class × period cell's severe count must keep the protection level (±20 %, never a
 *     point, a withheld zero needs an upper bound above 0); so must every withheld scorecard cell's
 *     severe count against all of it but the statistics' severity splits of classes holding a
 *     withheld scorecard cell (the part the scorecard's rule answers for: before it, 69 of the
 *     demo's 271 were narrowable, many to a point). With those splits too, a few are capped by
 *     their class's published severe count (logged; design note §7): asserted to be nothing more
 *     than that cap — what the statistics alone say of every organization in the class — with
 *     the lower bound still at the protection level.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { answerableWindows } from '../helpers/windows.ts';
import { feasibleIntervals, protects, type Equation } from '../../services/lp-audit.ts';
import * as repo from '../../db/repositories/statistics.ts';
import { scorecardOrgRows } from '../../db/repositories/scorecard.ts';
import { calendarPeriodOf } from '../../domain/calendar.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';
import { DEMO_ORGANIZATIONS } from '../../seeds/catalog.ts';
import { DEPLOYMENT_COLUMNS, EXPOSURE_COLUMNS, INCIDENT_COLUMNS, toCsv } from '../../seeds/csv.ts';
import { upsertOrganizations } from '../../db/repositories/organizations.ts';
import { importHistory } from '../../services/imports.ts';

const PROTECTION = 0.2; // the default DISCLOSURE_PROTECTION
const ALL = '*';
const LEVELS = ['0', '1', '2', '3', '4', '5'];
const SEVERE = (l: string) => Number(l) >= 3;
/** The scorecard's secondary measures (the brief's list) and the verdict facts computed from them. */
const SECONDARY = ['deployments', 'organizations', 'task_cycles', 'severe_incidents', 'injury_incidents', 'severe_share',
  'protective_stops_per_1000h', 'near_misses_per_1000h', 'downtime_per_1000h'] as const;
const SECONDARY_FACTS = [...SECONDARY.filter((f) => f !== 'task_cycles'), 'stops_to_class_ratio', 'near_misses_to_class_ratio'];

type Cell = Record<string, unknown> & { suppressed?: string | null };
const get = async (ctx: TestContext, path: string) => {
  const r = await request(ctx.baseUrl).get(path).set(bearer(ctx.keys.regulator));
  expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
  return r.body as { cells: Cell[]; suppressed?: Cell[] };
};
const areaOf = (cls: string) => cls.split('.')[0];
/** The classes of the finest data a group (class, area or all) covers. */
const inGroup = (g: string, cls: string) => g === ALL || g === cls || g === areaOf(cls);
/** Two groups of the class hierarchy share finest cells (one contains the other). */
const overlaps = (a: string, b: string, classes: readonly string[]) => classes.some((c) => inGroup(a, c) && inGroup(b, c));
const monthIn = (p: string, month: string) => {
  if (p === ALL) return true;
  if (/^\d{4}$/.test(p)) return month.startsWith(p);
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return month.startsWith(q[1]) && Math.floor((Number(month.slice(5)) - 1) / 3) + 1 === Number(q[2]);
  return p === month;
};

async function secondaryAudit(ctx: TestContext) {
  const failures: string[] = [];
  /** Figures that are not sums of the finest cells: the LP would be infeasible. */
  const inconsistent: string[] = [];
  // ---- the true finest cells
  const rateCells = new Map<string, { cls: string; month: string; byLevel: Map<string, number> }>();
  for (const r of await repo.rateBaseRows(ctx.db)) {
    const k = `${r.scenario_class}|${r.month}`;
    if (!rateCells.has(k)) rateCells.set(k, { cls: r.scenario_class, month: r.month, byLevel: new Map(LEVELS.map((l) => [l, 0])) });
  }
  for (const r of await repo.incidentCounts(ctx.db, ['scenario_class', 'period', 'severity_level'], { unit: 'month' })) {
    const c = rateCells.get(`${r.key.scenario_class}|${r.key.period}`);
    if (c) c.byLevel.set(r.key.severity_level, (c.byLevel.get(r.key.severity_level) ?? 0) + r.incidents);
  }
  const scoreCells = new Map<string, { model: string; cls: string; version: string; severe: number; other: number }>();
  for (const r of await scorecardOrgRows(ctx.db, { bySoftwareVersion: true })) {
    const k = `${r.robot_model}|${r.scenario_class}|${r.software_version ?? ''}`;
    const c = scoreCells.get(k) ?? { model: r.robot_model, cls: r.scenario_class, version: r.software_version ?? '', severe: 0, other: 0 };
    c.severe += r.severeIncidents; c.other += r.incidents - r.severeIncidents;
    scoreCells.set(k, c);
  }
  // unknowns: x (class × month × level), then y (model × class × version × {severe, other})
  const xs = [...rateCells.values()].flatMap((c) => LEVELS.map((l) => ({ cls: c.cls, month: c.month, level: l, v: c.byLevel.get(l)! })));
  const ys = [...scoreCells.values()].flatMap((c) => [{ ...c, severe: true, v: c.severe }, { ...c, severe: false, v: c.other }]);
  const Y = xs.length;
  const truth = (cells: readonly number[]) => cells.reduce((s, i) => s + (i < Y ? xs[i].v : ys[i - Y].v), 0);
  const classes = [...new Set([...rateCells.values()].map((c) => c.cls))].sort();
  const months = [...new Set([...rateCells.values()].map((c) => c.month))].sort();

  // ---- the statistics' answers: incidents of every cell, and its severity-level splits
  const rateStatus = new Map<string, boolean>(); // "group|period" → withheld
  const equations: Equation[] = [];
  /** Which equations are severity-level splits of the statistics, and over which group. */
  const splitOf = new Map<Equation, string>();
  for (const g of ['', 'scenario_area', 'scenario_class']) {
    for (const w of answerableWindows(months)) {
      const period = w.from ? calendarPeriodOf(w.from, w.to!)!.period : ALL;
      for (const split of [false, true]) {
        const body = await get(ctx, `/v1/statistics/incident-rates?group_by=${[g, split ? 'severity_level' : ''].filter(Boolean).join(',')}${w.q}`);
        for (const c of body.cells) {
          const group = (c.scenario_class ?? c.scenario_area ?? ALL) as string;
          const level = c.severity_level as string | undefined;
          if (!split) rateStatus.set(`${group}|${period}`, c.suppressed !== null);
          if (c.suppressed !== null) continue;
          const cells = xs.flatMap((x, i) => (inGroup(group, x.cls) && monthIn(period, x.month) && (level === undefined || x.level === level) ? [i] : []));
          const e: Equation = { cells, value: Number(c.incidents), tolerance: 0 };
          equations.push(e);
          if (level !== undefined) splitOf.set(e, group);
        }
      }
    }
  }
  // ---- the scorecard's answers
  interface ScoreAnswer { key: string; group: string; model: string; version: string | null; cell?: Cell }
  const scoreAnswers: ScoreAnswer[] = [];
  for (const level of ['scenario_class', 'scenario_area']) {
    for (const byVersion of [false, true]) {
      const body = await get(ctx, `/v1/scorecards?level=${level}&by_software_version=${byVersion}`);
      const keyOf = (c: Cell) => ({
        group: (c.scenario_class ?? c.scenario_area) as string, model: c.robot_model as string,
        version: byVersion ? ((c.software_version as string | null) ?? '') : null,
      });
      for (const c of body.cells) { const k = keyOf(c); scoreAnswers.push({ ...k, key: `${k.model}|${k.group}|${k.version ?? ALL}`, cell: c }); }
      for (const c of body.suppressed ?? []) { const k = keyOf(c); scoreAnswers.push({ ...k, key: `${k.model}|${k.group}|${k.version ?? ALL}` }); }
    }
  }
  const ysOf = (a: ScoreAnswer, severe?: boolean) => ys.flatMap((y, i) => (y.model === a.model && inGroup(a.group, y.cls) && (a.version === null || y.version === a.version)
    && (severe === undefined || y.severe === severe) ? [Y + i] : []));

  // ---- (a) clean groups, from the answers alone
  const withheldRate = [...rateStatus].filter(([, w]) => w).map(([k]) => k.split('|')[0]);
  const withheldScore = scoreAnswers.filter((a) => !a.cell).map((a) => a.group);
  const clean = (g: string) => !withheldRate.some((w) => overlaps(w, g, classes)) && !withheldScore.some((w) => overlaps(w, g, classes));
  let keeping = 0;
  let published = 0;
  for (const a of scoreAnswers.filter((x) => x.cell)) {
    published += 1;
    const c = a.cell!;
    const shown = SECONDARY.filter((f) => c[f] !== null && c[f] !== undefined);
    const facts = (c.fired_rules as { rule: string; facts: Record<string, unknown> }[]).flatMap((r) => SECONDARY_FACTS.filter((f) => r.facts[f] !== undefined && r.facts[f] !== null).map((f) => `${r.rule}.${f}`));
    if (clean(a.group)) {
      keeping += 1;
      const missing = SECONDARY.filter((f) => f !== 'severe_share' && f !== 'protective_stops_per_1000h' && f !== 'near_misses_per_1000h' && f !== 'downtime_per_1000h' && c[f] === null);
      if (missing.length || c.secondary_withheld !== false) failures.push(`${a.key}: clean group, secondary withheld (${missing.join(', ')}; secondary_withheld ${String(c.secondary_withheld)})`);
    } else {
      if (shown.length) failures.push(`${a.key}: group ${a.group} has a withheld cell beneath or above it, yet publishes ${shown.join(', ')}`);
      if (facts.length) failures.push(`${a.key}: fired rule facts of withheld measures published: ${facts.join(', ')}`);
      if (c.secondary_withheld !== true) failures.push(`${a.key}: secondary measures withheld but secondary_withheld is ${String(c.secondary_withheld)}`);
    }
  }

  // ---- (b) LP on the severe incidents
  for (const a of scoreAnswers.filter((x) => x.cell)) {
    equations.push({ cells: ysOf(a), value: Number(a.cell!.incidents), tolerance: 0 });
    if (a.cell!.severe_incidents !== null && a.cell!.severe_incidents !== undefined) equations.push({ cells: ysOf(a, true), value: Number(a.cell!.severe_incidents), tolerance: 0 });
  }
  for (const cls of classes) {
    for (const severe of [true, false]) {
      const xi = xs.flatMap((x, i) => (x.cls === cls && SEVERE(x.level) === severe ? [i] : []));
      const yi = ys.flatMap((y, i) => (y.cls === cls && y.severe === severe ? [Y + i] : []));
      if (truth(xi) !== truth(yi)) inconsistent.push(`${cls}: the statistics' ${severe ? 'severe' : 'other'} incidents ${truth(xi)}, the scorecard's ${truth(yi)}`);
      equations.push({ cells: [...xi, ...yi], coefs: [...xi.map(() => 1), ...yi.map(() => -1)], value: 0, tolerance: 0 });
    }
  }
  for (const e of equations) if (!e.coefs && truth(e.cells) !== e.value) inconsistent.push(`a published count ${e.value} is not the sum of its finest cells (${truth(e.cells)})`);
  if (inconsistent.length) return { failures: [...inconsistent, ...failures], keeping, published, narrowest: NaN, targets: 0 };
  const targets = [...rateStatus].filter(([, w]) => w).map(([k]) => {
    const [group, period] = k.split('|');
    return { key: k, cells: xs.flatMap((x, i) => (inGroup(group, x.cls) && monthIn(period, x.month) && SEVERE(x.level) ? [i] : [])) };
  });
  const intervals = await feasibleIntervals(equations, targets.map((t) => t.cells));
  let narrowest = Infinity;
  intervals.forEach((iv, i) => {
    const v = truth(targets[i].cells);
    if (v > 0) narrowest = Math.min(narrowest, (iv.hi - iv.lo) / v);
    if (!protects(iv, v, PROTECTION, 1e-6)) failures.push(`${targets[i].key} severe incidents = ${v}: attacker's interval [${iv.lo}, ${iv.hi}]`);
  });
  const scoreWithheld = scoreAnswers.filter((a) => !a.cell);
  // the withheld scorecard cells' severe counts: against the scorecard's answers, the statistics' incident counts and
  // those severity splits of the statistics that cover no withheld scorecard cell (the part the scorecard's rule answers
  // for: asserted), and against every split (logged: the statistics' splits of classes with a withheld model, §7)
  const scoreSevere = async (eqs: readonly Equation[]) => {
    let narrowest = Infinity;
    const failed: string[] = [];
    (await feasibleIntervals(eqs, scoreWithheld.map((a) => ysOf(a, true)))).forEach((iv, i) => {
      const v = truth(ysOf(scoreWithheld[i], true));
      if (v > 0) narrowest = Math.min(narrowest, (iv.hi - iv.lo) / v);
      if (!protects(iv, v, PROTECTION, 1e-6)) failed.push(`scorecard ${scoreWithheld[i].key} severe incidents = ${v}: attacker's interval [${iv.lo}, ${iv.hi}]`);
    });
    return { narrowest, failed };
  };
  const own = await scoreSevere(equations.filter((e) => !splitOf.has(e) || !withheldScore.some((w) => overlaps(w, splitOf.get(e)!, classes))));
  failures.push(...own.failed);
  const all = await scoreSevere(equations);
  // with every split, what is left may only be the cap every published total puts on its parts: a withheld cell's
  // severe count at most its class's (or area's) — what the statistics alone say of every organization in that
  // group — with a lower bound that still keeps the protection level; anything tighter is a failure
  (await feasibleIntervals(equations, scoreWithheld.map((a) => ysOf(a, true)))).forEach((iv, i) => {
    const a = scoreWithheld[i];
    const v = truth(ysOf(a, true));
    // the cap: the severe incidents of the classes of its group where its model runs (each class's total caps its part)
    const modelClasses = new Set(ys.filter((y) => y.model === a.model && inGroup(a.group, y.cls)).map((y) => y.cls));
    const groupSevere = truth(ys.flatMap((y, j) => (y.severe && modelClasses.has(y.cls) ? [Y + j] : [])));
    const lowerKept = iv.lo <= (1 - PROTECTION) * v + 1e-6;
    const upperKept = iv.hi >= (1 + PROTECTION) * v - 1e-6 || iv.hi >= groupSevere - 1e-6;
    if (!lowerKept || !upperKept) failures.push(`scorecard ${a.key} severe incidents = ${v} (group ${a.group}: ${groupSevere}): interval [${iv.lo}, ${iv.hi}] tighter than the group's cap`);
  });
  const scoreNarrowable = all.failed.length;
  const scoreNarrowest = all.narrowest;
  console.log(`secondary audit: ${published} published scorecard cells, ${keeping} keep their secondary measures (clean groups: ${classes.filter(clean).length} of ${classes.length} classes); `
    + `${equations.length} equations, ${targets.length} withheld class × period cells, narrowest severe interval ${(100 * narrowest).toFixed(0)} % of the value; `
    + `withheld scorecard cells' severe: ${own.failed.length} of ${scoreWithheld.length} narrowable without the statistics' splits over them, narrowest ${(100 * own.narrowest).toFixed(0)} %; `
    + `with every split (§7) ${scoreNarrowable} narrowable, narrowest ${(100 * scoreNarrowest).toFixed(0)} %`);
  return { failures, keeping, published, narrowest, targets: targets.length };
}

describe('scorecard secondary measures on the demo history', () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 300_000);
  afterAll(async () => { await ctx?.close(); });
  it('publishes them only for clean groups, and no withheld severe count can be narrowed with them', async () => {
    const r = await secondaryAudit(ctx);
    expect(r.failures, r.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(r.targets).toBeGreaterThan(0);
    // every class of the demo has a withheld robot model or version: no published cell keeps its secondary measures (§2)
    expect(r.published).toBeGreaterThan(0);
  }, 600_000);
});

describe('scorecard secondary measures on a generated history (seed 77, 240 deployments, 6 months)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp({});
    await upsertOrganizations(ctx.db, DEMO_ORGANIZATIONS.map((o) => ({ ref: o.ref, name: o.name, kind: o.kind, province: o.province })));
    const h = generateDemoHistory({ seed: 77, deployments: 240, months: 6, start: '2024-10-01' });
    const files = { deployments: toCsv(h.deployments, DEPLOYMENT_COLUMNS), exposures: toCsv(h.exposures, EXPOSURE_COLUMNS), incidents: toCsv(h.incidents, INCIDENT_COLUMNS) };
    for (const kind of ['deployments', 'exposures', 'incidents'] as const) await importHistory(ctx.db, 'system', kind, 'csv', Readable.from([files[kind]]), 100);
  }, 300_000);
  afterAll(async () => { await ctx?.close(); });
  it('publishes them only for clean groups, and no withheld severe count can be narrowed with them', async () => {
    const r = await secondaryAudit(ctx);
    expect(r.failures, r.failures.slice(0, 20).join('\n')).toEqual([]);
    expect(r.targets).toBeGreaterThan(0);
  }, 600_000);
});
