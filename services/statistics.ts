/**
 * Regulator risk statistics (docs/actuarial-method.md §9): incident rates with exact Poisson
 * intervals, severity quantiles, loss ratios; aggregate cells only, with disclosure control.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/statistics.ts';
import { ratePer1000Hours } from '../models/statistics/index.ts';
import { INCIDENT_TYPES, type CoverageCode, type IncidentType, type ScenarioAreaCode, type SeverityLevel } from '../domain/index.ts';
import type { QuoteRequest } from '../domain/schemas/index.ts';
import { suppress, type DisclosureRules } from './disclosure.ts';
import type { RatingResult } from './pricing.ts';
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


const periodOf = (day: string, unit: repo.PeriodUnit) =>
  unit === 'month' ? day.slice(0, 7) : unit === 'quarter' ? `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}` : day.slice(0, 4);

/**
 * Loss ratios of bound business by scenario area (and period): earned premium — each bound
 * line's gross premium earned evenly over the days of its policy period — against incurred
 * losses of the insured organization's deployments in the line's scenario class during the
 * policy period, for the coverages bought. Contributors are the insured organizations;
 * dominance is measured on earned premium.
 */
export async function lossRatios(db: Db, q: Pick<StatsQuery, 'from' | 'to' | 'period_unit'> & { group_by: ('scenario_area' | 'period')[] }, rules: DisclosureRules) {
  const f = { from: q.from, to: q.to, unit: q.period_unit };
  const [quotes, incurred, classes] = await Promise.all([
    repo.boundQuotes(db), repo.incurredByOrgClassMonth(db, f),
    db('scenario_classes').select('code', 'area') as Promise<{ code: string; area: string }[]>,
  ]);
  const areaOf = new Map(classes.map((c) => [c.code, c.area]));
  type Acc = { earned: number; incurred: number; byOrg: Map<number, number> };
  const cells = new Map<string, { key: Record<string, string>; acc: Acc }>();
  const cell = (key: Record<string, string>) => {
    const k = q.group_by.map((d) => key[d]).join('\u0000');
    let c = cells.get(k);
    if (!c) { c = { key: Object.fromEntries(q.group_by.map((d) => [d, key[d]])), acc: { earned: 0, incurred: 0, byOrg: new Map() } }; cells.set(k, c); }
    return c.acc;
  };
  const inRange = (day: string) => (!q.from || day >= q.from) && (!q.to || day <= q.to);
  for (const bq of quotes) {
    // what createQuote stored
    const req = bq.request as QuoteRequest;
    const res = bq.result as RatingResult;
    const start = Date.parse(req.period.start);
    const days = Math.round((Date.parse(req.period.end) - start) / 86_400_000) + 1;
    const coverages = new Set(req.coverages.map((c) => c.coverage));
    req.fleet.forEach((line, li) => {
      const area = areaOf.get(line.scenario_class) ?? 'unknown';
      const gross = res.premium.lines.filter((l) => l.line === li + 1).reduce((s, l) => s + l.gross_premium, 0);
      for (let dIdx = 0; dIdx < days; dIdx++) {
        const day = new Date(start + dIdx * 86_400_000).toISOString().slice(0, 10);
        if (!inRange(day)) continue;
        const acc = cell({ scenario_area: area, period: periodOf(day, q.period_unit) });
        acc.earned += gross / days;
        acc.byOrg.set(bq.organization_id, (acc.byOrg.get(bq.organization_id) ?? 0) + gross / days);
      }
      for (const r of incurred) {
        if (r.organization_id !== bq.organization_id || r.scenario_class !== line.scenario_class) continue;
        if (r.day < req.period.start || r.day > req.period.end) continue;
        const amount = [...coverages].reduce((s, c) => s + (r[c] ?? 0), 0);
        cell({ scenario_area: area, period: periodOf(r.day, q.period_unit) }).incurred += amount;
      }
    });
  }
  const list = [...cells.values()].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
  const sdc = suppress(list.map((c) => ({
    key: c.key, contributors: c.acc.byOrg.size, magnitude: c.acc.earned,
    maxShare: c.acc.earned > 0 ? Math.max(...c.acc.byOrg.values()) / c.acc.earned : 0,
  })), q.group_by, rules);
  return {
    group_by: q.group_by, period_unit: q.period_unit, from: q.from ?? null, to: q.to ?? null, disclosure: disclosureOf(rules),
    cells: list.map((c, i): CellDims & Fields<LossRatioCell> => sdc[i]
      ? { ...dimsOf(c.key), organizations: null, earned_premium: null, incurred_losses: null, loss_ratio: null, suppressed: sdc[i] }
      : {
        ...dimsOf(c.key), organizations: c.acc.byOrg.size, earned_premium: round(c.acc.earned, 2), incurred_losses: round(c.acc.incurred, 2),
        loss_ratio: c.acc.earned > 0 ? round(c.acc.incurred / c.acc.earned, 4) : null, suppressed: null,
      }),
  };
}
