/**
 * Seeded Monte Carlo simulation of the aggregate loss, a check on Panjer / FFT
 * (as R `actuar::aggregateDist("simulation")`, whose result is the empirical distribution).
 */
import { createRng } from '../random.ts';
import { makeAggregateDistribution, type AggregateDistribution } from './aggregate-distribution.ts';
import { resolveFrequency, sampleFrequency } from './frequency.ts';
import type { FrequencyModel, SamplingDistribution } from './types.ts';

export interface MonteCarloOptions {
  /** Number of simulated periods (≥ 1). */
  readonly simulations: number;
  /** Seed of the MT19937 stream (integer in [1, 2^32 − 1]); the same seed gives the same result. */
  readonly seed: number;
}

/**
 * Simulates S = X_1 + ... + X_N `simulations` times: N from the frequency model, each X by
 * `severity.sample(rng.uniform)`, all from one seeded stream ({@link createRng}). Returns the
 * empirical distribution: grid = distinct simulated totals, masses = relative frequencies, so
 * quantile / VaR is the smallest simulated total with empirical cdf ≥ p and TVaR the mean of the
 * totals above it.
 *
 * @throws RangeError when `simulations` is not a positive integer, the seed is invalid, or a
 *   sampled severity is not finite.
 */
export function monteCarloAggregate(
  severity: SamplingDistribution,
  frequency: FrequencyModel,
  options: MonteCarloOptions,
): AggregateDistribution {
  const { simulations, seed } = options;
  if (!(Number.isInteger(simulations) && simulations >= 1)) throw new RangeError(`simulations must be a positive integer, got ${simulations}`);
  const f = resolveFrequency(frequency);
  const rng = createRng(seed);
  const u01 = () => rng.uniform();
  const totals = new Float64Array(simulations);
  for (let s = 0; s < simulations; s++) {
    const n = sampleFrequency(f, rng);
    let total = 0;
    for (let j = 0; j < n; j++) {
      const x = severity.sample(u01);
      if (!Number.isFinite(x)) throw new RangeError(`severity sample is not finite (${x})`);
      total += x;
    }
    totals[s] = total;
  }
  totals.sort();
  let distinct = 0;
  for (let i = 0; i < simulations; i++) if (i === 0 || totals[i] !== totals[i - 1]) distinct++;
  const grid = new Float64Array(distinct);
  const probs = new Float64Array(distinct);
  let k = -1;
  for (let i = 0; i < simulations; i++) {
    if (i === 0 || totals[i] !== totals[i - 1]) grid[++k] = totals[i];
    probs[k] += 1;
  }
  for (let i = 0; i < distinct; i++) probs[i] /= simulations;
  return makeAggregateDistribution(grid, probs, null);
}
