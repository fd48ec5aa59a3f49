import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buhlmannStraub, credibilityBlend, limitedFluctuationCredibility } from '../../../models/credibility/index.ts';
import { readReferenceCsv, readReferenceJson } from '../../fixtures.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function hachemeister(): { ratios: number[][]; weights: number[][] } {
  const rows = readReferenceCsv('hachemeister.csv');
  const cols = Array.from({ length: 12 }, (_, j) => j + 1);
  return {
    ratios: rows.map((r) => cols.map((j) => Number(r[`ratio.${j}`]))),
    weights: rows.map((r) => cols.map((j) => Number(r[`weight.${j}`]))),
  };
}

describe('buhlmannStraub on Hachemeister (actuar::cm reference)', () => {
  const ref = readReferenceJson('hachemeister.expected.json');
  const fit = buhlmannStraub(hachemeister());
  let worst = 0;
  const check = (a: number, b: number) => {
    worst = Math.max(worst, rel(a, b));
    expect(rel(a, b)).toBeLessThan(1e-8);
  };

  it('matches every fixture value to rel. 1e-8', () => {
    check(fit.collectiveMean, ref.collective_mean);
    check(fit.withinVariance, ref.within_variance_s2);
    check(fit.betweenVariance, ref.between_variance_a);
    ref.individual_means.forEach((v: number, i: number) => check(fit.individualMeans[i], v));
    ref.credibility_factors.forEach((v: number, i: number) => check(fit.credibilityFactors[i], v));
    ref.premiums.forEach((v: number, i: number) => check(fit.premiums[i], v));
    console.log(`credibility: worst relative error vs actuar::cm = ${worst.toExponential(2)}`);
  });

  it('reproduces the structure parameters printed in actuar\'s "credibility" vignette (1684, 89639, 139120026)', () => {
    const pub = ref.published;
    expect(Math.round(fit.collectiveMean)).toBe(pub.collective_mean);
    expect(Math.round(fit.betweenVariance)).toBe(pub.between_variance_a);
    expect(Math.round(fit.withinVariance)).toBe(pub.within_variance_s2);
  });

  it('a contract without any data gets the collective premium and changes nothing else', () => {
    const h = hachemeister();
    const withEmpty = buhlmannStraub({
      ratios: [...h.ratios, Array(12).fill(NaN)],
      weights: [...h.weights, Array(12).fill(NaN)],
    });
    expect(withEmpty.contracts).toBe(5);
    expect(withEmpty.credibilityFactors[5]).toBe(0);
    expect(withEmpty.premiums[5]).toBe(withEmpty.collectiveMean);
    expect(Number.isNaN(withEmpty.individualMeans[5])).toBe(true);
    expect(rel(withEmpty.collectiveMean, fit.collectiveMean)).toBeLessThan(1e-14);
    expect(rel(withEmpty.betweenVariance, fit.betweenVariance)).toBeLessThan(1e-14);
  });

  it('a missing cell is left out of every sum (checked against the textbook formulas written out)', () => {
    const h = hachemeister();
    h.ratios[3][5] = NaN;
    h.weights[3][5] = NaN;
    const out = buhlmannStraub(h);
    // direct evaluation of the formulas over present cells
    const cells = h.ratios.map((r, i) => r.map((x, j) => ({ x, w: h.weights[i][j] })).filter((c) => !Number.isNaN(c.x)));
    const wi = cells.map((c) => c.reduce((s, v) => s + v.w, 0));
    const xi = cells.map((c, i) => c.reduce((s, v) => s + v.w * v.x, 0) / wi[i]);
    const n = cells.reduce((s, c) => s + c.length, 0);
    expect(n).toBe(59);
    const s2 = cells.reduce((s, c, i) => s + c.reduce((t, v) => t + v.w * (v.x - xi[i]) ** 2, 0), 0) / (n - 5);
    const w = wi.reduce((a, b) => a + b, 0);
    const xw = wi.reduce((s, v, i) => s + v * xi[i], 0) / w;
    const a = (w * (wi.reduce((s, v, i) => s + v * (xi[i] - xw) ** 2, 0) - 4 * s2)) / (w * w - wi.reduce((s, v) => s + v * v, 0));
    expect(rel(out.withinVariance, s2)).toBeLessThan(1e-12);
    expect(rel(out.betweenVariance, a)).toBeLessThan(1e-12);
    expect(rel(out.credibilityFactors[3], wi[3] / (wi[3] + s2 / a))).toBeLessThan(1e-12);
  });

  it('missing values in different cells of ratios and weights are rejected', () => {
    const h = hachemeister();
    h.ratios[0][0] = NaN;
    expect(() => buhlmannStraub(h)).toThrow(RangeError);
  });

  it('a negative between-variance estimate is set to 0: no credibility, premiums = weighted mean', () => {
    // two contracts with the same values in another order: individual means equal, â < 0
    const out = buhlmannStraub({ ratios: [[1, 3, 2], [3, 2, 1]], weights: [[1, 1, 1], [1, 1, 1]] });
    expect(out.betweenVariance).toBeLessThan(0);
    expect(out.betweenVarianceUsed).toBe(0);
    expect(out.credibilityFactors).toEqual([0, 0]);
    expect(out.premiums).toEqual([2, 2]);
    expect(out.credibilityConstant).toBe(Infinity);
  });

  it('rejects bad input', () => {
    expect(() => buhlmannStraub({ ratios: [[1, 2]], weights: [[1, 1]] })).toThrow(RangeError);
    expect(() => buhlmannStraub({ ratios: [[1], [2]], weights: [[1], [1]] })).toThrow(/more than one period/);
    expect(() => buhlmannStraub({ ratios: [[1, 2], [2, 3]], weights: [[1, -1], [1, 1]] })).toThrow(RangeError);
  });

  it('properties: Z in [0, 1], premiums between individual and collective means, scale equivariance', () => {
    const row = fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 3, maxLength: 6 }), fc.array(row, { minLength: 6, maxLength: 6 }), fc.double({ min: 0.5, max: 20, noNaN: true }), (ratios, weightsPool, c) => {
        const weights = ratios.map((_, i) => weightsPool[i]);
        const out = buhlmannStraub({ ratios, weights });
        const scaled = buhlmannStraub({ ratios: ratios.map((r) => r.map((x) => c * x)), weights });
        out.credibilityFactors.forEach((z, i) => {
          expect(z).toBeGreaterThanOrEqual(0);
          expect(z).toBeLessThanOrEqual(1);
          const lo = Math.min(out.individualMeans[i], out.collectiveMean) - 1e-9;
          const hi = Math.max(out.individualMeans[i], out.collectiveMean) + 1e-9;
          expect(out.premiums[i]).toBeGreaterThanOrEqual(lo);
          expect(out.premiums[i]).toBeLessThanOrEqual(hi);
          expect(Math.abs(scaled.credibilityFactors[i] - z)).toBeLessThan(1e-9);
          expect(Math.abs(scaled.premiums[i] - c * out.premiums[i])).toBeLessThan(1e-7 * c * Math.abs(out.premiums[i]) + 1e-9);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('limitedFluctuationCredibility', () => {
  it('gives the classical 1,082 claims standard for p = 0.90, k = 0.05 (Longley-Cook)', () => {
    const r = limitedFluctuationCredibility({ claims: 100 });
    expect(r.z).toBeCloseTo(1.644854, 6);
    // (1.644854 / 0.05)² = 1082.22; textbooks round z to 1.645 and quote 1,082.41
    expect(r.fullCredibilityStandard).toBeCloseTo(1082.217, 2);
    expect(r.credibility).toBeCloseTo(Math.sqrt(100 / 1082.2174), 6);
  });

  it('adds the severity CV: n_F = n_0 (1 + CV²); full credibility caps at 1', () => {
    const r = limitedFluctuationCredibility({ claims: 5000, p: 0.95, k: 0.1, cvSeverity: 2 });
    expect(r.claimCountStandard).toBeCloseTo((1.959964 / 0.1) ** 2, 3);
    expect(r.fullCredibilityStandard).toBeCloseTo(r.claimCountStandard * 5, 9);
    expect(r.credibility).toBe(Math.min(1, Math.sqrt(5000 / r.fullCredibilityStandard)));
    expect(limitedFluctuationCredibility({ claims: 1e6 }).credibility).toBe(1);
    expect(limitedFluctuationCredibility({ claims: 0 }).credibility).toBe(0);
  });

  it('is non-decreasing in the number of claims and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const zl = limitedFluctuationCredibility({ claims: lo }).credibility;
        const zh = limitedFluctuationCredibility({ claims: hi }).credibility;
        expect(zl).toBeLessThanOrEqual(zh);
        expect(zh).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects invalid input and blends', () => {
    expect(() => limitedFluctuationCredibility({ claims: -1 })).toThrow(RangeError);
    expect(() => limitedFluctuationCredibility({ claims: 1, p: 1 })).toThrow(RangeError);
    expect(() => limitedFluctuationCredibility({ claims: 1, k: 0 })).toThrow(RangeError);
    expect(credibilityBlend(0.25, 100, 200)).toBe(175);
    expect(() => credibilityBlend(1.5, 1, 1)).toThrow(RangeError);
  });
});
