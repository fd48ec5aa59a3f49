/**
 * Log-likelihood of a severity distribution with left truncation, upper truncation and right censoring.
 */
import type { SeverityDistribution } from '../distributions/types.ts';
import type { PreparedSeverityData } from './data.ts';

/**
 * ℓ = Σ_{uncensored} log f(x_i) + Σ_{censored} log S(x_i) − n·log(F(U) − F(d)),
 * with d the left-truncation point (deductible, 0 if none) and U the upper truncation point
 * (Infinity if none); for U = ∞ the last term is n·log S(d) ("Loss Models" §13.3, modified data).
 * Returns −Infinity when an observation has zero density or the truncation window zero mass.
 */
export function severityLogLik(dist: SeverityDistribution, data: PreparedSeverityData): number {
  const { x, censored, truncation, upperTruncation } = data;
  const n = x.length;
  // Neumaier-compensated sum: keeps finite-difference Hessians of ℓ accurate.
  let ll = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const v = censored[i] ? Math.log(dist.sf(x[i])) : dist.logPdf(x[i]);
    const t = ll + v;
    comp += Math.abs(ll) >= Math.abs(v) ? ll - t + v : v - t + ll;
    ll = t;
  }
  ll += comp;
  if (truncation > 0 || upperTruncation < Infinity) {
    const mass =
      upperTruncation < Infinity
        ? truncation > 0
          ? dist.cdf(upperTruncation) - dist.cdf(truncation)
          : dist.cdf(upperTruncation)
        : dist.sf(truncation);
    ll -= n * Math.log(mass);
  }
  return Number.isNaN(ll) ? -Infinity : ll;
}
