import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('model_versions', (t) => {
    t.increments('id');
    t.text('kind').notNullable().checkIn(['frequency', 'severity']);
    t.text('coverage').references('coverages.code');
    t.text('status').notNullable().defaultTo('candidate').checkIn(['candidate', 'active', 'retired']);
    t.jsonb('spec').notNullable();
    t.jsonb('result').notNullable();
    t.jsonb('data_snapshot').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('activated_at', { useTz: true });
    t.index(['kind', 'coverage', 'status']);
  });
  // at most one active model per kind and coverage
  await knex.raw(`create unique index model_versions_one_active on model_versions (kind, coverage) where status = 'active'`);

  await knex.schema.createTable('rulesets', (t) => {
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

  await knex.schema.createTable('rating_plans', (t) => {
    t.increments('id');
    t.text('name').notNullable();
    t.integer('version').notNullable();
    t.jsonb('body').notNullable();
    t.text('status').notNullable().defaultTo('draft').checkIn(['draft', 'active', 'retired']);
    t.timestamp('effective_from', { useTz: true });
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['name', 'version']);
  });

  await knex.schema.createTable('quotes', (t) => {
    t.increments('id');
    t.text('ref').notNullable().unique();
    t.integer('organization_id').notNullable().references('organizations.id');
    t.jsonb('request').notNullable();
    t.text('request_hash').notNullable();
    t.text('idempotency_key');
    t.text('decision').notNullable().checkIn(['quoted', 'referred', 'declined']);
    t.text('status').notNullable().checkIn(['quoted', 'referred', 'declined', 'bound', 'expired']);
    t.decimal('gross_premium', 16, 2).notNullable();
    t.jsonb('result').notNullable();
    t.jsonb('worksheet').notNullable();
    t.jsonb('versions').notNullable();
    t.timestamp('valid_until', { useTz: true }).notNullable();
    t.text('decision_note');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('bound_at', { useTz: true });
    t.unique(['organization_id', 'idempotency_key']);
    t.index(['organization_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('quotes');
  await knex.schema.dropTable('rating_plans');
  await knex.schema.dropTable('rulesets');
  await knex.schema.dropTable('model_versions');
}
