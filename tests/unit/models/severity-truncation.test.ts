import { describe, expect, it } from 'vitest';
import { fitLognormal, fitWeibull, fitGamma, fitExponential, fitLomax, fitSeverity, type SeverityFit, type SeverityFitOptions } from '../../../models/severity/index.ts';
import { distributionFromParams, lognormal, weibull, gamma, lomax, type SeverityDistribution } from '../../../models/distributions/index.ts';
import { createRng } from '../../../models/random.ts';
import { readReferenceCsv, readReferenceJson } from '../../fixtures.ts';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Truncated / censored log-likelihood written out independently of the fitters. */
function modifiedLogLik(d: SeverityDistribution, x: number[], censored: boolean[], truncation: number): number {
  let ll = 0;
  x.forEach((v, i) => {
    ll += censored[i] ? Math.log(d.sf(v)) : Math.log(d.pdf(v));
  });
  return ll - x.length * Math.log(d.sf(truncation));
}

function gradientNorm(fit: SeverityFit, x: number[], censored: boolean[], truncation: number): number {
  return Math.max(
    ...fit.paramNames.map((name) => {
      const p = fit.params[name];
      const h = 1e-6 * Math.abs(p);
      const at = (v: number) => modifiedLogLik(distributionFromParams(fit.distribution, { ...fit.params, [name]: v }), x, censored, truncation);
      return Math.abs(((at(p + h) - at(p - h)) / (2 * h)) * p);
    }),
  );
}

function simulate(d: SeverityDistribution, n: number, seed: number, truncation: number, limit = Infinity) {
  const rng = createRng(seed);
  const x: number[] = [];
  const censored: boolean[] = [];
  while (x.length < n) {
    const v = d.sample(rng.uniform);
    if (v <= truncation) continue;
    x.push(Math.min(v, limit));
    censored.push(v >= limit);
  }
  return { x, censored };
}

describe('left truncation (deductible)', () => {
  it('lognormal: fitting with truncation recovers the parameters, ignoring it does not', () => {
    const truth = lognormal({ meanlog: 0, sdlog: 1 });
    const { x } = simulate(truth, 3000, 11, 1.5);
    const withT = fitLognormal(x, { truncation: 1.5 });
    const without = fitLognormal(x);
    const err = (f: SeverityFit) => Math.abs(f.params.meanlog - 0) + Math.abs(f.params.sdlog - 1);
    expect(err(withT)).toBeLessThan(err(without) / 5);
    expect(Math.abs(withT.params.meanlog)).toBeLessThan(4 * withT.standardErrors.meanlog);
    expect(Math.abs(withT.params.sdlog - 1)).toBeLessThan(4 * withT.standardErrors.sdlog);
    expect(withT.truncation).toBe(1.5);
    expect(gradientNorm(withT, x, x.map(() => false), 1.5)).toBeLessThan(1e-4);
  });
  it('Weibull, gamma, Lomax: truncated fits beat the naive fits and are stationary', () => {
    const cases: [SeverityDistribution, (x: number[], o?: SeverityFitOptions) => SeverityFit, number][] = [
      [weibull({ shape: 0.8, scale: 10 }), fitWeibull, 5],
      [gamma({ shape: 2, rate: 0.1 }), fitGamma, 15],
      [lomax({ shape: 3, scale: 20 }), fitLomax, 10],
    ];
    for (const [truth, fit, d] of cases) {
      const { x } = simulate(truth, 3000, 21, d);
      const withT = fit(x, { truncation: d });
      const err = (f: SeverityFit) => Object.entries(truth.params).reduce((s, [k, v]) => s + relErr(f.params[k], v), 0);
      let naiveErr = Infinity; // the naive Lomax fit may not even exist (profile runs off to θ → ∞)
      try {
        naiveErr = err(fit(x));
      } catch {
        /* no finite naive MLE */
      }
      expect(err(withT)).toBeLessThan(naiveErr);
      expect(withT.converged).toBe(true);
      expect(gradientNorm(withT, x, x.map(() => false), d)).toBeLessThan(1e-3);
    }
  });
  it('exponential: closed form n / Σ(x − d) by memorylessness', () => {
    const fit = fitExponential([2, 3, 5], { truncation: 1 });
    expect(fit.params.rate).toBeCloseTo(3 / 7, 15);
  });
  it('a negligible truncation point reproduces the untruncated Danish fits (numerical optimiser vs R)', () => {
    const danish = readReferenceCsv('danish-fire.csv').map((r) => Number(r.loss));
    const ref = readReferenceJson('danish-fire.expected.json').fits;
    const cases: [keyof typeof ref, (x: number[], o?: SeverityFitOptions) => SeverityFit][] = [
      ['lognormal', fitLognormal],
      ['gamma', fitGamma],
      ['weibull', fitWeibull],
      ['pareto_lomax', fitLomax],
    ];
    for (const [key, fit] of cases) {
      const f = fit(danish, { truncation: 1e-12 });
      expect(f.method).toBe('nelder-mead+newton');
      expect(f.converged).toBe(true);
      for (const [p, v] of Object.entries(ref[key].estimate as Record<string, number>)) expect(relErr(f.params[p], v)).toBeLessThan(1e-6);
    }
  });
});

describe('right censoring (policy limit)', () => {
  it('exponential: rate = #uncensored / Σx', () => {
    const fit = fitExponential([1, 2, 3, 10], { censored: [false, false, false, true] });
    expect(fit.params.rate).toBeCloseTo(3 / 16, 15);
    expect(fit.nCensored).toBe(1);
  });
  it('Weibull and lognormal: censored fits recover parameters, treating limits as losses is biased', () => {
    for (const [truth, fit] of [
      [weibull({ shape: 1.2, scale: 10 }), fitWeibull],
      [lognormal({ meanlog: 2, sdlog: 0.8 }), fitLognormal],
    ] as [SeverityDistribution, (x: number[], o?: SeverityFitOptions) => SeverityFit][]) {
      const { x, censored } = simulate(truth, 3000, 5, 0, 15);
      expect(censored.filter(Boolean).length).toBeGreaterThan(300);
      const withC = fit(x, { censored });
      const naive = fit(x);
      const err = (f: SeverityFit) => Object.entries(truth.params).reduce((s, [k, v]) => s + relErr(f.params[k], v), 0);
      expect(err(withC)).toBeLessThan(err(naive) / 3);
      expect(Number.isNaN(withC.ad)).toBe(true);
      expect(withC.ks).toBeLessThan(0.05);
      expect(gradientNorm(withC, x, censored, 0)).toBeLessThan(1e-3);
    }
  });
  it('truncation and censoring together, via fitSeverity and { amount, censored } items', () => {
    const truth = lognormal({ meanlog: 3, sdlog: 1 });
    const { x, censored } = simulate(truth, 2000, 8, 5, 100);
    const claims = x.map((amount, i) => ({ amount, censored: censored[i], open: i % 50 === 0 }));
    const r = fitSeverity(claims, { truncation: 5, distributions: ['lognormal', 'weibull', 'gamma', 'lomax', 'exponential'] });
    expect(r.best?.distribution).toBe('lognormal');
    expect(r.best?.nCensored).toBe(censored.filter(Boolean).length);
    expect(r.openCount).toBe(40);
    const ln = r.fits.find((f) => f.distribution === 'lognormal');
    if (!ln || !ln.ok) throw new Error('lognormal fit failed');
    expect(Math.abs(ln.fit.params.meanlog - 3)).toBeLessThan(4 * ln.fit.standardErrors.meanlog);
    expect(gradientNorm(ln.fit, x, censored, 5)).toBeLessThan(1e-3);
  });
});
