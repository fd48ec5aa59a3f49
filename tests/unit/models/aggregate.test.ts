import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compoundFft,
  compoundFftSum,
  discretize,
  makeAggregateDistribution,
  monteCarloAggregate,
  panjer,
  type AggregateDistribution,
  type DiscreteSeverity,
  type FrequencyModel,
} from '../../../models/aggregate/index.ts';
import { exponential } from '../../../models/distributions/exponential.ts';
import { gamma } from '../../../models/distributions/gamma.ts';
import { lognormal } from '../../../models/distributions/lognormal.ts';
import { readReferenceJson } from '../../fixtures.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const sev = (probs: number[], step = 1): DiscreteSeverity => ({ from: 0, step, probabilities: Float64Array.from(probs) });
const maxCdfDiff = (a: AggregateDistribution, b: AggregateDistribution) => {
  let m = 0;
  for (let i = 0; i < Math.min(a.cdf.length, b.cdf.length); i++) m = Math.max(m, Math.abs(a.cdf[i] - b.cdf[i]));
  return m;
};

/** Brute force Σ_n P(N = n) f^{*n} by repeated direct convolution, independent of Panjer and FFT. */
function bruteForce(fx: number[], pn: number[], length: number): Float64Array {
  const out = new Float64Array(length);
  let power = new Float64Array(length);
  power[0] = 1;
  for (let n = 0; n < pn.length; n++) {
    for (let i = 0; i < length; i++) out[i] += pn[n] * power[i];
    const next = new Float64Array(length);
    for (let i = 0; i < length; i++) for (let k = 0; k < fx.length && k <= i; k++) next[i] += fx[k] * power[i - k];
    power = next;
  }
  return out;
}
const poissonPmf = (lambda: number, n: number) => Array.from({ length: n }, (_, k) => Math.exp(-lambda + k * Math.log(lambda) - lgammaInt(k + 1)));
function lgammaInt(n: number): number {
  let s = 0;
  for (let i = 2; i < n; i++) s += Math.log(i);
  return s;
}

describe('discretize (actuar::discretize)', () => {
  const ex = exponential({ rate: 0.5 });
  const F = (x: number) => 1 - Math.exp(-0.5 * x);
  it('upper, lower and rounding masses are cdf differences with actuar lengths', () => {
    const up = discretize(ex, { method: 'upper', from: 0, to: 5, step: 1 }).probabilities;
    const lo = discretize(ex, { method: 'lower', from: 0, to: 5, step: 1 }).probabilities;
    const ro = discretize(ex, { method: 'rounding', from: 0, to: 5, step: 1 }).probabilities;
    expect([up.length, lo.length, ro.length]).toEqual([5, 6, 5]);
    for (let j = 0; j < 5; j++) expect(up[j]).toBeCloseTo(F(j + 1) - F(j), 15);
    expect(lo[0]).toBe(0);
    for (let j = 1; j < 6; j++) expect(lo[j]).toBeCloseTo(F(j) - F(j - 1), 15);
    expect(ro[0]).toBeCloseTo(F(0.5), 15);
    for (let j = 1; j < 5; j++) expect(ro[j]).toBeCloseTo(F(j + 0.5) - F(j - 0.5), 15);
  });
  it('unbiased: first mass 1 − E[X∧h]/h, total F(to), first moment over [0, to] preserved', () => {
    const h = 0.25;
    const to = 12;
    const f = discretize(ex, { method: 'unbiased', from: 0, to, step: h }).probabilities;
    expect(f.length).toBe(49);
    expect(f[0]).toBeCloseTo(1 - ex.lev(h) / h, 14);
    let total = 0;
    let mean = 0;
    f.forEach((p, j) => {
      total += p;
      mean += j * h * p;
      expect(p).toBeGreaterThanOrEqual(-1e-15);
    });
    expect(total).toBeCloseTo(F(to), 13);
    // Σ x f = ∫_0^to x dF = E[X∧to] − to·S(to)
    expect(mean).toBeCloseTo(ex.lev(to) - to * Math.exp(-0.5 * to), 12);
  });
  it('rejects bad lattices', () => {
    expect(() => discretize(ex, { method: 'upper', to: 1, step: 0 })).toThrow(RangeError);
    expect(() => discretize(ex, { method: 'upper', from: 2, to: 1, step: 0.1 })).toThrow(RangeError);
    expect(() => discretize(ex, { method: 'upper', to: 1, step: 5 })).toThrow(RangeError);
  });
});

