/** `roborisk keys`: the lost-key path, on a fresh PGlite directory without demo data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../services/auth.ts';
import { insertOrganization } from '../../db/repositories/organizations.ts';
import { CLI_ACTOR, cliDatabase, runCli, tempDir, type CliDatabase } from '../helpers/cli.ts';

const tmp = tempDir('keys');
let store: CliDatabase;
let env: Record<string, string>;
const withDb: CliDatabase['withDb'] = (fn) => store.withDb(fn);
const KEY = /^rr_[a-z]+_[A-Za-z0-9_-]{43}$/;

let adminKey: string;
let adminKeyId: number;

beforeAll(async () => {
  store = await cliDatabase(tmp.dir);
  env = { ...store.env, ROBORISK_DEMO: 'false' };
  // the first command creates and migrates the database, as the server's first start does
  const r = await runCli(['keys', 'create', '--role', 'admin', '--label', 'ops laptop'], env);
  if (store.dataDir) expect(r.stderr).toContain(`new database in ${store.dataDir}`);
  expect(r.code).toBe(0);
  adminKey = r.stdout.trim();
  adminKeyId = Number(/API key (\d+) issued/.exec(r.stderr)![1]);
  await withDb((db) => insertOrganization(db, { ref: 'ORG-K', name: 'Key Test Robotics', kind: 'enterprise', province: 'Jiangsu' }));
});
afterAll(async () => {
  await store?.remove();
  tmp.remove();
});

describe('roborisk keys', () => {
  it('create prints the key once, alone on stdout; it authenticates through the service; the audit names the CLI', async () => {
    expect(adminKey).toMatch(KEY);
    await withDb(async (db) => {
      const p = await authenticate(db, adminKey);
      expect(p).toMatchObject({ keyId: adminKeyId, role: 'admin', label: 'ops laptop' });
      const audit = await db('audit_events').where({ action: 'api_key.issue', entity_ref: String(adminKeyId) }).first();
      expect(audit.actor).toBe(CLI_ACTOR);
    });
  });

  it('an enterprise key is bound to its organization; an unknown organization fails with exit 1', async () => {
    const ok = await runCli(['keys', 'create', '--role', 'enterprise', '--organization', 'ORG-K'], env);
    expect(ok.code).toBe(0);
    const bad = await runCli(['keys', 'create', '--role', 'enterprise', '--organization', 'ORG-NOPE'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("organization 'ORG-NOPE' not found");
    expect(bad.stderr).toMatch(/organization_ref\s+unknown organization/);
    expect(bad.stdout).toBe('');
    await withDb(async (db) => {
      expect(await authenticate(db, ok.stdout.trim())).toMatchObject({ role: 'enterprise', organizationRef: 'ORG-K' });
    });
  });

  it('create --expires-at issues a key that stops working then; list shows until when; a past time fails with exit 1', async () => {
    const r = await runCli(['keys', 'create', '--role', 'regulator', '--label', 'expiring', '--expires-at', '2099-06-30T00:00:00Z'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('expires 2099-06-30T00:00:00.000Z');
    expect((await runCli(['keys', 'list'], env)).stdout).toMatch(/regulator\s+expiring\s+\d{4}-\d{2}-\d{2}\s+active until 2099-06-30$/m);
    const past = await runCli(['keys', 'create', '--role', 'regulator', '--expires-at', '2020-01-01T00:00:00Z'], env);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/expires_at\s+must be in the future/);
    expect(past.stdout).toBe('');
  });

  it('list shows the keys (prefix only); revoke stops the key; revoking it again fails with exit 1', async () => {
    const list = await runCli(['keys', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^\\s*${adminKeyId}\\s+rr_admin_\\S*…\\s+admin\\s+ops laptop\\s+\\d{4}-\\d{2}-\\d{2}\\s+active$`, 'm'));
    expect(list.stdout).toMatch(/enterprise\s+ORG-K/);
    expect(list.stdout).not.toContain(adminKey);

    const revoke = await runCli(['keys', 'revoke', String(adminKeyId)], env);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain(`API key ${adminKeyId} (admin, "ops laptop") revoked`);
    await withDb(async (db) => {
      expect(await authenticate(db, adminKey)).toBeUndefined();
      expect((await db('audit_events').where({ action: 'api_key.revoke' }).first()).actor).toBe(CLI_ACTOR);
    });
    const again = await runCli(['keys', 'revoke', String(adminKeyId)], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`active api key ${adminKeyId} not found`);
  });
});
