import { nextPolicyYear } from '../../domain/calendar.ts';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { pdfText } from '../helpers/pdf.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const binary = (req: request.Test) => req.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});
const text = (pdf: Buffer) => pdfText(pdf, ['-layout']);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('documents over HTTP', () => {
  it('GET /v1/quotes/{ref}/pdf: the insured, the premium and every line; deterministic with creation_date; tenant-isolated', async () => {
    const q = (await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send({
      basis: 'pay_per_use', period: nextPolicyYear(),
      fleet: [
        { robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: { safety_officer_on_site: true } },
        { robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 6, autonomy_level: 'supervised', operating_hours_per_unit: 5000 },
      ],
      coverages: [{ coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300000 }],
    })).body;
    const url = `/v1/quotes/${q.ref}/pdf?creation_date=2026-11-23T00:00:00Z`;
    const a = await binary(request(ctx.baseUrl).get(url).set(bearer(ctx.keys.enterprise)));
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/pdf');
    const again = await binary(request(ctx.baseUrl).get(url).set(bearer(ctx.keys.enterprise)));
    expect(sha(again.body)).toBe(sha(a.body));
    // the underwriter's document prints from the whole worksheet (another hash), as deterministically
    const b = await binary(request(ctx.baseUrl).get(url).set(bearer(ctx.keys.underwriter)));
    const b2 = await binary(request(ctx.baseUrl).get(url).set(bearer(ctx.keys.underwriter)));
    expect(sha(b2.body)).toBe(sha(b.body));
    expect(sha(b.body)).not.toBe(sha(a.body));
    const t = text(a.body);
    expect(t).toContain(q.ref);
    expect(t).toContain('深圳测试机器人有限公司');
    const gross = q.premium.total.gross_premium.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(t).toContain(`CNY ${gross}`);
    expect(t).toContain('manufacturing.assembly');
    expect(t).toContain('warehousing_logistics.picking');
    expect((await request(ctx.baseUrl).get(url).set(bearer(ctx.keyB))).status).toBe(404);
    expect((await request(ctx.baseUrl).get(url).set(bearer(ctx.keys.regulator))).status).toBe(403);
  });

  it('GET /v1/models/{id}/report.pdf and GET /v1/statistics/report.pdf', async () => {
    const models = (await request(ctx.baseUrl).get('/v1/models?status=active&kind=frequency').set(bearer(ctx.keys.actuary))).body.data;
    const m = await binary(request(ctx.baseUrl).get(`/v1/models/${models[0].id}/report.pdf`).set(bearer(ctx.keys.actuary)));
    expect(m.status).toBe(200);
    expect(text(m.body)).toMatch(/AIC/);
    expect((await request(ctx.baseUrl).get('/v1/models/999999/report.pdf').set(bearer(ctx.keys.actuary))).status).toBe(404);
    const r = await binary(request(ctx.baseUrl).get('/v1/statistics/report.pdf?from=2025-01-01&to=2025-12-31').set(bearer(ctx.keys.regulator)));
    expect(r.status).toBe(200);
    const t = text(r.body);
    expect(t).toMatch(/manufacturing/i);
    expect(t).not.toMatch(/ENT-0\d\d/);
    expect((await request(ctx.baseUrl).get('/v1/statistics/report.pdf').set(bearer(ctx.keys.enterprise))).status).toBe(403);
  });
});
