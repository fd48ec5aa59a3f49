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
  readonly input: Float64Array;
  readonly spec: Float64Array;
  readonly out: Float64Array;
}

const fftCache = new Map<number, FFT>();

/**
 * Work buffers for transforms of size M. The twiddle tables of `fft.js` (pure functions of M)
 * are memoised per size; the buffers are fresh, so workspaces are never shared between calls.
 * @throws RangeError when M is not a power of two ≥ 4.
 */
export function spectrumWorkspace(size: number): SpectrumWorkspace {
  if (!(Number.isInteger(size) && size >= 4 && (size & (size - 1)) === 0)) throw new RangeError(`transform size must be a power of two >= 4, got ${size}`);
  let fft = fftCache.get(size);
  if (!fft) {
    fft = new FFT(size);
    fftCache.set(size, fft);
  }
  return { size, fft, input: new Float64Array(size), spec: new Float64Array(2 * size), out: new Float64Array(2 * size) };
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
 * Inverts a half spectrum: completes it by conjugate symmetry, runs the inverse transform and
 * keeps the first `length` masses (round-off negatives set to 0), as an aggregate distribution
 * on the lattice 0, h, …, (length − 1)h.
 * @throws RangeError when length is not in 1 … M.
 */
export function invertSpectrum(ws: SpectrumWorkspace, s: HalfSpectrum, length: number, step: number): AggregateDistribution {
  const M = ws.size;
  if (!(Number.isInteger(length) && length >= 1 && length <= M)) throw new RangeError(`length must lie in 1 … ${M}, got ${length}`);
  const spec = ws.spec;
  const half = M / 2;
  for (let k = 0; k <= half; k++) {
    spec[2 * k] = s.re[k];
    spec[2 * k + 1] = s.im[k];
  }
  for (let k = 1; k < half; k++) {
    spec[2 * (M - k)] = s.re[k];
    spec[2 * (M - k) + 1] = -s.im[k];
  }
  ws.fft.inverseTransform(ws.out, spec);
  const fs = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = ws.out[2 * i];
    fs[i] = v > 0 ? v : 0;
  }
  return makeAggregateDistribution(lattice(length, step), fs, step);
}
