/**
 * Empirical-Bayes Poisson–gamma credibility of incident rates (docs/actuarial-method.md §10).
 *
 * Model: the cells of one class (robot models in a scenario class) have true rates λ_i drawn
 * from a common Gamma(shape α, rate β) prior; the cell's incident count is
 * n_i | λ_i ~ Poisson(e_i λ_i), e_i its exposure (in thousands of operating hours). The prior is
 * estimated from the cells by the method of moments (the nonparametric "Poisson" empirical
 * Bayes of Klugman, Panjer & Willmot, "Loss Models", semiparametric estimation, the
 * Bühlmann–Straub estimator with the process variance equal to the mean):
 *
 *   m  = Σ n_i / Σ e_i                                     (the class rate)
 *   s² = (Σ e_i (n_i/e_i − m)² − (k − 1) m) / (E − Σ e_i² / E),   E = Σ e_i
 *   α  = m² / s²,   β = m / s²
 *
 * The posterior of cell i is Gamma(α + n_i, β + e_i), whose mean is the credibility rate
 * Z_i · n_i/e_i + (1 − Z_i) · m with Z_i = e_i / (e_i + β). When k < 2, m = 0 or s² ≤ 0 (no
 * detectable heterogeneity) the prior is degenerate: every cell is shrunk wholly to m (Z = 0)
 * and no posterior is given.
 */
import { gammaQuantile } from '../statistics/gamma-quantile.ts';

export interface CountExposure {
  /** Incident count n ≥ 0. */
  readonly count: number;
  /** Exposure e > 0 (any unit; rates come out per that unit). */
  readonly exposure: number;
}

export interface GammaPrior {
  /** Class rate m = Σn / Σe. */
  readonly mean: number;
  /** Moment estimate s² of the variance of the true rates between cells (may be ≤ 0). */
  readonly betweenVariance: number;
  /** Gamma shape α and rate β; null when the prior is degenerate (see module doc). */
  readonly shape: number | null;
  readonly rate: number | null;
  readonly cells: number;
}

export interface CellPosterior {
  /** Credibility weight Z = e / (e + β) (0 under a degenerate prior). */
  readonly credibility: number;
  /** Posterior mean Z·n/e + (1 − Z)·m. */
  readonly rate: number;
  /** Posterior Gamma(α + n, β + e); null under a degenerate prior. */
  readonly shape: number | null;
  readonly rateParameter: number | null;
  /** Equal-tailed posterior interval (null under a degenerate prior). */
  readonly lower: number | null;
  readonly upper: number | null;
}

const check = (c: CountExposure) => {
  if (!(Number.isInteger(c.count) && c.count >= 0)) throw new RangeError(`count must be a non-negative integer, got ${c.count}`);
  if (!(Number.isFinite(c.exposure) && c.exposure > 0)) throw new RangeError(`exposure must be a finite number > 0, got ${c.exposure}`);
};

/**
 * Method-of-moments Gamma prior of the cells' true rates (module doc).
 * @throws RangeError for an empty list, a negative or fractional count, or an exposure ≤ 0.
 */
export function fitGammaPrior(cells: readonly CountExposure[]): GammaPrior {
  if (cells.length === 0) throw new RangeError('at least one cell is needed');
  cells.forEach(check);
  const k = cells.length;
  const E = cells.reduce((s, c) => s + c.exposure, 0);
  const N = cells.reduce((s, c) => s + c.count, 0);
  const m = N / E;
  if (k < 2) return { mean: m, betweenVariance: 0, shape: null, rate: null, cells: k };
  const ss = cells.reduce((s, c) => s + c.exposure * (c.count / c.exposure - m) ** 2, 0);
  const denom = E - cells.reduce((s, c) => s + c.exposure * c.exposure, 0) / E;
  const s2 = (ss - (k - 1) * m) / denom;
  if (!(m > 0 && s2 > 0)) return { mean: m, betweenVariance: s2, shape: null, rate: null, cells: k };
  return { mean: m, betweenVariance: s2, shape: (m * m) / s2, rate: m / s2, cells: k };
}

/** The posterior of one cell under `prior`, with an equal-tailed interval at `level`. */
export function cellPosterior(cell: CountExposure, prior: GammaPrior, level = 0.95): CellPosterior {
  check(cell);
  if (prior.shape === null || prior.rate === null) {
    return { credibility: 0, rate: prior.mean, shape: null, rateParameter: null, lower: null, upper: null };
  }
  const a = prior.shape + cell.count;
  const b = prior.rate + cell.exposure;
  const alpha = 1 - level;
  return {
    credibility: cell.exposure / (cell.exposure + prior.rate),
    rate: a / b,
    shape: a,
    rateParameter: b,
    lower: gammaQuantile(alpha / 2, a, b),
    upper: gammaQuantile(1 - alpha / 2, a, b),
  };
}
