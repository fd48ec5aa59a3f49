/**
 * Maximum-likelihood fit of the lognormal severity.
 */
import type { LognormalDistribution } from '../distributions/lognormal.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { lognormalFamily } from './families.ts';
import { buildFit, fitNumeric, needsNumeric } from './mle.ts';
import type { SeverityFit } from './types.ts';

/**
 * Closed-form lognormal MLE: μ̂ = mean(log x), σ̂ = sqrt(mean((log x − μ̂)²)) (divisor n, as
 * `fitdistrplus::mledist`).
 * @throws RangeError when fewer than two distinct amounts are given.
 */
export function lognormalMle(x: ArrayLike<number>): [number, number] {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += Math.log(x[i]);
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.log(x[i]) - m;
    v += d * d;
  }
  const s = Math.sqrt(v / n);
  if (!(s > 0)) throw new RangeError('lognormal fit needs at least two distinct amounts');
  return [m, s];
}

/** Lognormal fit on prepared data (closed form, or numerical with truncation / censoring). */
export function fitLognormalPrepared(data: PreparedSeverityData): SeverityFit<LognormalDistribution> {
  const start = lognormalMle(data.x);
  if (needsNumeric(data)) return fitNumeric<LognormalDistribution>(lognormalFamily, data, start);
  return buildFit<LognormalDistribution>(lognormalFamily, start, data, { converged: true, iterations: 0, method: 'closed-form' });
}

/**
 * Fits lognormal(meanlog, sdlog) by maximum likelihood. Without truncation / censoring the MLE is
 * closed form (`lognormalMle`); with them the likelihood Σ log f + Σ_cens log S − n log S(d) is
 * maximised numerically from the closed-form start. Standard errors from the observed information.
 * Reference: R `fitdistrplus::fitdist(x, "lnorm")`; "Loss Models" ch. 13.
 * @throws RangeError for invalid data or options (see `prepareSeverityData`) or degenerate data.
 */
export function fitLognormal(data: SeverityInput, options: SeverityFitOptions = {}): SeverityFit<LognormalDistribution> {
  return fitLognormalPrepared(prepareSeverityData(data, options));
}
