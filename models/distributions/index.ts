/**
 * Claim-severity distributions (docs/actuarial-method.md §3): lognormal, gamma, Weibull, Lomax,
 * exponential, generalised Pareto and spliced body + GPD tail, with coverage modifications.
 */
export * from './types.ts';
export * from './lognormal.ts';
export * from './gamma.ts';
export * from './weibull.ts';
export * from './lomax.ts';
export * from './exponential.ts';
export * from './gpd.ts';
export * from './spliced.ts';
export * from './coverage.ts';
export * from './fromParams.ts';
