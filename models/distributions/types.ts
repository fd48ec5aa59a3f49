/**
 * The contract every claim-severity distribution implements, so that fitting, coverage
 * modifications (deductible / limit), discretisation and premium build-up work with any of them.
 */
export type DistributionName =
  | 'lognormal'
  | 'gamma'
  | 'weibull'
  | 'lomax'
  | 'exponential'
  | 'gpd'
  | 'spliced';

export interface SeverityDistribution {
  readonly name: DistributionName;
  /**
   * Parameters by their names in docs/actuarial-method.md §3 (lognormal meanlog/sdlog, gamma
   * shape/rate, weibull shape/scale, lomax shape/scale, ...).
   */
  readonly params: Readonly<Record<string, number>>;
  pdf(x: number): number;
  logPdf(x: number): number;
  cdf(x: number): number;
  /** Survival function 1 - F(x), computed without cancellation where possible. */
  sf(x: number): number;
  quantile(p: number): number;
  /** E[X]; Infinity when it does not exist. */
  mean(): number;
  /** Var[X]; Infinity when it does not exist. */
  variance(): number;
  /** Limited expected value E[min(X, u)], u >= 0 (u = Infinity gives the mean). */
  lev(u: number): number;
  /** Draws one variate using the uniform source `u01` (e.g. Rng.uniform). */
  sample(u01: () => number): number;
}
