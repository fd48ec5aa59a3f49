/**
 * Pay-per-use policies that bill (docs/policy-statements.md): fleet lines linked to the insured's
 * deployments, usage from imported exposures (a quarterly row split into months by days) and
 * declarations (which source wins), the monthly premium statement as JSON, CSV and PDF, the
 * minimum premium, tenant isolation and refused requests that name the field and write nothing.
 *
 * The policy period starts six months before the current month (an underwriter backdates it), so
 * that finished months exist whenever the test runs; expected figures are computed here from the
 * calendar, not taken from the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';
import { addDays, daysBetween } from '../../domain/calendar.ts';
import { monthBounds } from '../../models/premium/usage-statement.ts';

let ctx: TestContext;
const api = () => request(ctx.baseUrl);
const as = (key: string) => ({
  get: (p: string) => api().get(p).set(bearer(key)),
  post: (p: string, b?: unknown) => api().post(p).set(bearer(key)).send(b as object),
  put: (p: string, b?: unknown) => api().put(p).set(bearer(key)).send(b as object),
});
const uw = () => as(ctx.keys.underwriter);
const entA = () => as(ctx.keys.enterprise);
const entB = () => as(ctx.keyB);
const binary = (req: request.Test) => req.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

const now = new Date();
const monthOf = (offset: number) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
};
const M = [-6, -5, -4, -3, -2, -1, 0, 1].map(monthOf); // M[0] the first month of cover, M[6] the current month
const period = { start: `${M[0]}-01`, end: addDays(`${monthOf(6)}-01`, -1) };
const daysIn = (m: string) => { const b = monthBounds(m); return daysBetween(b.first, b.last) + 1; };
const periodDays = daysBetween(period.start, period.end) + 1;

let robot: { line1: string; line2: string };
let policyNo: string;
let annualNo: string;
let quote: { premium: { total: { gross_premium: number }; lines: { line: number; gross_premium: number }[] }; pay_per_use: { expected_operating_hours: number; rate_per_operating_hour: number } };

async function bindFor(basis: 'pay_per_use' | 'annual') {
  const q = await uw().post('/v1/quotes', {
    organization_ref: ctx.orgA, basis, period,
    backdating: { reason: 'Fleet on risk since the start of the period; usage reported monthly' },
    fleet: [
      { robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: { safety_officer_on_site: true } },
      { robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 6, autonomy_level: 'supervised', operating_hours_per_unit: 2500, safety: {} },
    ],
    coverages: [{ coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000 }, { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 }],
  });
  expect(q.status, JSON.stringify(q.body)).toBe(201);
  if (q.body.status === 'referred') {
    const d = await uw().post(`/v1/quotes/${q.body.ref}/decision`, { decision: 'quoted', note: 'Backdated pay-per-use cover accepted' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
  }
  for (const s of (await uw().get(`/v1/quotes/${q.body.ref}/subjectivities`)).body as { id: number; status: string }[]) {
    if (s.status === 'open') await uw().post(`/v1/quotes/${q.body.ref}/subjectivities/${s.id}`, { status: 'waived', note: 'test' });
  }
  const b = await uw().post(`/v1/quotes/${q.body.ref}/bind`);
  expect(b.status, JSON.stringify(b.body)).toBe(200);
  const fresh = (await uw().get(`/v1/quotes/${q.body.ref}`)).body;
  expect(fresh.policy_number).toMatch(/^RR-P-/);
  return { no: fresh.policy_number as string, quote: fresh };
}

beforeAll(async () => {
  ctx = await startTestApp({}, { demo: true });
  const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
  const imp = (kind: string, body: string) => api().post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('content-type', 'text/csv').send(body);
  robot = { line1: 'LMD-B300', line2: 'LMD-W200' };
  const dep = (ref: string, org: string, cls: string, model: string, units: number) => `${ref},${org},Guangdong,${cls},${model},${units},supervised,${period.start},`;
  const r1 = await imp('deployments', csv(
    'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
    dep('PPU-A1', ctx.orgA, 'manufacturing.assembly', robot.line1, 10),
    dep('PPU-A2', ctx.orgA, 'warehousing_logistics.picking', robot.line2, 6),
    dep('PPU-A3', ctx.orgA, 'maintenance.cleaning', robot.line1, 2),
    dep('PPU-A4', ctx.orgA, 'manufacturing.assembly', robot.line1, 3),
    dep('PPU-B1', ctx.orgB, 'manufacturing.assembly', robot.line1, 10),
  ));
  expect(r1.status, JSON.stringify(r1.body)).toBe(200);
  const quarterEnd = monthBounds(M[2]).last;
  const r2 = await imp('exposures', csv(
    'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses',
    `PPU-A1,${period.start},${quarterEnd},9000,0,0,0`, // one row over the first three months
    `PPU-A2,${M[1]}-01,${monthBounds(M[1]).last},2000,0,0,0`,
    `PPU-A1,${M[3]}-01,${monthBounds(M[3]).last},3100,0,0,0`,
  ));
  expect(r2.status, JSON.stringify(r2.body)).toBe(200);
  ({ no: policyNo, quote } = await bindFor('pay_per_use'));
  ({ no: annualNo } = await bindFor('annual'));
}, 300_000);
afterAll(async () => { await ctx?.close(); });

describe('linking fleet lines to deployments', () => {
  it('refuses other organizations’ and unknown deployments (naming the field), another class, the enterprise, and writes nothing', async () => {
    const path = `/v1/policies/${policyNo}/lines/1/deployments`;
    const before = await ctx.db('audit_events').count('* as n');
    const other = await uw().put(path, { deployment_refs: ['PPU-A1', 'PPU-B1', 'NOPE'] });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ status: 422, code: 'UNKNOWN_REFERENCE' });
    expect(other.body.errors.map((e: { field: string }) => e.field)).toEqual(['deployment_refs.1', 'deployment_refs.2']);
    // an unknown deployment and another organization's read the same
    expect(other.body.errors[0].message.replace('PPU-B1', 'X')).toBe(other.body.errors[1].message.replace('NOPE', 'X'));
    const cls = await uw().put(path, { deployment_refs: ['PPU-A3'] });
    expect(cls.status).toBe(422);
    expect(cls.body.errors[0]).toMatchObject({ field: 'deployment_refs.0' });
    expect(cls.body.errors[0].message).toContain('maintenance.cleaning');
    expect((await entA().put(path, { deployment_refs: ['PPU-A1'] })).status).toBe(403);
    expect((await uw().put(`/v1/policies/${policyNo}/lines/3/deployments`, { deployment_refs: [] })).body.errors[0].field).toBe('path.line');
    expect(await ctx.db('policy_line_deployments').count('* as n')).toEqual([{ n: 0 }]);
    expect(await ctx.db('audit_events').count('* as n')).toEqual(before);
  });

  it('links line 1 and line 2; a deployment cannot sit on two lines; the annual policy has no lines to bill', async () => {
    const l1 = await uw().put(`/v1/policies/${policyNo}/lines/1/deployments`, { deployment_refs: ['PPU-A1'] });
    expect(l1.status, JSON.stringify(l1.body)).toBe(200);
    const l2 = await uw().put(`/v1/policies/${policyNo}/lines/2/deployments`, { deployment_refs: ['PPU-A2'] });
    expect(l2.body.lines.map((l: { line: number; deployments: { deployment_ref: string }[] }) => [l.line, l.deployments.map((d) => d.deployment_ref)]))
      .toEqual([[1, ['PPU-A1']], [2, ['PPU-A2']]]);
    expect((await uw().put(`/v1/policies/${policyNo}/lines/2/deployments`, { deployment_refs: ['PPU-A2', 'PPU-A1'] })).status).toBe(422); // A1 is another class
    expect((await entA().get(`/v1/policies/${policyNo}/lines`)).body.lines).toHaveLength(2);
    expect((await entB().get(`/v1/policies/${policyNo}/lines`)).status).toBe(404);
    expect((await uw().get(`/v1/policies/${annualNo}/lines`)).status).toBe(409);
    const audit = await ctx.db('audit_events').where({ action: 'policy.line_deployments', entity_ref: policyNo });
    expect(audit).toHaveLength(2);
  });

  it('two policies with overlapping periods racing for one deployment: one links it, the other gets 409', async () => {
    const [{ no: a }, { no: b }] = [await bindFor('pay_per_use'), await bindFor('pay_per_use')];
    const link = (no: string) => uw().put(`/v1/policies/${no}/lines/1/deployments`, { deployment_refs: ['PPU-A4'] });
    const statuses = (await Promise.all([link(a), link(b)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await ctx.db('policy_line_deployments').join('deployments', 'deployments.id', 'policy_line_deployments.deployment_id').where('deployments.ref', 'PPU-A4')).toHaveLength(1);
  }, 120_000);
});

describe('rates and the quote', () => {
  it('rate × expected hours per line = the line’s gross; the lines add up to the quote’s gross premium to the cent', async () => {
    const s = (await entA().get(`/v1/policies/${policyNo}/statements/${M[1]}`)).body;
    let total = 0;
    for (const l of s.lines) {
      expect(Math.round(l.rate_per_operating_hour * l.line_expected_hours * 100)).toBe(Math.round(l.line_gross_premium * 100));
      const quoted = quote.premium.lines.filter((x) => x.line === l.line).reduce((a, x) => a + Math.round(x.gross_premium * 100), 0);
      expect(Math.round(l.line_gross_premium * 100)).toBe(quoted);
      total += quoted;
    }
    expect(total).toBe(Math.round(quote.premium.total.gross_premium * 100));
    expect(s.lines.map((l: { line_expected_hours: number }) => l.line_expected_hours)).toEqual([20_000, 15_000]);
    // the quote's policy rate × its expected hours: the gross premium to the cent as well
    expect(quote.pay_per_use.expected_operating_hours).toBe(35_000);
    expect(Math.round(quote.pay_per_use.rate_per_operating_hour * 35_000 * 100)).toBe(Math.round(quote.premium.total.gross_premium * 100));
  });
});

describe('statements', () => {
  it('a quarterly exposure row is split into its months by days; expected hours are the quote’s, pro rata', async () => {
    const d = [daysIn(M[0]), daysIn(M[1]), daysIn(M[2])];
    const quarter = d[0] + d[1] + d[2];
    for (let i = 0; i < 3; i++) {
      const s = (await entA().get(`/v1/policies/${policyNo}/statements/${M[i]}`)).body;
      expect(s).toMatchObject({ month: M[i], days: d[i], period_days: periodDays, status: 'final' });
      const l1 = s.lines[0];
      expect(l1.deployments[0]).toMatchObject({ deployment_ref: 'PPU-A1', source: 'imported', declared_by_enterprise: null, declared_by_underwriter: null });
      expect(l1.deployments[0].imported_hours).toBeCloseTo(9000 * d[i] / quarter, 2);
      expect(l1.billed_hours).toBeCloseTo(9000 * d[i] / quarter, 2);
      expect(l1.expected_hours).toBeCloseTo(20_000 * d[i] / periodDays, 2);
      expect(l1.amount).toBeCloseTo(l1.line_gross_premium * l1.billed_hours / 20_000, 2);
      expect(l1.billed_minus_expected).toBeCloseTo(l1.billed_hours - l1.expected_hours, 6);
    }
  });

  it('declarations: the insured’s lower figure does not cut the imported hours, a higher one adds; an underwriter’s wins; both shown', async () => {
    const low = await entA().post(`/v1/policies/${policyNo}/usage`, { month: M[1], deployment_ref: 'PPU-A2', operating_hours: 1500, note: 'our count' });
    expect(low.status, JSON.stringify(low.body)).toBe(201);
    expect(low.body).toMatchObject({ declared_role: 'enterprise', operating_hours: 1500, note: 'our count' });
    let s = (await entA().get(`/v1/policies/${policyNo}/statements/${M[1]}`)).body;
    expect(s.lines[1].deployments[0]).toMatchObject({ imported_hours: 2000, billed_hours: 2000, source: 'imported', declared_by_enterprise: { operating_hours: 1500, declared_role: 'enterprise' } });
    expect(s.lines[1]).toMatchObject({ declared_hours: 1500, billed_hours: 2000 });
    expect(s.lines[1].declared_minus_expected).toBeCloseTo(1500 - s.lines[1].expected_hours, 6);

    const uwDecl = await uw().post(`/v1/policies/${policyNo}/usage`, { month: M[1], deployment_ref: 'PPU-A2', operating_hours: 1800.004 });
    expect(uwDecl.body).toMatchObject({ declared_role: 'underwriter', operating_hours: 1800 });
    s = (await entA().get(`/v1/policies/${policyNo}/statements/${M[1]}`)).body;
    expect(s.lines[1].deployments[0]).toMatchObject({ imported_hours: 2000, billed_hours: 1800, source: 'declared_by_underwriter' });
    expect(s.lines[1].deployments[0].declared_by_enterprise.operating_hours).toBe(1500);
    expect(s.lines[1].declared_hours).toBe(1800);

    // no exposure in month M[4] for line 1: the insured declares 1,234.5 h
    await entA().post(`/v1/policies/${policyNo}/usage`, { month: M[4], deployment_ref: 'PPU-A1', operating_hours: 1234.5 });
    s = (await entA().get(`/v1/policies/${policyNo}/statements/${M[4]}`)).body;
    expect(s.lines[0].deployments[0]).toMatchObject({ imported_hours: null, billed_hours: 1234.5, source: 'declared_by_enterprise' });
    expect(await ctx.db('audit_events').where({ action: 'policy.usage_declared', entity_ref: policyNo })).toHaveLength(3);
  });

  it('a month with no usage is billed its share of the minimum premium; the shares add up over the period', async () => {
    const s = (await uw().get(`/v1/policies/${policyNo}/statements/${M[5]}`)).body;
    expect(s.billed_hours).toBe(0);
    expect(s.subtotal).toBe(0);
    expect(s.minimum_premium).toBeGreaterThan(0);
    expect(s).toMatchObject({ minimum_premium_adjustment: s.minimum_premium, total: s.minimum_premium });
    let shares = 0;
    for (let i = 0; i < 12; i++) shares += Math.round((await uw().get(`/v1/policies/${policyNo}/statements/${monthOf(i - 6)}`)).body.minimum_premium * 100);
    const minimum = (await ctx.db('quotes').join('policies', 'policies.quote_id', 'quotes.id').where('policies.policy_number', policyNo)
      .first(ctx.db.raw(`(quotes.worksheet #>> '{plan,loadings,minimum_premium}')::float8 as m`))).m;
    expect(shares).toBe(Math.round(minimum * 100));
  });

  it('the list: every month begun, the current one provisional', async () => {
    const r = await entA().get(`/v1/policies/${policyNo}/statements`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((x: { month: string }) => x.month)).toEqual(M.slice(0, 7));
    expect(r.body.data[6].status).toBe('provisional');
    expect(r.body.data[0].status).toBe('final');
  });

  it('CSV and PDF of a month', async () => {
    const c = await entA().get(`/v1/policies/${policyNo}/statements/${M[1]}`).set('accept', 'text/csv');
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(c.text, { columns: true }) as Record<string, string>[];
    const json = (await entA().get(`/v1/policies/${policyNo}/statements/${M[1]}`)).body;
    expect(rows.find((r) => r.row === 'total')!.amount_cny).toBe(String(json.total));
    expect(rows.filter((r) => r.row === 'line').map((r) => Number(r.amount_cny))).toEqual(json.lines.map((l: { amount: number }) => l.amount));

    const url = `/v1/policies/${policyNo}/statements/${M[1]}/pdf?creation_date=2026-11-30T00:00:00Z`;
    const pdf = await binary(entA().get(url));
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const t = pdfText(pdf.body, ['-layout']);
    const money = (x: number) => `CNY ${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const s of [policyNo, 'Premium statement', '深圳测试机器人有限公司', M[1], money(json.total), money(json.lines[0].amount), 'PPU-A2', "underwriter's declaration"]) expect(t).toContain(s);
    for (const n of darkPixelsPerPage(pdf.body)) expect(n).toBeGreaterThan(200);
  });

  it('tenant isolation: another enterprise gets 404 everywhere, a regulator 403', async () => {
    for (const p of [`/v1/policies/${policyNo}/statements`, `/v1/policies/${policyNo}/statements/${M[1]}`, `/v1/policies/${policyNo}/statements/${M[1]}/pdf`]) {
      expect((await entB().get(p)).status).toBe(404);
      expect((await as(ctx.keys.regulator).get(p)).status).toBe(403);
    }
    const before = await ctx.db('policy_usage_declarations').count('* as n');
    expect((await entB().post(`/v1/policies/${policyNo}/usage`, { month: M[1], deployment_ref: 'PPU-A2', operating_hours: 1 })).status).toBe(404);
    expect(await ctx.db('policy_usage_declarations').count('* as n')).toEqual(before);
  });

  it('refused: months outside the period, months not begun, unlinked deployments, too many hours, annual policies — naming the field, writing nothing', async () => {
    const outside = await uw().get(`/v1/policies/${policyNo}/statements/${monthOf(-7)}`);
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ status: 422, errors: [{ field: 'month' }] });
    expect((await uw().get(`/v1/policies/${policyNo}/statements/${monthOf(6)}`)).body.errors[0].field).toBe('month');
    expect((await uw().get(`/v1/policies/${policyNo}/statements/2026-13`)).body.errors[0].field).toBe('path.month');
    const before = await ctx.db('policy_usage_declarations').count('* as n');
    const post = (b: object) => entA().post(`/v1/policies/${policyNo}/usage`, b);
    expect((await post({ month: monthOf(-7), deployment_ref: 'PPU-A1', operating_hours: 1 })).body.errors[0].field).toBe('month');
    expect((await post({ month: M[7], deployment_ref: 'PPU-A1', operating_hours: 1 })).body.errors[0].field).toBe('month');
    expect((await post({ month: M[1], deployment_ref: 'PPU-A3', operating_hours: 1 })).body.errors[0].field).toBe('deployment_ref');
    const tooMany = await post({ month: M[1], deployment_ref: 'PPU-A1', operating_hours: 10 * 24 * daysIn(M[1]) + 1 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].field).toBe('operating_hours');
    expect((await post({ month: M[1], deployment_ref: 'PPU-A1', operating_hours: -1 })).body.errors[0].field).toBe('operating_hours');
    expect((await post({ month: M[1], deployment_ref: 'PPU-A1', operating_hours: 1, extra: 1 })).status).toBe(422);
    expect(await ctx.db('policy_usage_declarations').count('* as n')).toEqual(before);
    const annual = await uw().get(`/v1/policies/${annualNo}/statements/${M[1]}`);
    expect(annual.status).toBe(409);
    expect(annual.body.detail).toContain('pay-per-use');
    expect((await uw().get(`/v1/policies/RR-P-2026-999999/statements/${M[1]}`)).status).toBe(404);
  });
});
