/**
 * A discrete aggregate-loss distribution (from Panjer recursion, FFT or simulation) with the
 * summaries actuar gives for an `aggregateDist` object: mean, quantiles / VaR, CTE (TVaR), plus
 * stop-loss premiums and the effect of an aggregate limit.
 */

export interface AggregateDistribution {
  /** Support points x_0 < x_1 < ... (the lattice i·step, or the distinct simulated values). */
  readonly grid: Float64Array;
  /** Mass at each grid point (not renormalised: see `massLost`). */
  readonly probabilities: Float64Array;
  /** Cumulative probabilities min(Σ_{j≤i} f_j, 1), as actuar's `pmin(cumsum(fs), 1)`. */
  readonly cdf: Float64Array;
  /** Lattice step, or null when the grid is not a lattice (simulation, capped distributions). */
  readonly step: number | null;
  /** Σ f_i. */
  readonly totalMass: number;
  /** 1 − Σ f_i: mass beyond the grid (truncation / severity tail left out). */
  readonly massLost: number;
  /** Σ x_i f_i (actuar `mean.aggregateDist`: crossprod(x, fs)). */
  readonly mean: number;
  /** Σ x_i² f_i − mean². */
  readonly variance: number;
  readonly sd: number;
  /** Smallest grid point with cdf ≥ p (actuar `quantile.aggregateDist`); the last point when none. */
  quantile(p: number): number;
  /** Value at risk: VaR_p = quantile(p). */
  VaR(p: number): number;
  /**
   * Tail value at risk as actuar's `CTE.aggregateDist`: E[S | S > VaR_p] =
   * Σ_{x_i > VaR_p} x_i f_i / Σ_{x_i > VaR_p} f_i; VaR_p itself when no mass lies above it.
   */
  TVaR(p: number): number;
  /**
   * Expected shortfall (Acerbi & Tasche 2002; Rockafellar & Uryasev 2002):
   * ES_p = VaR_p + E[(S − VaR_p)+] / (1 − p), the mean of the worst 1 − p of outcomes, an atom at
   * VaR_p counted for the part of it that lies in that tail. Equal to the CTE when S has no atom at
   * VaR_p; unlike the CTE it is coherent (subadditive) and continuous in the distribution, so it
   * cannot jump when an atom (a per-occurrence limit, an aggregate cap) moves across VaR_p.
   * For p = 1 it is the largest support point with mass. Masses are used as they are (massLost ignored).
   */
  expectedShortfall(p: number): number;
  /** Stop-loss premium E[(S − d)+] = Σ f_i max(x_i − d, 0). */
  stopLoss(d: number): number;
  /** Limited mean E[min(S, L)] = Σ f_i min(x_i, L) (expected payment under an aggregate limit L). */
  limitedMean(limit: number): number;
  /** Distribution of min(S, L): grid points below L kept, the mass at or above L moved to L. */
  capped(limit: number): AggregateDistribution;
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability level must lie in [0, 1], got ${p}`);
}

/**
 * Builds an {@link AggregateDistribution} from support points and masses.
 * Negative masses (FFT round-off) must be cleaned by the caller.
 * @throws RangeError when lengths differ, the grid is empty, not increasing, or masses are not finite.
 */
export function makeAggregateDistribution(
  grid: Float64Array,
  probabilities: Float64Array,
  step: number | null,
): AggregateDistribution {
  const n = grid.length;
  if (n === 0 || probabilities.length !== n) throw new RangeError('grid and probabilities must be non-empty and of equal length');
  const cdf = new Float64Array(n);
  // compensated cumulative sum (R's cumsum accumulates in long double)
  let s = 0;
  let c = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const f = probabilities[i];
    if (!Number.isFinite(f)) throw new RangeError(`probability at index ${i} is not finite`);
    if (i > 0 && !(grid[i] > grid[i - 1])) throw new RangeError('grid must be strictly increasing');
    const t = s + f;
    c += Math.abs(s) >= Math.abs(f) ? s - t + f : f - t + s;
    s = t;
    const v = s + c;
    cdf[i] = v > 1 ? 1 : v;
    mean += grid[i] * f;
  }
  const totalMass = s + c;
  let central = 0;
  for (let i = 0; i < n; i++) {
    const d = grid[i] - mean;
    central += probabilities[i] * d * d;
  }
  // Σ f x² − m² = Σ f (x − m)² + m² (1 − Σ f)
  const variance = central + mean * mean * (1 - totalMass);
  const quantile = (p: number): number => {
    checkProbability(p);
    let lo = 0;
    let hi = n - 1;
    if (cdf[hi] < p) return grid[hi];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] >= p) hi = mid;
      else lo = mid + 1;
    }
    return grid[lo];
  };
  const dist: AggregateDistribution = {
    grid,
    probabilities,
    cdf,
    step,
    totalMass,
    massLost: 1 - totalMass,
    mean,
    variance,
    sd: Math.sqrt(Math.max(variance, 0)),
    quantile,
    VaR: quantile,
    TVaR(p: number): number {
      const v = quantile(p);
      let num = 0;
      let den = 0;
      for (let i = n - 1; i >= 0 && grid[i] > v; i--) {
        num += grid[i] * probabilities[i];
        den += probabilities[i];
      }
      return den > 0 ? num / den : v;
    },
    expectedShortfall(p: number): number {
      checkProbability(p);
      const v = quantile(p);
      if (p === 1) return v;
      let excess = 0;
      for (let i = n - 1; i >= 0 && grid[i] > v; i--) excess += (grid[i] - v) * probabilities[i];
      return v + excess / (1 - p);
    },
    stopLoss(d: number): number {
      if (Number.isNaN(d)) throw new RangeError('retention d must be a number');
      let s2 = 0;
      for (let i = n - 1; i >= 0 && grid[i] > d; i--) s2 += (grid[i] - d) * probabilities[i];
      return s2;
    },
    limitedMean(limit: number): number {
      if (!(limit >= 0)) throw new RangeError(`aggregate limit must be >= 0, got ${limit}`);
      let s2 = 0;
      for (let i = 0; i < n; i++) s2 += (grid[i] < limit ? grid[i] : limit) * probabilities[i];
      return s2;
    },
    capped(limit: number): AggregateDistribution {
      if (!(limit >= 0)) throw new RangeError(`aggregate limit must be >= 0, got ${limit}`);
      let k = 0;
      while (k < n && grid[k] < limit) k++;
      if (k === n) return dist;
      const g = new Float64Array(k + 1);
      const f = new Float64Array(k + 1);
      g.set(grid.subarray(0, k));
      f.set(probabilities.subarray(0, k));
      let tail = 0;
      for (let i = k; i < n; i++) tail += probabilities[i];
      g[k] = limit;
      f[k] = tail;
      const onLattice = step !== null && Math.abs(limit / step - Math.round(limit / step)) < 1e-9 && grid[0] === 0;
      return makeAggregateDistribution(g, f, onLattice ? step : null);
    },
  };
  return dist;
}

/** Lattice 0, h, 2h, ..., (n − 1)h. */
export function lattice(n: number, step: number): Float64Array {
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = i * step;
  return g;
}
