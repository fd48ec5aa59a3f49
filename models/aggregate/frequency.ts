/**
 * Frequency models of the (a, b, 0) class: recursion parameters, probability generating
 * functions (real and complex), moments and sampling. Reference: Klugman, Panjer & Willmot,
 * "Loss Models" (5th ed.), §6.5–6.6; actuar `panjer()`.
 */
import type { Rng } from '../random.ts';
import type { FrequencyModel } from './types.ts';

/** A validated frequency model: Poisson λ; NB size r and prob p; binomial size m (= r) and prob q (= p). */
export interface ResolvedFrequency {
  readonly dist: FrequencyModel['dist'];
  readonly lambda: number;
  readonly r: number;
  readonly p: number;
  /** Zero-modification probability, undefined for the plain (a, b, 0) distribution. */
  readonly p0: number | undefined;
  /** (a, b) with P(N = k) = (a + b/k) P(N = k − 1), k ≥ 1, of the unmodified distribution. */
  readonly a: number;
  readonly b: number;
}

/**
 * Validates a frequency model, resolves NB `mu` to prob = size/(size + mu) and computes (a, b)
 * as actuar `panjer`: Poisson a = 0, b = λ; NB a = 1 − p, b = (r − 1)(1 − p);
 * binomial a = q/(q − 1), b = −(m + 1)a.
 * @throws RangeError for non-finite or out-of-range parameters.
 */
export function resolveFrequency(freq: FrequencyModel): ResolvedFrequency {
  const p0 = freq.p0;
  if (p0 !== undefined && !(p0 >= 0 && p0 <= 1)) throw new RangeError(`p0 must be a probability, got ${p0}`);
  if (freq.dist === 'poisson') {
    if (!(Number.isFinite(freq.lambda) && freq.lambda >= 0)) {
      throw new RangeError(`poisson lambda must be finite and >= 0, got ${freq.lambda}`);
    }
    return { dist: 'poisson', lambda: freq.lambda, r: NaN, p: NaN, p0, a: 0, b: freq.lambda };
  }
  if (freq.dist === 'negative-binomial') {
    const r = freq.size;
    if (!(Number.isFinite(r) && r > 0)) throw new RangeError(`negative binomial size must be > 0, got ${r}`);
    if (freq.prob !== undefined && freq.mu !== undefined) {
      throw new RangeError('give either prob or mu for the negative binomial, not both');
    }
    let p: number;
    if (freq.prob !== undefined) p = freq.prob;
    else if (freq.mu !== undefined) {
      if (!(Number.isFinite(freq.mu) && freq.mu >= 0)) throw new RangeError(`negative binomial mu must be finite and >= 0, got ${freq.mu}`);
      p = r / (r + freq.mu);
    } else throw new RangeError('negative binomial needs prob or mu');
    if (!(p > 0 && p <= 1)) throw new RangeError(`negative binomial prob must lie in (0, 1], got ${p}`);
    return { dist: 'negative-binomial', lambda: NaN, r, p, p0, a: 1 - p, b: (r - 1) * (1 - p) };
  }
  if (freq.dist === 'binomial') {
    const m = freq.size;
    const q = freq.prob;
    if (!(Number.isInteger(m) && m >= 0)) throw new RangeError(`binomial size must be a non-negative integer, got ${m}`);
    if (!(q >= 0 && q < 1)) throw new RangeError(`binomial prob must lie in [0, 1), got ${q}`);
    const a = q / (q - 1);
    return { dist: 'binomial', lambda: NaN, r: m, p: q, p0, a, b: -(m + 1) * a };
  }
  throw new RangeError(`unknown frequency distribution ${String((freq as { dist: unknown }).dist)}`);
}

/**
 * log P(z) of the unmodified distribution for real z ∈ [0, 1] (as actuar):
 * Poisson λ(z − 1); NB −r log(1 − (1 − p)/p · (z − 1)); binomial m log(1 + q(z − 1)).
 */
