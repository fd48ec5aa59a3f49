/**
 * Regulator risk statistics (docs/actuarial-method.md §9): incident rates with exact Poisson
 * intervals, severity quantiles, loss ratios; aggregate cells only, with disclosure control.
 */
import type { Db } from '../db/connection.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import * as repo from '../db/repositories/statistics.ts';
import { ratePer1000Hours } from '../models/statistics/index.ts';
import { INCIDENT_TYPES, type CoverageCode, type IncidentType, type ScenarioAreaCode, type SeverityLevel } from '../domain/index.ts';
import type { DisclosureRules, SuppressionReason } from './disclosure.ts';
import { incidentCube, LOSS_RATIO_DIMS, lossRatioStructure, publishedOverPublished, RATE_DIMS, rateStructure, SEVERITY_DIMS, severityTables, structureKey } from './protected-tables.ts';
import { cubeAnswers, incidentCountsOf } from './incident-cube.ts';
import { indexAnswers, severityCellsOf } from './severity-claims.ts';
import { cellId, TOTAL, type LinkedStructure } from './linked-tables.ts';
import { calendarPeriodOf, isUnitEnd, isUnitStart } from '../domain/calendar.ts';
// the cell shapes are those the regulator report renders (type-only: no PDF code is loaded)
import type { LossRatioCell, RateCell, SeverityCell } from '../reports/regulator-report-pdf.ts';

/** A cell's dimensions: those of group_by, with the values SQL grouped by. */
export type CellDims = { scenario_area?: ScenarioAreaCode; scenario_class?: string; period?: string; incident_type?: IncidentType; severity_level?: `${SeverityLevel}` };
/** The named fields of a report cell type (without its index signature of dimensions). */
type Fields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
const dimsOf = (key: Record<string, string>) => key as CellDims;
/**
 * What a response says about its disclosure control (docs/disclosure-control.md §5): the method,
 * the rules in force — by name, never their parameters — and how many of its cells were withheld,
 * by reason. `counts_withheld` counts the published cells whose counts (organizations, deployments,
 * share_open) are withheld because a withheld cell lies beneath them (§2); `quantiles_withheld`
 * the severity cells published without some quantile.
 */
function disclosureOf(method: 'linked_tables' | 'per_table', cells: readonly { suppressed: SuppressionReason | null }[], countsWithheld: number, quantilesWithheld?: number) {
  const by = (r: SuppressionReason) => cells.filter((c) => c.suppressed === r).length;
  return {
    method,
    rules: ['min_contributors', 'dominance', 'p_percent', 'complementary', ...(quantilesWithheld === undefined ? [] : ['quantile_tail'])],
    protected_cells: cells.filter((c) => c.suppressed !== null).length,
    by_reason: { min_contributors: by('min_contributors'), dominance: by('dominance'), p_percent: by('p_percent'), complementary: by('complementary') },
    counts_withheld: countsWithheld,
    ...(quantilesWithheld === undefined ? {} : { quantiles_withheld: quantilesWithheld }),
  };
}

/** A cell's status in the protected structure; a cell the structure does not know is withheld (fail closed). */
const statusIn = (s: LinkedStructure, id: string): SuppressionReason | null => {
  const c = s.cells.get(id);
  return c ? c.status : 'complementary';
};

export interface StatsQuery {
  group_by: repo.StatDim[];
  from?: string;
  to?: string;
  period_unit: repo.PeriodUnit;
}

const SEVERITY_LEVELS = ['0', '1', '2', '3', '4', '5'];
const round = (x: number, d = 6) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);


/**
 * Incident rates per 1,000 operating hours with exact Garwood 95% intervals, per cell of the
 * requested dimensions. Exposure dimensions (area, class, period) define the exposure group of
 * a cell; incident dimensions (type, severity) split its incidents. Contributors and dominance
 * are those of the exposure group's hours, so the cells of one group are published or
 * suppressed together, and complementary suppression runs on the exposure table; the splits of
 * a published group, and its counts of organizations and deployments, are published only when no
 * withheld cell lies under it (`publishedOverPublished`; else the splits are withheld as
 * complementary and the counts are null).
 */
