/**
 * The policy lifecycle (docs/policy-lifecycle.md): subjectivities with a life, the bind gate,
 * acceptance and automatic bind, policies and their numbers, races, tenant isolation, the audit
 * of every transition, response schemas as published, and the documents (binder / certificate,
 * declined and bound quote PDFs) read as text and rendered to images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';
import type { OpenApiDocument } from '../helpers/api-types.ts';

const INSURER = {
  INSURER_NAME: 'Test Mutual Robotics Insurance Co.',
  INSURER_LICENCE: 'NFRA-TEST-0042',
  INSURER_ADDRESS: '1 Test Road, Pudong, Shanghai',
  INSURER_CLAIMS_CONTACT: 'claims@testmutual.invalid, +86 21 0000 0000',
  POLICY_GOVERNING_LAW: 'Laws of the test jurisdiction; courts of the test city',
};

let ctx: TestContext;
let ajv: Ajv2020;
beforeAll(async () => {
  ctx = await startTestApp(INSURER, { demo: true });
  const doc = (await request(ctx.baseUrl).get('/openapi.json')).body as OpenApiDocument;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
}, 240_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);
const as = (key: string) => ({
  get: (p: string) => api().get(p).set(bearer(key)),
  post: (p: string, b?: unknown) => api().post(p).set(bearer(key)).send(b as object),
  pdf: async (p: string) => {
    const r = await api().get(p).set(bearer(key)).buffer(true)
      .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
    return { status: r.status, body: r.body as Buffer, type: r.headers['content-type'] as string };
  },
});
const uw = () => as(ctx.keys.underwriter);
const entA = () => as(ctx.keys.enterprise);
const entB = () => as(ctx.keyB);

/** Validates a body against a component schema of the published OpenAPI document. */
function conforms(component: string, body: unknown) {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${component}`)!;
  expect(validate(body), `${component}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

/** Elder care without a safety officer: referred, with the rules' safety-officer subjectivity (required before binding). */
const careRequest = () => ({
  ...baseQuoteRequest(),
  fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: {} }],
});

type QuoteBody = { ref: string; status: string; policy_number: string | null; subjectivities: string[]; premium: { total: { gross_premium: number } }; request: { period: { start: string; end: string } } };

const newQuote = async (body: unknown, key = ctx.keys.enterprise): Promise<QuoteBody> => {
  const r = await api().post('/v1/quotes').set(bearer(key)).send(body as object);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
/** A referred care quote decided `quoted` by an underwriter, with its bind subjectivity satisfied. */
const clearedCareQuote = async () => {
  const q = await newQuote(careRequest());
  expect((await uw().post(`/v1/quotes/${q.ref}/decision`, { decision: 'quoted', note: 'ok' })).status).toBe(200);
  expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'confirmed' })).status).toBe(200);
  return q;
};
const quoteId = async (ref: string) => (await ctx.db('quotes').where({ ref }).first('id')).id as number;
const auditOf = (entity: string, ref: string) => ctx.db('audit_events').where({ entity, entity_ref: ref }).orderBy('id').pluck('action');
const expire = (ref: string) => ctx.db('quotes').where({ ref }).update({ valid_until: new Date(Date.now() - 1000) });

