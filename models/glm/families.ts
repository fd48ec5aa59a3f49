/**
 * Log-link families: deviance, Pearson χ² and log-likelihood, each matching the corresponding R
 * family object (`poisson()`, `MASS::negative.binomial(theta)`, `Gamma(link = "log")`).
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import type { GlmFamily } from './types.ts';

/** Distinct response values with their summed prior weights (rows with weight > 0 only). */
export interface ResponseTable {
  values: Float64Array;
  weights: Float64Array;
}

/** Groups the response by value: Σ_{i: y_i = v} w_i, so that lgamma/digamma terms are evaluated once per distinct count. */
export function tabulateResponse(y: Float64Array, w: Float64Array): ResponseTable {
  const m = new Map<number, number>();
  const small = new Float64Array(1024); // fast path for counts 0..1023
  const seen = new Uint8Array(1024);
  for (let i = 0; i < y.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const v = y[i];
    const k = v | 0;
    if (k === v && k >= 0 && k < 1024) {
      small[k] += wi;
      seen[k] = 1;
    } else m.set(v, (m.get(v) ?? 0) + wi);
  }
  for (let k = 0; k < 1024; k++) if (seen[k]) m.set(k, small[k]);
  const values = new Float64Array(m.size);
  const weights = new Float64Array(m.size);
  let j = 0;
  for (const [v, s] of m) {
    values[j] = v;
    weights[j++] = s;
  }
  return { values, weights };
}

/**
 * Residual deviance D = Σ w_i d(y_i, μ_i) with unit deviances
 * Poisson 2[y log(y/μ) − (y − μ)]; NB2 2[y log(max(y,1)/μ) − (y+θ) log((y+θ)/(μ+θ))];
 * Gamma −2[log(y/μ) − (y − μ)/μ]  (R: `family$dev.resids`).
 */
export function deviance(kind: GlmFamily, theta: number, y: Float64Array, mu: Float64Array, w: Float64Array): number {
  let s = 0;
  const n = y.length;
  if (kind === 'poisson') {
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      const m = mu[i];
      s += wi * (yi > 0 ? yi * Math.log(yi / m) - (yi - m) : m);
    }
  } else if (kind === 'negative_binomial') {
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      const m = mu[i];
      s += wi * ((yi > 0 ? yi * Math.log(yi / m) : 0) - (yi + theta) * Math.log((yi + theta) / (m + theta)));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      const m = mu[i];
      s -= wi * (Math.log(yi / m) - (yi - m) / m);
    }
  }
  return 2 * s;
}

/** Pearson χ² = Σ w (y − μ)² / V(μ) with V = μ (Poisson), μ + μ²/θ (NB2), μ² (Gamma). */
export function pearsonChi2(kind: GlmFamily, theta: number, y: Float64Array, mu: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const m = mu[i];
    const r = y[i] - m;
    const v = kind === 'poisson' ? m : kind === 'negative_binomial' ? m + (m * m) / theta : m * m;
    s += (wi * r * r) / v;
  }
  return s;
}

/**
 * Log-likelihood Σ w log f(y; μ):
 * - Poisson: y log μ − μ − lgamma(y+1)  (R `dpois`, extended to non-integer y through lgamma);
 * - NB2: lgamma(θ+y) − lgamma(θ) − lgamma(y+1) + θ log θ + y log μ − (θ+y) log(θ+μ)  (MASS::glm.nb's loglik);
 * - Gamma: log dgamma(y; shape 1/φ̂, scale μφ̂) with φ̂ = D/Σw, the convention of R's `Gamma()$aic`
 *   (dispersion by deviance/n, not the Pearson estimate used for standard errors).
 */
export function logLikelihood(
  kind: GlmFamily, theta: number, y: Float64Array, mu: Float64Array, w: Float64Array, dev: number, table: ResponseTable,
): number {
  let s = 0;
  const n = y.length;
  if (kind === 'poisson') {
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      s += wi * ((yi > 0 ? yi * Math.log(mu[i]) : 0) - mu[i]);
    }
    for (let j = 0; j < table.values.length; j++) s -= table.weights[j] * gammaln(table.values[j] + 1);
  } else if (kind === 'negative_binomial') {
    const lt = Math.log(theta);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      s += wi * (theta * lt + (yi > 0 ? yi * Math.log(mu[i]) : 0) - (theta + yi) * Math.log(theta + mu[i]));
    }
    const lgt = gammaln(theta);
    for (let j = 0; j < table.values.length; j++) {
      const v = table.values[j];
      s += table.weights[j] * (gammaln(theta + v) - lgt - gammaln(v + 1));
    }
  } else {
    let sw = 0;
    for (let i = 0; i < n; i++) sw += w[i];
    const a = sw / dev; // shape 1/φ̂
    const lga = gammaln(a);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const yi = y[i];
      const m = mu[i];
      s += wi * (-lga - a * Math.log(m / a) + (a - 1) * Math.log(yi) - (yi * a) / m);
    }
  }
  return s;
}
