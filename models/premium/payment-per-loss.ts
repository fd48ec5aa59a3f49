/**
 * The payment per loss under a per-occurrence deductible and limit, as a distribution that
 * can be discretised (docs/actuarial-method.md §4).
 * Reference: Klugman, Panjer & Willmot, "Loss Models", §8.2–8.5 (Y^L, Theorem 8.7).
 */
import type { DiscretizableDistribution } from '../aggregate/types.ts';
import type { SeverityDistribution } from '../distributions/types.ts';

export interface PaymentPerLoss extends DiscretizableDistribution {
  /** E[Y] = E[X∧(d + u)] − E[X∧d]. */
  readonly mean: number;
  readonly deductible: number;
  readonly limit: number;
}

/**
 * Y = min(max(X − d, 0), u): the insurer's payment for one ground-up loss X with deductible d
 * and per-occurrence limit u (maximum payment; maximum covered loss d + u).
 *   F_Y(y) = 0 (y < 0), F_X(d + y) (0 ≤ y < u), 1 (y ≥ u)  — atoms P(Y = 0) = F_X(d), P(Y = u) = S_X(d + u);
 *   E[Y∧t] = E[X∧(d + min(t, u))] − E[X∧d], t ≥ 0.
 * `cdfLeft` gives P(Y < y), so that discretisation keeps the atom at 0.
 *
 * @throws RangeError when d < 0 or not finite, or u ≤ 0 / NaN (u may be Infinity).
 */
export function paymentPerLoss(dist: SeverityDistribution, deductible: number, limit: number): PaymentPerLoss {
  if (!(Number.isFinite(deductible) && deductible >= 0)) throw new RangeError(`deductible must be a finite number >= 0, got ${deductible}`);
  if (!(limit > 0)) throw new RangeError(`per-occurrence limit must be > 0 (Infinity for none), got ${limit}`);
  const d = deductible;
  const u = limit;
  const levD = d > 0 ? dist.lev(d) : 0;
  const lev = (t: number): number => {
    if (!(t > 0)) return 0;
    return Math.max(0, dist.lev(d + Math.min(t, u)) - levD);
  };
  return {
    deductible: d,
    limit: u,
    mean: lev(Infinity),
    cdf: (y) => (y < 0 ? 0 : y >= u ? 1 : dist.cdf(d + y)),
    cdfLeft: (y) => (y <= 0 ? 0 : y > u ? 1 : dist.cdf(d + y)),
    lev,
  };
}
