/**
 * Spliced severity: a body distribution truncated to [0, t] below the threshold t and a
 * generalised Pareto tail above it.
 */
import type { DistributionName, SeverityDistribution } from './types.ts';
import type { GpdDistribution } from './gpd.ts';
import { requireLimit, requirePositive, requireProbability } from './validate.ts';
import { adaptiveSimpson } from './integrate.ts';

export interface SplicedParts {
  /** Body distribution (its restriction to [0, threshold] is used, renormalised). */
  body: SeverityDistribution;
  /** GPD tail whose `threshold` parameter equals `threshold`. */
  tail: GpdDistribution;
  /** Splice point t > 0. */
  threshold: number;
  /** Probability mass w of the body, P(X ≤ t), in (0, 1). */
  weight: number;
}

export interface SplicedDistribution extends SeverityDistribution {
  readonly name: 'spliced';
  /** Flat numeric parameters: threshold, weight, `tail.scale`, `tail.shape` and `body.<name>` for each body parameter. */
  readonly params: Readonly<Record<string, number>>;
  /** Name of the body family (needed to rebuild the model from `params`). */
  readonly bodyName: DistributionName;
  readonly body: SeverityDistribution;
  readonly tail: GpdDistribution;
}

/**
 * Two-component spliced distribution ("Loss Models" §5.2.6, spliced models; composite
 * lognormal–GPD models as in Scarrott & MacDonald 2012):
 *
 * F(x) = w·B(x)/B(t) for 0 ≤ x ≤ t, F(x) = w + (1 − w)·G(x) for x > t,
 * where B is the body cdf, G the GPD cdf with location t, and w the body weight.
 * f(x) = w·b(x)/B(t) below t, (1 − w)·g(x) above.
 * E[X∧u] = u − (w/B(t))·(u − E_B[X∧u]) for u ≤ t, and E[X∧t] + (1 − w)(E_G[X∧u] − t) for u > t.
 * E[X] = w·(E_B[X∧t] − t·S_B(t))/B(t) + (1 − w)·E_G[X]; the variance uses the body's truncated
 * second moment ∫_0^t 2x(1 − B(x)/B(t))dx computed by adaptive Simpson quadrature.
 * Quantile: B⁻¹(p·B(t)/w) for p ≤ w, G⁻¹((p − w)/(1 − w)) above.
 *
 * @throws RangeError when threshold ≤ 0, weight is not in (0, 1), the tail's location differs
 * from the threshold, or the body puts no mass below the threshold.
 */
export function spliced({ body, tail, threshold, weight }: SplicedParts): SplicedDistribution {
  const D = 'spliced';
  requirePositive(D, 'threshold', threshold);
  if (!(weight > 0 && weight < 1)) throw new RangeError(`${D}: weight must be in (0, 1), got ${weight}`);
  if (tail.name !== 'gpd' || tail.params.threshold !== threshold) {
    throw new RangeError(`${D}: tail must be a GPD with threshold ${threshold}, got ${tail.name} at ${tail.params.threshold}`);
  }
  if (body.name === 'spliced') throw new RangeError(`${D}: the body cannot itself be spliced`);
  const t = threshold;
  const w = weight;
  const Bt = body.cdf(t);
  if (!(Bt > 0)) throw new RangeError(`${D}: the body distribution has no mass below the threshold ${t}`);
  const logW = Math.log(w);
  const log1mW = Math.log1p(-w);
  const logBt = Math.log(Bt);
  const cdf = (x: number): number => {
    if (!(x > 0)) return 0;
    if (x <= t) return (w * body.cdf(x)) / Bt;
    return w + (1 - w) * tail.cdf(x);
  };
  const sf = (x: number): number => {
    if (!(x > 0)) return 1;
    if (x <= t) return 1 - w + (w * Math.max(0, Bt - body.cdf(x))) / Bt;
    return (1 - w) * tail.sf(x);
  };
  const logPdf = (x: number): number => {
    if (!(x >= 0)) return -Infinity;
    if (x <= t) return logW + body.logPdf(x) - logBt;
    return log1mW + tail.logPdf(x);
  };
  const levBody = (u: number): number => u - (w / Bt) * (u - body.lev(u));
  const levT = levBody(t);
  const lev = (u: number): number => {
    requireLimit(D, u);
    if (u <= t) return levBody(u);
    return levT + (1 - w) * (tail.lev(u) - t);
  };
  const bodyMeanTrunc = (body.lev(t) - t * body.sf(t)) / Bt;
  const mean = (): number => w * bodyMeanTrunc + (1 - w) * tail.mean();
  const quantile = (p: number): number => {
    requireProbability(D, p);
    if (p <= w) return body.quantile(Math.min(1, (p * Bt) / w));
    return tail.quantile(Math.min(1, (p - w) / (1 - w)));
  };
  const params: Record<string, number> = { threshold, weight, 'tail.scale': tail.params.scale, 'tail.shape': tail.params.shape };
  for (const [k, v] of Object.entries(body.params)) params[`body.${k}`] = v;
  return {
    name: 'spliced',
    params: Object.freeze(params),
    bodyName: body.name,
    body,
    tail,
    pdf: (x) => Math.exp(logPdf(x)),
    logPdf,
    cdf,
    sf,
    quantile,
    mean,
    variance(): number {
      const tv = tail.variance();
      if (!Number.isFinite(tv)) return Infinity;
      const second = adaptiveSimpson((x) => 2 * x * Math.max(0, 1 - body.cdf(x) / Bt), 0, t, 1e-12 * t * t);
      const tm = tail.mean();
      const m = mean();
      return w * second + (1 - w) * (tv + tm * tm) - m * m;
    },
    lev,
    sample: (u01) => quantile(u01()),
  };
}
