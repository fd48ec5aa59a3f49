/**
 * The payment per loss under a per-occurrence deductible and limit, as a distribution that
 * can be discretised (docs/actuarial-method.md §4).
 * Reference: Klugman, Panjer & Willmot, "Loss Models", §8.2–8.5 (Y^L, Theorem 8.7).
 */
import type { DiscretizableDistribution } from '../aggregate/types.ts';
import type { SeverityDistribution } from '../distributions/types.ts';

export interface PaymentPerLoss extends DiscretizableDistribution {
  /** E[Y] = a (E[X∧(d + u)] − E[X∧d]). */
  readonly mean: number;
  readonly deductible: number;
  /** Per-occurrence limit u, before the coinsurance share. */
  readonly limit: number;
  /** Coinsurance share a ∈ (0, 1]: the insurer pays a of the loss above d, up to u. */
  readonly coinsurance: number;
  /** Largest payment a·u. */
  readonly maxPayment: number;
}

/**
 * Y = a · min(max(X − d, 0), u): the insurer's payment for one ground-up loss X with deductible
 * d, per-occurrence limit u (before the share; maximum covered loss d + u) and coinsurance share
 * a (default 1). As `actuar::coverage(…, deductible = d, limit = d + u, coinsurance = a)`:
 *   F_Y(y) = 0 (y < 0), F_X(d + y/a) (0 ≤ y < a·u), 1 (y ≥ a·u) — atoms P(Y = 0) = F_X(d), P(Y = a·u) = S_X(d + u);
 *   E[Y∧t] = a (E[X∧(d + min(t/a, u))] − E[X∧d]), t ≥ 0.
 * `cdfLeft` gives P(Y < y), so that discretisation keeps the atom at 0.
 *
 * @throws RangeError when d < 0 or not finite, u ≤ 0 / NaN (u may be Infinity), or a ∉ (0, 1].
 */
export function paymentPerLoss(dist: SeverityDistribution, deductible: number, limit: number, coinsurance = 1): PaymentPerLoss {
  if (!(Number.isFinite(deductible) && deductible >= 0)) throw new RangeError(`deductible must be a finite number >= 0, got ${deductible}`);
  if (!(limit > 0)) throw new RangeError(`per-occurrence limit must be > 0 (Infinity for none), got ${limit}`);
  if (!(coinsurance > 0 && coinsurance <= 1)) throw new RangeError(`coinsurance share must lie in (0, 1], got ${coinsurance}`);
  const d = deductible;
  const u = limit;
  const a = coinsurance;
  const levD = d > 0 ? dist.lev(d) : 0;
  const lev = (t: number): number => {
    if (!(t > 0)) return 0;
    return a * Math.max(0, dist.lev(d + Math.min(t / a, u)) - levD);
  };
  const max = a * u;
  return {
    deductible: d,
    limit: u,
    coinsurance: a,
    maxPayment: max,
    mean: lev(Infinity),
    cdf: (y) => (y < 0 ? 0 : y >= max ? 1 : dist.cdf(d + y / a)),
    cdfLeft: (y) => (y <= 0 ? 0 : y > max ? 1 : dist.cdf(d + y / a)),
    lev,
  };
}
