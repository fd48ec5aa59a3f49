/**
 * Cholesky factorisation of the small symmetric p×p information matrix X'WX, with detection of
 * (near-)aliased columns, plus solve and inverse.
 */

/** Result of {@link cholesky}: lower factor L (row-major, A = L Lᵀ) and the aliased columns. */
export interface CholeskyResult {
  L: Float64Array;
  /** Columns j whose pivot A_jj − Σ L_jk² fell below `tol · A_jj` (linearly dependent on columns < j). */
  aliased: number[];
}

/**
 * Pivot-free Cholesky A = L Lᵀ of a symmetric positive (semi-)definite p×p matrix (row-major).
 * Column j is flagged as aliased when its pivot d_j = A_jj − Σ_{k<j} L_jk² is ≤ tol·A_jj (the
 * squared norm of the part of √W x_j orthogonal to the previous columns, relative to its own
 * squared norm — the Cholesky analogue of R's `qr(tol = 1e-7)` rank test, which works on norms,
 * hence the default tol 1e-10 on squares; rounding makes smaller values unreliable). An aliased
 * column is skipped (its row of L set to 0) so later columns are still tested.
 * Reference: Golub & Van Loan, Matrix Computations, §4.2.
 * Throws RangeError when A has the wrong size or contains non-finite values.
 */
export function cholesky(A: Float64Array, p: number, tol = 1e-10): CholeskyResult {
  if (A.length !== p * p) throw new RangeError(`cholesky: matrix of length ${A.length} is not ${p}×${p}`);
  const L = new Float64Array(p * p);
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) {
    const ajj = A[j * p + j];
    if (!Number.isFinite(ajj)) throw new RangeError(`cholesky: non-finite diagonal at ${j}`);
    let d = ajj;
    for (let k = 0; k < j; k++) d -= L[j * p + k] * L[j * p + k];
    if (!(ajj > 0) || d <= tol * ajj) {
      aliased.push(j);
      continue;
    }
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = s / ljj;
    }
  }
  return { L, aliased };
}

/** Solves L Lᵀ x = b for a full-rank factor from {@link cholesky}; returns x. */
export function choleskySolve(L: Float64Array, p: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * x[k];
    x[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/** Inverse A⁻¹ = L⁻ᵀ L⁻¹ (row-major p×p) from a full-rank Cholesky factor. */
export function choleskyInverse(L: Float64Array, p: number): Float64Array {
  // M = L^{-1}, lower triangular
  const M = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    M[j * p + j] = 1 / L[j * p + j];
    for (let i = j + 1; i < p; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * p + k] * M[k * p + j];
      M[i * p + j] = s / L[i * p + i];
    }
  }
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < p; k++) s += M[k * p + i] * M[k * p + j];
      inv[i * p + j] = s;
      inv[j * p + i] = s;
    }
  }
  return inv;
}
