/**
 * A `cache_versions` counter for the loss-ratio statistics (docs/disclosure-control.md §3.4):
 * `bound_business`, bumped by every statement writing a table that defines earned premium or the
 * cover of incurred losses — `bound_quote_lines` (kept by triggers on `quotes`: binding, and a
 * bound quote changed or unbound), `policies` (which quote a policy is), `policy_changes` (a changed
 * policy earns from its segments), `policy_premium_segments` (endorsements, cancellations) and
 * `policy_units` (the cover of identified units). Incidents, deployments and scenario classes are
 * watched by the `history` and `catalog` counters already (migration 20261123000500), which the
 * loss-ratio structure is keyed by as well. Statement-level triggers, like the others: a bind of
 * many lines bumps once.
 */
import type { Knex } from 'knex';

const COUNTER = 'bound_business';
export const BOUND_BUSINESS_TABLES = ['bound_quote_lines', 'policies', 'policy_changes', 'policy_premium_segments', 'policy_units'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex('cache_versions').insert({ name: COUNTER, version: 0 });
  for (const table of BOUND_BUSINESS_TABLES) {
    await knex.raw(`create trigger ${table}_bump_${COUNTER} after insert or update or delete or truncate on ${table}
      for each statement execute function bump_cache_version('${COUNTER}')`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of BOUND_BUSINESS_TABLES) await knex.raw(`drop trigger if exists ${table}_bump_${COUNTER} on ${table}`);
  await knex('cache_versions').where({ name: COUNTER }).delete();
}
