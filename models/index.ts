/**
 * roborisk actuarial models: pure functions on arrays, no I/O (docs/actuarial-method.md).
 * This file is the public entry point; keep its exports stable.
 */
export * from './random.ts';
export * from './glm/index.ts';
export * from './distributions/index.ts';
export * from './severity/index.ts';
export * from './credibility/index.ts';
export * from './aggregate/index.ts';
export * from './premium/index.ts';
export * from './statistics/index.ts';
