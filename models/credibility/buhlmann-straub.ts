/**
 * Bühlmann–Straub credibility with the unbiased (method-of-moments) structure-parameter
 * estimators, as R `actuar::cm(~contract, data, ratios, weights)` (default method) and
 * `actuar::bstraub(..., heterogeneity = "unbiased")`.
 * Reference: Bühlmann & Gisler, "A Course in Credibility Theory" (2005), §4.4–4.8;
 * Klugman, Panjer & Willmot, "Loss Models", §18.5 (nonparametric estimation).
 */

export interface BuhlmannStraubInput {
  /** X_ij: ratio (e.g. average claim, loss per hour) of contract i in period j. NaN = missing. */
  readonly ratios: readonly (readonly number[])[];
  /**
   * w_ij: its weight (exposure). A cell is missing when its ratio is NaN (no exposure that period:
   * a deployment that started later, ended earlier or paused); a missing cell carries no weight,
   * so its weight must be NaN or 0. A zero weight also makes a cell missing, whatever its ratio.
   */
  readonly weights: readonly (readonly number[])[];
}

export interface BuhlmannStraubResult {
  /** Credibility-weighted collective mean X̄_Z = Σ Z_i X̄_i / Σ Z_i (X̄_w when a = 0). */
  readonly collectiveMean: number;
  /** Weighted individual means X̄_i = Σ_j w_ij X_ij / w_i (NaN for a contract without data). */
  readonly individualMeans: number[];
  /** Total weights w_i = Σ_j w_ij. */
  readonly weights: number[];
  /** Number of contracts with data (w_i > 0). */
  readonly contracts: number;
  /** Unbiased within-contract variance ŝ² = Σ_ij w_ij (X_ij − X̄_i)² / (n − I). */
  readonly withinVariance: number;
  /** Unbiased between-contract variance estimate â (may be negative, see `betweenVarianceUsed`). */
  readonly betweenVariance: number;
  /** max(â, 0): the value used for the credibility factors. */
  readonly betweenVarianceUsed: number;
  /** Credibility constant K = ŝ²/â (Infinity when â ≤ 0). */
  readonly credibilityConstant: number;
  /** Z_i = w_i / (w_i + ŝ²/â); 0 for every contract when â ≤ 0. */
  readonly credibilityFactors: number[];
  /** Credibility premiums P_i = X̄_Z + Z_i (X̄_i − X̄_Z). */
  readonly premiums: number[];
}

/** Whether cell (i, j) holds an observation; throws on cells that are neither valid nor missing. */
function cellPresent(ratio: number, weight: number, i: number, j: number): boolean {
  if (Number.isNaN(ratio)) {
    if (!Number.isNaN(weight) && weight !== 0) throw new RangeError(`contract ${i}, period ${j}: a missing ratio must carry no weight (NaN or 0)`);
    return false;
  }
  if (!Number.isFinite(ratio)) throw new RangeError(`contract ${i}, period ${j}: ratio is not finite`);
  if (!Number.isFinite(weight)) throw new RangeError(`contract ${i}, period ${j}: weight is not finite`);
  if (weight < 0) throw new RangeError(`contract ${i}, period ${j}: weight must be >= 0`);
  return weight > 0;
}

/**
 * Whether Bühlmann–Straub can be estimated on these data: at least two contracts with data and
 * at least one with more than one observed period (n − I > 0). Same cell rules as `buhlmannStraub`.
 */
export function buhlmannStraubEstimable(input: BuhlmannStraubInput): boolean {
  let contracts = 0;
  let extra = 0;
  input.ratios.forEach((r, i) => {
    const n = r.reduce((k, x, j) => k + (cellPresent(x, input.weights[i]?.[j] ?? NaN, i, j) ? 1 : 0), 0);
    if (n > 0) { contracts++; extra += n - 1; }
  });
  return contracts >= 2 && extra > 0;
}

