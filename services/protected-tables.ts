/**
 * The protected linked structures of the regulator statistics (docs/disclosure-control.md §3),
 * computed once per data version and reused by every query: one for incident rates (scenario
 * class hierarchy × calendar hierarchy, magnitude operating hours, audited measures hours and
 * incidents) and one per coverage for claim severity (class × calendar quarter ⊂ year × severity
 * level, magnitude incurred, audited measures incurred and claims). A response looks up the
 * status of each of its cells here.
 *
 * Cached in process per database handle and rules, keyed by the `cache_versions` counters that
 * triggers bump in every transaction writing the history or the catalog (docs/architecture.md
 * §3), so the API stays stateless: any instance rebuilds after any instance's import.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/statistics.ts';
import { scorecardOrgRows, type ScorecardOrgRow } from '../db/repositories/scorecard.ts';
import type { CoverageCode, SuppressionReason } from '../domain/index.ts';
import { calendarPeriodOf } from '../domain/calendar.ts';
import { cellId, membersOf, protectStructure, TOTAL, type BaseRecord, type LinkedDim, type LinkedStructure, type SecondaryRules, type StructureOptions } from './linked-tables.ts';
import { DEFAULT_LP_LIMITS, refineWithLp } from './lp-protection.ts';
import { claimIndexOf, severityRecordsOf, type ClaimIndex } from './severity-claims.ts';
import type { IncidentCube } from './incident-cube.ts';
import type { DisclosureRules } from './disclosure.ts';

/** Scenario class `<area>.<name>` ⊂ area ⊂ all. */
export const CLASS_DIM: LinkedDim = {
  name: 'scenario_class',
  up: (v) => {
    const dot = v.indexOf('.');
    return dot > 0 ? [v.slice(0, dot), TOTAL] : [TOTAL];
  },
};

/** Calendar month `YYYY-MM` ⊂ quarter `YYYY-Qn` ⊂ year `YYYY` ⊂ all time. */
export const PERIOD_DIM: LinkedDim = {
  name: 'period',
  up: (v) => {
    const m = /^(\d{4})-(\d{2})$/.exec(v);
    if (m) return [`${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}`, m[1], TOTAL];
    const q = /^(\d{4})-Q[1-4]$/.exec(v);
    return q ? [q[1], TOTAL] : [TOTAL];
  },
};

const flat = (name: string): LinkedDim => ({ name, up: () => [TOTAL] });
export const RATE_DIMS: readonly LinkedDim[] = [CLASS_DIM, PERIOD_DIM];
/** Severity: class × calendar quarter ⊂ year × severity level (PERIOD_DIM rolls a quarter up as it does a month's quarter). */
export const SEVERITY_DIMS: readonly LinkedDim[] = [CLASS_DIM, PERIOD_DIM, flat('severity_level')];

/** Primary and heuristic secondary suppression, then the LP check and extension where the structure is small enough. */
async function protect(dims: readonly LinkedDim[], records: BaseRecord[], rules: DisclosureRules, minWidth?: readonly number[],
  options: StructureOptions = {}): Promise<LinkedStructure> {
  const secondary: SecondaryRules = { protection: rules.protection, counts: [false, true], ...(minWidth ? { minWidth } : {}) };
  const s = protectStructure(dims, records, primaryOf(rules), secondary, options);
  await refineWithLp(dims, s, secondary, DEFAULT_LP_LIMITS);
  return s;
}

/** Robot model ⊂ all, software version ⊂ all: with CLASS_DIM, the regulator scorecard's dimensions. */
export const MODEL_DIM: LinkedDim = flat('robot_model');
export const VERSION_DIM: LinkedDim = flat('software_version');
export const SCORECARD_DIMS: readonly LinkedDim[] = [MODEL_DIM, CLASS_DIM, VERSION_DIM];

/**
 * The scorecard structure's cells no route answers: a robot model over all groups (the scorecard
 * is by class or by area), and all models of one software version (only the model-free total of
 * all versions is answered, by the statistics routes). The statistics answer (*, g, *).
 */
