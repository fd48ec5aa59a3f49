/**
 * The incomplete gamma, the gamma quantile, the gamma severity distribution and the exact
 * (Garwood) Poisson intervals against R for large counts (up to 1e6) and tiny and huge shapes
 * (1e-10 … 1e7): tests/fixtures/reference/gamma-large.R (pgamma both tails, qgamma, poisson.test).
 * Tolerances: 1e-10 relative for P, Q and the intervals (the R values are written to 15 digits);
 * the quantile 1e-10 relative, or 1e-300 absolute where R's quantile underflows to 0.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readReferenceJson } from '../../fixtures.ts';
import { lowerGammaRegularized, upperGammaRegularized } from '../../../models/statistics/incomplete-gamma.ts';
import { gammaQuantile } from '../../../models/statistics/gamma-quantile.ts';
import { poissonRateInterval } from '../../../models/statistics/poisson-interval.ts';
import { gamma } from '../../../models/distributions/gamma.ts';

const ref = readReferenceJson('gamma-large.expected.json');
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(1e-300, Math.abs(b)));

describe('regularized incomplete gamma against R pgamma', () => {
  it('gives both tails to 1e-10 relative for shapes 1e-10 … 1e7, at the mode and ±1, 3, 8 sd', () => {
    const bad: string[] = [];
    for (const c of ref.cdf) {
      const g = gamma({ shape: c.shape, rate: 2 });
      const got = { P: lowerGammaRegularized(c.shape, c.x), Q: upperGammaRegularized(c.shape, c.x), cdf: g.cdf(c.x / 2), sf: g.sf(c.x / 2) };
      for (const [k, v] of Object.entries(got)) {
        const want = k === 'P' || k === 'cdf' ? c.lower : c.upper;
        if (!(rel(v, want) < 1e-10)) bad.push(`${k}(${c.shape}, ${c.x}) = ${v}, R ${want}`);
      }
    }
    expect(bad).toEqual([]);
    expect(ref.cdf.length).toBeGreaterThan(100);
  });

  it('keeps P + Q = 1 and P increasing in x (property)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-8, max: 1e7, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), (a, t) => {
      const x = a * t;
      const p = lowerGammaRegularized(a, x);
      const q = upperGammaRegularized(a, x);
      expect(Math.abs(p + q - 1)).toBeLessThan(1e-12);
      expect(lowerGammaRegularized(a, x * 1.001)).toBeGreaterThanOrEqual(p);
    }), { numRuns: 300 });
  });
});

describe('gamma quantile against R qgamma', () => {
  it('is within 1e-10 relative in both tails (p 1e-300 … 1 − 1e-6), the severity distribution too', () => {
    const bad: string[] = [];
    for (const q of ref.quantiles) {
      for (const [k, v] of [['gammaQuantile', gammaQuantile(q.p, q.shape, 1)], ['gamma().quantile', gamma({ shape: q.shape, rate: 0.5 }).quantile(q.p) * 0.5]] as const) {
        const ok = q.x === 0 ? v < 1e-300 : rel(v, q.x) < 1e-10;
        if (!ok) bad.push(`${k}(${q.p}, ${q.shape}) = ${v}, R ${q.x}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('Garwood intervals against R poisson.test', () => {
  it('match for counts 0 … 1e6 and exposures 1 … 2.5e6 to 1e-10 relative', () => {
    for (const i of ref.intervals) {
      const r = poissonRateInterval(i.count, i.exposure);
      if (i.lower === 0) expect(r.lower).toBe(0); else expect(rel(r.lower, i.lower)).toBeLessThan(1e-10);
      expect(rel(r.upper, i.upper)).toBeLessThan(1e-10);
    }
    expect(Math.max(...ref.intervals.map((i) => i.count))).toBe(1e6);
  });
});
