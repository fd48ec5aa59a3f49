/**
 * API keys may expire (`expires_at`, set when the key is issued; null = never) and record when
 * they were last used (`last_used_at`, written at most about once a minute per key, see
 * services/auth.ts), so that stale keys can be found and revoked.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('last_used_at');
    t.dropColumn('expires_at');
  });
}
