/**
 * Shared maximum-likelihood machinery: assembling a fit's diagnostics, and a general numerical
 * maximiser for truncated / censored data.
 */
import type { SeverityDistribution } from '../distributions/types.ts';
import type { PreparedSeverityData } from './data.ts';
import type { Family } from './families.ts';
import type { SeverityFit } from './types.ts';
import { severityLogLik } from './likelihood.ts';
import { goodnessOfFit } from './goodnessOfFit.ts';
import { invertSpd, nelderMead, newtonPolishMax, numericHessian } from './optimize.ts';

export interface FitMeta {
  converged: boolean;
  iterations: number;
  method: string;
}

/** Log-likelihood as a function of the natural parameter vector; −Infinity where the family rejects it. */
export function logLikOf(family: Family, data: PreparedSeverityData): (p: number[]) => number {
  return (p) => {
    let d: SeverityDistribution;
    try {
      d = family.build(p);
    } catch {
      return -Infinity;
    }
    return severityLogLik(d, data);
  };
}

/**
 * Builds the fit record at the estimate `params`: log-likelihood, AIC = −2ℓ + 2k,
 * BIC = −2ℓ + k·log n, KS / AD statistics, and standard errors as square roots of the diagonal
 * of the inverse observed information −∇²ℓ (finite-difference Hessian with Richardson
 * extrapolation, on the natural parameters).
 */
export function buildFit<D extends SeverityDistribution>(
  family: Family,
  params: number[],
  data: PreparedSeverityData,
  meta: FitMeta,
): SeverityFit<D> {
  const model = family.build(params) as D;
  const ll = severityLogLik(model, data);
  const k = params.length;
  const n = data.x.length;
  const f = logLikOf(family, data);
  const H = numericHessian(f, params);
  const cov = H.every((r) => r.every(Number.isFinite)) ? invertSpd(H.map((r) => r.map((v) => -v))) : null;
  const standardErrors: Record<string, number> = {};
  family.paramNames.forEach((name, i) => {
    standardErrors[name] = cov ? Math.sqrt(cov[i][i]) : NaN;
  });
  const { ks, ad } = goodnessOfFit(model, data);
  return {
    distribution: family.name,
    model,
    params: { ...model.params },
    standardErrors,
    covariance: cov,
    paramNames: family.paramNames.slice(),
    logLik: ll,
    aic: -2 * ll + 2 * k,
    bic: -2 * ll + k * Math.log(n),
    ks,
    ad,
    n,
    nCensored: data.nCensored,
    truncation: data.truncation,
    openCount: data.openCount,
    includesOpenClaims: data.openCount > 0,
    converged: meta.converged,
    iterations: meta.iterations,
    method: meta.method,
  };
}

/**
 * General maximum likelihood for any family and any truncation / censoring: Nelder–Mead on the
 * free (log-scale) coordinates from `start`, then Newton polishing with finite-difference
 * derivatives until the step is below 1e-9 relative.
 * @throws Error when the log-likelihood is not finite at the start or the result.
 */
export function fitNumeric<D extends SeverityDistribution>(family: Family, data: PreparedSeverityData, start: number[]): SeverityFit<D> {
  const ll = logLikOf(family, data);
  const llFree = (z: number[]): number => ll(family.fromFree(z));
  const z0 = family.toFree(start);
  if (!Number.isFinite(llFree(z0))) throw new Error(`${family.name}: log-likelihood is not finite at the starting values`);
  const nm = nelderMead((z) => -llFree(z), z0, { step: 0.2, ftol: 1e-12, xtol: 1e-7, maxIter: 5_000 });
  const polished = newtonPolishMax(llFree, nm.x);
  if (!Number.isFinite(polished.fx)) throw new Error(`${family.name}: maximum likelihood failed (non-finite log-likelihood)`);
  return buildFit<D>(family, family.fromFree(polished.x), data, {
    converged: polished.converged,
    iterations: nm.iterations + polished.iterations,
    method: 'nelder-mead+newton',
  });
}

/** True when the data carry truncation or censoring, so that closed forms / profile equations do not apply. */
export function needsNumeric(data: PreparedSeverityData): boolean {
  return data.truncation > 0 || data.upperTruncation < Infinity || data.nCensored > 0;
}
