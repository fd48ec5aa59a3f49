/**
 * fitGlm against R reference fits (stats::glm Poisson on MASS::Insurance, MASS::glm.nb on quine)
 * and hand-worked closed forms.
 */
import { describe, expect, it } from 'vitest';
import gammaln from '@stdlib/math-base-special-gammaln';
import { fitGlm, type GlmResult } from '../../../models/glm/index.ts';
import { readReferenceCsv, readReferenceJson } from '../../fixtures.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

function worst(fit: GlmResult, names: string[], coef: number[], se: number[]) {
  let c = 0;
  let s = 0;
  expect(fit.terms.map((t) => t.name).sort()).toEqual([...names].sort());
  names.forEach((nm, j) => {
    const t = fit.terms.find((x) => x.name === nm)!;
    c = Math.max(c, rel(t.estimate, coef[j]));
    s = Math.max(s, rel(t.stdError, se[j]));
  });
  return { c, s };
}

describe('Poisson GLM with offset vs R glm (MASS Insurance)', () => {
  const rows = readReferenceCsv('mass-insurance.csv');
  const ref = readReferenceJson('mass-insurance.expected.json');
  const fit = fitGlm({
    family: 'poisson',
    response: rows.map((r) => Number(r.Claims)),
    exposure: Float64Array.from(rows, (r) => Number(r.Holders)),
    factors: { District: rows.map((r) => r.District), Group: rows.map((r) => r.Group), Age: rows.map((r) => r.Age) },
    baseLevels: ref.base_levels,
  });
  const P = ref.poisson;

  it('coefficients to 1e-6 and standard errors to 1e-5 (relative)', () => {
    const { c, s } = worst(fit, P.terms, P.coef, P.se);
    expect(c).toBeLessThan(1e-6);
    expect(s).toBeLessThan(1e-5);
  });
  it('deviance, null deviance, logLik, AIC, Pearson χ², df', () => {
    expect(rel(fit.deviance, P.deviance)).toBeLessThan(1e-6);
    expect(rel(fit.nullDeviance, P.null_deviance)).toBeLessThan(1e-6);
    expect(rel(fit.logLik, P.loglik)).toBeLessThan(1e-5);
    expect(rel(fit.aic, P.aic)).toBeLessThan(1e-6);
    expect(rel(fit.pearsonChi2, P.pearson_chi2)).toBeLessThan(1e-6);
    expect(fit.dfResidual).toBe(P.df_residual);
    expect(fit.converged).toBe(true);
    expect(fit.dispersion).toBe(1);
  });
  it('terms carry factor and level; intercept has nulls; base levels reported', () => {
    expect(fit.terms[0]).toMatchObject({ name: '(Intercept)', factor: null, level: null });
    expect(fit.terms.find((t) => t.name === 'Group>2l')).toMatchObject({ factor: 'Group', level: '>2l' });
    expect(fit.baseLevels).toEqual(ref.base_levels);
    const district = fit.levels.District;
    expect(district[0]).toMatchObject({ level: '1', isBase: true });
    expect(district.reduce((s, l) => s + l.response, 0)).toBe(rows.reduce((s, r) => s + Number(r.Claims), 0));
  });
  it('offset given as log(exposure) equals exposure; both are summed', () => {
    const common = {
      family: 'poisson' as const,
      response: rows.map((r) => Number(r.Claims)),
      factors: { District: rows.map((r) => r.District), Group: rows.map((r) => r.Group), Age: rows.map((r) => r.Age) },
      baseLevels: ref.base_levels,
    };
    const viaOffset = fitGlm({ ...common, offset: rows.map((r) => Math.log(Number(r.Holders))) });
    const both = fitGlm({ ...common, offset: rows.map(() => Math.log(2)), exposure: rows.map((r) => Number(r.Holders)) });
    viaOffset.terms.forEach((t, j) => expect(t.estimate).toBeCloseTo(fit.terms[j].estimate, 10));
    expect(both.terms[0].estimate).toBeCloseTo(fit.terms[0].estimate - Math.log(2), 10);
  });
});

