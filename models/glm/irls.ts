/**
 * Iteratively reweighted least squares (Fisher scoring) for log-link GLMs on a sparse design.
 */
import { cholesky, choleskyInverse, choleskySolve } from './cholesky.ts';
import { crossprod, linearPredictor, type SparseDesign } from './design.ts';
import { GlmError } from './errors.ts';
import { deviance } from './families.ts';
import type { GlmFamily } from './types.ts';

export interface IrlsResult {
  beta: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  lastChange: number;
  /** (X'WX)⁻¹ from the last iteration (W at the μ that iteration started from), as R's summary.glm uses. */
  covUnscaled: Float64Array;
}

/**
 * Working weight for the log link, W = w (dμ/dη)² / V(μ) = w μ² / V(μ):
 * Poisson w μ; NB2 w μθ/(θ+μ); Gamma w.
 */
export function workingWeights(kind: GlmFamily, theta: number, mu: Float64Array, pw: Float64Array, out: Float64Array): void {
  const n = mu.length;
  if (kind === 'poisson') for (let i = 0; i < n; i++) out[i] = pw[i] * mu[i];
  else if (kind === 'negative_binomial') for (let i = 0; i < n; i++) out[i] = (pw[i] * mu[i] * theta) / (theta + mu[i]);
  else for (let i = 0; i < n; i++) out[i] = pw[i];
}

/** Names the aliased columns and throws GlmError RANK_DEFICIENT. */
export function throwAliased(d: SparseDesign, aliased: number[]): never {
  const names = aliased.map((j) => d.terms[j].name);
  throw new GlmError('RANK_DEFICIENT', `design matrix is rank deficient: aliased term(s) ${names.join(', ')} (linearly dependent on earlier terms)`, {
    aliased: names,
  });
}

/**
 * IRLS for a log-link GLM (McCullagh & Nelder 1989, §2.5; R `glm.fit`): repeat
 *   z = η − offset + (y − μ)/μ,  W = w μ²/V(μ),  β = (X'WX)⁻¹ X'Wz,  η = Xβ + offset,  μ = e^η
 * from η₀ = `etaStart`, else η₀ = offset + log(Σwy / Σw e^offset) (the intercept + offset model;
 * R starts from μ₀ = y + 0.1, which takes more iterations to the same optimum), else (Σwy = 0)
 * log(μ₀) with μ₀ = y + 0.1 (Poisson), y + (y = 0)/6 (NB),
 * until |D − D_old| / (|D| + 0.1) < epsilon (R's criterion) and every coefficient moved by less
 * than `stepTolerance` × its (unscaled) standard error √((X'WX)⁻¹_jj) — the second test makes the
 * coefficients, not only the deviance, converge (Fisher scoring for NB/Gamma converges linearly,
 * and a deviance change of ε leaves β off by about √ε), while still stopping when an estimate
 * drifts to −∞ along a direction of vanishing information (a level without claims). X'WX is built from the sparse design
 * and solved by Cholesky. When the deviance becomes non-finite or clearly increases the step is
 * halved (as `glm2`), which does not change the optimum.
 * Throws GlmError RANK_DEFICIENT (aliased columns) or NOT_CONVERGED when no finite deviance can
 * be reached; hitting `maxIterations` returns `converged: false`.
 */
export function irls(
  d: SparseDesign, kind: GlmFamily, theta: number, y: Float64Array, offset: Float64Array, pw: Float64Array,
  etaStart: Float64Array | null, epsilon: number, maxIterations: number, stepTolerance = 1e-8,
): IrlsResult {
  const { n, p } = d;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  let swy = 0;
  let swe = 0;
  if (!etaStart) {
    for (let i = 0; i < n; i++) {
      swy += pw[i] * y[i];
      swe += pw[i] * Math.exp(offset[i]);
    }
  }
  if (etaStart) eta.set(etaStart);
  else if (swy > 0 && Number.isFinite(swe) && swe > 0) {
    // start at the intercept + offset model (closed form for the log link's mean): fewer iterations than μ₀ = y + c
    const c = Math.log(swy / swe);
    for (let i = 0; i < n; i++) eta[i] = offset[i] + c;
  } else {
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      eta[i] = Math.log(kind === 'poisson' ? yi + 0.1 : kind === 'negative_binomial' ? yi + (yi === 0 ? 1 / 6 : 0) : yi);
    }
  }
  for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i]);
  let devOld = deviance(kind, theta, y, mu, pw);
  const W = new Float64Array(n);
  const z = new Float64Array(n);
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  let beta: Float64Array | null = null;
  let dev = devOld;
  let change = Infinity;
  let iter = 0;
  let lastInv: Float64Array = new Float64Array(p * p).fill(NaN);
  while (iter < maxIterations) {
    iter++;
    workingWeights(kind, theta, mu, pw, W);
    for (let i = 0; i < n; i++) z[i] = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
    crossprod(d, W, z, A, b);
    const { L, aliased } = cholesky(A, p);
    if (aliased.length) throwAliased(d, aliased);
    const next = choleskySolve(L, p, b);
    const inv = choleskyInverse(L, p);
    linearPredictor(d, next, offset, eta);
    for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i]);
    dev = deviance(kind, theta, y, mu, pw);
    let halvings = 0;
    while (!Number.isFinite(dev) || (beta !== null && dev > devOld * (1 + 1e-7) + 1e-7)) {
      if (beta === null || halvings++ >= 40) {
        throw new GlmError('NOT_CONVERGED', `IRLS: no finite, non-increasing deviance reachable at iteration ${iter}`, { iterations: iter, lastChange: change });
      }
      for (let j = 0; j < p; j++) next[j] = 0.5 * (next[j] + beta[j]);
      linearPredictor(d, next, offset, eta);
      for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i]);
      dev = deviance(kind, theta, y, mu, pw);
    }
    let step = Infinity;
    if (beta !== null) {
      step = 0;
      for (let j = 0; j < p; j++) step = Math.max(step, Math.abs(next[j] - beta[j]) / Math.sqrt(inv[j * p + j]));
    }
    beta = next;
    change = Math.abs(dev - devOld) / (Math.abs(dev) + 0.1);
    lastInv = inv;
    if (change < epsilon && step < stepTolerance) return { beta, eta, mu, deviance: dev, iterations: iter, converged: true, lastChange: change, covUnscaled: inv };
    devOld = dev;
  }
  return { beta: beta ?? new Float64Array(p), eta, mu, deviance: dev, iterations: iter, converged: false, lastChange: change, covUnscaled: lastInv };
}
