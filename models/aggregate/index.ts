/**
 * Aggregate loss: discretisation of severities, compound distributions by Panjer recursion,
 * FFT and Monte Carlo, and the risk summaries of the result (docs/actuarial-method.md §6).
 */
export * from './types.ts';
export * from './discretize.ts';
export * from './frequency.ts';
export * from './aggregate-distribution.ts';
export * from './panjer.ts';
export * from './fft.ts';
export * from './monte-carlo.ts';