const scorecardInternal = ([model, group, version]: readonly string[]) => (model === TOTAL ? version !== TOTAL : group === TOTAL);

/** The rate structure, and the scorecard's, protected together (§3.6 of the design note). */
export interface RateAndScorecard {
  rates: LinkedStructure; scorecard: LinkedStructure; scorecardRows: ScorecardOrgRow[];
  /** Rounds of the exchange, and the all-time rate cells withheld for the scorecard (ids). */
  rounds: number; forced: string[];
}

/** Most rounds of the rate ↔ scorecard exchange of §3.6 (each forces at least one more all-time rate cell; 24 groups and the total exist). */
const JOINT_ROUNDS = 12;

/**
 * The incident-rate structure and the regulator scorecard's structure, protected as one linked
 * table where they meet (docs/disclosure-control.md §3.6). The two routes share the all-time
 * cells over all robot models and versions — scorecard cell (*, g, *) is rate cell (g, all time),
 * the same finest figures summed — so:
 *
 * 1. the rate structure is protected (primary, secondary, LP) as before, with the cells of
 *    `forced` withheld beforehand;
 * 2. the scorecard structure is protected with its (*, g, *) cells fixed to the rate structure's
 *    status of (g, all time): a cell the statistics publish is an equation the scorecard's LP
 *    counts and never a complement it may choose; one they withhold is withheld here too;
 * 3. a withheld scorecard cell the LP still finds narrowable can only be pinned through a fixed
 *    published margin (its class, area or the total of all time): the nearest such margin is
 *    added to `forced`, and both are protected again.
 *
 * Withholding only grows, so the exchange ends (at the latest when every margin over the
 * unprotected cells is withheld). Should a cell stay unprotected for another reason, the
 * scorecard structure keeps `lpAudited: false` and its responses say `lp_audited: false`, as any
 * structure past the LP bounds. Cells of the scorecard's cross product that no route answers are
 * `internal` (`scorecardInternal`). The audit of tests/disclosure/scorecard-attacker-audit.test.ts
 * plays both routes' answers together.
 */
export async function buildRateAndScorecard(db: Db, rules: DisclosureRules): Promise<RateAndScorecard> {
  const [rateRows, scorecardRows] = await Promise.all([repo.rateBaseRows(db), scorecardOrgRows(db, { bySoftwareVersion: true })]);
  const rateRecords = rateRows.map((r) => ({ values: [r.scenario_class, r.month], contributor: r.organization_id, measures: [r.hours, r.incidents] }));
  const scorecardRecords = scorecardRows.map((r) => ({
    values: [r.robot_model, r.scenario_class, r.software_version ?? ''], contributor: r.organizationId, measures: [r.hours, r.incidents],
  }));
  const forced = new Map<string, SuppressionReason | null>();
  for (let round = 1; ; round++) {
    const rates = await protect(RATE_DIMS, rateRecords, rules, undefined, { fixed: forced });
    const shared = new Map<string, SuppressionReason | null>();
    for (const c of rates.cells.values()) {
      if (c.values[1] === TOTAL) shared.set(cellId([TOTAL, c.values[0], TOTAL]), c.status);
    }
    const scorecard = await protect(SCORECARD_DIMS, scorecardRecords, rules, undefined, { fixed: shared, internal: scorecardInternal });
    const unprotected = scorecard.unprotected ?? [];
    if (unprotected.length === 0 || round >= JOINT_ROUNDS) return { rates, scorecard, scorecardRows, rounds: round, forced: [...forced.keys()] };
    let grew = false;
    for (const id of unprotected) {
      const g = scorecard.cells.get(id)!.values[1];
      // the nearest published all-time margin over the cell's group: the one that pins it
      const margin = [g, ...CLASS_DIM.up(g)].find((v) => rates.cells.get(cellId([v, TOTAL]))?.status === null);
      if (margin !== undefined && !forced.has(cellId([margin, TOTAL]))) { forced.set(cellId([margin, TOTAL]), 'complementary'); grew = true; }
    }
    if (!grew) return { rates, scorecard, scorecardRows, rounds: round, forced: [...forced.keys()] };
  }
}

