/**
 * Quote throughput and latency: `POST /v1/quotes` with 3 fleet lines and 3 coverages (each priced
 * with its policy aggregate distribution), under load from autocannon on loopback, against the
 * server started as a separate process (`bin/server.ts`) on PGlite and on PostgreSQL.
 * Two runs per database: the same request every time ("fixed"), and a request whose units and
 * operating hours per unit are drawn at random for every request ("varied", autocannon's
 * `setupRequest`), so that no cache of identical inputs can explain the figures.
 *   npm run bench -- quotes       DURATION=20 CONNECTIONS=16 TARGET=postgres RUNS=fixed,varied npm run bench -- quotes
 * PROCESSES=1,2 (PostgreSQL only) runs the server with each WEB_CONCURRENCY in turn, same run;
 * BENCH_PORT fixes the port (default random in 3900–3989), BENCH_DB the scratch database name.
 */
import { nextPolicyYear } from '../domain/calendar.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const DURATION = Number(process.env.DURATION ?? 20);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const PG_ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

const RUNS = (process.env.RUNS ?? 'fixed,varied').split(',');
const PROCESSES = (process.env.PROCESSES ?? '1').split(',').map(Number);
const BENCH_DB = process.env.BENCH_DB ?? 'roborisk_bench';

const request = (units: [number, number, number], hours: [number, number, number]) => ({
  basis: 'annual',
  period: nextPolicyYear(),
  fleet: [
    { robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: units[0], autonomy_level: 'supervised', operating_hours_per_unit: hours[0], safety: { safety_officer_on_site: true } },
    { robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: units[1], autonomy_level: 'supervised', operating_hours_per_unit: hours[1], safety: {} },
    { robot_model: 'PES-Q60', scenario_class: 'safety_production.patrol', units: units[2], autonomy_level: 'teleoperated', operating_hours_per_unit: hours[2], safety: { operator_training_hours: 40 } },
  ],
  coverages: [
    { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300000 },
    { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2000000, aggregate_limit: 5000000 },
    { coverage: 'business_interruption', deductible: 0, per_occurrence_limit: 100000 },
  ],
});
const body = JSON.stringify(request([10, 6, 4], [4000, 5000, 3000]));
const int = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
/** A fresh request: 1–40 units and 500–6,000 hours per unit on every line. */
const variedBody = () => JSON.stringify(request([int(1, 40), int(1, 40), int(1, 40)], [int(5, 60) * 100, int(5, 60) * 100, int(5, 60) * 100]));

async function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : 3900 + Math.floor(Math.random() * 90);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/server.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ROBORISK_ADMIN_KEY: ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => { out += d; if (out.includes('listening on')) resolve(); });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
  });
  const enterpriseKey = /enterprise\s+(rr_\S+)/.exec(out)?.[1];
  if (!enterpriseKey) throw new Error('no demo enterprise key printed');
  return { proc, url: `http://127.0.0.1:${port}`, ...{ key: enterpriseKey } } as { proc: ChildProcess; url: string; key: string };
}

async function load(label: string, url: string, key: string) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  // warm-up: first quotes compile code paths and fill caches
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${url}/v1/quotes`, { method: 'POST', headers, body: i % 2 ? variedBody() : body });
    if (r.status !== 201) throw new Error(`quote failed: ${r.status} ${await r.text()}`);
  }
  for (const run of RUNS) {
    const varied = run === 'varied';
    const result = await autocannon({
      url: `${url}/v1/quotes`, method: 'POST', connections: CONNECTIONS, duration: DURATION, headers,
      ...(varied
        ? { requests: [{ method: 'POST' as const, setupRequest: (req: autocannon.Request) => ({ ...req, body: variedBody() }) }] }
        : { body }),
    });
    const ok = result['2xx'];
    console.log(JSON.stringify({
      label, request: varied ? 'varied (random units and hours per request)' : 'fixed (the same body every time)',
      connections: CONNECTIONS, duration_s: DURATION,
      quotes_per_s: +(ok / DURATION).toFixed(1),
      latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      non_2xx: result.non2xx, errors: result.errors,
    }, null, 1));
  }
}

async function stop(proc: ChildProcess) {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
}

const targets = (process.env.TARGET ?? 'pglite,postgres').split(',');
if (targets.includes('pglite')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-qbench-'));
  const s = await startServer({ ROBORISK_DATA_DIR: dir }) as { proc: ChildProcess; url: string; key: string };
  try { await load('PGlite (embedded)', s.url, s.key); } finally { await stop(s.proc); rmSync(dir, { recursive: true, force: true }); }
}
if (targets.includes('postgres')) {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${BENCH_DB}`;
  try {
    for (const processes of PROCESSES) {
      await admin.query(`drop database if exists ${BENCH_DB}`);
      await admin.query(`create database ${BENCH_DB}`);
      const s = await startServer({ DATABASE_URL: url.toString(), WEB_CONCURRENCY: String(processes) }) as { proc: ChildProcess; url: string; key: string };
      try { await load(`PostgreSQL 15, ${processes} server process${processes > 1 ? 'es' : ''}`, s.url, s.key); } finally { await stop(s.proc); }
    }
  } finally {
    await admin.query(`drop database if exists ${BENCH_DB}`);
    await admin.end();
  }
}
