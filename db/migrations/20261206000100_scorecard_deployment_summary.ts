/**
 * Per deployment × software version sums of the exposures and the incidents for the validation
 * scorecard (db/repositories/scorecard-summary.ts), so that the scorecard reads one row per
 * deployment and version instead of every exposure row and incident. Built here from the raw
 * rows; the imports keep it exact.
 */
import type { Knex } from 'knex';
import { refreshScorecardSummary, SCORECARD_SUMMARY } from '../repositories/scorecard-summary.ts';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table ${SCORECARD_SUMMARY} (
    deployment_id integer not null references deployments(id),
    software_version text,
    exposure_rows integer not null,
    operating_hours double precision not null,
    task_cycles bigint not null,
    protective_stops bigint not null,
    near_misses bigint not null,
    downtime_hours double precision not null,
    downtime_reported_hours double precision not null,
    first_day date,
    last_day date,
    incidents integer not null,
    severe_incidents integer not null,
    injury_incidents integer not null,
    constraint ${SCORECARD_SUMMARY}_key unique nulls not distinct (deployment_id, software_version),
    constraint ${SCORECARD_SUMMARY}_values check (exposure_rows >= 0 and incidents >= severe_incidents and incidents >= injury_incidents
      and (exposure_rows > 0 or incidents > 0) and ((exposure_rows > 0) = (first_day is not null)))
  )`);
  await refreshScorecardSummary(knex, null);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable(SCORECARD_SUMMARY);
}
