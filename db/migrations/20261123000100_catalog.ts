import type { Knex } from 'knex';

export const HUMAN_PROXIMITY = ['segregated', 'shared_space', 'collaborative', 'care_contact', 'public'] as const;
export const ENVIRONMENT = ['structured', 'semi_structured', 'unstructured', 'hazardous'] as const;
export const FORM_FACTOR = ['biped', 'wheeled_humanoid', 'mobile_manipulator', 'quadruped'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scenario_areas', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
  });
  await knex.schema.createTable('scenario_classes', (t) => {
    t.increments('id');
    t.text('code').notNullable().unique();
    t.text('area').notNullable().references('scenario_areas.code');
    t.text('name').notNullable();
    t.text('human_proximity').notNullable().checkIn([...HUMAN_PROXIMITY]);
    t.text('environment').notNullable().checkIn([...ENVIRONMENT]);
    t.boolean('vulnerable_people').notNullable();
    t.text('description');
    t.timestamps(true, true);
  });
  await knex.raw(`alter table scenario_classes add constraint scenario_classes_code_area check (code like area || '.%')`);
  await knex.schema.createTable('robot_models', (t) => {
    t.increments('id');
    t.text('code').notNullable().unique();
    t.text('manufacturer').notNullable();
    t.text('name').notNullable();
    t.text('form_factor').notNullable().checkIn([...FORM_FACTOR]);
    t.double('mass_kg').notNullable();
    t.double('payload_kg').notNullable();
    t.double('max_speed_mps').notNullable();
    t.decimal('replacement_value', 16, 2).notNullable();
    t.jsonb('certifications').notNullable().defaultTo('{}');
    t.boolean('illustrative').notNullable().defaultTo(false);
    t.timestamps(true, true);
  });
  await knex.schema.createTable('coverages', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    t.text('description').notNullable();
    t.jsonb('loss_lines').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('coverages');
  await knex.schema.dropTable('robot_models');
  await knex.schema.dropTable('scenario_classes');
  await knex.schema.dropTable('scenario_areas');
}
