/** Premium build-up (DESIGN.md §5): payment per loss, policy aggregate, loadings, rounding. */
export * from './payment-per-loss.ts';
export * from './policy-aggregate.ts';
export * from './premium-build-up.ts';
export * from './rounding.ts';
