import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import poissonCdf from '@stdlib/stats-base-dists-poisson-cdf';
import { poissonRateInterval, quantileType7, ratePer1000Hours, severitySummary } from '../../../models/statistics/index.ts';

describe('poissonRateInterval (Garwood, as R poisson.test)', () => {
  it('n = 0: lower 0, upper = −ln(0.025)/E', () => {
    const r = poissonRateInterval(0, 2);
    expect(r.lower).toBe(0);
    expect(r.upper).toBeCloseTo(-Math.log(0.025) / 2, 12);
    expect(r.upper * 2).toBeCloseTo(3.6889, 4);
  });
  it('n = 10, E = 1: the published interval 4.7954–18.3904 (R: poisson.test(10)$conf.int)', () => {
    const r = poissonRateInterval(10, 1);
    expect(r.lower).toBeCloseTo(4.795389, 5);
    expect(r.upper).toBeCloseTo(18.390356, 5);
    expect(r.rate).toBe(10);
  });
  it('limits solve the defining tail equations P(N ≥ n | E·lower) = P(N ≤ n | E·upper) = α/2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.double({ min: 1, max: 1e6, noNaN: true }), fc.constantFrom(0.9, 0.95, 0.99), (n, E, level) => {
        const r = poissonRateInterval(n, E, level);
        const a2 = (1 - level) / 2;
        expect(Math.abs(poissonCdf(n, r.upper * E) - a2)).toBeLessThan(1e-8);
        if (n > 0) expect(Math.abs(1 - poissonCdf(n - 1, r.lower * E) - a2)).toBeLessThan(1e-8);
        expect(r.lower).toBeLessThanOrEqual(r.rate);
        expect(r.upper).toBeGreaterThan(r.rate);
      }),
      { numRuns: 200 },
    );
  });
  it('rate per 1,000 hours scales the rate and limits', () => {
    const r = ratePer1000Hours(10, 5000);
    expect(r.rate).toBeCloseTo(2, 14);
    expect(r.lower).toBeCloseTo(4.795389 / 5, 5);
    expect(r.upper).toBeCloseTo(18.390356 / 5, 5);
  });
  it('rejects invalid input', () => {
    expect(() => poissonRateInterval(-1, 1)).toThrow(RangeError);
    expect(() => poissonRateInterval(1.5, 1)).toThrow(RangeError);
    expect(() => poissonRateInterval(1, 0)).toThrow(RangeError);
    expect(() => poissonRateInterval(1, 1, 1)).toThrow(RangeError);
  });
});

describe('severity summaries (R quantile type 7)', () => {
  it('hand-worked type-7 quantiles', () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantileType7(x, 0.1)).toBeCloseTo(1.9, 14); // R: quantile(1:10, 0.1) = 1.9
    expect(quantileType7(x, 0.5)).toBe(5.5);
    expect(quantileType7(x, 0.95)).toBeCloseTo(9.55, 14);
    expect(quantileType7([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileType7([7], 0.3)).toBe(7);
  });
  it('summary of a small sample', () => {
    const s = severitySummary([400, 100, 300, 200], [0.25, 0.9]);
    expect(s).toMatchObject({ count: 4, total: 1000, mean: 250, min: 100, max: 400, median: 250 });
    expect(s.sd).toBeCloseTo(Math.sqrt(50000 / 3), 10);
    expect(s.quantiles).toEqual([{ p: 0.25, value: 175 }, { p: 0.9, value: 370 }]);
  });
  it('quantiles are monotone and within [min, max]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const s = severitySummary(xs, [0, 0.1, 0.5, 0.9, 1]);
        const v = s.quantiles.map((q) => q.value);
        for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThanOrEqual(v[i - 1]);
        expect(v[0]).toBe(s.min);
        expect(v[4]).toBe(s.max);
      }),
    );
  });
  it('rejects empty or non-finite samples', () => {
    expect(() => severitySummary([])).toThrow(RangeError);
    expect(() => severitySummary([1, Number.NaN])).toThrow(RangeError);
    expect(() => quantileType7([1], 2)).toThrow(RangeError);
  });
});
