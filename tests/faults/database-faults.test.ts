/**
 * Database faults (docs/architecture.md §10), against a PostgreSQL server of this file's own that
 * it stops and freezes: `/readyz` answers 503 within 2 s, every call that needs the database 503
 * problem+json with Retry-After within the time limits (never a hang, never a 500), and the app
 * recovers without a restart once the server is back. Runs on the PostgreSQL suite
 * (TEST_DATABASE_URL set) of a machine with PostgreSQL installed; skipped elsewhere.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../api/app.ts';
import { loadConfig } from '../../config/index.ts';
import { createDb, longTransaction, type Db } from '../../db/connection.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { CLIENT_GRACE_MS, timeoutsFrom } from '../../db/timeouts.ts';
import { issueKey } from '../../services/auth.ts';
import { databaseFault } from '../../services/database-faults.ts';
import { loadCatalog } from '../../services/seed-catalog.ts';
import { TEST_DATABASE_URL } from '../helpers/context.ts';
import { startThrowawayPostgres, throwawayPostgresUnavailable, type ThrowawayPostgres } from '../helpers/throwaway-postgres.ts';

const skip = TEST_DATABASE_URL ? throwawayPostgresUnavailable() : 'runs on the PostgreSQL suite only (TEST_DATABASE_URL is not set)';

// short limits, so that the frozen case ends quickly; /readyz keeps its default (READY_TIMEOUT_MS)
const config = loadConfig({
  LOG_LEVEL: 'silent',
  ROBORISK_DEMO: 'false',
  DB_CONNECT_TIMEOUT_MS: '1000',
  DB_STATEMENT_TIMEOUT_MS: '3000',
  DB_LONG_STATEMENT_TIMEOUT_MS: '8000',
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000',
  DB_ACQUIRE_TIMEOUT_MS: '2000',
});
/**
 * Longest a call may take with the server frozen: a wait for a pooled connection, then its query's
 * client-side read timeout, plus slack for a loaded machine.
 */
const FROZEN_CALL_BOUND_MS = config.DB_ACQUIRE_TIMEOUT_MS + config.DB_STATEMENT_TIMEOUT_MS + CLIENT_GRACE_MS + 1500;

interface Answer { status: number; ms: number; type: string; retryAfter: string | null; body: Record<string, unknown> }