describe('subjectivities and the bind gate', () => {
  it('a referred quote with a bind subjectivity: decided, bind refused naming it, satisfied, bound into a policy', async () => {
    const q = await newQuote(careRequest());
    expect(q).toMatchObject({ status: 'referred', decision: 'referred', rules_decision: 'referred', policy_number: null, accepted_at: null });
    conforms('Quote', q);
    const details = (q as unknown as { subjectivity_details: { id: number; text: string }[] }).subjectivity_details;
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ id: 1, source: 'rules', required_before: 'bind', status: 'open', actor: null, at: null, note: null });
    expect(q.subjectivities).toEqual([details[0].text]);

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
    expect(refused.body).toMatchObject({ status: 409, code: 'CONFLICT', open_subjectivities: [{ id: 1, text: details[0].text }] });
    expect(refused.body.detail).toContain('#1');
    expect(await ctx.db('policies').where({ quote_id: await quoteId(q.ref) })).toHaveLength(0);
    expect((await uw().get(`/v1/quotes/${q.ref}`)).body.status).toBe('quoted');

    // the insured attaches evidence; it cannot close the subjectivity itself
    expect((await entA().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'done' })).status).toBe(403);
    const ev = await entA().post(`/v1/quotes/${q.ref}/subjectivities/1`, { evidence_note: 'Roster of safety officers sent by e-mail' });
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    conforms('Subjectivity', ev.body);
    expect(ev.body).toMatchObject({ status: 'open', evidence_note: 'Roster of safety officers sent by e-mail' });
    expect(ev.body.evidence_by).toMatch(/^api_key:\d+$/);

    const sat = await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'Roster checked' });
    expect(sat.status).toBe(200);
    expect(sat.body).toMatchObject({ status: 'satisfied', note: 'Roster checked', evidence_note: 'Roster of safety officers sent by e-mail' });
    expect(sat.body.actor).toMatch(/^api_key:\d+$/);
    expect(Date.parse(sat.body.at)).toBeGreaterThan(Date.now() - 60_000);
    // closed once: neither closed again nor given evidence
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'waived', note: 'again' })).status).toBe(409);
    expect((await entA().post(`/v1/quotes/${q.ref}/subjectivities/1`, { evidence_note: 'late' })).status).toBe(409);

    const bound = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    conforms('Quote', bound.body);
    expect(bound.body.status).toBe('bound');
    expect(bound.body.policy_number).toMatch(/^RR-P-\d{4}-\d{6}$/);
    expect(bound.body.policy_number.slice(5, 9)).toBe(String(new Date().getUTCFullYear()));

    const pol = await entA().get(`/v1/policies/${bound.body.policy_number}`);
    expect(pol.status, JSON.stringify(pol.body)).toBe(200);
    conforms('Policy', pol.body);
    expect(pol.body).toMatchObject({
      quote_ref: q.ref, organization_ref: ctx.orgA, status: 'live', basis: 'annual', bind_mode: 'underwriter',
      period: q.request.period, gross_premium: q.premium.total.gross_premium, cancelled_at: null,
      schedule: { fleet: careRequest().fleet, premium: q.premium },
    });
    expect(pol.body.subjectivities.map((x: { status: string }) => x.status)).toEqual(['satisfied', 'open']);
    // the inception subjectivity can still be met after bind
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/2`, { status: 'satisfied', note: 'Survey done' })).status).toBe(200);
    expect((await entA().get(`/v1/policies/${bound.body.policy_number}`)).body.subjectivities.map((x: { status: string }) => x.status)).toEqual(['satisfied', 'satisfied']);

    expect(await auditOf('quote', q.ref)).toEqual(['quote.create', 'quote.decide', 'quote.bind']);
    expect(await ctx.db('audit_events').where({ entity: 'quote_subjectivity' }).whereLike('entity_ref', `${q.ref}/%`).orderBy('id').pluck('action'))
      .toEqual(['subjectivity.create', 'subjectivity.evidence', 'subjectivity.close', 'subjectivity.close']);
    expect(await auditOf('policy', bound.body.policy_number)).toEqual(['policy.create']);
  });

  it('waiving a bind subjectivity opens the gate too; refused updates write nothing', async () => {
    const q = await newQuote(careRequest());
    await uw().post(`/v1/quotes/${q.ref}/decision`, { decision: 'quoted', note: 'ok' });
    const before = await ctx.db('audit_events').count({ n: '*' }).first();
    for (const [body, status] of [
      [{}, 422], [{ status: 'waived' }, 422], [{ note: 'why' }, 422], [{ status: 'open', note: 'x' }, 422],
      [{ status: 'waived', note: '' }, 422], [{ evidence_note: 'x', extra: 1 }, 422],
    ] as const) {
      const r = await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.status).toBe(status);
    }
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/9`, { status: 'waived', note: 'x' })).status).toBe(404);
    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/0`, { status: 'waived', note: 'x' })).status).toBe(422);
    expect((await as(ctx.keys.actuary).post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'waived', note: 'x' })).status).toBe(403);
    expect((await ctx.db('audit_events').count({ n: '*' }).first())!.n).toBe(before!.n);
    expect((await ctx.db('quote_subjectivities').where({ quote_id: await quoteId(q.ref) }).first()).status).toBe('open');

    expect((await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'waived', note: 'Officer roster waived for a 3-robot pilot' })).status).toBe(200);
    expect((await uw().post(`/v1/quotes/${q.ref}/bind`)).status).toBe(200);
  });

  it('subjectivities of a declined or expired quote cannot change; a declined decision takes none', async () => {
    const d = await newQuote(careRequest());
    const bad = await uw().post(`/v1/quotes/${d.ref}/decision`, { decision: 'declined', note: 'no', subjectivities: [{ text: 'x' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('subjectivities');
    expect((await uw().post(`/v1/quotes/${d.ref}/decision`, { decision: 'declined', note: 'Outside appetite' })).body)
      .toMatchObject({ status: 'declined', decision: 'declined', rules_decision: 'referred' });
    const r = await uw().post(`/v1/quotes/${d.ref}/subjectivities/1`, { status: 'waived', note: 'x' });
    expect(r.status).toBe(409);
    expect(r.body.quote_status).toBe('declined');

    const e = await newQuote(careRequest());
    await expire(e.ref);
    expect((await entA().post(`/v1/quotes/${e.ref}/subjectivities/1`, { evidence_note: 'x' })).status).toBe(409);
  });

  it('a rule set may give a subjectivity another deadline (required_before), validated at upload', async () => {
    const bad = await as(ctx.keys.actuary).post('/v1/rulesets', {
      name: 'deadline-bad', rules: [{ name: 'r', conditions: { all: [{ fact: 'total_units', operator: 'greaterThan', value: 0 }] }, event: { type: 'require', params: { reason: 'r', text: 't', required_before: 'soon' } } }],
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('required_before');
  });
});

describe('acceptance and binding', () => {
  it('the insured accepts its clean quote and the demo plan binds it at once (audited)', async () => {
    const q = await newQuote(baseQuoteRequest());
    expect(q).toMatchObject({ status: 'quoted', subjectivity_details: [] });
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, { note: 'Signed by the CFO' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    conforms('Quote', a.body);
    expect(a.body.status).toBe('bound');
    expect(Date.parse(a.body.accepted_at)).toBeLessThanOrEqual(Date.parse(a.body.bound_at));
    const pol = (await entA().get(`/v1/policies/${a.body.policy_number}`)).body;
    expect(pol).toMatchObject({ bind_mode: 'auto_on_acceptance', status: 'live', quote_ref: q.ref });
    expect(pol.bound_by).toMatch(/^api_key:\d+$/);
    expect(await auditOf('quote', q.ref)).toEqual(['quote.create', 'quote.accept', 'quote.bind']);
    expect(await auditOf('policy', a.body.policy_number)).toEqual(['policy.create']);
    // final: neither accepted nor bound again
    expect((await entA().post(`/v1/quotes/${q.ref}/accept`, {})).body).toMatchObject({ status: 409, quote_status: 'bound' });
    expect((await uw().post(`/v1/quotes/${q.ref}/bind`)).status).toBe(409);
  });

  it('a quote an underwriter quoted on referral is accepted, not bound automatically; the underwriter binds it', async () => {
    const q = await clearedCareQuote();
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, {});
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'accepted', policy_number: null });
    conforms('Quote', a.body);
    expect((await entA().get('/v1/quotes?status=accepted&limit=1000')).body.data.map((x: { ref: string }) => x.ref)).toContain(q.ref);
    const b = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(b.status).toBe(200);
    expect((await uw().get(`/v1/policies/${b.body.policy_number}`)).body.bind_mode).toBe('underwriter');
    expect(await auditOf('quote', q.ref)).toEqual(['quote.create', 'quote.decide', 'quote.accept', 'quote.bind']);
  });

  it('an open bind subjectivity stops automatic binding: the quote is accepted and the gate holds', async () => {
    // autonomous robots without IEC 62443: the rules quote with a cyber-hygiene subjectivity
    const body = { ...baseQuoteRequest(), fleet: [{ robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 4, autonomy_level: 'autonomous', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } }] };
    const q = await newQuote(body);
    if (q.status !== 'quoted') throw new Error(`expected the rules to quote this request: ${q.status}`);
    expect(q.subjectivities.length).toBeGreaterThan(0);
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, {});
    expect(a.body.status).toBe('accepted');
    const gate = await uw().post(`/v1/quotes/${q.ref}/bind`);
    expect(gate.status).toBe(409);
    expect(gate.body.open_subjectivities.length).toBe(q.subjectivities.length);
    for (let i = 1; i <= q.subjectivities.length; i++) await uw().post(`/v1/quotes/${q.ref}/subjectivities/${i}`, { status: 'satisfied', note: 'evidence seen' });
    expect((await uw().post(`/v1/quotes/${q.ref}/bind`)).status).toBe(200);
  });

  it('refused transitions: accept of referred, declined, expired or another role; bind of declined, referred or expired', async () => {
    const referred = await newQuote(careRequest());
    expect((await entA().post(`/v1/quotes/${referred.ref}/accept`, {})).body).toMatchObject({ status: 409, code: 'CONFLICT', quote_status: 'referred' });
    expect((await uw().post(`/v1/quotes/${referred.ref}/bind`)).body).toMatchObject({ status: 409, quote_status: 'referred' });
    expect((await uw().post(`/v1/quotes/${referred.ref}/accept`, {})).status).toBe(403);
    expect((await as(ctx.keys.admin).post(`/v1/quotes/${referred.ref}/accept`, {})).status).toBe(403);

    const declined = await newQuote(careRequest());
    await uw().post(`/v1/quotes/${declined.ref}/decision`, { decision: 'declined', note: 'no' });
    expect((await entA().post(`/v1/quotes/${declined.ref}/accept`, {})).body.quote_status).toBe('declined');
    expect((await uw().post(`/v1/quotes/${declined.ref}/bind`)).body.quote_status).toBe('declined');
    expect((await uw().post(`/v1/quotes/${declined.ref}/decision`, { decision: 'quoted', note: 'no' })).body.quote_status).toBe('declined');

    const stale = await newQuote(baseQuoteRequest());
    await expire(stale.ref);
    expect((await entA().post(`/v1/quotes/${stale.ref}/accept`, {})).body.quote_status).toBe('expired');

    // accepted, then the validity passes before an underwriter binds
    const late = await clearedCareQuote();
    await entA().post(`/v1/quotes/${late.ref}/accept`, {});
    await expire(late.ref);
    expect((await entA().get(`/v1/quotes/${late.ref}`)).body.status).toBe('expired');
    expect((await uw().post(`/v1/quotes/${late.ref}/bind`)).body).toMatchObject({ status: 409, quote_status: 'expired' });

    expect((await entA().post(`/v1/quotes/${stale.ref}/accept`, { unknown: true })).status).toBe(422);
    for (const ref of [referred.ref, declined.ref, stale.ref, late.ref]) expect(await ctx.db('policies').where({ quote_id: await quoteId(ref) })).toHaveLength(0);
  });

  it('race: 20 binds and an acceptance at once make exactly one policy', async () => {
    const q = await clearedCareQuote();
    const calls = [
      ...Array.from({ length: 20 }, () => uw().post(`/v1/quotes/${q.ref}/bind`)),
      entA().post(`/v1/quotes/${q.ref}/accept`, {}),
    ];
    const res = await Promise.all(calls.map((c) => c.then((r) => r)));
    const statuses = res.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409), statuses.join()).toBe(true);
    const bound = res.filter((r) => r.status === 200 && r.body.status === 'bound');
    const numbers = new Set(bound.map((r) => r.body.policy_number));
    expect(numbers.size).toBe(1);
    expect(await ctx.db('policies').where({ quote_id: await quoteId(q.ref) })).toHaveLength(1);
    expect((await auditOf('quote', q.ref)).filter((a) => a === 'quote.bind')).toHaveLength(1);

    // concurrent binds of different quotes get distinct, increasing numbers
    const many = await Promise.all(Array.from({ length: 4 }, () => clearedCareQuote()));
    const nos = (await Promise.all(many.map((m) => uw().post(`/v1/quotes/${m.ref}/bind`)))).map((r) => r.body.policy_number as string);
    expect(new Set(nos).size).toBe(4);
    for (const no of nos) expect(no).toMatch(/^RR-P-\d{4}-\d{6}$/);
  });
});

describe('policies: reading and tenant isolation', () => {
  it("another organization's quote, subjectivity or policy is 404 (never 403), and lists hold only its own", async () => {
    const q = await newQuote(careRequest());
    expect((await entB().post(`/v1/quotes/${q.ref}/accept`, {})).status).toBe(404);
    expect((await entB().post(`/v1/quotes/${q.ref}/subjectivities/1`, { evidence_note: 'x' })).status).toBe(404);
    expect((await entB().get(`/v1/quotes/${q.ref}/subjectivities`)).status).toBe(404);
    const mine = await newQuote(baseQuoteRequest());
    const a = await entA().post(`/v1/quotes/${mine.ref}/accept`, {});
    const no = a.body.policy_number as string;
    const theirs = await entB().get(`/v1/policies/${no}`);
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.body)).not.toContain(ctx.orgA);
    expect((await entB().pdf(`/v1/policies/${no}/document`)).status).toBe(404);
    // B's own policy
    const b = await newQuote(baseQuoteRequest(), ctx.keyB);
    const bNo = (await entB().post(`/v1/quotes/${b.ref}/accept`, {})).body.policy_number;
    const listB = (await entB().get('/v1/policies?limit=1000')).body;
    conforms('PolicyPage', listB);
    expect(listB.data.map((p: { policy_number: string }) => p.policy_number)).toContain(bNo);
    expect(listB.data.every((p: { organization_ref: string }) => p.organization_ref === ctx.orgB)).toBe(true);
    expect((await entB().get(`/v1/policies?organization_ref=${ctx.orgA}`)).body.data).toEqual([]);
    // the insurer sees both, and filters
    const all = (await uw().get('/v1/policies?limit=1000')).body.data.map((p: { policy_number: string }) => p.policy_number);
    expect(all).toEqual(expect.arrayContaining([no, bNo]));
    const onlyA = (await as(ctx.keys.actuary).get(`/v1/policies?organization_ref=${ctx.orgA}&limit=1000`)).body.data;
    expect(onlyA.every((p: { organization_ref: string }) => p.organization_ref === ctx.orgA)).toBe(true);
    expect((await as(ctx.keys.regulator).get('/v1/policies')).status).toBe(403);
    expect((await as(ctx.keys.admin).get(`/v1/policies/${no}`)).status).toBe(403);
  });

  it('pages, a live policy past its expiry date shows expired, and malformed numbers are 422', async () => {
    const q = await newQuote(baseQuoteRequest());
    const no = (await entA().post(`/v1/quotes/${q.ref}/accept`, {})).body.policy_number as string;
    await ctx.db('policies').where({ policy_number: no }).update({ inception_date: '2020-01-01', expiry_date: '2020-12-31' });
    expect((await uw().get(`/v1/policies/${no}`)).body.status).toBe('expired');
    const expired = (await uw().get('/v1/policies?status=expired&limit=1000')).body.data.map((p: { policy_number: string }) => p.policy_number);
    const live = (await uw().get('/v1/policies?status=live&limit=1000')).body.data.map((p: { policy_number: string }) => p.policy_number);
    expect(expired).toContain(no);
    expect(live).not.toContain(no);
    const first = (await uw().get('/v1/policies?limit=1')).body;
    expect(first.data).toHaveLength(1);
    const second = (await uw().get(`/v1/policies?limit=1&cursor=${first.next_cursor}`)).body;
    expect(second.data[0].policy_number).not.toBe(first.data[0].policy_number);
    for (const bad of ['RR-P-26-1', 'rr-p-2026-000001', 'RR-P-2026-00001%27']) expect((await uw().get(`/v1/policies/${bad}`)).status).toBe(422);
    expect((await uw().get('/v1/policies/RR-P-2026-999999')).status).toBe(404);
    expect((await uw().get('/v1/policies?status=void')).status).toBe(422);
  });
});

describe('documents', () => {
  it('the binder / certificate: insurer block, insured, number, schedule, cover, premium, safety, subjectivities, claims, law; rendered', async () => {
    const q = await newQuote(careRequest());
    await uw().post(`/v1/quotes/${q.ref}/decision`, { decision: 'quoted', note: 'ok', subjectivities: [{ text: 'Site risk survey before inception', required_before: 'inception' }] });
    await uw().post(`/v1/quotes/${q.ref}/subjectivities/1`, { status: 'satisfied', note: 'Roster checked' });
    const no = (await uw().post(`/v1/quotes/${q.ref}/bind`)).body.policy_number as string;
    const doc = await entA().pdf(`/v1/policies/${no}/document?creation_date=2026-12-01T00:00:00Z`);
    expect(doc.status).toBe(200);
    expect(doc.type).toBe('application/pdf');
    const text = pdfText(doc.body).replace(/\s+/g, ' ');
    for (const s of [
      'Binder and certificate of insurance', INSURER.INSURER_NAME, `Licence: ${INSURER.INSURER_LICENCE}`, INSURER.INSURER_ADDRESS,
      INSURER.INSURER_CLAIMS_CONTACT, INSURER.POLICY_GOVERNING_LAW, no, q.ref, '深圳测试机器人有限公司', 'healthcare_wellness.elder_care',
      'Robot damage (own damage)', 'CNY 5,000.00', 'CNY 300,000.00', 'CNY 2,000,000.00', 'Insurer share',
      'Declared safety measures the premium relies on', 'Safety officer on site', 'not declared',
      'Subjectivities and their status', 'SATISFIED', 'Roster checked', 'OPEN', 'Site risk survey before inception', 'Claims notification', 'Governing law',
    ]) expect(text, s).toContain(s);
    const gross = q.premium.total.gross_premium.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(text).toContain(`CNY ${gross}`);
    expect(text).not.toContain('Quotation');
    const ink = darkPixelsPerPage(doc.body);
    expect(ink.length).toBeGreaterThanOrEqual(1);
    for (const n of ink) expect(n).toBeGreaterThan(200);
    // deterministic with a creation date
    expect((await entA().pdf(`/v1/policies/${no}/document?creation_date=2026-12-01T00:00:00Z`)).body.equals(doc.body)).toBe(true);
  });

  it('a bound quote’s PDF says bound and points to the policy, with no validity to act on', async () => {
    const q = await newQuote(baseQuoteRequest());
    const no = (await entA().post(`/v1/quotes/${q.ref}/accept`, {})).body.policy_number as string;
    const doc = await entA().pdf(`/v1/quotes/${q.ref}/pdf`);
    expect(doc.status).toBe(200);
    const text = pdfText(doc.body).replace(/\s+/g, ' ');
    expect(text).toContain('Bound quote: see policy');
    expect(text).toContain(`Bound: policy ${no}`);
    expect(text).toContain(`/v1/policies/${no}/document`);
    expect(text).not.toMatch(/\bQuotation\b/);
    expect(text).not.toContain('Valid until');
    expect(text).not.toContain('valid until');
    for (const n of darkPixelsPerPage(doc.body)) expect(n).toBeGreaterThan(100);
  });

  it('a declined quote’s PDF shows the decline and its reasons, and no premium to accept', async () => {
    const q = await newQuote(careRequest());
    const reasons = (q as unknown as { reasons: string[] }).reasons;
    await uw().post(`/v1/quotes/${q.ref}/decision`, { decision: 'declined', note: 'Outside our care-home appetite' });
    const doc = await entA().pdf(`/v1/quotes/${q.ref}/pdf`);
    const text = pdfText(doc.body).replace(/\s+/g, ' ');
    expect(text).toContain('Declined quotation request');
    expect(text).toContain('STATUS: DECLINED');
    expect(text).toContain('Outside our care-home appetite');
    for (const r of reasons) expect(text).toContain(r);
    expect(text).toContain('No premium is offered');
    const gross = q.premium.total.gross_premium.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(text).not.toContain(gross);
    expect(text).not.toContain('Total gross premium');
    expect(text).not.toContain('Valid until');
    expect(text).not.toMatch(/per operating hour/i);
    for (const n of darkPixelsPerPage(doc.body)) expect(n).toBeGreaterThan(100);
  });
});

describe('a rating plan without automatic binding', () => {
  it('acceptance leaves a clean quote accepted for an underwriter', async () => {
    const active = (await uw().get('/v1/rating-plans?status=active')).body.data[0];
    expect(active.plan.auto_bind_on_acceptance).toBe(true);
    const plan = await as(ctx.keys.actuary).post('/v1/rating-plans', { ...active.plan, auto_bind_on_acceptance: false });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    expect((await as(ctx.keys.actuary).post(`/v1/rating-plans/${plan.body.id}/activate`, {})).status).toBe(200);
    const q = await newQuote(baseQuoteRequest());
    expect(q.status).toBe('quoted');
    const a = await entA().post(`/v1/quotes/${q.ref}/accept`, {});
    expect(a.body).toMatchObject({ status: 'accepted', policy_number: null });
    expect((await uw().post(`/v1/quotes/${q.ref}/bind`)).body.status).toBe('bound');
  });
});
