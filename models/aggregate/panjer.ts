/**
 * Panjer recursion for the compound distribution S = X_1 + ... + X_N with N in the (a, b, 0)
 * class (optionally zero-modified) and X discretised on the lattice 0, h, 2h, ...
 * Reference: Panjer (1981), ASTIN Bulletin 12; Klugman, Panjer & Willmot, "Loss Models",
 * Thm 9.8; R `actuar::aggregateDist("recursive")` / `actuar::panjer`.
 */
import { lattice, makeAggregateDistribution, type AggregateDistribution } from './aggregate-distribution.ts';
import { logPgf, probZeroUnmodified, resolveFrequency, type ResolvedFrequency } from './frequency.ts';
import type { DiscreteSeverity, FrequencyModel } from './types.ts';

export interface PanjerOptions {
  /**
   * Stop once the cumulative probability reaches 1 − tol (default 1e-6, the default of
   * `actuar::aggregateDist`). Ignored when `length` is given.
   */
  readonly tol?: number;
  /** At most this many recursion steps, i.e. maxIter + 1 grid points (actuar `maxit`; default 1e6). */
  readonly maxIter?: number;
  /** Compute exactly this many grid points 0 … (length − 1)·h instead of stopping on `tol`. */
  readonly length?: number;
}

/** Values above this are rescaled during the recursion (large-λ mode). */
const RESCALE_AT = 1e200;
const LOG_RESCALE = Math.log(RESCALE_AT);

/**
 * Σ_{t=from}^{to−1} w[off + t]·f[t] with eight independent accumulators (instruction-level
 * parallelism; the summation order differs from a plain loop only by round-off).
 */
function dot(w: Float64Array, f: Float64Array, off: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  let t = from;
  for (; t + 7 < to; t += 8) {
    const j = off + t;
    s0 += w[j] * f[t];
    s1 += w[j + 1] * f[t + 1];
    s2 += w[j + 2] * f[t + 2];
    s3 += w[j + 3] * f[t + 3];
    s4 += w[j + 4] * f[t + 4];
    s5 += w[j + 5] * f[t + 5];
    s6 += w[j + 6] * f[t + 6];
    s7 += w[j + 7] * f[t + 7];
  }
  for (; t < to; t++) s0 += w[off + t] * f[t];
  return s0 + s1 + s2 + s3 + (s4 + s5 + s6 + s7);
}

/**
 * Core (a, b, 0) recursion f_S(x) = Σ_{k=1}^{min(x, m)} (a + b k/x) f_X(k) f_S(x − k) / (1 − a f_X(0)).
 *
 * Starts from log f_S(0) = log P_N(f_X(0)). When f_S(0) would underflow (log f_S(0) < −600)
 * the recursion runs on a scaled copy: it starts at 1, multiplies every value computed so far by
 * 1e-200 whenever one exceeds 1e200 (the recursion is linear and homogeneous, so a common factor
 * does not change it), and keeps the logarithm of the true-to-scaled factor; the stopping test and
 * the output use the true values. Values that are negligible next to the peak underflow to 0.
 */
function abZeroRecursion(
  fx: Float64Array,
  a: number,
  b: number,
  logFs0: number,
  stopAt: number,
  maxPoints: number,
  fixedLength: boolean,
): Float64Array {
  const upper = fx.length - 1;
  const norm = 1 - a * fx[0];
  // k·f_X(k) and f_X(k), k = 1..upper, reversed so that both inner-loop indices run forward:
  // rk[upper − k] = k f_X(k), rf[upper − k] = f_X(k).
  const rk = new Float64Array(upper);
  const rf = new Float64Array(upper);
  for (let k = 1; k <= upper; k++) {
    rk[upper - k] = k * fx[k];
    rf[upper - k] = fx[k];
  }
  const scaled = logFs0 < -600;
  let logScale = scaled ? logFs0 : 0; // true value = stored value · exp(logScale)
  let factor = scaled ? Math.exp(logScale) : 1;
  let size = fixedLength ? maxPoints : Math.min(maxPoints, 1024);
  let fs = new Float64Array(size);
  fs[0] = scaled ? 1 : Math.exp(logFs0);
  let cumul = fs[0];
  const bn = b / norm;
  const an = a / norm;
  let x = 1;
  while (x < maxPoints && (fixedLength || cumul * factor < stopAt)) {
    if (x >= size) {
      const bigger = new Float64Array(Math.min(2 * size, maxPoints));
      bigger.set(fs);
      fs = bigger;
      size = bigger.length;
    }
    const m = x < upper ? x : upper;
    // t runs over x − m … x − 1; the severity index k = x − t, reversed index upper − k = upper − x + t
    const off = upper - x;
    let v = (bn * dot(rk, fs, off, x - m, x)) / x;
    if (a !== 0) {
      v += an * dot(rf, fs, off, x - m, x);
      if (v < 0) v = 0; // binomial round-off
    }
    fs[x] = v;
    cumul += v;
    if (v > RESCALE_AT) {
      for (let i = 0; i <= x; i++) fs[i] /= RESCALE_AT;
      cumul /= RESCALE_AT;
      logScale += LOG_RESCALE;
      factor = Math.exp(logScale);
    }
    x++;
  }
  const out = fs.length === x ? fs : fs.slice(0, x);
  if (logScale !== 0) for (let i = 0; i < x; i++) out[i] *= factor;
  return out;
}

