/**
 * Discrete Fourier transforms of compound distributions on a common lattice, kept in the
 * transform domain so that groups of lines (coverages) can be multiplied together in any
 * grouping and inverted separately. The arithmetic is that of `compoundFftSum`
 * (models/aggregate/fft.ts) — same transform, same pgf, same complex products in the same
 * order — so the product over all lines inverts to the same distribution, bit for bit.
 * Only the non-negative frequencies k = 0 … M/2 are stored: the masses are real, so the
 * transform is conjugate-symmetric, X_{M−k} = conj(X_k), and is completed before inversion.
 * Reference: Klugman, Panjer & Willmot, "Loss Models", §9.7; Embrechts & Frei (2009).
 */
import FFT from 'fft.js';
import { lattice, makeAggregateDistribution, type AggregateDistribution } from '../aggregate/aggregate-distribution.ts';
import { pgfComplexInPlace, resolveFrequency } from '../aggregate/frequency.ts';
import { checkSeverity } from '../aggregate/panjer.ts';
import type { DiscreteSeverity, FrequencyModel } from '../aggregate/types.ts';

/** Half spectrum (k = 0 … M/2) of a distribution on the lattice 0, h, …, (M − 1)h. */
export interface HalfSpectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** A transform of size M (power of two ≥ 4) with its work buffers. */
export interface SpectrumWorkspace {
  readonly size: number;
  readonly fft: FFT;
  /** Complex transform of size M/2 (real inverse transforms), null when M < 8. */
  readonly halfFft: FFT | null;
  /** cos(2πk/M) and sin(2πk/M), k = 0 … M/2 − 1 (real inverse transforms). */
  readonly cosTable: Float64Array;
  readonly sinTable: Float64Array;
  readonly input: Float64Array;
  readonly spec: Float64Array;
  readonly out: Float64Array;
}

const fftCache = new Map<number, FFT>();
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function fftOfSize(size: number): FFT {
  let fft = fftCache.get(size);
  if (!fft) {
    fft = new FFT(size);
    fftCache.set(size, fft);
  }
  return fft;
}

function twiddles(size: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(size);
  if (!t) {
    const cos = new Float64Array(size / 2);
    const sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / size);
      sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    t = { cos, sin };
    twiddleCache.set(size, t);
  }
  return t;
}

const workspaceCache = new Map<number, SpectrumWorkspace>();

/**
 * Work buffers for transforms of size M, memoised per size with the twiddle tables of `fft.js`
 * and of the real inverse transform (pure functions of M). The buffers are scratch space only:
 * every function of this module fills them and copies its result out within one synchronous
 * call, so sharing them between calls (and callers) is safe and saves allocating (and
 * garbage-collecting) 5·M doubles per aggregate.
 * @throws RangeError when M is not a power of two ≥ 4.
 */
export function spectrumWorkspace(size: number): SpectrumWorkspace {
  if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0)) throw new RangeError(`transform size must be a power of two >= 4, got ${size}`);
  let ws = workspaceCache.get(size);
  if (!ws) {
    const t = twiddles(size);
    ws = {
      size, fft: fftOfSize(size), halfFft: size >= 8 ? fftOfSize(size / 2) : null, cosTable: t.cos, sinTable: t.sin,
      input: new Float64Array(size), spec: new Float64Array(2 * size), out: new Float64Array(2 * size),
    };
    workspaceCache.set(size, ws);
  }
  return ws;
}

/** The transform Σ_j f_j e^{−2πi jk/M}, k = 0 … M/2, of masses f (zero-padded to M). */
function forwardHalf(ws: SpectrumWorkspace, masses: Float64Array): HalfSpectrum {
  const M = ws.size;
  if (masses.length > M) throw new RangeError(`lattice of ${masses.length} points longer than the transform (${M})`);
  ws.input.fill(0);
  ws.input.set(masses);
  ws.fft.realTransform(ws.spec, ws.input);
  const half = M / 2 + 1;
  const re = new Float64Array(half);
  const im = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    re[k] = ws.spec[2 * k];
    im[k] = ws.spec[2 * k + 1];
  }
  return { re, im };
}

/**
 * Half spectrum of a compound sum S = Y_1 + … + Y_N: P_N(φ_Y(k)), φ_Y the transform of the
 * discretised payment Y (lattice from 0) and P_N the pgf of the claim count (`pgfComplexInPlace`).
 * @throws RangeError for a severity lattice not starting at 0, invalid masses, invalid frequency
 *   parameters, or a severity longer than the transform.
 */
export function compoundHalfSpectrum(ws: SpectrumWorkspace, severity: DiscreteSeverity, frequency: FrequencyModel): HalfSpectrum {
  const fx = checkSeverity(severity);
  const f = resolveFrequency(frequency);
  const s = forwardHalf(ws, fx);
  pgfComplexInPlace(f, s.re, s.im);
  return s;
}

