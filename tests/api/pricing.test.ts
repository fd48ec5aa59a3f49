import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { TRUE_PARAMETERS } from '../../seeds/true-parameters.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';
import { INCIDENT_TYPES } from '../../domain/index.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import type { FieldProblem, JsonOf } from '../helpers/api-types.ts';
import type { FrequencyModelVersion, Quote, QuoteWorksheet, SeverityModelVersion } from '../../api/schemas-pricing.ts';

type Term = JsonOf<typeof FrequencyModelVersion>['terms'][number];
type Level = JsonOf<typeof FrequencyModelVersion>['levels'][string][number];
type Fit = JsonOf<typeof SeverityModelVersion>['fits'][number];
type Fitted = Extract<Fit, { ok: true }>;
type PremiumLine = JsonOf<typeof Quote>['premium']['lines'][number];
type FiredRule = JsonOf<typeof QuoteWorksheet>['rules']['fired'][number];

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);
const as = (key: string) => ({ get: (p: string) => api().get(p).set(bearer(key)), post: (p: string, b?: unknown) => api().post(p).set(bearer(key)).send(b as object) });

const baseRequest = baseQuoteRequest;

const quote = async (body: unknown, key = ctx.keys.enterprise, headers: Record<string, string> = {}) => {
  const r = await api().post('/v1/quotes').set(bearer(key)).set(headers).send(body as object);
  return r;
};

