/**
 * `quotes.rating_basis`: the worksheet's `aggregate` (stand-alone risks, TVaR and mean of the
 * policy's payments, aggregate-limit factors — ~1 KB), kept by PostgreSQL itself as a stored
 * generated column. Whole-book re-rating under a loadings-only plan (services/impact.ts) needs
 * only this and the result lines; reading it from the ~60 KB compressed worksheet detoasted the
 * whole worksheet for every quote (100,000 quotes: 160 s of database time, bench/README.md
 * "Whole-book re-rating"). Generated, so every writer (and a restored dump) keeps it consistent.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw("alter table quotes add column rating_basis jsonb generated always as (worksheet -> 'aggregate') stored");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table quotes drop column rating_basis');
}
