import type { Knex } from 'knex';
import type { Db } from './connection.ts';
import * as m0100 from './migrations/20261123000100_catalog.ts';
import * as m0200 from './migrations/20261123000200_parties_and_keys.ts';
import * as m0300 from './migrations/20261123000300_validation_history.ts';
import * as m0400 from './migrations/20261123000400_pricing.ts';
import * as m0500 from './migrations/20261123000500_cache_versions.ts';
import * as m0600 from './migrations/20261123000600_exposure_month_summary.ts';
import * as m1130 from './migrations/20261130000100_bound_quote_lines.ts';
import * as m1201 from './migrations/20261201000100_exposure_spread.ts';
import * as m1202 from './migrations/20261202000100_api_key_expiry.ts';
import * as m1203i from './migrations/20261203001200_impact_jobs.ts';

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
  '20261203001200_impact_jobs': m1203i,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};

const config = (): Knex.MigratorConfig => ({ migrationSource: source, tableName: 'knex_migrations' });

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest(config());
  return applied as string[];
}

/** Rolls back every migration (used by tests of reversibility). */
export async function migrateDownAll(db: Db): Promise<void> {
  await db.migrate.rollback(config(), true);
}

export const migrationNames = () => Object.keys(MIGRATIONS).sort();
