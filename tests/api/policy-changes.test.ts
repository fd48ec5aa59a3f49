/**
 * Identified units, endorsements and cancellation over HTTP (docs/policy-changes.md): serials at
 * bind and their uniqueness across live policies, pro-rata endorsement premiums and the return
 * premium of a cancellation checked against hand arithmetic, refused transitions, tenant
 * isolation, the claims view and unit checks, the binder's text, and the loss ratios of the
 * changed policy (earned premium from its segments, losses from its linked deployments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';
import { lossRatios } from '../../services/statistics.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 600_000);
afterAll(async () => { await ctx?.close(); });

const PERIOD = { start: '2025-01-01', end: '2025-12-31' }; // 365 days
const D = 365;
const serials = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
const cents = (x: number) => Math.round(x * 100);
/** a × n / d in cents, rounded half away from zero (hand arithmetic, independent of models/premium/pro-rata.ts). */
const share = (aCents: number, n: number, d: number) => Math.sign(aCents) * Math.floor((2 * Math.abs(aCents) * n + d) / (2 * d));

const post = (path: string, key: string, body?: unknown) => {
  const r = request(ctx.baseUrl).post(path).set(bearer(key));
  return body === undefined ? r : r.send(body as object);
};
const get = (path: string, key: string) => request(ctx.baseUrl).get(path).set(bearer(key));

