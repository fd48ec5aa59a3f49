/**
 * Severity fitting (docs/actuarial-method.md §3): maximum likelihood for lognormal, gamma, Weibull,
 * Lomax, exponential and GPD, with truncation / censoring / open claims; AIC ranking; spliced
 * models.
 */
export * from './types.ts';
export * from './data.ts';
export * from './likelihood.ts';
export * from './goodnessOfFit.ts';
export * from './fitLognormal.ts';
export * from './fitGamma.ts';
export * from './fitWeibull.ts';
export * from './fitLomax.ts';
export * from './fitExponential.ts';
export * from './fitGpd.ts';
export * from './fitSeverity.ts';
export * from './fitSpliced.ts';
