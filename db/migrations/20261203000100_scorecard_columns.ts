/**
 * Optional columns of the data contract for the validation scorecard (docs/architecture.md §5,
 * docs/actuarial-method.md §10): the robot software an exposure period ran (`software_version`,
 * null = not reported), the downtime of the period in hours (`downtime_hours`, null = not
 * reported, which is not the same as 0), and the system integrator of a deployment
 * (`integrator_ref`). All nullable, so every earlier file and row stays valid.
 * And `scorecard_rulesets`: the versioned insurability rule sets of the scorecard, shaped like
 * `rulesets` but a table of their own, so that the underwriting rule set in force (the latest
 * active `rulesets` row) is never a scorecard one.
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
  await knex.schema.createTable('scorecard_rulesets', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.text('content_hash').notNullable();
    t.text('status').notNullable().defaultTo('draft').checkIn(['draft', 'active', 'retired']);
    t.timestamp('effective_from', { useTz: true });
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['name', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('scorecard_rulesets');
  await knex.schema.alterTable('deployments', (t) => {
    t.dropColumn('integrator_ref');
  });
  await knex.raw('alter table exposures drop constraint exposures_downtime');
  await knex.schema.alterTable('exposures', (t) => {
    t.dropColumn('downtime_hours');
    t.dropColumn('software_version');
  });
}
