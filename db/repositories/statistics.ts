/**
 * Aggregate risk statistics for regulators, computed in SQL (DESIGN.md §8). Every query returns
 * per-cell totals together with what disclosure control needs: the number of contributing
 * organizations and the largest single organization's share.
 */
import type { Knex } from 'knex';
import { COVERAGE_LOSS_SQL, incurredSql } from './modeling.ts';

export type PeriodUnit = 'month' | 'quarter' | 'year';
export const EXPOSURE_DIMS = ['scenario_area', 'scenario_class', 'period'] as const;
export const INCIDENT_DIMS = ['incident_type', 'severity_level'] as const;
export type ExposureDim = (typeof EXPOSURE_DIMS)[number];
export type IncidentDim = (typeof INCIDENT_DIMS)[number];
export type StatDim = ExposureDim | IncidentDim;

export interface StatFilter { from?: string; to?: string; unit: PeriodUnit }

const periodExpr = (unit: PeriodUnit, col: string) =>
  unit === 'month' ? `to_char(${col}, 'YYYY-MM')` : unit === 'quarter' ? `to_char(${col}, 'YYYY-"Q"Q')` : `to_char(${col}, 'YYYY')`;

function incidentDimSql(d: StatDim, unit: PeriodUnit): string {
  switch (d) {
    case 'scenario_area': return 'c.area';
    case 'scenario_class': return 'c.code';
    case 'period': return periodExpr(unit, `(i.occurred_at at time zone 'UTC')`);
    case 'incident_type': return 'i.incident_type';
    case 'severity_level': return 'i.severity_level::text';
  }
}

/** `group by …` / `order by …` clauses; none at all for the grand total (no dimension). */
const groupBy = (dims: readonly string[]) => (dims.length ? `group by ${dims.join(', ')}` : '');
const orderBy = (dims: readonly string[]) => (dims.length ? `order by ${dims.join(', ')}` : '');
const sel = (dims: readonly string[], expr: (d: never) => string) => dims.map((d) => `${expr(d as never)} as ${d}`);

export interface ExposureGroup {
  key: Record<string, string>;
  organizations: number;
  deployments: number;
  hours: number;
  maxShare: number;
}

/**
 * Final stage of both exposure-group paths: from `eo` (hours `h` and deployments `deps` per cell
 * and organization) to the cell with its contributors and the dominant organization's share.
 */
function groupsFromOrgTotals(dims: readonly ExposureDim[], outSql: (d: ExposureDim) => string): string {
  return `select ${[...dims.map(outSql), 'count(*) as organizations', 'sum(deps) as deployments', 'sum(h) as hours',
    'coalesce(max(h) / nullif(sum(h), 0), 0) as max_share'].join(', ')}
     from eo ${groupBy(dims)} ${orderBy(dims)}`;
}

const toExposureGroup = (dims: readonly ExposureDim[]) => (row: Record<string, unknown>): ExposureGroup => ({
  key: Object.fromEntries(dims.map((d) => [d, String(row[d])])),
  organizations: Number(row.organizations), deployments: Number(row.deployments), hours: Number(row.hours), maxShare: Number(row.max_share),
});

/**
 * Operating hours per exposure group, with contributors and the dominant organization's share of
 * hours. Monthly series (`unit` month with `period` among the dimensions) are answered from
 * `exposure_month_summary` when it is exact for the date filter (see `summaryAnswers`), otherwise
 * from the raw rows (`exposureGroupsRaw`); both give the same cells.
 */
export async function exposureGroups(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  return (await summaryAnswers(q, dims, f)) ? exposureGroupsFromSummary(q, dims, f) : exposureGroupsRaw(q, dims, f);
}

const isFirstOfMonth = (d: string) => /^\d{4}-\d{2}-01$/.test(d);

/**
 * Whether the monthly summary reproduces the raw path exactly. Deployment counts add up only
 * within one month, so the period must be a dimension and the unit a month. The raw filter is
 * `period_start >= from` and `period_end <= to` per row: `from` must be the first of a month
 * (then it keeps whole months), and every summary row of a month up to `to` must end by `to`
 * (then `month <= to` keeps exactly the rows the raw filter keeps).
 */
