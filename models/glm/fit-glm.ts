/**
 * fitGlm: log-link GLMs for claim frequency (Poisson, negative binomial NB2) and severity (Gamma)
 * with exposure offset, prior weights, treatment-coded factors and numeric covariates.
 */
import { buildDesign, interceptOnly } from './design.ts';
import { GlmError } from './errors.ts';
import { deviance as devianceOf, logLikelihood, pearsonChi2, tabulateResponse } from './families.ts';
import { irls, throwAliased, type IrlsResult } from './irls.ts';
import { thetaMl } from './theta-ml.ts';
import { aggregateCells } from './cells.ts';
import type { GlmInput, GlmOptions, GlmResult, GlmTerm } from './types.ts';

const FAMILIES = new Set(['poisson', 'negative_binomial', 'gamma']);

function toArray(name: string, x: ArrayLike<number>, n: number, check: (v: number) => boolean, what: string): Float64Array {
  if (x.length !== n) throw new GlmError('INVALID_INPUT', `${name}: ${x.length} values for ${n} rows`, { field: name });
  const a = Float64Array.from(x);
  for (let i = 0; i < n; i++) {
    if (!check(a[i])) throw new GlmError('INVALID_INPUT', `${name}: ${what} at row ${i} (got ${a[i]})`, { field: name, row: i });
  }
  return a;
}

/** Poisson deviance of the intercept + offset model, whose MLE is closed form: μ_i = e^{o_i} Σwy / Σw e^{o}. */
function poissonNullDeviance(y: Float64Array, offset: Float64Array, pw: Float64Array): number {
  let sy = 0;
  let se = 0;
  for (let i = 0; i < y.length; i++) {
    sy += pw[i] * y[i];
    se += pw[i] * Math.exp(offset[i]);
  }
  const rate = sy / se;
  const mu = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) mu[i] = Math.exp(offset[i]) * rate;
  return devianceOf('poisson', 0, y, mu, pw);
}

/**
 * Fits a GLM with log link by IRLS, ln μ_i = offset_i + x_iᵀβ, offset_i = ln(exposure_i) + offset_i.
 *
 * - `poisson`: Var Y = μ; dispersion 1. As R `glm(family = poisson)`.
 * - `negative_binomial`: NB2, Var Y = μ + μ²/θ; θ by maximum likelihood alternating with IRLS
 *   (Poisson start, then θ̂ = theta.ml(μ̂), IRLS at θ̂, … until the log-likelihood and θ settle), as
 *   MASS::glm.nb (Venables & Ripley 2002, §7.4). Standard errors are conditional on θ̂ (as glm.nb);
 *   `thetaStdError` = 1/√I(θ̂). AIC = −2ℓ + 2(p + 1).
 * - `gamma`: Var Y = φμ²; φ̂ = Pearson χ²/df (summary.glm) scales the standard errors; log-likelihood
 *   and AIC follow R's `Gamma()$aic` with φ = deviance/Σw; AIC = −2ℓ + 2(p + 1).
 *
 * Factors use treatment contrasts: the intercept is the base cell, a factor term `District2`
 * (`factor: 'District'`, `level: '2'`) is the log relativity of level 2 vs the base. Default base:
 * the level with the largest exposure (most rows without exposure), ties by natural label order;
 * non-base terms are in natural label order ({@link naturalCompare}), factors in the object's key
 * order, then covariates (`factor` = covariate name, `level` = null).
 * Standard errors: √(φ · diag((X'WX)⁻¹)) at the fitted μ (Fisher information).
 * The null deviance is that of the intercept + offset model, fitted by IRLS (as R).
 *
 * Throws GlmError: INVALID_INPUT (lengths, non-finite values, negative counts, non-positive
 * exposure or Gamma response, unknown base level); RANK_DEFICIENT (empty level or aliased terms,
 * named in `details.aliased`); NOT_CONVERGED (unless `options.onNonConvergence = 'return'`).
 */
