/**
 * Maximum-likelihood fit of the gamma severity.
 */
import digamma from '@stdlib/math-base-special-digamma';
import trigamma from '@stdlib/math-base-special-trigamma';
import type { GammaDistribution } from '../distributions/gamma.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { gammaFamily } from './families.ts';
import { buildFit, fitNumeric, needsNumeric } from './mle.ts';
import type { SeverityFit } from './types.ts';

/**
 * Gamma MLE from the profile score equation log α − ψ(α) = s, s = log(mean x) − mean(log x) > 0,
 * solved by safeguarded Newton (g′(α) = 1/α − ψ′(α)) from Minka's (2002) start
 * α₀ = (3 − s + √((s − 3)² + 24s))/(12s), to |Δα| ≤ 1e-15·α; then λ̂ = α̂/mean(x).
 * Reference: Choi & Wette (1969); the R reference solves the same equation with `uniroot`.
 * @throws RangeError when all amounts are equal (s = 0: no finite MLE).
 */
export function gammaMle(x: ArrayLike<number>): { shape: number; rate: number; iterations: number; converged: boolean } {
  const n = x.length;
  let sum = 0;
  let sumLog = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i];
    sumLog += Math.log(x[i]);
  }
  const mean = sum / n;
  const s = Math.log(mean) - sumLog / n;
  if (!(s > 0)) throw new RangeError('gamma fit needs at least two distinct amounts');
  const g = (a: number): number => Math.log(a) - digamma(a) - s; // decreasing from +∞ to 0⁻ − s
  let a = (3 - s + Math.sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
  let lo = a;
  let hi = a;
  while (g(lo) <= 0) lo /= 2;
  while (g(hi) >= 0) hi *= 2;
  let converged = false;
  let iter: number;
  for (iter = 1; iter <= 200; iter++) {
    const ga = g(a);
    if (ga === 0) {
      converged = true;
      break;
    }
    if (ga > 0) lo = a;
    else hi = a;
    let next = a - ga / (1 / a - trigamma(a));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const step = Math.abs(next - a);
    a = next;
    if (step <= 1e-15 * a) {
      converged = true;
      break;
    }
  }
  return { shape: a, rate: a / mean, iterations: iter, converged };
}

/** Gamma fit on prepared data (profile score equation, or numerical with truncation / censoring). */
export function fitGammaPrepared(data: PreparedSeverityData): SeverityFit<GammaDistribution> {
  const mle = gammaMle(data.x);
  if (needsNumeric(data)) return fitNumeric<GammaDistribution>(gammaFamily, data, [mle.shape, mle.rate]);
  return buildFit<GammaDistribution>(gammaFamily, [mle.shape, mle.rate], data, {
    converged: mle.converged,
    iterations: mle.iterations,
    method: 'profile-newton',
  });
}

/**
 * Fits gamma(shape, rate) by maximum likelihood (see `gammaMle`); with truncation / censoring the
 * full likelihood is maximised numerically from that start. Reference: R `fitdistrplus::fitdist(x, "gamma")`
 * at its true optimum.
 * @throws RangeError for invalid data or options, or degenerate data.
 */
export function fitGamma(data: SeverityInput, options: SeverityFitOptions = {}): SeverityFit<GammaDistribution> {
  return fitGammaPrepared(prepareSeverityData(data, options));
}