export function logPgf(f: ResolvedFrequency, z: number): number {
  if (f.dist === 'poisson') return f.lambda * (z - 1);
  if (f.dist === 'negative-binomial') return -f.r * Math.log1p((-(1 - f.p) / f.p) * (z - 1));
  return f.r * Math.log1p(f.p * (z - 1));
}

/**
 * Evaluates the pgf in place on complex arguments z_k = re[k] + i·im[k] (|z| ≤ 1), including the
 * zero modification P_M(z) = p0 + (1 − p0)(P(z) − P(0))/(1 − P(0)). Used by the FFT method:
 * the aggregate's transform is P_N(φ_X).
 */
export function pgfComplexInPlace(f: ResolvedFrequency, re: Float64Array, im: Float64Array, stride = 1): void {
  const n = re.length;
  for (let k = 0; k < n; k += stride) {
    const x = re[k];
    const y = im[k];
    let lr: number; // log-modulus of P(z)
    let th: number; // argument of P(z)
    if (f.dist === 'poisson') {
      lr = f.lambda * (x - 1);
      th = f.lambda * y;
    } else {
      // NB: (1 − β(z − 1))^(−r), β = (1 − p)/p; binomial: (1 + q(z − 1))^m
      const c = f.dist === 'negative-binomial' ? -(1 - f.p) / f.p : f.p;
      const e = f.dist === 'negative-binomial' ? -f.r : f.r;
      const wr = 1 + c * (x - 1);
      const wi = c * y;
      lr = e * 0.5 * Math.log(wr * wr + wi * wi);
      th = e * Math.atan2(wi, wr);
    }
    const mod = Math.exp(lr);
    re[k] = mod * Math.cos(th);
    im[k] = mod * Math.sin(th);
  }
  if (f.p0 !== undefined) {
    const P0 = Math.exp(logPgf(f, 0));
    const c = (1 - f.p0) / (1 - P0);
    for (let k = 0; k < n; k += stride) {
      re[k] = f.p0 + c * (re[k] - P0);
      im[k] = c * im[k];
    }
  }
}

/** P(N = 0) of the unmodified distribution. */
export function probZeroUnmodified(f: ResolvedFrequency): number {
  return Math.exp(logPgf(f, 0));
}

/**
 * Mean and variance of N (zero-modified when p0 is given: E[N^k] scaled by c = (1 − p0)/(1 − P(0))).
 * Poisson λ, λ; NB r(1 − p)/p, r(1 − p)/p²; binomial mq, mq(1 − q).
 */
export function frequencyMoments(f: ResolvedFrequency): { mean: number; variance: number } {
  let mean: number;
  let variance: number;
  if (f.dist === 'poisson') {
    mean = f.lambda;
    variance = f.lambda;
  } else if (f.dist === 'negative-binomial') {
    mean = (f.r * (1 - f.p)) / f.p;
    variance = mean / f.p;
  } else {
    mean = f.r * f.p;
    variance = mean * (1 - f.p);
  }
  if (f.p0 === undefined) return { mean, variance };
  const P0 = probZeroUnmodified(f);
  const c = P0 < 1 ? (1 - f.p0) / (1 - P0) : 0;
  const m2 = c * (variance + mean * mean);
  const m1 = c * mean;
  return { mean: m1, variance: m2 - m1 * m1 };
}

/**
 * Draws N with the seeded generator: Poisson and binomial from `rng`, NB as a gamma–Poisson
 * mixture; a zero-modified model draws 0 with probability p0 and otherwise the zero-truncated
 * distribution by rejection of zeros.
 */
export function sampleFrequency(f: ResolvedFrequency, rng: Rng): number {
  const draw = (): number => {
    if (f.dist === 'poisson') return rng.poisson(f.lambda);
    if (f.dist === 'binomial') return f.r === 0 || f.p === 0 ? 0 : rng.binomial(f.r, f.p);
    return f.p === 1 ? 0 : rng.negativeBinomial((f.r * (1 - f.p)) / f.p, f.r);
  };
  if (f.p0 === undefined) return draw();
  if (rng.uniform() < f.p0) return 0;
  if (probZeroUnmodified(f) >= 1) return 0;
  for (;;) {
    const n = draw();
    if (n > 0) return n;
  }
}
