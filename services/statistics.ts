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
import { lossRatioStructure, rateStructure, severityStructure, splitPublishable, structureKey } from './protected-tables.ts';
import type { LinkedStructure } from './linked-tables.ts';
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
 * by reason. `quantiles_withheld` counts severity cells published without some quantile.
 */
function disclosureOf(method: 'linked_tables' | 'per_table', cells: readonly { suppressed: SuppressionReason | null }[], quantilesWithheld?: number) {
  const by = (r: SuppressionReason) => cells.filter((c) => c.suppressed === r).length;
  return {
    method,
    rules: ['min_contributors', 'dominance', 'p_percent', 'complementary', ...(quantilesWithheld === undefined ? [] : ['quantile_tail'])],
    protected_cells: cells.filter((c) => c.suppressed !== null).length,
    by_reason: { min_contributors: by('min_contributors'), dominance: by('dominance'), p_percent: by('p_percent'), complementary: by('complementary') },
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
 * a published group are published only when no withheld cell lies under it (`splitPublishable`).
 */
export async function incidentRates(db: Db, q: StatsQuery, rules: DisclosureRules) {
  const eDims = q.group_by.filter((d): d is repo.ExposureDim => (repo.EXPOSURE_DIMS as readonly string[]).includes(d));
  const iDims = q.group_by.filter((d): d is repo.IncidentDim => (repo.INCIDENT_DIMS as readonly string[]).includes(d));
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [groups, counts, structure] = await Promise.all([repo.exposureGroups(db, eDims, f), repo.incidentCounts(db, [...eDims, ...iDims], f), rateStructure(db, rules)]);
  // a split (type, level) of a published group is published only where no withheld cell lies under the group (splitPublishable)
  const splits = iDims.length > 0 ? splitPublishable(structure) : null;
  const sdc = groups.map((g) => {
    const id = structureKey(g.key, q);
    return statusIn(structure, id) ?? (splits && !splits.has(id) ? 'complementary' : undefined);
  });
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
      const n = countOf.get([...eDims.map((d) => g.key[d]), ...combo].join('\u0000')) ?? 0;
      const ci = ratePer1000Hours(n, g.hours);
      cells.push({
        ...key, organizations: g.organizations, deployments: g.deployments, operating_hours: round(g.hours, 2), incidents: n,
        rate_per_1000h: round(ci.rate), ci_low: round(ci.lower), ci_high: round(ci.upper), suppressed: null,
      });
    }
  });
  return { group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', cells), cells };
}


/**
 * Claim severity per cell for one coverage: claim count, mean, median, 90% and 99% quantiles
 * (R type 7), total incurred (open claims at paid + case reserve), share open. Contributors
 * are the organizations with claims in the cell; dominance is measured on incurred amounts.
 */
/** Severity dimensions and units (api/schemas-statistics.ts SEVERITY_DIMS: no incident type, no month). */
export type SeverityDim = Exclude<repo.StatDim, 'incident_type'>;
export async function severityStatistics(db: Db, coverage: CoverageCode, q: Omit<StatsQuery, 'group_by' | 'period_unit'> & { group_by: SeverityDim[]; period_unit: 'quarter' | 'year' }, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [rows, structure] = await Promise.all([repo.severityCells(db, coverage, q.group_by, f), severityStructure(db, coverage, rules)]);
  const sdc = rows.map((r) => statusIn(structure, structureKey(r.key, q, ['severity_level'])));
  // a quantile is an order statistic: published only with enough claims on each side of it
  const quantile = (n: number, p: number, v: number) => (n * Math.min(p, 1 - p) >= rules.quantileTail ? round(v, 2) : null);
  let quantilesWithheld = 0;
  const cells: Array<CellDims & Fields<SeverityCell>> = rows.map((r, i) => {
    if (sdc[i]) return { ...dimsOf(r.key), claims: null, mean: null, median: null, p90: null, p99: null, total_incurred: null, share_open: null, suppressed: sdc[i] };
    const [median, p90, p99] = [quantile(r.claims, 0.5, r.p50), quantile(r.claims, 0.9, r.p90), quantile(r.claims, 0.99, r.p99)];
    if (median === null || p90 === null || p99 === null) quantilesWithheld += 1;
    return {
      ...dimsOf(r.key), claims: r.claims, mean: round(r.mean, 2), median, p90, p99,
      total_incurred: round(r.total, 2), share_open: round(r.open / r.claims, 4), suppressed: null,
    };
  });
  return { coverage, group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', cells, quantilesWithheld), cells };
}

/**
 * Loss ratios of bound business by scenario area and period, aggregated in SQL
 * (`repo.earnedPremiumCells`, `repo.incurredLossCells`, run side by side): earned premium —
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
 * earned premium, both measures protected), as for the other statistics.
 */
export async function lossRatios(db: Db, q: Pick<StatsQuery, 'from' | 'to' | 'period_unit'> & { group_by: repo.LossRatioDim[] }, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [earned, incurred, structure] = await Promise.all([
    repo.earnedPremiumCells(db, q.group_by, f), repo.incurredLossCells(db, q.group_by, f), lossRatioStructure(db, rules),
  ]);
  const id = (key: Record<string, string>) => q.group_by.map((d) => key[d]).join('\u0000');
  const incurredOf = new Map(incurred.map((c) => [id(c.key), c.incurred]));
  const sdc = earned.map((c) => statusIn(structure, structureKey(c.key, q)));
  return {
    group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf('linked_tables', earned.map((_, i) => ({ suppressed: sdc[i] }))),
    cells: earned.map((c, i): CellDims & Fields<LossRatioCell> => {
      if (sdc[i]) return { ...dimsOf(c.key), organizations: null, earned_premium: null, incurred_losses: null, loss_ratio: null, suppressed: sdc[i] };
      const losses = incurredOf.get(id(c.key)) ?? 0;
      return {
        ...dimsOf(c.key), organizations: c.organizations, earned_premium: round(c.earned, 2), incurred_losses: round(losses, 2),
        loss_ratio: c.earned > 0 ? round(losses / c.earned, 4) : null, suppressed: null,
      };
    }),
  };
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
