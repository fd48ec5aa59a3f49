/**
 * Input and output types of {@link fitGlm} (log-link GLMs for claim frequency and severity).
 */

/** Error distribution; the link is always log. */
export type GlmFamily = 'poisson' | 'negative_binomial' | 'gamma';

/**
 * A categorical factor already encoded as integer codes (0-based indices into `levels`), e.g. as
 * produced by a SQL `GROUP BY` or a column store. Saves the string → code lookup on large data.
 */
export interface EncodedFactor {
  codes: ArrayLike<number>;
  levels: readonly string[];
}

/** A factor column: one level label per row, or pre-encoded codes. */
export type FactorColumn = ArrayLike<string> | EncodedFactor;

export interface GlmInput {
  family: GlmFamily;
  /** Response per row: counts (Poisson, NB; ≥ 0) or positive amounts (Gamma). */
  response: ArrayLike<number>;
  /** Exposure per row (> 0); adds log(exposure) to the offset. */
  exposure?: ArrayLike<number>;
  /** Offset per row on the linear-predictor (log) scale; summed with log(exposure) when both are given. */
  offset?: ArrayLike<number>;
  /** Prior weights (≥ 0; rows with weight 0 are ignored, as in R). Default 1. */
  weights?: ArrayLike<number>;
  /** Categorical factors, coded with treatment contrasts against a base level. */
  factors?: Record<string, FactorColumn>;
  /** Numeric covariates, one coefficient each (term `factor` = covariate name, `level` = null). */
  covariates?: Record<string, ArrayLike<number>>;
  /** Base (reference) level per factor; default the level with the largest exposure (rows when no exposure), ties by natural label order. */
  baseLevels?: Record<string, string>;
}

/** Numerical controls. */
export interface GlmOptions {
  /** Convergence tolerance on |dev − dev_old| / (|dev| + 0.1), as R's glm.control(epsilon). Default 1e-12. */
  epsilon?: number;
  /** Maximum IRLS iterations per fit (and outer θ iterations for NB). Default 100. */
  maxIterations?: number;
  /** Declared level sets per factor (e.g. every scenario class); a declared level without rows is reported as rank deficiency. */
  levels?: Record<string, readonly string[]>;
  /** What to do when IRLS does not converge: throw GlmError('NOT_CONVERGED') (default) or return with `converged: false`. */
  onNonConvergence?: 'throw' | 'return';
  /** Fixed θ for the negative binomial (skips the ML estimation of θ, like MASS::negative.binomial(theta)). */
  theta?: number;
  /**
   * Poisson fits on categorical factors only (no covariates, offset or prior weights) are solved
   * on their sufficient statistics — rows aggregated into factor-level cells — and reported at
   * row level (same β̂, standard errors, fitted values, deviance, log-likelihood, AIC, df).
   * Default true; false forces the row-level iterations (for comparison).
   */
  compress?: boolean;
}

/** One coefficient. */
export interface GlmTerm {
  /** R-style name: `(Intercept)`, factor name + level (`District2`), or the covariate name. */
  name: string;
  /** null for the intercept; the factor name for a factor term; the covariate name for a covariate. */
  factor: string | null;
  /** The level for a factor term; null for the intercept and covariates. */
  level: string | null;
  estimate: number;
  /** Standard error from the inverse Fisher information (scaled by the dispersion for Gamma; conditional on θ for NB). */
  stdError: number;
}

/** Per-level summary of a factor (base level included). */
export interface GlmLevelSummary {
  level: string;
  isBase: boolean;
  /** Rows with positive prior weight. */
  rows: number;
  /** Σ exposure (Σ weights when no exposure is given). */
  exposure: number;
  /** Σ weight × response. */
  response: number;
}

export interface GlmResult {
  family: GlmFamily;
  terms: GlmTerm[];
  /** NB2 size parameter (variance μ + μ²/θ); only for the negative binomial. */
  theta?: number;
  /** Standard error of θ from the observed information of the profile (MASS::theta.ml). */
  thetaStdError?: number;
  /** Dispersion φ used for the standard errors: 1 (Poisson, NB) or Pearson χ² / df (Gamma). */
  dispersion: number;
  deviance: number;
  /** Deviance of the model with intercept and offset only (fitted by IRLS). */
  nullDeviance: number;
  logLik: number;
  aic: number;
  pearsonChi2: number;
  /** Observations with positive weight minus number of coefficients. */
  dfResidual: number;
  dfNull: number;
  /** Observations with positive weight. */
  nObs: number;
  /** IRLS iterations of the final fit (NB: summed over the outer θ loop). */
  iterations: number;
  /** NB only: alternations between IRLS and θ (MASS::glm.nb's `iter`). */
  outerIterations?: number;
  converged: boolean;
  /** Fitted means μ per row. */
  fitted: Float64Array;
  /** Base level used per factor. */
  baseLevels: Record<string, string>;
  /** Level summaries per factor, in term order (base first). */
  levels: Record<string, GlmLevelSummary[]>;
  /** Non-fatal diagnostics (e.g. a level with zero total response, whose estimate tends to −∞). */
  warnings: string[];
  /** Inverse of the Fisher information X'WX (unscaled), row-major p×p, in term order. */
  covUnscaled: Float64Array;
}
