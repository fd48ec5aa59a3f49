/**
 * Exact deployment counts over quarters, years and all time from `exposure_month_summary`
 * (docs/actuarial-method.md §9, bench/README.md "Regulator statistics"). Hours add up over months,
 * deployment counts do not: a deployment with hours in January and February is one deployment of
 * the first quarter. So each summary row also counts, among its `deployments` (those with hours in
 * the month), the deployments for which the month is the FIRST month with hours
 *   first_in_quarter — of its calendar quarter,
 *   first_in_year    — of its calendar year,
 *   first_ever       — of the whole history.
 * The deployments with hours in a quarter (year, history) are then the sum of `first_in_quarter`
 * (`first_in_year`, `first_ever`) over its months: each is counted exactly once, in its first
 * month there; and over a window [a quarter's first month, any later month of that quarter]
 * the same sum counts the deployments with hours in that window. Kept by the imports in the same
 * transaction as the rest of the summary (db/repositories/imports.ts).
 * 0 ≤ first_ever ≤ first_in_year ≤ first_in_quarter ≤ deployments.
 */
import type { Knex } from 'knex';

// the SQL of exposure-spread.ts as of this migration (a migration never changes with the code)
const piece = `(case when greatest(e.period_start, m.month) = e.period_start and least(e.period_end, (m.month + interval '1 month')::date - 1) = e.period_end
    then e.operating_hours
    else e.operating_hours * (least(e.period_end, (m.month + interval '1 month')::date - 1) - greatest(e.period_start, m.month) + 1)::float8
      / (e.period_end - e.period_start + 1) end)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table exposure_month_summary
    add column first_in_quarter integer not null default 0,
    add column first_in_year integer not null default 0,
    add column first_ever integer not null default 0`);
  await knex.raw(`with pd as (
      select e.deployment_id, m.month, sum(${piece}) as h
      from exposures e
      cross join lateral (select g::date as month from generate_series(date_trunc('month', e.period_start::timestamp), e.period_end::timestamp, interval '1 month') g) m
      where e.operating_hours > 0 group by 1, 2
    ), pp as (
      select deployment_id, month, lag(month) over (partition by deployment_id order by month) as prev from pd where h > 0
    ), f as (
      select pp.month, d.scenario_class_id, d.organization_id,
             count(*) filter (where pp.prev is null or pp.prev < date_trunc('quarter', pp.month)) as fq,
             count(*) filter (where pp.prev is null or pp.prev < date_trunc('year', pp.month)) as fy,
             count(*) filter (where pp.prev is null) as fe
      from pp join deployments d on d.id = pp.deployment_id group by 1, 2, 3
    )
    update exposure_month_summary s set first_in_quarter = f.fq, first_in_year = f.fy, first_ever = f.fe
    from f where s.month = f.month and s.scenario_class_id = f.scenario_class_id and s.organization_id = f.organization_id`);
  await knex.raw(`alter table exposure_month_summary
    alter column first_in_quarter drop default, alter column first_in_year drop default, alter column first_ever drop default,
    add constraint exposure_month_summary_firsts check (0 <= first_ever and first_ever <= first_in_year and first_in_year <= first_in_quarter and first_in_quarter <= deployments)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table exposure_month_summary drop constraint exposure_month_summary_firsts,
    drop column first_in_quarter, drop column first_in_year, drop column first_ever`);
}