describe('panjer (actuar::aggregateDist("recursive"))', () => {
  it('matches the Poisson(12)–lognormal(8, 1.1) fixture: quantiles exactly, mean to rel. 1e-6', () => {
    const ref = readReferenceJson('aggregate-poisson-lognormal.expected.json');
    const ln = lognormal({ meanlog: ref.severity.meanlog, sdlog: ref.severity.sdlog });
    const fx = discretize(ln, { method: 'unbiased', from: 0, to: ref.discretization.to, step: ref.discretization.step });
    const S = panjer(fx, { dist: 'poisson', lambda: ref.frequency.lambda }, { maxIter: 100000 });
    for (const [p, q] of Object.entries(ref.quantiles)) expect(S.quantile(Number(p))).toBe(q);
    const e = rel(S.mean, ref.mean);
    console.log(`aggregate: Panjer mean rel. error vs actuar = ${e.toExponential(2)}`);
    expect(e).toBeLessThan(1e-6);
    expect(rel(S.mean, ref.exact_mean)).toBeLessThan(1e-4);
    // the FFT gives the same quantiles on the same lattice
    const F = compoundFft(fx, { dist: 'poisson', lambda: ref.frequency.lambda });
    for (const [p, q] of Object.entries(ref.quantiles)) expect(F.quantile(Number(p))).toBe(q);
    expect(rel(F.mean, ref.exact_mean)).toBeLessThan(1e-6);
  });

  it('reproduces the actuar "risk" vignette: Poisson(10), Gamma(2, 1), unbiased h = 0.5 to 22', () => {
    const ref = readReferenceJson('aggregate-poisson-gamma-risk-vignette.expected.json');
    const { from, to, step } = ref.discretization;
    const fx = discretize(gamma({ shape: ref.severity.shape, rate: ref.severity.rate }), { method: 'unbiased', from, to, step });
    const S = panjer(fx, { dist: 'poisson', lambda: ref.frequency.lambda });
    expect(rel(S.mean, ref.mean)).toBeLessThan(1e-10);
    for (const [p, v] of Object.entries(ref.var)) expect(S.VaR(Number(p))).toBe(v);
    for (const [p, v] of Object.entries(ref.tvar)) expect(rel(S.TVaR(Number(p)), v as number)).toBeLessThan(1e-10);
    // the figures the vignette prints (4 significant digits)
    for (const [p, v] of Object.entries(ref.published.var)) expect(S.VaR(Number(p))).toBe(v);
    for (const [p, v] of Object.entries(ref.published.tvar)) expect(Math.abs(S.TVaR(Number(p)) - (v as number))).toBeLessThan(0.005);
  });

  it('hand-worked recursion: Poisson(1), severity 1 or 2 with probability 1/2', () => {
    const S = panjer(sev([0, 0.5, 0.5]), { dist: 'poisson', lambda: 1 }, { length: 3 });
    const e = Math.exp(-1);
    expect(S.probabilities[0]).toBeCloseTo(e, 15);
    expect(S.probabilities[1]).toBeCloseTo(0.5 * e, 15);
    expect(S.probabilities[2]).toBeCloseTo(0.625 * e, 15);
  });

  const fx = [0.1, 0.3, 0.25, 0.2, 0.15];
  const cases: [string, FrequencyModel, number[]][] = [
    ['poisson', { dist: 'poisson', lambda: 2.5 }, poissonPmf(2.5, 60)],
    [
      'negative binomial (size, prob)',
      { dist: 'negative-binomial', size: 3, prob: 0.6 },
      Array.from({ length: 80 }, (_, n) => Math.exp(lgammaInt(n + 3) - lgammaInt(3) - lgammaInt(n + 1) + 3 * Math.log(0.6) + n * Math.log(0.4))),
    ],
    ['binomial', { dist: 'binomial', size: 6, prob: 0.3 }, Array.from({ length: 7 }, (_, n) => Math.exp(lgammaInt(7) - lgammaInt(n + 1) - lgammaInt(7 - n) + n * Math.log(0.3) + (6 - n) * Math.log(0.7)))],
  ];
  for (const [name, freq, pn] of cases) {
    it(`${name}: Panjer and FFT equal brute-force convolution`, () => {
      const n = 40;
      const ref = bruteForce(fx, pn, n);
      const P = panjer(sev(fx), freq, { length: n });
      const F = compoundFft(sev(fx), freq, { length: 64 });
      for (let i = 0; i < n; i++) {
        expect(Math.abs(P.probabilities[i] - ref[i])).toBeLessThan(1e-14);
        expect(Math.abs(F.probabilities[i] - ref[i])).toBeLessThan(1e-13);
      }
    });
    it(`${name}: zero-modified (p0 = 0.4) equals the mixture p0·δ0 + c·(f_S − P(0)δ0)`, () => {
      const p0 = 0.4;
      const c = (1 - p0) / (1 - pn[0]);
      const pm = pn.map((p, k) => (k === 0 ? p0 : c * p));
      const ref = bruteForce(fx, pm, 40);
      const P = panjer(sev(fx), { ...freq, p0 }, { length: 40 });
      const F = compoundFft(sev(fx), { ...freq, p0 }, { length: 64 });
      for (let i = 0; i < 40; i++) {
        expect(Math.abs(P.probabilities[i] - ref[i])).toBeLessThan(1e-14);
        expect(Math.abs(F.probabilities[i] - ref[i])).toBeLessThan(1e-13);
      }
    });
  }

  it('negative binomial given by mu equals the one given by prob', () => {
    const a = panjer(sev(fx), { dist: 'negative-binomial', size: 2, mu: 3 }, { length: 50 });
    const b = panjer(sev(fx), { dist: 'negative-binomial', size: 2, prob: 2 / 5 }, { length: 50 });
    expect(maxCdfDiff(a, b)).toBeLessThan(1e-15);
  });

  it('stops as actuar: first point with cdf ≥ 1 − tol', () => {
    const S = panjer(sev(fx), { dist: 'poisson', lambda: 3 }, { tol: 1e-8 });
    const n = S.cdf.length;
    expect(S.cdf[n - 1]).toBeGreaterThanOrEqual(1 - 1e-8);
    expect(S.cdf[n - 2]).toBeLessThan(1 - 1e-8);
  });

  for (const lambda of [1000, 5000]) {
    it(`does not underflow for lambda = ${lambda}: mass ≈ 1, mean = λ E[X], agrees with FFT`, () => {
      const g = gamma({ shape: 2, rate: 1 });
      const f = discretize(g, { method: 'unbiased', from: 0, to: 40, step: 0.5 });
      let ex = 0;
      f.probabilities.forEach((p, j) => (ex += j * 0.5 * p));
      const S = panjer(f, { dist: 'poisson', lambda }, { tol: 1e-12 });
      expect(Math.abs(S.totalMass - 1)).toBeLessThan(1e-10);
      expect(rel(S.mean, lambda * ex)).toBeLessThan(1e-9);
      const F = compoundFft(f, { dist: 'poisson', lambda }, { length: 1 << 16 });
      expect(maxCdfDiff(S, F)).toBeLessThan(1e-9);
      // negative binomial with a large size underflows too
      const N = panjer(f, { dist: 'negative-binomial', size: lambda, mu: lambda }, { tol: 1e-12 });
      expect(Math.abs(N.totalMass - 1)).toBeLessThan(1e-10);
      expect(rel(N.mean, lambda * ex)).toBeLessThan(1e-9);
    });
  }

  it('rejects invalid input', () => {
    expect(() => panjer({ from: 1, step: 1, probabilities: Float64Array.from([1]) }, { dist: 'poisson', lambda: 1 })).toThrow(RangeError);
    expect(() => panjer(sev(fx), { dist: 'poisson', lambda: -1 })).toThrow(RangeError);
    expect(() => panjer(sev(fx), { dist: 'negative-binomial', size: 1 })).toThrow(RangeError);
    expect(() => panjer(sev(fx), { dist: 'binomial', size: 2.5, prob: 0.1 })).toThrow(RangeError);
    expect(() => panjer(sev([0.5, Number.NaN]), { dist: 'poisson', lambda: 1 })).toThrow(RangeError);
    expect(() => compoundFftSum([])).toThrow(RangeError);
  });
});