/**
 * Bühlmann–Straub credibility estimates (unbiased estimators).
 *
 * With w_i = Σ_j w_ij, X̄_i = Σ_j w_ij X_ij / w_i, w = Σ_i w_i, X̄_w = Σ_i w_i X̄_i / w, I the
 * number of contracts with data and n the number of non-missing cells:
 *   ŝ² = Σ_i Σ_j w_ij (X_ij − X̄_i)² / (n − I),
 *   â  = w (Σ_i w_i (X̄_i − X̄_w)² − (I − 1) ŝ²) / (w² − Σ_i w_i²),
 *   Z_i = w_i / (w_i + ŝ²/â),  X̄_Z = Σ_i Z_i X̄_i / Σ_i Z_i,  P_i = X̄_Z + Z_i (X̄_i − X̄_Z).
 * Missing cells (NaN ratio, or zero weight) are left out of every sum and of n, as in
 * `actuar::cm` with NA cells (unbalanced panels). A contract without data gets
 * w_i = 0, Z_i = 0 and the collective premium. When â ≤ 0 (the observed heterogeneity is no
 * larger than the within variance explains) the between variance is set to 0: every Z_i = 0 and
 * every premium is the weighted collective mean X̄_w — exactly what actuar does.
 *
 * @throws RangeError when the shapes differ, fewer than two contracts have data, no contract has
 *   two periods (n − I = 0), a weight is negative or not finite, a missing ratio carries a
 *   positive weight, or a present ratio is not finite. `buhlmannStraubEstimable` tells beforehand
 *   whether the data allow an estimate.
 */
export function buhlmannStraub(input: BuhlmannStraubInput): BuhlmannStraubResult {
  const { ratios, weights } = input;
  const I = ratios.length;
  if (I < 2 || weights.length !== I) throw new RangeError('ratios and weights need the same number (>= 2) of contracts (rows)');
  const wi = new Array<number>(I).fill(0);
  const xi = new Array<number>(I).fill(NaN);
  let cells = 0;
  for (let i = 0; i < I; i++) {
    const r = ratios[i];
    const w = weights[i];
    if (r.length !== w.length) throw new RangeError(`contract ${i}: ratios and weights have different lengths`);
    let sw = 0;
    let swx = 0;
    for (let j = 0; j < r.length; j++) {
      if (!cellPresent(r[j], w[j], i, j)) continue;
      sw += w[j];
      swx += w[j] * r[j];
      cells++;
    }
    wi[i] = sw;
    if (sw > 0) xi[i] = swx / sw;
  }
  const withData = wi.map((w) => w > 0);
  const nContracts = withData.filter(Boolean).length;
  if (nContracts < 2) throw new RangeError('at least two contracts need data');
  if (cells - nContracts <= 0) throw new RangeError('at least one contract needs more than one period of experience');
  let wTot = 0;
  let wSq = 0;
  let xw = 0;
  for (let i = 0; i < I; i++) {
    if (!withData[i]) continue;
    wTot += wi[i];
    wSq += wi[i] * wi[i];
    xw += wi[i] * xi[i];
  }
  xw /= wTot;
  let within = 0;
  for (let i = 0; i < I; i++) {
    if (!withData[i]) continue;
    const r = ratios[i];
    const w = weights[i];
    for (let j = 0; j < r.length; j++) {
      if (Number.isNaN(r[j]) || w[j] === 0) continue;
      const d = r[j] - xi[i];
      within += w[j] * d * d;
    }
  }
  const s2 = within / (cells - nContracts);
  let between = 0;
  for (let i = 0; i < I; i++) {
    if (!withData[i]) continue;
    const d = xi[i] - xw;
    between += wi[i] * d * d;
  }
  const a = (wTot * (between - (nContracts - 1) * s2)) / (wTot * wTot - wSq);
  let Z: number[];
  let collective: number;
  if (a > 0) {
    Z = wi.map((w) => (w > 0 ? 1 / (1 + s2 / (w * a)) : 0));
    let sz = 0;
    let szx = 0;
    for (let i = 0; i < I; i++) {
      if (!withData[i]) continue;
      sz += Z[i];
      szx += Z[i] * xi[i];
    }
    collective = szx / sz;
  } else {
    Z = wi.map(() => 0);
    collective = xw;
  }
  return {
    collectiveMean: collective,
    individualMeans: xi,
    weights: wi,
    contracts: nContracts,
    withinVariance: s2,
    betweenVariance: a,
    betweenVarianceUsed: Math.max(a, 0),
    credibilityConstant: a > 0 ? s2 / a : Infinity,
    credibilityFactors: Z,
    premiums: xi.map((x, i) => (withData[i] ? collective + Z[i] * (x - collective) : collective)),
  };
}
