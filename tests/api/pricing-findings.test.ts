/**
 * Pricing on irregular histories: deployments that start and stop in other months than their
 * class peers, pause, or report zero hours. Regression tests for findings of the pricing issue.
 */
import { addDays, dayOf, nextPolicyYear } from '../../domain/calendar.ts';
import { pdfText } from '../helpers/pdf.ts';
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
    // months without hours are stored as null (JSON has no NaN); re-rating the stored inputs reads them as missing
    const stored = ws.body.inputs.credibility.robot_damage['manufacturing.assembly'];
    expect(stored.ratios.flat()).toContain(null);
    const rr = await request(ctx.baseUrl).post(`/v1/quotes/${q.body.ref}/rerate`).set(bearer(ctx.keys.underwriter));
    expect(rr.status, JSON.stringify(rr.body)).toBe(200);
    expect(rr.body.identical).toBe(true);
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
    const two = await quoteWith(nextPolicyYear(new Date(), 2), 8000);
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect(await fired(two.body.ref)).not.toContain('load_continuous_operation');
    const one = await quoteWith(nextPolicyYear(), 8000);
    expect(one.status).toBe(201);
    expect(await fired(one.body.ref)).toContain('load_continuous_operation');
  });

  it('three years of near-continuous operation (3 × 8,784 h) prices: no 500', async () => {
    const r = await quoteWith(nextPolicyYear(new Date(), 3), 3 * 8784);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});

describe('policy periods', () => {
  const today = dayOf(new Date());
  const send = (period: { start: string; end: string }, key = ctx.keys.enterprise, extra: Record<string, unknown> = {}) =>
    request(ctx.baseUrl).post('/v1/quotes').set(bearer(key)).send({ ...baseQuoteRequest(), period, ...extra, ...(key === ctx.keys.underwriter ? { organization_ref: 'ORG-A' } : {}) });
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  it('a period in the past is refused with a 422 naming period.start (it was quoted and bindable); writes nothing', async () => {
    const before = await ctx.db('quotes').count('* as n');
    const r = await send({ start: '1999-01-01', end: '1999-12-31' });
    expect(r.status).toBe(422);
    expect(fieldsOf(r.body)).toEqual(['period.start']);
    const yesterday = await send({ start: addDays(today, -1), end: addDays(today, 363) });
    expect(yesterday.status).toBe(422);
    expect((await ctx.db('quotes').count('* as n'))[0].n).toBe(before[0].n);
  });

  it('a period starting more than a year ahead is refused; exactly a year ahead is accepted', async () => {
    const far = await send({ start: addDays(today, 366), end: addDays(today, 730) });
    expect(far.status).toBe(422);
    expect(fieldsOf(far.body)).toEqual(['period.start']);
    expect((await send({ start: addDays(today, 365), end: addDays(today, 729) })).status).toBe(201);
  });

  it('an underwriter may backdate explicitly: recorded in the worksheet and the audit trail; an enterprise may not', async () => {
    const period = { start: addDays(today, -30), end: addDays(today, 334) };
    const backdating = { reason: 'Fleet on risk since last month; no incidents reported (site visit)' };
    expect(fieldsOf((await send(period, ctx.keys.enterprise, { backdating })).body)).toEqual(['backdating']);
    expect((await send(period, ctx.keys.underwriter)).status).toBe(422);
    const ok = await send(period, ctx.keys.underwriter, { backdating });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const ws = await request(ctx.baseUrl).get(`/v1/quotes/${ok.body.ref}/worksheet`).set(bearer(ctx.keys.underwriter));
    expect(ws.body.backdating).toEqual(backdating);
    const audit = await ctx.db('audit_events').where({ entity_ref: ok.body.ref, action: 'quote.create' }).first();
    expect(JSON.stringify(audit.after)).toContain(backdating.reason);
    const future = nextPolicyYear();
    expect(fieldsOf((await send(future, ctx.keys.underwriter, { backdating })).body)).toEqual(['backdating']);
  });

  it('impossible calendar dates are refused (2027-02-30 was accepted and stored)', async () => {
    const r = await send({ start: '2027-02-30', end: '2027-12-31' });
    expect(r.status).toBe(422);
    expect(fieldsOf(r.body)).toContain('period.start');
  });

  it('hours above 8,784 per policy year are refused by the schema, naming the line', async () => {
    const body = { ...baseQuoteRequest() };
    body.fleet[1].operating_hours_per_unit = 9000;
    const r = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(body);
    expect(r.status).toBe(422);
    expect(fieldsOf(r.body)).toEqual(['fleet.1.operating_hours_per_unit']);
  });
});

describe('coinsurance', () => {
  it('a 50 % share halves the coverage\'s expected payment per loss and pure premium, shows in the worksheet and the PDF', async () => {
    const full = baseQuoteRequest();
    const half = { ...full, coverages: full.coverages.map((c) => (c.coverage === 'robot_damage' ? { ...c, coinsurance: 0.5 } : c)) };
    const a = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(full);
    const b = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(half);
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const rd = (q: typeof a) => q.body.premium.lines.filter((l: { coverage: string }) => l.coverage === 'robot_damage');
    rd(b).forEach((l: { expected_payment_per_loss: number; pure_premium: number }, i: number) => {
      expect(l.expected_payment_per_loss / rd(a)[i].expected_payment_per_loss).toBeCloseTo(0.5, 12);
      expect(Math.abs(l.pure_premium - rd(a)[i].pure_premium / 2)).toBeLessThanOrEqual(0.01);
    });
    expect(b.body.premium.coverages.robot_damage.gross_premium).toBeLessThan(a.body.premium.coverages.robot_damage.gross_premium);
    const ws = await request(ctx.baseUrl).get(`/v1/quotes/${b.body.ref}/worksheet`).set(bearer(ctx.keys.underwriter));
    expect(ws.body.lines[0].coverages.find((c: { coverage: string }) => c.coverage === 'robot_damage').coinsurance).toBe(0.5);
    const pdf = await request(ctx.baseUrl).get(`/v1/quotes/${b.body.ref}/pdf`).set(bearer(ctx.keys.enterprise)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdfText(pdf.body as Buffer).replace(/\s+/g, ' ')).toContain('insurer pays 50% of each loss above the deductible');
  });

  it('a share outside (0, 1] is refused naming the field', async () => {
    const body = baseQuoteRequest();
    const r = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send({ ...body, coverages: [{ ...body.coverages[0], coinsurance: 0 }] });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['coverages.0.coinsurance']);
  });
});
