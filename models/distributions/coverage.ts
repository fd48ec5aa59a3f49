/**
 * Coverage modifications priced with limited expected values (docs/actuarial-method.md §4).
 *
 * Conventions: `deductible` d is the per-occurrence deductible; `limit` u is the per-occurrence
 * limit = the maximum PAYMENT; the maximum COVERED LOSS is m = d + u. The policy pays
 * min(max(X − d, 0), u) per loss.
 */
import type { SeverityDistribution } from './types.ts';

export interface DeductibleLimit {
  /** Per-occurrence deductible d ≥ 0 (default 0). */
  deductible?: number;
  /** Per-occurrence limit u > 0 = maximum payment (default Infinity). Maximum covered loss is d + u. */
  limit?: number;
}

export interface DeductibleMaximumCoveredLoss {
  /** Per-occurrence deductible d ≥ 0 (default 0). */
  deductible?: number;
  /** Maximum covered loss m ≥ d (default Infinity); the maximum payment is m − d. */
  maximumCoveredLoss?: number;
}

function check(d: number, m: number): void {
  if (!(d >= 0) || !Number.isFinite(d)) throw new RangeError(`deductible must be a finite number >= 0, got ${d}`);
  if (Number.isNaN(m) || !(m >= d)) throw new RangeError(`maximum covered loss (deductible + limit) must be >= deductible, got ${m}`);
}

/** Payment for one loss x: min(max(x − d, 0), u). @throws RangeError for a negative deductible or limit. */
export function paymentForLoss(x: number, { deductible = 0, limit = Infinity }: DeductibleLimit = {}): number {
  check(deductible, deductible + limit);
  return Math.min(Math.max(x - deductible, 0), limit);
}

/**
 * Expected payment per loss with maximum covered loss m: E[X∧m] − E[X∧d]
 * ("Loss Models" Theorem 8.7 with α = 1, r = 0; matches the R reference `levX(m) − levX(d)`),
 * clamped to its exact bounds [(m − d)·S(m), (m − d)·S(d)] against rounding when m − d ≪ d.
 * @throws RangeError when d < 0 or m < d.
 */
export function expectedPaymentPerLossByMaximumCoveredLoss(
  dist: SeverityDistribution,
  { deductible = 0, maximumCoveredLoss = Infinity }: DeductibleMaximumCoveredLoss = {},
): number {
  check(deductible, maximumCoveredLoss);
  return perLoss(dist, deductible, maximumCoveredLoss, maximumCoveredLoss - deductible);
}

/** E[X∧m] − E[X∧d] clamped to the exact bounds u·S(m) ≤ · ≤ u·S(d), u = m − d (guards cancellation when u ≪ d). */
function perLoss(dist: SeverityDistribution, d: number, m: number, u: number): number {
  const diff = dist.lev(m) - dist.lev(d);
  if (!Number.isFinite(m)) return Math.max(0, diff);
  return Math.min(Math.max(diff, u * dist.sf(m), 0), u * dist.sf(d));
}

/**
 * Expected payment per loss with deductible d and per-occurrence limit u (maximum payment):
 * E[X∧(d + u)] − E[X∧d] (docs/actuarial-method.md §4; "Loss Models" Theorem 8.7).
 * @throws RangeError when d < 0 or u < 0.
 */
export function expectedPaymentPerLoss(dist: SeverityDistribution, { deductible = 0, limit = Infinity }: DeductibleLimit = {}): number {
  check(deductible, deductible + limit);
  return perLoss(dist, deductible, deductible + limit, limit);
}

/**
 * Expected payment per payment (given X > d): (E[X∧m] − E[X∧d]) / S(d), m the maximum covered loss.
 * @throws RangeError when d < 0, m < d, or S(d) = 0 (no loss exceeds the deductible).
 */
export function expectedPaymentPerPaymentByMaximumCoveredLoss(
  dist: SeverityDistribution,
  opts: DeductibleMaximumCoveredLoss = {},
): number {
  const s = dist.sf(opts.deductible ?? 0);
  if (!(s > 0)) throw new RangeError(`no loss exceeds the deductible ${opts.deductible}: S(d) = 0`);
  return expectedPaymentPerLossByMaximumCoveredLoss(dist, opts) / s;
}

/**
 * Expected payment per payment with deductible d and limit u (maximum payment):
 * (E[X∧(d + u)] − E[X∧d]) / S(d).
 * @throws RangeError when d < 0, u < 0 or S(d) = 0.
 */
export function expectedPaymentPerPayment(dist: SeverityDistribution, { deductible = 0, limit = Infinity }: DeductibleLimit = {}): number {
  const s = dist.sf(deductible);
  if (!(s > 0)) throw new RangeError(`no loss exceeds the deductible ${deductible}: S(d) = 0`);
  return expectedPaymentPerLoss(dist, { deductible, limit }) / s;
}
