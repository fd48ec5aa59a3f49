/**
 * Generalised linear models with log link for claim frequency (Poisson, negative binomial NB2)
 * and severity (Gamma), docs/actuarial-method.md §2.
 */
export { fitGlm } from './fit-glm.ts';
export { aggregateCells, type CellAggregate, type CellInput } from './cells.ts';
export { GlmError, type GlmErrorCode, type GlmErrorDetails } from './errors.ts';
export { naturalCompare } from './natural-sort.ts';
export { thetaMl, type ThetaEstimate } from './theta-ml.ts';
export { cholesky, choleskySolve, choleskyInverse, type CholeskyResult } from './cholesky.ts';
export type {
  GlmFamily, GlmInput, GlmOptions, GlmResult, GlmTerm, GlmLevelSummary, EncodedFactor, FactorColumn,
} from './types.ts';
