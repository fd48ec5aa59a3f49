/** The validation scorecard's mathematics (docs/actuarial-method.md §10). */
export * from './poisson-gamma.ts';
export * from './best-in-class.ts';
export * from './cell-statistics.ts';
