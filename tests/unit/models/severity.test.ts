import { describe, expect, it } from 'vitest';
import trigamma from '@stdlib/math-base-special-trigamma';
import {
  fitSeverity,
  fitLognormal,
  fitGamma,
  fitWeibull,
  fitLomax,
  fitExponential,
  fitGpd,
  ksStatistic,
  adStatistic,
  type SeverityFit,
} from '../../../models/severity/index.ts';
import { distributionFromParams, gpd, lomax, type SeverityDistribution } from '../../../models/distributions/index.ts';
import { createRng } from '../../../models/random.ts';
import { readReferenceCsv, readReferenceJson } from '../../fixtures.ts';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const danish = readReferenceCsv('danish-fire.csv').map((r) => Number(r.loss));
const ref = readReferenceJson('danish-fire.expected.json');

/** Full log-likelihood written out independently of the fitters. */
const sumLogPdf = (d: SeverityDistribution, x: number[]): number => x.reduce((s, v) => s + d.logPdf(v), 0);

/** Central-difference gradient of the log-likelihood at the fitted parameters (relative steps). */
function relativeGradient(fit: SeverityFit, x: number[]): number[] {
  return fit.paramNames.map((name) => {
    const p = fit.params[name];
    const h = 1e-6 * Math.abs(p);
    const at = (v: number) => sumLogPdf(distributionFromParams(fit.distribution, { ...fit.params, [name]: v }), x);
    return ((at(p + h) - at(p - h)) / (2 * h)) * Math.abs(p); // d ℓ / d log p
  });
}

describe('Danish fire losses vs R (danish-fire.expected.json)', () => {
  const result = fitSeverity(danish);
  const worst: Record<string, number> = {};
  const cases: [string, keyof typeof ref.fits][] = [
    ['lognormal', 'lognormal'],
    ['gamma', 'gamma'],
    ['weibull', 'weibull'],
    ['lomax', 'pareto_lomax'],
  ];
  for (const [name, key] of cases) {
    it(`${name}: parameters (rel 1e-6), log-likelihood (abs 1e-6), AIC, KS`, () => {
      const outcome = result.fits.find((f) => f.distribution === name);
      expect(outcome?.ok).toBe(true);
      if (!outcome || !outcome.ok) return;
      const fit = outcome.fit;
      const e = ref.fits[key];
      for (const [p, v] of Object.entries(e.estimate as Record<string, number>)) {
        expect(relErr(fit.params[p], v)).toBeLessThan(1e-6);
        worst[`${name}.${p}`] = relErr(fit.params[p], v);
      }
      expect(Math.abs(fit.logLik - e.loglik)).toBeLessThan(1e-6);
      expect(Math.abs(fit.aic - e.aic)).toBeLessThan(2e-6);
      expect(relErr(fit.ks, e.ks)).toBeLessThan(1e-6);
      expect(fit.n).toBe(ref.n);
      expect(fit.converged).toBe(true);
      expect(fit.bic).toBeCloseTo(-2 * e.loglik + 2 * Math.log(ref.n), 5);
    });
  }
  it('ranks by AIC like R (lognormal < Lomax < gamma < Weibull)', () => {
    const order = result.fits.map((f) => f.distribution);
    const byRef = cases.slice().sort((a, b) => ref.fits[a[1]].aic - ref.fits[b[1]].aic).map((c) => c[0]);
    expect(order).toEqual(byRef);
    expect(result.best?.distribution).toBe(byRef[0]);
    expect(result.fits[0].ok && result.fits[0].deltaAic).toBe(0);
  });
  it('the fitted parameters are stationary points of the likelihood (independent gradient)', () => {
    for (const f of result.fits) {
      if (!f.ok) continue;
      for (const g of relativeGradient(f.fit, danish)) expect(Math.abs(g)).toBeLessThan(1e-3);
    }
  });
  it('standard errors agree with the analytic observed information (lognormal, gamma)', () => {
    const n = danish.length;
    const ln = fitLognormal(danish);
    expect(relErr(ln.standardErrors.meanlog, ln.params.sdlog / Math.sqrt(n))).toBeLessThan(1e-6);
    expect(relErr(ln.standardErrors.sdlog, ln.params.sdlog / Math.sqrt(2 * n))).toBeLessThan(1e-6);
    const g = fitGamma(danish);
    const a = g.params.shape;
    const l = g.params.rate;
    // I = n [[ψ'(α), −1/λ], [−1/λ, α/λ²]]
    const i11 = n * trigamma(a);
    const i12 = -n / l;
    const i22 = (n * a) / (l * l);
    const det = i11 * i22 - i12 * i12;
    expect(relErr(g.standardErrors.shape, Math.sqrt(i22 / det))).toBeLessThan(1e-5);
    expect(relErr(g.standardErrors.rate, Math.sqrt(i11 / det))).toBeLessThan(1e-5);
  });
});

