import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  lognormal,
  gamma,
  weibull,
  lomax,
  exponential,
  gpd,
  distributionFromParams,
  expectedPaymentPerLoss,
  expectedPaymentPerPayment,
  expectedPaymentPerLossByMaximumCoveredLoss,
  expectedPaymentPerPaymentByMaximumCoveredLoss,
  paymentForLoss,
  type SeverityDistribution,
} from '../../../models/distributions/index.ts';
import { adaptiveSimpson } from '../../../models/distributions/integrate.ts';
import { createRng } from '../../../models/random.ts';
import { readReferenceJson } from '../../fixtures.ts';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('limited expected values vs R actuar (limited-expected-values.expected.json)', () => {
  const ref = readReferenceJson('limited-expected-values.expected.json').lev;
  const build: Record<'lognormal' | 'gamma' | 'weibull' | 'pareto_lomax', (p: Record<string, number>) => SeverityDistribution> = {
    lognormal: (p) => lognormal({ meanlog: p.meanlog, sdlog: p.sdlog }),
    gamma: (p) => gamma({ shape: p.shape, rate: p.rate }),
    weibull: (p) => weibull({ shape: p.shape, scale: p.scale }),
    pareto_lomax: (p) => lomax({ shape: p.shape, scale: p.scale }),
  };
  for (const key of Object.keys(build) as (keyof typeof build)[]) {
    it(`${key}: E[X∧u] matches actuar::lev* to 1e-8`, () => {
      const d = build[key](ref[key].params);
      ref[key].limits.forEach((u: number, i: number) => {
        expect(relErr(d.lev(u), ref[key].lev[i])).toBeLessThan(1e-8);
      });
    });
  }
  it('lognormal expected payment per loss / per payment with deductible and maximum covered loss', () => {
    const pl = ref.lognormal_per_loss;
    const d = lognormal(ref.lognormal.params);
    const byMcl = { deductible: pl.deductible, maximumCoveredLoss: pl.maximum_covered_loss };
    expect(relErr(expectedPaymentPerLossByMaximumCoveredLoss(d, byMcl), pl.expected_payment_per_loss)).toBeLessThan(1e-8);
    expect(relErr(expectedPaymentPerPaymentByMaximumCoveredLoss(d, byMcl), pl.expected_payment_per_payment)).toBeLessThan(1e-8);
    // convention of docs/actuarial-method.md §4: limit u = maximum payment, maximum covered loss = d + u
    const byLimit = { deductible: pl.deductible, limit: pl.maximum_covered_loss - pl.deductible };
    expect(relErr(expectedPaymentPerLoss(d, byLimit), pl.expected_payment_per_loss)).toBeLessThan(1e-8);
    expect(relErr(expectedPaymentPerPayment(d, byLimit), pl.expected_payment_per_payment)).toBeLessThan(1e-8);
  });
});