/** Half spectrum of a distribution given by its masses on the lattice (no compounding). */
export function massHalfSpectrum(ws: SpectrumWorkspace, masses: Float64Array): HalfSpectrum {
  return forwardHalf(ws, masses);
}

/** The spectrum of a sure 0 (the unit of the product): 1 at every frequency. */
export function unitHalfSpectrum(size: number): HalfSpectrum {
  const re = new Float64Array(size / 2 + 1).fill(1);
  return { re, im: new Float64Array(size / 2 + 1) };
}

/** acc ← acc · s (pointwise complex product: the transform of the convolution). */
export function multiplyInto(acc: HalfSpectrum, s: HalfSpectrum): void {
  const { re, im } = acc;
  const cr = s.re;
  const ci = s.im;
  for (let k = 0; k < re.length; k++) {
    const r = re[k] * cr[k] - im[k] * ci[k];
    im[k] = re[k] * ci[k] + im[k] * cr[k];
    re[k] = r;
  }
}

/**
 * Inverts a half spectrum X_k, k = 0 … M/2, of real masses x_0 … x_{M−1} and keeps the first
 * `length` masses (round-off negatives set to 0), as an aggregate distribution on the lattice
 * 0, h, …, (length − 1)h.
 *
 * Real inverse by one complex transform of half the size (Press et al., "Numerical Recipes",
 * §12.3): with E_k = (X_k + conj X_{M/2−k})/2 and O_k = (X_k − conj X_{M/2−k}) e^{2πik/M}/2, the
 * transforms of the even and odd masses, z = IDFT_{M/2}(E + iO) gives x_{2n} = Re z_n and
 * x_{2n+1} = Im z_n. Same result as completing the spectrum by conjugate symmetry and running a
 * complex inverse transform of size M (to round-off), at less than half the cost.
 * @throws RangeError when length is not in 1 … M.
 */
export function invertSpectrum(ws: SpectrumWorkspace, s: HalfSpectrum, length: number, step: number): AggregateDistribution {
  const M = ws.size;
  if (!(Number.isInteger(length) && length >= 1 && length <= M)) throw new RangeError(`length must lie in 1 … ${M}, got ${length}`);
  const fs = new Float64Array(length);
  const spec = ws.spec;
  const out = ws.out;
  const half = M / 2;
  const { re, im } = s;
  if (ws.halfFft === null) {
    // M = 4: complete the spectrum and run the complex inverse transform
    for (let k = 0; k <= half; k++) {
      spec[2 * k] = re[k];
      spec[2 * k + 1] = im[k];
    }
    for (let k = 1; k < half; k++) {
      spec[2 * (M - k)] = re[k];
      spec[2 * (M - k) + 1] = -im[k];
    }
    ws.fft.inverseTransform(out, spec);
    for (let i = 0; i < length; i++) {
      const v = out[2 * i];
      fs[i] = v > 0 ? v : 0;
    }
  } else {
    const c = ws.cosTable;
    const sn = ws.sinTable;
    for (let k = 0; k < half; k++) {
      const ar = re[k];
      const ai = im[k];
      const br = re[half - k];
      const bi = -im[half - k]; // conj X_{M/2−k}
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const or = dr * c[k] - di * sn[k];
      const oi = dr * sn[k] + di * c[k];
      spec[2 * k] = er - oi; // E + iO
      spec[2 * k + 1] = ei + or;
    }
    ws.halfFft.inverseTransform(out.subarray(0, M), spec.subarray(0, M));
    for (let i = 0; i < length; i++) {
      const v = out[i]; // x_{2n} = out[2n], x_{2n+1} = out[2n + 1]
      fs[i] = v > 0 ? v : 0;
    }
  }
  return makeAggregateDistribution(lattice(length, step), fs, step);
}

/**
 * log P(t) of a transform in polar form, k = 0 … M/2: `logModulus` = log|P|, `argument` = arg P
 * (not reduced modulo 2π), so that products of transforms are sums (exp(a)·exp(b) = exp(a + b)
 * for complex a, b, whatever the branch of each logarithm).
 */
export interface LogHalfSpectrum {
  readonly logModulus: Float64Array;
  readonly argument: Float64Array;
}

/** log of the unit spectrum (all zeros). */
export function zeroLogHalfSpectrum(size: number): LogHalfSpectrum {
  return { logModulus: new Float64Array(size / 2 + 1), argument: new Float64Array(size / 2 + 1) };
}

/**
 * Claim counts of the lines of a group that share one severity: Poisson counts λ_i, or NB2
 * counts with a common size θ and means μ_i.
 */
export type GroupCounts =
  | { readonly dist: 'poisson'; readonly lambdas: readonly number[] }
  | { readonly dist: 'negative-binomial'; readonly theta: number; readonly means: readonly number[] };

