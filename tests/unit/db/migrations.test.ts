import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/context.ts';
import { migrateDownAll, migrateLatest, migrationNames } from '../../../db/migrate.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t?.close(); });

const tables = async () => {
  const r = await t.db.raw(`select table_name from information_schema.tables where table_schema = current_schema() and table_name not like 'knex%' order by 1`);
  return r.rows.map((x: { table_name: string }) => x.table_name);
};

describe('migrations', () => {
  it('apply in order, roll back completely, and apply again', async () => {
    expect(await migrateLatest(t.db)).toEqual(migrationNames());
    expect(await tables()).toEqual([
      'api_keys', 'app_meta', 'audit_events', 'bound_quote_lines', 'cache_versions', 'coverages', 'deployments', 'exposure_month_summary', 'exposures', 'impact_jobs', 'incidents', 'model_versions',
      'organizations', 'policies', 'quote_subjectivities', 'quotes', 'rating_plans', 'robot_models', 'rulesets', 'scenario_areas', 'scenario_classes', 'scorecard_rulesets',
    ]);
    expect(await migrateLatest(t.db)).toEqual([]);
    await migrateDownAll(t.db);
    expect(await tables()).toEqual([]);
    expect(await migrateLatest(t.db)).toEqual(migrationNames());
  });

  it('the schema itself refuses impossible values (defence behind validation)', async () => {
    await t.db('organizations').insert({ ref: 'O', name: 'o', kind: 'enterprise' });
    await expect(t.db('organizations').insert({ ref: 'P', name: 'p', kind: 'pirate' })).rejects.toThrow(/check/i);
    await expect(t.db('api_keys').insert({ key_hash: 'h', key_prefix: 'p', role: 'enterprise' })).rejects.toThrow(/api_keys_enterprise_has_org/);
  });
});
