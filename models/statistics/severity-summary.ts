/**
 * Summary statistics of claim severities for regulator reports (docs/actuarial-method.md §9).
 */

/**
 * Sample quantile of R's default `quantile(x, p, type = 7)` (Hyndman & Fan 1996, definition 7):
 * with the sorted sample x_(1) ≤ … ≤ x_(n), h = (n − 1)p, Q(p) = x_(⌊h⌋+1) + (h − ⌊h⌋)(x_(⌊h⌋+2) − x_(⌊h⌋+1)).
 * `sorted` must be sorted ascending.
 * @throws RangeError when the sample is empty or p ∉ [0, 1].
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface SeveritySummary {
  readonly count: number;
  /** Σ x. */
  readonly total: number;
  readonly mean: number;
  /** Sample standard deviation (divisor n − 1; NaN when n = 1, as R `sd`). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Type-7 median. */
  readonly median: number;
  /** Type-7 quantiles at the requested probabilities, keyed by the probability as given. */
  readonly quantiles: { readonly p: number; readonly value: number }[];
}

/**
 * Count, total, mean, sd, min, max, median and type-7 quantiles (R `quantile` default) of a
 * sample of claim amounts. Default probabilities 0.25, 0.5, 0.75, 0.9, 0.95, 0.99.
 * @throws RangeError when the sample is empty, holds a non-finite value, or a probability ∉ [0, 1].
 */
export function severitySummary(amounts: ArrayLike<number>, probabilities: readonly number[] = [0.25, 0.5, 0.75, 0.9, 0.95, 0.99]): SeveritySummary {
  const n = amounts.length;
  if (n === 0) throw new RangeError('severity summary of an empty sample');
  const sorted = Float64Array.from(amounts);
  for (let i = 0; i < n; i++) if (!Number.isFinite(sorted[i])) throw new RangeError(`amount at index ${i} is not finite`);
  sorted.sort();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i];
  const mean = total / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  return {
    count: n,
    total,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    min: sorted[0],
    max: sorted[n - 1],
    median: quantileType7(sorted, 0.5),
    quantiles: probabilities.map((p) => ({ p, value: quantileType7(sorted, p) })),
  };
}
