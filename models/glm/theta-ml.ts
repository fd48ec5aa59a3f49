/**
 * Maximum-likelihood estimate of the negative binomial (NB2) size θ for fixed means μ.
 */
import digamma from '@stdlib/math-base-special-digamma';
import trigamma from '@stdlib/math-base-special-trigamma';
import { GlmError } from './errors.ts';
import type { ResponseTable } from './families.ts';

/** θ̂ and its standard error 1/√I(θ̂). */
export interface ThetaEstimate {
  theta: number;
  stdError: number;
  iterations: number;
}

/**
 * Newton–Raphson for θ in NB2 (variance μ + μ²/θ), as MASS::theta.ml (Venables & Ripley,
 * MASS 4th ed. §7.4):
 *   score U(θ) = Σ w [ψ(θ+y) − ψ(θ) + log θ + 1 − log(θ+μ) − (y+θ)/(μ+θ)],
 *   information I(θ) = Σ w [ψ'(θ) − ψ'(θ+y) − 1/θ + 2/(μ+θ) − (y+θ)/(μ+θ)²],
 *   θ ← |θ| + U/I, started at `start` or at the moment estimate n / Σ w (y/μ − 1)².
 * The ψ terms are summed once per distinct y (`table`). Iterates until |ΔU/I| ≤ 1e-12 (1 + θ)
 * (MASS stops at 1.2e-4, which is why results agree with MASS to ~1e-8 only), or until the
 * score is zero to working precision — |U| ≤ ε Σ|terms of U| — while the step, already below
 * 1e-6 (1 + θ), no longer halves: where the likelihood is flat in θ (rare claims: I(θ̂) ~ 1e-3
 * on thousands of rows) the rounding error of U divided by I exceeds 1e-12 θ, and Newton would
 * wander about θ̂ forever. SE = 1/√I(θ̂). Throws GlmError NOT_CONVERGED when θ does not settle within
 * `maxIterations` (typically: no overdispersion, θ → ∞, where each step still grows θ by about
 * half; use Poisson) or becomes non-finite.
 */
export function thetaMl(
  y: Float64Array, mu: Float64Array, w: Float64Array, table: ResponseTable, start?: number, maxIterations = 100,
): ThetaEstimate {
  const n = y.length;
  let sw = 0;
  if (start === undefined || !(start > 0) || !Number.isFinite(start)) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      const r = y[i] / mu[i] - 1;
      s += w[i] * r * r;
      sw += w[i];
    }
    start = sw / s;
  }
  let t = start;
  /** Score, information and Σ|terms of the score| (the scale of the score's rounding error). */
  const scoreInfo = (th: number): [number, number, number] => {
    let u = 0;
    let inf = 0;
    let mag = 0;
    const lt = Math.log(th);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const mt = mu[i] + th;
      const yt = y[i] + th;
      const lm = Math.log(mt);
      u += wi * (lt + 1 - lm - yt / mt);
      mag += Math.abs(wi) * (Math.abs(lt) + 1 + Math.abs(lm) + yt / mt);
      inf += wi * (-1 / th + 2 / mt - yt / (mt * mt));
    }
    const dg = digamma(th);
    const tg = trigamma(th);
    for (let j = 0; j < table.values.length; j++) {
      const v = table.values[j];
      if (v === 0) continue;
      const dv = digamma(th + v);
      u += table.weights[j] * (dv - dg);
      mag += Math.abs(table.weights[j]) * (Math.abs(dv) + Math.abs(dg));
      inf += table.weights[j] * (tg - trigamma(th + v));
    }
    return [u, inf, mag];
  };
  let prevDel = 0; // a warm start already at θ̂ (to working precision) is accepted as it is
  for (let it = 1; it <= maxIterations; it++) {
    t = Math.abs(t);
    const [u, inf, mag] = scoreInfo(t);
    const del = u / inf;
    if (inf > 0 && Math.abs(u) <= Number.EPSILON * mag && Math.abs(del) <= 1e-6 * (1 + t) && Math.abs(del) >= 0.5 * Math.abs(prevDel)) {
      // the score is zero to working precision and Newton no longer gains: further steps would
      // only follow rounding noise
      return { theta: t, stdError: 1 / Math.sqrt(inf), iterations: it };
    }
    prevDel = del;
    t += del;
    if (!Number.isFinite(t)) break;
    if (Math.abs(del) <= 1e-12 * (1 + Math.abs(t))) {
      if (!(t > 0)) break;
      const [, infFinal] = scoreInfo(t);
      return { theta: t, stdError: 1 / Math.sqrt(infFinal), iterations: it };
    }
  }
  throw new GlmError('NOT_CONVERGED', `theta.ml: θ did not converge (last value ${t}); the data may show no overdispersion — consider the Poisson family`, {
    iterations: maxIterations, theta: t,
  });
}
