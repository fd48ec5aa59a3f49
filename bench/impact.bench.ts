/**
 * Whole-book re-rating (services/impact.ts): N stored quotes re-rated under a candidate plan.
 * On a scratch PostgreSQL database (`roborisk_impact_bench`): the demo bootstrap, the three
 * example requests of bench/rerate/requests quoted through the quote service, then cloned in SQL
 * to N stored quotes whose first fleet line gets 1–40 units and 500–6,000 hours per unit (so the
 * quotes differ; the worksheets are the real ~60 KB ones), and one impact job run under a
 * candidate plan (the plan in force with the profit loading + 2 points). Prints quotes/s, the
 * wall time extrapolated to 100,000 quotes, and the CPU share of the process.
 * CANDIDATE=loadings (default): only the loadings change, so every quote is re-priced from its
 * stored aggregate; CANDIDATE=engine: the same loadings with the rule set uploaded again as a new
 * version, so every quote goes through the full rating engine.
 *   QUOTES=5000 CANDIDATE=engine BENCH_DB=roborisk_x npm run bench -- impact        (default 100000, loadings, roborisk_impact_bench)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from '../db/connection.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { authenticate, issueKey } from '../services/auth.ts';
import { createQuote } from '../services/quotes.ts';
import { createRatingPlan, listRatingPlans } from '../services/rating-plans.ts';
import { startImpact } from '../services/impact.ts';
import { getVersion } from '../db/repositories/versioned.ts';
import { createRuleset } from '../services/rulesets.ts';
import { QuoteRequest } from '../domain/schemas/index.ts';
import { nextPolicyYear, termYears } from '../domain/calendar.ts';
import { DEMO_ORGANIZATIONS } from '../seeds/catalog.ts';
import type { Principal } from '../domain/index.ts';

const QUOTES = Number(process.env.QUOTES ?? 100_000);
const CANDIDATE = process.env.CANDIDATE === 'engine' ? 'engine' : 'loadings';
const DB_NAME = process.env.BENCH_DB ?? 'roborisk_impact_bench';
if (!/^\w+$/.test(DB_NAME)) throw new Error('BENCH_DB: letters, digits, _');
const PG_ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const admin = new pg.Client({ connectionString: PG_ADMIN });
await admin.connect();
await admin.query(`drop database if exists ${DB_NAME}`);
await admin.query(`create database ${DB_NAME}`);
const url = new URL(PG_ADMIN);
url.pathname = `/${DB_NAME}`;
const db = createDb({ databaseUrl: url.toString() });
try {
  let t = Date.now();
  await bootstrap(db, { demo: true });
  console.log(`demo bootstrap ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const principalOf = async (role: 'underwriter' | 'actuary' | 'enterprise') => {
    const org = role === 'enterprise' ? DEMO_ORGANIZATIONS.find((o) => o.kind === 'enterprise')!.ref : null;
    return (await authenticate(db, (await issueKey(db, 'system', { role, organization_ref: org, label: 'impact bench' })).key)) as Principal;
  };
  const enterprise = await principalOf('enterprise');
  const underwriter = await principalOf('underwriter');
  const actuary = await principalOf('actuary');
  const dir = path.join(root, 'bench', 'rerate', 'requests');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const request = QuoteRequest.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
    request.period = nextPolicyYear(new Date(), Math.round(termYears(request.period)));
    await createQuote(db, request.organization_ref ? underwriter : enterprise, request, undefined);
  }
  t = Date.now();
  const base = (await db('quotes').count<{ n: number }[]>({ n: '*' }))[0].n;
  for (let made = Number(base); made < QUOTES; made += 1000) {
    const n = Math.min(1000, QUOTES - made);
    await db.raw(`
      insert into quotes (ref, organization_id, request, request_hash, decision, status, gross_premium, result, worksheet, versions, valid_until, created_by)
      select 'Q-' || to_char(now(), 'YYYYMMDD') || '-' || upper(lpad(to_hex(?::int + g), 8, '0')), q.organization_id, q.request, q.request_hash, q.decision, q.status, q.gross_premium, q.result,
        jsonb_set(jsonb_set(q.worksheet, '{inputs,request,fleet,0,units}', to_jsonb(1 + (g * 7919) % 40)), '{inputs,request,fleet,0,operating_hours_per_unit}', to_jsonb(500 + ((g * 104729) % 56) * 100)),
        q.versions, q.valid_until, 'impact-bench'
      from generate_series(1, ?) g join quotes q on q.id = (select min(id) from quotes) + g % 3`, [0x40000000 + made, n]);
  }
  await db.raw('analyze quotes');
  const total = (await db('quotes').count<{ n: number }[]>({ n: '*' }))[0].n;
  const size = (await db.raw("select pg_size_pretty(pg_total_relation_size('quotes')) as s")).rows[0].s;
  console.log(`${total} stored quotes (${size}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const active = (await listRatingPlans(db, { status: 'active', limit: 1 })).data[0];
  let rulesetId = active.plan.ruleset_id;
  if (CANDIDATE === 'engine') {
    const rs = await getVersion(db, 'rulesets', rulesetId);
    rulesetId = (await createRuleset(db, actuary, { ...(rs!.body as object), name: 'impact-bench-rules' })).id;
  }
  const candidate = await createRatingPlan(db, actuary, { ...active.plan, name: 'impact-bench', ruleset_id: rulesetId, loadings: { ...active.plan.loadings, profit: active.plan.loadings.profit + 0.02 } });
  const today = new Date().toISOString().slice(0, 10);
  const cpu = process.cpuUsage();
  t = Date.now();
  let last = 0;
  const { job, finished } = await startImpact(db, actuary, candidate.id, { from: today, to: today }, (done, all) => {
    if (Date.now() - last > 10_000) { last = Date.now(); console.log(`  ${done} of ${all} (${((Date.now() - t) / 1000).toFixed(0)} s)`); }
  });
  await finished;
  const wall = (Date.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const row = await db('impact_jobs').where({ id: job.id }).first();
  const r = row.result;
  console.log(JSON.stringify({
    candidate: CANDIDATE, quotes: r.quotes, rerated: r.rerated, failed: r.failed, method: r.method, status: row.status,
    wall_s: +wall.toFixed(1), quotes_per_s: +(r.quotes / wall).toFixed(0),
    cpu_ms_per_quote: +((used.user + used.system) / 1000 / r.quotes).toFixed(2),
    extrapolated_100k_s: +((100_000 / r.quotes) * wall).toFixed(0),
    total_change: r.total.relative_change, p50: r.change.percentiles.p50, decisions_changed: r.decisions.changed,
  }, null, 1));
} finally {
  await db.destroy();
  await admin.query(`drop database if exists ${DB_NAME}`);
  await admin.end();
}
