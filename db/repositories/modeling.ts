/**
 * The data a model is fitted on, aggregated inside the database (docs/architecture.md §3):
 * incidents are counted per exposure period in SQL (same deployment, occurred_at within the period,
 * UTC) and never streamed into Node one by one.
 */
import type { Knex } from 'knex';
import { LEADING_INDICATOR_BANDS, type FrequencyFactor } from '../../domain/factors.ts';

function bandSql(factor: keyof typeof LEADING_INDICATOR_BANDS): string {
  const { column, cuts } = LEADING_INDICATOR_BANDS[factor];
  const rate = `(e.${column} * 1000.0 / e.operating_hours)`;
  const whens = cuts.map((c, i) => `when ${rate} < ${c} then '${i === 0 ? `<${c}` : `${cuts[i - 1]}-${c}`}'`).join(' ');
  return `case ${whens} else '>=${cuts[cuts.length - 1]}' end`;
}

const FACTOR_SQL: Record<FrequencyFactor, string> = {
  scenario_area: 'c.area',
  scenario_class: 'c.code',
  form_factor: 'r.form_factor',
  autonomy_level: 'd.autonomy_level',
  human_proximity: 'c.human_proximity',
  protective_stop_band: bandSql('protective_stop_band'),
  near_miss_band: bandSql('near_miss_band'),
};

/** SQL of "this incident is a claim under the coverage" (docs/architecture.md §4). */
export const COVERAGE_LOSS_SQL: Record<string, string> = {
  robot_damage: 'i.robot_damage',
  third_party_liability: '(i.third_party_property_damage + i.bodily_injury_cost)',
  business_interruption: 'i.business_interruption_cost',
};

const ALL_LOSS_LINES = '(i.robot_damage + i.third_party_property_damage + i.bodily_injury_cost + i.business_interruption_cost)';

/**
 * SQL of an incident's incurred amount under a coverage (alias `i`): the coverage's loss lines;
 * for an open incident its incurred amount, paid + case reserve, allocated to the coverages in
 * proportion to its loss lines (docs/actuarial-method.md §3: open claims count at paid + case
 * reserve).
 */
export function incurredSql(coverage: string): string {
  const loss = COVERAGE_LOSS_SQL[coverage];
  return `(case when i.status = 'open' and ${ALL_LOSS_LINES} > 0 and (i.paid + i.case_reserve) > 0
            then ${loss} * (i.paid + i.case_reserve) / ${ALL_LOSS_LINES} else ${loss} end)::float8`;
}

export interface ClaimFilter {
  /** Count incidents with a loss under this coverage… */
  coverage?: string;
  /** …or of these types. */
  incidentTypes?: string[];
}

export interface PeriodFilter { from?: string; to?: string }

function claimWhere(f: ClaimFilter): { sql: string; bindings: unknown[] } {
  if (f.coverage) return { sql: `${COVERAGE_LOSS_SQL[f.coverage]} > 0`, bindings: [] };
  if (f.incidentTypes?.length) return { sql: `i.incident_type = any(?::text[])`, bindings: [f.incidentTypes] };
  return { sql: 'true', bindings: [] };
}

function periodWhere(p: PeriodFilter): { sql: string; bindings: unknown[] } {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  if (p.from) { parts.push('e.period_start >= ?::date'); bindings.push(p.from); }
  if (p.to) { parts.push('e.period_end <= ?::date'); bindings.push(p.to); }
  return { sql: parts.length ? parts.join(' and ') : 'true', bindings };
}

