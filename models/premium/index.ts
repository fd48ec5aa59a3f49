/**
 * Premium build-up (docs/actuarial-method.md §8): payment per loss, policy aggregate, loadings,
 * rounding.
 */
export * from './payment-per-loss.ts';
export { policyAggregate, type AggregateComponentInput, type PolicyAggregate, type PolicyAggregateOptions, type PolicyFrequency } from './policy-aggregate.ts';
export * from './coverage-aggregate.ts';
export * from './premium-build-up.ts';
export * from './rounding.ts';
export { DEFAULT_STEP_LADDER, ladderStep, latticeCacheStats, clearLatticeCache } from './lattice-cache.ts';
