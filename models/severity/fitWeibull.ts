/**
 * Maximum-likelihood fit of the Weibull severity.
 */
import type { WeibullDistribution } from '../distributions/weibull.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { weibullFamily } from './families.ts';
import { buildFit, fitNumeric, needsNumeric } from './mle.ts';
import type { SeverityFit } from './types.ts';

/**
 * Weibull MLE from the profile score equation in the shape k:
 * h(k) = Σ x^k log x / Σ x^k − 1/k − mean(log x) = 0 (h increasing), solved by safeguarded Newton
 * with h′(k) = Var_w(log x) + 1/k² (weights w ∝ x^k, computed as exp(k(log x − max log x)) to avoid
 * overflow), to |Δk| ≤ 1e-15·k; then θ̂ = (mean x^k)^(1/k).
 * Start k₀ = π/(√6·sd(log x)). Reference: Cohen (1965); R reference uses `uniroot` on h.
 * @throws RangeError when all amounts are equal.
 */
export function weibullMle(x: ArrayLike<number>): { shape: number; scale: number; iterations: number; converged: boolean } {
  const n = x.length;
  const lx = new Float64Array(n);
  let maxL = -Infinity;
  let meanL = 0;
  for (let i = 0; i < n; i++) {
    lx[i] = Math.log(x[i]);
    maxL = Math.max(maxL, lx[i]);
    meanL += lx[i];
  }
  meanL /= n;
  let varL = 0;
  for (let i = 0; i < n; i++) varL += (lx[i] - meanL) ** 2;
  varL /= n;
  if (!(varL > 0)) throw new RangeError('weibull fit needs at least two distinct amounts');
  const moments = (k: number): { A: number; B: number; C: number } => {
    let A = 0;
    let B = 0;
    let C = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp(k * (lx[i] - maxL));
      A += w;
      B += w * lx[i];
      C += w * lx[i] * lx[i];
    }
    return { A, B, C };
  };
  const h = (k: number): number => {
    const { A, B } = moments(k);
    return B / A - 1 / k - meanL;
  };
  let k = Math.PI / Math.sqrt(6 * varL);
  let lo = k;
  let hi = k;
  while (h(lo) >= 0) lo /= 2;
  let guard = 0;
  while (h(hi) <= 0 && guard++ < 200) hi *= 2;
  let converged = false;
  let iter: number;
  for (iter = 1; iter <= 200; iter++) {
    const { A, B, C } = moments(k);
    const mb = B / A;
    const hk = mb - 1 / k - meanL;
    if (hk === 0) {
      converged = true;
      break;
    }
    if (hk < 0) lo = k;
    else hi = k;
    const dh = C / A - mb * mb + 1 / (k * k);
    let next = k - hk / dh;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const step = Math.abs(next - k);
    k = next;
    if (step <= 1e-15 * k) {
      converged = true;
      break;
    }
  }
  // θ = (mean x^k)^(1/k) = max(x)·(mean (x/max)^k)^(1/k)
  const { A } = moments(k);
  const scale = Math.exp(maxL + Math.log(A / n) / k);
  return { shape: k, scale, iterations: iter, converged };
}

/** Weibull fit on prepared data (profile score equation, or numerical with truncation / censoring). */
export function fitWeibullPrepared(data: PreparedSeverityData): SeverityFit<WeibullDistribution> {
  const mle = weibullMle(data.x);
  if (needsNumeric(data)) return fitNumeric<WeibullDistribution>(weibullFamily, data, [mle.shape, mle.scale]);
  return buildFit<WeibullDistribution>(weibullFamily, [mle.shape, mle.scale], data, {
    converged: mle.converged,
    iterations: mle.iterations,
    method: 'profile-newton',
  });
}

/**
 * Fits Weibull(shape, scale) by maximum likelihood (see `weibullMle`); with truncation / censoring
 * the full likelihood is maximised numerically from that start. Reference: R `fitdistrplus::fitdist(x, "weibull")`
 * at its true optimum.
 * @throws RangeError for invalid data or options, or degenerate data.
 */
export function fitWeibull(data: SeverityInput, options: SeverityFitOptions = {}): SeverityFit<WeibullDistribution> {
  return fitWeibullPrepared(prepareSeverityData(data, options));
}
