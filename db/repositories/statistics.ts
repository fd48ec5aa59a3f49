/**
 * Aggregate risk statistics for regulators, computed in SQL (docs/actuarial-method.md §9). Every
 * query returns per-cell totals together with what disclosure control needs: the number of
 * contributing organizations and the largest single organization's share.
 */
import type { Knex } from 'knex';
import { COVERAGE_LOSS_SQL, incurredSql } from './modeling.ts';
import { apportionedHoursSql, bucketEndSql, bucketsSql } from './exposure-spread.ts';

export type PeriodUnit = 'month' | 'quarter' | 'year';
export const EXPOSURE_DIMS = ['scenario_area', 'scenario_class', 'period'] as const;
export const INCIDENT_DIMS = ['incident_type', 'severity_level'] as const;
export type ExposureDim = (typeof EXPOSURE_DIMS)[number];
export type IncidentDim = (typeof INCIDENT_DIMS)[number];
export type StatDim = ExposureDim | IncidentDim;

export interface StatFilter { from?: string; to?: string; unit: PeriodUnit }

const periodExpr = (unit: PeriodUnit, col: string) =>
  unit === 'month' ? `to_char(${col}, 'YYYY-MM')` : unit === 'quarter' ? `to_char(${col}, 'YYYY-"Q"Q')` : `to_char(${col}, 'YYYY')`;

/** `group by …` / `order by …` clauses; none at all for the grand total (no dimension). */
const groupBy = (dims: readonly string[]) => (dims.length ? `group by ${dims.join(', ')}` : '');
const orderBy = (dims: readonly string[]) => (dims.length ? `order by ${dims.join(', ')}` : '');

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
 * hours. A row's hours are spread over the days it covers (exposure-spread.ts) and clipped to the
 * `from`–`to` window. Series and totals over whole months are answered from
 * `exposure_month_summary` (see `summaryCounter`), otherwise from the raw rows
 * (`exposureGroupsRaw`); both give the same cells.
 */
export async function exposureGroups(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  return summaryAnswers(dims, f) ? exposureGroupsFromSummary(q, dims, f) : exposureGroupsRaw(q, dims, f);
}

const isFirstOfMonth = (d: string) => d.endsWith('-01');
const isLastOfMonth = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return day === new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const MONTHS_PER: Record<PeriodUnit, number> = { month: 1, quarter: 3, year: 12 };
/** Whether `day` is the first day of a calendar `unit`. */
const isStartOf = (unit: PeriodUnit, day: string) => isFirstOfMonth(day) && (Number(day.slice(5, 7)) - 1) % MONTHS_PER[unit] === 0;
/** Whether the days `a` and `b` lie in one calendar `unit`. */
const sameBucket = (unit: PeriodUnit, a: string, b: string) =>
  a.slice(0, 4) === b.slice(0, 4) && Math.floor((Number(a.slice(5, 7)) - 1) / MONTHS_PER[unit]) === Math.floor((Number(b.slice(5, 7)) - 1) / MONTHS_PER[unit]);

/** The summary column counting the deployments of a bucket once, in their first month with hours there (migration 20261205000100). */
export type SummaryCounter = 'deployments' | 'first_in_quarter' | 'first_in_year' | 'first_ever';
const COUNTER_OF: Record<PeriodUnit, SummaryCounter> = { month: 'deployments', quarter: 'first_in_quarter', year: 'first_in_year' };

/**
 * Which summary counter gives the exact deployment count of every cell, or null when the summary
 * cannot reproduce the raw path. Hours add up over months, so the window must consist of whole
 * months (`from` the first of a month, `to` the last day of one). A deployment is counted in a
 * bucket (a calendar `unit` with `period` among the dimensions, else the whole window) in its
 * first month with hours there, so the window must start where the buckets start: with a period,
 * `from` absent or the first day of a `unit`; without, the window is all history up to `to`
 * (`first_ever`) or starts on the first day of a month, quarter or year and ends within it.
 */
