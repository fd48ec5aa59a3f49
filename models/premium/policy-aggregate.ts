/**
 * The policy's aggregate payment distribution: every fleet line / coverage contributes an
 * independent compound sum of payments per loss; their sum is computed by FFT on one lattice.
 */
import { compoundFftSum, type CompoundComponent } from '../aggregate/fft.ts';
import { discretize } from '../aggregate/discretize.ts';
import type { AggregateDistribution } from '../aggregate/aggregate-distribution.ts';
import { logPgf, resolveFrequency } from '../aggregate/frequency.ts';
import type { FrequencyModel } from '../aggregate/types.ts';
import type { SeverityDistribution } from '../distributions/types.ts';
import { paymentPerLoss } from './payment-per-loss.ts';

/** Claim-count model of every line: Poisson, or negative binomial NB2 with size θ (variance μ + μ²/θ). */
export type PolicyFrequency = { readonly dist: 'poisson' } | { readonly dist: 'negative-binomial'; readonly theta: number };

export interface AggregateComponentInput {
  readonly expectedClaims: number;
  readonly severity: SeverityDistribution;
  readonly deductible: number;
  readonly limit: number;
}

export interface PolicyAggregateOptions {
  /** Number of grid points of the result (default 2^14); the FFT runs on 4× as many. */
  readonly gridPoints?: number;
  /** Severity tail probability left out when a line has no finite limit (default 1e-10). */
  readonly tailProbability?: number;
  /**
   * Largest acceptable mass beyond the grid (besides the severity tail left out on purpose); the
   * range is doubled until met (default 1e-9, at most 6 doublings).
   */
  readonly maxMassLost?: number;
}

/** The policy aggregate and how its lattice was chosen. */
export interface PolicyAggregate {
  readonly distribution: AggregateDistribution;
  readonly step: number;
  readonly gridPoints: number;
}

function frequencyFor(freq: PolicyFrequency, mean: number): FrequencyModel {
  if (freq.dist === 'poisson') return { dist: 'poisson', lambda: mean };
  return { dist: 'negative-binomial', size: freq.theta, mu: mean };
}

/**
 * Aggregate payments S = Σ_lines Σ_{k ≤ N_line} Y_{line,k} of the policy, lines independent.
 *
 * Lattice: each line's payment per loss Y is bounded by y_max = min(u, F_X⁻¹(1 − tailProbability) − d);
 * a provisional 4,096-point discretisation of each Y gives E[Y²], hence
 * E[S] = Σ E[N]E[Y], Var S = Σ (E[N] Var Y + Var N · E[Y]²) (NB: Var N = μ + μ²/θ). The range
 * B = max(E[S] + 12·sd(S), max y_max) is covered by `gridPoints` points, step h = B/(gridPoints − 1).
 * Each Y is discretised with the unbiased (mean-preserving) method from 0 to ⌈y_max/h⌉·h and the
 * lines are compounded together by FFT ({@link compoundFftSum}); if more than `maxMassLost` lies
 * beyond the grid, B is doubled and the computation repeated. Deterministic.
 *
 * @throws RangeError for invalid inputs (negative expected claims, θ ≤ 0, bad deductible / limit,
 *   no lines) or when the range cannot be made to hold the distribution.
 */
export function policyAggregate(
  lines: readonly AggregateComponentInput[],
  frequency: PolicyFrequency,
  options: PolicyAggregateOptions = {},
): PolicyAggregate {
  if (lines.length === 0) throw new RangeError('the policy needs at least one line');
  if (frequency.dist === 'negative-binomial' && !(Number.isFinite(frequency.theta) && frequency.theta > 0)) {
    throw new RangeError(`negative binomial theta must be > 0, got ${frequency.theta}`);
  }
  const gridPoints = options.gridPoints ?? 1 << 14;
  const tail = options.tailProbability ?? 1e-10;
  const maxMassLost = options.maxMassLost ?? 1e-9;
  if (!(Number.isInteger(gridPoints) && gridPoints >= 16)) throw new RangeError(`gridPoints must be an integer >= 16, got ${gridPoints}`);
  const prepared = lines.map((l) => {
    if (!(Number.isFinite(l.expectedClaims) && l.expectedClaims >= 0)) throw new RangeError(`expected claims must be finite and >= 0, got ${l.expectedClaims}`);
    const y = paymentPerLoss(l.severity, l.deductible, l.limit);
    const q = l.severity.quantile(1 - tail) - l.deductible;
    let yMax = Math.min(l.limit, q);
    if (!(yMax > 0) || !Number.isFinite(yMax)) yMax = Number.isFinite(l.limit) ? l.limit : Math.max(q, l.severity.mean());
    if (!(yMax > 0) || !Number.isFinite(yMax)) throw new RangeError('cannot bound the payment per loss of a line (check severity and limit)');
    const h0 = yMax / 4095;
    const pro = discretize(y, { method: 'unbiased', from: 0, to: yMax, step: h0 }).probabilities;
    let m2 = 0;
    for (let i = 1; i < pro.length; i++) m2 += (i * h0) ** 2 * pro[i];
    return { y, yMax, m2, expectedClaims: l.expectedClaims };
  });
  let mean = 0;
  let variance = 0;
  let range = 0;
  for (const p of prepared) {
    const ey = p.y.mean;
    const varN = frequency.dist === 'poisson' ? p.expectedClaims : p.expectedClaims + (p.expectedClaims * p.expectedClaims) / frequency.theta;
    mean += p.expectedClaims * ey;
    variance += p.expectedClaims * Math.max(p.m2 - ey * ey, 0) + varN * ey * ey;
    range = Math.max(range, p.yMax);
  }
  range = Math.max(range, mean + 12 * Math.sqrt(variance));
  for (let attempt = 0; attempt <= 6; attempt++, range *= 2) {
    const h = range / (gridPoints - 1);
    const components: CompoundComponent[] = prepared.map((p) => ({
      severity: discretize(p.y, { method: 'unbiased', from: 0, to: Math.max(1, Math.ceil(p.yMax / h - 1e-9)) * h, step: h }),
      frequency: frequencyFor(frequency, p.expectedClaims),
    }));
    const distribution = compoundFftSum(components, { length: gridPoints, padding: 4 });
    // mass the lattice should hold: Π P_N(Σ f_Y) (the severity tail beyond y_max is left out on purpose)
    let logExpected = 0;
    for (const c of components) {
      let s = 0;
      for (const v of c.severity.probabilities) s += v;
      logExpected += logPgf(resolveFrequency(c.frequency), Math.min(s, 1));
    }
    if (Math.exp(logExpected) - distribution.totalMass <= maxMassLost) return { distribution, step: h, gridPoints };
  }
  throw new RangeError('the aggregate distribution does not fit on the grid (severity tail too heavy)');
}
