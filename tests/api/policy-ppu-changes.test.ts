/**
 * Mid-term changes of a pay-per-use policy over HTTP (docs/policy-changes.md §2,
 * docs/policy-statements.md "Changes during the period"): an endorsement re-rates the fleet (the
 * rate per operating hour changes from its effective date), the statement of the month holding it
 * bills each part of the month at its own rate, a cancellation stops the billing at its effective
 * date and pro-rates the minimum premium. Expected amounts are computed here with integer
 * arithmetic from the premiums the quote and the re-rating state, independently of
 * models/premium/usage-statement.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { pdfText } from '../helpers/pdf.ts';

let ctx: TestContext;
const api = () => request(ctx.baseUrl);
const uw = {
  get: (p: string) => api().get(p).set(bearer(ctx.keys.underwriter)),
  post: (p: string, b?: unknown) => api().post(p).set(bearer(ctx.keys.underwriter)).send(b as object),
  put: (p: string, b?: unknown) => api().put(p).set(bearer(ctx.keys.underwriter)).send(b as object),
};
const PERIOD = { start: '2025-01-01', end: '2025-12-31' }; // 365 days, every month final
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const cents = (x: number) => Math.round(x * 100);
/** n / d rounded half away from zero, in BigInt (hand arithmetic). */
const div = (n: bigint, d: bigint) => { const neg = (n < 0n) !== (d < 0n); const a = n < 0n ? -n : n; const b = d < 0n ? -d : d; const q = (2n * a + b) / (2n * b); return Number(neg ? -q : q); };
/** Largest-remainder split of `total` cents by `weights` (ties to the earlier part). */
const largestRemainder = (total: number, weights: number[]) => {
  const sum = weights.reduce((a, b) => a + b, 0);
  const base = weights.map((w) => Math.floor((total * w) / sum));
  const order = weights.map((w, i) => ({ i, r: (total * w) % sum })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0, rest = total - base.reduce((a, b) => a + b, 0); rest > 0; k++, rest--) base[order[k].i] += 1;
  return base;
};

let policyNo = '';
let boundLineCents = 0; // line 1's gross premium as bound, cents
let minimumCents = 0;

beforeAll(async () => {
  ctx = await startTestApp({}, { demo: true });
  const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
  const imp = await api().post('/v1/imports/deployments').set(bearer(ctx.keys.actuary)).set('content-type', 'text/csv').send(csv(
    'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
    `PPX-A1,ORG-A,Guangdong,manufacturing.assembly,LMD-B300,14,supervised,${PERIOD.start},`,
  ));
  expect(imp.status, JSON.stringify(imp.body)).toBe(200);
  const q = await uw.post('/v1/quotes', {
    organization_ref: 'ORG-A', basis: 'pay_per_use', period: PERIOD, backdating: { reason: 'usage-based cover since January, reported monthly' },
    fleet: [{ robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: { safety_officer_on_site: true } }],
    coverages: [{ coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000 }, { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 }],
  });
  expect(q.status, JSON.stringify(q.body)).toBe(201);
  if (q.body.status === 'referred') expect((await uw.post(`/v1/quotes/${q.body.ref}/decision`, { decision: 'quoted', note: 'backdated pay-per-use' })).status).toBe(200);
  for (const s of (await uw.get(`/v1/quotes/${q.body.ref}/subjectivities`)).body as { id: number; status: string }[]) {
    if (s.status === 'open') await uw.post(`/v1/quotes/${q.body.ref}/subjectivities/${s.id}`, { status: 'waived', note: 'test' });
  }
  expect((await uw.post(`/v1/quotes/${q.body.ref}/bind`)).status).toBe(200);
  const quote = (await uw.get(`/v1/quotes/${q.body.ref}`)).body;
  policyNo = quote.policy_number;
  boundLineCents = (quote.premium.lines as { line: number; gross_premium: number }[]).reduce((a, l) => a + cents(l.gross_premium), 0);
  minimumCents = cents((await ctx.db('quotes').where({ ref: q.body.ref }).first(ctx.db.raw(`(worksheet #>> '{plan,loadings,minimum_premium}')::float8 as m`))).m);
  expect((await uw.put(`/v1/policies/${policyNo}/lines/1/deployments`, { deployment_refs: ['PPX-A1'] })).status).toBe(200);
  for (const [month, h] of [['2025-02', 1700], ['2025-03', 2000.5], ['2025-04', 2400], ['2025-09', 800]] as const) {
    expect((await uw.post(`/v1/policies/${policyNo}/usage`, { month, deployment_ref: 'PPX-A1', operating_hours: h })).status).toBe(201);
  }
}, 600_000);
afterAll(async () => { await ctx?.close(); });

