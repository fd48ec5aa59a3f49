/**
 * Starting values for IRLS with categorical factors: a few sweeps of iterative proportional
 * fitting (IPF) of the level effects to the marginal totals.
 */
import type { SparseDesign } from './design.ts';
import { levelSums } from './kernels.ts';

/**
 * Marginal-rate start for a log-link model with factors: from the intercept + offset model
 * η_i = offset_i + ln(Σ w y / Σ w e^offset), each sweep visits every factor f and sets
 *   η_i += ln r_f[a],  r_f[a] = Σ_{i: f_i = a} w_i y_i / Σ_{i: f_i = a} w_i μ_i  (μ = e^η),
 * i.e. the closed-form maximiser of the Poisson log-likelihood over factor f's level effects with
 * the other factors held fixed (iterative proportional fitting / block coordinate ascent of a
 * log-linear model; Bishop, Fienberg & Holland 1975, ch. 3; Deming & Stephan 1940). One sweep on
 * a single factor is its one-way log rate ln(Y_a/E_a); further sweeps correct for correlated
 * factors. Levels with Σ w y = 0 are left unchanged (their MLE is −∞; IRLS handles the drift).
 * Sweeps stop after `maxSweeps` or when every |ln r| < `tol`. Covariates are ignored (β = 0).
 * This is only a starting point: IRLS then converges to the same optimum as R's start
 * μ₀ = y + 0.1 (glm.fit), in fewer iterations. For NB/Gamma the same start is used (the
 * margins of the mean are the natural first guess for any log-link family).
 * Returns null when Σ w y = 0 or Σ w e^offset is not finite/positive (no rate to start from);
 * never throws (inputs are validated by fitGlm).
 */
export function marginalStart(
  d: SparseDesign, y: Float64Array, offset: Float64Array, pw: Float64Array, maxSweeps = 2, tol = 1e-3,
): Float64Array | null {
  const { n, F, codes, nLevels } = d;
  let swy = 0;
  let swe = 0;
  for (let i = 0; i < n; i++) {
    swy += pw[i] * y[i];
    swe += pw[i] * Math.exp(offset[i]);
  }
  if (!(swy > 0 && Number.isFinite(swe) && swe > 0)) return null;
  const c0 = Math.log(swy / swe);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    eta[i] = offset[i] + c0;
    mu[i] = Math.exp(eta[i]);
  }
  if (F === 0) return eta;
  // observed margins Σ w y per level (fixed)
  const obs = nLevels.map((L, f) => levelSums(codes[f], y, pw, new Float64Array(L), L));
  const maxL = Math.max(...nLevels);
  const fit = new Float64Array(maxL);
  const ratio = new Float64Array(maxL);
  const logRatio = new Float64Array(maxL);
  for (let s = 0; s < maxSweeps; s++) {
    let worst = 0;
    for (let f = 0; f < F; f++) {
      const L = nLevels[f];
      const c = codes[f];
      levelSums(c, mu, pw, fit, L);
      const o = obs[f];
      for (let a = 0; a < L; a++) {
        const r = o[a] > 0 && fit[a] > 0 ? o[a] / fit[a] : 1;
        ratio[a] = r;
        logRatio[a] = Math.log(r);
        worst = Math.max(worst, Math.abs(logRatio[a]));
      }
      scaleByLevel(c, ratio, logRatio, mu, eta);
    }
    if (worst < tol) break;
  }
  return eta;
}

/** μ_i *= r[c_i], η_i += ln r[c_i]. */
function scaleByLevel(c: Int32Array, r: Float64Array, lr: Float64Array, mu: Float64Array, eta: Float64Array): void {
  for (let i = 0; i < c.length; i++) {
    const k = c[i];
    mu[i] *= r[k];
    eta[i] += lr[k];
  }
}
