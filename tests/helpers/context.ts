/**
 * A real database and app per test file: PGlite in a temp dir by default, or a schema of its
 * own on PostgreSQL when TEST_DATABASE_URL is set (so files can run in parallel).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createDb, type Db } from '../../db/connection.ts';
import { timeoutsFrom, type DbTimeouts } from '../../db/timeouts.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createApp } from '../../api/app.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { loadCatalog } from '../../services/seed-catalog.ts';
import { bootstrap } from '../../services/bootstrap.ts';
import { issueKey } from '../../services/auth.ts';
import { insertOrganization } from '../../db/repositories/organizations.ts';
import type { Role } from '../../domain/index.ts';

// eslint-disable-next-line no-restricted-properties -- the test harness reads its own switch
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface TestDb { db: Db; close(): Promise<void>; label: string }

/** A fresh, empty database (not migrated), with the default time limits unless `timeouts` are given. */
export async function openTestDb(timeouts?: DbTimeouts): Promise<TestDb> {
  if (TEST_DATABASE_URL) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = createDb({ databaseUrl: TEST_DATABASE_URL, poolMax: 1 });
    await admin.raw(`create schema ${schema}`);
    await admin.destroy();
    const db = createDb({ databaseUrl: TEST_DATABASE_URL, schema, timeouts });
    return {
      db,
      label: `postgres schema ${schema}`,
      close: async () => {
        await db.raw(`drop schema ${schema} cascade`);
        await db.destroy();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-test-'));
  const db = createDb({ dataDir: dir, timeouts });
  return {
    db,
    label: `pglite ${dir}`,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestContext {
  db: Db;
  config: Config;
  baseUrl: string;
  server: Server;
  /** One key per role; the enterprise key belongs to `orgA`. */
  keys: Record<Role, string>;
  /** A second enterprise key, for `orgB`. */
  keyB: string;
  orgA: string;
  orgB: string;
  close(): Promise<void>;
}

/**
 * Migrated database with the catalog, three enterprises (ORG-A/B/C), keys for every role, and
 * the app on port 0. With `demo`, the first-start bootstrap runs first (demo history, fitted and
 * activated models, default rule set, demo rating plan).
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { demo?: boolean } = {}): Promise<TestContext> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ROBORISK_DEMO: 'false', ...env });
  const t = await openTestDb(timeoutsFrom(config));
  if (opts.demo) await bootstrap(t.db, { demo: true });
  await migrateLatest(t.db);
  await loadCatalog(t.db);
  await insertOrganization(t.db, { ref: 'ORG-A', name: '深圳测试机器人有限公司', kind: 'enterprise', province: 'Guangdong' });
  await insertOrganization(t.db, { ref: 'ORG-B', name: 'Beta Logistics Co.', kind: 'enterprise', province: 'Jiangsu' });
  await insertOrganization(t.db, { ref: 'ORG-C', name: 'Gamma Care Homes', kind: 'enterprise', province: 'Zhejiang' });
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as Role[]) {
    keys[role] = (await issueKey(t.db, 'system', { role, organization_ref: role === 'enterprise' ? 'ORG-A' : null })).key;
  }
  const keyB = (await issueKey(t.db, 'system', { role: 'enterprise', organization_ref: 'ORG-B' })).key;
  const app = createApp({ db: t.db, config, logger: pino({ level: 'silent' }) });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    db: t.db, config, server, keys, keyB, orgA: 'ORG-A', orgB: 'ORG-B',
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    },
  };
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