/** Exposure periods with their incident counts (one row per period), as a SQL fragment. */
function periodsWithCounts(claims: ClaimFilter, period: PeriodFilter, extraSelect: string) {
  const cw = claimWhere(claims);
  const pw = periodWhere(period);
  return {
    sql: `select ${extraSelect}, e.operating_hours as hours, coalesce(n.incidents, 0) as incidents, e.period_start, e.period_end,
                 d.organization_id
          from exposures e
          join deployments d on d.id = e.deployment_id
          join scenario_classes c on c.id = d.scenario_class_id
          join robot_models r on r.id = d.robot_model_id
          left join lateral (
            select count(*) as incidents from incidents i
            where i.deployment_id = e.deployment_id
              and i.occurred_at >= (e.period_start::timestamp at time zone 'UTC')
              and i.occurred_at < ((e.period_end + 1)::timestamp at time zone 'UTC')
              and ${cw.sql}
          ) n on true
          where e.operating_hours > 0 and ${pw.sql}`,
    bindings: [...cw.bindings, ...pw.bindings],
  };
}

const factorSelect = (factors: readonly FrequencyFactor[]) => factors.map((f) => `${FACTOR_SQL[f]} as ${f}`).join(', ') || `'all' as all_`;

export interface FrequencyCell { levels: string[]; incidents: number; hours: number; periods: number }

/** Sufficient statistics of a Poisson GLM: Σ incidents and Σ hours per factor-level combination. */
export async function frequencyCells(q: Knex, factors: readonly FrequencyFactor[], claims: ClaimFilter, period: PeriodFilter): Promise<FrequencyCell[]> {
  const base = periodsWithCounts(claims, period, factorSelect(factors));
  const cols = factors.length ? factors.join(', ') : 'all_';
  const r = await q.raw(
    `select ${cols}, sum(incidents) as incidents, sum(hours) as hours, count(*) as periods
     from (${base.sql}) p group by ${cols} order by ${cols}`,
    base.bindings as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    levels: factors.map((f) => String(row[f])),
    incidents: Number(row.incidents),
    hours: Number(row.hours),
    periods: Number(row.periods),
  }));
}

export interface FrequencyRows { levels: string[][]; incidents: Float64Array; hours: Float64Array }

/** One row per exposure period with its incident count (negative binomial fits). */
export async function frequencyRows(q: Knex, factors: readonly FrequencyFactor[], claims: ClaimFilter, period: PeriodFilter): Promise<FrequencyRows> {
  const base = periodsWithCounts(claims, period, factorSelect(factors));
  const r = await q.raw(`${base.sql} order by e.id`, base.bindings as Knex.RawBinding[]);
  const n = r.rows.length;
  const out: FrequencyRows = { levels: factors.map(() => new Array<string>(n)), incidents: new Float64Array(n), hours: new Float64Array(n) };
  r.rows.forEach((row: Record<string, unknown>, i: number) => {
    factors.forEach((f, k) => { out.levels[k][i] = String(row[f]); });
    out.incidents[i] = Number(row.incidents);
    out.hours[i] = Number(row.hours);
  });
  return out;
}

export interface PeriodRange { from: string | null; to: string | null }

export async function exposureRange(q: Knex, period: PeriodFilter): Promise<PeriodRange> {
  const pw = periodWhere(period);
  const r = await q.raw(`select min(e.period_start) as "from", max(e.period_end) as "to" from exposures e where ${pw.sql}`, pw.bindings as Knex.RawBinding[]);
  return { from: r.rows[0].from ?? null, to: r.rows[0].to ?? null };
}

/** Per organization and calendar month in a scenario class: incidents and hours (credibility input). */
export async function organizationMonths(q: Knex, scenarioClass: string, claims: ClaimFilter, period: PeriodFilter) {
  const base = periodsWithCounts(claims, period, `c.code as scenario_class, to_char(e.period_start, 'YYYY-MM') as month`);
  const r = await q.raw(
    `select organization_id, month, sum(incidents) as incidents, sum(hours) as hours
     from (${base.sql}) p where scenario_class = ? group by organization_id, month order by organization_id, month`,
    [...base.bindings, scenarioClass] as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    organizationId: Number(row.organization_id), month: String(row.month), incidents: Number(row.incidents), hours: Number(row.hours),
  }));
}

export interface LossRow { amount: number; open: boolean }