/** A coverage's protected severity structure and the claim index its answers are computed from, both from one read of the claims. */
export interface SeverityTables { structure: LinkedStructure; claims: ClaimIndex }

export async function buildSeverityTables(db: Db, coverage: CoverageCode, rules: DisclosureRules): Promise<SeverityTables> {
  const rows = await repo.severityClaimRows(db, coverage);
  return { structure: await protect(SEVERITY_DIMS, severityRecordsOf(rows), rules), claims: claimIndexOf(rows) };
}

/**
 * The published cells of a structure under which no withheld cell lies, in the strict sense that
 * none of their finest cells is inside any withheld cell (under the cell or across it): the cells
 * that may publish, beside the measures the structure protects, figures it does not protect
 * (docs/disclosure-control.md §2) —
 *
 * * the incident splits of a rate cell (by incident type, by severity level, or both);
 * * the counts beside the protected measures: organizations and deployments of a rate cell, open
 *   claims of a severity cell (its share_open × its claims), insured organizations of a loss-ratio cell.
 *
 * Why this suffices: every such figure is then a function of finest cells that belong to no
 * withheld cell, and the equations and inequalities on it (counts add up over classes, open claims
 * in every dimension; a period's deployments are ≥ each sub-period's and ≤ their sum) only relate
 * cells sharing finest cells, so none involves a withheld cell. The strict sense matters for the
 * inequalities: a published month inside a withheld quarter would bound the quarter's deployments
 * from below. For splits in
 * particular, the splits of the finest cells under a withheld cell appear in no published figure
 * except through their sum (the group's incidents, protected by the rate structure), so each split
 * of a withheld group G can be anything in [0, max incidents of G]: its lower bound is 0 (the
 * incidents may all be of another type or level) and its upper bound the LP-protected upper bound
 * of G's incidents (≥ (1 + p) × G's incidents ≥ (1 + p) × the split, and > 0 for a withheld zero).
 * A published margin over a withheld cell would, less its published parts, give the withheld
 * cells' sum — of a split type, for a zero exactly; of deployments, for a single-operator class
 * beside a small complement, nearly exactly. The cost: margins over any withheld cell publish
 * neither splits nor counts. Computed once per structure (the structure of a data version never
 * changes once built; `dims` are the structure's own).
 */
export function publishedOverPublished(dims: readonly LinkedDim[], s: LinkedStructure): ReadonlySet<string> {
  let out = cleanCache.get(s);
  if (out) return out;
  const clear = clearOfWithheld(dims, s);
  out = new Set([...s.cells].filter(([id, c]) => c.status === null && clear(id)).map(([id]) => id));
  cleanCache.set(s, out);
  return out;
}
const cleanCache = new WeakMap<LinkedStructure, ReadonlySet<string>>();

/** Whether none of a cell's finest cells lies inside a withheld cell of the structure (internal cells, answered by no route, aside). */
function clearOfWithheld(dims: readonly LinkedDim[], s: LinkedStructure): (id: string) => boolean {
  const members = membersOf(dims, s);
  const underWithheld = new Set<number>();
  for (const [id, c] of s.cells) if (c.status !== null && !c.internal) for (const i of members.get(id) ?? []) underWithheld.add(i);
  return (id) => !(members.get(id) ?? []).some((i) => underWithheld.has(i));
}