export async function summaryAnswers(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<boolean> {
  if (f.unit !== 'month' || !dims.includes('period')) return false;
  if (f.from && !isFirstOfMonth(f.from)) return false;
  if (!f.to) return true;
  const r = await q.raw(
    `select exists (select 1 from exposure_month_summary where month <= ?::date and max_period_end > ?::date
       ${f.from ? 'and month >= ?::date' : ''}) as partial`,
    [f.to, f.to, ...(f.from ? [f.from] : [])],
  );
  return !r.rows[0].partial;
}

/** Exposure groups from the monthly summary: per-organization hours and deployments within each month cell. */
export async function exposureGroupsFromSummary(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  const where: string[] = [];
  const b: unknown[] = [];
  if (f.from) { where.push('s.month >= ?::date'); b.push(f.from); }
  if (f.to) { where.push('s.month <= ?::date'); b.push(f.to); }
  const dimSql = (d: ExposureDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : 's.month');
  const outSql = (d: ExposureDim) => (d === 'period' ? `${periodExpr('month', 'period')} as period` : d);
  const r = await q.raw(
    `with eo as (
       select ${[...dims.map((d) => `${dimSql(d)} as ${d}`), 's.organization_id', 'sum(s.operating_hours) as h', 'sum(s.deployments) as deps'].join(', ')}
       from exposure_month_summary s join scenario_classes c on c.id = s.scenario_class_id
       ${where.length ? `where ${where.join(' and ')}` : ''}
       group by ${[...dims.map(dimSql), 's.organization_id'].join(', ')}
     )
  ${groupsFromOrgTotals(dims, outSql)}`,
    b as Knex.RawBinding[],
  );
  return r.rows.map(toExposureGroup(dims));
}

/**
 * Exposure groups from the raw exposure rows. Three stages so that no `count(distinct)` runs over the raw rows: exposures are summed
 * per deployment (and period bucket) first, then joined to the small deployment and class
 * tables and summed per organization, then per cell.
 */
export async function exposureGroupsRaw(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  const where: string[] = ['e.operating_hours > 0'];
  const b: unknown[] = [];
  if (f.from) { where.push('e.period_start >= ?::date'); b.push(f.from); }
  if (f.to) { where.push('e.period_end <= ?::date'); b.push(f.to); }
  const withPeriod = dims.includes('period');
  const bucket = `date_trunc('${f.unit}', e.period_start::timestamp)`; // timestamp, not timestamptz: no time-zone work per row
  // the period is grouped as a timestamp and formatted only on the final (small) result
  const dimSql = (d: ExposureDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : 'pd.bucket');
  const outSql = (d: ExposureDim) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d);
  const r = await q.raw(
    `with pd as (
       select e.deployment_id${withPeriod ? `, ${bucket} as bucket` : ''}, sum(e.operating_hours) as h
       from exposures e where ${where.join(' and ')}
       group by e.deployment_id${withPeriod ? `, ${bucket}` : ''}
     ), eo as (
       select ${[...dims.map((d) => `${dimSql(d)} as ${d}`), 'd.organization_id', 'sum(pd.h) as h', 'count(*) as deps'].join(', ')}
       from pd join deployments d on d.id = pd.deployment_id join scenario_classes c on c.id = d.scenario_class_id
       group by ${[...dims.map(dimSql), 'd.organization_id'].join(', ')}
     )
  ${groupsFromOrgTotals(dims, outSql)}`,
    b as Knex.RawBinding[],
  );
  return r.rows.map(toExposureGroup(dims));
}

function incidentWhere(f: StatFilter) {
  const where: string[] = [];
  const b: unknown[] = [];
  if (f.from) { where.push(`i.occurred_at >= (?::date::timestamp at time zone 'UTC')`); b.push(f.from); }
  if (f.to) { where.push(`i.occurred_at < ((?::date + 1)::timestamp at time zone 'UTC')`); b.push(f.to); }
  return { sql: where.length ? where.join(' and ') : 'true', b };
}

/** Incident counts per cell of exposure and incident dimensions (per deployment first, then joined). */
export async function incidentCounts(q: Knex, dims: readonly StatDim[], f: StatFilter): Promise<{ key: Record<string, string>; incidents: number }[]> {
  const w = incidentWhere(f);
  const own = dims.filter((d) => d === 'period' || d === 'incident_type' || d === 'severity_level');
  const ownSql = (d: StatDim) => (d === 'period' ? `date_trunc('${f.unit}', i.occurred_at at time zone 'UTC')` : d === 'incident_type' ? 'i.incident_type' : 'i.severity_level::text');
  const outer = (d: StatDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : `pi.${d}`);
  const r = await q.raw(
    `with pi as (
       select ${['i.deployment_id', ...own.map((d) => `${ownSql(d)} as ${d}`), 'count(*) as n'].join(', ')}
       from incidents i where ${w.sql} group by ${['i.deployment_id', ...own.map(ownSql)].join(', ')}
     )
     select ${[...dims.map((d) => (d === 'period' ? `${periodExpr(f.unit, outer(d))} as period` : `${outer(d)} as ${d}`)), 'sum(pi.n) as incidents'].join(', ')}
     from pi join deployments d on d.id = pi.deployment_id join scenario_classes c on c.id = d.scenario_class_id
     ${groupBy(dims.map(outer))}`,
    w.b as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({ key: Object.fromEntries(dims.map((d) => [d, String(row[d])])), incidents: Number(row.incidents) }));
}

