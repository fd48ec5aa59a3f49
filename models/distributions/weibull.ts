/**
 * Weibull severity with shape k and scale θ.
 */
import { lowerGammaRegularized } from '../statistics/incomplete-gamma.ts';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { SeverityDistribution } from './types.ts';
import { requireLimit, requirePositive, requireProbability } from './validate.ts';

export interface WeibullParams {
  shape: number;
  scale: number;
}

export interface WeibullDistribution extends SeverityDistribution {
  readonly name: 'weibull';
  readonly params: Readonly<WeibullParams>;
}

/**
 * Weibull distribution with `shape` = k and `scale` = θ (as R `dweibull(x, shape, scale)`).
 *
 * F(x) = 1 − exp(−(x/θ)^k), f(x) = (k/θ)(x/θ)^(k−1) exp(−(x/θ)^k);
 * E[X] = θΓ(1 + 1/k), Var[X] = θ²(Γ(1 + 2/k) − Γ(1 + 1/k)²);
 * E[X∧u] = θΓ(1 + 1/k)·P(1 + 1/k, (u/θ)^k) + u·exp(−(u/θ)^k)
 * ("Loss Models", Appendix A.3.2.3; R `actuar::levweibull`).
 * Quantile θ(−log(1 − p))^(1/k); sampling by inversion.
 *
 * @throws RangeError when shape or scale is not a finite positive number.
 */
export function weibull({ shape, scale }: WeibullParams): WeibullDistribution {
  const D = 'weibull';
  requirePositive(D, 'shape', shape);
  requirePositive(D, 'scale', scale);
  const k = shape;
  const th = scale;
  const logPdf = (x: number): number => {
    if (x < 0 || Number.isNaN(x) || x === Infinity) return -Infinity;
    if (x === 0) return k < 1 ? Infinity : k === 1 ? -Math.log(th) : -Infinity;
    const lz = Math.log(x / th);
    return Math.log(k / th) + (k - 1) * lz - Math.exp(k * lz);
  };
  const cumHaz = (x: number): number => Math.pow(x / th, k);
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    return th * Math.pow(-Math.log1p(-p), 1 / k);
  };
  const mean = (): number => th * Math.exp(gammaln(1 + 1 / k));
  return {
    name: 'weibull',
    params: Object.freeze({ shape, scale }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf: (x) => (x > 0 ? -Math.expm1(-cumHaz(x)) : 0),
    sf: (x) => (x > 0 ? Math.exp(-cumHaz(x)) : 1),
    quantile,
    mean,
    variance: () => th * th * (Math.exp(gammaln(1 + 2 / k)) - Math.exp(2 * gammaln(1 + 1 / k))),
    lev(u: number): number {
      requireLimit(D, u);
      if (u === 0) return 0;
      if (u === Infinity) return mean();
      const h = cumHaz(u);
      return mean() * lowerGammaRegularized(1 + 1 / k, h) + u * Math.exp(-h);
    },
    sample: (u01) => quantile(u01()),
  };
}
