/**
 * Sparse design of a log-link GLM with categorical factors (treatment contrasts) and numeric
 * covariates: one integer column index per row and factor instead of a dense indicator matrix.
 */
import { GlmError } from './errors.ts';
import { levelSums } from './kernels.ts';
import { naturalCompare } from './natural-sort.ts';
import type { EncodedFactor, FactorColumn, GlmLevelSummary } from './types.ts';

/** Description of one coefficient column. */
export interface DesignTerm {
  name: string;
  factor: string | null;
  level: string | null;
}

/**
 * Design matrix X in factored form. Column 0 is the intercept; then, per factor with at least
 * two levels, one column per non-base level; then one column per covariate.
 * Factor f is stored column-wise as level codes `codes[f]` (0..L_f−1) with `colOf[f][code]` the
 * column of that level (−1 for the base level). For every pair of factors f < g the combined
 * code `codes[f]·L_g + codes[g]` is kept in `pairCodes` so that the off-diagonal blocks of X'WX are
 * two-way tables of Σ W, accumulated in one sequential pass per pair.
 */
export interface SparseDesign {
  n: number;
  p: number;
  /** Number of factors that own columns. */
  F: number;
  codes: Int32Array[];
  nLevels: number[];
  colOf: Int32Array[];
  /** Pair (f, g), f < g, in the order (0,1), (0,2), …, (1,2), … */
  pairCodes: (Uint16Array | Int32Array)[];
  K: number;
  cov: Float64Array[];
  covCols: Int32Array;
  terms: DesignTerm[];
  baseLevels: Record<string, string>;
  levels: Record<string, GlmLevelSummary[]>;
  /** Levels whose response total is zero (for warnings). */
  zeroResponseLevels: { factor: string; level: string }[];
  /** Scratch buffer of length n reused by {@link crossprod}. */
  work?: Float64Array;
}

function isEncoded(c: FactorColumn): c is EncodedFactor {
  return typeof (c as EncodedFactor).levels === 'object' && (c as EncodedFactor).codes !== undefined;
}

/**
 * Encodes a factor column to 0-based codes over its level list (levels in order of first
 * appearance, or the declared levels when given). Throws GlmError INVALID_INPUT on length
 * mismatch, missing labels, codes out of range or undeclared levels.
 */
export function encodeFactor(name: string, col: FactorColumn, n: number, declared?: readonly string[]): { codes: Int32Array; labels: string[] } {
  if (isEncoded(col)) {
    const labels = col.levels.map(String);
    if (col.codes.length !== n) throw new GlmError('INVALID_INPUT', `factor ${name}: ${col.codes.length} codes for ${n} rows`, { field: name });
    const codes = Int32Array.from(col.codes);
    const L = labels.length;
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      if (c !== col.codes[i] || c < 0 || c >= L) {
        throw new GlmError('INVALID_INPUT', `factor ${name}: code ${col.codes[i]} at row ${i} is not an integer in 0..${L - 1}`, { field: name, row: i });
      }
    }
    if (declared) return recode(name, codes, labels, declared);
    return { codes, labels };
  }
  if (col.length !== n) throw new GlmError('INVALID_INPUT', `factor ${name}: ${col.length} values for ${n} rows`, { field: name });
  const map = new Map<string, number>();
  const labels: string[] = [];
  if (declared) for (const l of declared) if (!map.has(l)) { map.set(l, labels.length); labels.push(l); }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = col[i];
    if (v === undefined || v === null) throw new GlmError('INVALID_INPUT', `factor ${name}: missing level at row ${i}`, { field: name, row: i });
    const s = typeof v === 'string' ? v : String(v);
    let c = map.get(s);
    if (c === undefined) {
      if (declared) throw new GlmError('INVALID_INPUT', `factor ${name}: level "${s}" at row ${i} is not among the declared levels`, { field: name, row: i });
      c = labels.length;
      map.set(s, c);
      labels.push(s);
    }
    codes[i] = c;
  }
  return { codes, labels };
}

