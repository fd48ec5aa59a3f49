/**
 * `quotes.accepted_units`: the identified units (serial numbers per fleet line) the insured gave
 * when accepting a quote that was not bound at once (docs/policy-lifecycle.md §4): an
 * underwriter's later bind without a `units` body records them. Null when none were given.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table quotes add column accepted_units jsonb');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table quotes drop column accepted_units');
}
