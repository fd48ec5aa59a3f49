/**
 * Maximum-likelihood fit of the generalised Pareto distribution to threshold exceedances.
 */
import { gpd, type GpdDistribution } from '../distributions/gpd.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { gpdFamily } from './families.ts';
import { buildFit, fitNumeric, logLikOf, needsNumeric } from './mle.ts';
import { brentMinimize, newtonPolishMax } from './optimize.ts';
import type { SeverityFit } from './types.ts';

export interface GpdFitOptions extends SeverityFitOptions {
  /** Threshold u the exceedances were taken over; becomes the location of the fitted GPD. Default 0. */
  threshold?: number;
}

/**
 * GPD MLE for exceedances y > 0 by the profile likelihood of Grimshaw (1993): with τ = ξ/σ,
 * ξ̂(τ) = mean(log(1 + τy)), σ̂ = ξ̂/τ and ℓ_p(τ) = −n·log σ̂(τ) − n(1 + ξ̂(τ)) (τ → 0: exponential,
 * σ̂ = mean y). τ ranges over (−1/max y, ∞); only ξ̂ > −1 is admitted (the likelihood is unbounded
 * beyond, Smith 1985). Grid search, Brent refinement, then Newton polishing on (log σ, ξ).
 * @throws RangeError when all exceedances are equal.
 */
export function gpdMle(y: ArrayLike<number>): { scale: number; shape: number; iterations: number; converged: boolean } {
  const n = y.length;
  let ymax = 0;
  let ysum = 0;
  let ymin = Infinity;
  for (let i = 0; i < n; i++) {
    ymax = Math.max(ymax, y[i]);
    ymin = Math.min(ymin, y[i]);
    ysum += y[i];
  }
  if (ymin === ymax) throw new RangeError('gpd fit needs at least two distinct exceedances');
  const ybar = ysum / n;
  const evalTau = (tau: number): { ll: number; xi: number; sigma: number } => {
    if (tau === 0) return { ll: -n * Math.log(ybar) - n, xi: 0, sigma: ybar };
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log1p(tau * y[i]);
    const xi = s / n;
    const sigma = xi / tau;
    if (!(sigma > 0)) return { ll: -Infinity, xi, sigma };
    return { ll: -n * Math.log(sigma) - n * (1 + xi), xi, sigma };
  };
  // τ·ymax = −1 + e^a, a ∈ [log 1e-8, log 1e6]
  const tauOf = (a: number): number => (a === 0 ? 0 : Math.expm1(a) / ymax);
  const lo = Math.log(1e-8);
  const hi = Math.log(1e6);
  const steps = 600;
  let best = -Infinity;
  let iBest = -1;
  for (let i = 0; i <= steps; i++) {
    const e = evalTau(tauOf(lo + ((hi - lo) * i) / steps));
    if (e.xi > -1 && e.ll > best) {
      best = e.ll;
      iBest = i;
    }
  }
  const aLo = lo + ((hi - lo) * Math.max(iBest - 1, 0)) / steps;
  const aHi = lo + ((hi - lo) * Math.min(iBest + 1, steps)) / steps;
  const r = brentMinimize((a) => {
    const e = evalTau(tauOf(a));
    return e.xi > -1 ? -e.ll : Infinity;
  }, aLo, aHi, 1e-13);
  const e = evalTau(tauOf(r.x));
  const family = gpdFamily(0);
  const data: PreparedSeverityData = {
    x: Float64Array.from(y),
    censored: new Uint8Array(n),
    nCensored: 0,
    openCount: 0,
    truncation: 0,
    upperTruncation: Infinity,
  };
  const ll = logLikOf(family, data);
  const polished = newtonPolishMax((z) => ll(family.fromFree(z)), family.toFree([e.sigma, e.xi]));
  const [scale, shape] = polished.fx >= e.ll ? family.fromFree(polished.x) : [e.sigma, e.xi];
  return { scale, shape, iterations: r.iterations + polished.iterations, converged: r.converged };
}

/**
 * Fits a GPD(threshold u, scale σ, shape ξ) to exceedances y = x − u > 0 by maximum likelihood
 * (see `gpdMle`), u = `options.threshold` (default 0). Right censoring (`options.censored`) is
 * handled by numerical maximisation of the full likelihood. The returned KS / AD and log-likelihood
 * are those of the exceedances. Reference: Coles (2001) §4.3; R `evd::fpot`, `ismev::gpd.fit`.
 * @throws RangeError for invalid exceedances (non-positive, non-finite, empty) or all equal.
 */
export function fitGpd(exceedances: SeverityInput, options: GpdFitOptions = {}): SeverityFit<GpdDistribution> {
  const threshold = options.threshold ?? 0;
  const data = prepareSeverityData(exceedances, { ...options, truncation: undefined });
  if (options.truncation) throw new RangeError('fitGpd: truncation does not apply to exceedances (use threshold)');
  const mle = gpdMle(data.x);
  const family = gpdFamily(0);
  const fit = needsNumeric(data)
    ? fitNumeric<GpdDistribution>(family, data, [mle.scale, mle.shape])
    : buildFit<GpdDistribution>(family, [mle.scale, mle.shape], data, {
        converged: mle.converged,
        iterations: mle.iterations,
        method: 'profile-brent+newton',
      });
  if (threshold === 0) return fit;
  const model = gpd({ threshold, scale: fit.params.scale, shape: fit.params.shape });
  return { ...fit, model, params: { ...model.params } };
}