function recode(name: string, codes: Int32Array, labels: string[], declared: readonly string[]) {
  const pos = new Map(declared.map((l, j) => [l, j] as const));
  const to = labels.map((l) => {
    const j = pos.get(l);
    if (j === undefined) throw new GlmError('INVALID_INPUT', `factor ${name}: level "${l}" is not among the declared levels`, { field: name });
    return j;
  });
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = to[codes[i]];
  return { codes: out, labels: [...declared] };
}

/**
 * Builds the sparse design. Throws GlmError INVALID_INPUT (length mismatch, unknown base level,
 * non-finite covariate) or RANK_DEFICIENT (a level without rows of positive weight).
 * @param weights prior weights (length n, already validated ≥ 0)
 * @param exposure exposure per row or null (used for the default base level and the summaries)
 * @param response response per row (for the summaries)
 */
export function buildDesign(
  n: number,
  factors: Record<string, FactorColumn>,
  covariates: Record<string, ArrayLike<number>>,
  baseLevels: Record<string, string>,
  declaredLevels: Record<string, readonly string[]>,
  weights: Float64Array,
  exposure: Float64Array | null,
  response: Float64Array,
): SparseDesign {
  const terms: DesignTerm[] = [{ name: '(Intercept)', factor: null, level: null }];
  const usedBase: Record<string, string> = {};
  const levelsOut: Record<string, GlmLevelSummary[]> = {};
  const colMaps: Int32Array[] = [];
  const codeArrays: Int32Array[] = [];
  const emptyLevels: { factor: string; level: string }[] = [];
  const zeroResponseLevels: { factor: string; level: string }[] = [];
  for (const key of Object.keys(baseLevels)) {
    if (!(key in factors)) throw new GlmError('INVALID_INPUT', `baseLevels names unknown factor ${key}`, { field: key });
  }

  for (const [name, col] of Object.entries(factors)) {
    const { codes, labels } = encodeFactor(name, col, n, declaredLevels[name]);
    const L = labels.length;
    const rows = new Float64Array(L);
    const expo = new Float64Array(L);
    const resp = new Float64Array(L);
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (w === 0) continue;
      const c = codes[i];
      rows[c] += 1;
      expo[c] += exposure ? exposure[i] : w;
      resp[c] += w * response[i];
    }
    let base: number;
    if (baseLevels[name] !== undefined) {
      base = labels.indexOf(String(baseLevels[name]));
      if (base < 0) throw new GlmError('INVALID_INPUT', `base level "${baseLevels[name]}" of factor ${name} is not a level (levels: ${labels.join(', ')})`, { field: name });
    } else {
      base = 0;
      const score = exposure ? expo : rows;
      for (let j = 1; j < L; j++) {
        if (score[j] > score[base] || (score[j] === score[base] && naturalCompare(labels[j], labels[base]) < 0)) base = j;
      }
    }
    usedBase[name] = labels[base];
    const order = labels.map((_, j) => j).filter((j) => j !== base).sort((a, b) => naturalCompare(labels[a], labels[b]));
    const summaries: GlmLevelSummary[] = [{ level: labels[base], isBase: true, rows: rows[base], exposure: expo[base], response: resp[base] }];
    for (const j of order) summaries.push({ level: labels[j], isBase: false, rows: rows[j], exposure: expo[j], response: resp[j] });
    levelsOut[name] = summaries;
    for (const s of summaries) {
      if (s.rows === 0) emptyLevels.push({ factor: name, level: s.level });
      else if (s.response === 0) zeroResponseLevels.push({ factor: name, level: s.level });
    }
    if (L < 2) continue;
    const colOf = new Int32Array(L).fill(-1);
    for (const j of order) {
      colOf[j] = terms.length;
      terms.push({ name: name + labels[j], factor: name, level: labels[j] });
    }
    colMaps.push(colOf);
    codeArrays.push(codes);
  }
  if (emptyLevels.length > 0) {
    const aliased = emptyLevels.filter((e) => e.level !== usedBase[e.factor]).map((e) => e.factor + e.level);
    const baseEmpty = emptyLevels.filter((e) => e.level === usedBase[e.factor]);
    throw new GlmError(
      'RANK_DEFICIENT',
      `empty factor levels (no rows with positive weight): ${emptyLevels.map((e) => `${e.factor}=${e.level}`).join(', ')}` +
        (baseEmpty.length ? ' (including a base level: choose another base)' : ''),
      { aliased, emptyLevels },
    );
  }

  const F = colMaps.length;
  const nLevels = codeArrays.map((_, f) => colMaps[f].length);
  const pairCodes: (Uint16Array | Int32Array)[] = [];
  for (let f = 0; f < F; f++) {
    for (let g = f + 1; g < F; g++) {
      const Lg = nLevels[g];
      const size = nLevels[f] * Lg;
      const pc = size <= 65536 ? new Uint16Array(n) : new Int32Array(n);
      const cf = codeArrays[f];
      const cg = codeArrays[g];
      for (let i = 0; i < n; i++) pc[i] = cf[i] * Lg + cg[i];
      pairCodes.push(pc);
    }
  }

  const cov: Float64Array[] = [];
  const covCols: number[] = [];
  for (const [name, x] of Object.entries(covariates)) {
    if (x.length !== n) throw new GlmError('INVALID_INPUT', `covariate ${name}: ${x.length} values for ${n} rows`, { field: name });
    const a = Float64Array.from(x);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i])) throw new GlmError('INVALID_INPUT', `covariate ${name}: non-finite value at row ${i}`, { field: name, row: i });
    }
    covCols.push(terms.length);
    terms.push({ name, factor: name, level: null });
    cov.push(a);
  }
  return {
    n, p: terms.length, F, codes: codeArrays, nLevels, colOf: colMaps, pairCodes, K: cov.length, cov, covCols: Int32Array.from(covCols), terms,
    baseLevels: usedBase, levels: levelsOut, zeroResponseLevels,
  };
}