/**
 * The scorecard groups (scenario classes and areas) whose published cells publish their secondary
 * measures — deployments, organizations, task cycles, severe and injury incidents, severe share,
 * protective stops, near misses and downtime per 1,000 h, and the verdict facts computed from them
 * (docs/disclosure-control.md §2, §3.6): the *clean* groups, whose rate cell of all time publishes
 * its splits (`publishedOverPublished`: no withheld rate cell contains any of its class × month cells)
 * and none of whose finest scorecard cells (robot model × class × version) lies inside a withheld
 * cell of the scorecard structure (a model, a version, or a model's area above it; internal cells,
 * answered by no route, excepted). Why this suffices: these measures are splits of the incidents
 * (severe, injury) or counts beside the hours (stops, near misses, downtime, task cycles,
 * deployments) that no LP audits; with this rule every published equation on them — a clean
 * group's scorecard cells, the statistics' splits of `publishedOverPublished` cells — covers only finest
 * cells under no withheld cell, so it tells nothing about a withheld cell that is not already
 * bounded by its protected hours and incidents (the argument of `publishedOverPublished`, across both
 * structures). Without it a clean-looking class's published models, summed, gave its all-time
 * severe count, which less the published months' severity splits gave the withheld months'; and a
 * class's all-time split less its published models gave a withheld model's. The cost: a group with
 * any withheld cell anywhere in it publishes none (on the demo history, every group: §2).
 */
export function secondaryPublishable(j: Pick<RateAndScorecard, 'rates' | 'scorecard'>): ReadonlySet<string> {
  let out = secondaryCache.get(j.scorecard);
  if (out) return out;
  const splits = publishedOverPublished(RATE_DIMS, j.rates);
  const clear = clearOfWithheld(SCORECARD_DIMS, j.scorecard);
  out = new Set([...j.scorecard.cells.values()]
    .filter((c) => c.values[0] === TOTAL && c.values[2] === TOTAL && c.values[1] !== TOTAL)
    .filter((c) => splits.has(cellId([c.values[1], TOTAL])) && clear(cellId(c.values)))
    .map((c) => c.values[1]));
  secondaryCache.set(j.scorecard, out);
  return out;
}
const secondaryCache = new WeakMap<LinkedStructure, ReadonlySet<string>>();

const primaryOf = (r: DisclosureRules) => ({ minContributors: r.minContributors, dominanceN: r.dominanceN, dominanceK: r.dominance, pPercent: r.pPercent });

interface Entry { version: string; rates?: Promise<RateAndScorecard>; severity: Map<CoverageCode, Promise<SeverityTables>>; incidents?: Promise<IncidentCube> }
const cache = new WeakMap<Db, Map<string, Entry>>();

/** The entry of the current data version (a new version drops the previous one's structures). */
async function entryFor(db: Db, rules: DisclosureRules): Promise<Entry> {
  const version = await repo.statisticsDataVersion(db);
  let byRules = cache.get(db);
  if (!byRules) cache.set(db, (byRules = new Map()));
  const rk = JSON.stringify(rules);
  let e = byRules.get(rk);
  if (!e || e.version !== version) byRules.set(rk, (e = { version, severity: new Map() }));
  return e;
}

/** Keeps a promise in the cache while it is pending or fulfilled; a failed build is retried next time. */
function remember<T>(p: Promise<T>, drop: () => void): Promise<T> {
  p.catch(drop);
  return p;
}

/** The protected rate and scorecard structures of the current data (built together, §3.6). */
export async function rateAndScorecardStructures(db: Db, rules: DisclosureRules): Promise<RateAndScorecard> {
  const e = await entryFor(db, rules);
  e.rates ??= remember(buildRateAndScorecard(db, rules), () => { e.rates = undefined; });
  return e.rates;
}

/** The incident cube of the current data (services/incident-cube.ts), built on first use. */
export async function incidentCube(db: Db, rules: DisclosureRules): Promise<IncidentCube> {
  const e = await entryFor(db, rules);
  e.incidents ??= remember(repo.incidentCubeRows(db).then((rows) => ({ rows })), () => { e.incidents = undefined; });
  return e.incidents;
}

/** The protected rate structure of the current data. */
export async function rateStructure(db: Db, rules: DisclosureRules): Promise<LinkedStructure> {
  return (await rateAndScorecardStructures(db, rules)).rates;
}

