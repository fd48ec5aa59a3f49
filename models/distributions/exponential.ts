/**
 * Exponential severity with rate λ (mean 1/λ).
 */
import type { SeverityDistribution } from './types.ts';
import { requireLimit, requirePositive, requireProbability } from './validate.ts';

export interface ExponentialParams {
  rate: number;
}

export interface ExponentialDistribution extends SeverityDistribution {
  readonly name: 'exponential';
  readonly params: Readonly<ExponentialParams>;
}

/**
 * Exponential distribution with `rate` = λ (as R `dexp(x, rate)`).
 *
 * f(x) = λe^(−λx), F(x) = 1 − e^(−λx); E[X] = 1/λ, Var[X] = 1/λ²;
 * E[X∧u] = (1 − e^(−λu))/λ ("Loss Models", Appendix A.3.3.1; R `actuar::levexp`).
 * Quantile −log(1 − p)/λ; sampling by inversion.
 *
 * @throws RangeError when rate is not a finite positive number.
 */
export function exponential({ rate }: ExponentialParams): ExponentialDistribution {
  const D = 'exponential';
  requirePositive(D, 'rate', rate);
  const lam = rate;
  const logPdf = (x: number): number => (x >= 0 && x < Infinity ? Math.log(lam) - lam * x : -Infinity);
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 1) return Infinity;
    return -Math.log1p(-p) / lam;
  };
  return {
    name: 'exponential',
    params: Object.freeze({ rate }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf: (x) => (x > 0 ? -Math.expm1(-lam * x) : 0),
    sf: (x) => (x > 0 ? Math.exp(-lam * x) : 1),
    quantile,
    mean: () => 1 / lam,
    variance: () => 1 / (lam * lam),
    lev(u: number): number {
      requireLimit(D, u);
      if (u === Infinity) return 1 / lam;
      return -Math.expm1(-lam * u) / lam;
    },
    sample: (u01) => quantile(u01()),
  };
}
