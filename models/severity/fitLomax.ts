/**
 * Maximum-likelihood fit of the Pareto II (Lomax) severity.
 */
import type { LomaxDistribution } from '../distributions/lomax.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { lomaxFamily } from './families.ts';
import { buildFit, fitNumeric, needsNumeric } from './mle.ts';
import { brentMinimize, brentRoot } from './optimize.ts';
import type { SeverityFit } from './types.ts';

/**
 * Lomax MLE by profile likelihood in the scale θ. For fixed θ, α̂(θ) = n/T(θ) with
 * T(θ) = Σ log(1 + x/θ), and ℓ_p(θ) = n·log α̂ − n·log θ − (α̂ + 1)·T(θ).
 * The maximum is located on a grid in log θ, then the profile score
 * θ·ℓ_p′(θ) = (n/T + 1)·Σ x/(x + θ) − n = 0 is solved by Brent's method in log θ to ~1e-15.
 * Reference: the R reference (tests/fixtures/reference/generate.R) solves the same profile score
 * equation with `uniroot`; Arnold (2015) "Pareto Distributions".
 * @throws Error when the profile likelihood increases without bound in θ (data not heavier-tailed
 * than exponential: the MLE degenerates to the exponential limit α, θ → ∞);
 * RangeError when all amounts are equal.
 */
export function lomaxMle(x: ArrayLike<number>): { shape: number; scale: number; iterations: number; converged: boolean } {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  if (sorted[0] === sorted[n - 1]) throw new RangeError('lomax fit needs at least two distinct amounts');
  const T = (th: number): number => {
    let t = 0;
    for (let i = 0; i < n; i++) t += Math.log1p(x[i] / th);
    return t;
  };
  const profile = (phi: number): number => {
    const th = Math.exp(phi);
    const t = T(th);
    const a = n / t;
    return n * Math.log(a) - n * phi - (a + 1) * t;
  };
  const score = (phi: number): number => {
    const th = Math.exp(phi);
    let t = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      t += Math.log1p(x[i] / th);
      r += x[i] / (x[i] + th);
    }
    return (n / t + 1) * r - n;
  };
  const center = Math.log(sorted[Math.floor(n / 2)]);
  const lo = center - 15;
  const hi = center + 25;
  const steps = 400;
  let best = -Infinity;
  let iBest = 0;
  for (let i = 0; i <= steps; i++) {
    const v = profile(lo + ((hi - lo) * i) / steps);
    if (v > best) {
      best = v;
      iBest = i;
    }
  }
  if (iBest === steps) {
    throw new Error('lomax: no finite MLE — the profile likelihood increases towards θ → ∞ (data not heavier-tailed than exponential)');
  }
  const a = lo + ((hi - lo) * Math.max(iBest - 1, 0)) / steps;
  const b = lo + ((hi - lo) * Math.min(iBest + 1, steps)) / steps;
  let phi: number;
  let iterations: number;
  let converged: boolean;
  if (score(a) > 0 && score(b) < 0) {
    const r = brentRoot(score, a, b, 1e-15);
    phi = r.root;
    iterations = r.iterations;
    converged = r.converged;
  } else {
    const r = brentMinimize((p) => -profile(p), a, b, 1e-14);
    phi = r.x;
    iterations = r.iterations;
    converged = r.converged;
  }
  const scale = Math.exp(phi);
  return { shape: n / T(scale), scale, iterations, converged };
}

/** Lomax fit on prepared data (profile likelihood, or numerical with truncation / censoring). */
export function fitLomaxPrepared(data: PreparedSeverityData): SeverityFit<LomaxDistribution> {
  if (needsNumeric(data)) {
    let start: number[];
    try {
      const m = lomaxMle(data.x);
      start = [m.shape, m.scale];
    } catch {
      let mean = 0;
      for (const v of data.x) mean += v / data.x.length;
      start = [3, 2 * mean];
    }
    return fitNumeric<LomaxDistribution>(lomaxFamily, data, start);
  }
  const mle = lomaxMle(data.x);
  return buildFit<LomaxDistribution>(lomaxFamily, [mle.shape, mle.scale], data, {
    converged: mle.converged,
    iterations: mle.iterations,
    method: 'profile-brent',
  });
}

/**
 * Fits Lomax(shape, scale) — Pareto II with cdf 1 − (θ/(x + θ))^α as `actuar::ppareto` — by maximum
 * likelihood (see `lomaxMle`); with truncation / censoring the full likelihood is maximised numerically.
 * @throws RangeError for invalid data or options; Error when no finite MLE exists.
 */
export function fitLomax(data: SeverityInput, options: SeverityFitOptions = {}): SeverityFit<LomaxDistribution> {
  return fitLomaxPrepared(prepareSeverityData(data, options));
}