interface Change { seq: number; kind: string; effective_date: string; remaining_days: number; annual_premium_before: number; annual_premium_after: number; premium: number; details: Record<string, unknown> }

describe('a pay-per-use policy changes mid-term', () => {
  let afterLineCents = 0;
  let writtenCents = 0;

  it('adding 2 units and removing them on the same day nets zero premium and leaves the statements as they were', async () => {
    const march = (await uw.get(`/v1/policies/${policyNo}/statements/2025-03`)).body;
    const add = await uw.post(`/v1/policies/${policyNo}/endorsements`, { effective_date: '2025-03-17', reason: 'two on trial', lines: [{ line: 1, add_units: 2 }] });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    const remove = await uw.post(`/v1/policies/${policyNo}/endorsements`, { effective_date: '2025-03-17', reason: 'trial cancelled', lines: [{ line: 1, remove_units: 2 }] });
    expect(remove.status, JSON.stringify(remove.body)).toBe(201);
    const [, a, r] = remove.body.changes as Change[];
    expect(cents(a.premium) + cents(r.premium)).toBe(0);
    expect(cents(r.annual_premium_after)).toBe(boundLineCents);
    expect(cents(remove.body.premium_in_force.written_premium)).toBe(boundLineCents);
    const again = (await uw.get(`/v1/policies/${policyNo}/statements/2025-03`)).body;
    const figures = (x: { total: number; lines: { amount: number; expected_amount: number; expected_hours: number; units: number; rate_per_operating_hour: number }[] }) =>
      [x.total, x.lines[0].amount, x.lines[0].expected_amount, x.lines[0].expected_hours, x.lines[0].units];
    expect(figures(again)).toEqual(figures(march));
    expect(again.lines[0].rate_per_operating_hour).toBeCloseTo(march.lines[0].rate_per_operating_hour, 12);
    // the schedule is the bound one on both sides of 2025-03-17: the month is not split (one rate, as before the changes)
    expect(again.lines[0].rates).toEqual(march.lines[0].rates);
    expect(again.lines[0].rates.map((x: { line_gross_premium: number }) => cents(x.line_gross_premium))).toEqual([boundLineCents]);
  });

  it('an endorsement adding 4 units from 2025-03-17 re-rates the line: its rate changes from that day; the change states the expected premium', async () => {
    const r = await uw.post(`/v1/policies/${policyNo}/endorsements`, { effective_date: '2025-03-17', reason: 'four more robots on the line', lines: [{ line: 1, add_units: 4 }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const e = (r.body.changes as Change[])[3];
    expect(e).toMatchObject({ kind: 'endorsement', effective_date: '2025-03-17', remaining_days: 290 }); // 15 days of March + 275
    const lines = e.details.schedule_lines as { line: number; units: number; expected_hours: number; gross_premium: number }[];
    expect(lines).toEqual([expect.objectContaining({ line: 1, units: 14, expected_hours: 28_000 })]);
    afterLineCents = cents(lines[0].gross_premium);
    expect(afterLineCents).toBe(cents(e.annual_premium_after));
    expect(afterLineCents).toBeGreaterThan(boundLineCents);
    // the change's premium: (after − before) × 290 / 365, to the cent
    expect(cents(e.premium)).toBe(div(BigInt(afterLineCents - boundLineCents) * 290n, 365n));
    expect(e.details).toMatchObject({ billing: 'statements', rates_after: [{ line: 1 }] });
    expect((e.details.rates_after as { rate_per_operating_hour: number }[])[0].rate_per_operating_hour).toBeCloseTo(afterLineCents / 100 / 28_000, 12);
    writtenCents = cents(r.body.premium_in_force.written_premium);
    expect(writtenCents).toBe(boundLineCents + cents(e.premium));
    const audit = await ctx.db('audit_events').where({ action: 'policy.endorse', entity_ref: policyNo });
    expect(audit).toHaveLength(3);
  });

  it('February bills at the bound rate, April at the new one; March is split at the 17th, hours weighted by expected hours', async () => {
    const feb = (await uw.get(`/v1/policies/${policyNo}/statements/2025-02`)).body;
    expect(feb.lines[0]).toMatchObject({ units: 10, line_expected_hours: 20_000, billed_hours: 1700 });
    expect(cents(feb.lines[0].amount)).toBe(div(BigInt(boundLineCents) * 1700n, 20_000n));
    expect(feb.lines[0].rates).toHaveLength(1);

    const apr = (await uw.get(`/v1/policies/${policyNo}/statements/2025-04`)).body;
    expect(apr.lines[0]).toMatchObject({ units: 14, line_expected_hours: 28_000, billed_hours: 2400 });
    expect(cents(apr.lines[0].amount)).toBe(div(BigInt(afterLineCents) * 2400n, 28_000n));
    expect(cents(apr.lines[0].expected_amount)).toBe(div(BigInt(afterLineCents) * 30n, 365n));

    const mar = (await uw.get(`/v1/policies/${policyNo}/statements/2025-03`)).body;
    const l = mar.lines[0];
    expect(l.rates.map((x: { from: string; to: string; days: number; line_expected_hours: number }) => [x.from, x.to, x.days, x.line_expected_hours]))
      .toEqual([['2025-03-01', '2025-03-16', 16, 20_000], ['2025-03-17', '2025-03-31', 15, 28_000]]);
    // Σ G_k d_k (cent·days) and Σ E_k d_k (hour·days)
    const gd = BigInt(boundLineCents) * 16n + BigInt(afterLineCents) * 15n;
    const ed = 20_000n * 16n + 28_000n * 15n;
    // 2,000.5 h = 200,050 hundredths: amount = 200,050 × gd / (100 × ed)
    expect(cents(l.amount)).toBe(div(200_050n * gd, 100n * ed));
    expect(cents(l.expected_amount)).toBe(div(gd, 365n));
    expect(cents(l.expected_hours)).toBe(div(ed * 100n, 365n));
    expect(l).toMatchObject({ units: 14, line_expected_hours: 28_000 });
    const pdf = await uw.get(`/v1/policies/${policyNo}/statements/2025-03/pdf?creation_date=2026-01-01T00:00:00Z`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (x: Buffer) => chunks.push(x));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const text = pdfText(pdf.body as Buffer, ['-layout']).replace(/\s+/g, ' ');
    expect(text).toContain('Endorsement during the month');
    expect(text).toContain('Line 1: 2025-03-01 to 2025-03-16 (16 days)');
  });

  it('billing the expected hours: the months’ expected amounts add up to the written (expected) premium within half a cent a month', async () => {
    let sum = 0;
    for (const m of MONTHS) sum += cents((await uw.get(`/v1/policies/${policyNo}/statements/${m}`)).body.lines[0].expected_amount);
    expect(Math.abs(sum - writtenCents)).toBeLessThanOrEqual(6);
  });

  it('refused changes name the field or the state and write nothing', async () => {
    const before = await Promise.all(['policy_changes', 'policy_units', 'audit_events'].map((t) => ctx.db(t).count('* as n')));
    const early = await uw.post(`/v1/policies/${policyNo}/endorsements`, { effective_date: '2025-03-01', reason: 'earlier', lines: [{ line: 1, remove_units: 1 }] });
    expect(early.status).toBe(409);
    const outside = await uw.post(`/v1/policies/${policyNo}/cancellation`, { effective_date: '2026-01-01', reason: 'late' });
    expect(outside.status).toBe(422);
    expect(outside.body.errors[0].field).toBe('effective_date');
    const zero = await uw.post(`/v1/policies/${policyNo}/endorsements`, { effective_date: '2025-05-01', reason: 'all gone', lines: [{ line: 1, remove_units: 14 }] });
    expect(zero.status).toBe(422);
    expect(zero.body.errors[0].field).toBe('lines.0');
    const ent = await api().post(`/v1/policies/${policyNo}/cancellation`).set(bearer(ctx.keys.enterprise)).send({ effective_date: '2025-09-11', reason: 'x' });
    expect(ent.status).toBe(403);
    expect(await Promise.all(['policy_changes', 'policy_units', 'audit_events'].map((t) => ctx.db(t).count('* as n')))).toEqual(before);
  });

  it('a cancellation from 2025-09-11 stops billing on the 10th: September bills 10 days and 10/30 of its minimum; later months have no statement', async () => {
    const r = await uw.post(`/v1/policies/${policyNo}/cancellation`, { effective_date: '2025-09-11', reason: 'line closed' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const c = (r.body.changes as Change[])[4];
    expect(c).toMatchObject({ kind: 'cancellation', effective_date: '2025-09-11' });
    // return = written − earned; earned = bound × 253 / 365 + (after − bound) × 178 / 365 (days in force before 2025-09-11)
    const earned = div(BigInt(boundLineCents) * 253n + BigInt(afterLineCents - boundLineCents) * 178n, 365n);
    expect(cents(c.premium)).toBe(-(writtenCents - earned));

    const sep = (await uw.get(`/v1/policies/${policyNo}/statements/2025-09`)).body;
    expect(sep).toMatchObject({ from: '2025-09-01', to: '2025-09-10', days: 10, period_days: 365 });
    const shares = largestRemainder(minimumCents, DAYS);
    expect(cents(sep.minimum_premium)).toBe(div(BigInt(shares[8]) * 10n, 30n));
    expect(cents((await uw.get(`/v1/policies/${policyNo}/statements/2025-08`)).body.minimum_premium)).toBe(shares[7]);
    expect(cents(sep.lines[0].expected_hours)).toBe(div(28_000n * 10n * 100n, 365n));
    expect(cents(sep.lines[0].amount)).toBe(div(BigInt(afterLineCents) * 800n, 28_000n));

    expect((await uw.get(`/v1/policies/${policyNo}/statements/2025-10`)).body.errors[0].field).toBe('month');
    const list = (await uw.get(`/v1/policies/${policyNo}/statements`)).body.data.map((x: { month: string }) => x.month);
    expect(list).toEqual(MONTHS.slice(0, 9));
    const late = await uw.post(`/v1/policies/${policyNo}/usage`, { month: '2025-10', deployment_ref: 'PPX-A1', operating_hours: 1 });
    expect(late.status).toBe(422);
    expect(late.body.errors[0].field).toBe('month');
    // the minimum billed over the cover: M × 253 / 365 within a cent a month
    let minimum = 0;
    for (const m of MONTHS.slice(0, 9)) minimum += cents((await uw.get(`/v1/policies/${policyNo}/statements/${m}`)).body.minimum_premium);
    expect(Math.abs(minimum - (minimumCents * 253) / 365)).toBeLessThanOrEqual(9);
  });

  it('the changes view and the binder show the endorsement and the cancellation of the pay-per-use policy', async () => {
    const v = (await api().get(`/v1/policies/${policyNo}/changes`).set(bearer(ctx.keys.enterprise))).body;
    expect(v.changes.map((c: Change) => c.kind)).toEqual(['bind', 'endorsement', 'endorsement', 'endorsement', 'cancellation']);
    expect(v.status).toBe('cancelled');
    const pdf = await api().get(`/v1/policies/${policyNo}/document`).set(bearer(ctx.keys.underwriter)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (x: Buffer) => chunks.push(x));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body as Buffer, ['-layout']).replace(/\s+/g, ' ');
    for (const s of ['Endorsements and cancellation', 'Endorsement', 'Cancellation', 'four more robots on the line', 'Pay-per-use: the premiums above are expected premiums']) expect(text).toContain(s);
  });
});
