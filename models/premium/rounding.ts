/**
 * Money rounding to cents (docs/architecture.md §6: money in major units rounded to cents;
 * docs/actuarial-method.md §8 step 7).
 */

/**
 * Integer number of cents of an amount, rounded half away from zero. A relative nudge of one
 * ulp-scale (1e-12) makes amounts like 2.675 (stored as 2.67499999…) round up as written.
 * @throws RangeError when the amount is not finite.
 */
export function toCents(amount: number): number {
  if (!Number.isFinite(amount)) throw new RangeError(`amount must be finite, got ${amount}`);
  const c = Math.round(Math.abs(amount) * 100 * (1 + 1e-12));
  return amount < 0 ? -c : c;
}

/** Amount rounded to cents (half away from zero). @throws RangeError when not finite. */
export function roundCents(amount: number): number {
  return toCents(amount) / 100;
}

/**
 * Splits `totalCents` over parts in proportion to `weights` so that the parts are whole cents
 * and add up exactly to the total (largest-remainder / Hamilton method; ties to the earlier part).
 * @throws RangeError when a weight is negative / not finite or all weights are 0 with a non-zero total.
 */
export function allocateCents(totalCents: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(totalCents)) throw new RangeError('total must be a whole number of cents');
  let sum = 0;
  for (const w of weights) {
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`allocation weights must be finite and >= 0, got ${w}`);
    sum += w;
  }
  if (sum === 0) {
    if (totalCents !== 0) throw new RangeError('cannot allocate a non-zero total over zero weights');
    return weights.map(() => 0);
  }
  const exact = weights.map((w) => (totalCents * w) / sum);
  const base = exact.map((e) => Math.floor(e));
  let rest = totalCents - base.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) base[order[k].i] += 1;
  return base;
}
