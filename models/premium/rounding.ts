/**
 * Money rounding to cents (docs/architecture.md §6: money in major units rounded to cents;
 * docs/actuarial-method.md §8 step 7).
 */

/** Largest amount whose cents are exact integers in a double (2^53 − 1 cents). */
export const MAX_MONEY = Math.floor(Number.MAX_SAFE_INTEGER / 100);

/**
 * Integer number of cents of an amount, rounded half away from zero **on the amount's decimal
 * representation** (the shortest decimal that round-trips to the double, as `String(x)` prints
 * it): 2.675 → 268 (the double is 2.67499999…, but it is the amount written 2.675), and
 * 123456789.00499 → 12345678900 (no nudge can push it over the half). Exact for every |amount|
 * ≤ MAX_MONEY; amounts whose third decimal is 5 are the only ties.
 * @throws RangeError when the amount is not finite or larger in magnitude than MAX_MONEY.
 */
export function toCents(amount: number): number {
  if (!Number.isFinite(amount)) throw new RangeError(`amount must be finite, got ${amount}`);
  const a = Math.abs(amount);
  if (a > MAX_MONEY) throw new RangeError(`amount ${amount} is beyond exact cents (|amount| <= ${MAX_MONEY})`);
  if (a < 0.005) return 0; // also covers exponent forms like 1e-7
  const [int, frac = ''] = String(a).split('.');
  const digits = `${frac}000`;
  let c = Number(int) * 100 + Number(digits.slice(0, 2));
  if (digits.charCodeAt(2) >= 53 /* '5' */) c += 1;
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
