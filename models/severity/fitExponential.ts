/**
 * Maximum-likelihood fit of the exponential severity.
 */
import type { ExponentialDistribution } from '../distributions/exponential.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { exponentialFamily } from './families.ts';
import { buildFit, fitNumeric } from './mle.ts';
import type { SeverityFit } from './types.ts';

/**
 * Exponential fit on prepared data. By memorylessness the MLE stays closed form with left
 * truncation d and right censoring: λ̂ = (number uncensored) / Σ (x_i − d) ("Loss Models" §13.3).
 * With an upper truncation point the likelihood is maximised numerically.
 * @throws RangeError when every observation is censored.
 */
export function fitExponentialPrepared(data: PreparedSeverityData): SeverityFit<ExponentialDistribution> {
  const n = data.x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += data.x[i] - data.truncation;
  const events = n - data.nCensored;
  if (events === 0) throw new RangeError('exponential fit needs at least one uncensored amount');
  const rate = events / total;
  if (data.upperTruncation < Infinity) return fitNumeric<ExponentialDistribution>(exponentialFamily, data, [rate]);
  return buildFit<ExponentialDistribution>(exponentialFamily, [rate], data, { converged: true, iterations: 0, method: 'closed-form' });
}

/**
 * Fits exponential(rate) by maximum likelihood: λ̂ = 1/mean(x) (uncensored, untruncated), or
 * λ̂ = (#uncensored)/Σ(x_i − d) with deductible d and censoring. Reference: R `MASS::fitdistr(x, "exponential")`.
 * @throws RangeError for invalid data or options, or when all observations are censored.
 */
export function fitExponential(data: SeverityInput, options: SeverityFitOptions = {}): SeverityFit<ExponentialDistribution> {
  return fitExponentialPrepared(prepareSeverityData(data, options));
}
