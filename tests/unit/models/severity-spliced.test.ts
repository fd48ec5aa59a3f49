import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitSpliced, fitLognormal } from '../../../models/severity/index.ts';
import { spliced, lognormal, gamma, gpd, distributionFromParams, expectedPaymentPerLoss } from '../../../models/distributions/index.ts';
import { adaptiveSimpson } from '../../../models/distributions/integrate.ts';
import { createRng } from '../../../models/random.ts';
import { readReferenceCsv } from '../../fixtures.ts';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('spliced distribution', () => {
  const body = lognormal({ meanlog: 1, sdlog: 0.7 });
  const tail = gpd({ threshold: 6, scale: 2, shape: 0.2 });
  const d = spliced({ body, tail, threshold: 6, weight: 0.85 });

  it('cdf equals the weight at the threshold and the pieces are renormalised', () => {
    expect(d.cdf(6)).toBeCloseTo(0.85, 15);
    expect(d.cdf(3)).toBeCloseTo((0.85 * body.cdf(3)) / body.cdf(6), 15);
    expect(d.sf(10)).toBeCloseTo(0.15 * tail.sf(10), 15);
    expect(d.cdf(0)).toBe(0);
    // total probability: ∫ pdf = 1 (body part + tail part)
    const bodyMass = adaptiveSimpson((x) => d.pdf(x), 1e-12, 6, 1e-13);
    expect(bodyMass).toBeCloseTo(0.85, 9);
  });
  it('quantile inverts the cdf on both sides of the threshold', () => {
    for (const p of [0.01, 0.5, 0.85, 0.9, 0.999]) expect(d.cdf(d.quantile(p))).toBeCloseTo(p, 12);
  });
  it('LEV is the integral of the survival function; LEV(∞) = mean', () => {
    for (const u of [2, 6, 9, 40]) expect(relErr(d.lev(u), adaptiveSimpson((x) => d.sf(x), 0, u, 1e-13))).toBeLessThan(1e-8);
    expect(relErr(d.lev(Infinity), d.mean())).toBeLessThan(1e-12);
  });
  it('mean and variance agree with a seeded Monte Carlo sample', () => {
    const rng = createRng(31);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = d.sample(rng.uniform);
      s += v;
      s2 += v * v;
    }
    const m = s / n;
    expect(Math.abs(m - d.mean())).toBeLessThan(4 * Math.sqrt(d.variance() / n));
    expect(relErr(s2 / n - m * m, d.variance())).toBeLessThan(0.05);
  });
  it('rebuilds from stored params with the body name', () => {
    const r = distributionFromParams('spliced', JSON.parse(JSON.stringify(d.params)), { body: d.bodyName });
    expect(r.cdf(4)).toBe(d.cdf(4));
    expect(r.lev(20)).toBe(d.lev(20));
  });
  it('rejects invalid parts', () => {
    expect(() => spliced({ body, tail, threshold: 6, weight: 1 })).toThrow(RangeError);
    expect(() => spliced({ body, tail, threshold: 5, weight: 0.5 })).toThrow(RangeError);
    expect(() => spliced({ body: gamma({ shape: 2, rate: 1 }), tail, threshold: 0, weight: 0.5 })).toThrow(RangeError);
  });
  it('property: LEV nondecreasing, ≤ mean; payment per loss in [0, limit]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (a, b, limit) => {
        const [u1, u2] = a < b ? [a, b] : [b, a];
        const pl = expectedPaymentPerLoss(d, { deductible: u1, limit });
        return d.lev(u1) <= d.lev(u2) + 1e-12 && d.lev(u2) <= d.mean() + 1e-12 && pl >= 0 && pl <= limit;
      }),
      { numRuns: 500 },
    );
  });
});

describe('fitSpliced', () => {
  const danish = readReferenceCsv('danish-fire.csv').map((r) => Number(r.loss));
  it('Danish fire: weight is the empirical proportion below t, and the splice beats the plain lognormal on AIC', () => {
    const t = 5;
    const fit = fitSpliced(danish, { threshold: t });
    const below = danish.filter((v) => v <= t).length;
    expect(fit.weight).toBe(below / danish.length);
    expect(fit.model.cdf(t)).toBeCloseTo(below / danish.length, 14);
    expect(fit.tailFit.n).toBe(danish.length - below);
    expect(fit.model.name).toBe('spliced');
    expect(fit.params.threshold).toBe(t);
    expect(fit.aic).toBeLessThan(fitLognormal(danish).aic);
    expect(fit.ks).toBeLessThan(fitLognormal(danish).ks);
    expect(fit.tailFit.params.shape).toBeGreaterThan(0); // Danish fire losses are heavy-tailed
    expect(fit.converged).toBe(true);
  });
  it('log-likelihood equals the sum of the spliced log-density over the data', () => {
    const fit = fitSpliced(danish, { threshold: 10, body: 'gamma' });
    const ll = danish.reduce((s, v) => s + fit.model.logPdf(v), 0);
    expect(fit.logLik).toBeCloseTo(ll, 8);
    expect(fit.model.bodyName).toBe('gamma');
    expect(fit.aic).toBeCloseTo(-2 * ll + 2 * 5, 7);
  });
  it('the body fit maximises the truncated likelihood (beats the untruncated fit renormalised)', () => {
    const t = 3;
    const fit = fitSpliced(danish, { threshold: t });
    const bodyX = danish.filter((v) => v <= t);
    const naive = fitLognormal(bodyX).model;
    const trunc = (m: typeof naive) => bodyX.reduce((s, v) => s + m.logPdf(v) - Math.log(m.cdf(t)), 0);
    expect(trunc(fit.bodyFit.model as typeof naive)).toBeGreaterThan(trunc(naive));
  });
  it('rejects an invalid threshold or too few exceedances', () => {
    expect(() => fitSpliced(danish, { threshold: -1 })).toThrow(RangeError);
    expect(() => fitSpliced(danish, { threshold: 1e6 })).toThrow(RangeError);
    expect(() => fitSpliced([1, 2, 3, 4], { threshold: 3.5 })).toThrow(RangeError);
  });
});