describe('FFT', () => {
  it('the sum of two independent compound Poisson lines equals one compound Poisson with the mixed severity', () => {
    const f1 = [0, 0.6, 0.4];
    const f2 = [0.2, 0, 0.3, 0.5];
    const S = compoundFftSum(
      [
        { severity: sev(f1), frequency: { dist: 'poisson', lambda: 2 } },
        { severity: sev(f2), frequency: { dist: 'poisson', lambda: 3 } },
      ],
      { length: 128 },
    );
    const mix = [0, 1, 2, 3].map((k) => (2 * (f1[k] ?? 0) + 3 * (f2[k] ?? 0)) / 5);
    const P = panjer(sev(mix), { dist: 'poisson', lambda: 5 }, { length: 128 });
    expect(maxCdfDiff(S, P)).toBeLessThan(1e-13);
  });
  it('reports the mass beyond a too-short grid', () => {
    const S = compoundFft(sev([0, 1]), { dist: 'poisson', lambda: 20 }, { length: 16 });
    const inside = poissonPmf(20, 16).reduce((a, b) => a + b, 0);
    expect(Math.abs(S.massLost - (1 - inside))).toBeLessThan(1e-12);
  });
});

describe('AggregateDistribution summaries', () => {
  const S = makeAggregateDistribution(Float64Array.from([0, 1, 2, 3]), Float64Array.from([0.4, 0.3, 0.2, 0.1]), 1);
  it('hand-worked: mean, variance, quantile, TVaR, stop loss, limit', () => {
    expect(S.mean).toBeCloseTo(1, 15);
    expect(S.variance).toBeCloseTo(0.3 + 0.8 + 0.9 - 1, 15);
    expect(S.quantile(0.4)).toBe(0);
    expect(S.quantile(0.41)).toBe(1);
    expect(S.quantile(0.95)).toBe(3);
    expect(S.TVaR(0.7)).toBeCloseTo((2 * 0.2 + 3 * 0.1) / 0.3, 15);
    expect(S.TVaR(0.95)).toBe(3); // no mass above VaR
    expect(S.stopLoss(1.5)).toBeCloseTo(0.5 * 0.2 + 1.5 * 0.1, 15);
    expect(S.limitedMean(1.5)).toBeCloseTo(0.3 + 1.5 * 0.3, 15);
    const C = S.capped(1.5);
    expect(Array.from(C.grid)).toEqual([0, 1, 1.5]);
    expect(C.probabilities[2]).toBeCloseTo(0.3, 15);
    expect(C.mean).toBeCloseTo(S.limitedMean(1.5), 15);
  });
  it('properties: E[min(S, L)] + E[(S − L)+] = E[S]; quantile is the smallest point with cdf ≥ p', () => {
    const fx = discretize(gamma({ shape: 2, rate: 1 }), { method: 'unbiased', to: 22, step: 0.5 });
    const P = panjer(fx, { dist: 'negative-binomial', size: 4, mu: 10 });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 80, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (L, p) => {
        expect(Math.abs(P.limitedMean(L) + P.stopLoss(L) - P.mean)).toBeLessThan(1e-9);
        const q = P.quantile(p);
        const i = Math.round(q / 0.5);
        if (P.cdf[P.cdf.length - 1] >= p) {
          expect(P.cdf[i]).toBeGreaterThanOrEqual(p);
          if (i > 0) expect(P.cdf[i - 1]).toBeLessThan(p);
        }
        expect(P.TVaR(p)).toBeGreaterThanOrEqual(q);
      }),
    );
  });
});

