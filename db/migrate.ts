import type { Knex } from 'knex';
import { isPglite, timeoutsOf, type Db } from './connection.ts';
import { relaxTransaction, withLongStatements, type DbTimeouts } from './timeouts.ts';
import * as m0100 from './migrations/20261123000100_catalog.ts';
import * as m0200 from './migrations/20261123000200_parties_and_keys.ts';
import * as m0300 from './migrations/20261123000300_validation_history.ts';
import * as m0400 from './migrations/20261123000400_pricing.ts';
import * as m0500 from './migrations/20261123000500_cache_versions.ts';
import * as m0600 from './migrations/20261123000600_exposure_month_summary.ts';
import * as m1130 from './migrations/20261130000100_bound_quote_lines.ts';
import * as m1201 from './migrations/20261201000100_exposure_spread.ts';
import * as m1202 from './migrations/20261202000100_api_key_expiry.ts';
import * as m1203 from './migrations/20261203000100_scorecard_columns.ts';
import * as m1203i from './migrations/20261203001200_impact_jobs.ts';
import * as m1205 from './migrations/20261205000100_exposure_period_firsts.ts';
import * as m1206 from './migrations/20261206000100_scorecard_deployment_summary.ts';
import * as m1207a from './migrations/20261207000100_quote_rating_basis.ts';
import * as m1204p from './migrations/20261204000100_policies.ts';
import * as m1204u1 from './migrations/20261204100100_unit_serials.ts';
import * as m1204u2 from './migrations/20261204100200_policy_units_and_changes.ts';
import * as m1204u from './migrations/20261204200100_policy_usage.ts';
import * as m1208lr from './migrations/20261208100100_loss_ratio_cache_version.ts';
import * as m1208p from './migrations/20261208200100_quote_accepted_units.ts';

interface Migration { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }

// Listed explicitly (not discovered on disk) so the same code runs under tsx, vitest and a bundle.
const MIGRATIONS: Record<string, Migration> = {
  '20261123000100_catalog': m0100,
  '20261123000200_parties_and_keys': m0200,
  '20261123000300_validation_history': m0300,
  '20261123000400_pricing': m0400,
  '20261123000500_cache_versions': m0500,
  '20261123000600_exposure_month_summary': m0600,
  '20261130000100_bound_quote_lines': m1130,
  '20261201000100_exposure_spread': m1201,
  '20261202000100_api_key_expiry': m1202,
  '20261203000100_scorecard_columns': m1203,
  '20261203001200_impact_jobs': m1203i,
  '20261205000100_exposure_period_firsts': m1205,
  '20261206000100_scorecard_deployment_summary': m1206,
  '20261207000100_quote_rating_basis': m1207a,
  '20261204000100_policies': m1204p,
  '20261204100100_unit_serials': m1204u1,
  '20261204100200_policy_units_and_changes': m1204u2,
  '20261204200100_policy_usage': m1204u,
  '20261208100100_loss_ratio_cache_version': m1208lr,
  '20261208200100_quote_accepted_units': m1208p,
};

/**
 * Each migration runs in its own transaction under the long statement limit of imports (a
 * migration may rewrite a big history); `limits` is undefined on PGlite, which has none.
 */
const source = (limits: DbTimeouts | undefined): Knex.MigrationSource<string> => ({
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const m = MIGRATIONS[name];
    const relaxed = (step: Migration['up']) => async (k: Knex) => {
      if (limits && k.isTransaction) await relaxTransaction(k as Knex.Transaction, limits);
      await step(k);
    };
    return { up: relaxed(m.up), down: relaxed(m.down) };
  },
});

const config = (db: Db): Knex.MigratorConfig => ({
  migrationSource: source(isPglite(db) ? undefined : timeoutsOf(db)),
  tableName: 'knex_migrations',
});

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await withLongStatements(() => db.migrate.latest(config(db)));
  return applied as string[];
}

/** Rolls back the last applied migration (used by tests of a migration on existing data). */
export async function migrateDownOne(db: Db): Promise<void> {
  await withLongStatements(() => db.migrate.down(config(db)));
}

/** Rolls back every migration (used by tests of reversibility). */
export async function migrateDownAll(db: Db): Promise<void> {
  await withLongStatements(() => db.migrate.rollback(config(db), true));
}

export const migrationNames = () => Object.keys(MIGRATIONS).sort();
