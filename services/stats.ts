import quantile from '@stdlib/stats-base-dists-normal-quantile';

/** Standard normal quantile Φ⁻¹(p). */
export const normalQuantile = (p: number): number => quantile(p, 0, 1);
