/**
 * The domain vocabulary (docs/architecture.md §2, §4): enumerations, rating factors, roles. The
 * bottom layer: every other layer may import it, and it imports nothing of the project.
 */
export * from './enums.ts';
export * from './factors.ts';
export * from './principal.ts';
export * from './scorecard.ts';
