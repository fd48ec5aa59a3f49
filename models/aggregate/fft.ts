/**
 * Aggregate claim distribution by the fast Fourier transform: the discrete Fourier transform of
 * the aggregate pmf is P_N(φ_X), P_N the frequency pgf and φ_X the transform of the discretised
 * severity. Several independent compound components (fleet lines) multiply their transforms.
 * Reference: Klugman, Panjer & Willmot, "Loss Models", §9.7 (fast Fourier transform);
 * Robertson (1992); Embrechts & Frei (2009), "Panjer recursion versus FFT", Math. Meth. Oper. Res.
 */
import FFT from 'fft.js';
import { lattice, makeAggregateDistribution, type AggregateDistribution } from './aggregate-distribution.ts';
import { frequencyMoments, pgfComplexInPlace, resolveFrequency } from './frequency.ts';
import { checkSeverity } from './panjer.ts';
import type { DiscreteSeverity, FrequencyModel } from './types.ts';

export interface CompoundComponent {
  readonly severity: DiscreteSeverity;
  readonly frequency: FrequencyModel;
}

export interface FftOptions {
  /**
   * Number of grid points returned (0 … (length − 1)·h). Default: the next power of two ≥
   * max(longest severity, (mean + 10·sd)/h + 1) of the aggregate, from the exact compound moments
   * E[S] = E[N]E[X], Var S = E[N]Var X + Var N·E[X]² of the discretised components.
   */
  readonly length?: number;
  /**
   * Zero-padding factor (power of two ≥ 2, default 4): the transform runs on
   * padding·length points, so that mass beyond the returned grid wraps around only from beyond
   * padding·length·h (aliasing); the result's `massLost` reports the mass beyond the returned grid.
   */
  readonly padding?: number;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Mean and variance of a lattice severity (masses not renormalised). */
function latticeMoments(fx: Float64Array, h: number): { m1: number; m2: number } {
  let m1 = 0;
  let m2 = 0;
  for (let i = 1; i < fx.length; i++) {
    const x = i * h;
    m1 += x * fx[i];
    m2 += x * x * fx[i];
  }
  return { m1, m2 };
}

/**
 * Distribution of S = S_1 + ... + S_J for independent compound components S_j (frequency N_j,
 * severity X_j on a common lattice 0, h, 2h, ...), by FFT:
 * f_S = IDFT( Π_j P_{N_j}( DFT(f_{X_j}) ) ), computed on M = padding·length points
 * (radix-4 FFT of `fft.js`) and truncated to `length` points. Round-off negatives (|v| ~ 1e-17)
 * are set to 0. Deterministic; cost O(J·M log M).
 *
 * @throws RangeError when there are no components, steps differ, a lattice does not start at 0,
 *   or options are invalid (frequency parameters as in {@link resolveFrequency}).
 */
export function compoundFftSum(components: readonly CompoundComponent[], options: FftOptions = {}): AggregateDistribution {
  if (components.length === 0) throw new RangeError('at least one compound component is needed');
  const h = components[0].severity.step;
  const resolved = components.map((c) => {
    const fx = checkSeverity(c.severity);
    if (Math.abs(c.severity.step - h) > 1e-12 * h) throw new RangeError('all severities must share the same lattice step');
    return { fx, f: resolveFrequency(c.frequency) };
  });
  const padding = options.padding ?? 4;
  if (!(Number.isInteger(padding) && padding >= 2 && (padding & (padding - 1)) === 0)) {
    throw new RangeError(`padding must be a power of two >= 2, got ${padding}`);
  }
  let length = options.length;
  if (length === undefined) {
    let mean = 0;
    let variance = 0;
    let longest = 1;
    for (const { fx, f } of resolved) {
      const { m1, m2 } = latticeMoments(fx, h);
      const n = frequencyMoments(f);
      mean += n.mean * m1;
      variance += n.mean * (m2 - m1 * m1) + n.variance * m1 * m1;
      longest = Math.max(longest, fx.length);
    }
    length = nextPow2(Math.max(longest, Math.ceil((mean + 10 * Math.sqrt(Math.max(variance, 0))) / h) + 1));
  }
  if (!(Number.isInteger(length) && length >= 1)) throw new RangeError(`length must be a positive integer, got ${length}`);
  const M = Math.max(4, nextPow2(length * padding));
  const fft = new FFT(M);
  const re = new Float64Array(M).fill(1);
  const im = new Float64Array(M);
  const input = new Float64Array(M);
  const spec = new Float64Array(2 * M);
  const cr = new Float64Array(M);
  const ci = new Float64Array(M);
  for (const { fx, f } of resolved) {
    input.fill(0);
    // severity mass beyond M·h would alias: fold it into the last point is wrong, so refuse
    if (fx.length > M) throw new RangeError(`severity lattice (${fx.length} points) longer than the transform (${M}); increase length`);
    input.set(fx);
    fft.realTransform(spec, input);
    fft.completeSpectrum(spec);
    for (let k = 0; k < M; k++) {
      cr[k] = spec[2 * k];
      ci[k] = spec[2 * k + 1];
    }
    pgfComplexInPlace(f, cr, ci);
    for (let k = 0; k < M; k++) {
      const r = re[k] * cr[k] - im[k] * ci[k];
      im[k] = re[k] * ci[k] + im[k] * cr[k];
      re[k] = r;
    }
  }
  for (let k = 0; k < M; k++) {
    spec[2 * k] = re[k];
    spec[2 * k + 1] = im[k];
  }
  const out = new Float64Array(2 * M);
  fft.inverseTransform(out, spec);
  const fs = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = out[2 * i];
    fs[i] = v > 0 ? v : 0;
  }
  return makeAggregateDistribution(lattice(length, h), fs, h);
}

/**
 * Compound distribution of one frequency / severity pair by FFT (see {@link compoundFftSum}).
 * fft.js's forward transform uses e^{−2πi jk/M}, so the product of transforms is the transform
 * of the convolution, and P_N applied pointwise gives Σ_n P(N = n) f_X^{*n}.
 * @throws RangeError as {@link compoundFftSum}.
 */
export function compoundFft(severity: DiscreteSeverity, frequency: FrequencyModel, options: FftOptions = {}): AggregateDistribution {
  return compoundFftSum([{ severity, frequency }], options);
}