describe('negative binomial NB2 vs MASS::glm.nb (quine)', () => {
  const rows = readReferenceCsv('mass-quine.csv');
  const ref = readReferenceJson('mass-quine.expected.json');
  const R = ref.negative_binomial_nb2;
  const fit = fitGlm({
    family: 'negative_binomial',
    response: rows.map((r) => Number(r.Days)),
    factors: { Eth: rows.map((r) => r.Eth), Sex: rows.map((r) => r.Sex), Age: rows.map((r) => r.Age), Lrn: rows.map((r) => r.Lrn) },
    baseLevels: ref.base_levels,
  });
  it('coefficients 1e-6, SEs 1e-5, θ and its SE 1e-5, logLik 1e-5', () => {
    const { c, s } = worst(fit, R.terms, R.coef, R.se);
    expect(c).toBeLessThan(1e-6);
    expect(s).toBeLessThan(1e-5);
    expect(rel(fit.theta!, R.theta)).toBeLessThan(1e-5);
    expect(rel(fit.thetaStdError!, R.theta_se)).toBeLessThan(1e-5);
    expect(rel(fit.logLik, R.loglik)).toBeLessThan(1e-5);
  });
  it('AIC (θ counted as a parameter) and deviance', () => {
    expect(rel(fit.aic, R.aic)).toBeLessThan(1e-6);
    expect(rel(fit.deviance, R.deviance)).toBeLessThan(1e-6);
    expect(fit.dfResidual).toBe(rows.length - R.terms.length);
    expect(fit.converged).toBe(true);
  });
  it('a fixed θ reproduces the coefficients conditional on that θ, without the extra AIC parameter', () => {
    const fixed = fitGlm({
      family: 'negative_binomial',
      response: rows.map((r) => Number(r.Days)),
      factors: { Eth: rows.map((r) => r.Eth), Sex: rows.map((r) => r.Sex), Age: rows.map((r) => r.Age), Lrn: rows.map((r) => r.Lrn) },
      baseLevels: ref.base_levels,
    }, { theta: R.theta });
    const { c } = worst(fixed, R.terms, R.coef, R.se);
    expect(c).toBeLessThan(1e-6);
    expect(fixed.aic).toBeCloseTo(fit.aic - 2, 4);
    expect(fixed.thetaStdError).toBeUndefined();
  });
});

