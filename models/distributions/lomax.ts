/**
 * Pareto type II (Lomax) severity with shape α and scale θ, as `actuar::ppareto`.
 */
import type { SeverityDistribution } from './types.ts';
import { requireLimit, requirePositive, requireProbability } from './validate.ts';

export interface LomaxParams {
  shape: number;
  scale: number;
}

export interface LomaxDistribution extends SeverityDistribution {
  readonly name: 'lomax';
  readonly params: Readonly<LomaxParams>;
}

/**
 * Pareto II / Lomax distribution with `shape` = α and `scale` = θ (R `actuar::dpareto`).
 *
 * F(x) = 1 − (θ/(x + θ))^α, f(x) = αθ^α/(x + θ)^(α+1), x ≥ 0;
 * E[X] = θ/(α − 1) for α > 1 (else ∞), Var[X] = αθ²/((α − 1)²(α − 2)) for α > 2 (else ∞);
 * E[X∧u] = θ/(α − 1)·[1 − (θ/(u + θ))^(α−1)] (α ≠ 1), θ·log(1 + u/θ) (α = 1)
 * ("Loss Models", Appendix A.2.3.1; R `actuar::levpareto`).
 * Quantile θ((1 − p)^(−1/α) − 1); sampling by inversion.
 *
 * @throws RangeError when shape or scale is not a finite positive number.
 */
export function lomax({ shape, scale }: LomaxParams): LomaxDistribution {
  const D = 'lomax';
  requirePositive(D, 'shape', shape);
  requirePositive(D, 'scale', scale);
  const a = shape;
  const th = scale;
  const logPdf = (x: number): number => {
    if (x < 0 || Number.isNaN(x) || x === Infinity) return -Infinity;
    return Math.log(a / th) - (a + 1) * Math.log1p(x / th);
  };
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    return th * Math.expm1(-Math.log1p(-p) / a);
  };
  const mean = (): number => (a > 1 ? th / (a - 1) : Infinity);
  return {
    name: 'lomax',
    params: Object.freeze({ shape, scale }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf: (x) => (x > 0 ? -Math.expm1(-a * Math.log1p(x / th)) : 0),
    sf: (x) => (x > 0 ? Math.exp(-a * Math.log1p(x / th)) : 1),
    quantile,
    mean,
    variance: () => (a > 2 ? (a * th * th) / ((a - 1) * (a - 1) * (a - 2)) : Infinity),
    lev(u: number): number {
      requireLimit(D, u);
      if (u === 0) return 0;
      if (u === Infinity) return mean();
      const l = Math.log1p(u / th);
      if (a === 1) return th * l;
      return (-th / (a - 1)) * Math.expm1(-(a - 1) * l);
    },
    sample: (u01) => quantile(u01()),
  };
}
