/**
 * The policy aggregate with per-coverage aggregate limits: every coverage c pays
 * min(S_c, L_c) of its own aggregate S_c, and the policy pays the sum over coverages
 * (docs/actuarial-method.md §6, aggregate limits).
 * Reference: Klugman, Panjer & Willmot, "Loss Models", §9.7 (FFT) and §8.4 / §9.3 (limited
 * expected values, stop-loss); the aggregate limit of a coverage is a limit on its annual
 * aggregate payments.
 */
import type { AggregateDistribution } from '../aggregate/aggregate-distribution.ts';
import {
  addGroupLogSpectrum,
  expLogHalfSpectrum,
  invertSpectrum,
  massHalfSpectrum,
  multiplyInto,
  severityHalfSpectrum,
  spectrumWorkspace,
  unitHalfSpectrum,
  zeroLogHalfSpectrum,
  type GroupCounts,
  type HalfSpectrum,
  type LogHalfSpectrum,
} from './compound-spectrum.ts';
import { ladderStep, latticeSeverity } from './lattice-cache.ts';
import { logPgf, resolveFrequency } from '../aggregate/frequency.ts';
import {
  frequencyFor,
  latticeGroups,
  type LatticeGroupOnGrid,
  latticeHoldsAggregate,
  MAX_RANGE_DOUBLINGS,
  planPolicyLattice,
  type AggregateComponentInput,
  type PolicyAggregateOptions,
  type PolicyFrequency,
} from './policy-aggregate.ts';

/** A line of the policy aggregate with its coverage code. */
export interface CoverageComponentInput extends AggregateComponentInput {
  readonly coverage: string;
}

/** One coverage's aggregate S_c and the effect of its aggregate limit L_c. */
export interface CoverageAggregate {
  /** Distribution of S_c on the policy lattice (no cap). */
  readonly distribution: AggregateDistribution;
  /** E[S_c] on the lattice. */
  readonly mean: number;
  /** E[min(S_c, L_c)] = Σ f_i min(x_i, L_c) on the lattice (E[S_c] without a limit). */
  readonly limitedMean: number;
  readonly aggregateLimit: number | null;
  /** True when the lattice puts mass above L_c (P(S_c > L_c) > 0). */
  readonly binds: boolean;
  /** E[min(S_c, L_c)] / E[S_c]; exactly 1 when the limit does not bind or there is none. */
  readonly factor: number;
  /**
   * Where the mass of S_c at and above L_c sits in the policy payment distribution: L_c itself
   * when the cap is exact (see {@link coverageAggregate}), else the first lattice point ≥ L_c;
   * null when the limit does not bind.
   */
  readonly cappedAt: number | null;
}

export interface CoverageCappedAggregate {
  /** S = Σ_c S_c without any cap (bit for bit the distribution of `policyAggregate`). */
  readonly uncapped: AggregateDistribution;
  /** Distribution of the policy's payments Σ_c min(S_c, L_c). */
  readonly payments: AggregateDistribution;
  /** Per coverage code, in the order the codes first appear among the lines. */
  readonly coverages: Readonly<Record<string, CoverageAggregate>>;
  /** True when every binding cap sits at L_c exactly in `payments` (no cap, or one coverage only). */
  readonly capsExact: boolean;
  readonly step: number;
  readonly gridPoints: number;
}

/** The masses of min(S, kh) on the lattice: f_i for i < k, Σ_{i ≥ k} f_i at k. */
function capOnLattice(f: Float64Array, k: number): Float64Array {
  const out = f.slice(0, k + 1);
  let tail = 0;
  for (let i = k; i < f.length; i++) tail += f[i];
  out[k] = tail;
  return out;
}

