/**
 * Limited-fluctuation ("American") credibility.
 * Reference: Klugman, Panjer & Willmot, "Loss Models", ch. 17 (limited fluctuation
 * credibility, full credibility for aggregate losses); Longley-Cook (1962), "An introduction to
 * credibility theory", PCAS 49.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

export interface LimitedFluctuationInput {
  /** Observed number of claims n (≥ 0). */
  readonly claims: number;
  /** Probability p that the observed aggregate lies within ±k of its mean (default 0.90). */
  readonly p?: number;
  /** Relative half-width k of the interval (default 0.05). */
  readonly k?: number;
  /** Coefficient of variation of the claim severity; omit (0) for a claim-count standard. */
  readonly cvSeverity?: number;
}

export interface LimitedFluctuationResult {
  /** z_{(1+p)/2}, the standard normal quantile. */
  readonly z: number;
  /** Full-credibility standard for claim counts alone, n_0 = (z/k)². */
  readonly claimCountStandard: number;
  /** Full-credibility standard n_F = (z/k)² (1 + CV²) in expected claims. */
  readonly fullCredibilityStandard: number;
  /** Credibility factor Z = min(1, sqrt(n / n_F)) (square-root rule for partial credibility). */
  readonly credibility: number;
}

/**
 * Limited-fluctuation credibility for aggregate losses with Poisson claim counts:
 *   n_F = (z_{(1+p)/2} / k)² · (1 + CV²),   Z = min(1, sqrt(n / n_F)).
 * The standard is stated in expected number of claims ("Loss Models" eq. 17.6 with Poisson
 * frequency; the classical 1,082 claims for p = 0.90, k = 0.05, CV = 0 — 1,082.22 with the exact
 * z = 1.644854, 1,082.41 in texts that round z to 1.645).
 * The blended estimate is Z·(observed) + (1 − Z)·(manual).
 *
 * @throws RangeError when claims < 0 or not finite, p ∉ (0, 1), k ≤ 0, or cvSeverity < 0.
 */
export function limitedFluctuationCredibility(input: LimitedFluctuationInput): LimitedFluctuationResult {
  const { claims, p = 0.9, k = 0.05, cvSeverity = 0 } = input;
  if (!(Number.isFinite(claims) && claims >= 0)) throw new RangeError(`claims must be a finite number >= 0, got ${claims}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must lie in (0, 1), got ${p}`);
  if (!(Number.isFinite(k) && k > 0)) throw new RangeError(`k must be a finite number > 0, got ${k}`);
  if (!(Number.isFinite(cvSeverity) && cvSeverity >= 0)) throw new RangeError(`cvSeverity must be a finite number >= 0, got ${cvSeverity}`);
  const z = normalQuantile((1 + p) / 2, 0, 1);
  const n0 = (z / k) ** 2;
  const nF = n0 * (1 + cvSeverity * cvSeverity);
  return { z, claimCountStandard: n0, fullCredibilityStandard: nF, credibility: Math.min(1, Math.sqrt(claims / nF)) };
}

/** Credibility-weighted estimate Z·observed + (1 − Z)·manual. @throws RangeError when Z ∉ [0, 1]. */
export function credibilityBlend(credibility: number, observed: number, manual: number): number {
  if (!(credibility >= 0 && credibility <= 1)) throw new RangeError(`credibility must lie in [0, 1], got ${credibility}`);
  return credibility * observed + (1 - credibility) * manual;
}
