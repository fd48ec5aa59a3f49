/**
 * Fixed ladder of lattice steps and a bounded cache of discretised payments per loss with their
 * forward transforms, shared by all quotes of a process.
 *
 * Why: the forward transform of a group's payment per loss Y (severity model, deductible, limit,
 * coinsurance) on the lattice of step h with M points depends on nothing else — not on the claim
 * counts. With the step taken from the quote's range, h differs for every fleet, so every quote
 * discretised (lognormal limited expected values) and transformed every group again: ≈ 30 % of
 * `rate()` (bench/README.md "Rating engine"). Rounding h up to the ladder h_j = 2^(j/K) makes
 * quotes of similar size share steps, so each discretisation and transform is computed once and
 * per quote only the pgf evaluation and the inverse transforms remain. Rounding h up keeps the
 * range covered (B' = h'(n − 1) ≥ B) and moves the lattice risk measures by less than one
 * ladder rung (factor 2^(1/K)); measured on the comparison set in bench/rating/compare.ts.
 */
import { discretize } from '../aggregate/discretize.ts';
import type { DiscreteSeverity } from '../aggregate/types.ts';
import type { SeverityDistribution } from '../distributions/types.ts';
import { severityHalfSpectrum, type HalfSpectrum, type SpectrumWorkspace } from './compound-spectrum.ts';
import type { PaymentPerLoss } from './payment-per-loss.ts';

/** Default rungs of the step ladder per doubling of h (see {@link ladderStep}). */
export const DEFAULT_STEP_LADDER = 16;

/**
 * The smallest rung 2^(j/K) ≥ h of the ladder with K rungs per doubling (h itself when K = 0:
 * the engine before 2026-11-29.2). The rung is computed from its index j, so equal indices give
 * bit-identical steps in every process.
 */
export function ladderStep(h: number, rungsPerDoubling: number): number {
  if (!rungsPerDoubling) return h;
  const j = Math.ceil(rungsPerDoubling * Math.log2(h) - 1e-9);
  const step = 2 ** (j / rungsPerDoubling);
  return step >= h ? step : 2 ** ((j + 1) / rungsPerDoubling);
}

/** A payment per loss on the lattice and its transform (never mutated once cached). */
export interface CachedLatticeSeverity {
  readonly severity: DiscreteSeverity;
  readonly spectrum: HalfSpectrum;
}

/** Bytes of cached arrays allowed in a process (default 128 MiB, ≈ 450 entries of 2^14 points). */
const MAX_BYTES = 128 * 2 ** 20;

/**
 * Least-recently-used map bounded by the bytes of its arrays (a Map keeps insertion order: a hit
 * is moved to the end, the oldest entries are evicted first). Hand-written in 20 lines rather
 * than adding `lru-cache` to the lockfile for one use.
 */
class ByteLru<V> {
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;
  constructor(private readonly maxBytes: number) {}
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) { this.misses++; return undefined; }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }
  set(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes) return;
    this.map.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
    }
  }
  clear(): void { this.map.clear(); this.bytes = 0; this.hits = 0; this.misses = 0; }
  stats() { return { entries: this.map.size, bytes: this.bytes, hits: this.hits, misses: this.misses }; }
}

const cache = new ByteLru<CachedLatticeSeverity>(MAX_BYTES);
const severityIds = new WeakMap<SeverityDistribution, number>();
let nextSeverityId = 1;

function severityId(s: SeverityDistribution): number {
  let id = severityIds.get(s);
  if (id === undefined) severityIds.set(s, (id = nextSeverityId++));
  return id;
}

/**
 * Y discretised (unbiased method) from 0 to ⌈y_max/h⌉·h with step h, and its forward transform
 * of size ws.size — from the cache when the same (severity object, d, u, a, y_max, h, M) was
 * done before in this process. The severity object's identity stands for its parameters
 * (services/pricing.ts keeps one object per model snapshot).
 */
export function latticeSeverity(ws: SpectrumWorkspace, y: PaymentPerLoss, severity: SeverityDistribution, yMax: number, h: number): CachedLatticeSeverity {
  const key = `${severityId(severity)}|${y.deductible}|${y.limit}|${y.coinsurance}|${yMax}|${h}|${ws.size}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const disc = discretize(y, { method: 'unbiased', from: 0, to: Math.max(1, Math.ceil(yMax / h - 1e-9)) * h, step: h });
  const spectrum = severityHalfSpectrum(ws, disc);
  const out = { severity: disc, spectrum };
  cache.set(key, out, 8 * (disc.probabilities.length + spectrum.re.length + spectrum.im.length));
  return out;
}

/** Entries, bytes, hits and misses of the process's cache (bench and tests). */
export function latticeCacheStats() {
  return cache.stats();
}

/** Empties the cache (tests and benches that compare cold and warm runs). */
export function clearLatticeCache(): void {
  cache.clear();
}