/**
 * acc ← acc + Σ_i log P_{N_i}(φ): adds the log-transform of Σ_i (Σ_{k ≤ N_i} Y_{i,k}), lines
 * i independent with the same payment Y, whose transform φ = `phi` is computed once for the group.
 *
 * * Poisson: Σ_i λ_i(φ − 1) = Λ(φ − 1), Λ = Σ λ_i — the sum of compound Poissons with one
 *   severity is compound Poisson(Λ) ("Loss Models" Thm 9.7); no transcendental function at all.
 * * NB2 (size θ, mean μ_i, β_i = μ_i/θ): log P_i(φ) = −θ Log w_i, w_i = 1 + β_i(1 − φ), with the
 *   principal logarithm, as `pgfComplexInPlace`. Σ_i log P_i = −θ (log|W| + i·Σ_i arg w_i) with
 *   W = Π_i w_i, so one complex logarithm per group and frequency instead of one per line. Since
 *   Re w_i ≥ 1 (|φ| ≤ 1), every arg w_i lies in (−π/2, π/2) and all have the sign of −Im φ;
 *   Σ_i arg w_i is recovered from arg W by counting the crossings of the negative real axis while
 *   the product is formed (each factor turns it by less than π/2).
 *
 * Lines with no expected claims contribute 0. The result is turned into a spectrum once per
 * coverage by {@link expLogHalfSpectrum}, so a coverage of g groups costs one exp / cos / sin
 * per frequency instead of one per line.
 * @throws RangeError when a count parameter is negative or not finite, or θ ≤ 0.
 */
export function addGroupLogSpectrum(acc: LogHalfSpectrum, phi: HalfSpectrum, counts: GroupCounts): void {
  const lr = acc.logModulus;
  const th = acc.argument;
  const { re, im } = phi;
  const n = lr.length;
  if (counts.dist === 'poisson') {
    let lambda = 0;
    for (const l of counts.lambdas) {
      if (!(Number.isFinite(l) && l >= 0)) throw new RangeError(`poisson lambda must be finite and >= 0, got ${l}`);
      lambda += l;
    }
    if (lambda === 0) return;
    for (let k = 0; k < n; k++) {
      lr[k] += lambda * (re[k] - 1);
      th[k] += lambda * im[k];
    }
    return;
  }
  const theta = counts.theta;
  if (!(Number.isFinite(theta) && theta > 0)) throw new RangeError(`negative binomial size must be > 0, got ${theta}`);
  const betas: number[] = [];
  for (const mu of counts.means) {
    if (!(Number.isFinite(mu) && mu >= 0)) throw new RangeError(`negative binomial mean must be finite and >= 0, got ${mu}`);
    if (mu > 0) betas.push(mu / theta);
  }
  const m = betas.length;
  if (m === 0) return;
  const halfTheta = -0.5 * theta;
  const twoPi = 2 * Math.PI;
  for (let k = 0; k < n; k++) {
    const ur = 1 - re[k];
    const ui = -im[k];
    // W = Π_i w_i, w_i = 1 + β_i(1 − φ); arg W unwrapped across the negative real axis
    let pr = 1 + betas[0] * ur;
    let pi = betas[0] * ui;
    let wraps = 0;
    let logScale = 0;
    for (let i = 1; i < m; i++) {
      const wr = 1 + betas[i] * ur;
      const wi = betas[i] * ui;
      const nr = pr * wr - pi * wi;
      const ni = pr * wi + pi * wr;
      if (nr < 0) {
        if (pi >= 0 && ni < 0) wraps++;
        else if (pi < 0 && ni >= 0) wraps--;
      }
      pr = nr;
      pi = ni;
      if (Math.abs(pr) + Math.abs(pi) > 1e150) {
        pr *= 1e-150;
        pi *= 1e-150;
        logScale += 150 * Math.LN10;
      }
    }
    lr[k] += halfTheta * Math.log(pr * pr + pi * pi) - theta * logScale;
    th[k] -= theta * (Math.atan2(pi, pr) + twoPi * wraps);
  }
}

/** The spectrum exp(log P): P_k = e^{logModulus_k}(cos argument_k + i sin argument_k) (0 where e^{logModulus_k} underflows). */
export function expLogHalfSpectrum(s: LogHalfSpectrum): HalfSpectrum {
  const n = s.logModulus.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const lm = s.logModulus;
  const arg = s.argument;
  for (let k = 0; k < n; k++) {
    const l = lm[k];
    // e^l underflows to 0 below −745.2: the product is 0 whatever cos and sin are (left 0)
    if (l < -746) continue;
    const m = Math.exp(l);
    const a = arg[k];
    re[k] = m * Math.cos(a);
    im[k] = m * Math.sin(a);
  }
  return { re, im };
}

/** The transform of a discretised payment per loss (lattice from 0), k = 0 … M/2. */
export function severityHalfSpectrum(ws: SpectrumWorkspace, severity: DiscreteSeverity): HalfSpectrum {
  return forwardHalf(ws, checkSeverity(severity));
}
