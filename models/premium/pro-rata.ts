/**
 * Pro-rata premium of mid-term changes (endorsements, cancellation) to the cent
 * (docs/policy-changes.md).
 *
 * Day count: actual days of the policy period, both ends inclusive (`D = end − start + 1`; a
 * 2027 annual policy has 365 days, a 2028 one 366) — the same convention as the earned premium
 * of the loss-ratio statistics (a premium G earns G / D a day). A change effective on day `E`
 * applies from the start of `E`: the days it affects are `E..end` (`end − E + 1` of them). A
 * cancellation effective on day `C` ends cover at the end of `C − 1`: on the inception day
 * nothing was covered.
 *
 * Rounding: every amount is an integer number of cents; a pro-rata share `A × n / D` is computed
 * exactly (BigInt) and rounded once, half away from zero (the rule of models/premium/rounding.ts),
 * which is odd-symmetric: the share of −A is minus the share of A, so adding and then removing
 * the same units on the same day nets exactly zero.
 */
import { daysBetween } from '../../domain/calendar.ts';

export interface PolicyPeriod { start: string; end: string }

/** Days of `start..end`, both inclusive. @throws RangeError when end is before start. */
export function termDays(p: PolicyPeriod): number {
  const d = daysBetween(p.start, p.end) + 1;
  if (!(d >= 1)) throw new RangeError(`policy period ${p.start}..${p.end} ends before it starts`);
  return d;
}

/**
 * `amountCents × days / totalDays` rounded half away from zero to a whole cent, exactly.
 * @throws RangeError unless amountCents and days are integers, totalDays ≥ 1 and 0 ≤ days ≤ totalDays.
 */
export function proRataCents(amountCents: number, days: number, totalDays: number): number {
  if (!Number.isSafeInteger(amountCents)) throw new RangeError(`amount must be a whole number of cents, got ${amountCents}`);
  if (!Number.isInteger(totalDays) || totalDays < 1) throw new RangeError(`totalDays must be a positive integer, got ${totalDays}`);
  if (!Number.isInteger(days) || days < 0 || days > totalDays) throw new RangeError(`days must be an integer in 0..${totalDays}, got ${days}`);
  return divideHalfAwayFromZero(BigInt(amountCents) * BigInt(days), BigInt(totalDays));
}

/** n / d (d > 0) rounded half away from zero. */
function divideHalfAwayFromZero(n: bigint, d: bigint): number {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d); // floor((a + d/2) / d)
  return Number(neg ? -q : q);
}

/** Days of the period from `effective` to its end (both inclusive). @throws RangeError when `effective` is outside the period. */
export function remainingDays(p: PolicyPeriod, effective: string): number {
  if (effective < p.start || effective > p.end) throw new RangeError(`effective date ${effective} is outside the policy period ${p.start}..${p.end}`);
  return daysBetween(effective, p.end) + 1;
}

export interface EndorsementCharge {
  term_days: number;
  remaining_days: number;
  /** Full-term (annual) premium after the change minus before, in cents. */
  annual_change_cents: number;
  /** Additional (> 0) or return (< 0) premium of the change: annual change × remaining / term, in cents. */
  premium_cents: number;
}

/**
 * The premium of an endorsement effective on `effective` that changes the full-term premium from
 * `beforeCents` to `afterCents`: `round((after − before) × (end − E + 1) / D)`.
 * @throws RangeError when `effective` is outside the period or an amount is not whole cents.
 */
export function endorsementCharge(p: PolicyPeriod, effective: string, beforeCents: number, afterCents: number): EndorsementCharge {
  const D = termDays(p);
  const R = remainingDays(p, effective);
  const change = afterCents - beforeCents;
  return { term_days: D, remaining_days: R, annual_change_cents: change, premium_cents: proRataCents(change, R, D) };
}

/** One premium-bearing event of a policy: the bind (effective at inception) or an endorsement. */
export interface PremiumPiece {
  effective: string;
  /** Full-term premium change (at bind: the whole full-term premium), cents. */
  annual_change_cents: number;
  /** Premium written for it (at bind: the full-term premium), cents. */
  written_cents: number;
}

export interface CancellationReturn {
  term_days: number;
  /** Days covered before the cancellation (start..C − 1). */
  covered_days: number;
  written_cents: number;
  /** Premium earned until the cancellation: Σ change × days the piece was in force before C / D, rounded once. */
  earned_cents: number;
  /** written − earned (≥ 0 when every piece's written premium is its pro-rata share). */
  return_cents: number;
}

/**
 * The return premium of a cancellation effective on `cancelOn` (cover ends at the end of the day
 * before): written premium minus earned premium, where a piece effective on `E_i` has earned
 * `change_i × (C − E_i) / D`; the sum over pieces is rounded once. On the inception day nothing is
 * earned and everything written is returned. Pieces must not be effective after `cancelOn`.
 * @throws RangeError when `cancelOn` is outside the period or a piece is effective after it.
 */
export function cancellationReturn(p: PolicyPeriod, cancelOn: string, pieces: readonly PremiumPiece[]): CancellationReturn {
  const D = termDays(p);
  remainingDays(p, cancelOn);
  let numerator = 0n;
  let written = 0;
  for (const x of pieces) {
    if (x.effective > cancelOn) throw new RangeError(`a change effective ${x.effective} is after the cancellation date ${cancelOn}`);
    if (x.effective < p.start) throw new RangeError(`a change effective ${x.effective} is before the policy period`);
    if (!Number.isSafeInteger(x.annual_change_cents) || !Number.isSafeInteger(x.written_cents)) throw new RangeError('amounts must be whole cents');
    numerator += BigInt(x.annual_change_cents) * BigInt(daysBetween(x.effective, cancelOn));
    written += x.written_cents;
  }
  const earned = divideHalfAwayFromZero(numerator, BigInt(D));
  return { term_days: D, covered_days: daysBetween(p.start, cancelOn), written_cents: written, earned_cents: earned, return_cents: written - earned };
}
