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
import { paymentPerLoss, type PaymentPerLoss } from './payment-per-loss.ts';

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

/** Frequency model of one line with the given expected claim count. */
export function frequencyFor(freq: PolicyFrequency, mean: number): FrequencyModel {
  if (freq.dist === 'poisson') return { dist: 'poisson', lambda: mean };
  return { dist: 'negative-binomial', size: freq.theta, mu: mean };
}

/** A line's payment per loss, its bound y_max and second moment, ready to be put on a lattice. */
interface PreparedLine {
  readonly y: PaymentPerLoss;
  readonly yMax: number;
  readonly m2: number;
  readonly expectedClaims: number;
}

/** The lines of a policy made ready for a lattice, and the first range to try. */
export interface PolicyLatticePlan {
  readonly lines: readonly PreparedLine[];
  readonly frequency: PolicyFrequency;
  readonly gridPoints: number;
  readonly maxMassLost: number;
  /** B = max(E[S] + 12·sd(S), max y_max), before any doubling. */
  readonly initialRange: number;
}

/** Largest number of times the range is doubled before giving up. */
export const MAX_RANGE_DOUBLINGS = 6;

/**
 * Validates the lines and options and chooses the first range of the lattice (see
 * {@link policyAggregate} for the rule).
 * @throws RangeError as {@link policyAggregate}.
 */
export function planPolicyLattice(
  lines: readonly AggregateComponentInput[],
  frequency: PolicyFrequency,
  options: PolicyAggregateOptions = {},
): PolicyLatticePlan {
  if (lines.length === 0) throw new RangeError('the policy needs at least one line');
  if (frequency.dist === 'negative-binomial' && !(Number.isFinite(frequency.theta) && frequency.theta > 0)) {
    throw new RangeError(`negative binomial theta must be > 0, got ${frequency.theta}`);
  }
  const gridPoints = options.gridPoints ?? 1 << 14;
  const tail = options.tailProbability ?? 1e-10;
  const maxMassLost = options.maxMassLost ?? 1e-9;
  if (!(Number.isInteger(gridPoints) && gridPoints >= 16)) throw new RangeError(`gridPoints must be an integer >= 16, got ${gridPoints}`);
  const prepared = lines.map((l): PreparedLine => {
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
  return { lines: prepared, frequency, gridPoints, maxMassLost, initialRange: range };
}

/**
 * The lines' compound components on the lattice 0, h, 2h, …: each payment per loss discretised
 * with the unbiased method from 0 to ⌈y_max/h⌉·h, with its claim-count model.
 */
export function latticeComponents(plan: PolicyLatticePlan, h: number): CompoundComponent[] {
  return plan.lines.map((p) => ({
    severity: discretize(p.y, { method: 'unbiased', from: 0, to: Math.max(1, Math.ceil(p.yMax / h - 1e-9)) * h, step: h }),
    frequency: frequencyFor(plan.frequency, p.expectedClaims),
  }));
}

/**
 * True when the lattice holds the aggregate: the mass it should hold, Π_lines P_N(Σ f_Y) (the
 * severity tail beyond y_max is left out on purpose), exceeds `totalMass` by at most maxMassLost.
 */
export function latticeHoldsAggregate(plan: PolicyLatticePlan, components: readonly CompoundComponent[], totalMass: number): boolean {
  let logExpected = 0;
  for (const c of components) {
    let s = 0;
    for (const v of c.severity.probabilities) s += v;
    logExpected += logPgf(resolveFrequency(c.frequency), Math.min(s, 1));
  }
  return Math.exp(logExpected) - totalMass <= plan.maxMassLost;
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
  const plan = planPolicyLattice(lines, frequency, options);
  const { gridPoints } = plan;
  let range = plan.initialRange;
  for (let attempt = 0; attempt <= MAX_RANGE_DOUBLINGS; attempt++, range *= 2) {
    const h = range / (gridPoints - 1);
    const components = latticeComponents(plan, h);
    const distribution = compoundFftSum(components, { length: gridPoints, padding: 4 });
    if (latticeHoldsAggregate(plan, components, distribution.totalMass)) return { distribution, step: h, gridPoints };
  }
  throw new RangeError('the aggregate distribution does not fit on the grid (severity tail too heavy)');
}
