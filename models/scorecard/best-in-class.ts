/**
 * The probability that each cell has the lowest true incident rate of its class, from
 * independent Gamma posteriors (docs/actuarial-method.md §10):
 *
 *   P(i best) = ∫ f_i(x) Π_{j≠i} S_j(x) dx,
 *
 * f_i the Gamma(a_i, b_i) density, S_j the survival function (upper regularized incomplete
 * gamma, models/statistics/incomplete-gamma.ts), computed on one grid of ln x for all cells
 * ({@link probabilityBest}). For two cells it equals the closed form
 * P(λ₁ < λ₂) = I_{b₁/(b₁+b₂)}(a₁, a₂) (b_iλ_i are standard gammas, and X/(X+Y) ~ Beta(a₁, a₂)),
 * {@link probabilityLower}; a seeded Monte Carlo version is {@link probabilityBestMonteCarlo}.
 */
import betainc from '@stdlib/math-base-special-betainc';
import { upperGammaRegularized } from '../statistics/incomplete-gamma.ts';
import gammaln from '@stdlib/math-base-special-gammaln';
import { gammaQuantile } from '../statistics/gamma-quantile.ts';
import { createRng } from '../random.ts';

export interface GammaPosterior {
  /** Shape a > 0. */
  readonly shape: number;
  /** Rate b > 0. */
  readonly rate: number;
}

const MIN_PANELS = 200;
const MAX_PANELS = 200_000;
const TAIL = 1e-12;

const checkAll = (ps: readonly GammaPosterior[]) => {
  for (const p of ps) {
    if (!(p.shape > 0 && Number.isFinite(p.shape) && p.rate > 0 && Number.isFinite(p.rate))) {
      throw new RangeError(`a gamma posterior needs shape > 0 and rate > 0, got shape ${p.shape}, rate ${p.rate}`);
    }
  }
};

/** Closed form P(λ₁ < λ₂) for independent λ_i ~ Gamma(a_i, b_i): I_{b₁/(b₁+b₂)}(a₁, a₂). */
export function probabilityLower(p1: GammaPosterior, p2: GammaPosterior): number {
  checkAll([p1, p2]);
  return betainc(p1.rate / (p1.rate + p2.rate), p1.shape, p2.shape);
}

/**
 * P(cell i has the lowest rate) for every cell, by numerical integration (module doc); sums to
 * 1 up to the quadrature error (< 1e-7 in the tests). One cell → [1].
 *
 * All cells share one grid on t = ln x spanning every posterior's central 1 − 2·10⁻¹² range,
 * with a step of at most 1/24 of the narrowest posterior's standard deviation of ln λ (≈ 1/√a).
 * On it the densities g_j(t) = f_j(eᵗ)·eᵗ are evaluated once; each survival S_j is their
 * cumulative integral from the top (Simpson on pairs of panels, the three-point partial formula
 * for the odd points), exact at the top end; then P(i) = ∫ g_i Π_{j≠i} S_j dt by Simpson. The
 * cost is O(k·M) for k cells and M grid points, not O(k²·M) incomplete-gamma evaluations.
 * @throws RangeError for an empty list or a shape or rate ≤ 0.
 */
export function probabilityBest(posteriors: readonly GammaPosterior[]): number[] {
  if (posteriors.length === 0) throw new RangeError('at least one posterior is needed');
  checkAll(posteriors);
  const k = posteriors.length;
  if (k === 1) return [1];
  let lo = Infinity;
  let hi = -Infinity;
  let narrowest = Infinity;
  for (const p of posteriors) {
    lo = Math.min(lo, Math.log(gammaQuantile(TAIL, p.shape, p.rate)));
    hi = Math.max(hi, Math.log(gammaQuantile(1 - TAIL, p.shape, p.rate)));
    narrowest = Math.min(narrowest, 1 / Math.sqrt(p.shape));
  }
  let m = Math.ceil(((hi - lo) / narrowest) * 24);
  m = Math.min(MAX_PANELS, Math.max(MIN_PANELS, m + (m % 2)));
  const h = (hi - lo) / m;
  const g: Float64Array[] = posteriors.map((p) => {
    const logNorm = p.shape * Math.log(p.rate) - gammaln(p.shape);
    const out = new Float64Array(m + 1);
    for (let i = 0; i <= m; i++) {
      const t = lo + i * h;
      out[i] = Math.exp(logNorm + p.shape * t - p.rate * Math.exp(t));
    }
    return out;
  });
  const S: Float64Array[] = posteriors.map((p, j) => {
    const gj = g[j];
    const out = new Float64Array(m + 1);
    out[m] = upperGammaRegularized(p.shape, p.rate * Math.exp(hi));
    for (let i = m; i >= 2; i -= 2) {
      // ∫ over [t_{i-2}, t_i] by Simpson; over [t_{i-1}, t_i] by the partial formula
      out[i - 1] = out[i] + (h / 12) * (5 * gj[i] + 8 * gj[i - 1] - gj[i - 2]);
      out[i - 2] = out[i] + (h / 3) * (gj[i - 2] + 4 * gj[i - 1] + gj[i]);
    }
    for (let i = 0; i <= m; i++) out[i] = Math.min(1, Math.max(0, out[i]));
    return out;
  });
  const result = new Array<number>(k).fill(0);
  const prefix = new Float64Array(k + 1);
  for (let i = 0; i <= m; i++) {
    const w = i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2;
    // Π_{j≠c} S_j(t_i) from prefix and suffix products (no division by a zero S_c)
    prefix[0] = 1;
    for (let j = 0; j < k; j++) prefix[j + 1] = prefix[j] * S[j][i];
    let suffix = 1;
    for (let c = k - 1; c >= 0; c--) {
      result[c] += w * g[c][i] * prefix[c] * suffix;
      suffix *= S[c][i];
    }
  }
  return result.map((r) => Math.min(1, Math.max(0, (r * h) / 3)));
}

/**
 * P(cell i has the lowest rate) by Monte Carlo: `draws` joint draws from the posteriors with
 * the seeded MT19937 stream of models/random.ts; ties go to the first. Standard error
 * ≤ 0.5/√draws.
 */
export function probabilityBestMonteCarlo(posteriors: readonly GammaPosterior[], draws = 100_000, seed = 20261203): number[] {
  if (posteriors.length === 0) throw new RangeError('at least one posterior is needed');
  checkAll(posteriors);
  const rng = createRng(seed);
  const wins = new Array<number>(posteriors.length).fill(0);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let min = Infinity;
    posteriors.forEach((p, i) => {
      const x = rng.gamma(p.shape, p.rate);
      if (x < min) { min = x; best = i; }
    });
    wins[best]++;
  }
  return wins.map((w) => w / draws);
}