describe('hand-worked closed forms (one factor: saturated in the level means)', () => {
  // level a: y = 2, 4 (exposure 1, 3); level b: y = 9, 3, 6 (exposure 2, 2, 2)
  const y = [2, 4, 9, 3, 6];
  const e = [1, 3, 2, 2, 2];
  const g = ['a', 'a', 'b', 'b', 'b'];
  it('Poisson: β = log rates, SE = √(1/Y), deviance by hand', () => {
    const fit = fitGlm({ family: 'poisson', response: y, exposure: e, factors: { g } });
    // default base: largest exposure → b (6 > 4)
    expect(fit.baseLevels.g).toBe('b');
    const [b0, ga] = fit.terms;
    expect(b0.estimate).toBeCloseTo(Math.log(18 / 6), 12);
    expect(ga.name).toBe('ga');
    expect(ga.estimate).toBeCloseTo(Math.log(6 / 4) - Math.log(18 / 6), 12);
    expect(b0.stdError).toBeCloseTo(Math.sqrt(1 / 18), 9); // R convention: W of the last iteration
    expect(ga.stdError).toBeCloseTo(Math.sqrt(1 / 18 + 1 / 6), 9);
    const mu = [1.5, 4.5, 6, 6, 6];
    const dev = 2 * y.reduce((s, yi, i) => s + yi * Math.log(yi / mu[i]) - (yi - mu[i]), 0);
    expect(fit.deviance).toBeCloseTo(dev, 10);
    const ll = y.reduce((s, yi, i) => s + yi * Math.log(mu[i]) - mu[i] - gammaln(yi + 1), 0);
    expect(fit.logLik).toBeCloseTo(ll, 10);
    expect(fit.aic).toBeCloseTo(-2 * ll + 4, 10);
    // null model: one rate 24/10
    const mu0 = e.map((x) => (x * 24) / 10);
    expect(fit.nullDeviance).toBeCloseTo(2 * y.reduce((s, yi, i) => s + yi * Math.log(yi / mu0[i]) - (yi - mu0[i]), 0), 10);
  });
  it('Gamma: β = log means, SE = √(φ/n), φ = Pearson/df, AIC with φ = D/n', () => {
    const fit = fitGlm({ family: 'gamma', response: y, factors: { g }, baseLevels: { g: 'a' } });
    const mu = [3, 3, 6, 6, 6];
    expect(fit.terms[0].estimate).toBeCloseTo(Math.log(3), 12);
    expect(fit.terms[1].estimate).toBeCloseTo(Math.log(2), 12);
    const pearson = y.reduce((s, yi, i) => s + ((yi - mu[i]) / mu[i]) ** 2, 0);
    const phi = pearson / 3;
    expect(fit.pearsonChi2).toBeCloseTo(pearson, 12);
    expect(fit.dispersion).toBeCloseTo(phi, 12);
    expect(fit.terms[0].stdError).toBeCloseTo(Math.sqrt(phi / 2), 10);
    expect(fit.terms[1].stdError).toBeCloseTo(Math.sqrt(phi / 2 + phi / 3), 10);
    const dev = -2 * y.reduce((s, yi, i) => s + Math.log(yi / mu[i]) - (yi - mu[i]) / mu[i], 0);
    expect(fit.deviance).toBeCloseTo(dev, 10);
    const shape = 5 / dev;
    const ll = y.reduce((s, yi, i) => s - gammaln(shape) - shape * Math.log(mu[i] / shape) + (shape - 1) * Math.log(yi) - (yi * shape) / mu[i], 0);
    expect(fit.logLik).toBeCloseTo(ll, 10);
    expect(fit.aic).toBeCloseTo(-2 * ll + 2 * 3, 10);
  });
  it('NB: β = log level means and θ̂ maximises the profile log-likelihood (finite differences)', () => {
    const yy = [0, 5, 1, 12, 3, 0, 7, 2, 20, 1, 4, 9];
    const gg = yy.map((_, i) => (i < 6 ? 'x' : 'y'));
    const fit = fitGlm({ family: 'negative_binomial', response: yy, factors: { g: gg }, baseLevels: { g: 'x' } });
    const mx = (0 + 5 + 1 + 12 + 3 + 0) / 6;
    const my = (7 + 2 + 20 + 1 + 4 + 9) / 6;
    expect(fit.terms[0].estimate).toBeCloseTo(Math.log(mx), 9);
    expect(fit.terms[1].estimate).toBeCloseTo(Math.log(my / mx), 9);
    const ll = (th: number) =>
      yy.reduce((s, v, i) => {
        const m = i < 6 ? mx : my;
        return s + gammaln(th + v) - gammaln(th) - gammaln(v + 1) + th * Math.log(th / (th + m)) + v * Math.log(m / (th + m));
      }, 0);
    const th = fit.theta!;
    const h = 1e-4 * th;
    expect(Math.abs((ll(th + h) - ll(th - h)) / (2 * h))).toBeLessThan(1e-6);
    expect(fit.logLik).toBeCloseTo(ll(th), 10);
    const info = -(ll(th + h) - 2 * ll(th) + ll(th - h)) / (h * h);
    expect(rel(fit.thetaStdError!, 1 / Math.sqrt(info))).toBeLessThan(1e-4);
  });
  it('covariates: named by the covariate, factor = name, level = null; slope of an exact log-linear rate', () => {
    const x = [0, 1, 2, 3, 4, 5];
    const expo = [10, 10, 10, 10, 10, 10];
    // y proportional to exp(0.3 x) exactly is not integer; use weights-free Gamma with exact means
    const yv = x.map((v) => 5 * Math.exp(0.3 * v));
    const fit = fitGlm({ family: 'gamma', response: yv, covariates: { x }, offset: expo.map(() => 0) });
    expect(fit.terms[1]).toMatchObject({ name: 'x', factor: 'x', level: null });
    expect(fit.terms[1].estimate).toBeCloseTo(0.3, 10);
    expect(fit.terms[0].estimate).toBeCloseTo(Math.log(5), 10);
  });
});
