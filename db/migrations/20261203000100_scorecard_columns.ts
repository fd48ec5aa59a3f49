/**
 * Optional columns of the data contract for the validation scorecard (docs/architecture.md §5,
 * docs/actuarial-method.md §10): the robot software an exposure period ran (`software_version`,
 * null = not reported), the downtime of the period in hours (`downtime_hours`, null = not
 * reported, which is not the same as 0), and the system integrator of a deployment
 * (`integrator_ref`). All nullable, so every earlier file and row stays valid.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exposures', (t) => {
    t.text('software_version');
    t.double('downtime_hours');
  });
  await knex.raw('alter table exposures add constraint exposures_downtime check (downtime_hours is null or downtime_hours >= 0)');
  await knex.schema.alterTable('deployments', (t) => {
    t.text('integrator_ref');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('deployments', (t) => {
    t.dropColumn('integrator_ref');
  });
  await knex.raw('alter table exposures drop constraint exposures_downtime');
  await knex.schema.alterTable('exposures', (t) => {
    t.dropColumn('downtime_hours');
    t.dropColumn('software_version');
  });
}
