/**
 * Version counters that let an API instance cache derived data in process and still stay
 * stateless (docs/architecture.md §3): every statement that changes a watched table bumps its
 * counter in the same transaction (statement-level triggers, so imports of a million rows pay
 * once), and a cached value is used only while the counter it was computed under is the current
 * one.
 *   history: deployments, exposures, incidents (experience and credibility inputs of quotes)
 *   catalog: scenario_classes, robot_models (catalog rows looked up by code when rating)
 */
import type { Knex } from 'knex';

const WATCHED: Record<string, string[]> = {
  history: ['deployments', 'exposures', 'incidents'],
  catalog: ['scenario_classes', 'robot_models'],
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cache_versions', (t) => {
    t.text('name').primary();
    t.bigInteger('version').notNullable().defaultTo(0);
  });
  await knex('cache_versions').insert(Object.keys(WATCHED).map((name) => ({ name, version: 0 })));
  await knex.raw(`create function bump_cache_version() returns trigger language plpgsql as $$
    begin
      update cache_versions set version = version + 1 where name = tg_argv[0];
      return null;
    end $$`);
  for (const [name, tables] of Object.entries(WATCHED)) {
    for (const table of tables) {
      await knex.raw(`create trigger ${table}_bump_${name} after insert or update or delete or truncate on ${table}
        for each statement execute function bump_cache_version('${name}')`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, tables] of Object.entries(WATCHED)) {
    for (const table of tables) await knex.raw(`drop trigger if exists ${table}_bump_${name} on ${table}`);
  }
  await knex.raw('drop function if exists bump_cache_version()');
  await knex.schema.dropTable('cache_versions');
}
