/**
 * The probability that each cell has the lowest true incident rate of its class, from
 * independent Gamma posteriors (docs/actuarial-method.md §10):
 *
 *   P(i best) = ∫ f_i(x) Π_{j≠i} S_j(x) dx,
 *
 * f_i the Gamma(a_i, b_i) density, S_j the survival function (upper regularized incomplete
 * gamma, models/statistics/incomplete-gamma.ts). The integral runs over the central 1 − 2·10⁻¹² of posterior i, on the log scale
 * (t = ln x), with composite Simpson on 600 panels. For two cells it equals the closed form
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

const PANELS = 600;
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
 * 1 up to the quadrature error (< 1e-6 in the tests). One cell → [1].
 * @throws RangeError for an empty list or a shape or rate ≤ 0.
 */
export function probabilityBest(posteriors: readonly GammaPosterior[]): number[] {
  if (posteriors.length === 0) throw new RangeError('at least one posterior is needed');
  checkAll(posteriors);
  if (posteriors.length === 1) return [1];
  return posteriors.map((pi, i) => {
    const lo = Math.log(gammaQuantile(TAIL, pi.shape, pi.rate));
    const hi = Math.log(gammaQuantile(1 - TAIL, pi.shape, pi.rate));
    const logNorm = pi.shape * Math.log(pi.rate) - gammaln(pi.shape);
    // on t = ln x, where the integrand f_i(x)·x·Π S_j(x) is smooth for every shape (also < 1)
    const f = (t: number) => {
      const x = Math.exp(t);
      let v = Math.exp(logNorm + pi.shape * t - pi.rate * x);
      for (let j = 0; j < posteriors.length && v > 0; j++) {
        if (j !== i) v *= upperGammaRegularized(posteriors[j].shape, posteriors[j].rate * x);
      }
      return v;
    };
    const h = (hi - lo) / PANELS;
    let sum = f(lo) + f(hi);
    for (let k = 1; k < PANELS; k++) sum += f(lo + k * h) * (k % 2 === 1 ? 4 : 2);
    return Math.min(1, Math.max(0, (sum * h) / 3));
  });
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
