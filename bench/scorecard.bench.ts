/**
 * Validation scorecard latency over 1,000,000 exposure rows on PostgreSQL: 10,000 deployments of
 * 60 organizations, the 12 robot models spread over the 18 scenario classes, 100 monthly periods
 * each (software 1.0, then 2.0 from period 60 for a third of the deployments, downtime on half
 * the rows), 200,000 incidents. Written with set-returning SQL (the import path is measured by
 * bench/import.bench.ts and bench/statistics.bench.ts); then GET /v1/scorecards through the HTTP
 * app as an actuary (every cell with credibility, P(best) and verdicts), as a regulator
 * (disclosure control) and by software version; median of repeated calls after a warm-up. The
 * rows bypass the imports, so scorecard_deployment_summary is then built from them (timed).
 * Target (issue 13): the full scorecard < 500 ms.
 *   npm run bench -- scorecard        ROWS=200000 npm run bench -- scorecard
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createDb } from '../db/connection.ts';
import { DEFAULT_TIMEOUTS } from '../db/timeouts.ts';
import { migrateLatest } from '../db/migrate.ts';
import { loadCatalog } from '../services/seed-catalog.ts';
import { issueKey } from '../services/auth.ts';
import { createApp } from '../api/app.ts';
import { loadConfig } from '../config/index.ts';
import { refreshScorecardSummary } from '../db/repositories/scorecard-summary.ts';
import { scorecardOrgRows, scorecardOrgRowsFromRawRows } from '../db/repositories/scorecard.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PERIODS = 100;
const DEPLOYMENTS = Math.ceil(ROWS / PERIODS);
const INCIDENTS = Math.round(ROWS / 5);
const ORGS = 60;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REPEAT = Number(process.env.REPEAT ?? 9);

const schema = `bench_${randomBytes(4).toString('hex')}`;
const admin = createDb({ databaseUrl: PG_URL, poolMax: 1 });
await admin.raw(`create schema ${schema}`);
// long statements allowed: the set-returning load of a million rows outlasts the default limit on a busy machine
const db = createDb({ databaseUrl: PG_URL, schema, timeouts: { ...DEFAULT_TIMEOUTS, statementMs: 900_000 } });
try {
  const t0 = performance.now();
  await migrateLatest(db);
  await loadCatalog(db);
  await db('organizations').insert(Array.from({ length: ORGS }, (_, i) => ({ ref: `SO-${i}`, name: `Org ${i}`, kind: 'enterprise' })));
  // deployment d: organization d mod 60, class d mod 18, robot model (d / 18) mod 12
  await db.raw(`
    insert into deployments (ref, organization_id, scenario_class_id, robot_model_id, units, autonomy_level, province, start_date, integrator_ref)
    select 'SD-' || d, o.id, c.id, r.id, 5, 'supervised', null, date '2010-01-01', 'INT-' || (d % 5)
    from generate_series(0, ? - 1) d
    join (select id, row_number() over (order by ref) - 1 as k from organizations where ref like 'SO-%') o on o.k = d % ?
    join (select id, row_number() over (order by code) - 1 as k from scenario_classes) c on c.k = d % 18
    join (select id, row_number() over (order by code) - 1 as k from robot_models) r on r.k = (d / 18) % 12`, [DEPLOYMENTS, ORGS]);
  await db.raw(`
    insert into exposures (deployment_id, period_start, period_end, operating_hours, task_cycles, protective_stops, near_misses, software_version, downtime_hours)
    select dp.id, (date '2010-01-01' + make_interval(months => p))::date, (date '2010-01-01' + make_interval(months => p + 1) - interval '1 day')::date,
      round((300 + 400 * random())::numeric, 1)::float8, 1000, (random() * 6)::int, (random() * 2)::int,
      case when dp.id % 3 = 0 and p >= 60 then '2.0' else '1.0' end,
      case when p % 2 = 0 then round((random() * 5)::numeric, 2)::float8 end
    from deployments dp cross join generate_series(0, ? - 1) p where dp.ref like 'SD-%'`, [PERIODS]);
  await db.raw(`
    insert into incidents (ref, deployment_id, occurred_at, incident_type, severity_level, bodily_injury_count, status)
    select 'SI-' || i, (select min(id) from deployments) + (random() * (? - 1))::int,
      timestamptz '2010-01-01 10:00:00+00' + make_interval(days => (random() * 3000)::int), 'fall', (i % 5), (i % 97 = 0)::int, 'closed'
    from generate_series(0, ? - 1) i`, [DEPLOYMENTS, INCIDENTS]);
  // the rows bypass the imports: build scorecard_deployment_summary as the migration does
  const ts = performance.now();
  await refreshScorecardSummary(db, null);
  console.log(`scorecard_deployment_summary built from the raw rows in ${((performance.now() - ts) / 1000).toFixed(1)} s`);
  await db.raw('analyze');
  console.log(`loaded ${ROWS.toLocaleString('en')} exposure rows, ${INCIDENTS.toLocaleString('en')} incidents, ${DEPLOYMENTS.toLocaleString('en')} deployments in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const config = loadConfig({ LOG_LEVEL: 'silent', ROBORISK_DEMO: 'false', DATABASE_URL: PG_URL, KEY_RATE_LIMIT: '0' });
  const app = createApp({ db, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actuary = (await issueKey(db, 'system', { role: 'actuary', organization_ref: null })).key;
  const regulator = (await issueKey(db, 'system', { role: 'regulator', organization_ref: null })).key;
  const time = async (label: string, key: string, query: string) => {
    const ms: number[] = [];
    let cells = 0;
    for (let i = 0; i <= REPEAT; i++) {
      const t = performance.now();
      const r = await fetch(`${base}/v1/scorecards${query}`, { headers: { Authorization: `Bearer ${key}` } });
      const body = await r.json() as { cells: unknown[] };
      if (r.status !== 200) throw new Error(`${label}: HTTP ${r.status} ${JSON.stringify(body)}`);
      if (i > 0) ms.push(performance.now() - t); // the first call warms the caches and the JIT
      cells = body.cells.length;
    }
    ms.sort((a, b) => a - b);
    console.log(`${label.padEnd(52)} ${cells} cells  median ${ms[Math.floor(ms.length / 2)].toFixed(0)} ms  (min ${ms[0].toFixed(0)}, max ${ms.at(-1)!.toFixed(0)})`);
  };
  await time('GET /v1/scorecards (actuary, model × class)', actuary, '');
  await time('GET /v1/scorecards (regulator, disclosure control)', regulator, '');
  await time('GET /v1/scorecards?level=scenario_area', actuary, '?level=scenario_area');
  await time('GET /v1/scorecards?by_software_version=true', actuary, '?by_software_version=true');
  // the SQL alone: from scorecard_deployment_summary against the raw-row query it replaced, in the same run
  for (const bySoftwareVersion of [false, true]) {
    const med = async (f: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i <= 5; i++) { const t = performance.now(); await f(); if (i > 0) ms.push(performance.now() - t); }
      ms.sort((a, b) => a - b);
      return ms[Math.floor(ms.length / 2)];
    };
    const sum = await med(() => scorecardOrgRows(db, { bySoftwareVersion }));
    const raw = await med(() => scorecardOrgRowsFromRawRows(db, { bySoftwareVersion }));
    console.log(`SQL per cell × organization${bySoftwareVersion ? ' by version' : ''}: summary ${sum.toFixed(0)} ms, raw rows ${raw.toFixed(0)} ms (ratio ${(raw / sum).toFixed(1)})`);
  }
  server.close();
} finally {
  await db.destroy();
  if (process.env.KEEP_SCHEMA) console.log(`kept schema ${schema}`);
  else await admin.raw(`drop schema ${schema} cascade`);
  await admin.destroy();
}
