import type { Knex } from 'knex';

export const AUTONOMY_LEVEL = ['teleoperated', 'supervised', 'autonomous'] as const;
export const INCIDENT_TYPE = [
  'collision_person', 'collision_property', 'fall', 'pinch_crush', 'dropped_payload', 'unexpected_motion',
  'navigation_error', 'battery_thermal', 'mechanical_electrical_failure', 'software_perception_fault', 'cyber',
  'operator_error', 'task_failure_downtime', 'near_miss',
] as const;
export const INCIDENT_STATUS = ['open', 'closed'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deployments', (t) => {
    t.increments('id');
    t.text('ref').notNullable().unique();
    t.integer('organization_id').notNullable().references('organizations.id');
    t.integer('scenario_class_id').notNullable().references('scenario_classes.id');
    t.integer('robot_model_id').notNullable().references('robot_models.id');
    t.integer('units').notNullable();
    t.text('autonomy_level').notNullable().checkIn([...AUTONOMY_LEVEL]);
    t.text('province');
    t.date('start_date').notNullable();
    t.date('end_date');
    t.timestamps(true, true);
    t.index(['organization_id']);
    t.index(['scenario_class_id']);
  });
  await knex.raw(`alter table deployments add constraint deployments_units check (units > 0)`);
  await knex.raw(`alter table deployments add constraint deployments_dates check (end_date is null or end_date >= start_date)`);

  await knex.schema.createTable('exposures', (t) => {
    t.bigIncrements('id');
    t.integer('deployment_id').notNullable().references('deployments.id');
    t.date('period_start').notNullable();
    t.date('period_end').notNullable();
    t.double('operating_hours').notNullable();
    t.bigInteger('task_cycles').notNullable().defaultTo(0);
    t.integer('protective_stops').notNullable().defaultTo(0);
    t.integer('near_misses').notNullable().defaultTo(0);
    t.unique(['deployment_id', 'period_start']);
  });
  await knex.raw(`alter table exposures add constraint exposures_values check (
    operating_hours >= 0 and task_cycles >= 0 and protective_stops >= 0 and near_misses >= 0 and period_end >= period_start)`);

  await knex.schema.createTable('incidents', (t) => {
    t.bigIncrements('id');
    t.text('ref').notNullable().unique();
    t.integer('deployment_id').notNullable().references('deployments.id');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('reported_at', { useTz: true });
    t.text('incident_type').notNullable().checkIn([...INCIDENT_TYPE]);
    t.smallint('severity_level').notNullable();
    t.integer('bodily_injury_count').notNullable().defaultTo(0);
    t.decimal('robot_damage', 16, 2).notNullable().defaultTo(0);
    t.decimal('third_party_property_damage', 16, 2).notNullable().defaultTo(0);
    t.decimal('bodily_injury_cost', 16, 2).notNullable().defaultTo(0);
    t.double('downtime_hours').notNullable().defaultTo(0);
    t.decimal('business_interruption_cost', 16, 2).notNullable().defaultTo(0);
    t.text('status').notNullable().checkIn([...INCIDENT_STATUS]);
    t.decimal('paid', 16, 2).notNullable().defaultTo(0);
    t.decimal('case_reserve', 16, 2).notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)').notNullable().defaultTo('CNY');
    t.timestamps(true, true);
    t.index(['deployment_id', 'occurred_at']);
  });
  await knex.raw(`alter table incidents add constraint incidents_values check (
    severity_level between 0 and 5 and bodily_injury_count >= 0 and robot_damage >= 0
    and third_party_property_damage >= 0 and bodily_injury_cost >= 0 and downtime_hours >= 0
    and business_interruption_cost >= 0 and paid >= 0 and case_reserve >= 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('exposures');
  await knex.schema.dropTable('deployments');
}