export function fitGlm(input: GlmInput, options: GlmOptions = {}): GlmResult {
  const kind = input.family;
  if (!FAMILIES.has(kind)) throw new GlmError('INVALID_INPUT', `unknown family ${String(kind)}`, { field: 'family' });
  const epsilon = options.epsilon ?? 1e-12;
  const maxit = options.maxIterations ?? 100;
  if (!(epsilon > 0) || !(maxit >= 1)) throw new GlmError('INVALID_INPUT', 'epsilon must be > 0 and maxIterations ≥ 1', { field: 'options' });
  const n = input.response?.length ?? 0;
  if (n === 0) throw new GlmError('INVALID_INPUT', 'response is empty', { field: 'response' });
  const y = toArray('response', input.response, n, kind === 'gamma' ? (v) => Number.isFinite(v) && v > 0 : (v) => Number.isFinite(v) && v >= 0,
    kind === 'gamma' ? 'Gamma response must be finite and > 0' : 'count must be finite and ≥ 0');
  const pw = input.weights ? toArray('weights', input.weights, n, (v) => Number.isFinite(v) && v >= 0, 'weight must be finite and ≥ 0') : new Float64Array(n).fill(1);
  const exposure = input.exposure ? toArray('exposure', input.exposure, n, (v) => Number.isFinite(v) && v > 0, 'exposure must be finite and > 0') : null;
  const offset = input.offset ? toArray('offset', input.offset, n, Number.isFinite, 'offset must be finite') : new Float64Array(n);
  if (exposure) for (let i = 0; i < n; i++) offset[i] += Math.log(exposure[i]);
  let nObs = 0;
  for (let i = 0; i < n; i++) if (pw[i] > 0) nObs++;
  if (nObs === 0) throw new GlmError('INVALID_INPUT', 'no row has a positive weight', { field: 'weights' });
  if (options.theta !== undefined && !(options.theta > 0 && Number.isFinite(options.theta))) {
    throw new GlmError('INVALID_INPUT', `theta must be finite and > 0, got ${options.theta}`, { field: 'theta' });
  }

  const compressible = kind === 'poisson' && options.compress !== false && !input.weights && !input.offset
    && Object.keys(input.covariates ?? {}).length === 0 && Object.keys(input.factors ?? {}).length > 0;
  if (compressible) {
    const fit = fitPoissonOnCells(input, options, y, exposure, offset);
    if (fit) return fit;
  }

  const d = buildDesign(n, input.factors ?? {}, input.covariates ?? {}, input.baseLevels ?? {}, options.levels ?? {}, pw, exposure, y);
  const p = d.p;
  if (nObs < p) throwAliased(d, Array.from({ length: p - nObs }, (_, k) => nObs + k));
  const table = tabulateResponse(y, pw);
  const notConverged = (what: string, r: { iterations: number; lastChange: number }) => {
    throw new GlmError('NOT_CONVERGED', `${what} did not converge in ${r.iterations} iterations (last relative change ${r.lastChange})`, {
      iterations: r.iterations, lastChange: r.lastChange,
    });
  };
  const tolerate = options.onNonConvergence === 'return';

  let fit: IrlsResult;
  let theta = NaN;
  let thetaSe: number | undefined;
  let iterations: number;
  let outer: number | undefined;
  let converged: boolean;
  if (kind === 'negative_binomial') {
    if (options.theta !== undefined) {
      theta = options.theta;
      fit = irls(d, kind, theta, y, offset, pw, null, epsilon, maxit);
      iterations = fit.iterations;
      converged = fit.converged;
    } else {
      fit = irls(d, 'poisson', 0, y, offset, pw, null, epsilon, maxit);
      iterations = fit.iterations;
      if (!fit.converged && !tolerate) notConverged('IRLS (Poisson start of the negative binomial)', fit);
      let est = thetaMl(y, fit.mu, pw, table, undefined, maxit);
      theta = est.theta;
      let ll = logLikelihood(kind, theta, y, fit.mu, pw, 0, table);
      let thetaChange = Infinity;
      let llChange: number;
      let tight = false;
      outer = 0;
      converged = false;
      // Alternate IRLS at fixed θ and θ̂(μ̂) (MASS::glm.nb). While θ still moves, the inner IRLS
      // only needs an accuracy matching the θ change; the last rounds are run to full tolerance.
      while (outer < maxit) {
        outer++;
        const innerEps = tight ? epsilon : Math.max(epsilon, Math.min(1e-6, thetaChange * thetaChange));
        const innerStep = tight ? 1e-8 : Math.max(1e-8, Math.min(1e-2, thetaChange));
        fit = irls(d, kind, theta, y, offset, pw, fit.eta, innerEps, maxit, innerStep);
        iterations += fit.iterations;
        if (!fit.converged && !tolerate) notConverged(`IRLS at θ = ${theta}`, fit);
        const prev = theta;
        est = thetaMl(y, fit.mu, pw, table, theta, maxit);
        theta = est.theta;
        const llNew = logLikelihood(kind, theta, y, fit.mu, pw, 0, table);
        thetaChange = Math.abs(theta - prev) / theta;
        llChange = Math.abs(llNew - ll) / (Math.abs(llNew) + 0.1);
        ll = llNew;
        if (tight && thetaChange < 1e-10 && llChange < epsilon) {
          converged = fit.converged;
          break;
        }
        if (thetaChange < 1e-8) tight = true;
      }
      if (!converged && !tolerate) {
        throw new GlmError('NOT_CONVERGED', `negative binomial: θ/IRLS alternation did not converge in ${outer} iterations (θ = ${theta})`, {
          iterations: outer, lastChange: thetaChange, theta,
        });
      }
      // final IRLS at the converged θ so that β̂, μ̂ are exactly conditional on θ̂
      fit = irls(d, kind, theta, y, offset, pw, fit.eta, epsilon, maxit);
      iterations += fit.iterations;
      converged = converged && fit.converged;
      thetaSe = thetaMl(y, fit.mu, pw, table, theta, maxit).stdError;
    }
  } else {
    fit = irls(d, kind, 0, y, offset, pw, null, epsilon, maxit);
    iterations = fit.iterations;
    converged = fit.converged;
  }
  if (!converged && !tolerate) notConverged('IRLS', fit);

  const mu = fit.mu;
  const cov = fit.covUnscaled;
  const dev = devianceOf(kind, theta, y, mu, pw);
  const pearson = pearsonChi2(kind, theta, y, mu, pw);
  const dfResidual = nObs - p;
  const dispersion = kind === 'gamma' ? (dfResidual > 0 ? pearson / dfResidual : NaN) : 1;
  const nullDeviance = kind === 'poisson' ? poissonNullDeviance(y, offset, pw) : irls(interceptOnly(n), kind, theta, y, offset, pw, null, epsilon, maxit).deviance;
  const logLik = logLikelihood(kind, theta, y, mu, pw, dev, table);
  const thetaEstimated = kind === 'negative_binomial' && options.theta === undefined;
  const aic = -2 * logLik + 2 * (p + (kind === 'gamma' || thetaEstimated ? 1 : 0));

  const terms: GlmTerm[] = d.terms.map((t, j) => ({
    name: t.name, factor: t.factor, level: t.level, estimate: fit.beta[j], stdError: Math.sqrt(dispersion * cov[j * p + j]),
  }));
  const warnings: string[] = [];
  if (kind !== 'gamma') {
    for (const z of d.zeroResponseLevels) {
      warnings.push(`${z.factor}=${z.level}: zero total response; its estimate tends to -Infinity (separation), interpret with care`);
    }
  }
  if (kind === 'negative_binomial' && theta > 1e6) warnings.push(`theta = ${theta}: no overdispersion detected, the Poisson family fits as well`);
  return {
    family: kind, terms,
    ...(kind === 'negative_binomial' ? { theta, ...(thetaSe !== undefined ? { thetaStdError: thetaSe } : {}) } : {}),
    dispersion, deviance: dev, nullDeviance, logLik, aic, pearsonChi2: pearson,
    dfResidual, dfNull: nObs - 1, nObs, iterations, ...(outer !== undefined ? { outerIterations: outer } : {}), converged,
    fitted: mu, baseLevels: d.baseLevels, levels: d.levels, warnings, covUnscaled: cov,
  };
}

