/**
 * Model report PDF (reports/model-report-pdf.ts) and the chart helpers it uses (reports/charts.ts):
 * text extracted with pdftotext holds the terms, relativities, AIC and fits; bytes are
 * deterministic for a fixed creation date; no rendered page is blank.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderModelReportPdf, formatSignificant, type FrequencyModelView, type SeverityModelView } from '../../reports/model-report-pdf.ts';
import { compactNumber, linearScale, logScale, logTicks, niceTicks, ppoints, qqPoints } from '../../reports/charts.ts';
import { formatNumber } from '../../reports/pdf-common.ts';
import { createRng } from '../../models/random.ts';
import { lognormal } from '../../models/distributions/index.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';


const pageCount = (pdf: Buffer) => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1] ?? /\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);

const level = (l: string, base: boolean, hours: number, incidents: number) => ({ level: l, is_base: base, operating_hours: hours, incidents });
const term = (name: string, factor: string | null, lvl: string | null, estimate: number, se: number) => ({
  name, factor, level: lvl, estimate, std_error: se, relativity: Math.exp(estimate), ci_low: Math.exp(estimate - 1.959964 * se), ci_high: Math.exp(estimate + 1.959964 * se),
});

const frequency: FrequencyModelView = {
  id: 41, kind: 'frequency', coverage: 'third_party_liability', status: 'candidate',
  spec: { family: 'poisson', factors: ['scenario_area', 'autonomy_level'], coverage: 'third_party_liability', base_levels: { scenario_area: 'manufacturing' } },
  data_snapshot: { rows: 1234, incidents: 321, operating_hours: 456789.5, period: { from: '2025-01-01', to: '2025-12-31' }, content_hash: 'ab'.repeat(32) },
  created_by: 'system', created_at: '2026-02-03T04:05:06Z', activated_at: null,
  terms: [
    term('(Intercept)', null, null, -8.123, 0.05),
    term('scenario_areaemergency_rescue', 'scenario_area', 'emergency_rescue', 1.4321, 0.21),
    term('scenario_areahealthcare_wellness', 'scenario_area', 'healthcare_wellness', -0.3456, 0.18),
    term('autonomy_levelteleoperated', 'autonomy_level', 'teleoperated', 0.2468, 0.09),
  ],
  theta: null, deviance: 987.654, null_deviance: 1456.789, df_residual: 1230, aic: 3210.987, log_lik: -1601.49, pearson_chi2: 1301.2, dispersion: 1301.2 / 1230,
  iterations: 6, converged: true, fitted_on: 'cells',
  levels: {
    scenario_area: [level('manufacturing', true, 300000, 150), level('emergency_rescue', false, 50000, 110), level('healthcare_wellness', false, 106789.5, 61)],
    autonomy_level: [level('supervised', true, 400000, 280), level('teleoperated', false, 56789.5, 41)],
  },
};

const rng = createRng(20260101);
const truth = lognormal({ meanlog: 9.2, sdlog: 1.1 });
const losses = Array.from({ length: 400 }, () => truth.quantile(rng.uniform()));

const severity: SeverityModelView = {
  id: 42, kind: 'severity', coverage: 'robot_damage', status: 'active',
  spec: { coverage: 'robot_damage' },
  data_snapshot: { rows: 400, open: 37, total_incurred: losses.reduce((s, x) => s + x, 0), period: { from: '2025-01-01', to: '2025-12-31' }, content_hash: 'cd'.repeat(32) },
  created_by: 'system', created_at: '2026-02-03T04:05:06Z', activated_at: '2026-02-04T00:00:00Z',
  best: { distribution: 'lognormal', params: { meanlog: 9.2012, sdlog: 1.0987 } },
  fits: [
    { distribution: 'gamma', ok: true, rank: 2, params: { shape: 0.8123, rate: 0.0000321 }, standard_errors: { shape: 0.05, rate: 0.000002 }, loglik: -4400.12, aic: 8804.24, bic: 8812.22, ks: 0.0712, ad: 3.456, n: 400, mean: 25305 },
    { distribution: 'lognormal', ok: true, rank: 1, params: { meanlog: 9.2012, sdlog: 1.0987 }, standard_errors: { meanlog: 0.055, sdlog: 0.039 }, loglik: -4380.55, aic: 8765.1, bic: 8773.08, ks: 0.0211, ad: 0.312, n: 400, mean: 18060 },
    { distribution: 'weibull', ok: false, error: 'did not converge' },
  ],
  open_claims: 37,
};

const fixedDate = new Date('2026-03-01T12:00:00Z');

describe('renderModelReportPdf — frequency', async () => {
  const pdf = await renderModelReportPdf({ model: frequency, creationDate: fixedDate });
  const text = pdfText(pdf);

  it('is a PDF holding every term name, relativity, CI and the diagnostics', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const t of frequency.terms) expect(text).toContain(t.name);
    for (const t of frequency.terms.filter((x) => x.factor)) {
      expect(text).toContain(formatNumber(t.relativity, 3));
      expect(text).toContain(`${formatNumber(t.ci_low, 3)} – ${formatNumber(t.ci_high, 3)}`);
    }
    expect(text).toContain('3,210.99'); // AIC
    expect(text).toContain('987.65'); // deviance
    expect(text).toContain('1,456.79'); // null deviance
    expect(text).toContain('1,230'); // residual df
    expect(text).toContain(formatNumber(1301.2 / 1230, 4)); // dispersion
    expect(text).toContain('not applicable (Poisson)'); // theta of a Poisson model
    expect(text).toContain('ab'.repeat(32)); // content hash
    expect(text).toContain('2025-01-01 to 2025-12-31');
  });

  it('lists exposure and claims per level with crude rates', () => {
    expect(text).toContain('106,789.5');
    expect(text).toContain(formatNumber((110 / 50000) * 1000, 3));
    expect(text).toMatch(/Relativities with 95% confidence intervals/);
  });

  it('gives equal bytes for equal inputs and a fixed creation date, different bytes for another date', async () => {
    const again = await renderModelReportPdf({ model: frequency, creationDate: fixedDate });
    expect(again.equals(pdf)).toBe(true);
    const other = await renderModelReportPdf({ model: frequency, creationDate: new Date('2026-03-02T12:00:00Z') });
    expect(other.equals(pdf)).toBe(false);
  });

  it('has no blank page', () => {
    const px = darkPixelsPerPage(pdf);
    expect(px.length).toBe(pageCount(pdf));
    for (const n of px) expect(n).toBeGreaterThan(60);
  });
});

describe('renderModelReportPdf — severity', async () => {
  const pdf = await renderModelReportPdf({ model: severity, losses: losses.map((amount) => ({ amount })), creationDate: fixedDate });
  const text = pdfText(pdf);

  it('ranks the fits by AIC and prints parameters, SEs and the goodness-of-fit statistics', () => {
    expect(text).toContain('8,765.10');
    expect(text).toContain('8,804.24');
    expect(text).toContain('39.14'); // ΔAIC of the gamma fit
    expect(text.indexOf('8,765.10')).toBeLessThan(text.indexOf('8,804.24'));
    expect(text).toContain('meanlog = 9.2012 (0.0550)');
    expect(text).toContain('0.0211');
    expect(text).toContain('Weibull: did not converge');
    expect(text).toContain('37 of the claims were open');
  });

  it('draws CDF and QQ plots for the two best fits', () => {
    expect(text).toContain('Best fit: Lognormal — CDF');
    expect(text).toContain('Best fit: Lognormal — QQ plot');
    expect(text).toContain('Second best: Gamma — QQ plot');
  });

  it('says so when no losses are supplied, and is deterministic', async () => {
    const bare = await renderModelReportPdf({ model: severity, creationDate: fixedDate });
    expect(pdfText(bare)).toContain('no fit plots are drawn');
    const again = await renderModelReportPdf({ model: severity, losses: losses.map((amount) => ({ amount })), creationDate: fixedDate });
    expect(again.equals(pdf)).toBe(true);
  });

  it('has no blank page', () => {
    for (const n of darkPixelsPerPage(pdf)) expect(n).toBeGreaterThan(60);
  });

  it('rejects a model of unknown kind', async () => {
    await expect(renderModelReportPdf({ model: { ...severity, kind: 'other' } as unknown as SeverityModelView })).rejects.toThrow(RangeError);
  });
});

describe('chart scales', () => {
  it('nice ticks are 1-2-2.5-5 steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 4.4, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(() => niceTicks(0, Infinity)).toThrow(RangeError);
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (lo, span) => {
      const t = niceTicks(lo, lo + span, 5);
      expect(t.length).toBeGreaterThanOrEqual(1);
      expect(t.length).toBeLessThanOrEqual(11);
      for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
    }));
  });

  it('log ticks are powers of ten (with 2 and 5 over short ranges)', () => {
    expect(logTicks(1, 1e6)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
    expect(logTicks(0.5, 20)).toEqual([0.5, 1, 2, 5, 10, 20]);
    expect(() => logTicks(0, 10)).toThrow(RangeError);
  });

  it('scales map the domain ends to the range ends', () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s(0)).toBe(100);
    expect(s(10)).toBe(200);
    const l = logScale([1, 100], [0, 50]);
    expect(l(10)).toBeCloseTo(25, 10);
    expect(() => logScale([0, 10], [0, 1])).toThrow(RangeError);
  });

  it('compact numbers', () => {
    expect(compactNumber(0)).toBe('0');
    expect(compactNumber(1250)).toBe('1,250');
    expect(compactNumber(12500)).toBe('12.5k');
    expect(compactNumber(3_000_000)).toBe('3M');
    expect(compactNumber(0.05)).toBe('0.05');
  });

  it('ppoints follows R (a = 3/8 for n <= 10, else 1/2)', () => {
    // R: ppoints(4) = (1:4 - 3/8) / (4 + 1 - 3/4)
    expect(Array.from(ppoints(4))).toEqual([0.625, 1.625, 2.625, 3.625].map((x) => x / 4.25));
    // R: ppoints(20) = (1:20 - 0.5) / 20
    expect(ppoints(20)[0]).toBeCloseTo(0.025, 15);
    expect(ppoints(20)[19]).toBeCloseTo(0.975, 15);
    expect(() => ppoints(0)).toThrow(RangeError);
  });

  it('QQ points pair order statistics with fitted quantiles', () => {
    const pts = qqPoints([3, 1, 2], (p) => p * 10);
    expect(pts.map((p) => p.empirical)).toEqual([1, 2, 3]);
    expect(pts[0].theoretical).toBeCloseTo(((1 - 0.375) / 3.25) * 10, 12);
  });

  it('significant-digit formatting', () => {
    expect(formatSignificant(9.557943, 5)).toBe('9.5579');
    expect(formatSignificant(39092.85, 5)).toBe('39,093');
    expect(formatSignificant(0.0000206, 5)).toBe('2.0600e-5');
    expect(formatSignificant(null)).toBe('—');
  });
});
