/**
 * Cell-level sufficient statistics for a Poisson frequency GLM with categorical factors.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { encodeFactor } from './design.ts';
import { GlmError } from './errors.ts';
import type { EncodedFactor, FactorColumn } from './types.ts';

export interface CellInput {
  /** Claim counts per row (≥ 0). */
  response: ArrayLike<number>;
  /** Exposure per row (> 0); default 1 per row. */
  exposure?: ArrayLike<number>;
  factors: Record<string, FactorColumn>;
}

/** One row per non-empty combination of factor levels. */
export interface CellAggregate {
  /** Σ response per cell. */
  response: Float64Array;
  /** Σ exposure per cell. */
  exposure: Float64Array;
  /** Level codes per cell, ready for {@link fitGlm}'s `factors`. */
  factors: Record<string, EncodedFactor>;
  /** Number of source rows per cell. */
  rows: Float64Array;
  /** The cell of each source row. */
  cellOf: Int32Array;
  nCells: number;
  /** logLik(rows) − logLik(cells) = Σ_i [y_i ln e_i − ln y_i!] − Σ_c [Y_c ln E_c − ln Y_c!]  (constant in β). */
  logLikConstant: number;
  /** deviance(rows) − deviance(cells) = 2 [Σ_i y_i ln(y_i/e_i) − Σ_c Y_c ln(Y_c/E_c)]  (constant in β; 0 ln 0 = 0). */
  devianceConstant: number;
}

/**
 * Aggregates rows into cells (all factor-level combinations present), summing counts and
 * exposures — the sufficient statistics of a Poisson log-link GLM whose predictors are all
 * categorical: for rows i in cell c with μ_i = λ_c e_i the log-likelihood is
 *   Σ_i [y_i ln(λ_c e_i) − λ_c e_i − ln y_i!] = Y_c ln λ_c − λ_c E_c + const,
 * so fitting `{ response: Y, exposure: E }` per cell gives exactly the row-level β̂ and standard
 * errors (McCullagh & Nelder 1989 §6.2; the "GROUP BY" path of docs/architecture.md §3). Deviance,
 * log-likelihood and AIC differ from row level by the constants returned here (row = cell +
 * constant; AIC_row = AIC_cell − 2·logLikConstant); Pearson χ² and df do not carry over (df_cells =
 * cells − p). Not valid for numeric covariates that vary within a cell, nor for NB/Gamma.
 * Throws GlmError INVALID_INPUT for empty input, length mismatch, negative or non-finite counts,
 * non-positive exposure.
 */
export function aggregateCells(input: CellInput): CellAggregate {
  const n = input.response.length;
  if (n === 0) throw new GlmError('INVALID_INPUT', 'response is empty', { field: 'response' });
  const y = input.response;
  const e = input.exposure;
  if (e && e.length !== n) throw new GlmError('INVALID_INPUT', `exposure: ${e.length} values for ${n} rows`, { field: 'exposure' });
  const names = Object.keys(input.factors);
  const enc = names.map((nm) => encodeFactor(nm, input.factors[nm], n));
  // mixed-radix key per row
  const strides: number[] = [];
  let size = 1;
  for (const f of enc) {
    strides.push(size);
    size *= Math.max(1, f.labels.length);
  }
  if (size > Number.MAX_SAFE_INTEGER) throw new GlmError('INVALID_INPUT', 'too many factor-level combinations', { field: 'factors' });
  const useTable = size <= Math.max(1 << 20, 4 * n);
  const table = useTable ? new Int32Array(size).fill(-1) : null;
  const map = useTable ? null : new Map<number, number>();
  const cellOf = new Int32Array(n);
  let nCells = 0;
  const firstRow: number[] = [];
  const F = enc.length;
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let f = 0; f < F; f++) key += enc[f].codes[i] * strides[f];
    let c = table ? table[key] : (map!.get(key) ?? -1);
    if (c < 0) {
      c = nCells++;
      firstRow.push(i);
      if (table) table[key] = c;
      else map!.set(key, c);
    }
    cellOf[i] = c;
  }
  const Y = new Float64Array(nCells);
  const E = new Float64Array(nCells);
  const rows = new Float64Array(nCells);
  let rowLl = 0;
  let rowDev = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const ei = e ? e[i] : 1;
    if (!(Number.isFinite(yi) && yi >= 0)) throw new GlmError('INVALID_INPUT', `response: count must be finite and ≥ 0 at row ${i} (got ${yi})`, { field: 'response', row: i });
    if (!(Number.isFinite(ei) && ei > 0)) throw new GlmError('INVALID_INPUT', `exposure must be finite and > 0 at row ${i} (got ${ei})`, { field: 'exposure', row: i });
    const c = cellOf[i];
    Y[c] += yi;
    E[c] += ei;
    rows[c] += 1;
    if (yi > 0) {
      const le = Math.log(ei);
      rowLl += yi * le - gammaln(yi + 1);
      rowDev += yi * (Math.log(yi) - le);
    }
  }
  let cellLl = 0;
  let cellDev = 0;
  for (let c = 0; c < nCells; c++) {
    if (Y[c] > 0) {
      const le = Math.log(E[c]);
      cellLl += Y[c] * le - gammaln(Y[c] + 1);
      cellDev += Y[c] * (Math.log(Y[c]) - le);
    }
  }
  const factors: Record<string, EncodedFactor> = {};
  names.forEach((nm, f) => {
    const codes = new Int32Array(nCells);
    for (let c = 0; c < nCells; c++) codes[c] = enc[f].codes[firstRow[c]];
    factors[nm] = { codes, levels: enc[f].labels };
  });
  return { response: Y, exposure: E, factors, rows, cellOf, nCells, logLikConstant: rowLl - cellLl, devianceConstant: 2 * (rowDev - cellDev) };
}
