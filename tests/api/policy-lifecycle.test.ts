/**
 * The policy lifecycle (docs/policy-lifecycle.md): subjectivities with a life, the bind gate,
 * acceptance and automatic bind, policies, tenant isolation, audit of every transition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);
const as = (key: string) => ({
  get: (p: string) => api().get(p).set(bearer(key)),
  post: (p: string, b?: unknown) => api().post(p).set(bearer(key)).send(b as object),
});
const uw = () => as(ctx.keys.underwriter);
const entA = () => as(ctx.keys.enterprise);
const entB = () => as(ctx.keyB);

/** Elder care without a safety officer: referred, with the rules' safety-officer subjectivity (required before binding). */
const careRequest = () => ({
  ...baseQuoteRequest(),
  fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: {} }],
});

const newQuote = async (body: unknown, key = ctx.keys.enterprise) => {
  const r = await api().post('/v1/quotes').set(bearer(key)).send(body as object);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};

describe('subjectivities and the bind gate', () => {
  it('a referred quote with a bind subjectivity: decided, bind refused naming it, satisfied, bound into a policy', async () => {
    const q = await newQuote(careRequest());
    expect(q).toMatchObject({ status: 'referred', decision: 'referred', rules_decision: 'referred', policy_number: null });
    expect(q.subjectivity_details).toHaveLength(1);
    expect(q.subjectivity_details[0]).toMatchObject({ id: 1, source: 'rules', required_before: 'bind', status: 'open', actor: null });
    expect(q.subjectivities).toEqual([q.subjectivity_details[0].text]);

    const d = await uw().post(`/v1/quotes/${q.ref}/decision`, {
      decision: 'quoted', note: 'Referral accepted', subjectivities: [{ text: 'Site risk survey before cover starts', required_before: 'inception' }],
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    // the current decision is the underwriter's; the rules' is kept apart
    expect(d.body).toMatchObject({ status: 'quoted', decision: 'quoted', rules_decision: 'referred' });
    expect(d.body.subjectivity_details.map((x: { id: number; source: string; required_before: string }) => [x.id, x.source, x.required_before]))
      .toEqual([[1, 'rules', 'bind'], [2, 'underwriter', 'inception']]);
    expect((await uw().get('/v1/quotes?limit=1000')).body.data.find((x: { ref: string }) => x.ref === q.ref).decision).toBe('quoted');

    const refused = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'CONFLICT', open_subjectivities: [{ id: 1 }] });
    expect(refused.body.detail).toContain('#1');
    expect(await ctx.db('policies').where({ quote_id: ctx.db('quotes').select('id').where({ ref: q.ref }) })).toHaveLength(0);

    // the insured attaches evidence; it cannot close the subjectivity itself
    expect((await entA().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'done' })).status).toBe(403);
    const ev = await entA().post(`/v1/quotes/${q.ref}/subjectivities/1`, { evidence_note: 'Roster of safety officers sent by e-mail' });
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    expect(ev.body).toMatchObject({ status: 'open', evidence_note: 'Roster of safety officers sent by e-mail' });
    expect(ev.body.evidence_by).toMatch(/^api_key:/);

    const sat = await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'Roster checked' });
    expect(sat.status).toBe(200);
    expect(sat.body).toMatchObject({ status: 'satisfied', note: 'Roster checked' });
    expect(sat.body.actor).toMatch(/^api_key:/);
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'waived', note: 'again' })).status).toBe(409);

    const bound = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.status).toBe('bound');
    expect(bound.body.policy_number).toMatch(/^RR-P-\d{4}-\d{6}$/);

    const pol = await entA().get(`/v1/policies/${bound.body.policy_number}`);
    expect(pol.status, JSON.stringify(pol.body)).toBe(200);
    expect(pol.body).toMatchObject({
      quote_ref: q.ref, organization_ref: ctx.orgA, status: 'live', basis: 'annual', bind_mode: 'underwriter',
      period: q.request.period, gross_premium: q.premium.total.gross_premium,
    });
    expect(pol.body.subjectivities.map((x: { status: string }) => x.status)).toEqual(['satisfied', 'open']);
    // the inception subjectivity can still be met after bind
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/2`, { status: 'satisfied', note: 'Survey done' })).status).toBe(200);

    expect(await ctx.db('audit_events').where({ entity: 'quote', entity_ref: q.ref }).orderBy('id').pluck('action'))
      .toEqual(['quote.create', 'quote.decide', 'quote.bind']);
    expect(await ctx.db('audit_events').where({ entity: 'quote_subjectivity' }).whereLike('entity_ref', `${q.ref}/%`).orderBy('id').pluck('action'))
      .toEqual(['subjectivity.create', 'subjectivity.evidence', 'subjectivity.close', 'subjectivity.close']);
    expect(await ctx.db('audit_events').where({ entity: 'policy', entity_ref: bound.body.policy_number }).pluck('action')).toEqual(['policy.create']);
  });
});

describe('acceptance', () => {
  it('the insured accepts its clean quote and the demo plan binds it at once', async () => {
    const q = await newQuote(baseQuoteRequest());
    expect(q).toMatchObject({ status: 'quoted', subjectivity_details: [] });
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, {});
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.status).toBe('bound');
    expect(a.body.accepted_at).not.toBeNull();
    const pol = (await entA().get(`/v1/policies/${a.body.policy_number}`)).body;
    expect(pol).toMatchObject({ bind_mode: 'auto_on_acceptance', status: 'live' });
    expect((await entA().post(`/v1/quotes/${q.ref}/accept`, {})).status).toBe(409);
  });

  it("another organization's quote or policy is 404, never 403", async () => {
    const q = await newQuote(baseQuoteRequest());
    expect((await entB().post(`/v1/quotes/${q.ref}/accept`, {})).status).toBe(404);
    expect((await entB().post(`/v1/quotes/${q.ref}/subjectivities/1`, { evidence_note: 'x' })).status).toBe(404);
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, {});
    expect((await entB().get(`/v1/policies/${a.body.policy_number}`)).status).toBe(404);
    const list = (await entB().get('/v1/policies')).body.data;
    expect(list.every((p: { organization_ref: string }) => p.organization_ref === ctx.orgB)).toBe(true);
  });
});
