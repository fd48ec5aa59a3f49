/**
 * Shared types of the aggregate-loss module: claim-count (frequency) models of the (a, b, 0)
 * class with optional zero modification, and discretised claim-amount distributions.
 */
import type { SeverityDistribution } from '../distributions/types.ts';

/**
 * Claim-count distribution of the (a, b, 0) class, optionally zero-modified ((a, b, 1) class).
 *
 * * `poisson`: P(N = n) = e^{-λ} λ^n / n!  (R `dpois(n, lambda)`).
 * * `negative-binomial`: P(N = n) = Γ(n + r) / (Γ(r) n!) p^r (1 − p)^n with `size` r > 0 and either
 *   `prob` p ∈ (0, 1] or `mu` = r (1 − p) / p (R `dnbinom(n, size, prob | mu)`); variance μ + μ²/r.
 * * `binomial`: P(N = n) = C(m, n) q^n (1 − q)^{m − n}, `size` m (integer), `prob` q (R `dbinom`).
 *
 * `p0` (optional) replaces P(N = 0) and rescales P(N = n), n ≥ 1, by (1 − p0) / (1 − P(N = 0))
 * — the zero-modified distribution of Klugman, Panjer & Willmot, "Loss Models", §6.6 (actuar's
 * `panjer(..., p0 = )`).
 */
export type FrequencyModel =
  | { readonly dist: 'poisson'; readonly lambda: number; readonly p0?: number }
  | {
      readonly dist: 'negative-binomial';
      readonly size: number;
      readonly prob?: number;
      readonly mu?: number;
      readonly p0?: number;
    }
  | { readonly dist: 'binomial'; readonly size: number; readonly prob: number; readonly p0?: number };

/** What discretisation needs from a severity: its cdf and limited expected value E[min(X, u)]. */
export interface DiscretizableDistribution {
  cdf(x: number): number;
  lev(u: number): number;
  /**
   * Optional left limit of the cdf, P(X < x). Only needed for distributions with an atom (for
   * example the payment per loss, which has an atom at 0); continuous distributions omit it and
   * `cdf` is used, exactly as actuar does.
   */
  cdfLeft?(x: number): number;
}

/** A severity that can also be simulated (Monte Carlo). */
export type SamplingDistribution = Pick<SeverityDistribution, 'sample'>;

/**
 * A claim-amount distribution on the lattice from, from + step, ...: `probabilities[i]` is the
 * mass at `from + i·step`. Compounding (Panjer, FFT) requires `from = 0`.
 */
export interface DiscreteSeverity {
  readonly from: number;
  readonly step: number;
  readonly probabilities: Float64Array;
}
