/**
 * Pricing on irregular histories: deployments that start and stop in other months than their
 * class peers, pause, or report zero hours. Regression tests for findings of the pricing issue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const csv = (rows: string[]) => `${rows.join('\n')}\n`;
const post = (path: string, body: string) => request(ctx.baseUrl).post(path).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);

describe('a deployment whose months differ from its class peers', () => {
  it('starts in March, pauses in May, logs a zero-hour month: the class still prices (no 500) and the organization gets credibility', async () => {
    const dep = await post('/v1/imports/deployments', csv([
      'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
      'IRR-1,ORG-A,Guangdong,manufacturing.assembly,LMD-B300,4,supervised,2025-03-01,',
    ]));
    expect(dep.status, JSON.stringify(dep.body)).toBe(200);
    const exp = await post('/v1/imports/exposures', csv([
      'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses',
      'IRR-1,2025-03-01,2025-03-31,1800,9000,20,1',
      'IRR-1,2025-04-01,2025-04-30,1750,8800,18,0',
      'IRR-1,2025-06-01,2025-06-30,0,0,0,0',
      'IRR-1,2025-07-01,2025-07-31,1900,9500,25,2',
      'IRR-1,2026-02-01,2026-02-28,1600,8000,15,1',
    ]));
    expect(exp.status, JSON.stringify(exp.body)).toBe(200);

    const q = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(baseQuoteRequest());
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    const ws = await request(ctx.baseUrl).get(`/v1/quotes/${q.body.ref}/worksheet`).set(bearer(ctx.keys.underwriter));
    expect(ws.status).toBe(200);
    const line = JSON.stringify(ws.body);
    expect(line).toContain('credibility_factor');
    expect(q.body.premium.total.gross_premium).toBeGreaterThan(0);
  });
});

describe('claim counts per coverage', () => {
  it('each coverage uses its own model\'s count distribution, so the order of coverages changes nothing', async () => {
    const body = baseQuoteRequest();
    const reversed = { ...body, coverages: [...body.coverages].reverse() };
    const a = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(body);
    const b = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(reversed);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.premium.total.gross_premium).toBe(a.body.premium.total.gross_premium);
    for (const c of body.coverages) expect(b.body.premium.coverages[c.coverage]).toEqual(a.body.premium.coverages[c.coverage]);
    const ws = await request(ctx.baseUrl).get(`/v1/quotes/${a.body.ref}/worksheet`).set(bearer(ctx.keys.underwriter));
    const thetas = new Set<string>();
    for (const cov of ws.body.lines[0].coverages) {
      const model = ws.body.inputs.models[cov.coverage].frequency;
      expect(cov.claim_count_model).toEqual(model.family === 'negative_binomial' ? { dist: 'negative-binomial', theta: model.theta } : { dist: 'poisson' });
      thetas.add(JSON.stringify(cov.claim_count_model));
    }
    expect(thetas.size).toBeGreaterThan(1); // the demo plan's coverages do differ, so the test can see the old bug
  });
});

describe('multi-year periods', () => {
  const quoteWith = (period: { start: string; end: string }, hours: number) => {
    const body = baseQuoteRequest();
    return request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.underwriter)).send({
      ...body, organization_ref: 'ORG-A', period, fleet: body.fleet.map((l) => ({ ...l, operating_hours_per_unit: hours })),
    });
  };
  const fired = async (ref: string) => {
    const ws = await request(ctx.baseUrl).get(`/v1/quotes/${ref}/worksheet`).set(bearer(ctx.keys.underwriter));
    return (ws.body.rules.fired as { rule: string }[]).map((f) => f.rule);
  };

  it('8,000 h over two years is 4,000 h a year: the "> 6,000 h per robot per year" loading does not fire; over one year it does', async () => {
    const two = await quoteWith({ start: '2027-01-01', end: '2028-12-31' }, 8000);
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect(await fired(two.body.ref)).not.toContain('load_continuous_operation');
    const one = await quoteWith({ start: '2027-01-01', end: '2027-12-31' }, 8000);
    expect(one.status).toBe(201);
    expect(await fired(one.body.ref)).toContain('load_continuous_operation');
  });

  it('three years of near-continuous operation (3 × 8,784 h) prices: no 500', async () => {
    const r = await quoteWith({ start: '2027-01-01', end: '2029-12-31' }, 3 * 8784);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});