export interface SeverityCell {
  key: Record<string, string>;
  claims: number;
  open: number;
  total: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  organizations: number;
  maxShare: number;
}

/**
 * Claim severity per cell for a coverage: counts, mean, quantiles (percentile_cont = R type 7),
 * total incurred (open claims at paid + case reserve, allocated by loss line) and share open.
 */
export async function severityCells(q: Knex, coverage: string, dims: readonly StatDim[], f: StatFilter): Promise<SeverityCell[]> {
  const loss = COVERAGE_LOSS_SQL[coverage];
  const w = incidentWhere(f);
  const dimSel = sel(dims, (d: StatDim) => incidentDimSql(d, f.unit));
  const r = await q.raw(
    `with claims as (
       select ${[...dimSel, 'd.organization_id',
         `${incurredSql(coverage)} as amount`,
         `i.status = 'open' as open`].join(', ')}
       from incidents i join deployments d on d.id = i.deployment_id join scenario_classes c on c.id = d.scenario_class_id
       where ${loss} > 0 and ${w.sql}
     ), by_org as (
       select ${[...dims, 'organization_id', 'sum(amount) as s'].join(', ')} from claims group by ${[...dims, 'organization_id'].join(', ')}
     ), dom as (
       select ${[...dims, 'count(*) as organizations', 'coalesce(max(s) / nullif(sum(s), 0), 0) as max_share'].join(', ')} from by_org ${groupBy(dims)}
     ), agg as (
       select ${[...dims, 'count(*) as claims', 'count(*) filter (where open) as open', 'sum(amount) as total', 'avg(amount) as mean',
         'percentile_cont(0.5) within group (order by amount) as p50', 'percentile_cont(0.9) within group (order by amount) as p90',
         'percentile_cont(0.99) within group (order by amount) as p99'].join(', ')}
       from claims ${groupBy(dims)}
     )
     select agg.*, dom.organizations, dom.max_share from agg join dom on ${dims.length ? dims.map((d) => `agg.${d} = dom.${d}`).join(' and ') : 'true'}
     order by ${dims.length ? dims.map((d) => `agg.${d}`).join(', ') : '1'}`,
    w.b as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    key: Object.fromEntries(dims.map((d) => [d, String(row[d])])),
    claims: Number(row.claims), open: Number(row.open), total: Number(row.total), mean: Number(row.mean),
    p50: Number(row.p50), p90: Number(row.p90), p99: Number(row.p99), organizations: Number(row.organizations), maxShare: Number(row.max_share),
  }));
}

export const LOSS_RATIO_DIMS = ['scenario_area', 'period'] as const;
export type LossRatioDim = (typeof LOSS_RATIO_DIMS)[number];

export interface LossRatioCell {
  key: Record<string, string>;
  /** Insured organizations earning premium in the cell. */
  organizations: number;
  earned: number;
  incurred: number;
  /** The largest organization's share of the cell's earned premium. */
  maxShare: number;
}

const STEP: Record<PeriodUnit, string> = { month: '1 month', quarter: '3 months', year: '1 year' };

/**
 * Loss ratios of bound business per cell of scenario area and period, in one statement over
 * `bound_quote_lines` (migration 20261130000100: one row per bound fleet line × coverage, kept
 * by triggers on `quotes`). Dates are inclusive calendar days; incidents are dated by
 * `occurred_at` in UTC, as in every other statistic.
 *
 * * `lines`: the bound lines whose policy period meets [from, to], with the period clipped to
 *   it (`s`..`e`); nothing else of the quotes is read.
 * * Earned premium (`prem` → `eo`): a line's gross premium G over its policy period of D days
 *   earns G × (days of the period inside the bucket and inside [from, to]) / D, pro rata
 *   temporis. Lines of one organization, area and period are summed first (earning is linear),
 *   then the clipped period is cut into month / quarter / year buckets by `generate_series`
 *   (only when the period is a dimension). Exact numeric arithmetic up to the final sum.
 * * Cover (`cover`): per organization, scenario class and coverage bought, the days covered by
 *   at least one bound policy within [from, to], merged into disjoint intervals (overlapping or
 *   adjacent policy periods form one interval: gaps and islands with a running maximum).
 * * Incurred losses (`inc`): each incident of the organization's deployments in a covered class
 *   meets at most one interval per coverage, so it is counted once per coverage bought however
 *   many lines of one policy, or overlapping policies, cover it; its amount under the coverage
 *   is `incurredSql` (open incidents at paid + case reserve, allocated by loss line).
 * * Cells: per cell, the organizations earning premium (the contributors), their earned premium
 *   and the largest one's share (dominance), joined to the incurred losses.
 */