/** The protected severity structure of a coverage and its claim index, on the current data. */
export async function severityTables(db: Db, coverage: CoverageCode, rules: DisclosureRules): Promise<SeverityTables> {
  const e = await entryFor(db, rules);
  let p = e.severity.get(coverage);
  if (!p) e.severity.set(coverage, (p = remember(buildSeverityTables(db, coverage, rules), () => e.severity.delete(coverage))));
  return p;
}

/** The protected severity structure of a coverage on the current data. */
export async function severityStructure(db: Db, coverage: CoverageCode, rules: DisclosureRules): Promise<LinkedStructure> {
  return (await severityTables(db, coverage, rules)).structure;
}

/** Scenario area ⊂ all (the loss ratios' place dimension: bound lines are priced per class, published per area). */
export const AREA_DIM: LinkedDim = { name: 'scenario_area', up: () => [TOTAL] };
/** Loss ratios: scenario area × calendar month ⊂ quarter ⊂ year; magnitude earned premium, audited measures earned premium and incurred losses. */
export const LOSS_RATIO_DIMS: readonly LinkedDim[] = [AREA_DIM, PERIOD_DIM];

/**
 * The protected loss-ratio structure (docs/disclosure-control.md §2, §7): finest cells earned
 * premium and incurred losses per area × month × insured organization (`repo.lossRatioBaseRows`),
 * primary rules on earned premium (contributors: the insured organizations), secondary suppression
 * and the LP check over both measures — a published cell publishes both (its loss ratio times its
 * earned premium is its incurred), so a withheld cell's incurred must stay as uncertain as its
 * premium. A withheld zero of incurred needs a partner with at least one unit of losses, as a
 * count does, and the LP step wants every withheld interval at least `LOSS_RATIO_MIN_WIDTH` wide.
 */
export async function buildLossRatioStructure(db: Db, rules: DisclosureRules): Promise<LinkedStructure> {
  const rows = await repo.lossRatioBaseRows(db);
  return protect(LOSS_RATIO_DIMS, rows.map((r) => ({ values: [r.scenario_area, r.month], contributor: r.organization_id, measures: [r.earned, r.incurred] })), rules,
    LOSS_RATIO_MIN_WIDTH);
}

/**
 * The narrowest interval (CNY) the LP step accepts for a withheld loss-ratio cell, per measure: an
 * amount rounded to the cent is otherwise "not a point" at [0, 0.01], which tells an attacker the
 * insurers of the cell had no losses. 100 CNY: a withheld zero needs a partner with real losses.
 */
const LOSS_RATIO_MIN_WIDTH = [100, 100];

/** Loss-ratio structures by database and rules, keyed by `repo.lossRatioDataVersion` (their own counters: bound business too). */
const lossRatioCache = new WeakMap<Db, Map<string, { version: string; structure: Promise<LinkedStructure> }>>();

/** The protected loss-ratio structure of the current data (rebuilt after any write to bound business, history or catalog). */
export async function lossRatioStructure(db: Db, rules: DisclosureRules): Promise<LinkedStructure> {
  const version = await repo.lossRatioDataVersion(db);
  let byRules = lossRatioCache.get(db);
  if (!byRules) lossRatioCache.set(db, (byRules = new Map()));
  const rk = JSON.stringify(rules);
  const e = byRules.get(rk);
  if (e && e.version === version) return e.structure;
  const entry = { version, structure: remember(buildLossRatioStructure(db, rules), () => { if (byRules.get(rk) === entry) byRules.delete(rk); }) };
  byRules.set(rk, entry);
  return entry.structure;
}

/**
 * The structure's key of a response cell: its class (or area, or all), its period (or the one
 * calendar period of a window without a period dimension, or all time), and for severity its
 * severity level (or the total).
 */
export function structureKey(key: Record<string, string | undefined>, window: { from?: string; to?: string }, extra: readonly string[] = []): string {
  const windowPeriod = window.from && window.to ? calendarPeriodOf(window.from, window.to)?.period : undefined;
  return cellId([
    key.scenario_class ?? key.scenario_area ?? TOTAL,
    key.period ?? windowPeriod ?? TOTAL,
    ...extra.map((d) => key[d] ?? TOTAL),
  ]);
}
