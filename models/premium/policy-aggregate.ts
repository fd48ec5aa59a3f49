/**
 * The policy's aggregate payment distribution: every fleet line / coverage contributes an
 * independent compound sum of payments per loss; their sum is computed by FFT on one lattice.
 */
import { compoundFftSum, type CompoundComponent } from '../aggregate/fft.ts';
import { discretize } from '../aggregate/discretize.ts';
import type { AggregateDistribution } from '../aggregate/aggregate-distribution.ts';
import { logPgf, resolveFrequency } from '../aggregate/frequency.ts';
import type { DiscreteSeverity, FrequencyModel } from '../aggregate/types.ts';
import type { SeverityDistribution } from '../distributions/types.ts';
import { ladderStep } from './lattice-cache.ts';
import { paymentPerLoss, type PaymentPerLoss } from './payment-per-loss.ts';

/** Claim-count model of every line: Poisson, or negative binomial NB2 with size θ (variance μ + μ²/θ). */
export type PolicyFrequency = { readonly dist: 'poisson' } | { readonly dist: 'negative-binomial'; readonly theta: number };

export interface AggregateComponentInput {
  /** Coverage code: lines of different coverages are never grouped (optional). */
  readonly coverage?: string;
  readonly expectedClaims: number;
  readonly severity: SeverityDistribution;
  readonly deductible: number;
  readonly limit: number;
  /** Coinsurance share a ∈ (0, 1] of the payment per loss (default 1). */
  readonly coinsurance?: number;
  /**
   * Claim-count model of this line (e.g. its coverage's fitted frequency model); default the
   * policy's. Lines with different count models are never grouped.
   */
  readonly frequency?: PolicyFrequency;
}

