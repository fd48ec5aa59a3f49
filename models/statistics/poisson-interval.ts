/**
 * Exact (Garwood) confidence intervals for a Poisson rate, and incident rates per 1,000
 * operating hours (docs/actuarial-method.md §9).
 * Reference: Garwood (1936), "Fiducial limits for the Poisson distribution", Biometrika 28;
 * R `poisson.test(n, T)$conf.int` (stats package), which uses the same chi-square limits.
 */
import { gammaQuantile } from './gamma-quantile.ts';

/** χ²_q(ν) = 2 × Gamma(ν/2, 1) quantile, Newton-refined (./gamma-quantile.ts). */
const chisqQuantile = (q: number, df: number) => 2 * gammaQuantile(q, df / 2, 1);

export interface PoissonRateInterval {
  /** Observed count n. */
  readonly count: number;
  /** Exposure E (e.g. operating hours). */
  readonly exposure: number;
  /** Point estimate n / E. */
  readonly rate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidenceLevel: number;
}

function checkCountExposure(count: number, exposure: number, level: number): void {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!(Number.isFinite(exposure) && exposure > 0)) throw new RangeError(`exposure must be a finite number > 0, got ${exposure}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must lie in (0, 1), got ${level}`);
}

/**
 * Exact two-sided Garwood interval for the rate λ of a Poisson count n over exposure E, with
 * α = 1 − confidenceLevel:
 *   lower = χ²_{α/2}(2n) / (2E)  (0 when n = 0),   upper = χ²_{1−α/2}(2n + 2) / (2E),
 * χ²_q(ν) the q-quantile of the chi-square distribution with ν degrees of freedom
 * (as 2 × the Newton-refined gamma quantile of ./gamma-quantile.ts). Equivalent to solving
 * P(Poisson(E·lower) ≥ n) = α/2 and P(Poisson(E·upper) ≤ n) = α/2; as R `poisson.test(n, E)`.
 *
 * @throws RangeError when n is not a non-negative integer, E ≤ 0, or the level is not in (0, 1).
 */
export function poissonRateInterval(count: number, exposure: number, confidenceLevel = 0.95): PoissonRateInterval {
  checkCountExposure(count, exposure, confidenceLevel);
  const alpha = 1 - confidenceLevel;
  const lower = count === 0 ? 0 : chisqQuantile(alpha / 2, 2 * count) / 2 / exposure;
  const upper = chisqQuantile(1 - alpha / 2, 2 * count + 2) / 2 / exposure;
  return { count, exposure, rate: count / exposure, lower, upper, confidenceLevel };
}

/**
 * Incident rate per 1,000 operating hours with its exact Garwood interval:
 * {@link poissonRateInterval}(n, hours) with rate and limits multiplied by 1,000.
 * @throws RangeError as {@link poissonRateInterval}.
 */
export function ratePer1000Hours(count: number, hours: number, confidenceLevel = 0.95): PoissonRateInterval {
  const r = poissonRateInterval(count, hours, confidenceLevel);
  return { ...r, rate: r.rate * 1000, lower: r.lower * 1000, upper: r.upper * 1000 };
}
