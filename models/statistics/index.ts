/**
 * Statistics for regulators: exact Poisson rate intervals, severity summaries
 * (docs/actuarial-method.md §9).
 */
export * from './poisson-interval.ts';
export * from './severity-summary.ts';
