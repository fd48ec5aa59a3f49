/**
 * `scorecard_deployment_summary` (migration 20261206000100): per deployment × software version
 * (null = not reported) the sums of its exposure rows — rows, operating hours, task cycles,
 * protective stops, near misses, downtime and the hours of the rows reporting one, the version's
 * span (first period start, last period end) — and the incidents assigned to that version, of
 * severity ≥ 3 and with a bodily injury. An incident belongs to the version whose span holds its
 * date (UTC), the narrowest such span when several do (a rollback), else to the version `null`
 * (a row with no exposure rows then, `exposure_rows` 0); see db/repositories/scorecard.ts.
 *
 * Keyed by deployment, not by organization, model or class, so only exposure and incident
 * writes change it: the imports (db/repositories/imports.ts), its only writers besides the
 * migration, recompute the rows of every deployment they touch in their transaction, from the
 * raw rows with the SQL below — the same SQL that built it — so it stays exact.
 */
import type { Knex } from 'knex';

export const SCORECARD_SUMMARY = 'scorecard_deployment_summary';

const COLUMNS = `deployment_id, software_version, exposure_rows, operating_hours, task_cycles, protective_stops, near_misses,
  downtime_hours, downtime_reported_hours, first_day, last_day, incidents, severe_incidents, injury_incidents`;

/**
 * SQL (one statement) writing the summary rows of the deployments whose ids `ids` (an SQL
 * subquery, or null for every deployment) selects, from the raw exposures and incidents. The
 * rows must have been deleted first.
 */
export function insertSummarySql(ids: string | null): string {
  const only = (col: string) => (ids ? `where ${col} in (${ids})` : '');
  return `insert into ${SCORECARD_SUMMARY} (${COLUMNS})
    with ed as (
      select e.deployment_id, e.software_version as sv, count(*) as n_rows, sum(e.operating_hours) as h, sum(e.task_cycles) as cyc,
        sum(e.protective_stops) as ps, sum(e.near_misses) as nm, coalesce(sum(e.downtime_hours), 0) as dt,
        coalesce(sum(e.operating_hours) filter (where e.downtime_hours is not null), 0) as dth,
        min(e.period_start) as first_day, max(e.period_end) as last_day
      from exposures e ${only('e.deployment_id')}
      group by 1, 2
    ),
    iv as (
      select distinct on (i.id) i.deployment_id, r.sv, i.severity_level, i.bodily_injury_count
      from incidents i left join ed r on r.deployment_id = i.deployment_id
        and (i.occurred_at at time zone 'UTC')::date between r.first_day and r.last_day
      ${only('i.deployment_id')}
      order by i.id, r.last_day - r.first_day, r.sv
    ),
    idd as (
      select deployment_id, sv, count(*) as n, count(*) filter (where severity_level >= 3) as sev,
        count(*) filter (where bodily_injury_count > 0) as inj
      from iv group by 1, 2
    )
    select deployment_id, sv, sum(n_rows), coalesce(sum(h), 0), coalesce(sum(cyc), 0), coalesce(sum(ps), 0), coalesce(sum(nm), 0),
      coalesce(sum(dt), 0), coalesce(sum(dth), 0), min(first_day), max(last_day), sum(n), sum(sev), sum(inj)
    from (
      select deployment_id, sv, n_rows, h, cyc, ps, nm, dt, dth, first_day, last_day, 0 as n, 0 as sev, 0 as inj from ed
      union all
      select deployment_id, sv, 0, null, null, null, null, null, null, null, null, n, sev, inj from idd
    ) u
    group by 1, 2`;
}

/** Recomputes the summary rows of the deployments `ids` (SQL subquery) selects, or of all (null). */
export async function refreshScorecardSummary(q: Knex, ids: string | null, bindings: Knex.RawBinding[] = []): Promise<void> {
  if (ids) await q.raw(`delete from ${SCORECARD_SUMMARY} where deployment_id in (${ids})`, bindings);
  else await q.raw(`delete from ${SCORECARD_SUMMARY}`);
  await q.raw(insertSummarySql(ids), ids ? [...bindings, ...bindings] : []);
}