/**
 * Two-way table t[code] = Σ_{i: pc_i = code} W_i. Four interleaved partial tables break the
 * load-store dependency between consecutive rows that fall in the same cell (≈1.6× faster).
 */
function pairTable(pc: Uint16Array | Int32Array, size: number, W: Float64Array, n: number): Float64Array {
  const t = new Float64Array(4 * size);
  const s2 = 2 * size;
  const s3 = 3 * size;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    t[pc[i]] += W[i];
    t[size + pc[i + 1]] += W[i + 1];
    t[s2 + pc[i + 2]] += W[i + 2];
    t[s3 + pc[i + 3]] += W[i + 3];
  }
  for (; i < n; i++) t[pc[i]] += W[i];
  for (let j = 0; j < size; j++) t[j] += t[size + j] + t[s2 + j] + t[s3 + j];
  return t;
}

/**
 * Computes X'WX (p×p, row-major, into `A`) and X'Wz (into `b`) from the factored design: one-way
 * tables Σ W and Σ Wz per factor level, two-way tables Σ W per pair of factors (sequential passes
 * over the pair codes), and per-row products only for covariates. O(n (F + F²/2 + K(F + K))).
 */
export function crossprod(d: SparseDesign, W: Float64Array, z: Float64Array, A: Float64Array, b: Float64Array): void {
  const { n, p, F, codes, nLevels, colOf, pairCodes, K, cov, covCols } = d;
  A.fill(0);
  b.fill(0);
  if (!d.work || d.work.length !== n) d.work = new Float64Array(n);
  const wz = d.work;
  let sw = 0;
  let swz = 0;
  for (let i = 0; i < n; i++) {
    const v = W[i] * z[i];
    wz[i] = v;
    sw += W[i];
    swz += v;
  }
  A[0] = sw;
  b[0] = swz;
  for (let f = 0; f < F; f++) {
    const L = nLevels[f];
    const tw = levelSums(codes[f], W, null, new Float64Array(L), L);
    const twz = levelSums(codes[f], wz, null, new Float64Array(L), L);
    const co = colOf[f];
    for (let a = 0; a < L; a++) {
      const j = co[a];
      if (j < 0) continue;
      A[j] = tw[a];
      A[j * p + j] = tw[a];
      b[j] = twz[a];
    }
  }
  let pi = 0;
  for (let f = 0; f < F; f++) {
    for (let g = f + 1; g < F; g++) {
      const Lg = nLevels[g];
      const t = pairTable(pairCodes[pi++], nLevels[f] * Lg, W, n);
      const cf = colOf[f];
      const cg = colOf[g];
      for (let a = 0; a < nLevels[f]; a++) {
        const ja = cf[a];
        if (ja < 0) continue;
        for (let bb = 0; bb < Lg; bb++) {
          const jb = cg[bb];
          if (jb >= 0) A[ja * p + jb] = t[a * Lg + bb];
        }
      }
    }
  }
  for (let k = 0; k < K; k++) {
    const ck = covCols[k];
    const x = cov[k];
    let s0 = 0;
    let sz = 0;
    for (let i = 0; i < n; i++) {
      s0 += W[i] * x[i];
      sz += wz[i] * x[i];
    }
    A[ck] = s0;
    b[ck] = sz;
    for (let f = 0; f < F; f++) {
      const t = new Float64Array(nLevels[f]);
      const c = codes[f];
      for (let i = 0; i < n; i++) t[c[i]] += W[i] * x[i];
      const co = colOf[f];
      for (let a = 0; a < nLevels[f]; a++) if (co[a] >= 0) A[co[a] * p + ck] = t[a];
    }
    for (let l = k; l < K; l++) {
      const xl = cov[l];
      let s = 0;
      for (let i = 0; i < n; i++) s += W[i] * x[i] * xl[i];
      A[ck * p + covCols[l]] = s;
    }
  }
  for (let r = 0; r < p; r++) for (let c = r + 1; c < p; c++) A[c * p + r] = A[r * p + c];
}

