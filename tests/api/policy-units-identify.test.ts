/**
 * Identified units given after the quote (docs/policy-lifecycle.md §4, docs/policy-changes.md §3):
 * serial numbers at acceptance (recorded by the automatic bind, or kept for the underwriter's
 * bind) and an endorsement that identifies the units of a line bound without them (count and
 * premium unchanged). Uniqueness across live policies: 409 naming the serial, never the holder;
 * refused requests name the field and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { pdfText } from '../helpers/pdf.ts';
import { addDays } from '../../domain/calendar.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 600_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);
const as = (key: string) => ({
  get: (p: string) => api().get(p).set(bearer(key)),
  post: (p: string, b?: unknown) => api().post(p).set(bearer(key)).send(b as object),
});
const uw = () => as(ctx.keys.underwriter);
const entA = () => as(ctx.keys.enterprise);
const serials = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
const counts = () => Promise.all(['quotes', 'policies', 'policy_units', 'policy_changes', 'audit_events'].map(async (t) => [t, (await ctx.db(t).count('* as n'))[0]]));
const newQuote = async () => {
  const r = await entA().post('/v1/quotes', baseQuoteRequest());
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.status).toBe('quoted');
  return r.body as { ref: string; request: { period: { start: string; end: string } } };
};
interface Changes { changes: { seq: number; kind: string; premium: number; annual_premium_before: number; annual_premium_after: number; details: Record<string, unknown> }[]; premium_in_force: { annual_premium: number }; units: { line: number; serial_number: string; cover_from: string; cover_until: string }[] }

describe('serial numbers at acceptance', () => {
  let held = '';
  it('a wrong count is refused naming the field; the quote stays quoted and nothing is written', async () => {
    const q = await newQuote();
    const before = await counts();
    const r = await entA().post(`/v1/quotes/${q.ref}/accept`, { units: [{ line: 1, serial_numbers: serials('acc-a', 9) }] });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['units.0.serial_numbers']);
    const bad = await entA().post(`/v1/quotes/${q.ref}/accept`, { units: [{ line: 1, serial_numbers: [...serials('acc-a', 9), ' '] }] });
    expect(bad.body.errors[0].field).toBe('units.0.serial_numbers.9');
    expect(await counts()).toEqual(before);
    expect((await entA().get(`/v1/quotes/${q.ref}`)).body.status).toBe('quoted');
  });

  it('the automatic bind on acceptance records them with the policy (audited with the acceptance)', async () => {
    const q = await newQuote();
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, { note: 'serials attached', units: [{ line: 2, serial_numbers: serials('acc-b', 6) }] });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.status).toBe('bound');
    held = a.body.policy_number;
    const v = (await entA().get(`/v1/policies/${held}/changes`)).body as Changes;
    expect(v.units.map((u) => [u.line, u.serial_number, u.cover_from, u.cover_until])).toEqual(serials('ACC-B', 6).map((s) => [2, s, q.request.period.start, q.request.period.end]));
    const audit = await ctx.db('audit_events').where({ action: 'quote.accept', entity_ref: q.ref }).first();
    expect(audit.after.units).toEqual([{ line: 2, serial_numbers: serials('ACC-B', 6) }]);
  });

  it('a serial on a live policy refuses the acceptance (409 naming it, not the holder); nothing is written', async () => {
    const q = await newQuote();
    const before = await counts();
    const r = await entA().post(`/v1/quotes/${q.ref}/accept`, { units: [{ line: 2, serial_numbers: ['acc-b-004', ...serials('acc-c', 5)] }] });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('ACC-B-004');
    expect(r.body.detail).not.toContain(held);
    expect(r.body.serial_numbers).toEqual(['ACC-B-004']);
    expect(await counts()).toEqual(before);
    expect((await entA().get(`/v1/quotes/${q.ref}`)).body.status).toBe('quoted');
  });
});

describe('identifying the units of a line by endorsement', () => {
  let no = '';
  let E = '';
  it('binds a policy without serial numbers', async () => {
    const q = await newQuote();
    expect((await uw().post(`/v1/quotes/${q.ref}/bind`, {})).status).toBe(200);
    no = (await uw().get(`/v1/quotes/${q.ref}`)).body.policy_number;
    E = addDays(q.request.period.start, 40);
  });

  it('refused: a wrong count, mixed with a unit change, a serial held by another live policy, a duplicate — naming the field, writing nothing', async () => {
    const before = await counts();
    const endorse = (lines: unknown[]) => uw().post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'serial numbers received', lines });
    const short = await endorse([{ line: 2, identify_serial_numbers: serials('idf', 5) }]);
    expect(short.status).toBe(422);
    expect(short.body.errors[0].field).toBe('lines.0.identify_serial_numbers');
    const mixed = await endorse([{ line: 2, identify_serial_numbers: serials('idf', 6), add_units: 1 }]);
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors[0].field).toBe('lines.0.identify_serial_numbers');
    const dup = await endorse([{ line: 2, identify_serial_numbers: [...serials('idf', 5), 'IDF-001'] }]);
    expect(dup.body.errors[0].field).toBe('lines.0.identify_serial_numbers.5');
    const twoLines = await endorse([{ line: 1, identify_serial_numbers: serials('idg', 10) }, { line: 2, identify_serial_numbers: ['idg-001', ...serials('idf', 5)] }]);
    expect(twoLines.status).toBe(422);
    expect(twoLines.body.errors[0].field).toBe('lines');
    const held = await endorse([{ line: 2, identify_serial_numbers: ['ACC-B-001', ...serials('idf', 5)] }]);
    expect(held.status).toBe(409);
    expect(held.body.detail).toContain('ACC-B-001');
    expect(held.body.detail).not.toMatch(/RR-P-/);
    expect((await as(ctx.keyB).post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'x', lines: [{ line: 2, identify_serial_numbers: serials('idf', 6) }] })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('identifies line 2 from the effective date: count and premium unchanged, audited; the line then changes by serial number', async () => {
    const before = (await uw().get(`/v1/policies/${no}/changes`)).body as Changes;
    const r = await uw().post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'serial numbers received', lines: [{ line: 2, identify_serial_numbers: serials('idf', 6) }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const v = r.body as Changes;
    const c = v.changes[1];
    expect(c).toMatchObject({ kind: 'endorsement', premium: 0, annual_premium_before: before.premium_in_force.annual_premium, annual_premium_after: before.premium_in_force.annual_premium });
    expect(c.details.lines).toEqual([{ line: 2, units_before: 6, units_after: 6, added: serials('IDF', 6), removed: [], identified: serials('IDF', 6) }]);
    expect(v.units.map((u) => [u.line, u.serial_number, u.cover_from])).toEqual(serials('IDF', 6).map((s) => [2, s, E]));
    const policy = (await uw().get(`/v1/policies/${no}`)).body;
    expect(policy.schedule.fleet[1].units).toBe(6);
    expect(await ctx.db('audit_events').where({ action: 'policy.endorse', entity_ref: no })).toHaveLength(1);

    const again = await uw().post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'again', lines: [{ line: 2, identify_serial_numbers: serials('idh', 6) }] });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toContain('identified units already');
    const byCount = await uw().post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'one more', lines: [{ line: 2, add_units: 1 }] });
    expect(byCount.body.errors[0].field).toBe('lines.0.add_units');
    const add = await uw().post(`/v1/policies/${no}/endorsements`, { effective_date: E, reason: 'one more', lines: [{ line: 2, add_serial_numbers: ['idf-007'] }] });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect((add.body as Changes).changes[2].annual_premium_after).toBeGreaterThan(before.premium_in_force.annual_premium);
  });

  it('the binder lists the identified units and the identification', async () => {
    const pdf = await api().get(`/v1/policies/${no}/document`).set(bearer(ctx.keys.underwriter)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (x: Buffer) => chunks.push(x));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const text = pdfText(pdf.body as Buffer, ['-layout']);
    for (const s of ['IDF-001', 'IDF-007', 'Units identified', 'serial numbers received']) expect(text).toContain(s);
  });
});

describe('serial numbers at acceptance without automatic binding', () => {
  it('are kept with the accepted quote and recorded by the underwriter’s bind', async () => {
    const active = (await uw().get('/v1/rating-plans?status=active')).body.data[0];
    const plan = await as(ctx.keys.actuary).post('/v1/rating-plans', { ...active.plan, auto_bind_on_acceptance: false });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    expect((await as(ctx.keys.actuary).post(`/v1/rating-plans/${plan.body.id}/activate`, {})).status).toBe(200);
    const q = await newQuote();
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, { units: [{ line: 1, serial_numbers: serials('late', 10) }] });
    expect(a.body).toMatchObject({ status: 'accepted', policy_number: null });
    expect(await ctx.db('policy_units').where('serial_number', 'like', 'LATE-%')).toHaveLength(0);
    const b = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(b.body.status).toBe('bound');
    const v = (await uw().get(`/v1/policies/${b.body.policy_number}/changes`)).body as Changes;
    expect(v.units.map((u) => u.serial_number)).toEqual(serials('LATE', 10));
  });
});