/**
 * A Poisson GLM on categorical factors only, fitted on its sufficient statistics (models/glm/cells.ts:
 * per factor-level cell c, Y_c = Σ y_i and E_c = Σ e_i give the row-level likelihood up to a
 * constant, so β̂ and the Fisher information are those of the rows) and reported at row level:
 * μ_i = e_i · exp(x_cᵀβ̂), with the deviance, log-likelihood, Pearson χ², AIC, degrees of freedom
 * and level summaries of the rows. The cost is one pass over the rows plus a fit on the cells.
 * Returns null (fit the rows instead) when there are not fewer cells than half the rows.
 */
function fitPoissonOnCells(input: GlmInput, options: GlmOptions, y: Float64Array, exposure: Float64Array | null, offset: Float64Array): GlmResult | null {
  const n = y.length;
  const agg = aggregateCells({ response: y, ...(exposure ? { exposure } : {}), factors: input.factors ?? {} });
  if (agg.nCells * 2 > n) return null;
  const cells = fitGlm(
    { family: 'poisson', response: agg.response, exposure: agg.exposure, factors: agg.factors, ...(input.baseLevels ? { baseLevels: input.baseLevels } : {}) },
    { ...options, compress: false },
  );
  const pw = new Float64Array(n).fill(1);
  // fitted means per row: the cell's rate times the row's exposure
  const rate = new Float64Array(agg.nCells);
  for (let c = 0; c < agg.nCells; c++) rate[c] = cells.fitted[c] / agg.exposure[c];
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) mu[i] = rate[agg.cellOf[i]] * Math.exp(offset[i]);
  // level summaries count rows, not cells
  const levels: GlmResult['levels'] = {};
  for (const [name, summaries] of Object.entries(cells.levels)) {
    const { codes, levels: labels } = agg.factors[name];
    const rowsOf = new Map<string, number>();
    for (let c = 0; c < agg.nCells; c++) rowsOf.set(labels[codes[c]], (rowsOf.get(labels[codes[c]]) ?? 0) + agg.rows[c]);
    levels[name] = summaries.map((s) => ({ ...s, rows: rowsOf.get(s.level) ?? 0 }));
  }
  const p = cells.terms.length;
  const dev = devianceOf('poisson', 0, y, mu, pw);
  const logLik = logLikelihood('poisson', 0, y, mu, pw, dev, tabulateResponse(y, pw));
  return {
    ...cells,
    deviance: dev,
    nullDeviance: poissonNullDeviance(y, offset, pw),
    logLik,
    aic: -2 * logLik + 2 * p,
    pearsonChi2: pearsonChi2('poisson', 0, y, mu, pw),
    dfResidual: n - p,
    dfNull: n - 1,
    nObs: n,
    fitted: mu,
    levels,
  };
}