describe('hand-worked values', () => {
  it('exponential(rate 0.5)', () => {
    const d = exponential({ rate: 0.5 });
    expect(d.cdf(2)).toBeCloseTo(1 - Math.exp(-1), 15);
    expect(d.quantile(0.5)).toBeCloseTo(2 * Math.LN2, 14);
    expect(d.lev(2)).toBeCloseTo(2 * (1 - Math.exp(-1)), 14);
    expect(d.mean()).toBe(2);
    expect(d.variance()).toBe(4);
  });
  it('lognormal(0, 1): median 1, mean e^0.5, variance (e − 1)e', () => {
    const d = lognormal({ meanlog: 0, sdlog: 1 });
    expect(d.quantile(0.5)).toBeCloseTo(1, 14);
    expect(d.cdf(1)).toBeCloseTo(0.5, 15);
    expect(d.mean()).toBeCloseTo(1.6487212707001282, 14);
    expect(d.variance()).toBeCloseTo(4.670774270471604, 12);
    expect(d.pdf(1)).toBeCloseTo(0.3989422804014327, 15);
  });
  it('gamma(2, 0.5): cdf 1 − e^{−λx}(1 + λx)', () => {
    const d = gamma({ shape: 2, rate: 0.5 });
    expect(d.cdf(4)).toBeCloseTo(1 - 3 * Math.exp(-2), 14);
    expect(d.sf(4)).toBeCloseTo(3 * Math.exp(-2), 14);
    expect(d.mean()).toBe(4);
    expect(d.variance()).toBe(8);
    expect(d.quantile(d.cdf(4))).toBeCloseTo(4, 10);
  });
  it('weibull(2, 3): variance θ²(1 − π/4), shape 1 is the exponential', () => {
    const d = weibull({ shape: 2, scale: 3 });
    expect(d.mean()).toBeCloseTo(3 * Math.sqrt(Math.PI) / 2, 13);
    expect(d.variance()).toBeCloseTo(9 * (1 - Math.PI / 4), 12);
    const w1 = weibull({ shape: 1, scale: 4 });
    const e = exponential({ rate: 0.25 });
    for (const u of [0.5, 3, 17]) {
      expect(w1.lev(u)).toBeCloseTo(e.lev(u), 12);
      expect(w1.logPdf(u)).toBeCloseTo(e.logPdf(u), 13);
    }
  });
  it('lomax(3, 2): mean 1, variance 3, quantile and LEV', () => {
    const d = lomax({ shape: 3, scale: 2 });
    expect(d.mean()).toBeCloseTo(1, 15);
    expect(d.variance()).toBeCloseTo(3, 14);
    expect(d.cdf(2)).toBeCloseTo(1 - 1 / 8, 15);
    expect(d.quantile(0.875)).toBeCloseTo(2, 13);
    expect(d.lev(2)).toBeCloseTo(1 - 1 / 4, 14); // θ/(α−1)(1 − (θ/(u+θ))^(α−1)) = 1·(1 − 1/4)
    expect(lomax({ shape: 1, scale: 2 }).lev(2)).toBeCloseTo(2 * Math.LN2, 14);
    expect(lomax({ shape: 1, scale: 2 }).mean()).toBe(Infinity);
  });
  it('gpd: ξ = 0 is the exponential shifted by the threshold; ξ > 0 with threshold 0 is Lomax(1/ξ, σ/ξ)', () => {
    const g0 = gpd({ threshold: 10, scale: 4, shape: 0 });
    const e = exponential({ rate: 0.25 });
    for (const y of [0.3, 2, 9]) {
      expect(g0.cdf(10 + y)).toBeCloseTo(e.cdf(y), 14);
      expect(g0.lev(10 + y)).toBeCloseTo(10 + e.lev(y), 12);
    }
    const g = gpd({ scale: 0.5, shape: 0.25 });
    const l = lomax({ shape: 4, scale: 2 });
    for (const x of [0.1, 1, 5, 40]) {
      expect(relErr(g.cdf(x), l.cdf(x))).toBeLessThan(1e-13);
      expect(relErr(g.sf(x), l.sf(x))).toBeLessThan(1e-13);
      expect(relErr(g.pdf(x), l.pdf(x))).toBeLessThan(1e-13);
      expect(relErr(g.lev(x), l.lev(x))).toBeLessThan(1e-13);
    }
    expect(g.variance()).toBeCloseTo(0.25 / (0.5625 * 0.5), 13);
    const bounded = gpd({ threshold: 1, scale: 2, shape: -0.5 }); // upper endpoint 1 + 4 = 5
    expect(bounded.quantile(1)).toBe(5);
    expect(bounded.sf(6)).toBe(0);
    expect(bounded.lev(100)).toBeCloseTo(bounded.mean(), 13);
    expect(bounded.mean()).toBeCloseTo(1 + 2 / 1.5, 14);
  });
  it('LEV equals the integral of the survival function (independent quadrature)', () => {
    const ds = [
      lognormal({ meanlog: 1, sdlog: 0.8 }),
      gamma({ shape: 0.7, rate: 0.3 }),
      weibull({ shape: 1.7, scale: 2 }),
      lomax({ shape: 1.5, scale: 3 }),
      gpd({ threshold: 1, scale: 2, shape: 0.3 }),
      gpd({ threshold: 0, scale: 2, shape: 1 }),
    ];
    for (const d of ds) for (const u of [0.5, 3, 12]) {
      const integral = adaptiveSimpson((x) => d.sf(x), 0, u, 1e-13);
      expect(relErr(d.lev(u), integral)).toBeLessThan(1e-8);
    }
  });
  it('pdf is the derivative of the cdf', () => {
    const ds = [lognormal({ meanlog: 1, sdlog: 0.8 }), gamma({ shape: 2.5, rate: 0.3 }), weibull({ shape: 0.7, scale: 2 }), lomax({ shape: 2.5, scale: 3 }), gpd({ threshold: 0.5, scale: 2, shape: -0.2 })];
    for (const d of ds) for (const x of [0.8, 2, 6]) {
      const h = 1e-5 * x;
      expect(relErr((d.cdf(x + h) - d.cdf(x - h)) / (2 * h), d.pdf(x))).toBeLessThan(1e-7);
      expect(d.cdf(x) + d.sf(x)).toBeCloseTo(1, 14);
    }
  });
});

