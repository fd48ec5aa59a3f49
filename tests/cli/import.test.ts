/**
 * `roborisk import`: files from disk through the same service as POST /v1/imports — counts on
 * success; every bad line named, exit 1 and nothing written on failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../services/bootstrap.ts';
import { insertOrganization } from '../../db/repositories/organizations.ts';
import { CLI_ACTOR, cliDatabase, runCli, tempDir, type CliDatabase } from '../helpers/cli.ts';

const tmp = tempDir('import');
const good = path.join(tmp.dir, 'good');
let store: CliDatabase;
let env: Record<string, string>;
const withDb: CliDatabase['withDb'] = (fn) => store.withDb(fn);

const DEPLOYMENTS = [
  'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
  'CLI-D1,ORG-I,Guangdong,manufacturing.assembly,LMD-B300,4,supervised,2025-01-01,',
  'CLI-D2,ORG-I,Guangdong,warehousing_logistics.picking,LMD-W200,2,autonomous,2025-02-01,2025-12-31',
];
const EXPOSURES = [
  'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses',
  'CLI-D1,2025-01-01,2025-01-31,2400,10000,3,1',
  'CLI-D1,2025-02-01,2025-02-28,2200,9000,2,0',
  'CLI-D2,2025-02-01,2025-02-28,900,4000,1,0',
];
const INCIDENTS = [
  'incident_ref,deployment_ref,occurred_at,reported_at,incident_type,severity_level,bodily_injury_count,robot_damage,third_party_property_damage,bodily_injury_cost,downtime_hours,business_interruption_cost,status,paid,case_reserve,currency',
  'CLI-I1,CLI-D1,2025-01-15T10:00:00Z,2025-01-16,fall,2,0,12000,0,0,5,3000,closed,15000,0,CNY',
];
const csv = (lines: string[]) => `${lines.join('\n')}\n`;

beforeAll(async () => {
  store = await cliDatabase(tmp.dir);
  env = { ...store.env, ROBORISK_DEMO: 'false' };
  mkdirSync(good);
  writeFileSync(path.join(good, 'deployments.csv'), csv(DEPLOYMENTS));
  writeFileSync(path.join(good, 'exposures.csv'), csv(EXPOSURES));
  writeFileSync(path.join(good, 'incidents.csv'), csv(INCIDENTS));
  await withDb(async (db) => {
    await bootstrap(db, { demo: false });
    await insertOrganization(db, { ref: 'ORG-I', name: 'Import Test Robotics', kind: 'enterprise', province: 'Guangdong' });
  });
});
afterAll(async () => {
  await store?.remove();
  tmp.remove();
});

const count = (table: string, where: Record<string, unknown> = {}) =>
  withDb(async (db) => Number((await db(table).where(where).count<{ n: number }[]>('* as n'))[0].n));

describe('roborisk import', () => {
  it('import all reads deployments, exposures, incidents in that order and prints the counts', async () => {
    const r = await runCli(['import', 'all', good], env);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployments\s+\S+deployments\.csv: 2 rows: inserted 2, updated 0, unchanged 0$/m);
    expect(r.stdout).toMatch(/^exposures\s+\S+exposures\.csv: 3 rows: inserted 3, updated 0, unchanged 0$/m);
    expect(r.stdout).toMatch(/^incidents\s+\S+incidents\.csv: 1 row: inserted 1, updated 0, unchanged 0$/m);
    expect(r.stdout.indexOf('deployments')).toBeLessThan(r.stdout.indexOf('exposures'));
    // progress on stderr: plain lines, as stderr is not a terminal here
    expect(r.stderr).toMatch(/^deployments\.csv: read \d+ B$/m);
    expect(await count('exposures')).toBe(3);
  });

  it('a changed row is an update, audited as the CLI; NDJSON by its extension', async () => {
    const file = path.join(tmp.dir, 'deployments.ndjson');
    writeFileSync(file, `${JSON.stringify({ deployment_ref: 'CLI-D1', organization_ref: 'ORG-I', scenario_class: 'manufacturing.assembly', robot_model: 'LMD-B300', units: 5, autonomy_level: 'supervised', start_date: '2025-01-01', province: 'Guangdong' })}\n`);
    const r = await runCli(['import', 'deployments', file], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 row: inserted 0, updated 1, unchanged 0');
    await withDb(async (db) => {
      const audit = await db('audit_events').where({ entity_ref: 'CLI-D1' }).orderBy('id', 'desc').first();
      expect(audit.actor).toBe(CLI_ACTOR);
    });
  });

  it('a broken file: exit 1, every bad line named (line, field, message), nothing written', async () => {
    const file = path.join(tmp.dir, 'exposures-broken.csv');
    writeFileSync(file, csv([
      EXPOSURES[0],
      'CLI-D2,2025-03-01,2025-03-31,800,100,0,0', // good: must not be written either
      'NOPE,2025-01-01,2025-01-31,100,0,0,0', // unknown deployment
      'CLI-D1,2025-03-01,2025-02-01,100,0,0,0', // end before start
      'CLI-D1,2025-04-01,2025-04-30,-5,0,0,0', // negative hours
      'CLI-D2,2025-05-01,2025-05-31,lots,0,0,0', // not a number
    ]));
    const r = await runCli(['import', 'exposures', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${file}: `);
    expect(r.stderr).toMatch(/\d problem\(s\) in the exposures file; nothing was written/);
    expect(r.stderr).toMatch(/^\s+line\s+field\s+message$/m);
    expect(r.stderr).toMatch(/^\s+3\s+deployment_ref\s+unknown deployment 'NOPE'$/m);
    expect(r.stderr).toMatch(/^\s+4\s+period_end\s+period_end is before period_start$/m);
    expect(r.stderr).toMatch(/^\s+5\s+operating_hours\s+/m);
    expect(r.stderr).toMatch(/^\s+6\s+operating_hours\s+expected a number$/m);
    expect(r.stderr).not.toMatch(/^\s+2\s/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(await count('exposures')).toBe(3);
  });
});