/** A backdated 2025 quote of `org` by the underwriter (so that 2025 incidents fall in its period). */
async function quote(org: string) {
  const r = await post('/v1/quotes', ctx.keys.underwriter, { ...baseQuoteRequest(), organization_ref: org, period: PERIOD, backdating: { reason: 'retroactive cover agreed for the 2025 validation year' } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.status).toBe('quoted');
  return r.body.ref as string;
}

async function bind(ref: string, body?: unknown) {
  const r = await post(`/v1/quotes/${ref}/bind`, ctx.keys.underwriter, body ?? {});
  return r;
}

async function policyOf(ref: string): Promise<string> {
  const r = await get(`/v1/quotes/${ref}`, ctx.keys.underwriter);
  expect(r.body.policy_number, JSON.stringify(r.body)).toMatch(/^RR-P-/);
  return r.body.policy_number as string;
}

interface Change { seq: number; kind: string; effective_date: string; annual_premium_before: number; annual_premium_after: number; premium: number; details: Record<string, unknown> }
interface Changes { changes: Change[]; premium_in_force: { annual_premium: number; written_premium: number }; units: { line: number; serial_number: string; cover_from: string; cover_until: string }[] }

describe('identified units, endorsements and cancellation', () => {
  const LINE1 = serials('ub-a', 10); // line 1 has 10 units
  let refA = '';
  let noA = '';

  const rules = () => disclosureRulesOf({ ...ctx.config, DISCLOSURE_MIN_CONTRIBUTORS: 1, DISCLOSURE_DOMINANCE: 1, DISCLOSURE_P_PERCENT: 0 }); // disclosure control off
  const total2025 = async () => (await lossRatios(ctx.db, { group_by: [], from: '2025-01-01', to: '2025-12-31', period_unit: 'year' }, rules())).cells[0] as
    { earned_premium: number; incurred_losses: number } | undefined;
  /** The demo's bound business of 2025, before these tests bind anything. */
  let baseline = { earned_premium: 0, incurred_losses: 0 };

  it('binds with serial numbers per line: exactly as many as units, canonical, unique; a refused bind writes nothing', async () => {
    baseline = (await total2025()) ?? baseline;
    refA = await quote('ORG-A');
    const short = await bind(refA, { units: [{ line: 1, serial_numbers: LINE1.slice(0, 9) }] });
    expect(short.status).toBe(422);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['units.0.serial_numbers']);
    const dup = await bind(refA, { units: [{ line: 1, serial_numbers: [...LINE1.slice(0, 9), 'UB-A-001'] }] });
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0].field).toBe('units.0.serial_numbers.9');
    const badLine = await bind(refA, { units: [{ line: 3, serial_numbers: ['X'] }] });
    expect(badLine.status).toBe(422);
    expect((await get(`/v1/quotes/${refA}`, ctx.keys.underwriter)).body.status).toBe('quoted');

    const ok = await bind(refA, { units: [{ line: 1, serial_numbers: LINE1 }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    noA = await policyOf(refA);
    const v = (await get(`/v1/policies/${noA}/changes`, ctx.keys.underwriter)).body as Changes;
    expect(v.units.map((u) => u.serial_number)).toEqual(LINE1.map((s) => s.toUpperCase()));
    expect(v.units.every((u) => u.line === 1 && u.cover_from === PERIOD.start && u.cover_until === PERIOD.end)).toBe(true);
    expect(v.changes).toHaveLength(1);
    expect(v.changes[0]).toMatchObject({ seq: 1, kind: 'bind', premium: v.premium_in_force.annual_premium });
  });

  it('a serial on a live policy cannot be insured again (409 naming it), in any case or width; after the cover ends it can', async () => {
    const refB = await quote('ORG-B');
    const clash = await bind(refB, { units: [{ line: 1, serial_numbers: ['ub-a-003', ...serials('ub-b', 9)] }] });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain('UB-A-003');
    expect(clash.body.detail).not.toContain(noA); // never which policy holds it
    expect((await get(`/v1/quotes/${refB}`, ctx.keys.underwriter)).body.status).toBe('quoted');
    // the database refuses an overlapping cover even past the service (trigger policy_units_serial_live)
    const { id } = await ctx.db('policies').where({ policy_number: noA }).first('id');
    await expect(ctx.db('policy_units').insert({ policy_id: id, line: 2, serial_number: 'UB-A-004', cover_from: '2025-06-01', cover_until: '2025-06-30', added_by_change: 1 }))
      .rejects.toThrow(/UB-A-004 is already on a live policy/);
    // a renewal starting the day after expiry does not overlap
    await ctx.db('policy_units').insert({ policy_id: id, line: 2, serial_number: 'UB-A-004', cover_from: '2026-01-01', cover_until: '2026-12-31', added_by_change: 1 });
    await ctx.db('policy_units').where({ policy_id: id, serial_number: 'UB-A-004', cover_from: '2026-01-01' }).del();
    expect(await bind(refB, { units: [{ line: 1, serial_numbers: serials('ub-b', 10) }] })).toHaveProperty('status', 200);
  });

  let annual0 = 0;
  it('adding two units from 2025-04-01 charges (new − old full-term premium) × 275 / 365; removing them the same day returns exactly as much', async () => {
    const before = (await get(`/v1/policies/${noA}/changes`, ctx.keys.underwriter)).body as Changes;
    annual0 = before.premium_in_force.annual_premium;
    const add = await post(`/v1/policies/${noA}/endorsements`, ctx.keys.underwriter, {
      effective_date: '2025-04-01', reason: 'two more robots on the assembly line', lines: [{ line: 1, add_serial_numbers: ['UB-A-011', 'ub-a-012'] }],
    });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    const a = (add.body as Changes).changes[1];
    expect(a).toMatchObject({ seq: 2, kind: 'endorsement', effective_date: '2025-04-01', annual_premium_before: annual0 });
    expect(a.annual_premium_after).toBeGreaterThan(annual0); // more robots, more premium
    // Apr..Dec = 275 days of 365
    expect(cents(a.premium)).toBe(share(cents(a.annual_premium_after) - cents(annual0), 275, D));
    const fleet = (await get(`/v1/policies/${noA}`, ctx.keys.underwriter)).body.schedule.fleet;
    expect(fleet[0].units).toBe(12);

    const remove = await post(`/v1/policies/${noA}/endorsements`, ctx.keys.underwriter, {
      effective_date: '2025-04-01', reason: 'booked by mistake', lines: [{ line: 1, remove_serial_numbers: ['UB-A-011', 'UB-A-012'] }],
    });
    expect(remove.status, JSON.stringify(remove.body)).toBe(201);
    const v = remove.body as Changes;
    expect(v.changes[2].annual_premium_after).toBe(annual0); // re-rated with the stored versions: the same premium to the cent
    expect(cents(v.changes[2].premium)).toBe(-cents(a.premium));
    expect(v.premium_in_force).toEqual({ annual_premium: annual0, written_premium: annual0 });
    const removed = v.units.filter((u) => u.serial_number === 'UB-A-011');
    expect(removed).toEqual([{ line: 1, serial_number: 'UB-A-011', cover_from: '2025-04-01', cover_until: '2025-03-31' }]); // never covered
  });

  let written = 0;
  it('a line without identified units changes by counts; refused changes name the field or the state and write nothing', async () => {
    const r = await post(`/v1/policies/${noA}/endorsements`, ctx.keys.underwriter, { effective_date: '2025-07-01', reason: 'three more pickers', lines: [{ line: 2, add_units: 3 }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = (r.body as Changes).changes[3];
    // Jul..Dec = 184 days
    expect(cents(c.premium)).toBe(share(cents(c.annual_premium_after) - cents(c.annual_premium_before), 184, D));
    written = (r.body as Changes).premium_in_force.written_premium;
    expect(cents(written)).toBe(cents(annual0) + cents(c.premium));

    const audits = await ctx.db('audit_events').where({ entity: 'policy', entity_ref: noA, action: 'policy.endorse' }).count('* as n').first();
    expect(Number(audits!.n)).toBe(3);
    const refused = [
      [{ effective_date: '2025-06-30', reason: 'late', lines: [{ line: 2, add_units: 1 }] }, 409], // before the latest change
      [{ effective_date: '2026-01-01', reason: 'after expiry', lines: [{ line: 2, add_units: 1 }] }, 422],
      [{ effective_date: '2025-08-01', reason: 'serials on a counted line', lines: [{ line: 2, add_serial_numbers: ['X-1'] }] }, 422],
      [{ effective_date: '2025-08-01', reason: 'counts on an identified line', lines: [{ line: 1, add_units: 1 }] }, 422],
      [{ effective_date: '2025-08-01', reason: 'not insured', lines: [{ line: 1, remove_serial_numbers: ['UB-A-011'] }] }, 422],
      [{ effective_date: '2025-08-01', reason: 'on another policy', lines: [{ line: 1, add_serial_numbers: ['UB-B-001'] }] }, 409],
      [{ effective_date: '2025-08-01', reason: 'all units', lines: [{ line: 2, remove_units: 9 }] }, 422],
      [{ effective_date: '2025-08-01', reason: 'no such line', lines: [{ line: 9, add_units: 1 }] }, 422],
    ] as const;
    for (const [body, status] of refused) {
      const x = await post(`/v1/policies/${noA}/endorsements`, ctx.keys.underwriter, body);
      expect(x.status, `${body.reason}: ${JSON.stringify(x.body)}`).toBe(status);
      expect(x.body.status).toBe(status);
    }
    expect(((await get(`/v1/policies/${noA}/changes`, ctx.keys.underwriter)).body as Changes).changes).toHaveLength(4);
  });

  it('tenant isolation: another enterprise gets 404 for every policy route; the insured reads but cannot change', async () => {
    for (const path of [`/v1/policies/${noA}/changes`, `/v1/policies/${noA}/claims`]) {
      expect((await get(path, ctx.keyB)).status).toBe(404);
      expect((await get(path, ctx.keys.enterprise)).status).toBe(200);
      expect((await get(path, ctx.keys.regulator)).status).toBe(403);
    }
    const body = { effective_date: '2025-08-01', reason: 'x', lines: [{ line: 2, add_units: 1 }] };
    expect((await post(`/v1/policies/${noA}/endorsements`, ctx.keys.enterprise, body)).status).toBe(403);
    expect((await post(`/v1/policies/${noA}/cancellation`, ctx.keyB, { effective_date: '2025-08-01', reason: 'x' })).status).toBe(403);
  });

  it('claims view and unit checks: incidents matched to insured units; a serial not on a live policy is flagged', async () => {
    const imp = (kind: string, rows: string[]) => request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(`${rows.join('\n')}\n`);
    expect((await imp('deployments', [
      'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,serial_numbers',
      'PC-A-LINKED,ORG-A,manufacturing.assembly,LMD-B300,3,supervised,2024-01-01,UB-A-001;UB-A-002;UB-A-011',
      'PC-A-OTHER,ORG-A,manufacturing.assembly,LMD-B300,2,supervised,2024-01-01,',
      'PC-B-1,ORG-B,manufacturing.assembly,LMD-B300,2,supervised,2024-01-01,UB-B-001;UB-B-002',
    ])).status).toBe(200);
    expect((await imp('incidents', [
      'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,robot_damage,status,paid,serial_number',
      'PC-I1,PC-A-LINKED,2025-02-10T08:00:00Z,fall,2,1000,closed,1000,UB-A-001', // insured
      'PC-I2,PC-A-LINKED,2025-05-10T08:00:00Z,fall,2,2000,closed,2000,UB-A-011', // never covered (removed the day it was added)
      'PC-I3,PC-A-LINKED,2025-06-10T08:00:00Z,fall,2,4000,closed,4000,', // names no unit: in a linked deployment
      'PC-I4,PC-A-OTHER,2025-06-11T08:00:00Z,fall,2,8000,closed,8000,', // unlinked deployment of line 1's class
      'PC-I5,PC-B-1,2025-06-12T08:00:00Z,fall,2,16000,closed,16000,UB-A-002', // ORG-B claims ORG-A's robot
    ])).status).toBe(200);
    const claims = (await get(`/v1/policies/${noA}/claims`, ctx.keys.underwriter)).body;
    expect(claims.claims.map((c: { incident_ref: string; unit_match: { status: string; flagged: boolean } }) => [c.incident_ref, c.unit_match.status, c.unit_match.flagged]))
      .toEqual([['PC-I1', 'insured', false], ['PC-I2', 'not_on_live_policy', true], ['PC-I3', 'unidentified', false]]);
    expect(claims.flagged).toBe(1);
    expect(claims.claims[0].unit_match).toMatchObject({ policy_number: noA, line: 1 });

    const uw = (await get('/v1/unit-checks?flagged_only=true&from=2025-01-01&to=2025-12-31', ctx.keys.underwriter)).body.data;
    expect(uw.map((c: { incident_ref: string }) => c.incident_ref)).toEqual(['PC-I2', 'PC-I5']);
    expect(uw[1].unit_match).toMatchObject({ status: 'not_on_live_policy', insured_by_other_organization: true });
    // ORG-B sees its own flagged claim but learns nothing of ORG-A's policy
    const b = (await get('/v1/unit-checks?flagged_only=true', ctx.keyB)).body.data;
    expect(b.map((c: { incident_ref: string }) => c.incident_ref)).toEqual(['PC-I5']);
    expect(b[0].unit_match).toMatchObject({ insured_by_other_organization: false, policy_number: null });
    expect((await get('/v1/unit-checks?organization_ref=ORG-A', ctx.keyB)).body.data).toEqual([]);
  });

  it('cancelling from 2025-10-01 returns written − earned, earned = Σ change × days in force / 365; then every change is refused (409)', async () => {
    const before = (await get(`/v1/policies/${noA}/changes`, ctx.keys.underwriter)).body as Changes;
    const r = await post(`/v1/policies/${noA}/cancellation`, ctx.keys.underwriter, { effective_date: '2025-10-01', reason: 'fleet sold' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const v = r.body as Changes;
    const cancel = v.changes[v.changes.length - 1];
    const days = (from: string) => (Date.parse('2025-10-01') - Date.parse(from)) / 86_400_000;
    const numerator = before.changes.reduce((s, c) => s + (cents(c.annual_premium_after) - cents(c.annual_premium_before)) * days(c.effective_date), 0);
    const earned = Math.floor((2 * numerator + D) / (2 * D));
    expect(cancel).toMatchObject({ kind: 'cancellation', effective_date: '2025-10-01', annual_premium_after: 0, remaining_days: 92 });
    expect(cents(cancel.premium)).toBe(-(cents(written) - earned));
    expect(cents(v.premium_in_force.written_premium)).toBe(earned);
    expect(v.units.every((u) => u.cover_until <= '2025-09-30')).toBe(true);
    const policy = (await get(`/v1/policies/${noA}`, ctx.keys.enterprise)).body;
    expect(policy).toMatchObject({ status: 'cancelled', cancellation_effective_date: '2025-10-01', cancellation_reason: 'fleet sold' });

    const again = await post(`/v1/policies/${noA}/endorsements`, ctx.keys.underwriter, { effective_date: '2025-11-01', reason: 'too late', lines: [{ line: 2, add_units: 1 }] });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/cancelled/);
    expect((await post(`/v1/policies/${noA}/cancellation`, ctx.keys.underwriter, { effective_date: '2025-11-01', reason: 'twice' })).status).toBe(409);
    // the serials stay taken for the days the cancelled policy covered them
    const refC = await quote('ORG-C');
    expect((await bind(refC, { units: [{ line: 1, serial_numbers: [...LINE1.slice(0, 5), ...serials('uc', 5)] }] })).status).toBe(409); // overlaps Jan–Sep
  });

  it('a cancellation on the inception day returns everything written', async () => {
    const ref = await quote('ORG-C');
    expect((await bind(ref)).status).toBe(200);
    const no = await policyOf(ref);
    await post(`/v1/policies/${no}/endorsements`, ctx.keys.underwriter, { effective_date: PERIOD.start, reason: 'one more', lines: [{ line: 1, add_units: 1 }] });
    const v = (await post(`/v1/policies/${no}/cancellation`, ctx.keys.underwriter, { effective_date: PERIOD.start, reason: 'never started' })).body as Changes;
    const writtenBefore = v.changes.slice(0, -1).reduce((s, c) => s + cents(c.premium), 0);
    expect(cents(v.changes[v.changes.length - 1].premium)).toBe(-writtenBefore);
    expect(v.premium_in_force.written_premium).toBe(0);
  });

  it('loss ratios of the changed policy: premium earned from its segments (= the earned premium of its cancellation), losses from its linked deployments', async () => {
    const cell = (await total2025())!;
    const v = (await get(`/v1/policies/${noA}/changes`, ctx.keys.underwriter)).body as Changes;
    const earnedA = v.premium_in_force.written_premium;
    // ORG-B's policy earns its whole premium; ORG-C's was cancelled on inception; ORG-A's earned what its cancellation kept
    const bNo = (await get('/v1/policies?organization_ref=ORG-B', ctx.keys.underwriter)).body.data[0];
    expect(Math.abs(cell.earned_premium - baseline.earned_premium - (earnedA + bNo.gross_premium))).toBeLessThanOrEqual(0.02);
    // losses: PC-I1 (linked, insured unit) and PC-I3 (linked deployment) under robot damage; PC-I2 too (its deployment is
    // linked by UB-A-001/002 on that day); not PC-I4 (ORG-A deployment in the class but naming no insured unit);
    // PC-I5 is ORG-B's incident in a deployment naming ORG-B's insured units
    expect(cell.incurred_losses - baseline.incurred_losses).toBeCloseTo(1000 + 2000 + 4000 + 16000, 6);
  });

  it('the binder prints the insured units and the changes', async () => {
    const pdf = await request(ctx.baseUrl).get(`/v1/policies/${noA}/document`).set(bearer(ctx.keys.underwriter)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body as Buffer, ['-layout']);
    expect(text).toContain('Insured units (serial numbers)');
    expect(text).toContain('UB-A-001');
    expect(text).toContain('Endorsements and cancellation');
    expect(text).toMatch(/Cancellation\s+2025-10-01/);
    expect(text).toContain('fleet sold');
    expect(text).toMatch(/In force\s+CNY 0\.00/);
    expect(text).toContain('Full-term premium of the schedule as endorsed');
    // rendered: no blank page
    expect(darkPixelsPerPage(pdf.body as Buffer).every((n) => n > 0)).toBe(true);
  });
});
