/**
 * Small monomorphic loops over the rows shared by the design products and the IRLS start. Kept
 * as separate functions so that V8 optimises each once and reuses it across calls.
 */

/**
 * Grouped sum out[a] = Σ_{i: c_i = a} v_i (a < L; `out` has length ≥ L, overwritten), or
 * Σ w_i v_i when `w` is given. Four interleaved partial tables break the store-to-load
 * dependency between consecutive rows of the same level (factors with few levels would
 * otherwise serialise on one accumulator). Codes must lie in 0..L−1 (validated by the caller).
 */
export function levelSums(c: Int32Array, v: Float64Array, w: Float64Array | null, out: Float64Array, L: number): Float64Array {
  const t = new Float64Array(4 * L);
  const n = c.length;
  const L2 = 2 * L;
  const L3 = 3 * L;
  let i = 0;
  if (w) {
    for (; i + 3 < n; i += 4) {
      t[c[i]] += w[i] * v[i];
      t[L + c[i + 1]] += w[i + 1] * v[i + 1];
      t[L2 + c[i + 2]] += w[i + 2] * v[i + 2];
      t[L3 + c[i + 3]] += w[i + 3] * v[i + 3];
    }
    for (; i < n; i++) t[c[i]] += w[i] * v[i];
  } else {
    for (; i + 3 < n; i += 4) {
      t[c[i]] += v[i];
      t[L + c[i + 1]] += v[i + 1];
      t[L2 + c[i + 2]] += v[i + 2];
      t[L3 + c[i + 3]] += v[i + 3];
    }
    for (; i < n; i++) t[c[i]] += v[i];
  }
  for (let a = 0; a < L; a++) out[a] = t[a] + t[L + a] + t[L2 + a] + t[L3 + a];
  return out;
}
