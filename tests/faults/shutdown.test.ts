/**
 * Graceful shutdown of the real server process (bin/server.ts under tsx, PGlite in a temp dir;
 * docs/architecture.md §10): under keep-alive load, with an import still uploading, SIGTERM →
 * the import completes 2xx, every response is 2xx, the last one on each socket says
 * `Connection: close`, no request meets a reset, new connections are refused, the database is
 * closed (the import is there on reopening) and the process exits 0 within SHUTDOWN_GRACE_MS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/connection.ts';
import { freePort } from '../helpers/throwaway-postgres.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GRACE_MS = 8_000;
const ROWS = 3_000;

interface Outcome { sentAt: number; status?: number; connection?: string; error?: string }

let dir: string;
let port: number;
let child: ChildProcess;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
let output = '';
const adminKey = `rr_test_admin_${randomBytes(16).toString('hex')}`;

/** Starts bin/server.ts on `port`; resolves when /readyz answers 200, or with the start-up failure. */
async function startServer(): Promise<{ ok: true } | { ok: false; output: string }> {
  output = '';
  child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/server.ts')], {
    cwd: ROOT,
    env: {
      // eslint-disable-next-line no-restricted-properties -- the child inherits PATH & co.
      ...process.env,
      PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', ROBORISK_DATA_DIR: path.join(dir, 'data'),
      ROBORISK_DEMO: 'false', ROBORISK_ADMIN_KEY: adminKey, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const deadline = Date.now() + 100_000;
  for (;;) {
    if (child.exitCode !== null) return { ok: false, output };
    if ((await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) === 200) return { ok: true };
    if (Date.now() > deadline) throw new Error(`the server did not get ready:\n${output}`);
    await sleep(250);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'roborisk-shutdown-'));
  // a port found free may be taken before the server binds it (it is in the range of the
  // machine's outgoing ports): then another one
  for (let attempt = 1; ; attempt++) {
    port = await freePort(41300, 41399);
    const started = await startServer();
    if (started.ok) break;
    if (attempt === 3 || !started.output.includes('EADDRINUSE')) throw new Error(`the server exited at start:\n${started.output}`);
  }
});

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One request on `agent`; resolves with the status and the Connection header, rejects with the socket error. */
function send(agent: http.Agent, method: string, urlPath: string, key: string, body?: { type: string; text: string }) {
  return new Promise<{ status: number; connection?: string; json: unknown }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': body.type } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (s: string) => (text += s));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, json: text ? JSON.parse(text) : undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('client timeout')));
    req.end(body?.text);
  });
}

describe('SIGTERM under keep-alive load', () => {
  it('drains: in-flight requests finish 2xx, no reset, new connections refused, database closed, exit 0 within the grace period', async () => {
    const setup = new http.Agent({ keepAlive: true });
    const actuary = ((await send(setup, 'POST', '/v1/api-keys', adminKey, { type: 'application/json', text: JSON.stringify({ role: 'actuary' }) })).json as { key: string }).key;
    expect(actuary).toMatch(/^rr_actuary_/);
    expect((await send(setup, 'POST', '/v1/organizations', adminKey, { type: 'application/json', text: JSON.stringify({ ref: 'ORG-S', name: 'Shutdown test', kind: 'enterprise' }) })).status).toBe(201);
    const robot = ((await send(setup, 'GET', '/v1/robot-models', actuary)).json as { data: { code: string }[] }).data[0].code;
    setup.destroy();

    // keep-alive load: 4 agents × 2 request loops, each on until its first error after SIGTERM
    let sigtermAt = Infinity;
    const agents = Array.from({ length: 4 }, () => new http.Agent({ keepAlive: true, maxSockets: 2 }));
    const outcomes: Outcome[][] = [];
    const loop = async (agent: http.Agent, log: Outcome[]) => {
      while (Date.now() < sigtermAt + GRACE_MS) {
        const sentAt = Date.now();
        try {
          const r = await send(agent, 'GET', '/v1/scenario-classes', actuary);
          log.push({ sentAt, status: r.status, connection: r.connection });
        } catch (e) {
          log.push({ sentAt, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
          return;
        }
      }
    };
    const loops = agents.flatMap((agent) => [0, 1].map(() => {
      const log: Outcome[] = [];
      outcomes.push(log);
      return loop(agent, log);
    }));

    // an import whose body is still uploading when SIGTERM arrives. `Expect: 100-continue` makes
    // sure the server has taken the request before the signal: a connection the kernel has queued
    // but the server not yet accepted is reset when it stops listening, as with any server.
    const header = 'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n';
    const csv = header + Array.from({ length: ROWS }, (_, i) => `SD-${i},ORG-S,Guangdong,manufacturing.assembly,${robot},2,supervised,2025-01-01,\n`).join('');
    const chunks = Array.from({ length: 10 }, (_, i) => csv.slice((i * csv.length) / 10, ((i + 1) * csv.length) / 10));
    const importAgent = new http.Agent({ keepAlive: true });
    const imported = new Promise<{ status: number; connection?: string; json: unknown }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, method: 'POST', path: '/v1/imports/deployments', agent: importAgent,
        headers: { authorization: `Bearer ${actuary}`, 'content-type': 'text/csv', expect: '100-continue' },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, json: JSON.parse(text) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.once('continue', () => void (async () => {
        req.write(chunks[0]);
        await sleep(300);
        child.kill('SIGTERM');
        sigtermAt = Date.now();
        for (const c of chunks.slice(1)) {
          await sleep(150);
          req.write(c);
        }
        req.end();
      })());
      req.flushHeaders();
    });

    imported.catch(() => {}); // awaited below
    // while the import keeps the server draining, a new connection is refused (once the server
    // has taken the signal: on a loaded machine that may take a moment)
    const noticed = Date.now() + 10_000;
    while (!output.includes('shutting down: draining requests') && Date.now() < noticed) await sleep(20);
    expect(output).toContain('shutting down: draining requests');
    const fresh = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve('connected'); });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(fresh).toBe('ECONNREFUSED');

    const importResult = await imported.catch((e: Error) => { throw new Error(`the import failed: ${e.message}\n${output}`); });
    expect(importResult.status, JSON.stringify(importResult.json)).toBe(200);
    expect(importResult.json).toMatchObject({ rows: ROWS, inserted: ROWS });
    expect(importResult.connection).toBe('close');

    await Promise.all(loops);
    const exit = await exited;
    expect({ code: exit.code, signal: exit.signal }, output).toEqual({ code: 0, signal: null });
    expect(exit.at - sigtermAt).toBeLessThan(GRACE_MS);

    const all = outcomes.flat();
    expect(all.filter((o) => o.sentAt > sigtermAt).length).toBeGreaterThan(0);
    // every answer 2xx; the only error is the refused new connection that ends each loop
    expect(all.filter((o) => o.status !== undefined && (o.status < 200 || o.status > 299))).toEqual([]);
    for (const log of outcomes) {
      expect(log.slice(0, -1).every((o) => o.error === undefined)).toBe(true);
      expect(log.at(-1)!.error).toBe('ECONNREFUSED');
      // the answer that closed the socket said so
      if (log.length >= 2) expect(log.at(-2)!.connection).toBe('close');
    }
    for (const a of [...agents, importAgent]) a.destroy();

    // the database was closed cleanly: the import is there on reopening
    const db = createDb({ dataDir: path.join(dir, 'data') });
    try {
      expect(Number((await db('deployments').where('ref', 'like', 'SD-%').count('* as n'))[0].n)).toBe(ROWS);
    } finally {
      await db.destroy();
    }
  }, 90_000);
});