/**
 * Losses of a coverage (one per incident with a loss under it). An open incident counts at its
 * incurred amount, paid + case reserve, allocated to coverages in proportion to its loss lines.
 */
export async function coverageLosses(q: Knex, coverage: string, period: PeriodFilter): Promise<LossRow[]> {
  const parts: string[] = [`${COVERAGE_LOSS_SQL[coverage]} > 0`];
  const bindings: unknown[] = [];
  if (period.from) { parts.push(`i.occurred_at >= (?::date::timestamp at time zone 'UTC')`); bindings.push(period.from); }
  if (period.to) { parts.push(`i.occurred_at < ((?::date + 1)::timestamp at time zone 'UTC')`); bindings.push(period.to); }
  const r = await q.raw(
    `select ${incurredSql(coverage)} as amount, i.status = 'open' as open
     from incidents i where ${parts.join(' and ')} order by i.id`,
    bindings as Knex.RawBinding[],
  );
  return r.rows.map((row: { amount: number; open: boolean }) => ({ amount: Number(row.amount), open: row.open }));
}

export interface ClassExperience {
  scenario_class: string;
  org_operating_hours: number;
  org_incidents: number;
  org_protective_stops: number;
  org_near_misses: number;
  class_operating_hours: number;
  class_incidents: number;
}

/**
 * An organization's own experience and its class totals per scenario class: operating hours,
 * incidents (excluding investigated near misses, which are leading indicators), protective
 * stops and near misses logged by telemetry.
 */
export async function experienceByClass(q: Knex, organizationId: number, classes: string[], claims: ClaimFilter): Promise<ClassExperience[]> {
  const base = periodsWithCounts(claims, {}, `c.code as scenario_class, e.protective_stops, e.near_misses`);
  const r = await q.raw(
    `select scenario_class,
            coalesce(sum(hours) filter (where organization_id = ?), 0) as org_operating_hours,
            coalesce(sum(incidents) filter (where organization_id = ?), 0) as org_incidents,
            coalesce(sum(protective_stops) filter (where organization_id = ?), 0) as org_protective_stops,
            coalesce(sum(near_misses) filter (where organization_id = ?), 0) as org_near_misses,
            sum(hours) as class_operating_hours, sum(incidents) as class_incidents
     from (${base.sql}) p where scenario_class = any(?::text[]) group by scenario_class`,
    [organizationId, organizationId, organizationId, organizationId, ...base.bindings, classes] as Knex.RawBinding[],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    scenario_class: String(row.scenario_class),
    org_operating_hours: Number(row.org_operating_hours),
    org_incidents: Number(row.org_incidents),
    org_protective_stops: Number(row.org_protective_stops),
    org_near_misses: Number(row.org_near_misses),
    class_operating_hours: Number(row.class_operating_hours),
    class_incidents: Number(row.class_incidents),
  }));
}

export interface RatingContext {
  /** Id of the rating plan in force at the given time (active, latest effective_from ≤ at, then id), or null. */
  planId: number | null;
  /** Counters of `cache_versions` (migration 20261123000500): bumped by every change to the watched tables. */
  historyVersion: number;
  catalogVersion: number;
}

/**
 * What a quote needs to know before it can use cached data, in one round trip: the rating plan
 * in force (same rule as `versionInForce`) and the versions of the validation history and of the
 * catalog. One statement, so all three come from one snapshot.
 */
export async function ratingContext(q: Knex, at: Date): Promise<RatingContext> {
  const r = await q.raw(
    `select (select id from rating_plans where status = 'active' and effective_from <= ?
              order by effective_from desc, id desc limit 1) as plan_id,
            (select version from cache_versions where name = 'history') as history_version,
            (select version from cache_versions where name = 'catalog') as catalog_version`,
    [at],
  );
  const row = r.rows[0];
  return { planId: row.plan_id == null ? null : Number(row.plan_id), historyVersion: Number(row.history_version), catalogVersion: Number(row.catalog_version) };
}
