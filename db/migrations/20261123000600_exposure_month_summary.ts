/**
 * Monthly exposure summary for regulator statistics (docs/actuarial-method.md §9): per calendar
 * month (of `period_start`) × scenario class × organization, the operating hours of exposure rows
 * with hours > 0, the number of distinct deployments with such rows, the number of rows, and the
 * latest `period_end` (so that a `to` date can be checked against whole summary rows).
 * Within one month hours and deployment counts are additive across classes and organizations,
 * so monthly series are answered from here instead of from the raw exposure rows. The import
 * (db/repositories/imports.ts) keeps it exact in the same transaction as every change of
 * exposures or of a deployment's organization / scenario class; the only writer of both.
 */
import type { Knex } from 'knex';

const SUMMARY_COLUMNS = 'month, scenario_class_id, organization_id, operating_hours, deployments, exposure_rows, max_period_end';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table exposure_month_summary (
    month date not null,
    scenario_class_id integer not null references scenario_classes(id),
    organization_id integer not null references organizations(id),
    operating_hours double precision not null,
    deployments integer not null,
    exposure_rows integer not null,
    max_period_end date not null,
    primary key (month, scenario_class_id, organization_id),
    constraint exposure_month_summary_month check (extract(day from month) = 1),
    constraint exposure_month_summary_values check (operating_hours > 0 and deployments > 0 and exposure_rows >= deployments)
  )`);
  await knex.raw(`insert into exposure_month_summary (${SUMMARY_COLUMNS})
    select pd.month, d.scenario_class_id, d.organization_id, sum(pd.h), count(*), sum(pd.n), max(pd.pe)
    from (select e.deployment_id, date_trunc('month', e.period_start::timestamp)::date as month,
                 sum(e.operating_hours) as h, count(*) as n, max(e.period_end) as pe
          from exposures e where e.operating_hours > 0 group by 1, 2) pd
    join deployments d on d.id = pd.deployment_id
    group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('exposure_month_summary');
}
