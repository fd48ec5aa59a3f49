/**
 * Regulator statistics latency over 1,000,000 exposure rows on PostgreSQL: 10,000 deployments
 * of 60 organizations across the 18 scenario classes × 100 monthly periods, 200,000 incidents,
 * loaded through the import service; then GET /v1/statistics/* through the HTTP app, median of
 * repeated calls. Target (issue): < 300 ms. Monthly series come from exposure_month_summary (kept
 * by the imports); the load time therefore includes its maintenance. Loss ratios run on 20,000
 * bound quotes (QUOTES=…) of those organizations, written as the quote service stores them (the
 * triggers of migration 20261130000100 fill bound_quote_lines): 1–3 fleet lines in the
 * organization's classes (two lines may share a class), 1–3 coverages, mostly annual policies
 * starting on any day of the history, so policies of one organization and class overlap.
 *   npm run bench -- statistics        ROWS=200000 QUOTES=5000 npm run bench -- statistics
 * BENCH_SCHEMA=<name> loads into that schema and keeps it; run again with the same name, the
 * queries run on the loaded history (no reload, no small imports) — for EXPLAIN
 * (bench/explain-statistics.ts) and repeated query runs.
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createDb } from '../db/connection.ts';
import { migrateLatest } from '../db/migrate.ts';
import { loadCatalog } from '../services/seed-catalog.ts';
import { importHistory } from '../services/imports.ts';
import { issueKey } from '../services/auth.ts';
import { createApp } from '../api/app.ts';
import { loadConfig } from '../config/index.ts';
import { SCENARIO_CLASSES } from '../seeds/catalog.ts';
import { INCIDENT_TYPES } from '../domain/index.ts';
import { createRng } from '../models/random.ts';
import { disclosureRulesOf } from '../services/disclosure.ts';
import { rateStructure, severityStructure } from '../services/protected-tables.ts';
import { warmStatistics } from '../services/statistics-warmer.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PERIODS = 100;
const DEPLOYMENTS = Math.ceil(ROWS / PERIODS);
const INCIDENTS = Math.round(ROWS / 5);
const ORGS = 60;
const QUOTES = Number(process.env.QUOTES ?? 20_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REPEAT = 7;

const month = (i: number) => {
  const y = 2010 + Math.floor(i / 12);
  const m = (i % 12) + 1;
  const mm = String(m).padStart(2, '0');
  return [`${y}-${mm}-01`, `${y}-${mm}-${new Date(Date.UTC(y, m, 0)).getUTCDate()}`];
};

const KEEP = process.env.BENCH_SCHEMA;
if (KEEP && !/^[a-z_][a-z0-9_]*$/.test(KEEP)) throw new Error('BENCH_SCHEMA: a lower-case SQL identifier');
const schema = KEEP ?? `bench_${randomBytes(4).toString('hex')}`;
const admin = createDb({ databaseUrl: PG_URL, poolMax: 1 });
// loaded = its bound quotes, written last, are there (a load that failed half-way is loaded again into a fresh schema)
const loaded = KEEP !== undefined && (await admin.raw(`select exists (select 1 from pg_tables where schemaname = ? and tablename = 'quotes') as x`, [KEEP])).rows[0].x
  && Number((await admin.raw(`select count(*) as n from ${KEEP}.quotes`)).rows[0].n) > 0;
if (KEEP && !loaded) await admin.raw(`drop schema if exists ${KEEP} cascade`);
if (!loaded) await admin.raw(`create schema if not exists ${schema}`);
const db = createDb({ databaseUrl: PG_URL, schema });
try {
  if (loaded) {
    await migrateLatest(db);
    console.log(`schema ${schema}: loaded history reused`);
  } else await load();
  await queries();
} finally {
  await db.destroy();
  if (!KEEP) await admin.raw(`drop schema ${schema} cascade`);
  await admin.destroy();
}

async function load() {
  const t0 = performance.now();
  await migrateLatest(db);
  await loadCatalog(db);
  await db('organizations').insert(Array.from({ length: ORGS }, (_, i) => ({ ref: `SO-${i}`, name: `Org ${i}`, kind: 'enterprise' })));
  const rng = createRng(7);
  let dep = 'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n';
  for (let d = 0; d < DEPLOYMENTS; d++) {
    dep += `SD-${d},SO-${d % ORGS},${SCENARIO_CLASSES[d % SCENARIO_CLASSES.length].code},LMD-B300,5,supervised,2010-01-01,\n`;
  }
  await importHistory(db, 'system', 'deployments', 'csv', Readable.from([dep]), 10);
  function* exposures() {
    yield 'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses\n';
    let buf = '';
    for (let d = 0; d < DEPLOYMENTS; d++) {
      for (let p = 0; p < PERIODS; p++) {
        const [s, e] = month(p);
        buf += `SD-${d},${s},${e},${(300 + 400 * rng.uniform()).toFixed(1)},1000,3,1\n`;
        if (buf.length > 1 << 16) { yield buf; buf = ''; }
      }
    }
    yield buf;
  }
  await importHistory(db, 'system', 'exposures', 'csv', Readable.from(exposures()), 10);
  function* incidents() {
    yield 'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,robot_damage,third_party_property_damage,status,paid\n';
    let buf = '';
    for (let i = 0; i < INCIDENTS; i++) {
      const d = Math.floor(rng.uniform() * DEPLOYMENTS);
      const [s] = month(Math.floor(rng.uniform() * PERIODS));
      const amount = Math.exp(rng.normal(9, 1.2)).toFixed(2);
      buf += `SI-${i},SD-${d},${s}T10:00:00Z,${INCIDENT_TYPES[i % INCIDENT_TYPES.length]},${i % 5},${amount},0,closed,${amount}\n`;
      if (buf.length > 1 << 16) { yield buf; buf = ''; }
    }
    yield buf;
  }
  await importHistory(db, 'system', 'incidents', 'csv', Readable.from(incidents()), 10);

  // bound quotes: organization SO-o has deployments in classes o, o + 6 and o + 12 (mod 18)
  const tq = performance.now();
  const orgIds = new Map((await db('organizations').select('id', 'ref')).map((o: { id: number; ref: string }) => [o.ref, o.id]));
  const COVS = ['robot_damage', 'third_party_liability', 'business_interruption'];
  const qrng = createRng(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(qrng.uniform() * xs.length)];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const historyDays = (Date.UTC(2018, 3, 30) - Date.UTC(2010, 0, 1)) / 86_400_000;
  let batch: Record<string, unknown>[] = [];
  for (let n = 0; n < QUOTES; n++) {
    const o = n % ORGS;
    const startMs = Date.UTC(2010, 0, 1) + Math.floor(qrng.uniform() * historyDays) * 86_400_000;
    const days = qrng.uniform() < 0.8 ? 365 : 90 + Math.floor(qrng.uniform() * 640);
    const classes = Array.from({ length: 1 + Math.floor(qrng.uniform() * 3) }, () => SCENARIO_CLASSES[(o + 6 * Math.floor(qrng.uniform() * 3)) % SCENARIO_CLASSES.length].code);
    const covs = COVS.filter((c, i) => i === 0 ? qrng.uniform() < 0.9 : qrng.uniform() < 0.5);
    if (covs.length === 0) covs.push(pick(COVS));
    const lines = classes.flatMap((_, li) => covs.map((coverage) => ({ line: li + 1, coverage, gross_premium: Math.round(100_000 + 4_900_000 * qrng.uniform()) / 100 })));
    const total = Math.round(lines.reduce((s, l) => s + l.gross_premium, 0) * 100) / 100;
    batch.push({
      ref: `BQ-${n}`, organization_id: orgIds.get(`SO-${o}`), request_hash: `BQ-${n}`, decision: 'quoted', status: 'bound', gross_premium: total,
      request: JSON.stringify({ organization_ref: `SO-${o}`, basis: 'annual', period: { start: day(startMs), end: day(startMs + (days - 1) * 86_400_000) },
        fleet: classes.map((scenario_class) => ({ robot_model: 'LMD-B300', scenario_class, units: 5, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: {} })),
        coverages: covs.map((coverage) => ({ coverage, deductible: 0, per_occurrence_limit: 500_000 })) }),
      result: JSON.stringify({ decision: 'quoted', reasons: [], premium: { currency: 'CNY', lines, total: { gross_premium: total } } }),
      worksheet: '{}', versions: '{}', valid_until: new Date(startMs), created_by: 'bench', bound_at: new Date(startMs),
    });
    if (batch.length === 1000 || n === QUOTES - 1) { await db('quotes').insert(batch); batch = []; }
  }
  const nLines = Number((await db('bound_quote_lines').count('* as n'))[0].n);
  console.log(`${QUOTES.toLocaleString('en')} bound quotes (${nLines.toLocaleString('en')} bound lines × coverages) written in ${((performance.now() - tq) / 1000).toFixed(1)} s`);

  await db.raw('analyze');
  console.log(`loaded ${ROWS.toLocaleString('en')} exposure rows, ${INCIDENTS.toLocaleString('en')} incidents in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  // small imports on the loaded history: what keeping the monthly summary costs per change
  const timed = async (label: string, kind: 'deployments' | 'exposures', csv: string) => {
    const t = performance.now();
    await importHistory(db, 'system', kind, 'csv', Readable.from([csv]), 10);
    console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms`);
  };
  let upd = 'deployment_ref,period_start,period_end,operating_hours\n';
  for (let p = 0; p < PERIODS; p++) upd += `SD-1,${month(p)[0]},${month(p)[1]},${p % 10 === 0 ? 0 : 123.5}\n`;
  await timed(`exposures import, 1 deployment × ${PERIODS} months changed`, 'exposures', upd);
  await timed('exposures import, 1 row changed', 'exposures', `deployment_ref,period_start,period_end,operating_hours\nSD-2,${month(5)[0]},${month(5)[1]},77\n`);
  await timed(`deployments import, 1 deployment moved to another organization and class (${PERIODS} months × 2 keys)`, 'deployments',
    `deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\nSD-3,SO-7,${SCENARIO_CLASSES[5].code},LMD-B300,5,supervised,2010-01-01,\n`);
  await db.raw('analyze');
}

async function queries() {
  const key = (await issueKey(db, 'system', { role: 'regulator' })).key;
  const app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const queries = [
    '/v1/statistics/incident-rates?group_by=scenario_area',
    '/v1/statistics/incident-rates?group_by=scenario_area,period&period_unit=year',
    '/v1/statistics/incident-rates?group_by=scenario_class,incident_type&period_unit=year',
    '/v1/statistics/incident-rates?group_by=scenario_area,period&period_unit=month&from=2015-01-01&to=2015-12-31',
    '/v1/statistics/incident-rates?group_by=scenario_area,period&period_unit=month',
    '/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=month',
    '/v1/statistics/severity?coverage=robot_damage&group_by=scenario_area,severity_level',
    '/v1/statistics/severity?coverage=robot_damage&group_by=scenario_class,period&period_unit=quarter',
    '/v1/statistics/loss-ratios?group_by=scenario_area&period_unit=year',
    '/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=year',
    '/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=quarter&from=2015-01-01&to=2015-12-31',
    '/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=month',
  ];
  const rows: string[] = [];
  for (const q of queries) {
    const times: number[] = [];
    let cells = 0;
    for (let i = 0; i < REPEAT; i++) {
      const t = performance.now();
      const r = await fetch(base + q, { headers: { authorization: `Bearer ${key}` } });
      const body = await r.json() as { cells: unknown[] };
      times.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`${q}: ${r.status} ${JSON.stringify(body)}`);
      cells = body.cells.length;
    }
    const first = times[0];
    times.sort((a, b) => a - b);
    rows.push(`| \`${q.replace('/v1/statistics/', '')}\` | ${cells} | ${times[Math.floor(REPEAT / 2)].toFixed(0)} ms | ${times[0].toFixed(0)}–${times[REPEAT - 1].toFixed(0)} ms | ${first.toFixed(0)} ms |`);
  }
  // first call: the first query of a route after a change builds its protected linked structure (services/protected-tables.ts)
  console.log('| query | cells | median | min–max | first call |\n|---|---|---|---|---|\n' + rows.join('\n'));
  // the protected structures the queries used (cached: no rebuild here), and the cost of a warm lookup
  const rules = disclosureRulesOf(loadConfig({ LOG_LEVEL: 'silent' }));
  for (const [name, get] of [['incident rates', () => rateStructure(db, rules)], ['severity robot_damage', () => severityStructure(db, 'robot_damage', rules)]] as const) {
    const t = performance.now();
    const st = await get();
    console.log(`${name}: ${st.cells.size} cells (${st.finest.length} finest), ${st.primary} primary + ${st.complementary} complementary withheld, LP-checked ${st.lpAudited}; warm lookup (version check) ${(performance.now() - t).toFixed(1)} ms`);
  }
  // what the server's statistics warmer (services/statistics-warmer.ts) does in the background after a change:
  // every cache built at once, so that no regulator query pays it (the hours differ on every run: an import that
  // changes nothing bumps no version)
  await importHistory(db, 'system', 'exposures', 'csv', Readable.from([`deployment_ref,period_start,period_end,operating_hours\nSD-2,${month(5)[0]},${month(5)[1]},${70 + (Date.now() % 1000) / 100}\n`]), 10);
  const tw = performance.now();
  await warmStatistics(db, rules);
  console.log(`all caches rebuilt after a 1-row import (the warmer's work, off the request path): ${(performance.now() - tw).toFixed(0)} ms`);
  server.close();
}
