/**
 * Lognormal severity: log X ~ Normal(meanlog, sdlog²).
 */
import type { SeverityDistribution } from './types.ts';
import { requireFinite, requireLimit, requirePositive, requireProbability } from './validate.ts';
import { stdNormalCdf, stdNormalQuantile, stdNormalSf } from './normal.ts';

export interface LognormalParams {
  meanlog: number;
  sdlog: number;
}

export interface LognormalDistribution extends SeverityDistribution {
  readonly name: 'lognormal';
  readonly params: Readonly<LognormalParams>;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Lognormal distribution with parameters `meanlog` = μ and `sdlog` = σ (as R `dlnorm`).
 *
 * f(x) = exp(−(log x − μ)²/(2σ²)) / (xσ√(2π)), F(x) = Φ((log x − μ)/σ), x > 0;
 * E[X] = exp(μ + σ²/2), Var[X] = (exp(σ²) − 1)·exp(2μ + σ²);
 * E[X∧u] = exp(μ + σ²/2)·Φ((log u − μ − σ²)/σ) + u·(1 − Φ((log u − μ)/σ))
 * (Klugman, Panjer & Willmot, "Loss Models", Appendix A.4.1.1; R `actuar::levlnorm`).
 * Sampling by inversion: exp(μ + σΦ⁻¹(U)).
 *
 * @throws RangeError when meanlog is not finite or sdlog is not a finite positive number.
 */
export function lognormal({ meanlog, sdlog }: LognormalParams): LognormalDistribution {
  const D = 'lognormal';
  requireFinite(D, 'meanlog', meanlog);
  requirePositive(D, 'sdlog', sdlog);
  const mu = meanlog;
  const sigma = sdlog;
  const logPdf = (x: number): number => {
    if (!(x > 0)) return -Infinity;
    if (x === Infinity) return -Infinity;
    const lx = Math.log(x);
    const z = (lx - mu) / sigma;
    return -0.5 * z * z - lx - Math.log(sigma) - LOG_SQRT_2PI;
  };
  const cdf = (x: number): number => (x > 0 ? stdNormalCdf((Math.log(x) - mu) / sigma) : 0);
  const sf = (x: number): number => (x > 0 ? stdNormalSf((Math.log(x) - mu) / sigma) : 1);
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p === 0) return 0;
    if (p === 1) return Infinity;
    return Math.exp(mu + sigma * stdNormalQuantile(p));
  };
  const mean = (): number => Math.exp(mu + 0.5 * sigma * sigma);
  return {
    name: 'lognormal',
    params: Object.freeze({ meanlog, sdlog }),
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf,
    sf,
    quantile,
    mean,
    variance: () => Math.expm1(sigma * sigma) * Math.exp(2 * mu + sigma * sigma),
    lev(u: number): number {
      requireLimit(D, u);
      if (u === 0) return 0;
      if (u === Infinity) return mean();
      const lu = Math.log(u);
      return mean() * stdNormalCdf((lu - mu - sigma * sigma) / sigma) + u * stdNormalSf((lu - mu) / sigma);
    },
    sample: (u01) => quantile(u01()),
  };
}