/**
 * Distribution of the policy's payments P = Σ_c min(S_c, L_c), the coverages' aggregates S_c
 * independent (their lines are), with S_c = Σ_{lines of c} Σ_{k ≤ N_line} Y_{line,k}.
 *
 * 1. Lattice and lines as {@link policyAggregate} (same range rule, step h, unbiased
 *    discretisation of every payment per loss, Poisson / NB(θ) counts per line, range doubled
 *    until the uncapped S holds on the grid), so without a binding limit nothing changes.
 * 2. Lines that share a payment per loss (same coverage, severity object, deductible and limit)
 *    form a group: its Y is discretised and transformed once (real FFT of size
 *    padding·gridPoints, padding 2 by default), and the group contributes Σ_lines log P_N(φ_Y)
 *    to the log-transform of S_c (`addGroupLogSpectrum`: Poisson counts add up to one compound
 *    Poisson; NB counts with the common θ multiply their pgfs). The transform of S is
 *    exp(Σ_c log T(S_c)); that of S_c is formed only for a coverage with an aggregate limit (and
 *    for the others lazily, when `distribution` is read). Inverse transforms are real inverses of
 *    half size; S is kept on `gridPoints` points. For a coverage without a limit in a policy of
 *    several coverages, `mean` = Σ_lines E[N]·E[Y on the lattice] (the discretised compound mean,
 *    which differs from the mean of the truncated lattice distribution by the mass beyond the
 *    grid, below maxMassLost). Same distribution as one transform per line multiplied together,
 *    to round-off (relative differences of premiums < 1e-10, bench/README.md "Quotes").
 * 3. Coverage c with a limit binds when its lattice distribution puts mass above L_c; then
 *    E[min(S_c, L_c)] = Σ f_i min(x_i, L_c) (exact on the lattice) and factor_c = E[min(S_c, L_c)]/E[S_c].
 * 4. The capped coverages are convolved by FFT (zero-padded as in 2: P ≤ S, whose mass
 *    beyond the grid is below maxMassLost, so nothing wraps around): the transform of P is
 *    exp(Σ_{c not binding} log T(S_c)) · Π_{c binding} T(min(S_c, k_c h)), with k_c = ⌈L_c/h⌉ — the mass
 *    at and above L_c moved to the first lattice point ≥ L_c. This is exact when L_c is a lattice
 *    point and conservative otherwise (the cap is raised by less than one step h, so P and its
 *    VaR / TVaR are over- rather than understated by < h per binding coverage); the pure premium
 *    uses the exact E[min(S_c, L_c)] of step 3 regardless. When every coverage binds, P ≤ Σ_c k_c h
 *    and the lattice of P stops there (beyond it the inverse transform holds round-off only).
 *    When the policy has a single coverage no convolution is needed and P = min(S_c, L_c)
 *    exactly (atom at L_c, as `capped`).
 *
 * Masses are not renormalised (`massLost` as in {@link policyAggregate}). Deterministic.
 *
 * @throws RangeError for the inputs {@link policyAggregate} rejects, an aggregate limit that is
 *   not > 0 (Infinity means none), or a limit for a coverage code no line has.
 */
