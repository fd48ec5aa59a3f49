/**
 * Import throughput: 1,000,000 exposure rows (10,000 deployments × 100 monthly periods) as one
 * streamed CSV through the import service (parse → validate → stage → checks → upsert), first
 * as new rows, then again unchanged (idempotent re-import). On PGlite (temp dir) and on
 * PostgreSQL (BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, in a scratch schema).
 *   npm run bench -- import        ROWS=200000 npm run bench -- import
 */
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { loadCatalog } from '../services/seed-catalog.ts';
import { importHistory } from '../services/imports.ts';
import { insertOrganization } from '../db/repositories/organizations.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PERIODS = 100;
const DEPLOYMENTS = Math.ceil(ROWS / PERIODS);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function month(i: number): [string, string] {
  const y = 2010 + Math.floor(i / 12);
  const m = (i % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return [`${y}-${mm}-01`, `${y}-${mm}-${last}`];
}

function* exposureCsv(): Generator<string> {
  yield 'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses\n';
  let buf = '';
  let n = 0;
  for (let d = 0; d < DEPLOYMENTS && n < ROWS; d++) {
    for (let p = 0; p < PERIODS && n < ROWS; p++, n++) {
      const [s, e] = month(p);
      buf += `BD-${d},${s},${e},${(400 + ((d * 7 + p * 13) % 300)).toFixed(1)},${1000 + p},${p % 5},${p % 3}\n`;
      if (buf.length > 1 << 16) { yield buf; buf = ''; }
    }
  }
  if (buf) yield buf;
}

async function prepare(db: Db) {
  await migrateLatest(db);
  await loadCatalog(db);
  await insertOrganization(db, { ref: 'BENCH-ORG', name: 'Bench', kind: 'enterprise', province: null });
  const robot = (await db('robot_models').first('code')).code;
  let csv = 'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n';
  for (let d = 0; d < DEPLOYMENTS; d++) csv += `BD-${d},BENCH-ORG,Guangdong,manufacturing.assembly,${robot},5,supervised,2010-01-01,\n`;
  await importHistory(db, 'system', 'deployments', 'csv', Readable.from([csv]), 10);
}

/** The file is generated once, before timing, and streamed in 64 KiB chunks as a request body would be. */
const FILE = Buffer.from([...exposureCsv()].join(''));
function* chunks(): Generator<Buffer> {
  for (let i = 0; i < FILE.length; i += 1 << 16) yield FILE.subarray(i, i + (1 << 16));
}

async function run(label: string, db: Db) {
  await prepare(db);
  const out: Record<string, string> = { label };
  for (const pass of ['new rows', 're-import unchanged']) {
    const t0 = performance.now();
    const r = await importHistory(db, 'system', 'exposures', 'csv', Readable.from(chunks()), 10);
    const s = (performance.now() - t0) / 1000;
    if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${r.rows}`);
    out[pass] = `${s.toFixed(1)} s, ${Math.round(ROWS / s).toLocaleString('en')} rows/s (inserted ${r.inserted}, unchanged ${r.unchanged})`;
  }
  out.file = `${(FILE.length / 2 ** 20).toFixed(1)} MiB CSV`;
  out.rss = `${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB RSS after the run`;
  console.log(JSON.stringify(out, null, 1));
}

const which = (process.env.TARGET ?? 'pglite,postgres').split(',');
if (which.includes('postgres')) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = createDb({ databaseUrl: PG_URL, poolMax: 1 });
  try {
    await admin.raw(`create schema ${schema}`);
    const db = createDb({ databaseUrl: PG_URL, schema });
    try { await run('PostgreSQL 15 (pg)', db); } finally { await db.destroy(); await admin.raw(`drop schema ${schema} cascade`); }
  } catch (e) {
    console.log(`PostgreSQL skipped: ${(e as Error).message}`);
  } finally {
    await admin.destroy();
  }
}
if (which.includes('pglite')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-bench-'));
  const db = createDb({ dataDir: dir });
  try { await run('PGlite (embedded, temp dir)', db); } finally { await db.destroy(); rmSync(dir, { recursive: true, force: true }); }
}