/**
 * Score-type product b = X'r (length p, into `b`) for a per-row vector r: Σ r for the intercept,
 * Σ_{i: f_i = a} r_i for each non-base level column, Σ r_i x_ik for each covariate. With
 * r = W (y − μ)/μ this is the log-link score U(β) used by the chord (fixed-information) steps of
 * {@link irls}. O(n (F + K)).
 */
export function crossprodVector(d: SparseDesign, r: Float64Array, b: Float64Array): void {
  const { n, F, codes, nLevels, colOf, K, cov, covCols } = d;
  b.fill(0);
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i];
  b[0] = s;
  for (let f = 0; f < F; f++) {
    const t = levelSums(codes[f], r, null, new Float64Array(nLevels[f]), nLevels[f]);
    const co = colOf[f];
    for (let a = 0; a < t.length; a++) if (co[a] >= 0) b[co[a]] = t[a];
  }
  for (let k = 0; k < K; k++) {
    const x = cov[k];
    let sk = 0;
    for (let i = 0; i < n; i++) sk += r[i] * x[i];
    b[covCols[k]] = sk;
  }
}

/** Linear predictor η = Xβ + offset for every row, written into `eta` (one pass per factor). */
export function linearPredictor(d: SparseDesign, beta: Float64Array, offset: Float64Array, eta: Float64Array): void {
  const { n, F, codes, nLevels, colOf, K, cov, covCols } = d;
  const b0 = beta[0];
  for (let i = 0; i < n; i++) eta[i] = b0 + offset[i];
  for (let f = 0; f < F; f++) {
    const bf = new Float64Array(nLevels[f]);
    const co = colOf[f];
    for (let a = 0; a < bf.length; a++) if (co[a] >= 0) bf[a] = beta[co[a]];
    const c = codes[f];
    for (let i = 0; i < n; i++) eta[i] += bf[c[i]];
  }
  for (let k = 0; k < K; k++) {
    const bk = beta[covCols[k]];
    const x = cov[k];
    for (let i = 0; i < n; i++) eta[i] += bk * x[i];
  }
}

/** Intercept-only design (for the null deviance). */
export function interceptOnly(n: number): SparseDesign {
  return {
    n, p: 1, F: 0, codes: [], nLevels: [], colOf: [], pairCodes: [], K: 0, cov: [], covCols: new Int32Array(0),
    terms: [{ name: '(Intercept)', factor: null, level: null }], baseLevels: {}, levels: {}, zeroResponseLevels: [],
  };
}