export function coverageAggregate(
  lines: readonly CoverageComponentInput[],
  frequency: PolicyFrequency,
  aggregateLimits: Readonly<Record<string, number>> = {},
  options: PolicyAggregateOptions = {},
): CoverageCappedAggregate {
  const codes = [...new Set(lines.map((l) => l.coverage))];
  for (const [code, L] of Object.entries(aggregateLimits)) {
    if (!codes.includes(code)) throw new RangeError(`aggregate limit given for coverage "${code}", which no line has`);
    if (!(L > 0)) throw new RangeError(`aggregate limit of coverage "${code}" must be > 0 (Infinity for none), got ${L}`);
  }
  const plan = planPolicyLattice(lines, frequency, options);
  const n = plan.gridPoints;
  const M = plan.padding * n;
  let range = plan.initialRange;
  for (let attempt = 0; attempt <= MAX_RANGE_DOUBLINGS; attempt++, range *= 2) {
    const h = ladderStep(range / (n - 1), plan.stepLadder);
    const ws = spectrumWorkspace(Math.max(4, nextPow2(M)));
    // with a step ladder, each group's discretised Y and its transform come from the process cache
    const cached = plan.stepLadder > 0 ? plan.groups.map((g) => latticeSeverity(ws, g.y, g.severity, g.yMax, h)) : null;
    const onGrid: LatticeGroupOnGrid[] = cached
      ? plan.groups.map((g, i) => ({ group: g, severity: cached[i].severity, frequencies: g.expectedClaims.map((e) => frequencyFor(g.frequency, e)) }))
      : latticeGroups(plan, h);
    // log-transform of S_c per coverage: Σ over its groups of Σ_lines log P_N(φ_group)
    const logByCoverage = new Map<string, LogHalfSpectrum>(codes.map((c) => [c, zeroLogHalfSpectrum(ws.size)]));
    for (const [i, g] of onGrid.entries()) {
      const phi = cached ? cached[i].spectrum : severityHalfSpectrum(ws, g.severity);
      const f = g.group.frequency;
      const counts: GroupCounts = f.dist === 'poisson'
        ? { dist: 'poisson', lambdas: g.group.expectedClaims }
        : { dist: 'negative-binomial', theta: f.theta, means: g.group.expectedClaims };
      addGroupLogSpectrum(logByCoverage.get(g.group.coverage as string) as LogHalfSpectrum, phi, counts);
    }
    const limitOf = (c: string) => (Object.hasOwn(aggregateLimits, c) && Number.isFinite(aggregateLimits[c]) ? aggregateLimits[c] : null);
    // transforms needed: S (always) and S_c of every coverage with an aggregate limit
    const spectra = new Map<string, HalfSpectrum>();
    let all: HalfSpectrum;
    if (codes.length === 1) {
      all = expLogHalfSpectrum(logByCoverage.get(codes[0]) as LogHalfSpectrum);
    } else {
      all = expLogHalfSpectrum(sumLogSpectra(ws.size, codes.map((c) => logByCoverage.get(c) as LogHalfSpectrum)));
      if (options.coverageLattice !== 'own') for (const c of codes) if (limitOf(c) !== null) spectra.set(c, expLogHalfSpectrum(logByCoverage.get(c) as LogHalfSpectrum));
    }
    const uncapped = invertSpectrum(ws, all, n, h);
    if (!latticeHoldsAggregate(plan, onGrid, uncapped.totalMass)) continue;
    const ownLattice = options.coverageLattice === 'own' && ws.size === M;
    /** S_c from its log-transform: on the policy's n points, or on its own n_c ≤ n points (see `coverageLattice`). */
    const coverageDistribution = (c: string, log: LogHalfSpectrum, spectrum?: HalfSpectrum): AggregateDistribution => {
      if (!ownLattice) return invertSpectrum(ws, spectrum ?? expLogHalfSpectrum(log), n, h);
      const groups = onGrid.filter((g) => g.group.coverage === c);
      const expected = expectedMass(groups);
      // with an aggregate limit, the lattice reaches beyond it (as the policy's does) so that `binds` reads the same
      const L = limitOf(c);
      const range = Math.max(coverageRange(groups), L === null ? 0 : L + h);
      for (let nc = Math.max(8, Math.min(n, nextPow2(Math.ceil(range / h) + 1))); ; nc *= 2) {
        if (nc >= n) return invertSpectrum(ws, spectrum ?? expLogHalfSpectrum(log), n, h);
        const wsc = spectrumWorkspace(plan.padding * nc);
        const d = invertSpectrum(wsc, expLogHalfSpectrum(subsampleLog(log, M / wsc.size, wsc.size / 2 + 1)), nc, h);
        if (expected - d.totalMass <= plan.maxMassLost) return d;
      }
    };

    const entries: [string, CoverageAggregate][] = [];
    const binding: string[] = [];
    for (const c of codes) {
      const L = limitOf(c);
      if (codes.length > 1 && L === null) {
        // no limit: only the mean is needed; the distribution is inverted on first use
        const log = logByCoverage.get(c) as LogHalfSpectrum;
        let dist: AggregateDistribution | undefined;
        const mean = discretisedMean(onGrid.filter((g) => g.group.coverage === c), h);
        entries.push([c, {
          get distribution() { return (dist ??= coverageDistribution(c, log)); },
          mean, limitedMean: mean, aggregateLimit: null, binds: false, factor: 1, cappedAt: null,
        }]);
        continue;
      }
      const dist = codes.length > 1 ? coverageDistribution(c, logByCoverage.get(c) as LogHalfSpectrum, ownLattice ? undefined : spectra.get(c)) : uncapped;
      const binds = L !== null && dist.grid[dist.grid.length - 1] > L && dist.stopLoss(L) > 0;
      const limitedMean = L !== null ? dist.limitedMean(L) : dist.mean;
      const factor = binds && dist.mean > 0 ? limitedMean / dist.mean : 1;
      let cappedAt: number | null = null;
      if (binds) {
        binding.push(c);
        cappedAt = codes.length === 1 ? (L as number) : Math.ceil((L as number) / h - 1e-9) * h;
      }
      entries.push([c, { distribution: dist, mean: dist.mean, limitedMean, aggregateLimit: L, binds, factor, cappedAt }]);
    }
    const coverages: Record<string, CoverageAggregate> = Object.fromEntries(entries);
    let payments = uncapped;
    if (binding.length > 0 && codes.length === 1) payments = uncapped.capped(coverages[codes[0]].aggregateLimit as number);
    else if (binding.length > 0) {
      // T(P) = exp(Σ_{c not binding} log T(S_c)) · Π_{c binding} T(min(S_c, k_c h))
      const free = codes.filter((c) => !coverages[c].binds);
      const product = free.length ? expLogHalfSpectrum(sumLogSpectra(ws.size, free.map((c) => logByCoverage.get(c) as LogHalfSpectrum))) : unitHalfSpectrum(ws.size);
      let top = free.length * (n - 1); // largest lattice index P can reach
      for (const c of binding) {
        const cov = coverages[c];
        const k = Math.ceil((cov.aggregateLimit as number) / h - 1e-9);
        multiplyInto(product, massHalfSpectrum(ws, capOnLattice(cov.distribution.probabilities, k)));
        top += k;
      }
      // beyond Σ_c k_c only round-off remains (it would distort the TVaR): leave it out
      payments = invertSpectrum(ws, product, Math.min(n, top + 1), h);
    }
    return { uncapped, payments, coverages, capsExact: binding.length === 0 || codes.length === 1, step: h, gridPoints: n };
  }
  throw new RangeError('the aggregate distribution does not fit on the grid (severity tail too heavy)');
}

