/**
 * The faster arithmetic of the policy aggregate (pricing engine 2026-11-23.2) against the
 * straightforward one: one transform and one pgf per line, complex inverse transforms.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import FFT from 'fft.js';
import {
  addGroupLogSpectrum, expLogHalfSpectrum, invertSpectrum, spectrumWorkspace, zeroLogHalfSpectrum,
} from '../../../models/premium/compound-spectrum.ts';
import { coverageAggregate } from '../../../models/premium/index.ts';
import { compoundFftSum, discretize, pgfComplexInPlace, resolveFrequency } from '../../../models/aggregate/index.ts';
import { paymentPerLoss } from '../../../models/premium/payment-per-loss.ts';
import { lognormal } from '../../../models/distributions/lognormal.ts';
import { exponential } from '../../../models/distributions/exponential.ts';

describe('addGroupLogSpectrum', () => {
  it('NB: exp(Σ log P_i) equals Π P_i line by line, also when Σ arg w_i passes ±π several times', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.constant(400), fc.constant(37.5), fc.double({ min: 0, max: 400, noNaN: true })), { minLength: 1, maxLength: 9 }),
      fc.oneof(fc.constant(0.7), fc.double({ min: 0.3, max: 8, noNaN: true })),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true })), { minLength: 3, maxLength: 3 }),
      (means, theta, random) => {
        // near φ = 1 every arg w_i approaches ∓π/2, so a few lines already turn the product past ±π
        const points = [...random, [0.9999, 0.05], [0.9999, -0.05], [1, 0.3], [1, -1.2]] as [number, number][];
        const re = new Float64Array(points.map(([r, a]) => r * Math.cos(a)));
        const im = new Float64Array(points.map(([r, a]) => r * Math.sin(a)));
        const acc = { logModulus: new Float64Array(7), argument: new Float64Array(7) };
        addGroupLogSpectrum(acc, { re, im }, { dist: 'negative-binomial', theta, means });
        const got = expLogHalfSpectrum(acc);
        const wr = new Float64Array(7).fill(1);
        const wi = new Float64Array(7);
        for (const mu of means) {
          const pr = re.slice();
          const pi = im.slice();
          pgfComplexInPlace(resolveFrequency({ dist: 'negative-binomial', size: theta, mu }), pr, pi);
          for (let k = 0; k < 7; k++) {
            const r = wr[k] * pr[k] - wi[k] * pi[k];
            wi[k] = wr[k] * pi[k] + wi[k] * pr[k];
            wr[k] = r;
          }
        }
        for (let k = 0; k < 7; k++) {
          const scale = Math.hypot(wr[k], wi[k]);
          expect(Math.abs(got.re[k] - wr[k])).toBeLessThanOrEqual(1e-9 * scale + 1e-300);
          expect(Math.abs(got.im[k] - wi[k])).toBeLessThanOrEqual(1e-9 * scale + 1e-300);
        }
      },
    ), { numRuns: 200, seed: 11 });
  });

  it('Poisson: the lines of a group add up to one compound Poisson (Σλ)', () => {
    const re = new Float64Array([1, 0.5, -0.2, 0]);
    const im = new Float64Array([0, 0.3, 0.7, -1]);
    const a = zeroLogHalfSpectrum(6);
    addGroupLogSpectrum(a, { re, im }, { dist: 'poisson', lambdas: [1.5, 2, 0] });
    const b = zeroLogHalfSpectrum(6);
    addGroupLogSpectrum(b, { re, im }, { dist: 'poisson', lambdas: [3.5] });
    expect([...a.logModulus]).toEqual([...b.logModulus]);
    expect([...a.argument]).toEqual([...b.argument]);
    expect(a.logModulus[2]).toBeCloseTo(3.5 * (-0.2 - 1), 14);
  });

  it('rejects invalid counts', () => {
    const s = { re: new Float64Array(3), im: new Float64Array(3) };
    expect(() => addGroupLogSpectrum(zeroLogHalfSpectrum(4), s, { dist: 'poisson', lambdas: [-1] })).toThrow(RangeError);
    expect(() => addGroupLogSpectrum(zeroLogHalfSpectrum(4), s, { dist: 'negative-binomial', theta: 0, means: [1] })).toThrow(RangeError);
    expect(() => addGroupLogSpectrum(zeroLogHalfSpectrum(4), s, { dist: 'negative-binomial', theta: 2, means: [NaN] })).toThrow(RangeError);
  });
});

describe('invertSpectrum (real inverse of half size)', () => {
  it('equals the complex inverse of the completed spectrum', () => {
    for (const M of [4, 8, 64, 1024]) {
      const x = new Float64Array(M).map((_, i) => (i < M / 2 ? Math.abs(Math.sin(i * 1.7)) / M : 0));
      const f = new FFT(M);
      const spec = f.createComplexArray() as number[];
      f.realTransform(spec, x);
      const half = M / 2 + 1;
      const re = new Float64Array(half);
      const im = new Float64Array(half);
      for (let k = 0; k < half; k++) { re[k] = spec[2 * k]; im[k] = spec[2 * k + 1]; }
      const d = invertSpectrum(spectrumWorkspace(M), { re, im }, M, 1);
      for (let i = 0; i < M; i++) expect(Math.abs(d.probabilities[i] - x[i])).toBeLessThan(1e-15);
    }
  });
});

describe('coverageAggregate with grouped lines', () => {
  const sev = lognormal({ meanlog: 9, sdlog: 1.3 });
  const other = exponential({ rate: 1 / 8000 });
  const lines = [
    { coverage: 'robot_damage', expectedClaims: 2.5, severity: sev, deductible: 1000, limit: 200000 },
    { coverage: 'robot_damage', expectedClaims: 0.7, severity: sev, deductible: 1000, limit: 200000 },
    { coverage: 'robot_damage', expectedClaims: 1.1, severity: sev, deductible: 1000, limit: 150000 },
    { coverage: 'business_interruption', expectedClaims: 3, severity: other, deductible: 0, limit: 50000 },
    { coverage: 'business_interruption', expectedClaims: 0, severity: other, deductible: 0, limit: 50000 },
  ];
  for (const frequency of [{ dist: 'poisson' } as const, { dist: 'negative-binomial', theta: 2.5 } as const]) {
    it(`equals one transform per line (compoundFftSum, 4× padding) on the same lattice (${frequency.dist})`, () => {
      const opts = { gridPoints: 1 << 12 };
      const agg = coverageAggregate(lines, frequency, {}, opts);
      const h = agg.step;
      const components = lines.map((l) => ({
        severity: discretize(paymentPerLoss(l.severity, l.deductible, l.limit), { method: 'unbiased', from: 0, to: Math.max(1, Math.ceil(Math.min(l.limit, l.severity.quantile(1 - 1e-10) - l.deductible) / h - 1e-9)) * h, step: h }),
        frequency: frequency.dist === 'poisson' ? { dist: 'poisson' as const, lambda: l.expectedClaims } : { dist: 'negative-binomial' as const, size: frequency.theta, mu: l.expectedClaims },
      }));
      const ref = compoundFftSum(components, { length: opts.gridPoints, padding: 4 });
      let worst = 0;
      for (let i = 0; i < ref.probabilities.length; i++) worst = Math.max(worst, Math.abs(agg.uncapped.probabilities[i] - ref.probabilities[i]));
      expect(worst).toBeLessThan(1e-14);
      expect(Math.abs(agg.uncapped.TVaR(0.995) - ref.TVaR(0.995)) / ref.TVaR(0.995)).toBeLessThan(1e-12);
      // coverage means (discretised compound mean without a limit) add up to E[S]
      const sum = agg.coverages.robot_damage.mean + agg.coverages.business_interruption.mean;
      expect(Math.abs(sum - ref.mean) / ref.mean).toBeLessThan(1e-9);
      // the lazily inverted coverage distribution has that mean up to the mass beyond the grid
      const d = agg.coverages.business_interruption.distribution;
      expect(Math.abs(d.mean - agg.coverages.business_interruption.mean) / d.mean).toBeLessThan(1e-9);
    });
  }
});
