/**
 * Regulator risk statistics (docs/actuarial-method.md §9): incident rates with exact Poisson
 * intervals, severity quantiles, loss ratios; aggregate cells only, with disclosure control.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/statistics.ts';
import { ratePer1000Hours } from '../models/statistics/index.ts';
import { INCIDENT_TYPES, type CoverageCode, type IncidentType, type ScenarioAreaCode, type SeverityLevel } from '../domain/index.ts';
import { suppress, type DisclosureRules } from './disclosure.ts';
// the cell shapes are those the regulator report renders (type-only: no PDF code is loaded)
import type { LossRatioCell, RateCell, SeverityCell } from '../reports/regulator-report-pdf.ts';

/** A cell's dimensions: those of group_by, with the values SQL grouped by. */
export type CellDims = { scenario_area?: ScenarioAreaCode; scenario_class?: string; period?: string; incident_type?: IncidentType; severity_level?: `${SeverityLevel}` };
/** The named fields of a report cell type (without its index signature of dimensions). */
type Fields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
const dimsOf = (key: Record<string, string>) => key as CellDims;
/** The disclosure rules in a table (snake_case, as JSON). */
const disclosureOf = (rules: DisclosureRules) => ({ min_contributors: rules.minContributors, dominance: rules.dominance });

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
 * suppressed together, and complementary suppression runs on the exposure table.
 */
export async function incidentRates(db: Db, q: StatsQuery, rules: DisclosureRules) {
  const eDims = q.group_by.filter((d): d is repo.ExposureDim => (repo.EXPOSURE_DIMS as readonly string[]).includes(d));
  const iDims = q.group_by.filter((d): d is repo.IncidentDim => (repo.INCIDENT_DIMS as readonly string[]).includes(d));
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [groups, counts] = await Promise.all([repo.exposureGroups(db, eDims, f), repo.incidentCounts(db, [...eDims, ...iDims], f)]);
  const sdc = suppress(groups.map((g) => ({ key: g.key, contributors: g.organizations, maxShare: g.maxShare, magnitude: g.hours })), eDims, rules);
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
  return { group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf(rules), cells };
}


/**
 * Claim severity per cell for one coverage: claim count, mean, median, 90% and 99% quantiles
 * (R type 7), total incurred (open claims at paid + case reserve), share open. Contributors
 * are the organizations with claims in the cell; dominance is measured on incurred amounts.
 */
export async function severityStatistics(db: Db, coverage: CoverageCode, q: StatsQuery, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const rows = await repo.severityCells(db, coverage, q.group_by, f);
  const sdc = suppress(rows.map((r) => ({ key: r.key, contributors: r.organizations, maxShare: r.maxShare, magnitude: r.total })), q.group_by, rules);
  const cells: Array<CellDims & Fields<SeverityCell>> = rows.map((r, i) => sdc[i]
    ? { ...dimsOf(r.key), claims: null, mean: null, median: null, p90: null, p99: null, total_incurred: null, share_open: null, suppressed: sdc[i]! }
    : {
      ...dimsOf(r.key), claims: r.claims, mean: round(r.mean, 2), median: round(r.p50, 2), p90: round(r.p90, 2), p99: round(r.p99, 2),
      total_incurred: round(r.total, 2), share_open: round(r.open / r.claims, 4), suppressed: null,
    });
  return { coverage, group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf(rules), cells };
}

/**
 * Loss ratios of bound business by scenario area and period, aggregated in SQL
 * (`repo.earnedPremiumCells`, `repo.incurredLossCells`, run side by side): earned premium —
 * each bound line's gross premium earned pro rata temporis over its policy period, clipped to
 * `from`/`to` — against incurred losses of the insured organization's deployments in the
 * classes and coverages it insured, on the days a bound policy covered them. Each incident counts
 * once per coverage: several lines of one policy in its class, or several bound policies of the
 * organization overlapping on its date and class, do not multiply it (all those policies'
 * premiums are earned; the loss is borne once — under the earliest-bound of them, were it
 * attributed to one). A cell exists where premium is earned (incurred losses of a covered day
 * always fall in a cell earning premium). Contributors are the insured organizations earning
 * premium in the cell; dominance is measured on earned premium.
 */
export async function lossRatios(db: Db, q: Pick<StatsQuery, 'from' | 'to' | 'period_unit'> & { group_by: repo.LossRatioDim[] }, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [earned, incurred] = await Promise.all([repo.earnedPremiumCells(db, q.group_by, f), repo.incurredLossCells(db, q.group_by, f)]);
  const id = (key: Record<string, string>) => q.group_by.map((d) => key[d]).join('\u0000');
  const incurredOf = new Map(incurred.map((c) => [id(c.key), c.incurred]));
  const sdc = suppress(earned.map((c) => ({ key: c.key, contributors: c.organizations, magnitude: c.earned, maxShare: c.maxShare })), q.group_by, rules);
  return {
    group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf(rules),
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