describe('hand-made data with known MLE', () => {
  it('exponential: rate = 1/mean', () => {
    const fit = fitExponential([1, 2, 3, 4]);
    expect(fit.params.rate).toBeCloseTo(0.4, 15);
    expect(fit.logLik).toBeCloseTo(4 * Math.log(0.4) - 4, 12);
    expect(fit.aic).toBeCloseTo(-2 * (4 * Math.log(0.4) - 4) + 2, 12);
    expect(fit.standardErrors.rate).toBeCloseTo(0.4 / 2, 8);
  });
  it('lognormal: log data 0, 1, 2 gives meanlog 1, sdlog √(2/3)', () => {
    const fit = fitLognormal([1, Math.E, Math.E * Math.E]);
    expect(fit.params.meanlog).toBeCloseTo(1, 14);
    expect(fit.params.sdlog).toBeCloseTo(Math.sqrt(2 / 3), 14);
  });
  it('gamma, Weibull, Lomax, GPD on simulated data: gradient zero and parameters near the truth', () => {
    const rng = createRng(7);
    const n = 4000;
    const lomaxX = Array.from({ length: n }, () => lomax({ shape: 3, scale: 10 }).sample(rng.uniform));
    const fl = fitLomax(lomaxX);
    expect(relErr(fl.params.shape, 3)).toBeLessThan(4 * fl.standardErrors.shape / 3);
    for (const g of relativeGradient(fl, lomaxX)) expect(Math.abs(g)).toBeLessThan(1e-4);
    const gX = Array.from({ length: n }, () => rng.gamma(2.5, 0.01));
    const fg = fitGamma(gX);
    expect(Math.abs(fg.params.shape - 2.5)).toBeLessThan(4 * fg.standardErrors.shape);
    expect(Math.abs(fg.params.rate - 0.01)).toBeLessThan(4 * fg.standardErrors.rate);
    for (const g of relativeGradient(fg, gX)) expect(Math.abs(g)).toBeLessThan(1e-4);
    const wX = gX.map((v) => Math.pow(v, 0.5));
    const fw = fitWeibull(wX);
    for (const g of relativeGradient(fw, wX)) expect(Math.abs(g)).toBeLessThan(1e-4);
    const truth = gpd({ scale: 2, shape: 0.3 });
    const y = Array.from({ length: n }, () => truth.sample(rng.uniform));
    const fgp = fitGpd(y);
    expect(Math.abs(fgp.params.shape - 0.3)).toBeLessThan(4 * fgp.standardErrors.shape);
    expect(Math.abs(fgp.params.scale - 2)).toBeLessThan(4 * fgp.standardErrors.scale);
    for (const g of relativeGradient(fgp, y)) expect(Math.abs(g)).toBeLessThan(1e-4);
  });
  it('GPD on exceedances keeps the threshold as location; bounded tail (ξ < 0) is recovered', () => {
    const rng = createRng(99);
    const truth = gpd({ scale: 1, shape: -0.3 });
    const y = Array.from({ length: 3000 }, () => truth.sample(rng.uniform));
    const fit = fitGpd(y, { threshold: 100 });
    expect(fit.model.params.threshold).toBe(100);
    expect(fit.model.cdf(100)).toBe(0);
    expect(Math.abs(fit.params.shape + 0.3)).toBeLessThan(4 * fit.standardErrors.shape);
  });
});

describe('goodness of fit statistics', () => {
  it('KS and AD for a uniform sample by hand', () => {
    const x = Float64Array.from([0.1, 0.5, 0.9]);
    const F = (v: number) => v;
    expect(ksStatistic(x, F)).toBeCloseTo(1 / 3 - 0.1, 15);
    const ad = -3 - (1 * (Math.log(0.1) + Math.log(0.1)) + 3 * (Math.log(0.5) + Math.log(0.5)) + 5 * (Math.log(0.9) + Math.log(0.9))) / 3;
    expect(adStatistic(x, F, (v) => 1 - v)).toBeCloseTo(ad, 13);
  });
});

describe('fitSeverity behaviour', () => {
  it('reports a failed fit with its error instead of throwing', () => {
    // Light-tailed (uniform-like) data: the Lomax MLE runs off to the exponential limit.
    const x = Array.from({ length: 200 }, (_, i) => 10 + (i % 20));
    const r = fitSeverity(x, { distributions: ['lognormal', 'lomax', 'gamma'] });
    const lomaxOutcome = r.fits.find((f) => f.distribution === 'lomax');
    expect(lomaxOutcome?.ok).toBe(false);
    if (lomaxOutcome && !lomaxOutcome.ok) expect(lomaxOutcome.error).toMatch(/lomax/);
    expect(r.fits[r.fits.length - 1].distribution).toBe('lomax');
    expect(r.best).not.toBeNull();
  });
  it('open claims are fitted at the amount given and reported', () => {
    const claims = danish.slice(0, 100).map((amount, i) => ({ amount, open: i % 10 === 0 }));
    const r = fitSeverity(claims);
    expect(r.openCount).toBe(10);
    expect(r.includesOpenClaims).toBe(true);
    expect(r.best?.openCount).toBe(10);
    const plain = fitLognormal(danish.slice(0, 100));
    const withFlags = fitLognormal(danish.slice(0, 100), { open: danish.slice(0, 100).map((_, i) => i < 3) });
    expect(withFlags.params).toEqual(plain.params);
    expect(withFlags.openCount).toBe(3);
    expect(plain.includesOpenClaims).toBe(false);
  });
  it('rejects invalid input', () => {
    expect(() => fitLognormal([])).toThrow(RangeError);
    expect(() => fitLognormal([1, -2, 3])).toThrow(RangeError);
    expect(() => fitGamma([1, NaN])).toThrow(RangeError);
    expect(() => fitWeibull([2, 2, 2])).toThrow(RangeError);
    expect(() => fitLognormal([1, 2, 3], { truncation: 2 })).toThrow(RangeError);
    expect(() => fitLognormal([1, 2, 3], { censored: [true] })).toThrow(RangeError);
    expect(() => fitSeverity([1, 2, 3], { distributions: ['nope' as never] })).toThrow(RangeError);
  });
});
