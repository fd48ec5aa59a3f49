/**
 * Standard normal helpers (cdf and survival without cancellation), used by the lognormal.
 */
import erfc from '@stdlib/math-base-special-erfc';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

const SQRT1_2 = Math.SQRT1_2;

/** Φ(z) = erfc(−z/√2)/2, accurate in both tails. */
export function stdNormalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** 1 − Φ(z) = erfc(z/√2)/2, accurate in the upper tail. */
export function stdNormalSf(z: number): number {
  return 0.5 * erfc(z * SQRT1_2);
}

/** Φ⁻¹(p) (stdlib normal quantile). */
export function stdNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}