describe('coverage modifications', () => {
  it('paymentForLoss = min(max(x − d, 0), u)', () => {
    expect(paymentForLoss(50, { deductible: 100, limit: 1000 })).toBe(0);
    expect(paymentForLoss(600, { deductible: 100, limit: 1000 })).toBe(500);
    expect(paymentForLoss(5000, { deductible: 100, limit: 1000 })).toBe(1000);
  });
  it('Monte Carlo mean payment agrees with E[X∧(d+u)] − E[X∧d]', () => {
    const d = lognormal({ meanlog: 8, sdlog: 1.1 });
    const rng = createRng(2024);
    const cover = { deductible: 1000, limit: 20000 };
    let s = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) s += paymentForLoss(d.sample(rng.uniform), cover);
    expect(relErr(s / n, expectedPaymentPerLoss(d, cover))).toBeLessThan(0.01);
  });
  it('rejects negative deductible or limit, and S(d) = 0 per payment', () => {
    const d = exponential({ rate: 1 });
    expect(() => expectedPaymentPerLoss(d, { deductible: -1 })).toThrow(RangeError);
    expect(() => expectedPaymentPerLoss(d, { deductible: 1, limit: -2 })).toThrow(RangeError);
    expect(() => expectedPaymentPerLossByMaximumCoveredLoss(d, { deductible: 5, maximumCoveredLoss: 2 })).toThrow(RangeError);
    expect(() => expectedPaymentPerPayment(gpd({ scale: 1, shape: -1 }), { deductible: 2 })).toThrow(RangeError);
  });
});

describe('parameter validation and rebuilding', () => {
  it('constructors throw RangeError on invalid parameters', () => {
    expect(() => lognormal({ meanlog: NaN, sdlog: 1 })).toThrow(RangeError);
    expect(() => lognormal({ meanlog: 0, sdlog: 0 })).toThrow(RangeError);
    expect(() => gamma({ shape: -1, rate: 1 })).toThrow(RangeError);
    expect(() => gamma({ shape: 1, rate: Infinity })).toThrow(RangeError);
    expect(() => weibull({ shape: 1, scale: 0 })).toThrow(RangeError);
    expect(() => lomax({ shape: 0, scale: 1 })).toThrow(RangeError);
    expect(() => exponential({ rate: -2 })).toThrow(RangeError);
    expect(() => gpd({ threshold: -1, scale: 1, shape: 0 })).toThrow(RangeError);
    expect(() => gpd({ scale: 1, shape: NaN })).toThrow(RangeError);
    expect(() => lognormal({ meanlog: 0, sdlog: 1 }).quantile(1.5)).toThrow(RangeError);
    expect(() => gamma({ shape: 1, rate: 1 }).lev(-1)).toThrow(RangeError);
  });
  it('distributionFromParams rebuilds each family from its params', () => {
    const ds = [lognormal({ meanlog: 1, sdlog: 2 }), gamma({ shape: 2, rate: 3 }), weibull({ shape: 2, scale: 3 }), lomax({ shape: 2, scale: 3 }), exponential({ rate: 3 }), gpd({ threshold: 5, scale: 2, shape: 0.1 })];
    for (const d of ds) {
      const r = distributionFromParams(d.name, JSON.parse(JSON.stringify(d.params)));
      expect(r.name).toBe(d.name);
      expect(r.params).toEqual(d.params);
      expect(r.lev(2.5)).toBe(d.lev(2.5));
    }
    expect(() => distributionFromParams('gamma', { shape: 2 })).toThrow(RangeError);
    expect(() => distributionFromParams('nope' as never, {})).toThrow(RangeError);
    expect(() => distributionFromParams('spliced', { threshold: 1 })).toThrow(RangeError);
  });
});