export interface PolicyAggregateOptions {
  /**
   * Number of grid points of the result (integer ≥ 16, default 2^14). Fewer points were measured
   * and rejected as the default: on the bench request and its variations, 2^13 points move the
   * risk margin by up to 1.2e-3 and 2^12 by up to 4e-3 (relative; TVaR on a lattice moves by up to
   * one step h), above the 1e-3 accepted for a change of engine (bench/README.md "Quotes").
   */
  readonly gridPoints?: number;
  /**
   * Largest relative inflation ε of Var S that the lattice may cause (default 1e-3). The unbiased
   * method keeps E[Y] but spreads each payment over its two neighbouring lattice points, which
   * adds at most h²/4 to E[Y²] per claim, so at most Λh²/4 to Var S (Λ the expected claims). The
   * default number of points is doubled (up to MAX_GRID_POINTS) until Λh²/4 ≤ ε·Var S, i.e.
   * h ≤ 2√(ε·Var S/Λ); ignored when gridPoints is given. Why: a step comparable to the payments
   * put the risk margin of 3 × 100,000 robots (Poisson) 18 % too high at 2^14 points
   * (bench/README.md "Lattice").
   */
  readonly maxVarianceInflation?: number;
  /**
   * Zero padding of the FFT: the transforms run on padding × gridPoints points (power of two
   * ≥ 2, default 2; 4 before pricing engine 2026-11-23.2). Only mass of the aggregate beyond
   * padding·B wraps around onto the grid 0 … B, and the range rule leaves less than maxMassLost
   * beyond B (and the payments per loss are bounded, so the tail beyond 2B is lighter still):
   * 2× and 4× padding gave premiums equal to < 1e-10 (relative) on the bench requests.
   */
  readonly padding?: number;
  /** Severity tail probability left out when a line has no finite limit (default 1e-10). */
  readonly tailProbability?: number;
  /**
   * Largest acceptable mass beyond the grid (besides the severity tail left out on purpose); the
   * range is doubled until met (default 1e-9, at most 6 doublings).
   */
  readonly maxMassLost?: number;
  /**
   * Rungs per doubling K of the fixed ladder of lattice steps h = 2^(j/K) (models/premium/lattice-cache.ts):
   * the step from the range is rounded up to the ladder, and each group's discretised payment
   * per loss and its forward transform are cached across calls. 0 or absent: the step is the
   * range's own, nothing cached (the engine before 2026-11-29.2). Used by `coverageAggregate`.
   */
  readonly stepLadder?: number;
  /**
   * Lattice of each coverage's own aggregate S_c (its stand-alone risk and aggregate limit), used
   * by `coverageAggregate`: 'policy' (default; engines up to 2026-11-29.2) — the policy's n points;
   * 'own' — the same step h on the smallest n_c = 2^j ≤ n points that holds S_c (the policy's range
   * rule max(E[S_c] + 12 sd(S_c), max y_max) over the coverage's lines, doubled until the mass
   * beyond the grid is at most maxMassLost). Its transform is the policy's log-transform of S_c
   * taken at every (M/M_c)-th frequency: the DFT of size M at frequencies k·M/M_c is the DFT of size
   * M_c = padding·n_c of the masses folded modulo M_c, so no pgf is evaluated again, and only the
   * mass beyond padding·n_c·h (below maxMassLost) folds back. Needs n a power of two (else 'policy').
   */
  readonly coverageLattice?: 'policy' | 'own';
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

/**
 * Lines that share one payment per loss Y: the same coverage, the same severity object, the
 * same deductible and per-occurrence limit. Y is bounded, discretised and transformed once for
 * the whole group; only the claim counts differ by line.
 */
export interface LatticeGroup {
  /** Coverage code of the lines (undefined when the caller gives none). */
  readonly coverage: string | undefined;
  /** The severity object of the lines (key of the transform cache, lattice-cache.ts). */
  readonly severity: SeverityDistribution;
  readonly y: PaymentPerLoss;
  /** Bound of Y on the lattice: a · min(u, F_X⁻¹(1 − tailProbability) − d). */
  readonly yMax: number;
  /** E[Y²] from a provisional 4,096-point unbiased discretisation of Y on [0, y_max]. */
  readonly m2: number;
  /** Claim-count model of the group's lines. */
  readonly frequency: PolicyFrequency;
  /** Indices of the group's lines in the input, in input order. */
  readonly lines: readonly number[];
  /** Expected claim count of each of those lines. */
  readonly expectedClaims: readonly number[];
}

/** The lines of a policy made ready for a lattice, and the first range to try. */
export interface PolicyLatticePlan {
  readonly groups: readonly LatticeGroup[];
  readonly lineCount: number;
  readonly gridPoints: number;
  readonly padding: number;
  readonly maxMassLost: number;
  /** E[S] and sd(S) of the policy aggregate (from the provisional discretisations). */
  readonly mean: number;
  readonly sd: number;
  /** B = max(E[S] + 12·sd(S), max y_max), before any doubling. */
  readonly initialRange: number;
  /** Rungs per doubling of the step ladder (0: the range's own step), see {@link PolicyAggregateOptions.stepLadder}. */
  readonly stepLadder: number;
}

/** Largest number of times the range is doubled before giving up. */
export const MAX_RANGE_DOUBLINGS = 6;

/** Default number of lattice points of the policy aggregate (see {@link PolicyAggregateOptions}). */
export const DEFAULT_GRID_POINTS = 1 << 14;
/** Most lattice points the resolution rule may ask for (the FFT then runs on padding × this). */
export const MAX_GRID_POINTS = 1 << 20;
/** Default {@link PolicyAggregateOptions.maxVarianceInflation}. */
export const DEFAULT_MAX_VARIANCE_INFLATION = 1e-3;

/** Payment per loss, its bound and provisional E[Y²], memoised per severity object (they are pure functions of it). */
const preparedCache = new WeakMap<SeverityDistribution, Map<string, { y: PaymentPerLoss; yMax: number; m2: number }>>();

/**
 * Y = a · min(max(X − d, 0), u), its bound y_max = a · min(u, F_X⁻¹(1 − tail) − d) and E[Y²] from a
 * provisional 4,096-point unbiased discretisation on [0, y_max]. Deterministic in (X, d, u, tail),
 * so it is memoised per severity object (WeakMap: dropped with the object): callers that reuse
 * one object per fitted model pay for it once.
 */
function preparedPayment(severity: SeverityDistribution, deductible: number, limit: number, coinsurance: number, tail: number) {
  let byTerms = preparedCache.get(severity);
  if (!byTerms) preparedCache.set(severity, (byTerms = new Map()));
  const key = `${deductible}|${limit}|${coinsurance}|${tail}`;
  const hit = byTerms.get(key);
  if (hit) return hit;
  const y = paymentPerLoss(severity, deductible, limit, coinsurance);
  const q = severity.quantile(1 - tail) - deductible;
  let yMax = coinsurance * Math.min(limit, q);
  if (!(yMax > 0) || !Number.isFinite(yMax)) yMax = Number.isFinite(limit) ? y.maxPayment : coinsurance * Math.max(q, severity.mean());
  if (!(yMax > 0) || !Number.isFinite(yMax)) throw new RangeError('cannot bound the payment per loss of a line (check severity and limit)');
  const h0 = yMax / 4095;
  const pro = discretize(y, { method: 'unbiased', from: 0, to: yMax, step: h0 }).probabilities;
  let m2 = 0;
  for (let k = 1; k < pro.length; k++) m2 += (k * h0) ** 2 * pro[k];
  const out = { y, yMax, m2 };
  if (byTerms.size < 256) byTerms.set(key, out);
  return out;
}

const sameFrequency = (a: PolicyFrequency, b: PolicyFrequency) =>
  a.dist === b.dist && (a.dist === 'poisson' || a.theta === (b as { theta: number }).theta);

function checkFrequency(f: PolicyFrequency): void {
  if (f.dist === 'negative-binomial' && !(Number.isFinite(f.theta) && f.theta > 0)) {
    throw new RangeError(`negative binomial theta must be > 0, got ${f.theta}`);
  }
}

const isPowerOfTwo = (x: number) => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;

/**
 * Validates the lines and options, groups the lines that share a payment per loss, and chooses
 * the first range and the number of points of the lattice (see {@link policyAggregate} for the
 * rule).
 * @throws RangeError as {@link policyAggregate}.
 */
export function planPolicyLattice(
  lines: readonly AggregateComponentInput[],
  frequency: PolicyFrequency,
  options: PolicyAggregateOptions = {},
): PolicyLatticePlan {
  if (lines.length === 0) throw new RangeError('the policy needs at least one line');
  checkFrequency(frequency);
  const tail = options.tailProbability ?? 1e-10;
  const maxMassLost = options.maxMassLost ?? 1e-9;
  const padding = options.padding ?? 2;
  if (options.gridPoints !== undefined && !(Number.isInteger(options.gridPoints) && options.gridPoints >= 16)) {
    throw new RangeError(`gridPoints must be an integer >= 16, got ${options.gridPoints}`);
  }
  if (!(isPowerOfTwo(padding) && padding >= 2)) throw new RangeError(`padding must be a power of two >= 2, got ${padding}`);
  const groups: { coverage: string | undefined; severity: SeverityDistribution; frequency: PolicyFrequency; y: PaymentPerLoss; yMax: number; m2: number; lines: number[]; expectedClaims: number[] }[] = [];
  const bySeverity = new Map<SeverityDistribution, typeof groups>();
  lines.forEach((l, i) => {
    if (!(Number.isFinite(l.expectedClaims) && l.expectedClaims >= 0)) throw new RangeError(`expected claims must be finite and >= 0, got ${l.expectedClaims}`);
    const coverage = l.coverage;
    const freq = l.frequency ?? frequency;
    checkFrequency(freq);
    let candidates = bySeverity.get(l.severity);
    if (!candidates) bySeverity.set(l.severity, (candidates = []));
    const share = l.coinsurance ?? 1;
    const same = candidates.find((g) => g.coverage === coverage && sameFrequency(g.frequency, freq) && g.y.deductible === l.deductible && g.y.limit === l.limit && g.y.coinsurance === share);
    if (same) {
      same.lines.push(i);
      same.expectedClaims.push(l.expectedClaims);
      return;
    }
    const { y, yMax, m2 } = preparedPayment(l.severity, l.deductible, l.limit, share, tail);
    const g = { coverage, severity: l.severity, frequency: freq, y, yMax, m2, lines: [i], expectedClaims: [l.expectedClaims] };
    candidates.push(g);
    groups.push(g);
  });
  const byLine: LatticeGroup[] = new Array(lines.length);
  for (const g of groups) for (const i of g.lines) byLine[i] = g;
  let mean = 0;
  let variance = 0;
  let range = 0;
  lines.forEach((l, i) => {
    const g = byLine[i];
    const ey = g.y.mean;
    const n = l.expectedClaims;
    const varN = g.frequency.dist === 'poisson' ? n : n + (n * n) / g.frequency.theta;
    mean += n * ey;
    variance += n * Math.max(g.m2 - ey * ey, 0) + varN * ey * ey;
    range = Math.max(range, g.yMax);
  });
  const sd = Math.sqrt(variance);
  range = Math.max(range, mean + 12 * sd);
  const stepLadder = options.stepLadder ?? 0;
  if (!(Number.isInteger(stepLadder) && stepLadder >= 0)) throw new RangeError(`stepLadder must be an integer >= 0, got ${stepLadder}`);
  let gridPoints = options.gridPoints ?? DEFAULT_GRID_POINTS;
  if (options.gridPoints === undefined) {
    const eps = options.maxVarianceInflation ?? DEFAULT_MAX_VARIANCE_INFLATION;
    if (!(eps > 0 && Number.isFinite(eps))) throw new RangeError(`maxVarianceInflation must be > 0, got ${eps}`);
    const claims = lines.reduce((s, l) => s + l.expectedClaims, 0);
    const hMax = claims > 0 ? 2 * Math.sqrt((eps * variance) / claims) : Infinity;
    while (gridPoints < MAX_GRID_POINTS && ladderStep(range / (gridPoints - 1), stepLadder) > hMax) gridPoints *= 2;
  }
  return { groups, lineCount: lines.length, gridPoints, padding, maxMassLost, mean, sd, initialRange: range, stepLadder };
}

/** A group's payment per loss discretised on the lattice, with its lines' claim-count models. */
export interface LatticeGroupOnGrid {
  readonly group: LatticeGroup;
  readonly severity: DiscreteSeverity;
  readonly frequencies: readonly FrequencyModel[];
}

/**
 * The groups on the lattice 0, h, 2h, …: each group's payment per loss discretised with the
 * unbiased method from 0 to ⌈y_max/h⌉·h, with the claim-count model of each of its lines.
 */
export function latticeGroups(plan: PolicyLatticePlan, h: number): LatticeGroupOnGrid[] {
  return plan.groups.map((g) => ({
    group: g,
    severity: discretize(g.y, { method: 'unbiased', from: 0, to: Math.max(1, Math.ceil(g.yMax / h - 1e-9)) * h, step: h }),
    frequencies: g.expectedClaims.map((n) => frequencyFor(g.frequency, n)),
  }));
}

/** One compound component per line (the line's group severity and its own claim count), in input order. */
export function lineComponents(plan: PolicyLatticePlan, onGrid: readonly LatticeGroupOnGrid[]): CompoundComponent[] {
  const out: CompoundComponent[] = new Array(plan.lineCount);
  for (const g of onGrid) g.group.lines.forEach((i, k) => { out[i] = { severity: g.severity, frequency: g.frequencies[k] }; });
  return out;
}

/**
 * True when the lattice holds the aggregate: the mass it should hold, Π_lines P_N(Σ f_Y) (the
 * severity tail beyond y_max is left out on purpose), exceeds `totalMass` by at most maxMassLost.
 */
export function latticeHoldsAggregate(plan: PolicyLatticePlan, onGrid: readonly LatticeGroupOnGrid[], totalMass: number): boolean {
  let logExpected = 0;
  for (const g of onGrid) {
    let s = 0;
    for (const v of g.severity.probabilities) s += v;
    for (const f of g.frequencies) logExpected += logPgf(resolveFrequency(f), Math.min(s, 1));
  }
  return Math.exp(logExpected) - totalMass <= plan.maxMassLost;
}

/**
 * Aggregate payments S = Σ_lines Σ_{k ≤ N_line} Y_{line,k} of the policy, lines independent.
 *
 * Lattice: each line's payment per loss Y is bounded by y_max = min(u, F_X⁻¹(1 − tailProbability) − d);
 * a provisional 4,096-point discretisation of each Y gives E[Y²], hence
 * E[S] = Σ E[N]E[Y], Var S = Σ (E[N] Var Y + Var N · E[Y]²) (NB: Var N = μ + μ²/θ). The range
 * B = max(E[S] + 12·sd(S), max y_max) is covered by `gridPoints` points, step h = B/(gridPoints − 1);
 * by default the points are doubled (from 2^14, at most 2^20) until h ≤ 2√(ε Var S / Λ), the step at
 * which the lattice inflates Var S by at most ε (see `maxVarianceInflation`).
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
    const onGrid = latticeGroups(plan, h);
    const distribution = compoundFftSum(lineComponents(plan, onGrid), { length: gridPoints, padding: plan.padding });
    if (latticeHoldsAggregate(plan, onGrid, distribution.totalMass)) return { distribution, step: h, gridPoints };
  }
  throw new RangeError('the aggregate distribution does not fit on the grid (severity tail too heavy)');
}
