/**
 * The typed error every GLM routine throws, so that callers (services, API) can map it to a
 * clear message instead of returning meaningless estimates.
 */

/** Why a GLM could not be fitted. */
export type GlmErrorCode = 'RANK_DEFICIENT' | 'NOT_CONVERGED' | 'INVALID_INPUT';

/** Machine-readable context of a {@link GlmError}. */
export interface GlmErrorDetails {
  /** Term names (R style, e.g. `District2`) that are aliased or belong to an empty level. */
  aliased?: string[];
  /** Factor levels with no observation of positive weight: `{ factor, level }`. */
  emptyLevels?: { factor: string; level: string }[];
  /** Iterations performed before giving up. */
  iterations?: number;
  /** Last relative deviance change (IRLS) or θ change (negative binomial). */
  lastChange?: number;
  /** Offending input field for INVALID_INPUT. */
  field?: string;
  /** Offending row (0-based) for INVALID_INPUT. */
  row?: number;
  [key: string]: unknown;
}

/**
 * Error thrown by {@link fitGlm} and its helpers.
 * - `INVALID_INPUT`: lengths differ, non-finite values, negative counts, non-positive exposure, unknown base level…
 * - `RANK_DEFICIENT`: the design matrix does not have full column rank (empty level, level aliased with
 *   other terms); `details.aliased` names the terms, in R's naming.
 * - `NOT_CONVERGED`: IRLS (or the θ iteration of the negative binomial) did not converge within the limit.
 */
export class GlmError extends Error {
  readonly code: GlmErrorCode;
  readonly details: GlmErrorDetails;

  constructor(code: GlmErrorCode, message: string, details: GlmErrorDetails = {}) {
    super(message);
    this.name = 'GlmError';
    this.code = code;
    this.details = details;
  }
}
