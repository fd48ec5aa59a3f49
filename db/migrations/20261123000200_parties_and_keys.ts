import type { Knex } from 'knex';

export const ORGANIZATION_KIND = ['enterprise', 'insurer', 'regulator', 'manufacturer'] as const;
export const ROLE = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.increments('id');
    t.text('ref').notNullable().unique();
    t.text('name').notNullable();
    t.text('kind').notNullable().checkIn([...ORGANIZATION_KIND]);
    t.text('province');
    t.timestamps(true, true);
  });
  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id');
    // sha-256 of the key (hex); the key itself is shown once and never stored
    t.text('key_hash').notNullable().unique();
    t.text('key_prefix').notNullable();
    t.text('role').notNullable().checkIn([...ROLE]);
    t.integer('organization_id').references('organizations.id');
    t.text('label');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(
    `alter table api_keys add constraint api_keys_enterprise_has_org check (role <> 'enterprise' or organization_id is not null)`,
  );
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('entity').notNullable();
    t.text('entity_ref');
    t.jsonb('before');
    t.jsonb('after');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['entity', 'entity_ref']);
  });
  await knex.schema.createTable('app_meta', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('app_meta');
  await knex.schema.dropTable('audit_events');
  await knex.schema.dropTable('api_keys');
  await knex.schema.dropTable('organizations');
}
