/**
 * Iteratively reweighted least squares (Fisher scoring) for log-link GLMs on a sparse design.
 */
import { cholesky, choleskyInverse, choleskySolve } from './cholesky.ts';
import { crossprod, crossprodVector, linearPredictor, type SparseDesign } from './design.ts';
import { GlmError } from './errors.ts';
import { deviance } from './families.ts';
import { marginalStart } from './start.ts';
import type { GlmFamily } from './types.ts';

export interface IrlsResult {
  beta: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  deviance: number;
  /** IRLS steps (full Fisher steps and chord steps). */
  iterations: number;
  /** Number of times X'WX was built and factorised. */
  informationUpdates: number;
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
 * IRLS for a log-link GLM (McCullagh & Nelder 1989, §2.5; R `glm.fit`): Fisher scoring
 *   z = η − offset + (y − μ)/μ,  W = w μ²/V(μ),  β = (X'WX)⁻¹ X'Wz,  η = Xβ + offset,  μ = e^η,
 * from η₀ = `etaStart`, else the marginal-rate start of {@link marginalStart} (intercept + offset
 * model refined by a few IPF sweeps over the factors; R starts from μ₀ = y + 0.1, which takes more
 * iterations to the same optimum), else (Σwy = 0) log(μ₀) with μ₀ = y + 0.1 (Poisson),
 * y + (y = 0)/6 (NB), y (Gamma).
 * Chord steps: once a full step has been taken, the next steps keep the Cholesky factor of the
 * last X'W₀X and move by Δβ = (X'W₀X)⁻¹ U(β), U = X'[W (y − μ)/μ] the score at the current β
 * (simplified Newton / chord method, Dennis & Schnabel 1996 §5.4; Ortega & Rheinboldt 1970 §7.1).
 * Its fixed point is U(β) = 0, the same optimum; it costs one pass per factor instead of the
 * F(F−1)/2 two-way tables of X'WX. X'WX is rebuilt (a full Fisher step) whenever a chord step
 * shrank by less than a factor 4 relative to the previous step, or after a step halving.
 * Convergence: |D − D_old| / (|D| + 0.1) < epsilon (R's criterion) and every coefficient moved by
 * less than `stepTolerance` × its (unscaled) standard error √((X'WX)⁻¹_jj) — the second test makes
 * the coefficients, not only the deviance, converge (Fisher scoring for NB/Gamma converges
 * linearly, and a deviance change of ε leaves β off by about √ε), while still stopping when an
 * estimate drifts to −∞ along a direction of vanishing information (a level without claims).
 * The returned `covUnscaled` is (X'WX)⁻¹ at the W the last iteration started from (as R's
 * summary.glm), rebuilt if that iteration was a chord step. X'WX is built from the sparse design
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
  let eta = etaStart ? Float64Array.from(etaStart) : marginalStart(d, y, offset, pw);
  if (!eta) {
    eta = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      eta[i] = Math.log(kind === 'poisson' ? yi + 0.1 : kind === 'negative_binomial' ? yi + (yi === 0 ? 1 / 6 : 0) : yi);
    }
  }
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) mu[i] = Math.exp(eta[i]);
  let devOld = deviance(kind, theta, y, mu, pw);
  const W = new Float64Array(n);
  const z = new Float64Array(n); // working response (full steps) or W (y − μ)/μ (chord steps)
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  let beta: Float64Array | null = null;
  let L: Float64Array | null = null;
  let inv: Float64Array = new Float64Array(p * p).fill(NaN);
  let dev = devOld;
  let change = Infinity;
  let iter = 0;
  let updates = 0;
  let full = true;
  let prevStep = Infinity;
  const factorise = () => {
    crossprod(d, W, z, A, b);
    const ch = cholesky(A, p);
    if (ch.aliased.length) throwAliased(d, ch.aliased);
    updates++;
    return ch.L;
  };
  while (iter < maxIterations) {
    iter++;
    workingWeights(kind, theta, mu, pw, W);
    let next: Float64Array;
    const chord: boolean = !full && beta !== null && L !== null;
    if (!chord) {
      for (let i = 0; i < n; i++) z[i] = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
      L = factorise();
      next = choleskySolve(L, p, b);
      inv = choleskyInverse(L, p);
    } else {
      for (let i = 0; i < n; i++) z[i] = (W[i] * (y[i] - mu[i])) / mu[i];
      crossprodVector(d, z, b);
      next = choleskySolve(L!, p, b);
      for (let j = 0; j < p; j++) next[j] += beta![j];
    }
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
    if (change < epsilon && step < stepTolerance) {
      if (chord) {
        // information at the W this iteration started from (W still holds it), as R reports
        for (let i = 0; i < n; i++) z[i] = 0;
        inv = choleskyInverse(factorise(), p);
      }
      return { beta, eta, mu, deviance: dev, iterations: iter, informationUpdates: updates, converged: true, lastChange: change, covUnscaled: inv };
    }
    // chord next unless this chord step contracted poorly or the step had to be halved
    full = halvings > 0 || (chord && !(step < 0.25 * prevStep));
    prevStep = step;
    devOld = dev;
  }
  return { beta: beta ?? new Float64Array(p), eta, mu, deviance: dev, iterations: iter, informationUpdates: updates, converged: false, lastChange: change, covUnscaled: inv };
}