export async function incidentRates(db: Db, q: StatsQuery, rules: DisclosureRules) {
  const eDims = q.group_by.filter((d): d is repo.ExposureDim => (repo.EXPOSURE_DIMS as readonly string[]).includes(d));
  const iDims = q.group_by.filter((d): d is repo.IncidentDim => (repo.INCIDENT_DIMS as readonly string[]).includes(d));
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  // without a split, a group's incidents are its structure cell's (every answerable window is whole months, and the
  // structure counts the incidents of each class × month); a split sums the cells of the incident cube (same windows)
  const splitCounts = async () => (cubeAnswers(f) ? incidentCountsOf(await incidentCube(db, rules), [...eDims, ...iDims], f) : repo.incidentCounts(db, [...eDims, ...iDims], f));
  const [groups, counts, structure] = await Promise.all([repo.exposureGroups(db, eDims, f), iDims.length > 0 ? splitCounts() : [], rateStructure(db, rules)]);
  // splits (type, level) and counts of a published group only where none of the group's finest cells is inside a withheld cell
  const clean = publishedOverPublished(RATE_DIMS, structure);
  const ids = groups.map((g) => structureKey(g.key, q));
  const sdc = ids.map((id) => statusIn(structure, id) ?? (iDims.length > 0 && !clean.has(id) ? 'complementary' : undefined));
  let countsWithheld = 0;
  const countOf = new Map(counts.map((c) => [[...eDims, ...iDims].map((d) => c.key[d]).join('\u0000'), c.incidents]));
  const domains: string[][] = iDims.map((d) => (d === 'incident_type' ? [...INCIDENT_TYPES] : SEVERITY_LEVELS));
  const combos: string[][] = domains.reduce<string[][]>((acc, dom) => acc.flatMap((a) => dom.map((v) => [...a, v])), [[]]);
  const cells: Array<CellDims & Fields<RateCell>> = [];
  groups.forEach((g, gi) => {
    for (const combo of combos) {
      const key = dimsOf({ ...g.key, ...Object.fromEntries(iDims.map((d, k) => [d, combo[k]])) });
      const reason = sdc[gi];
      if (reason) {
        cells.push({ ...key, organizations: null, deployments: null, operating_hours: null, incidents: null, rate_per_1000h: null, ci_low: null, ci_high: null, suppressed: reason });
        continue;
      }
      const n = iDims.length === 0 ? structure.cells.get(ids[gi])!.measures[1] : countOf.get([...eDims.map((d) => g.key[d]), ...combo].join('\u0000')) ?? 0;
      const ci = ratePer1000Hours(n, g.hours);
      const counts = clean.has(ids[gi]);
      if (!counts) countsWithheld += 1;
      cells.push({
        ...key, organizations: counts ? g.organizations : null, deployments: counts ? g.deployments : null, operating_hours: round(g.hours, 2), incidents: n,
        rate_per_1000h: round(ci.rate), ci_low: round(ci.lower), ci_high: round(ci.upper), suppressed: null,
      });
    }
  });
  return { group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', cells, countsWithheld), cells };
}


/**
 * Claim severity per cell for one coverage: claim count, mean, median, 90% and 99% quantiles
 * (R type 7), total incurred (open claims at paid + case reserve), share open. Contributors
 * are the organizations with claims in the cell; dominance is measured on incurred amounts.
 * share_open (× claims: the open claims, a count the structure does not protect) is published
 * only when none of the cell's finest cells is inside a withheld cell (`publishedOverPublished`).
 */
/** Severity dimensions and units (api/schemas-statistics.ts SEVERITY_DIMS: no incident type, no month). */
export type SeverityDim = Exclude<repo.StatDim, 'incident_type'>;
export async function severityStatistics(db: Db, coverage: CoverageCode, q: Omit<StatsQuery, 'group_by' | 'period_unit'> & { group_by: SeverityDim[]; period_unit: 'quarter' | 'year' }, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const { structure, claims } = await severityTables(db, coverage, rules);
  // every answerable window is whole quarters (the claim index); the SQL stays for any other
  const rows = indexAnswers(f) ? severityCellsOf(claims, q.group_by, f) : await repo.severityCells(db, coverage, q.group_by, f);
  const ids = rows.map((r) => structureKey(r.key, q, ['severity_level']));
  const sdc = ids.map((id) => statusIn(structure, id));
  const clean = publishedOverPublished(SEVERITY_DIMS, structure);
  let countsWithheld = 0;
  // a quantile is an order statistic: published only with enough claims on each side of it
  const quantile = (n: number, p: number, v: number) => (n * Math.min(p, 1 - p) >= rules.quantileTail ? round(v, 2) : null);
  let quantilesWithheld = 0;
  const cells: Array<CellDims & Fields<SeverityCell>> = rows.map((r, i) => {
    if (sdc[i]) return { ...dimsOf(r.key), claims: null, mean: null, median: null, p90: null, p99: null, total_incurred: null, share_open: null, suppressed: sdc[i] };
    const [median, p90, p99] = [quantile(r.claims, 0.5, r.p50), quantile(r.claims, 0.9, r.p90), quantile(r.claims, 0.99, r.p99)];
    if (median === null || p90 === null || p99 === null) quantilesWithheld += 1;
    const counts = clean.has(ids[i]);
    if (!counts) countsWithheld += 1;
    return {
      ...dimsOf(r.key), claims: r.claims, mean: round(r.mean, 2), median, p90, p99,
      total_incurred: round(r.total, 2), share_open: counts ? round(r.open / r.claims, 4) : null, suppressed: null,
    };
  });
  return { coverage, group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', cells, countsWithheld, quantilesWithheld), cells };
}

/**
 * Loss ratios of bound business by scenario area and period, read from the protected loss-ratio
 * structure (`lossRatioCellsOf`; its base rows come from `repo.lossRatioBaseRows`, the SQL of
 * `repo.earnedPremiumCells` and `repo.incurredLossCells` per area × month × organization): earned premium —
 * each bound line's gross premium earned pro rata temporis over its policy period, clipped to
 * `from`/`to` (a policy changed mid-term: its premium segments between endorsements and up to a
 * cancellation, docs/policy-changes.md §4) — against incurred losses of the insured deployments
 * (a fleet line with identified units: the organization's deployments naming one of its units,
 * on the days the unit was covered; any other line: the organization's deployments in its
 * class) for the coverages bought, on the days a bound policy covered them. Each incident counts
 * once per coverage: several lines of one policy in its class, or several bound policies of the
 * organization overlapping on its date and class, do not multiply it (all those policies'
 * premiums are earned; the loss is borne once — under the earliest-bound of them, were it
 * attributed to one). A cell exists where premium is earned (incurred losses of a covered day
 * always fall in a cell earning premium). A cell's status comes from the protected loss-ratio
 * structure (services/protected-tables.ts: contributors the insured organizations, magnitude
 * earned premium, both measures protected), as for the other statistics; its count of insured
 * organizations only when none of its finest cells is inside a withheld cell (`publishedOverPublished`).
 */
export async function lossRatios(db: Db, q: Pick<StatsQuery, 'from' | 'to' | 'period_unit'> & { group_by: repo.LossRatioDim[] }, rules: DisclosureRules) {
  const structure = await lossRatioStructure(db, rules);
  const rows = wholePeriods(q) ? lossRatioCellsOf(structure, q) : await clippedLossRatioCells(db, q, structure);
  const clean = publishedOverPublished(LOSS_RATIO_DIMS, structure);
  let countsWithheld = 0;
  const cells = rows.map(({ key, id, status, organizations, earned, losses }): CellDims & Fields<LossRatioCell> => {
    if (status) return { ...dimsOf(key), organizations: null, earned_premium: null, incurred_losses: null, loss_ratio: null, suppressed: status };
    const counts = clean.has(id);
    if (!counts) countsWithheld += 1;
    // the ratio of the published (rounded) figures, so that a reader dividing them finds it
    const e = round(earned, 2)!;
    const l = round(losses, 2)!;
    return { ...dimsOf(key), organizations: counts ? organizations : null, earned_premium: e, incurred_losses: l, loss_ratio: e > 0 ? round(l / e, 4) : null, suppressed: null };
  });
  return { group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', cells, countsWithheld), cells };
}

type LossRatioQuery = Pick<StatsQuery, 'from' | 'to' | 'period_unit'> & { group_by: repo.LossRatioDim[] };
/** A loss-ratio cell: its key in the response, its structure id, status and figures. */
interface LossRatioRow { key: Record<string, string>; id: string; status: SuppressionReason | null; organizations: number; earned: number; losses: number }

/** Whether the window is made of whole cells of the structure: none, whole periods of the unit, or one calendar period (what the API accepts). */
function wholePeriods(q: LossRatioQuery): boolean {
  if (!q.from && !q.to) return true;
  if (!q.from || !q.to) return false;
  return q.group_by.includes('period') ? isUnitStart(q.period_unit, q.from) && isUnitEnd(q.period_unit, q.to) : calendarPeriodOf(q.from, q.to) !== null;
}

/**
 * Windows that cut periods (service callers only: the API answers whole periods, §2 of the design
 * note) are computed in SQL per query, each cell taking the status of its structure key.
 */
async function clippedLossRatioCells(db: Db, q: LossRatioQuery, structure: LinkedStructure): Promise<LossRatioRow[]> {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [earned, incurred] = await Promise.all([repo.earnedPremiumCells(db, q.group_by, f), repo.incurredLossCells(db, q.group_by, f)]);
  const id = (key: Record<string, string>) => q.group_by.map((d) => key[d]).join('\u0000');
  const incurredOf = new Map(incurred.map((c) => [id(c.key), c.incurred]));
  return earned.map((c) => ({
    key: c.key, id: structureKey(c.key, q), status: statusIn(structure, structureKey(c.key, q)), organizations: c.organizations, earned: c.earned, losses: incurredOf.get(id(c.key)) ?? 0,
  }));
}

/** The first day of a structure period (`YYYY-MM`, `YYYY-Qn`, `YYYY`), and its unit. */
function periodStart(p: string): { unit: repo.PeriodUnit; start: string } {
  if (/^\d{4}-\d{2}$/.test(p)) return { unit: 'month', start: `${p}-01` };
  const qm = /^(\d{4})-Q([1-4])$/.exec(p);
  if (qm) return { unit: 'quarter', start: `${qm[1]}-${String(3 * Number(qm[2]) - 2).padStart(2, '0')}-01` };
  return { unit: 'year', start: `${p}-01-01` };
}

/**
 * The loss-ratio cells a query asks for, read from the protected structure itself: its finest
 * cells are earned premium and incurred losses per area × month × insured organization, and every
 * answerable cell (area or all × month, quarter, year or all time) is one of its cells — so a
 * query is a selection, not a statement (the structure is rebuilt when bound business, history or
 * catalog change). Only cells earning premium are listed, as the SQL per query listed them.
 */
function lossRatioCellsOf(s: LinkedStructure, q: LossRatioQuery): LossRatioRow[] {
  const byArea = q.group_by.includes('scenario_area');
  const byPeriod = q.group_by.includes('period');
  const window = q.from && q.to ? calendarPeriodOf(q.from, q.to)?.period : undefined;
  const out: LossRatioRow[] = [];
  for (const c of s.cells.values()) {
    const [area, period] = c.values;
    if (c.measures[0] <= 0 || (area === TOTAL) === byArea) continue;
    if (byPeriod) {
      if (period === TOTAL) continue;
      const { unit, start } = periodStart(period);
      if (unit !== q.period_unit || (q.from && start < q.from) || (q.to && start > q.to)) continue;
    } else if (period !== (window ?? TOTAL)) continue;
    out.push({
      key: { ...(byArea ? { scenario_area: area } : {}), ...(byPeriod ? { period } : {}) }, id: cellId(c.values),
      status: c.status, organizations: c.contributors, earned: c.measures[0], losses: c.measures[1],
    });
  }
  const sortKey = (k: Record<string, string>) => `${k.scenario_area ?? ''}\u0000${k.period ?? ''}`;
  return out.sort((x, y) => (sortKey(x.key) < sortKey(y.key) ? -1 : sortKey(x.key) > sortKey(y.key) ? 1 : 0));
}

/**
 * Writes a regulator statistics query to `audit_events` (who, what, when — `created_at`): the
 * route, the parsed query and how many cells were returned and withheld. Every call of a
 * statistics route is recorded, whatever the role, so that an office can review the sequence of
 * queries any user sent (docs/disclosure-control.md §5).
 */
export async function auditStatisticsQuery(db: Db, by: Principal, route: string, query: object, result: { cells: readonly { suppressed: string | null }[] }): Promise<void> {
  await recordAudit(db, {
    actor: actorOf(by), action: 'statistics.query', entity: 'statistics', entity_ref: route,
    after: { query, cells: result.cells.length, protected_cells: result.cells.filter((c) => c.suppressed !== null).length },
  });
}