/** Σ of log-transforms (the log-transform of the sum of independent aggregates). */
function sumLogSpectra(size: number, parts: readonly LogHalfSpectrum[]): LogHalfSpectrum {
  const out = zeroLogHalfSpectrum(size);
  const lr = out.logModulus;
  const th = out.argument;
  const n = lr.length;
  for (const p of parts) {
    const pl = p.logModulus;
    const pa = p.argument;
    for (let k = 0; k < n; k++) {
      lr[k] += pl[k];
      th[k] += pa[k];
    }
  }
  return out;
}

/** E[S] of compound sums on the lattice: Σ_groups (Σ_lines E[N]) · Σ_j jh f_j (no truncation at the grid end). */
function discretisedMean(groups: readonly LatticeGroupOnGrid[], h: number): number {
  let mean = 0;
  for (const g of groups) {
    const f = g.severity.probabilities;
    let ey = 0;
    for (let j = 1; j < f.length; j++) ey += j * h * f[j];
    let claims = 0;
    for (const e of g.group.expectedClaims) claims += e;
    mean += claims * ey;
  }
  return mean;
}

/** The log-transform at every `stride`-th frequency, `length` values: the log-transform of size M/stride of the masses folded modulo M/stride. */
function subsampleLog(log: LogHalfSpectrum, stride: number, length: number): LogHalfSpectrum {
  const lm = new Float64Array(length);
  const arg = new Float64Array(length);
  for (let k = 0, j = 0; k < length; k++, j += stride) {
    lm[k] = log.logModulus[j];
    arg[k] = log.argument[j];
  }
  return { logModulus: lm, argument: arg };
}

/** max(E[S_c] + 12 sd(S_c), max y_max) over some groups: the policy's range rule (`planPolicyLattice`) for their aggregate. */
function coverageRange(groups: readonly LatticeGroupOnGrid[]): number {
  let mean = 0;
  let variance = 0;
  let range = 0;
  for (const { group: g } of groups) {
    const ey = g.y.mean;
    for (const n of g.expectedClaims) {
      const varN = g.frequency.dist === 'poisson' ? n : n + (n * n) / g.frequency.theta;
      mean += n * ey;
      variance += n * Math.max(g.m2 - ey * ey, 0) + varN * ey * ey;
    }
    range = Math.max(range, g.yMax);
  }
  return Math.max(range, mean + 12 * Math.sqrt(variance));
}

/** Mass the lattice should hold for some groups: Π_lines P_N(Σ f_Y) (as `latticeHoldsAggregate`). */
function expectedMass(groups: readonly LatticeGroupOnGrid[]): number {
  let logExpected = 0;
  for (const g of groups) {
    let s = 0;
    for (const v of g.severity.probabilities) s += v;
    for (const f of g.frequencies) logExpected += logPgf(resolveFrequency(f), Math.min(s, 1));
  }
  return Math.exp(logExpected);
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}
