/**
 * The demo policies (services/demo-policies.ts; a fresh `npm start` binds them): an annual and a
 * pay-per-use policy of the first demo enterprise with identified units named by their
 * deployments, the pay-per-use line billed from its imported exposures month by month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { pdfText } from '../helpers/pdf.ts';
import { DEMO_POLICY_PERIOD, setupDemoPolicies } from '../../services/demo-policies.ts';

let ctx: TestContext;
let demo: { annual: string; pay_per_use: string };
beforeAll(async () => {
  ctx = await startTestApp({}, { demo: true });
  demo = await setupDemoPolicies(ctx.db, 'ENT-001');
}, 600_000);
afterAll(async () => { await ctx?.close(); });

const uw = (p: string) => request(ctx.baseUrl).get(p).set(bearer(ctx.keys.underwriter));

describe('demo policies', () => {
  it('two live policies of ENT-001 with identified units; their deployments name the same units', async () => {
    for (const [no, basis, prefix, n] of [[demo.annual, 'annual', 'DEMO-B300', 4], [demo.pay_per_use, 'pay_per_use', 'DEMO-W200', 3]] as const) {
      const p = (await uw(`/v1/policies/${no}`)).body;
      expect(p).toMatchObject({ organization_ref: 'ENT-001', basis, period: DEMO_POLICY_PERIOD });
      expect(p.units.map((u: { serial_number: string }) => u.serial_number)).toEqual(Array.from({ length: n }, (_, i) => `${prefix}-000${i + 1}`));
    }
    const deps = await ctx.db('deployments').whereIn('ref', ['DEMO-POL-ASSEMBLY', 'DEMO-POL-PICKING']).orderBy('ref').select('ref', 'serial_numbers');
    expect(deps.map((d: { serial_numbers: string[] }) => d.serial_numbers)).toEqual([
      ['DEMO-B300-0001', 'DEMO-B300-0002', 'DEMO-B300-0003', 'DEMO-B300-0004'], ['DEMO-W200-0001', 'DEMO-W200-0002', 'DEMO-W200-0003'],
    ]);
  });

  it('the pay-per-use policy bills twelve final months from the imported hours (560 h in December 2025)', async () => {
    const list = (await uw(`/v1/policies/${demo.pay_per_use}/statements`)).body.data as { month: string; status: string; billed_hours: number }[];
    expect(list.map((s) => s.month)).toHaveLength(12);
    expect(list[0].month).toBe('2025-07');
    expect(list.map((s) => s.billed_hours)).toEqual([420, 430, 410, 440, 520, 560, 400, 380, 430, 425, 440, 435]);
    const dec = (await uw(`/v1/policies/${demo.pay_per_use}/statements/2025-12`)).body;
    expect(dec.lines[0].deployments[0]).toMatchObject({ deployment_ref: 'DEMO-POL-PICKING', source: 'imported', billed_hours: 560 });
  });

  it('the binder prints the serial numbers', async () => {
    const pdf = await uw(`/v1/policies/${demo.annual}/document`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (x: Buffer) => chunks.push(x));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdfText(pdf.body as Buffer, ['-layout'])).toContain('DEMO-B300-0004');
  });
});