describe('monteCarloAggregate', () => {
  const g = gamma({ shape: 2, rate: 1 });
  it('is reproducible with a seed and agrees with the exact mean within 4 standard errors', () => {
    const a = monteCarloAggregate(g, { dist: 'poisson', lambda: 10 }, { simulations: 20000, seed: 7 });
    const b = monteCarloAggregate(g, { dist: 'poisson', lambda: 10 }, { simulations: 20000, seed: 7 });
    expect(Array.from(a.grid.subarray(0, 50))).toEqual(Array.from(b.grid.subarray(0, 50)));
    // E[S] = λ α/β = 20, Var S = λ E[X²] = 10 · 6 = 60
    expect(Math.abs(a.mean - 20)).toBeLessThan(4 * Math.sqrt(60 / 20000));
    expect(a.totalMass).toBeCloseTo(1, 12);
    const fx = discretize(g, { method: 'unbiased', to: 22, step: 0.5 });
    const P = panjer(fx, { dist: 'poisson', lambda: 10 });
    expect(Math.abs(a.VaR(0.95) - P.VaR(0.95))).toBeLessThan(1);
  });
  it('zero-modified counts put mass p0 (at least) at zero; rejects bad input', () => {
    const a = monteCarloAggregate(g, { dist: 'poisson', lambda: 3, p0: 0.5 }, { simulations: 20000, seed: 11 });
    expect(Math.abs(a.cdf[0] - 0.5)).toBeLessThan(0.02);
    expect(() => monteCarloAggregate(g, { dist: 'poisson', lambda: 3 }, { simulations: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe('aggregate distribution properties (fast-check)', () => {
  it('the cdf is monotone and the total mass is 1 within tolerance, for Panjer and FFT, Poisson and NB', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.2, max: 15, noNaN: true }),
      fc.double({ min: 0.5, max: 2.5, noNaN: true }),
      fc.double({ min: 0.3, max: 1.5, noNaN: true }),
      fc.double({ min: 1, max: 20, noNaN: true }),
      (lambda, meanlog, sdlog, theta) => {
        const X = lognormal({ meanlog, sdlog });
        const to = X.quantile(1 - 1e-9);
        const f = discretize(X, { method: 'unbiased', from: 0, to, step: to / 256 });
        const models: FrequencyModel[] = [{ dist: 'poisson', lambda }, { dist: 'negative-binomial', size: theta, mu: lambda }];
        const step = to / 256;
        for (const N of models) {
          // a lattice long enough for the aggregate: mean + 20 sd (NB variance μ + μ²/θ of the counts)
          const varN = N.dist === 'poisson' ? lambda : lambda + (lambda * lambda) / theta;
          const sd = Math.sqrt(lambda * X.variance() + varN * X.mean() ** 2);
          const length = Math.max(512, 2 ** Math.ceil(Math.log2((lambda * X.mean() + 20 * sd) / step + 2))); // ≥ the 257-point severity
          const dists = [panjer(f, N, { length }), compoundFft(f, N, { length })];
          for (const S of dists) {
            for (let i = 1; i < S.cdf.length; i++) expect(S.cdf[i]).toBeGreaterThanOrEqual(S.cdf[i - 1] - 1e-12);
            let sum = 0;
            for (const p of S.probabilities) { expect(p).toBeGreaterThanOrEqual(-1e-12); sum += p; }
            // never more than 1; less only by the mass beyond the lattice (severity cut at F⁻¹(1 − 1e-9), mean + 20 sd)
            expect(sum).toBeLessThanOrEqual(1 + 1e-12);
            expect(sum).toBeGreaterThan(1 - 1e-5);
            expect(S.cdf[S.cdf.length - 1]).toBeCloseTo(sum, 12);
          }
        }
      },
    ), { numRuns: 40, endOnFailure: true });
  });
});