export async function lossRatioCells(q: Knex, dims: readonly LossRatioDim[], f: StatFilter): Promise<LossRatioCell[]> {
  const withPeriod = dims.includes('period');
  const withArea = dims.includes('scenario_area');
  const step = `interval '${STEP[f.unit]}'`;
  const from = f.from ?? '-infinity';
  const to = f.to ?? 'infinity';
  const iw = incidentWhere(f);
  const areaSel = withArea ? ['p.area as scenario_area'] : [];
  const keys = (cols: string[]) => (cols.length ? `group by ${cols.join(', ')}` : '');
  const earnedByOrg = withPeriod
    ? `select ${[...areaSel, 'b.period', 'p.organization_id',
      `sum(p.g * (least(p.e, (b.period + ${step})::date - 1) - greatest(p.s, b.period::date) + 1) / p.days) as earned`].join(', ')}
       from prem p cross join lateral generate_series(date_trunc('${f.unit}', p.s::timestamp), p.e::timestamp, ${step}) as b(period)
       ${keys([...(withArea ? ['p.area'] : []), 'b.period', 'p.organization_id'])}`
    : `select ${[...areaSel, 'p.organization_id', 'sum(p.g * (p.e - p.s + 1) / p.days) as earned'].join(', ')}
       from prem p ${keys([...(withArea ? ['p.area'] : []), 'p.organization_id'])}`;
  const incDims = [...(withArea ? ['c.area'] : []), ...(withPeriod ? [`date_trunc('${f.unit}', i.occurred_at at time zone 'UTC')`] : [])];
  const incSel = [...(withArea ? ['c.area as scenario_area'] : []), ...(withPeriod ? [`${incDims[incDims.length - 1]} as period`] : [])];
  const amount = `case v.coverage ${Object.keys(COVERAGE_LOSS_SQL).map((k) => `when '${k}' then ${incurredSql(k)}`).join(' ')} else 0 end`;
  const join = dims.length ? `using (${dims.join(', ')})` : 'on true';
  const out = dims.map((d) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d));
  const r = await q.raw(
    `with lines as (
       select l.organization_id, l.scenario_class_id, l.coverage, l.gross_premium, l.period_end - l.period_start + 1 as days,
              greatest(l.period_start, ?::date) as s, least(l.period_end, ?::date) as e
       from bound_quote_lines l where l.period_start <= ?::date and l.period_end >= ?::date
     ), prem as (
       select l.organization_id, c.area, l.s, l.e, l.days, sum(l.gross_premium) as g
       from lines l join scenario_classes c on c.id = l.scenario_class_id
       group by l.organization_id, c.area, l.s, l.e, l.days
     ), eo as (${earnedByOrg}
     ), ec as (
       select ${[...dims, 'count(*) as organizations', 'sum(earned) as earned', 'max(earned) as max_earned'].join(', ')}
       from eo ${groupBy(dims)} having count(*) > 0
     ), reach as (
       select l.organization_id, l.scenario_class_id, l.coverage, l.s, l.e,
              max(l.e) over (partition by l.organization_id, l.scenario_class_id, l.coverage order by l.s, l.e
                             rows between unbounded preceding and 1 preceding) as prev_e
       from lines l
     ), islands as (
       select organization_id, scenario_class_id, coverage, s, e,
              sum(case when prev_e is not null and s <= prev_e + 1 then 0 else 1 end)
                over (partition by organization_id, scenario_class_id, coverage order by s, e rows unbounded preceding) as island
       from reach
     ), cover as (
       select organization_id, scenario_class_id, coverage, min(s) as s, max(e) as e
       from islands group by organization_id, scenario_class_id, coverage, island
     ), inc as (
       select ${[...incSel, `sum(${amount}) as incurred`].join(', ')}
       from incidents i
       join deployments d on d.id = i.deployment_id
       join cover v on v.organization_id = d.organization_id and v.scenario_class_id = d.scenario_class_id
                   and (i.occurred_at at time zone 'UTC')::date between v.s and v.e
       ${withArea ? 'join scenario_classes c on c.id = d.scenario_class_id' : ''}
       where ${iw.sql}
       ${keys(incDims)} having count(*) > 0
     )
     select ${[...out, 'coalesce(ec.organizations, 0) as organizations', 'coalesce(ec.earned, 0)::float8 as earned',
       'coalesce(inc.incurred, 0)::float8 as incurred', 'coalesce(ec.max_earned / nullif(ec.earned, 0), 0)::float8 as max_share'].join(', ')}
     from ec full join inc ${join}
     ${orderBy(dims)}`,
    [from, to, to, from, ...iw.b] as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    key: Object.fromEntries(dims.map((d) => [d, String(row[d])])),
    organizations: Number(row.organizations), earned: Number(row.earned), incurred: Number(row.incurred), maxShare: Number(row.max_share),
  }));
}