describe('model versions', () => {
  it('an NB frequency model on the demo history recovers the true relativities within simultaneous 95% CIs', async () => {
    const r = await as(ctx.keys.actuary).post('/v1/models/frequency', {
      incident_types: [...INCIDENT_TYPES],
      factors: ['scenario_area', 'autonomy_level', 'human_proximity'],
      family: 'negative_binomial',
      base_levels: TRUE_PARAMETERS.frequency.base_levels,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'frequency', status: 'candidate', coverage: null, converged: true });
    const rel = TRUE_PARAMETERS.frequency.relativities as Record<string, Record<string, number>>;
    const terms = r.body.terms.filter((t: Term) => t.factor !== null);
    expect(terms).toHaveLength(11);
    // 12 parameters: each 95% interval alone misses its truth 5 % of the time, so all 12 cover at once
    // only ≈ 54 % of the time. The claim checked is joint: Bonferroni intervals β ± z(1 − 0.025/12)·se
    // cover every truth with probability ≥ 95 %; and the published 95% Wald bounds are exp(β ± 1.96 se).
    const zJoint = 2.8653; // qnorm(1 - 0.025 / 12) in R
    const covers = (t: Term, truth: number) => {
      expect(t.ci_low).toBeCloseTo(Math.exp(t.estimate - 1.959964 * t.std_error), 5);
      expect(t.ci_high).toBeCloseTo(Math.exp(t.estimate + 1.959964 * t.std_error), 5);
      expect(Math.abs(t.estimate - Math.log(truth)), `${t.factor}=${t.level}: β ${t.estimate}, log truth ${Math.log(truth)}`)
        .toBeLessThan(zJoint * t.std_error);
    };
    for (const t of terms) {
      covers(t, rel[t.factor][t.level]);
      expect(t.relativity).toBeCloseTo(Math.exp(t.estimate), 12);
    }
    // and most 95% intervals cover on their own (≥ 9 of 11: P ≈ 0.98 if the CIs are right)
    const truthOf = (t: Term) => rel[t.factor!][t.level!];
    expect(terms.filter((t: Term) => t.ci_low < truthOf(t) && truthOf(t) < t.ci_high).length).toBeGreaterThanOrEqual(9);
    const intercept = r.body.terms.find((t: Term) => t.factor === null);
    covers(intercept, TRUE_PARAMETERS.frequency.base_rate_per_1000h / 1000);
    expect(r.body.theta).toBeGreaterThan(2);
    expect(r.body.theta).toBeLessThan(8); // true θ = 4
    expect(r.body.levels.scenario_area.find((l: Level) => l.level === 'manufacturing')).toMatchObject({ is_base: true });
    const hours = r.body.levels.autonomy_level.reduce((s: number, l: Level) => s + l.operating_hours, 0);
    expect(hours).toBeCloseTo(r.body.data_snapshot.operating_hours, 3);
    // one row per exposure period with hours (0-hour months carry no exposure), and every incident
    // of the demo falls in one of them (partial months, pauses, two periods in a month included)
    const demo = generateDemoHistory();
    expect(r.body.data_snapshot).toMatchObject({
      rows: demo.exposures.filter((e) => e.operating_hours > 0).length,
      incidents: demo.incidents.length,
      content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('a Poisson model fitted from SQL cell sums has the same estimates as the NB has roughly, and is stored and activatable', async () => {
    const r = await as(ctx.keys.actuary).post('/v1/models/frequency', { coverage: 'robot_damage', factors: ['scenario_area', 'protective_stop_band'], family: 'poisson' });
    expect(r.status).toBe(201);
    expect(r.body.fitted_on).toBe('cells');
    expect(r.body.levels.protective_stop_band.map((l: Level) => l.level).sort()).toEqual(['10-25', '25-50', '<10', '>=50']);
    const incidents = r.body.levels.scenario_area.reduce((s: number, l: Level) => s + l.incidents, 0);
    const expected = (await ctx.db('incidents').where('robot_damage', '>', 0).count('* as n'))[0].n;
    expect(incidents).toBe(Number(expected));
    const act = await as(ctx.keys.actuary).post(`/v1/models/${r.body.id}/activate`);
    expect(act.status).toBe(200);
    expect(act.body.status).toBe('active');
    const previous = await ctx.db('model_versions').where({ kind: 'frequency', coverage: 'robot_damage' }).whereNot('id', r.body.id);
    expect(previous.every((m: { status: string }) => m.status !== 'active')).toBe(true);
    expect(await ctx.db('audit_events').where({ action: 'model.activate', entity_ref: String(r.body.id) })).toHaveLength(1);
    expect((await as(ctx.keys.underwriter).get(`/v1/models/${r.body.id}`)).body.status).toBe('active');
  });

  it('rejects bad model requests with 422 naming the field', async () => {
    const both = await as(ctx.keys.actuary).post('/v1/models/frequency', { coverage: 'robot_damage', incident_types: ['fall'], factors: ['scenario_area'] });
    expect(both.status).toBe(422);
    expect(both.body.errors[0].field).toBe('coverage');
    const factor = await as(ctx.keys.actuary).post('/v1/models/frequency', { coverage: 'robot_damage', factors: ['colour'] });
    expect(factor.status).toBe(422);
    expect(factor.body.errors[0].field).toBe('factors.0');
    const base = await as(ctx.keys.actuary).post('/v1/models/frequency', { coverage: 'robot_damage', factors: ['scenario_area'], base_levels: { scenario_area: 'moon_base' } });
    expect(base.status).toBe(422);
    const period = await as(ctx.keys.actuary).post('/v1/models/frequency', { coverage: 'robot_damage', factors: ['scenario_area'], period: { from: '1990-01-01', to: '1990-12-31' } });
    expect(period.status).toBe(422);
    expect(period.body.errors[0].field).toBe('period');
    expect((await as(ctx.keys.enterprise).post('/v1/models/frequency', { coverage: 'robot_damage', factors: ['scenario_area'] })).status).toBe(403);
  });

  it('fits severity candidates for a coverage, ranked by AIC, with the parameter names of docs/actuarial-method.md §3', async () => {
    const r = await as(ctx.keys.actuary).post('/v1/models/severity', { coverage: 'third_party_liability' });
    expect(r.status).toBe(201);
    const ok = r.body.fits.filter((f: Fit) => f.ok);
    expect(ok.map((f: Fitted) => f.distribution).sort()).toEqual(['gamma', 'lognormal', 'lomax', 'weibull']);
    const aics = ok.map((f: Fitted) => f.aic);
    expect(aics).toEqual([...aics].sort((a: number, b: number) => a - b));
    expect(Object.keys(ok.find((f: Fitted) => f.distribution === 'lognormal').params).sort()).toEqual(['meanlog', 'sdlog']);
    expect(Object.keys(ok.find((f: Fitted) => f.distribution === 'gamma').params).sort()).toEqual(['rate', 'shape']);
    expect(Object.keys(ok.find((f: Fitted) => f.distribution === 'lomax').params).sort()).toEqual(['scale', 'shape']);
    expect(ok.every((f: Fitted) => (f.ks ?? 0) > 0 && Number.isFinite(f.ad))).toBe(true);
    const open = await ctx.db('incidents').where('status', 'open').whereRaw('third_party_property_damage + bodily_injury_cost > 0').count('* as n');
    expect(r.body.open_claims).toBe(Number(open[0].n));
    expect(r.body.best.distribution).toBe(ok[0].distribution);
  });
});

describe('rule sets and rating plans', () => {
  it('rejects a rule set with unknown facts, operators and event types, naming the path', async () => {
    const r = await as(ctx.keys.actuary).post('/v1/rulesets', {
      name: 'bad', rules: [
        { name: 'a', conditions: { all: [{ fact: 'robot_colour', operator: 'equal', value: 'red' }] }, event: { type: 'decline', params: { reason: 'x' } } },
        { name: 'b', conditions: { all: [{ fact: 'units', operator: 'roughly', value: 3 }] }, event: { type: 'decline', params: { reason: 'x' } } },
        { name: 'c', conditions: { all: [{ fact: 'units', operator: 'greaterThan', value: 3 }] }, event: { type: 'celebrate', params: { reason: 'x' } } },
      ],
    });
    expect(r.status).toBe(422);
    const fields = r.body.errors.map((e: FieldProblem) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['rules[0].conditions.all[0].fact', 'rules[1].conditions.all[0].operator']));
    expect(fields.some((f: string) => f.startsWith('rules[2].event'))).toBe(true);
    expect(await ctx.db('rulesets').where({ name: 'bad' })).toHaveLength(0);
  });

  it('a plan must name active models of the right kind and coverage; an active plan is immutable', async () => {
    const candidate = await ctx.db('model_versions').where({ status: 'candidate', kind: 'severity' }).first();
    const active = await ctx.db('model_versions').where({ status: 'active', kind: 'frequency', coverage: 'robot_damage' }).first();
    const bad = await as(ctx.keys.actuary).post('/v1/rating-plans', {
      name: 'p2', ruleset_id: 1, coverages: { robot_damage: { frequency_model_id: active.id, severity_model_id: candidate.id } },
      loadings: { expense: 0.1, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 1000 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('coverages.robot_damage.severity_model_id');
    const plan = (await as(ctx.keys.underwriter).get('/v1/rating-plans?status=active')).body.data[0];
    const again = await as(ctx.keys.actuary).post(`/v1/rating-plans/${plan.id}/activate`, {});
    expect(again.status).toBe(409);
    expect((await api().put(`/v1/rating-plans/${plan.id}`).set(bearer(ctx.keys.actuary)).send({})).status).toBe(405);
  });
});

describe('quotes', () => {
  it('prices a fleet with a full, consistent breakdown, and re-rates to the cent', async () => {
    const r = await quote(baseRequest());
    expect(r.status).toBe(201);
    const q = r.body;
    expect(q).toMatchObject({ status: 'quoted', decision: 'quoted', organization_ref: 'ORG-A' });
    expect(q.ref).toMatch(/^Q-\d{8}-[0-9A-F]{8}$/);
    const t = q.premium.total;
    expect(t.gross_premium).toBeGreaterThan(0);
    expect(t.gross_premium).toBeCloseTo(t.premium_before_tax + t.tax, 2);
    const sumLines = q.premium.lines.reduce((s: number, l: PremiumLine) => s + l.gross_premium, 0);
    expect(sumLines).toBeCloseTo(t.gross_premium, 2);
    expect(q.premium.lines).toHaveLength(6);
    for (const l of q.premium.lines) {
      expect(l.technical_premium).toBeCloseTo((l.pure_premium + l.risk_margin) * l.loading_factor, 1);
      expect(l.premium_before_tax).toBeCloseTo(l.technical_premium / (1 - 0.12 - 0.1 - 0.05), 1);
      expect(l.pure_premium).toBeCloseTo(l.expected_claims * l.expected_payment_per_loss, 0);
    }
    expect(q.versions).toMatchObject({ rating_plan: { name: 'demo' }, ruleset: { name: expect.any(String) } });
    expect(new Date(q.valid_until).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const ws = (await as(ctx.keys.enterprise).get(`/v1/quotes/${q.ref}/worksheet`)).body;
    expect(ws.lines).toHaveLength(2);
    expect(ws.lines[0].coverages[0]).toMatchObject({ coverage: 'robot_damage', per_occurrence_limit: 300_000, frequency_model_id: expect.any(Number) });
    expect(ws.lines[0].coverages[0].rating_factors.scenario_area.level).toBe('manufacturing');
    expect(ws.rules.fired.every((f: FiredRule) => f.rule && f.facts)).toBe(true);

    const rr = await as(ctx.keys.underwriter).post(`/v1/quotes/${q.ref}/rerate`);
    expect(rr.status).toBe(200);
    expect(rr.body.identical).toBe(true);
    expect(rr.body.rerated_gross_premium).toBe(t.gross_premium);
  });

  it('declines, refers and loads according to the rules, with reasons and the facts that fired', async () => {
    const declined = await quote({ ...baseRequest(), fleet: [{ robot_model: 'LMD-Q40', scenario_class: 'emergency_rescue.search', units: 2, autonomy_level: 'autonomous', operating_hours_per_unit: 500, safety: { teleoperation_fallback: false } }] });
    expect(declined.status).toBe(201);
    expect(declined.body.decision).toBe('declined');
    expect(declined.body.reasons.length).toBeGreaterThan(0);

    const referred = await quote({ ...baseRequest(), fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } }] });
    expect(referred.body.decision).toBe('referred');
    const ws = (await as(ctx.keys.underwriter).get(`/v1/quotes/${referred.body.ref}/worksheet`)).body;
    const fired = ws.rules.fired.find((f: FiredRule) => f.event_type === 'refer');
    expect(fired.facts.cert_iso_13482).toBe(false);

    const loaded = await quote({ ...baseRequest(), fleet: [{ robot_model: 'LMD-W200', scenario_class: 'maintenance.cleaning', units: 4, autonomy_level: 'autonomous', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } }] });
    const tpl = loaded.body.premium.lines.find((l: PremiumLine) => l.coverage === 'third_party_liability');
    const rd = loaded.body.premium.lines.find((l: PremiumLine) => l.coverage === 'robot_damage');
    expect(tpl.loading_factor).toBeGreaterThan(1);
    expect(rd.loading_factor).toBe(1);
    expect(loaded.body.subjectivities.length).toBeGreaterThan(0);
  });

  it('a higher deductible lowers the premium; a binding aggregate limit lowers it; the own-damage limit is capped at replacement value', async () => {
    const base = (await quote(baseRequest())).body.premium.coverages;
    const higher = baseRequest();
    higher.coverages[0].deductible = 50_000;
    expect((await quote(higher)).body.premium.coverages.robot_damage.pure_premium).toBeLessThan(base.robot_damage.pure_premium);
    const capped = baseRequest();
    capped.coverages[2].aggregate_limit = 20_000;
    const c = (await quote(capped)).body.premium.coverages;
    expect(c.business_interruption.pure_premium).toBeLessThan(base.business_interruption.pure_premium);
    expect(c.business_interruption.pure_premium).toBeLessThanOrEqual(20_000);
    expect(c.robot_damage.pure_premium).toBeCloseTo(base.robot_damage.pure_premium, 2);
    const big = baseRequest();
    big.coverages[0].per_occurrence_limit = 10_000_000;
    const bq = (await quote(big)).body;
    const ws = (await as(ctx.keys.enterprise).get(`/v1/quotes/${bq.ref}/worksheet`)).body;
    expect(ws.lines[0].coverages[0]).toMatchObject({ per_occurrence_limit: 350_000, limit_capped_at_replacement_value: true });
  });

  it('pay-per-use: rate per operating hour × expected hours = gross', async () => {
    const r = (await quote({ ...baseRequest(), basis: 'pay_per_use' })).body;
    const hours = 10 * 4000 + 6 * 5000;
    expect(r.pay_per_use.expected_operating_hours).toBe(hours);
    expect(r.pay_per_use.rate_per_operating_hour * hours).toBeCloseTo(r.premium.total.gross_premium, 6);
  });

  it('idempotency: same key and body → the same quote; other body → 422; concurrent duplicates → one quote', async () => {
    const key = { 'Idempotency-Key': 'idem-test-0001' };
    const a = await quote(baseRequest(), ctx.keys.enterprise, key);
    const b = await quote(baseRequest(), ctx.keys.enterprise, key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.ref).toBe(a.body.ref);
    const other = await quote({ ...baseRequest(), basis: 'pay_per_use' }, ctx.keys.enterprise, key);
    expect(other.status).toBe(422);
    const k2 = { 'Idempotency-Key': 'idem-test-race-0002' };
    const results = await Promise.all(Array.from({ length: 5 }, () => quote(baseRequest(), ctx.keys.enterprise, k2)));
    expect(new Set(results.map((r) => r.body.ref)).size).toBe(1);
    expect(await ctx.db('quotes').where({ idempotency_key: 'idem-test-race-0002' })).toHaveLength(1);
  });

  it('binding: 20 concurrent binds → exactly one 200; twice or expired → 409', async () => {
    const q = (await quote(baseRequest())).body;
    const binds = await Promise.all(Array.from({ length: 20 }, () => as(ctx.keys.underwriter).post(`/v1/quotes/${q.ref}/bind`)));
    expect(binds.filter((r) => r.status === 200)).toHaveLength(1);
    expect(binds.filter((r) => r.status === 409)).toHaveLength(19);
    expect((await as(ctx.keys.enterprise).get(`/v1/quotes/${q.ref}`)).body.status).toBe('bound');

    const old = (await quote(baseRequest())).body;
    await ctx.db('quotes').where({ ref: old.ref }).update({ valid_until: new Date(Date.now() - 1000) });
    expect((await as(ctx.keys.enterprise).get(`/v1/quotes/${old.ref}`)).body.status).toBe('expired');
    const late = await as(ctx.keys.underwriter).post(`/v1/quotes/${old.ref}/bind`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ status: 409, code: 'CONFLICT', quote_status: 'expired' });
    expect((await as(ctx.keys.enterprise).post(`/v1/quotes/${q.ref}/bind`)).status).toBe(403);
  });

  it('an underwriter decides a referred quote (audited), which can be bound once its bind subjectivity is met', async () => {
    const r = (await quote({ ...baseRequest(), fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: {} }] })).body;
    expect(r.status).toBe('referred');
    expect((await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/bind`)).status).toBe(409);
    const d = await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/decision`, { decision: 'quoted', note: 'Certification evidence seen on site' });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ status: 'quoted', decision: 'quoted', rules_decision: 'referred', decision_note: 'Certification evidence seen on site' });
    expect((await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/decision`, { decision: 'declined', note: 'again' })).status).toBe(409);
    // the rules' safety-officer subjectivity is required before binding (docs/policy-lifecycle.md §3)
    const gate = await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/bind`);
    expect(gate.status).toBe(409);
    expect(gate.body.open_subjectivities).toEqual([{ id: 1, text: r.subjectivities[0] }]);
    expect((await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/subjectivities/1`, { status: 'satisfied', note: 'Written confirmation received' })).status).toBe(200);
    expect((await as(ctx.keys.underwriter).post(`/v1/quotes/${r.ref}/bind`)).status).toBe(200);
    expect(await ctx.db('audit_events').where({ entity: 'quote', entity_ref: r.ref }).orderBy('id').pluck('action')).toEqual(['quote.create', 'quote.decide', 'quote.bind']);
  });

  it('tenant isolation and on-behalf quoting', async () => {
    const mine = (await quote(baseRequest())).body;
    expect((await as(ctx.keyB).get(`/v1/quotes/${mine.ref}`)).status).toBe(404);
    expect((await as(ctx.keyB).get(`/v1/quotes/${mine.ref}/worksheet`)).status).toBe(404);
    expect((await as(ctx.keyB).get('/v1/quotes')).body.data.every((q: { organization_ref: string }) => q.organization_ref === 'ORG-B')).toBe(true);
    expect((await quote({ ...baseRequest(), organization_ref: 'ORG-B' })).status).toBe(403);
    const uw = await quote({ ...baseRequest(), organization_ref: 'ORG-B' }, ctx.keys.underwriter);
    expect(uw.status).toBe(201);
    expect(uw.body.organization_ref).toBe('ORG-B');
    expect((await as(ctx.keyB).get(`/v1/quotes/${uw.body.ref}`)).status).toBe(200);
    expect((await quote(baseRequest(), ctx.keys.underwriter)).status).toBe(422);
  });

  it('rejects bad quote requests with 422 naming the field, and writes nothing', async () => {
    const before = await ctx.db('quotes').count('* as n');
    const bad = baseRequest();
    bad.fleet[0].robot_model = 'NOPE-1';
    bad.fleet[1].units = 0;
    const r = await quote(bad);
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: FieldProblem) => e.field)).toEqual(['fleet.1.units']);
    const r2 = await quote({ ...baseRequest(), fleet: [{ ...baseRequest().fleet[0], robot_model: 'NOPE-1' }] });
    expect(r2.status).toBe(422);
    expect(r2.body.errors[0].field).toBe('fleet.0.robot_model');
    const dup = baseRequest();
    dup.coverages.push({ ...dup.coverages[0] });
    expect((await quote(dup)).status).toBe(422);
    expect(await ctx.db('quotes').count('* as n')).toEqual(before);
  });
});
