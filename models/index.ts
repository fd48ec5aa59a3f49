/**
 * roborisk actuarial models: pure functions on arrays, no I/O (DESIGN.md §5).
 * This file is the public entry point; keep its exports stable.
 */
export * from './random.ts';
export * from './distributions/types.ts';
