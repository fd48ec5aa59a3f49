/**
 * Generalised Pareto distribution (GPD) for threshold exceedances: X = u + Y, Y ~ GPD(σ, ξ).
 */
import type { SeverityDistribution } from './types.ts';
import { requireFinite, requireLimit, requireNonNegative, requirePositive, requireProbability } from './validate.ts';

export interface GpdParams {
  /** Location u (the threshold); the support starts here. Default 0. */
  threshold?: number;
  /** Scale σ > 0. */
  scale: number;
  /** Shape ξ (any real; ξ = 0 is the exponential, ξ > 0 heavy tailed, ξ < 0 bounded). */
  shape: number;
}

export interface GpdDistribution extends SeverityDistribution {
  readonly name: 'gpd';
  readonly params: Readonly<{ threshold: number; scale: number; shape: number }>;
}

/**
 * Generalised Pareto distribution with location `threshold` = u, `scale` = σ, `shape` = ξ
 * (Pickands 1975; the parameterisation of R `evd::pgpd(q, loc, scale, shape)` and Coles 2001 §4.2).
 *
 * With y = x − u ≥ 0: S(x) = (1 + ξy/σ)^(−1/ξ) (ξ ≠ 0), e^(−y/σ) (ξ = 0); for ξ < 0 the support
 * ends at u − σ/ξ. f(x) = (1/σ)(1 + ξy/σ)^(−1/ξ−1).
 * E[X] = u + σ/(1 − ξ) (ξ < 1, else ∞); Var[X] = σ²/((1 − ξ)²(1 − 2ξ)) (ξ < 1/2, else ∞);
 * E[X∧m] = m for m ≤ u, else u + σ/(1 − ξ)·[1 − (1 + ξv/σ)^((ξ−1)/ξ)] with v = m − u
 * (u + σ·log(1 + v/σ) for ξ = 1, u + σ(1 − e^(−v/σ)) for ξ = 0) — integral of S.
 * Quantile u + σ((1 − p)^(−ξ) − 1)/ξ; sampling by inversion.
 *
 * @throws RangeError when threshold is negative or not finite, scale is not finite positive, or shape is not finite.
 */
export function gpd({ threshold = 0, scale, shape }: GpdParams): GpdDistribution {
  const D = 'gpd';
  requireNonNegative(D, 'threshold', threshold);
  requirePositive(D, 'scale', scale);
  requireFinite(D, 'shape', shape);
  const u = threshold;
  const s = scale;
  const xi = shape;
  /** log(1 + ξy/σ)/ξ, by its series when |ξy/σ| is tiny (tends to y/σ as ξ → 0); NaN beyond the endpoint. */
  const log1pOverXi = (y: number): number => {
    const z = (xi * y) / s;
    if (z < -1) return NaN;
    if (Math.abs(z) < 1e-8) return (y / s) * (1 - z / 2 + (z * z) / 3);
    return Math.log1p(z) / xi;
  };
  /** log S(x) for y = x − u > 0, −Infinity beyond a finite endpoint. */
  const logSfY = (y: number): number => {
    const l = log1pOverXi(y);
    return Number.isNaN(l) ? -Infinity : -l;
  };
  const logPdf = (x: number): number => {
    const y = x - u;
    if (!(y >= 0) || y === Infinity) return -Infinity;
    const l = log1pOverXi(y);
    if (!Number.isFinite(l)) return -Infinity;
    return -Math.log(s) - xi * l - l; // −log σ − (1 + 1/ξ)·log(1 + ξy/σ)
  };
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 0) return u;
    if (p === 1) return xi >= 0 ? Infinity : u - s / xi;
    const L = Math.log1p(-p);
    const a = -xi * L;
    if (Math.abs(a) < 1e-8) return u - s * L * (1 + a / 2 + (a * a) / 6);
    return u + (s * Math.expm1(a)) / xi;
  };
  const mean = (): number => (xi < 1 ? u + s / (1 - xi) : Infinity);
  return {
    name: 'gpd',
    params: Object.freeze({ threshold, scale, shape }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf: (x) => (x > u ? -Math.expm1(logSfY(x - u)) : 0),
    sf: (x) => (x > u ? Math.exp(logSfY(x - u)) : 1),
    quantile,
    mean,
    variance: () => (xi < 0.5 ? (s * s) / ((1 - xi) * (1 - xi) * (1 - 2 * xi)) : Infinity),
    lev(m: number): number {
      requireLimit(D, m);
      if (m <= u) return m;
      if (m === Infinity) return mean();
      const v = m - u;
      if (xi < 0 && v >= -s / xi) return mean(); // at or beyond the upper endpoint
      const l = log1pOverXi(v);
      if (xi === 1) return u + s * l;
      return u - (s / (1 - xi)) * Math.expm1((xi - 1) * l);
    },
    sample: (u01) => quantile(u01()),
  };
}
