/**
 * The binder / certificate PDF (reports/policy-pdf.ts) on hand-made policies: every required
 * block as text, no overlapping or off-page words on 1 and 120 fleet lines, status notices
 * (cancelled, expired), deterministic bytes, the Helvetica fallback, and a missing part named.
 */
import { describe, expect, it } from 'vitest';
import { renderPolicyPdf, type PolicyPdfInput } from '../../reports/policy-pdf.ts';
import { darkPixelsPerPage, layoutProblems, pdfText } from '../helpers/pdf.ts';

const DATE = new Date('2026-12-01T00:00:00Z');
const INSURER = { name: 'Test Mutual', licence: 'LIC-1', address: '1 Test Road', claimsContact: 'claims@test.invalid', governingLaw: 'Test law' };

const line = (i: number) => ({
  robot_model: i % 2 ? 'LMD-B300' : 'PES-M150', scenario_class: i % 3 ? 'manufacturing.assembly' : 'healthcare_wellness.elder_care', units: 1 + (i % 9),
  autonomy_level: 'supervised' as const, operating_hours_per_unit: 1000 + i,
  safety: { safety_officer_on_site: i % 2 === 0, force_speed_limiting: true, operator_training_hours: 12 },
});

const input = (lines = 1, over: Partial<PolicyPdfInput['policy']> = {}): PolicyPdfInput => ({
  policy: {
    policy_number: 'RR-P-2026-000123', quote_ref: 'Q-20261201-0A1B2C3D', organization_ref: 'ORG-A', status: 'live', basis: 'pay_per_use',
    period: { start: '2027-01-01', end: '2027-12-31' }, currency: 'CNY', gross_premium: 43_948.05,
    schedule: {
      fleet: Array.from({ length: lines }, (_, i) => line(i)),
      coverages: [
        { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000, coinsurance: 0.8 },
        { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000, aggregate_limit: 5_000_000 },
      ],
      premium: { coverages: { robot_damage: { gross_premium: 30_000, tax: 1698.11 }, third_party_liability: { gross_premium: 13_948.05, tax: 789.51 } }, total: { gross_premium: 43_948.05, tax: 2487.62 } },
      pay_per_use: { expected_operating_hours: 9000, rate_per_operating_hour: 4.883116 },
    },
    versions: { rating_plan: { name: 'demo', version: 3 }, ruleset: { name: 'rules', version: 2 } },
    bind_mode: 'underwriter', bound_at: '2026-12-01T10:00:00Z',
    subjectivities: [
      { id: 1, text: 'Written confirmation of the safety officer roster before binding', required_before: 'bind', status: 'satisfied', at: '2026-11-30T09:00:00Z', note: 'Roster checked', evidence_note: 'Roster e-mailed 29 Nov' },
      { id: 2, text: 'Site survey before inception', required_before: 'inception', status: 'open' },
    ],
    ...over,
  },
  organization: { ref: 'ORG-A', name: '深圳测试机器人有限公司', province: 'Guangdong' },
  insurer: INSURER,
  creationDate: DATE,
});

describe('binder / certificate PDF', () => {
  it('prints every block of the binder', async () => {
    const pdf = await renderPolicyPdf(input());
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const s of [
      'Binder and certificate of insurance', 'Test Mutual', 'Licence: LIC-1', '1 Test Road', 'RR-P-2026-000123', 'POLICY LIVE', '深圳测试机器人有限公司',
      '2027-01-01 to 2027-12-31 (365 days', 'pay-per-use', 'CNY 4.8831 per operating hour', '9,000 expected operating hours',
      'CNY 5,000.00', 'CNY 300,000.00', 'CNY 5,000,000.00', '80%', 'CNY 43,948.05', 'CNY 2,487.62',
      'Safety officer on site', 'declared', 'SATISFIED', 'Roster checked', 'Evidence offered: Roster e-mailed 29 Nov', 'OPEN', '#2 (due before inception)',
      'claims@test.invalid', 'Test law', 'Q-20261201-0A1B2C3D', 'demo v3',
    ]) expect(text, s).toContain(s);
    expect(text).not.toContain('Quotation');
    expect(darkPixelsPerPage(pdf).every((n) => n > 200)).toBe(true);
  });

  it('lays out 1 and 120 fleet lines with no overlapping or off-page word', async () => {
    for (const n of [1, 120]) {
      const { pages, problems } = layoutProblems(await renderPolicyPdf(input(n)));
      expect(problems, `${n} lines`).toEqual([]);
      if (n === 120) expect(pages).toBeGreaterThan(3);
    }
  }, 60_000);

  it('says when the policy is cancelled or expired', async () => {
    const cancelled = pdfText(await renderPolicyPdf(input(1, { status: 'cancelled', cancelled_at: '2027-03-01T00:00:00Z', cancellation_effective_date: '2027-03-02', cancellation_reason: 'Fleet sold' }))).replace(/\s+/g, ' ');
    expect(cancelled).toContain('POLICY CANCELLED');
    expect(cancelled).toContain('no cover from 2027-03-02');
    expect(cancelled).toContain('Reason: Fleet sold');
    expect(pdfText(await renderPolicyPdf(input(1, { status: 'expired' })))).toContain('The period of insurance ended on 2027-12-31');
  });

  it('is byte-identical with a fixed creation date; falls back to Helvetica; names a missing part', async () => {
    expect((await renderPolicyPdf(input())).equals(await renderPolicyPdf(input()))).toBe(true);
    const fallback = pdfText(await renderPolicyPdf({ ...input(), fonts: false }));
    expect(fallback).toContain('RR-P-2026-000123');
    const broken = input();
    (broken.policy as { schedule?: unknown }).schedule = undefined;
    await expect(renderPolicyPdf(broken)).rejects.toThrow(/policy\.schedule\.fleet/);
  });
});