export function summaryCounter(dims: readonly ExposureDim[], f: StatFilter): SummaryCounter | null {
  if (f.from && !isFirstOfMonth(f.from)) return null;
  if (f.to && !isLastOfMonth(f.to)) return null;
  if (dims.includes('period')) return !f.from || isStartOf(f.unit, f.from) ? COUNTER_OF[f.unit] : null;
  if (!f.from) return 'first_ever';
  const to = f.to;
  const unit = (['month', 'quarter', 'year'] as const).find((u) => isStartOf(u, f.from!) && to !== undefined && sameBucket(u, f.from!, to));
  return unit ? COUNTER_OF[unit] : null;
}

/** Whether the summary answers these cells exactly (see `summaryCounter`). */
export function summaryAnswers(dims: readonly ExposureDim[], f: StatFilter): boolean {
  return summaryCounter(dims, f) !== null;
}

/**
 * Exposure groups from the monthly summary: per organization, the hours of the months in the window
 * and the deployments counted in their first month with hours in the cell's bucket; then per cell.
 * Throws if the summary does not answer `dims` and `f` (`summaryCounter`).
 */
export async function exposureGroupsFromSummary(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  const counter = summaryCounter(dims, f);
  if (!counter) throw new Error('exposure_month_summary does not answer this window exactly');
  const where: string[] = [];
  const b: unknown[] = [];
  if (f.from) { where.push('s.month >= ?::date'); b.push(f.from); }
  if (f.to) { where.push('s.month <= ?::date'); b.push(f.to); }
  const dimSql = (d: ExposureDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : `date_trunc('${f.unit}', s.month)`);
  const outSql = (d: ExposureDim) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d);
  const r = await q.raw(
    `with eo as (
       select ${[...dims.map((d) => `${dimSql(d)} as ${d}`), 's.organization_id', 'sum(s.operating_hours) as h', `sum(s.${counter}) as deps`].join(', ')}
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
 * Exposure groups from the raw exposure rows. Rows meeting the window are clipped to it; with the
 * period as a dimension each clipped row is cut into its calendar buckets. Three stages so that no
 * `count(distinct)` runs over the raw rows: hours are summed per deployment (and bucket) first,
 * then joined to the small deployment and class tables and summed per organization, then per cell.
 */
export async function exposureGroupsRaw(q: Knex, dims: readonly ExposureDim[], f: StatFilter): Promise<ExposureGroup[]> {
  const where: string[] = ['e.operating_hours > 0'];
  const b: unknown[] = [];
  const from = f.from ? '?::date' : 'e.period_start';
  const to = f.to ? '?::date' : 'e.period_end';
  if (f.from) b.push(f.from);
  if (f.to) b.push(f.to);
  if (f.from) { where.push('e.period_end >= ?::date'); b.push(f.from); }
  if (f.to) { where.push('e.period_start <= ?::date'); b.push(f.to); }
  const withPeriod = dims.includes('period');
  // the window's part of each row; with the period, its part in each bucket (grouped as a timestamp, formatted at the end)
  const pieces = withPeriod
    ? `select w.deployment_id, k.bucket,
         ${apportionedHoursSql('w', `greatest(w.cs, k.bucket::date)`, `least(w.ce, ${bucketEndSql(f.unit, 'k.bucket')})`)} as h
       from w cross join lateral ${bucketsSql(f.unit, 'w.cs', 'w.ce')} k(bucket)`
    : `select w.deployment_id, ${apportionedHoursSql('w', 'w.cs', 'w.ce')} as h from w`;
  const dimSql = (d: ExposureDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : 'pd.bucket');
  const outSql = (d: ExposureDim) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d);
  const r = await q.raw(
    `with w as (
       select e.deployment_id, e.period_start, e.period_end, e.operating_hours,
              greatest(e.period_start, ${from}) as cs, least(e.period_end, ${to}) as ce
       from exposures e where ${where.join(' and ')}
     ), pieces as (${pieces}
     ), pd as (
       select deployment_id${withPeriod ? ', bucket' : ''}, sum(h) as h from pieces
       group by deployment_id${withPeriod ? ', bucket' : ''} having sum(h) > 0
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

/**
 * Incident counts per cell of exposure and incident dimensions: the incidents joined to their
 * deployment's class id and grouped by compact keys (class id, period start), named at the end.
 * (Grouping per deployment first made ≈ 180,000 groups of 200,000 incidents, which spilled to
 * disk at the default work_mem: twice as slow.)
 */
export async function incidentCounts(q: Knex, dims: readonly StatDim[], f: StatFilter): Promise<{ key: Record<string, string>; incidents: number }[]> {
  const w = incidentWhere(f);
  const keySql = (d: StatDim) => (d === 'scenario_area' || d === 'scenario_class' ? 'd.scenario_class_id'
    : d === 'period' ? `date_trunc('${f.unit}', i.occurred_at at time zone 'UTC')` : d === 'incident_type' ? 'i.incident_type' : 'i.severity_level::text');
  const inner = [...new Set(dims.map(keySql))];
  const col = (d: StatDim) => `k${inner.indexOf(keySql(d))}`;
  const outer = (d: StatDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'c.code' : d === 'period' ? periodExpr(f.unit, `n.${col(d)}`) : `n.${col(d)}`);
  const hasClass = dims.some((d) => d === 'scenario_area' || d === 'scenario_class');
  const r = await q.raw(
    `with n as (
       select ${[...inner.map((k, j) => `${k} as k${j}`), 'count(*) as n'].join(', ')}
       from incidents i ${hasClass ? 'join deployments d on d.id = i.deployment_id' : ''} where ${w.sql}
       ${groupBy(inner)}
     )
     select ${[...dims.map((d) => `${outer(d)} as ${d}`), 'sum(n.n) as incidents'].join(', ')}
     from n ${hasClass ? `join scenario_classes c on c.id = n.${col('scenario_class')}` : ''}
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
}

/**
 * Claim severity per cell for a coverage: counts, mean, quantiles (percentile_cont = R type 7),
 * total incurred (open claims at paid + case reserve, allocated by loss line) and share open.
 * One pass over the claims, grouped by compact keys (class id, period start, severity level as
 * stored) and named at the end, on the cells. Contributors and dominance are not computed here:
 * a cell's disclosure status comes from the protected severity structure, built from
 * `severityBaseRows` (services/protected-tables.ts).
 */
export async function severityCells(q: Knex, coverage: string, dims: readonly StatDim[], f: StatFilter): Promise<SeverityCell[]> {
  const loss = COVERAGE_LOSS_SQL[coverage];
  const w = incidentWhere(f);
  const keySql = (d: StatDim) => (d === 'scenario_area' ? 'c.area' : d === 'scenario_class' ? 'd.scenario_class_id'
    : d === 'period' ? `date_trunc('${f.unit}', i.occurred_at at time zone 'UTC')` : d === 'incident_type' ? 'i.incident_type' : 'i.severity_level');
  const outSql = (d: StatDim) => (d === 'scenario_class' ? 'sc.code' : d === 'period' ? periodExpr(f.unit, 'agg.period') : d === 'severity_level' ? 'agg.severity_level::text' : `agg.${d}`);
  const r = await q.raw(
    `with agg as (
       select ${[...dims.map((d) => `${keySql(d)} as ${d}`), 'count(*) as claims', `count(*) filter (where i.status = 'open') as open`,
         `sum(${incurredSql(coverage)}) as total`, `avg(${incurredSql(coverage)}) as mean`,
         `percentile_cont(array[0.5, 0.9, 0.99]) within group (order by ${incurredSql(coverage)}) as p`].join(', ')}
       from incidents i join deployments d on d.id = i.deployment_id ${dims.includes('scenario_area') ? 'join scenario_classes c on c.id = d.scenario_class_id' : ''}
       where ${loss} > 0 and ${w.sql}
       ${groupBy(dims.map(keySql))}
     ), cells as (
       select ${[...dims.map((d) => `${outSql(d)} as ${d}`), 'agg.claims', 'agg.open', 'agg.total', 'agg.mean', 'agg.p[1] as p50', 'agg.p[2] as p90', 'agg.p[3] as p99'].join(', ')}
       from agg ${dims.includes('scenario_class') ? 'join scenario_classes sc on sc.id = agg.scenario_class' : ''}
     )
     select * from cells ${orderBy(dims)}`,
    w.b as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    key: Object.fromEntries(dims.map((d) => [d, String(row[d])])),
    claims: Number(row.claims), open: Number(row.open), total: Number(row.total), mean: Number(row.mean),
    p50: Number(row.p50), p90: Number(row.p90), p99: Number(row.p99),
  }));
}

export const LOSS_RATIO_DIMS = ['scenario_area', 'period'] as const;
export type LossRatioDim = (typeof LOSS_RATIO_DIMS)[number];

const COVERAGES = Object.keys(COVERAGE_LOSS_SQL);
const STEP: Record<PeriodUnit, string> = { month: '1 month', quarter: '3 months', year: '1 year' };

/*
 * Loss ratios of bound business (DESIGN.md §8) come from `bound_quote_lines` (migration
 * 20261130000100: one row per bound fleet line × coverage with its organization, scenario class,
 * policy period and gross premium, kept by triggers on `quotes`) and the incidents, in two
 * statements — earned premium and incurred losses per cell — that share nothing and run side by
 * side. Dates are inclusive calendar days; an incident is dated by `occurred_at` in UTC, as in
 * every other statistic; [from, to] is open-ended when not given (named bindings `:from`, `:to`).
 * Of the quotes only the bound lines meeting [from, to] are read.
 */
const meets = 'l.period_start <= :to::date and l.period_end >= :from::date and :from::date <= :to::date';

/**
 * The premium lines of bound business meeting [from, to] (a CTE body): a bound quote's
 * `bound_quote_lines` (its premium over its whole period), except for a policy changed mid-term
 * (one with `policy_changes`, migration 20261204100200), whose `policy_premium_segments` say its
 * full-term premium per line × coverage on each stretch of days after endorsements and up to a
 * cancellation (none at all after a cancellation on the inception day). Every row earns
 * `gross_premium / term_days` a day on `period_start..period_end`.
 */
const PREMIUM_LINES = `
  select l.quote_id, l.line, l.organization_id, l.scenario_class_id, l.coverage, l.period_start, l.period_end, l.gross_premium,
         l.period_end - l.period_start + 1 as term_days
  from bound_quote_lines l
  where ${meets} and not exists (select 1 from policies p join policy_changes pc on pc.policy_id = p.id where p.quote_id = l.quote_id)
  union all
  select l.quote_id, l.line, l.organization_id, l.scenario_class_id, l.coverage, l.period_start, l.period_end, l.gross_premium, l.term_days
  from (select quote_id, line, organization_id, scenario_class_id, coverage, seg_start as period_start, seg_end as period_end,
               annual_premium as gross_premium, term_days from policy_premium_segments) l
  where ${meets}`;
const range = (f: StatFilter) => ({ from: f.from ?? '-infinity', to: f.to ?? 'infinity' });
const bucketOf = (unit: PeriodUnit, date: string) => `date_trunc('${unit}', ${date}::timestamp)`;
/** An output column: SQL expression and name. */
type Col = readonly [sql: string, as: string];
const keyOf = (dims: readonly LossRatioDim[], row: Record<string, unknown>) => Object.fromEntries(dims.map((d) => [d, String(row[d])]));

/**
 * Runs a statement with JIT compilation off (for this transaction only). The planner assumes
 * 1,000 rows per `generate_series` call, so the earned-premium statement is costed at millions
 * of rows; on a server with JIT enabled (PostgreSQL's default) that made PostgreSQL 15 spend 2–4 s
 * compiling a statement that runs in a fraction of a second (measured on the statistics bench).
 */
async function withoutJit(q: Knex, sql: string, bindings: Record<string, string>): Promise<Record<string, unknown>[]> {
  return q.transaction(async (trx) => {
    await trx.raw('set local jit = off');
    return ((await trx.raw(sql, bindings)) as { rows: Record<string, unknown>[] }).rows;
  });
}

export interface EarnedCell {
  key: Record<string, string>;
  /** Insured organizations earning premium in the cell. */
  organizations: number;
  earned: number;
  /** The largest organization's share of the cell's earned premium. */
  maxShare: number;
}

/**
 * The statement prefix (CTEs `lines`, `prem`, `eo`) giving earned premium per organization and
 * cell: a line's gross premium G over its policy period of D days earns G / D a day (pro rata
 * temporis) on the days of the period inside [from, to] (`s`..`e`). Lines of one organization,
 * area and policy period are added first (earning is linear) into a daily rate; the clipped
 * period is then cut into its month / quarter / year buckets (`generate_series`), each earning
 * rate × (days of the bucket in s..e). `eo` has the columns of `dims` (period as the bucket's
 * timestamp), `organization_id` and `earned`.
 */
function earnedPerOrganizationSql(dims: readonly LossRatioDim[], unit: PeriodUnit): string {
  const withPeriod = dims.includes('period');
  const step = `interval '${STEP[unit]}'`;
  const keys: Col[] = [
    ...(dims.includes('scenario_area') ? [['p.area', 'scenario_area'] as const] : []),
    ...(withPeriod ? [['b.period', 'period'] as const] : []),
    ['p.organization_id', 'organization_id'],
  ];
  const days = withPeriod ? `least(p.e, (b.period + ${step})::date - 1) - greatest(p.s, b.period::date) + 1` : 'p.e - p.s + 1';
  return `
    with lines as (${PREMIUM_LINES}
    ), prem as (
      select l.organization_id, c.area, greatest(l.period_start, :from::date) as s, least(l.period_end, :to::date) as e,
             sum(l.gross_premium / l.term_days)::float8 as rate
      from lines l join scenario_classes c on c.id = l.scenario_class_id
      group by l.organization_id, c.area, l.period_start, l.period_end
    ), eo as (
      select ${[...keys.map(([k, as]) => `${k} as ${as}`), `sum(p.rate * (${days})) as earned`].join(', ')}
      from prem p ${withPeriod ? `cross join lateral generate_series(${bucketOf(unit, 'p.s')}, p.e::timestamp, ${step}) as b(period)` : ''}
      group by ${keys.map(([k]) => k).join(', ')} having sum(p.rate) > 0
    )`;
}

/**
 * Earned premium per cell (see `earnedPerOrganizationSql`). Per cell: the organizations earning
 * premium (the contributors), the total and the largest organization's share (dominance).
 */
export async function earnedPremiumCells(q: Knex, dims: readonly LossRatioDim[], f: StatFilter): Promise<EarnedCell[]> {
  const out = dims.map((d) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d));
  const rows = await withoutJit(q, `${earnedPerOrganizationSql(dims, f.unit)}
    select ${[...out, 'count(*) as organizations', 'sum(earned) as earned', 'coalesce(max(earned) / nullif(sum(earned), 0), 0) as max_share'].join(', ')}
    from eo ${groupBy(dims)} having count(*) > 0 ${orderBy(dims)}`, range(f));
  return rows.map((row) => ({
    key: keyOf(dims, row), organizations: Number(row.organizations), earned: Number(row.earned), maxShare: Number(row.max_share),
  }));
}

/**
 * The statement prefix (CTEs up to `inc`) giving incurred losses per cell of `keys`: the incidents
 * of the insured deployments on the days a bound policy covered them, for the coverages bought.
 * A fleet line with identified units (migration 20261204100200) insures its linked deployments —
 * the insured organization's deployments that name one of its units, on the days the unit was
 * covered (`dep_cover`); any other line insures the organization's deployments in its scenario
 * class (`cover`). `cover` is, per organization × class × coverage, the union of the covering
 * policies' periods within [from, to] (`range_agg`: overlapping and adjacent periods merge into
 * one range); incidents are summed per organization × class × day with their incurred amount
 * under each coverage (`incurredSql`: open incidents at paid + case reserve, allocated by loss
 * line), and each coverage's amount is kept where its cover contains the day. An incident
 * therefore counts once per coverage bought, however many lines of one policy, or overlapping
 * policies, cover it (`covered`: one row per incident-day and coverage — the class lines' cover,
 * then the identified units' cover where the class lines do not cover that day and coverage). `cover` and `dep_cover` are MATERIALIZED and joined by key, not in a lateral
 * subquery: inlined there, PostgreSQL aggregated every covering line again for each of the
 * 181,209 incident-days of the 1,000,000-row bench (> 120 s), and a lateral scan of the
 * materialized cover still took 15.8 s. Key expressions may use `x` (deployment_id, organization_id,
 * scenario_class_id, day) and, with `withArea`, `c` (the scenario class).
 */
function incurredPerCellSql(keys: readonly Col[], withArea: boolean): string {
  const amount = (v: string) => `case ${v}.coverage ${COVERAGES.map((k) => `when '${k}' then x.${k}`).join(' ')} end`;
  return `
    with identified as (
      select distinct p.quote_id, u.line from policy_units u join policies p on p.id = u.policy_id
    ), lines as (${PREMIUM_LINES}
    ), cover as materialized (
      select l.organization_id, l.scenario_class_id, l.coverage,
             range_agg(daterange(greatest(l.period_start, :from::date), least(l.period_end, :to::date), '[]')) as days
      from lines l where not exists (select 1 from identified x where x.quote_id = l.quote_id and x.line = l.line)
      group by l.organization_id, l.scenario_class_id, l.coverage
    ), dep_cover as materialized (
      select d.id as deployment_id, bl.coverage,
             range_agg(daterange(greatest(u.cover_from, :from::date), least(u.cover_until, :to::date), '[]')) as days
      from policy_units u join policies p on p.id = u.policy_id
      join (select distinct quote_id, line, coverage from bound_quote_lines) bl on bl.quote_id = p.quote_id and bl.line = u.line
      join deployments d on d.organization_id = p.organization_id and d.serial_numbers @> array[u.serial_number]
      where u.cover_until >= u.cover_from and u.cover_from <= :to::date and u.cover_until >= :from::date and :from::date <= :to::date
      group by d.id, bl.coverage
    ), inc_days as (
      select ${['d.id as deployment_id', 'd.organization_id', 'd.scenario_class_id', `(i.occurred_at at time zone 'UTC')::date as day`,
        ...COVERAGES.map((k) => `sum(${incurredSql(k)}) as ${k}`)].join(', ')}
      from incidents i join deployments d on d.id = i.deployment_id
      where i.occurred_at >= (:from::date::timestamp at time zone 'UTC') and i.occurred_at < ((:to::date + 1)::timestamp at time zone 'UTC')
      group by 1, 2, 3, 4
    ), covered as (
      select x.deployment_id, x.organization_id, x.scenario_class_id, x.day, v.coverage, ${amount('v')} as amount
      from inc_days x join cover v on v.organization_id = x.organization_id and v.scenario_class_id = x.scenario_class_id and v.days @> x.day
      union all
      select x.deployment_id, x.organization_id, x.scenario_class_id, x.day, w.coverage, ${amount('w')} as amount
      from inc_days x join dep_cover w on w.deployment_id = x.deployment_id and w.days @> x.day
      where not exists (select 1 from cover v where v.organization_id = x.organization_id and v.scenario_class_id = x.scenario_class_id
                          and v.coverage = w.coverage and v.days @> x.day)
    ), inc as (
      select ${[...keys.map(([k, as]) => `${k} as ${as}`), 'sum(x.amount) as incurred'].join(', ')}
      from covered x
      ${withArea ? 'join scenario_classes c on c.id = x.scenario_class_id' : ''}
      ${groupBy(keys.map(([k]) => k))} having count(*) > 0
    )`;
}

/** Incurred losses per cell (see `incurredPerCellSql`). */
export async function incurredLossCells(q: Knex, dims: readonly LossRatioDim[], f: StatFilter): Promise<{ key: Record<string, string>; incurred: number }[]> {
  const keys: Col[] = [
    ...(dims.includes('scenario_area') ? [['c.area', 'scenario_area'] as const] : []),
    ...(dims.includes('period') ? [[bucketOf(f.unit, 'x.day'), 'period'] as const] : []),
  ];
  const out = dims.map((d) => (d === 'period' ? `${periodExpr(f.unit, 'period')} as period` : d));
  const rows = await withoutJit(q, `${incurredPerCellSql(keys, dims.includes('scenario_area'))}
    select ${[...out, 'incurred'].join(', ')} from inc ${orderBy(dims)}`, range(f));
  return rows.map((row) => ({ key: keyOf(dims, row), incurred: Number(row.incurred) }));
}

/*
 * Finest cells of the linked structures of docs/disclosure-control.md, per organization: the
 * protected structure is aggregated from these once per data version (services/protected-tables.ts).
 */

/** The counters of `cache_versions` (migration 20261123000500) that the regulator statistics depend on. */
export async function statisticsDataVersion(q: Knex): Promise<string> {
  const r = await q.raw(`select name, version from cache_versions where name in ('history', 'catalog') order by name`);
  return r.rows.map((row: { name: string; version: unknown }) => `${row.name}:${Number(row.version)}`).join(',');
}

/**
 * The counters the loss-ratio statistics depend on: `history` (incidents, deployments), `catalog`
 * (scenario classes) and `bound_business` (bound lines, policies and their changes, segments and
 * units: migration 20261208100100).
 */
export async function lossRatioDataVersion(q: Knex): Promise<string> {
  const r = await q.raw(`select name, version from cache_versions where name in ('history', 'catalog', 'bound_business') order by name`);
  return r.rows.map((row: { name: string; version: unknown }) => `${row.name}:${Number(row.version)}`).join(',');
}

export interface LossRatioBaseRow { scenario_area: string; month: string; organization_id: number; earned: number; incurred: number }

/**
 * Earned premium and incurred losses per scenario area × calendar month (`YYYY-MM`) × insured
 * organization, over all time, with exactly the definitions of `earnedPremiumCells` and
 * `incurredLossCells` (their per-organization stages): a response's cell over whole months is the
 * sum of these rows. An area × month × organization with losses and no premium (a premium of 0)
 * has earned 0.
 */
export async function lossRatioBaseRows(q: Knex): Promise<LossRatioBaseRow[]> {
  const all = range({ unit: 'month' });
  const [earned, incurred] = await Promise.all([
    withoutJit(q, `${earnedPerOrganizationSql(['scenario_area', 'period'], 'month')}
      select scenario_area, to_char(period, 'YYYY-MM') as month, organization_id, earned from eo`, all),
    withoutJit(q, `${incurredPerCellSql([['c.area', 'scenario_area'], [bucketOf('month', 'x.day'), 'month'], ['x.organization_id', 'organization_id']], true)}
      select scenario_area, to_char(month, 'YYYY-MM') as month, organization_id, incurred from inc`, all),
  ]);
  const rows = new Map<string, LossRatioBaseRow>();
  const rowOf = (r: Record<string, unknown>) => {
    const k = `${String(r.scenario_area)}|${String(r.month)}|${Number(r.organization_id)}`;
    let o = rows.get(k);
    if (!o) rows.set(k, (o = { scenario_area: String(r.scenario_area), month: String(r.month), organization_id: Number(r.organization_id), earned: 0, incurred: 0 }));
    return o;
  };
  for (const r of earned) rowOf(r).earned += Number(r.earned);
  for (const r of incurred) rowOf(r).incurred += Number(r.incurred);
  return [...rows.values()];
}

export interface RateBaseRow { scenario_class: string; month: string; organization_id: number; hours: number; incidents: number }

/**
 * Operating hours (from `exposure_month_summary`: each row's hours spread over the months it
 * covers) and incidents (by the UTC month they occurred in) per scenario class × month ×
 * organization. A class × month × organization with incidents and no hours has hours 0.
 */
export async function rateBaseRows(q: Knex): Promise<RateBaseRow[]> {
  const r = await q.raw(`
    with h as (
      select s.scenario_class_id, s.month, s.organization_id, sum(s.operating_hours) as hours
      from exposure_month_summary s group by 1, 2, 3
    ), n as (
      select d.scenario_class_id, date_trunc('month', i.occurred_at at time zone 'UTC')::date as month, d.organization_id, count(*) as incidents
      from incidents i join deployments d on d.id = i.deployment_id group by 1, 2, 3
    )
    select c.code as scenario_class, to_char(coalesce(h.month, n.month), 'YYYY-MM') as month, coalesce(h.organization_id, n.organization_id) as organization_id,
           coalesce(h.hours, 0) as hours, coalesce(n.incidents, 0) as incidents
    from h full join n on n.scenario_class_id = h.scenario_class_id and n.month = h.month and n.organization_id = h.organization_id
    join scenario_classes c on c.id = coalesce(h.scenario_class_id, n.scenario_class_id)`);
  return r.rows.map((row: Record<string, unknown>) => ({
    scenario_class: String(row.scenario_class), month: String(row.month), organization_id: Number(row.organization_id),
    hours: Number(row.hours), incidents: Number(row.incidents),
  }));
}

export interface SeverityClaimRow { scenario_class: string; quarter: string; severity_level: string; organization_id: number; incurred: number; open: boolean }

/**
 * Every claim of a coverage (an incident with a loss under it): scenario class, calendar quarter
 * (`YYYY-Qn`, UTC), severity level, organization, incurred amount (open claims at paid + case
 * reserve, allocated by loss line: `incurredSql`) and whether it is open. The severity structure
 * and the claim index answering the severity route are both built from these rows, once per data
 * version (services/severity-claims.ts); `severityBaseRows` is the same aggregate in SQL.
 */
export async function severityClaimRows(q: Knex, coverage: string): Promise<SeverityClaimRow[]> {
  const r = await q.raw(`
    select c.code as scenario_class, to_char(i.occurred_at at time zone 'UTC', 'YYYY-"Q"Q') as quarter, i.severity_level::text as severity_level,
           d.organization_id, ${incurredSql(coverage)} as incurred, i.status = 'open' as open
    from incidents i join deployments d on d.id = i.deployment_id join scenario_classes c on c.id = d.scenario_class_id
    where ${COVERAGE_LOSS_SQL[coverage]} > 0`);
  return r.rows.map((row: Record<string, unknown>) => ({
    scenario_class: String(row.scenario_class), quarter: String(row.quarter), severity_level: String(row.severity_level),
    organization_id: Number(row.organization_id), incurred: Number(row.incurred), open: row.open === true,
  }));
}

export interface SeverityBaseRow { scenario_class: string; quarter: string; severity_level: string; organization_id: number; claims: number; incurred: number }

/** Claims of a coverage and their incurred total per scenario class × calendar quarter (`YYYY-Qn`, UTC) × severity level × organization. */
export async function severityBaseRows(q: Knex, coverage: string): Promise<SeverityBaseRow[]> {
  const r = await q.raw(`
    select c.code as scenario_class, to_char(i.occurred_at at time zone 'UTC', 'YYYY-"Q"Q') as quarter, i.severity_level::text as severity_level,
           d.organization_id, count(*) as claims, sum(${incurredSql(coverage)}) as incurred
    from incidents i join deployments d on d.id = i.deployment_id join scenario_classes c on c.id = d.scenario_class_id
    where ${COVERAGE_LOSS_SQL[coverage]} > 0
    group by 1, 2, 3, 4`);
  return r.rows.map((row: Record<string, unknown>) => ({
    scenario_class: String(row.scenario_class), quarter: String(row.quarter), severity_level: String(row.severity_level),
    organization_id: Number(row.organization_id), claims: Number(row.claims), incurred: Number(row.incurred),
  }));
}

export interface IncidentCubeRow { scenario_class: string; month: string; incident_type: string; severity_level: string; incidents: number }

/** Incidents per scenario class × UTC calendar month (`YYYY-MM`) × incident type × severity level: the cube the rate splits are answered from (services/incident-cube.ts). */
export async function incidentCubeRows(q: Knex): Promise<IncidentCubeRow[]> {
  const r = await q.raw(`
    with n as (
      select d.scenario_class_id, date_trunc('month', i.occurred_at at time zone 'UTC') as month, i.incident_type, i.severity_level, count(*) as incidents
      from incidents i join deployments d on d.id = i.deployment_id group by 1, 2, 3, 4
    )
    select c.code as scenario_class, to_char(n.month, 'YYYY-MM') as month, n.incident_type, n.severity_level::text as severity_level, n.incidents
    from n join scenario_classes c on c.id = n.scenario_class_id`);
  return r.rows.map((row: Record<string, unknown>) => ({
    scenario_class: String(row.scenario_class), month: String(row.month), incident_type: String(row.incident_type),
    severity_level: String(row.severity_level), incidents: Number(row.incidents),
  }));
}
