/**
 * Property-based end-to-end quote tests: generated requests through the API on a real database
 * with the demo history. Any request a quoting role can send gets a 2xx or a 4xx problem, never a
 * 5xx; and the pricing invariants hold. Runs are bounded (QUOTE_PROPERTY_RUNS scales them; the
 * default sends well over 500 requests).
 *
 * Tolerance of the monotonicity checks: the aggregate is computed on a lattice whose step follows
 * the inputs, which moves the risk margin by up to 0.1 % (bench/README.md "Lattice"), so "never
 * lower" is checked as "not lower by more than 0.1 % of the premium plus one cent".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { ROBOT_MODELS, SCENARIO_CLASSES } from '../../seeds/catalog.ts';
import { AUTONOMY_LEVELS, COVERAGE_CODES } from '../../domain/enums.ts';

// eslint-disable-next-line no-restricted-properties -- the test's own size switch
const SCALE = Number(process.env.QUOTE_PROPERTY_RUNS ?? '1');
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

let ctx: TestContext;
let sent = 0;
const statuses = new Map<number, number>();
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => {
  console.log(`quote properties: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  await ctx?.close();
});

type Body = Record<string, unknown> & { fleet: Record<string, unknown>[]; coverages: Record<string, unknown>[] };
interface Priced { status: number; body: { ref: string; premium: { total: { gross_premium: number }; coverages: Record<string, { pure_premium: number; risk_margin: number; gross_premium: number }> }; pay_per_use: { expected_operating_hours: number; rate_per_operating_hour: number | null } } }

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const today = Date.parse(isoDay(Date.now()));

/** Sends a quote as an enterprise (its own organization) or as an underwriter for a demo organization. */
async function quote(body: Body, as: 'enterprise' | 'underwriter'): Promise<Priced> {
  const key = as === 'enterprise' ? ctx.keys.enterprise : ctx.keys.underwriter;
  const b = as === 'underwriter' ? { organization_ref: 'ENT-001', ...body } : body;
  const r = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(key)).send(b);
  sent++;
  statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.status).toBe(r.status);
    expect(typeof r.body.code).toBe('string');
  }
  return r as unknown as Priced;
}

const money = (a: number, b: number) => Math.abs(a - b) <= 0.011;
const notBelow = (lower: number, higher: number) => higher >= lower - (1e-3 * lower + 0.01);

// --- arbitraries of valid requests over the demo catalog ---------------------------------------
const units = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 2, arbitrary: fc.integer({ min: 61, max: 2000 }) }, { weight: 1, arbitrary: fc.integer({ min: 2001, max: 20_000 }) });
const line = (termYears: number) => fc.record({
  robot_model: fc.constantFrom(...ROBOT_MODELS.map((m) => m.code)),
  scenario_class: fc.constantFrom(...SCENARIO_CLASSES.map((c) => c.code)),
  units,
  autonomy_level: fc.constantFrom(...AUTONOMY_LEVELS),
  operating_hours_per_unit: fc.integer({ min: 1, max: Math.floor(8700 * termYears) }),
  safety: fc.record({
    teleoperation_fallback: fc.boolean(), force_speed_limiting: fc.boolean(), safety_officer_on_site: fc.boolean(),
    operator_training_hours: fc.integer({ min: 0, max: 200 }),
  }, { requiredKeys: [] }),
});
const coverage = (code: (typeof COVERAGE_CODES)[number]) => fc.record({
  coverage: fc.constant(code),
  deductible: fc.constantFrom(0, 500, 2000, 5000, 20_000),
  per_occurrence_limit: fc.constantFrom(50_000, 100_000, 300_000, 1_000_000, 2_000_000),
  aggregate_limit: fc.option(fc.constantFrom(1, 10_000, 150_000, 1_000_000, 5_000_000), { nil: undefined }),
  coinsurance: fc.constantFrom(0.2, 0.5, 0.8, 1),
}, { requiredKeys: ['coverage', 'deductible', 'per_occurrence_limit'] });
const request$ = fc.record({ startIn: fc.integer({ min: 1, max: 364 }) /* from tomorrow: a run may cross midnight */, termYears: fc.constantFrom(1, 1, 1, 2, 3), basis: fc.constantFrom('annual', 'pay_per_use') })
  .chain(({ startIn, termYears, basis }) => fc.record({
    basis: fc.constant(basis),
    period: fc.constant({ start: isoDay(today + startIn * DAY), end: isoDay(today + startIn * DAY + Math.round(termYears * 365 - 1) * DAY) }),
    fleet: fc.array(line(termYears), { minLength: 1, maxLength: 4 }),
    coverages: fc.subarray([...COVERAGE_CODES], { minLength: 1 }).chain((codes) => fc.tuple(...codes.map(coverage))),
  })) as fc.Arbitrary<Body>;