/**
 * Aggregate claim distribution by Panjer's recursion, on the severity's lattice 0, h, 2h, ...
 *
 * f_S(0) = P_N(f_X(0)); f_S(x) = [Σ_{k=1}^{x∧m} (a + b k/x) f_X(k) f_S(x − k)] / (1 − a f_X(0))
 * with (a, b) from {@link resolveFrequency}. A zero-modified N (p0 given) is computed as the
 * equivalent mixture f_M = p0·δ_0 + c·(f_S − P_N(0)·δ_0), c = (1 − p0)/(1 − P_N(0)), which equals
 * the (a, b, 1) recursion of actuar, with the stopping test rescaled so that it stops at the same
 * point (1 − F_M = c(1 − F_S)).
 *
 * Stops as actuar's C code: after the first x with cumulative probability ≥ 1 − tol, or after
 * `maxIter` steps (then `massLost` of the result says how much is missing). For large λ the
 * starting value e^{−λ(1 − f_X(0))} underflows; the recursion then runs scaled (see
 * `abZeroRecursion`), which actuar refuses ("Pr[S = 0] is numerically equal to 0").
 * Cost O(n·m) for n output points and m severity points.
 *
 * @throws RangeError when the severity lattice does not start at 0, has non-finite or negative
 *   masses, or options are invalid; Error for invalid frequency parameters (RangeError).
 */
export function panjer(severity: DiscreteSeverity, frequency: FrequencyModel, options: PanjerOptions = {}): AggregateDistribution {
  const fx = checkSeverity(severity);
  const f = resolveFrequency(frequency);
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 1_000_000;
  if (!(tol >= 0 && tol < 1)) throw new RangeError(`tol must lie in [0, 1), got ${tol}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new RangeError(`maxIter must be a positive integer, got ${maxIter}`);
  if (options.length !== undefined && !(Number.isInteger(options.length) && options.length >= 1)) {
    throw new RangeError(`length must be a positive integer, got ${options.length}`);
  }
  const fixed = options.length !== undefined;
  const maxPoints = fixed ? (options.length as number) : maxIter + 1;
  const fs = compoundRecursion(fx, f, 0.5 - tol + 0.5, maxPoints, fixed);
  return makeAggregateDistribution(lattice(fs.length, severity.step), fs, severity.step);
}

function compoundRecursion(fx: Float64Array, f: ResolvedFrequency, stopAt: number, maxPoints: number, fixed: boolean): Float64Array {
  const logFs0 = logPgf(f, fx[0]);
  if (f.p0 === undefined) return abZeroRecursion(fx, f.a, f.b, logFs0, stopAt, maxPoints, fixed);
  const P0 = probZeroUnmodified(f);
  if (f.p0 === 1 || P0 >= 1) {
    const out = new Float64Array(fixed ? maxPoints : 1);
    out[0] = 1;
    return out;
  }
  const c = (1 - f.p0) / (1 - P0);
  // 1 − F_M(x) = c (1 − F_S(x)): stop the unmodified recursion at F_S ≥ 1 − tol/c
  const tolM = 1 - stopAt;
  const stopS = c > 0 ? 1 - tolM / c : -Infinity;
  const fs = abZeroRecursion(fx, f.a, f.b, logFs0, stopS, maxPoints, fixed);
  // f_M(0) = p0 + (1 − p0)(P(f0) − P(0))/(1 − P(0)), with P(f0) − P(0) = P(0)·expm1(log P(f0) − log P(0))
  const fs0M = f.p0 + c * P0 * Math.expm1(logFs0 - logPgf(f, 0));
  for (let i = 1; i < fs.length; i++) fs[i] *= c;
  fs[0] = fs0M;
  return fs;
}

/**
 * Validates a discrete severity for compounding and returns its masses.
 * @throws RangeError when from ≠ 0, step is not positive, or a mass is negative / not finite.
 */
export function checkSeverity(severity: DiscreteSeverity): Float64Array {
  if (severity.from !== 0) throw new RangeError(`compounding needs a severity lattice starting at 0, got from = ${severity.from}`);
  if (!(severity.step > 0 && Number.isFinite(severity.step))) throw new RangeError(`severity step must be positive, got ${severity.step}`);
  const fx = severity.probabilities;
  if (fx.length < 1) throw new RangeError('severity has no mass points');
  for (let i = 0; i < fx.length; i++) {
    const v = fx[i];
    if (!Number.isFinite(v) || v < -1e-12) throw new RangeError(`severity mass at index ${i} is invalid (${v})`);
  }
  return fx;
}
