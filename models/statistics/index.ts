/** Statistics for regulators: exact Poisson rate intervals, severity summaries (DESIGN.md §8). */
export * from './poisson-interval.ts';
export * from './severity-summary.ts';
