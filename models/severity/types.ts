/**
 * Result types of the severity fitters.
 */
import type { DistributionName, SeverityDistribution } from '../distributions/types.ts';

/** A maximum-likelihood severity fit with its diagnostics. */
export interface SeverityFit<D extends SeverityDistribution = SeverityDistribution> {
  distribution: DistributionName;
  /** The fitted distribution, ready for pricing. */
  model: D;
  /** Parameter estimates by name (same keys as `model.params`). */
  params: Record<string, number>;
  /** Standard errors from the inverse observed information (NaN when it is not positive definite). */
  standardErrors: Record<string, number>;
  /** Asymptotic covariance (inverse observed information), rows/columns in `paramNames` order; null when singular. */
  covariance: number[][] | null;
  paramNames: string[];
  /** Maximised log-likelihood (with truncation / censoring terms when present). */
  logLik: number;
  /** −2ℓ + 2k. */
  aic: number;
  /** −2ℓ + k·log n. */
  bic: number;
  /** Kolmogorov–Smirnov statistic (Kaplan–Meier based when censored). */
  ks: number;
  /** Anderson–Darling statistic (NaN when censored). */
  ad: number;
  /** Number of observations. */
  n: number;
  /** Number of right-censored observations. */
  nCensored: number;
  /** Left-truncation point used (0 = none). */
  truncation: number;
  /** Number of open claims in the data (fitted at paid + case reserve as given). */
  openCount: number;
  /** True when open claims (amounts including case reserves) were part of the fit. */
  includesOpenClaims: boolean;
  converged: boolean;
  iterations: number;
  /** How the optimum was found, e.g. 'closed-form', 'profile-newton', 'nelder-mead+newton'. */
  method: string;
}