const role = fc.constantFrom<'enterprise' | 'underwriter'>('enterprise', 'underwriter');

const covPremium = (r: Priced, c: string) => r.body.premium.coverages[c]?.gross_premium ?? 0;

describe('generated quote requests', () => {
  it('any valid request: 2xx with a premium that adds up, pay-per-use rate × hours = gross, rerate identical', async () => {
    await fc.assert(fc.asyncProperty(request$, role, async (body, as) => {
      const r = await quote(body, as);
      expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(201);
      const { premium, pay_per_use: ppu } = r.body;
      const sum = Object.values(premium.coverages).reduce((s, c) => s + c.gross_premium, 0);
      expect(money(sum, premium.total.gross_premium)).toBe(true);
      if (ppu.rate_per_operating_hour !== null) {
        expect(Math.abs(ppu.rate_per_operating_hour * ppu.expected_operating_hours - premium.total.gross_premium)).toBeLessThan(1e-6 * premium.total.gross_premium + 1e-6);
      }
      const rr = await request(ctx.baseUrl).post(`/v1/quotes/${r.body.ref}/rerate`).set(bearer(ctx.keys.underwriter));
      sent++;
      expect(rr.status).toBe(200);
      expect(rr.body.identical).toBe(true);
    }), { numRuns: runs(60) });
  }, 600_000);

  it('more units or more hours never lower the gross premium', async () => {
    await fc.assert(fc.asyncProperty(request$, role, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), async (body, as, i, more, hours) => {
      const k = i % body.fleet.length;
      const bigger = structuredClone(body);
      if (hours) {
        const max = Math.floor(8700 * (Date.parse((body.period as { end: string }).end) - Date.parse((body.period as { start: string }).start) + DAY) / DAY / 365);
        bigger.fleet[k].operating_hours_per_unit = Math.min(max, Number(bigger.fleet[k].operating_hours_per_unit) + more * 10);
      } else bigger.fleet[k].units = Number(bigger.fleet[k].units) + more;
      const [a, b] = [await quote(body, as), await quote(bigger, as)];
      expect(notBelow(a.body.premium.total.gross_premium, b.body.premium.total.gross_premium)).toBe(true);
    }), { numRuns: runs(50) });
  }, 600_000);

  it('a higher deductible never raises that coverage\'s premium; a higher limit or aggregate limit never lowers it', async () => {
    await fc.assert(fc.asyncProperty(request$, role, fc.nat(), fc.constantFrom('deductible', 'per_occurrence_limit', 'aggregate_limit'), fc.integer({ min: 1, max: 500_000 }), async (body, as, j, field, step) => {
      const c = body.coverages[j % body.coverages.length];
      const changed = structuredClone(body);
      const cc = changed.coverages[j % body.coverages.length];
      if (field === 'aggregate_limit') cc.aggregate_limit = (c.aggregate_limit === undefined ? 5_000_000 : Number(c.aggregate_limit)) + step;
      else cc[field] = Number(c[field]) + step;
      const base = field === 'aggregate_limit' && c.aggregate_limit === undefined ? { ...body, coverages: body.coverages.map((x, n) => (n === j % body.coverages.length ? { ...x, aggregate_limit: 5_000_000 } : x)) } : body;
      const [a, b] = [await quote(base, as), await quote(changed, as)];
      const code = String(c.coverage);
      if (field === 'deductible') expect(notBelow(covPremium(b, code), covPremium(a, code))).toBe(true);
      else expect(notBelow(covPremium(a, code), covPremium(b, code))).toBe(true);
    }), { numRuns: runs(50) });
  }, 600_000);

  it('a coverage with aggregate limit L: expected payments ≤ L and risk margin ≤ cost of capital × L', async () => {
    await fc.assert(fc.asyncProperty(request$, fc.constantFrom(1, 100, 10_000, 150_000), async (body, L) => {
      const capped = { ...body, coverages: body.coverages.map((c, n) => (n === 0 ? { ...c, aggregate_limit: L } : c)) };
      const r = await quote(capped, 'underwriter');
      const ws = await request(ctx.baseUrl).get(`/v1/quotes/${r.body.ref}/worksheet`).set(bearer(ctx.keys.underwriter));
      sent++;
      const coc = ws.body.plan.loadings.cost_of_capital as number;
      const cov = r.body.premium.coverages[String(body.coverages[0].coverage)];
      expect(cov.pure_premium).toBeLessThanOrEqual(L + 0.01);
      expect(cov.risk_margin).toBeLessThanOrEqual(coc * L + 0.01);
    }), { numRuns: runs(30) });
  }, 600_000);

  it('the result does not depend on the order of lines or coverages', async () => {
    await fc.assert(fc.asyncProperty(request$, role, async (body, as) => {
      const shuffled = { ...body, fleet: [...body.fleet].reverse(), coverages: [...body.coverages].reverse() };
      const [a, b] = [await quote(body, as), await quote(shuffled, as)];
      expect(money(a.body.premium.total.gross_premium, b.body.premium.total.gross_premium)).toBe(true);
      for (const c of body.coverages) expect(money(covPremium(a, String(c.coverage)), covPremium(b, String(c.coverage)))).toBe(true);
    }), { numRuns: runs(40) });
  }, 600_000);

  it('mutated requests (a field dropped, retyped or pushed out of range) get a 2xx or a 4xx problem naming a field, never a 5xx', async () => {
    const junk = fc.oneof(fc.constant(null), fc.constant(-1), fc.constant(0), fc.constant(1e300), fc.constant(''), fc.constant('x'.repeat(300)), fc.constant('2027-02-30'), fc.constant([]), fc.constant({}), fc.constant(true), fc.string());
    await fc.assert(fc.asyncProperty(request$, role, fc.nat(), fc.nat(), junk, async (body, as, pick, sub, value) => {
      const b = structuredClone(body) as Record<string, unknown>;
      const paths: (() => void)[] = [
        () => { b.basis = value; }, () => { b.period = value; }, () => { (b.period as Record<string, unknown>).start = value; },
        () => { (b.period as Record<string, unknown>).end = value; }, () => { b.fleet = value; }, () => { b.coverages = value; },
        () => { (b.fleet as Record<string, unknown>[])[sub % body.fleet.length][['robot_model', 'scenario_class', 'units', 'autonomy_level', 'operating_hours_per_unit', 'safety'][pick % 6]] = value; },
        () => { (b.coverages as Record<string, unknown>[])[sub % body.coverages.length][['coverage', 'deductible', 'per_occurrence_limit', 'aggregate_limit', 'coinsurance'][pick % 5]] = value; },
        () => { b.backdating = { reason: value }; },
        () => { b.unexpected = value; }, () => { delete b.period; },
      ];
      paths[(pick + sub) % paths.length]();
      const r = await quote(b as Body, as);
      if (r.status === 422) {
        const errors = (r.body as unknown as { errors?: { field: string }[] }).errors ?? [];
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.every((e) => typeof e.field === 'string' && e.field.length > 0)).toBe(true);
      }
    }), { numRuns: runs(150) });
  }, 600_000);
});
