/**
 * PDF reports on a real database with the demo history and its fitted, activated models
 * (services/reports.ts): the model report of every demo model, and the regulator report, which
 * must never contain an organization name or ref.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { gatherRegulatorReport, modelReportPdf, regulatorReportPdf } from '../../services/reports.ts';
import { createReport, formatNumber, humanize } from '../../reports/pdf-common.ts';
import { SCENARIO_AREA_CODES } from '../../domain/index.ts';
import { disclosureRulesOf, type DisclosureRules } from '../../services/disclosure.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';

let ctx: TestContext;
let rules: DisclosureRules;
beforeAll(async () => {
  ctx = await startTestApp({}, { demo: true });
  rules = disclosureRulesOf(ctx.config);
}, 240_000);
afterAll(async () => {
  await ctx?.close();
});

const fixedDate = new Date('2026-01-15T00:00:00Z');

async function models(): Promise<{ id: number; kind: string; coverage: string }[]> {
  const r = await request(ctx.baseUrl).get('/v1/models?limit=100').set(bearer(ctx.keys.actuary));
  expect(r.status).toBe(200);
  return r.body.items ?? r.body.data ?? r.body;
}

describe('model report', () => {
  it('prints the terms, relativities and AIC of each demo frequency model', async () => {
    const list = (await models()).filter((m) => m.kind === 'frequency');
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) {
      const full = (await request(ctx.baseUrl).get(`/v1/models/${m.id}`).set(bearer(ctx.keys.actuary))).body;
      const pdf = await modelReportPdf(ctx.db, m.id, fixedDate);
      const text = pdfText(pdf);
      expect(text).toContain(`Frequency model #${m.id}`);
      expect(text).toContain(formatNumber(full.aic, 2));
      for (const t of full.terms) {
        expect(text).toContain(t.name);
        if (t.factor) expect(text).toContain(formatNumber(t.relativity, 3));
      }
      expect(text).toContain(full.data_snapshot.content_hash);
      for (const n of darkPixelsPerPage(pdf)) expect(n).toBeGreaterThan(60);
    }
  });

  it('prints the ranked fits and fit plots of each demo severity model', async () => {
    const list = (await models()).filter((m) => m.kind === 'severity');
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) {
      const full = (await request(ctx.baseUrl).get(`/v1/models/${m.id}`).set(bearer(ctx.keys.actuary))).body;
      const pdf = await modelReportPdf(ctx.db, m.id, fixedDate);
      const text = pdfText(pdf);
      for (const f of full.fits.filter((x: { ok: boolean }) => x.ok)) expect(text).toContain(formatNumber(f.aic, 2));
      expect(text).toContain('QQ plot');
      expect(text).toContain('Empirical (R type 7)');
      expect(text.replace(/\s+/g, ' ')).toContain(`${formatNumber(full.open_claims)} of the claims were open`);
      for (const n of darkPixelsPerPage(pdf)) expect(n).toBeGreaterThan(60);
    }
  });

  it('is byte-for-byte deterministic for a fixed creation date', async () => {
    const [m] = await models();
    const a = await modelReportPdf(ctx.db, m.id, fixedDate);
    const b = await modelReportPdf(ctx.db, m.id, fixedDate);
    expect(a.equals(b)).toBe(true);
  });

  it('answers not found for an unknown model', async () => {
    await expect(modelReportPdf(ctx.db, 999_999, fixedDate)).rejects.toMatchObject({ status: 404 });
  });
});

describe('regulator report', () => {
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    pdf = await regulatorReportPdf(ctx.db, rules, {}, fixedDate);
    text = pdfText(pdf).replace(/\s+/g, ' ');
  });

  it('covers every scenario area, the methodology and the disclosure notes', () => {
    for (const a of SCENARIO_AREA_CODES) expect(text).toContain(humanize(a));
    expect(text).toContain('Methodology');
    expect(text).toContain('Garwood');
    expect(text).toContain('Disclosure control and suppression');
    expect(text).toContain('too few organizations');
    expect(text).not.toContain(`fewer than ${rules.minContributors}`);
    expect(text).toContain('Suppressed cells per table');
  });

  it('prints the published area rates of the statistics service', async () => {
    const d = await gatherRegulatorReport(ctx.db, rules);
    const published = d.rates_by_area.filter((c) => !c.suppressed);
    expect(published.length).toBeGreaterThan(0);
    for (const c of published) expect(text).toContain(formatNumber(c.rate_per_1000h!, 3));
  });

  it('never contains an organization name or ref (checked against the organizations table)', async () => {
    const orgs: { ref: string; name: string }[] = await ctx.db('organizations').select('ref', 'name');
    expect(orgs.some((o) => /[\u4e00-\u9fff]/.test(o.name))).toBe(true); // Chinese names are among them
    // positive control: pdftotext does extract Chinese names from our PDFs, so their absence means something
    const r = await createReport({ title: 'control', creationDate: fixedDate });
    const chinese = orgs.find((o) => /[\u4e00-\u9fff]/.test(o.name))!.name;
    r.paragraph(chinese);
    expect(pdfText(await r.finish())).toContain(chinese);
    const raw = pdfText(pdf);
    for (const o of orgs) {
      expect(raw).not.toContain(o.ref);
      expect(text).not.toContain(o.name);
    }
  });

  it('shows suppressed cells by reason only under stricter rules, still without organizations', async () => {
    const strict = { ...rules, minContributors: 13, dominance: 0.5 };
    const d = await gatherRegulatorReport(ctx.db, strict, { from: '2025-04-01', to: '2025-06-30' });
    const suppressed = d.rates_by_area.filter((c) => c.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    const strictPdf = await regulatorReportPdf(ctx.db, strict, { from: '2025-04-01', to: '2025-06-30' }, fixedDate);
    const t = pdfText(strictPdf).replace(/\s+/g, ' ');
    for (const c of suppressed) expect(t).toContain(`suppressed (${c.suppressed})`);
    expect(t).not.toContain('13 organizations');
    expect(t).toContain('2025-04-01 to 2025-06-30');
    const orgs: { ref: string }[] = await ctx.db('organizations').select('ref');
    for (const o of orgs) expect(t).not.toContain(o.ref);
  });

  it('is deterministic and has no blank page', async () => {
    const again = await regulatorReportPdf(ctx.db, rules, {}, fixedDate);
    expect(again.equals(pdf)).toBe(true);
    const px = darkPixelsPerPage(pdf);
    expect(px.length).toBeGreaterThanOrEqual(5);
    for (const n of px) expect(n).toBeGreaterThan(60);
  });
});
