/**
 * Goodness-of-fit statistics for fitted severity distributions, as R `fitdistrplus::gofstat`.
 */
import type { SeverityDistribution } from '../distributions/types.ts';
import type { PreparedSeverityData } from './data.ts';

/**
 * Two-sided Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| for a sorted sample:
 * D = max_i max(i/n − F(x_(i)), F(x_(i)) − (i−1)/n) (R `ks.test`, `fitdistrplus::gofstat`).
 * @throws RangeError on an empty sample.
 */
export function ksStatistic(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  if (!n) throw new RangeError('ksStatistic: empty sample');
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return d;
}

/**
 * Anderson–Darling statistic A² = −n − (1/n)·Σ_i (2i − 1)·[log F(x_(i)) + log S(x_(n+1−i))]
 * (Anderson & Darling 1954; `fitdistrplus::gofstat`), S computed directly to avoid cancellation.
 * @throws RangeError on an empty sample.
 */
export function adStatistic(sorted: Float64Array, cdf: (x: number) => number, sf: (x: number) => number): number {
  const n = sorted.length;
  if (!n) throw new RangeError('adStatistic: empty sample');
  let s = 0;
  for (let i = 0; i < n; i++) s += (2 * i + 1) * (Math.log(cdf(sorted[i])) + Math.log(sf(sorted[n - 1 - i])));
  return -n - s / n;
}

/**
 * KS distance between the Kaplan–Meier estimate (Kaplan & Meier 1958) of a right-censored sample
 * and a cdf: sup over event times t of |F̂(t−) − F(t)| and |F̂(t) − F(t)|, up to the largest
 * observation. Censored observations tied with events are taken to be at risk at that time.
 */
export function ksStatisticKaplanMeier(x: Float64Array, censored: Uint8Array, cdf: (x: number) => number): number {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || censored[a] - censored[b]);
  let atRisk = n;
  let surv = 1;
  let d = 0;
  let i = 0;
  while (i < n) {
    const t = x[idx[i]];
    let events = 0;
    let total = 0;
    while (i < n && x[idx[i]] === t) {
      events += censored[idx[i]] ? 0 : 1;
      total++;
      i++;
    }
    if (events > 0) {
      const F = cdf(t);
      const before = 1 - surv;
      surv *= 1 - events / atRisk;
      d = Math.max(d, Math.abs(F - before), Math.abs(F - (1 - surv)));
    }
    atRisk -= total;
  }
  return d;
}

/**
 * KS and AD statistics of a fit on prepared data. With truncation the comparison is against the
 * conditional cdf (F(x) − F(d))/(F(U) − F(d)); with censoring KS uses the Kaplan–Meier estimate
 * and AD is NaN (not defined for censored data here).
 */
export function goodnessOfFit(dist: SeverityDistribution, data: PreparedSeverityData): { ks: number; ad: number } {
  const { truncation: d, upperTruncation: U } = data;
  let cdf = (x: number): number => dist.cdf(x);
  let sf = (x: number): number => dist.sf(x);
  if (d > 0 || U < Infinity) {
    const Fd = d > 0 ? dist.cdf(d) : 0;
    const FU = U < Infinity ? dist.cdf(U) : 1;
    const Sd = d > 0 ? dist.sf(d) : 1;
    const mass = U < Infinity ? FU - Fd : Sd;
    cdf = (x) => (U < Infinity ? (dist.cdf(x) - Fd) / mass : (Sd - dist.sf(x)) / mass);
    sf = (x) => (U < Infinity ? (FU - dist.cdf(x)) / mass : dist.sf(x) / mass);
  }
  if (data.nCensored > 0) return { ks: ksStatisticKaplanMeier(data.x, data.censored, cdf), ad: NaN };
  const sorted = Float64Array.from(data.x).sort();
  return { ks: ksStatistic(sorted, cdf), ad: adStatistic(sorted, cdf, sf) };
}