describe.skipIf(skip)(`database faults on a throwaway PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pg: ThrowawayPostgres;
  let db: Db;
  let server: Server;
  let base: string;
  const key: Record<'admin' | 'actuary', string> = { admin: '', actuary: '' };
  let orgs = 0;

  beforeAll(async () => {
    pg = await startThrowawayPostgres([55400, 55499]);
    db = createDb({ databaseUrl: pg.url, timeouts: timeoutsFrom(config), onWarning: () => {} });
    await migrateLatest(db);
    await loadCatalog(db);
    key.admin = (await issueKey(db, 'system', { role: 'admin', organization_ref: null })).key;
    key.actuary = (await issueKey(db, 'system', { role: 'actuary', organization_ref: null })).key;
    const app = createApp({ db, config, logger: pino({ level: 'silent' }) });
    server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    pg?.thaw();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await db?.destroy();
    pg?.destroy();
  });

  async function call(method: 'GET' | 'POST', path: string, role?: 'admin' | 'actuary', body?: unknown): Promise<Answer> {
    const started = performance.now();
    const res = await fetch(base + path, {
      method,
      headers: { ...(role ? { authorization: `Bearer ${key[role]}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000), // a hang fails the test instead of stalling it
    });
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : {} };
  }
  const newOrganization = () => call('POST', '/v1/organizations', 'admin', { ref: `ORG-F${++orgs}`, name: `Fault test ${orgs}`, kind: 'enterprise', province: 'Guangdong' });
  /** Calls that each need the database: authentication, a catalog read, a read, a write. */
  const databaseCalls = () => [
    call('GET', '/v1/scenario-classes', 'actuary'),
    call('GET', '/v1/organizations', 'admin'),
    call('GET', '/v1/api-keys', 'admin'),
    newOrganization(),
  ];

  function expectUnavailable(a: Answer, boundMs: number) {
    expect(a.status, JSON.stringify(a.body)).toBe(503);
    expect(a.type).toMatch(/^application\/problem\+json/);
    expect(a.body.status).toBe(503);
    expect(Number(a.retryAfter)).toBeGreaterThan(0);
    expect(a.ms).toBeLessThan(boundMs);
  }

  async function readyzTimes(n: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = await call('GET', '/readyz');
      expectUnavailable(a, 2000);
      expect(a.body.code).toBe('SERVICE_UNAVAILABLE');
      times.push(Math.round(a.ms));
    }
    return times;
  }

  async function expectRecovery() {
    const deadline = Date.now() + 20_000;
    let ready = await call('GET', '/readyz');
    while (ready.status !== 200 && Date.now() < deadline) {
      await sleep(200);
      ready = await call('GET', '/readyz');
    }
    expect(ready.status).toBe(200);
    const answers = await Promise.all(databaseCalls());
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 201]);
  }

  it('answers normally while the server is healthy', async () => {
    expect((await call('GET', '/readyz')).status).toBe(200);
    expect((await Promise.all(databaseCalls())).map((a) => a.status)).toEqual([200, 200, 200, 201]);
  });

  it('a statement past its limit is a DATABASE_TIMEOUT 503; imports and migrations run under the long limit', async () => {
    const err = await db.raw('select pg_sleep(5)').then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).toBe('57014');
    const problem = databaseFault(err);
    expect([problem?.code, problem?.status]).toEqual(['DATABASE_TIMEOUT', 503]);
    // 4 s passes under the long limit (8 s), on the server and on the client
    const slept = await longTransaction(db, (trx) => trx.raw('select pg_sleep(4) as done'));
    expect(slept.rows).toHaveLength(1);
  });

  it('a transaction left idle past its limit is ended by the server, a fault of the database', async () => {
    const err = await db.transaction(async (trx) => {
      await trx.raw('select 1');
      await sleep(config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS + 1000);
      await trx.raw('select 1');
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeDefined();
    expect(databaseFault(err)?.status).toBe(503);
    expect((await call('GET', '/readyz')).status).toBe(200);
  });

  it('stopped server: /readyz 503 within 2 s, calls 503 problem+json with Retry-After, then recovery without restart', async () => {
    pg.stop();
    const readyz = await readyzTimes(3);
    const answers = await Promise.all(databaseCalls());
    for (const a of answers) {
      expectUnavailable(a, 2000);
      expect(a.body.code).toBe('DATABASE_UNAVAILABLE');
    }
    console.log(`[faults] stopped database: /readyz 503 after ${readyz.join(', ')} ms; calls 503 after ${answers.map((a) => Math.round(a.ms)).join(', ')} ms`);
    pg.start();
    await expectRecovery();
  });

  it('frozen server (SIGSTOP): /readyz 503 within 2 s, calls 503 within the limits, no hang; recovery after SIGCONT', async () => {
    // a few pooled connections, idle and seemingly fine when the server freezes
    await Promise.all([...databaseCalls(), ...databaseCalls()]);
    pg.freeze();
    try {
      const before = await readyzTimes(3);
      // in flight together: the pooled connections' queries time out, new connections cannot start
      const calls = [...databaseCalls(), ...databaseCalls()];
      const during = await readyzTimes(2);
      const answers = await Promise.all(calls);
      // and again, now that the pool holds connections the client gave up on
      answers.push(...await Promise.all(databaseCalls()));
      for (const a of answers) {
        expectUnavailable(a, FROZEN_CALL_BOUND_MS);
        expect(a.body.code).toBe('DATABASE_UNAVAILABLE');
      }
      const after = await readyzTimes(3);
      const callMs = answers.map((a) => Math.round(a.ms));
      console.log(`[faults] frozen database: /readyz 503 after ${[...before, ...during, ...after].join(', ')} ms; calls 503 after ${Math.min(...callMs)}–${Math.max(...callMs)} ms (bound ${FROZEN_CALL_BOUND_MS} ms)`);
    } finally {
      pg.thaw();
    }
    await expectRecovery();
  });
});
