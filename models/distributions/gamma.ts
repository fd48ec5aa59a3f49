/**
 * Gamma severity with shape α and rate λ (mean α/λ).
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaincinv from '@stdlib/math-base-special-gammaincinv';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { SeverityDistribution } from './types.ts';
import { requireLimit, requirePositive, requireProbability } from './validate.ts';

export interface GammaParams {
  shape: number;
  rate: number;
}

export interface GammaDistribution extends SeverityDistribution {
  readonly name: 'gamma';
  readonly params: Readonly<GammaParams>;
}

/**
 * Gamma distribution with `shape` = α and `rate` = λ (as R `dgamma(x, shape, rate)`).
 *
 * f(x) = λ^α x^(α−1) e^(−λx) / Γ(α), F(x) = P(α, λx) (regularised lower incomplete gamma);
 * E[X] = α/λ, Var[X] = α/λ²;
 * E[X∧u] = (α/λ)·P(α+1, λu) + u·(1 − P(α, λu))
 * ("Loss Models", Appendix A.3.2.1; R `actuar::levgamma`).
 * Quantile P⁻¹(α, p)/λ via `@stdlib/math-base-special-gammaincinv`; sampling by inversion.
 *
 * @throws RangeError when shape or rate is not a finite positive number.
 */
export function gamma({ shape, rate }: GammaParams): GammaDistribution {
  const D = 'gamma';
  requirePositive(D, 'shape', shape);
  requirePositive(D, 'rate', rate);
  const a = shape;
  const lam = rate;
  const logNorm = a * Math.log(lam) - gammaln(a);
  const logPdf = (x: number): number => {
    if (x < 0 || Number.isNaN(x) || x === Infinity) return -Infinity;
    if (x === 0) return a < 1 ? Infinity : a === 1 ? Math.log(lam) : -Infinity;
    return logNorm + (a - 1) * Math.log(x) - lam * x;
  };
  const cdf = (x: number): number => (x > 0 ? gammainc(lam * x, a) : 0);
  const sf = (x: number): number => (x > 0 ? gammainc(lam * x, a, true, true) : 1);
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    let z = gammaincinv(p, a);
    if (!(z >= 1e-8)) {
      // Lower tail: P(a, z) = z^a/Γ(a+1)·(1 − az/(a+1) + O(z²)); gammaincinv underflows to 0 for tiny p.
      const z0 = Math.exp((Math.log(p) + gammaln(a + 1)) / a);
      if (z0 < 1e-8) z = z0 * (1 + z0 / (a + 1));
    }
    return z / lam;
  };
  return {
    name: 'gamma',
    params: Object.freeze({ shape, rate }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf,
    sf,
    quantile,
    mean: () => a / lam,
    variance: () => a / (lam * lam),
    lev(u: number): number {
      requireLimit(D, u);
      if (u === 0) return 0;
      if (u === Infinity) return a / lam;
      return (a / lam) * gammainc(lam * u, a + 1) + u * gammainc(lam * u, a, true, true);
    },
    sample: (u01) => quantile(u01()),
  };
}
