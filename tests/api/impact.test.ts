/**
 * Whole-book re-rating (POST /v1/rating-plans/{id}/impact, GET /v1/impact-jobs/{id}): the
 * stored quotes of a period re-rated under a candidate plan, on the demo history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { dayOf } from '../../domain/calendar.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);
const today = () => dayOf(new Date());

interface Job { id: number; status: string; total: number; done: number; progress: number; result: Report | null }
interface Sums { quotes: number; old_premium: number; new_premium: number; change: number; relative_change: number | null }
interface Report {
  quotes: number; rerated: number; failed: number; method: { stored_aggregate: number; engine: number }; total: Sums;
  change: { mean: number; percentiles: Record<string, number>; histogram: { from: number | null; to: number | null; count: number }[] };
  by_scenario_class: Record<string, Sums>; by_coverage: Record<string, Sums>;
  decisions: { changed: number; transitions: Record<string, number> };
  largest_movers: { ref: string; old_premium: number; new_premium: number }[];
}

async function activePlan() {
  const r = await api().get('/v1/rating-plans').query({ status: 'active' }).set(bearer(ctx.keys.actuary));
  return r.body.data[0] as { id: number; plan: Record<string, unknown> & { loadings: Record<string, number> } };
}

async function candidate(loadings: Record<string, number>) {
  const active = await activePlan();
  const r = await api().post('/v1/rating-plans').set(bearer(ctx.keys.actuary))
    .send({ ...active.plan, name: `candidate-${Math.random().toString(36).slice(2, 8)}`, loadings: { ...active.plan.loadings, ...loadings } });
  expect(r.status, r.text).toBe(201);
  return r.body.id as number;
}

async function runJob(planId: number, from = today(), to = today()): Promise<Job> {
  const start = await api().post(`/v1/rating-plans/${planId}/impact`).set(bearer(ctx.keys.actuary)).send({ from, to });
  expect(start.status, start.text).toBe(202);
  expect(start.body).toMatchObject({ rating_plan_id: planId, status: 'running', period: { from, to } });
  for (let i = 0; i < 600; i++) {
    const r = await api().get(`/v1/impact-jobs/${start.body.id}`).set(bearer(ctx.keys.actuary));
    expect(r.status).toBe(200);
    if (r.body.status !== 'running') return r.body as Job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('impact job did not finish');
}

const stored: { ref: string; gross: number }[] = [];

describe('whole-book re-rating', () => {
  beforeAll(async () => {
    for (const units of [2, 10, 30]) {
      const body = baseQuoteRequest();
      body.fleet[0].units = units;
      const r = await api().post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(body);
      expect(r.status, r.text).toBe(201);
      stored.push({ ref: r.body.ref, gross: r.body.premium.total.gross_premium });
    }
  }, 120_000);

  it('under a copy of the plan in force, every quote keeps its premium (to the cent) and decision', async () => {
    const job = await runJob(await candidate({}));
    expect(job).toMatchObject({ status: 'done', total: 3, done: 3, progress: 1 });
    const r = job.result!;
    expect(r).toMatchObject({ quotes: 3, rerated: 3, failed: 0, method: { stored_aggregate: 3, engine: 0 }, decisions: { changed: 0, transitions: { 'quoted→quoted': 3 } } });
    expect(r.total.old_premium).toBeCloseTo(stored.reduce((s, q) => s + q.gross, 0), 2);
    expect(r.total.change).toBe(0);
    expect(Object.values(r.change.percentiles).every((p) => p === 0)).toBe(true);
    expect(r.change.histogram.reduce((s, b) => s + b.count, 0)).toBe(3);
    expect(Object.keys(r.by_coverage).sort()).toEqual(['business_interruption', 'robot_damage', 'third_party_liability']);
    expect(Object.keys(r.by_scenario_class).sort()).toEqual(['manufacturing.assembly', 'warehousing_logistics.picking']);
  });

  it('a higher profit loading raises every premium; the report splits the change by coverage and class, CSV too', async () => {
    const active = await activePlan();
    const job = await runJob(await candidate({ profit: active.plan.loadings.profit + 0.1 }));
    const r = job.result!;
    expect(r.rerated).toBe(3);
    expect(r.change.percentiles.p1).toBeGreaterThan(0.05);
    expect(r.total.new_premium).toBeGreaterThan(r.total.old_premium * 1.05);
    for (const s of [...Object.values(r.by_coverage), ...Object.values(r.by_scenario_class)]) expect(s.change).toBeGreaterThan(0);
    // coverage sums add up to the total (each line's premium in exactly one coverage)
    expect(Object.values(r.by_coverage).reduce((s, c) => s + c.new_premium, 0)).toBeCloseTo(r.total.new_premium, 0);
    expect(r.largest_movers.map((m) => m.ref).sort()).toEqual(stored.map((q) => q.ref).sort());
    // the largest fleet moves most in CNY
    expect(r.largest_movers[0].ref).toBe(stored[2].ref);

    const csv = await api().get(`/v1/impact-jobs/${job.id}`).set(bearer(ctx.keys.actuary)).set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('section,key,quotes,old_premium,new_premium,change,relative_change');
    expect(lines.find((l) => l.startsWith('total,all,3,'))).toBeDefined();
    expect(lines.filter((l) => l.startsWith('coverage,'))).toHaveLength(3);
  });

  it('a loadings-only candidate is priced from the stored aggregates, as the full engine prices it', async () => {
    const active = await activePlan();
    const loadings = { profit: active.plan.loadings.profit + 0.03, cost_of_capital: 0.11, tax: 0.03 };
    const fast = (await runJob(await candidate(loadings))).result!;
    // the same rules uploaded again are a new rule set version: every quote goes through the full engine
    const rules = await api().get(`/v1/rulesets/${active.plan.ruleset_id as number}`).set(bearer(ctx.keys.actuary));
    expect(rules.status, rules.text).toBe(200);
    const copy = await api().post('/v1/rulesets').set(bearer(ctx.keys.actuary)).send({ ...rules.body.ruleset, name: `copy-${Math.random().toString(36).slice(2, 8)}` });
    expect(copy.status, copy.text).toBe(201);
    const r = await api().post('/v1/rating-plans').set(bearer(ctx.keys.actuary))
      .send({ ...active.plan, name: `engine-${Math.random().toString(36).slice(2, 8)}`, ruleset_id: copy.body.id, loadings: { ...active.plan.loadings, ...loadings } });
    expect(r.status, r.text).toBe(201);
    const full = (await runJob(r.body.id as number)).result!;
    expect(fast.method).toEqual({ stored_aggregate: 3, engine: 0 });
    expect(full.method).toEqual({ stored_aggregate: 0, engine: 3 });
    expect(fast.total.new_premium).toBeGreaterThan(fast.total.old_premium);
    expect(fast.total).toEqual(full.total);
    expect(fast.by_coverage).toEqual(full.by_coverage);
    expect(fast.by_scenario_class).toEqual(full.by_scenario_class);
    expect(fast.largest_movers).toEqual(full.largest_movers);
    expect(fast.decisions).toEqual(full.decisions);
  });

  it('quotes outside the period are left out; unknown plans and jobs are 404; only actuaries may run it', async () => {
    const plan = (await activePlan()).id;
    const empty = await runJob(plan, '2001-01-01', '2001-12-31');
    expect(empty).toMatchObject({ status: 'done', total: 0, progress: 1, result: { quotes: 0, rerated: 0 } });
    expect((await api().post('/v1/rating-plans/999999/impact').set(bearer(ctx.keys.actuary)).send({ from: today(), to: today() })).status).toBe(404);
    expect((await api().get('/v1/impact-jobs/999999').set(bearer(ctx.keys.actuary))).status).toBe(404);
    expect((await api().post(`/v1/rating-plans/${plan}/impact`).set(bearer(ctx.keys.underwriter)).send({ from: today(), to: today() })).status).toBe(403);
    const bad = await api().post(`/v1/rating-plans/${plan}/impact`).set(bearer(ctx.keys.actuary)).send({ from: today(), to: '2001-01-01' });
    expect(bad.status).toBe(422);
  });
});
