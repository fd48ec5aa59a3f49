/**
 * WEB_CONCURRENCY=2 (bin/cluster.ts) with the real server process on PostgreSQL: both workers
 * answer on the one port, and SIGTERM to the primary drains every worker (requests a worker has
 * received finish 2xx, each worker closes its database and exits 0) before the primary exits 0.
 * A connection the primary has not yet handed to a worker when the signal arrives is refused,
 * like any new connection: the client sees a connection error, never a 5xx or a cut response.
 * Needs TEST_DATABASE_URL (PGlite admits one process, so the cluster refuses to start on it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/context.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DB_NAME = `roborisk_cluster_${randomBytes(4).toString('hex')}`;
const adminKey = `rr_test_admin_${randomBytes(16).toString('hex')}`;

let child: ChildProcess;
let port: number;
let output = '';
let exited: Promise<{ code: number | null; at: number }>;

describe.skipIf(!TEST_DATABASE_URL)('two server processes (WEB_CONCURRENCY=2)', () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${DB_NAME}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL as string);
    url.pathname = `/${DB_NAME}`;
    port = await freePort(41600, 41699);
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/server.ts')], {
      cwd: ROOT,
      // eslint-disable-next-line no-restricted-properties -- the child inherits PATH & co.
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url.toString(), WEB_CONCURRENCY: '2', ROBORISK_DEMO: 'false', ROBORISK_ADMIN_KEY: adminKey, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '8000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    const deadline = Date.now() + 150_000;
    while (!output.includes('listening on')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the cluster did not start:\n${output}`);
      await sleep(250);
    }
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    await admin.end();
  });

  const get = () => fetch(`http://127.0.0.1:${port}/v1/organizations`, { headers: { authorization: `Bearer ${adminKey}`, connection: 'close' } });
  const pidsServing = () => new Set([...output.matchAll(/"pid":(\d+)[^\n]*"msg":"request completed"/g)].map((m) => m[1]));

  it('prints the banner once; both workers serve requests on the one port', async () => {
    expect(output.match(/roborisk listening on/g)).toHaveLength(1);
    expect(output).toContain('2 processes');
    for (let i = 0; i < 40 && pidsServing().size < 2; i++) {
      const r = await Promise.all(Array.from({ length: 4 }, get));
      expect(r.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    }
    expect(pidsServing().size).toBe(2);
    expect(pidsServing().has(String(child.pid))).toBe(false);
  });

  it('SIGTERM to the primary: requests in flight finish 2xx, every worker shuts down, the primary exits 0', async () => {
    const inFlight = Array.from({ length: 8 }, get);
    await sleep(50);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight.map((p) => p.then((r) => r.status, (e: Error) => e.message)));
    const { code, at } = await exited;
    // answered requests are all 200; the others never reached a worker (connection errors)
    expect(statuses.filter((s) => typeof s === 'number').every((s) => s === 200), JSON.stringify(statuses)).toBe(true);
    expect(statuses.filter((s) => typeof s !== 'number').every((s) => s === 'fetch failed'), JSON.stringify(statuses)).toBe(true);
    expect(statuses.filter((s) => s === 200).length, JSON.stringify(statuses)).toBeGreaterThan(0);
    expect(code, output.slice(-3000)).toBe(0);
    expect(at - sentAt).toBeLessThan(9_000);
    expect(output).toContain('shutting down: signalling the workers');
    const shutDown = new Set([...output.matchAll(/"pid":(\d+)[^\n]*"msg":"shut down"/g)].map((m) => m[1]));
    expect(shutDown).toEqual(pidsServing());
    // nothing answers any more
    await expect(get()).rejects.toThrow();
  });
});

describe('WEB_CONCURRENCY configuration', () => {
  it('more than one process needs PostgreSQL: refused on the embedded database, naming the variable', async () => {
    const { loadConfig, ConfigError } = await import('../../config/index.ts');
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY: more than one process needs DATABASE_URL/);
    expect(loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://u@h:5432/d' }).WEB_CONCURRENCY).toBe(2);
    expect(loadConfig({}).WEB_CONCURRENCY).toBe(1);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(ConfigError);
  });
});