const arbDist: fc.Arbitrary<SeverityDistribution> = fc.oneof(
  fc.record({ meanlog: fc.double({ min: -3, max: 12, noNaN: true }), sdlog: fc.double({ min: 0.05, max: 3, noNaN: true }) }).map(lognormal),
  fc.record({ shape: fc.double({ min: 0.1, max: 30, noNaN: true }), rate: fc.double({ min: 1e-4, max: 10, noNaN: true }) }).map(gamma),
  fc.record({ shape: fc.double({ min: 0.2, max: 8, noNaN: true }), scale: fc.double({ min: 0.01, max: 1e5, noNaN: true }) }).map(weibull),
  fc.record({ shape: fc.double({ min: 1.05, max: 20, noNaN: true }), scale: fc.double({ min: 0.01, max: 1e5, noNaN: true }) }).map(lomax),
  fc.record({ rate: fc.double({ min: 1e-4, max: 100, noNaN: true }) }).map(exponential),
  fc.record({ threshold: fc.double({ min: 0, max: 100, noNaN: true }), scale: fc.double({ min: 0.01, max: 100, noNaN: true }), shape: fc.double({ min: -0.9, max: 0.9, noNaN: true }) }).map(gpd),
);

describe('properties (fast-check)', () => {
  it('LEV is nondecreasing in u and at most the mean', () => {
    fc.assert(
      fc.property(arbDist, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (d, p1, p2) => {
        const u1 = d.quantile(Math.min(p1, p2) * 0.999);
        const u2 = d.quantile(Math.max(p1, p2) * 0.999);
        const l1 = d.lev(u1);
        const l2 = d.lev(u2);
        const m = d.mean();
        return l1 <= l2 * (1 + 1e-12) + 1e-300 && l2 <= m * (1 + 1e-12) && l1 >= 0 && l2 <= u2 * (1 + 1e-12) + 1e-300;
      }),
      { numRuns: 1000 },
    );
  });
  it('cdf(quantile(p)) ≈ p', () => {
    fc.assert(
      fc.property(arbDist, fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (d, p) => Math.abs(d.cdf(d.quantile(p)) - p) < 1e-9),
      { numRuns: 1000 },
    );
  });
  it('expected payment per loss lies in [0, limit] and per payment ≥ per loss', () => {
    fc.assert(
      fc.property(arbDist, fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (d, pd, pu) => {
        const deductible = d.quantile(pd);
        const limit = d.quantile(pu) + 1e-9;
        const pl = expectedPaymentPerLoss(d, { deductible, limit });
        const pp = expectedPaymentPerPayment(d, { deductible, limit });
        return pl >= 0 && pl <= limit * (1 + 1e-12) && pp >= pl * (1 - 1e-12) && pp <= limit * (1 + 1e-9);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sampling', () => {
  const cases: SeverityDistribution[] = [
    lognormal({ meanlog: 1, sdlog: 0.6 }),
    gamma({ shape: 0.8, rate: 0.2 }),
    weibull({ shape: 1.4, scale: 5 }),
    lomax({ shape: 4.5, scale: 10 }),
    exponential({ rate: 0.3 }),
    gpd({ threshold: 2, scale: 1, shape: 0.2 }),
  ];
  for (const d of cases) {
    it(`${d.name}: mean of 1e5 draws within 4 standard errors of the mean (seeded)`, () => {
      const rng = createRng(12345);
      const n = 100_000;
      let s = 0;
      for (let i = 0; i < n; i++) s += d.sample(rng.uniform);
      const se = Math.sqrt(d.variance() / n);
      expect(Math.abs(s / n - d.mean())).toBeLessThan(4 * se);
    });
  }
});
