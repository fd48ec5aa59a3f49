/**
 * Exposure rows of any reporting period (a quarter, a month, a part of either) spread their hours
 * over the months they cover (db/repositories/exposure-spread.ts): `exposure_month_summary` holds
 * per calendar month × scenario class × organization the hours of the rows' parts in that month,
 * the deployments with hours there and the rows touching it. Its `max_period_end` goes: a date
 * filter now clips rows to the window, so whole months are always answered exactly.
 */
import type { Knex } from 'knex';

// the SQL of exposure-spread.ts as of this migration (a migration never changes with the code)
const piece = `(case when greatest(e.period_start, m.month) = e.period_start and least(e.period_end, (m.month + interval '1 month')::date - 1) = e.period_end
    then e.operating_hours
    else e.operating_hours * (least(e.period_end, (m.month + interval '1 month')::date - 1) - greatest(e.period_start, m.month) + 1)::float8
      / (e.period_end - e.period_start + 1) end)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('delete from exposure_month_summary');
  await knex.raw('alter table exposure_month_summary drop column max_period_end');
  await knex.raw(`insert into exposure_month_summary (month, scenario_class_id, organization_id, operating_hours, deployments, exposure_rows)
    select pd.month, d.scenario_class_id, d.organization_id, sum(pd.h), count(*), sum(pd.n)
    from (select e.deployment_id, m.month, sum(${piece}) as h, count(*) as n
          from exposures e
          cross join lateral (select g::date as month from generate_series(date_trunc('month', e.period_start::timestamp), e.period_end::timestamp, interval '1 month') g) m
          where e.operating_hours > 0 group by 1, 2) pd
    join deployments d on d.id = pd.deployment_id
    where pd.h > 0
    group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('delete from exposure_month_summary');
  await knex.raw('alter table exposure_month_summary add column max_period_end date not null');
  await knex.raw(`insert into exposure_month_summary (month, scenario_class_id, organization_id, operating_hours, deployments, exposure_rows, max_period_end)
    select pd.month, d.scenario_class_id, d.organization_id, sum(pd.h), count(*), sum(pd.n), max(pd.pe)
    from (select e.deployment_id, date_trunc('month', e.period_start::timestamp)::date as month,
                 sum(e.operating_hours) as h, count(*) as n, max(e.period_end) as pe
          from exposures e where e.operating_hours > 0 group by 1, 2) pd
    join deployments d on d.id = pd.deployment_id
    group by 1, 2, 3`);
}
