/**
 * Spliced severity fit: truncated body below a threshold, GPD tail above it.
 */
import { spliced, type SplicedDistribution } from '../distributions/spliced.ts';
import type { SeverityDistribution } from '../distributions/types.ts';
import { prepareSeverityData, type PreparedSeverityData, type SeverityInput } from './data.ts';
import { lognormalFamily, gammaFamily, weibullFamily, lomaxFamily, exponentialFamily, type Family } from './families.ts';
import { lognormalMle } from './fitLognormal.ts';
import { gammaMle } from './fitGamma.ts';
import { weibullMle } from './fitWeibull.ts';
import { lomaxMle } from './fitLomax.ts';
import { fitGpd } from './fitGpd.ts';
import { fitNumeric } from './mle.ts';
import { goodnessOfFit } from './goodnessOfFit.ts';
import type { CandidateName } from './fitSeverity.ts';
import type { SeverityFit } from './types.ts';

export interface FitSplicedOptions {
  /** Splice point t > 0: body on [0, t], GPD tail above. */
  threshold: number;
  /** Body family (default lognormal). */
  body?: CandidateName;
  /** Open-claim flags aligned with the data (or give `{ amount, open }` items). */
  open?: readonly boolean[] | Uint8Array;
}

export interface SplicedFit extends SeverityFit<SplicedDistribution> {
  threshold: number;
  /** Body weight ŵ = (#x ≤ t)/n. */
  weight: number;
  /** Body fit (likelihood truncated to [0, t]). */
  bodyFit: SeverityFit;
  /** GPD fit to the exceedances x − t of the amounts above t. */
  tailFit: SeverityFit;
}

const BODY: Record<CandidateName, { family: Family; start: (x: Float64Array) => number[] }> = {
  lognormal: { family: lognormalFamily, start: (x) => lognormalMle(x) },
  gamma: { family: gammaFamily, start: (x) => { const m = gammaMle(x); return [m.shape, m.rate]; } },
  weibull: { family: weibullFamily, start: (x) => { const m = weibullMle(x); return [m.shape, m.scale]; } },
  lomax: {
    family: lomaxFamily,
    start: (x) => {
      try { const m = lomaxMle(x); return [m.shape, m.scale]; } catch { return [3, 2 * x.reduce((s, v) => s + v, 0) / x.length]; }
    },
  },
  exponential: { family: exponentialFamily, start: (x) => [x.length / x.reduce((s, v) => s + v, 0)] },
};

/**
 * Fits the spliced model f(x) = w·b(x)/B(t) (x ≤ t), (1 − w)·g(x) (x > t), by maximum likelihood,
 * which separates into three independent parts: ŵ = (#x ≤ t)/n; the body parameters maximise
 * Σ_{x≤t} log(b(x)/B(t)) (right-truncated at t, numerical from the untruncated MLE); the GPD
 * (location t) is fitted to the exceedances x − t. k = (body parameters) + 2 + 1 for AIC / BIC.
 * Reference: "Loss Models" §5.2.6 (spliced models); Coles (2001) ch. 4 for the GPD tail.
 * Standard errors: body and tail from their observed information (keys `body.*`, `tail.*`),
 * weight from the binomial sqrt(w(1 − w)/n).
 * @throws RangeError for invalid data, threshold ≤ 0, fewer than 2 amounts at or below t or fewer than
 * 3 above it; Error when a component fit fails.
 */
export function fitSpliced(data: SeverityInput, options: FitSplicedOptions): SplicedFit {
  const t = options?.threshold;
  if (typeof t !== 'number' || !Number.isFinite(t) || !(t > 0)) throw new RangeError(`fitSpliced: threshold must be a finite number > 0, got ${t}`);
  const bodyName = options.body ?? 'lognormal';
  const spec = BODY[bodyName];
  if (!spec) throw new RangeError(`fitSpliced: unknown body distribution '${bodyName}'`);
  const all = prepareSeverityData(data, { open: options.open });
  const bodyX = all.x.filter((v) => v <= t);
  const tailY = all.x.filter((v) => v > t).map((v) => v - t);
  if (bodyX.length < 2) throw new RangeError(`fitSpliced: need at least 2 amounts at or below the threshold ${t}, got ${bodyX.length}`);
  if (tailY.length < 3) throw new RangeError(`fitSpliced: need at least 3 amounts above the threshold ${t}, got ${tailY.length}`);
  const bodyData: PreparedSeverityData = {
    x: bodyX,
    censored: new Uint8Array(bodyX.length),
    nCensored: 0,
    openCount: 0,
    truncation: 0,
    upperTruncation: t,
  };
  const bodyFit = fitNumeric<SeverityDistribution>(spec.family, bodyData, spec.start(bodyX));
  const tailFit = fitGpd(tailY, { threshold: t });
  const n = all.x.length;
  const nb = bodyX.length;
  const w = nb / n;
  const model = spliced({ body: bodyFit.model, tail: tailFit.model, threshold: t, weight: w });
  const logLik = nb * Math.log(w) + (n - nb) * Math.log1p(-w) + bodyFit.logLik + tailFit.logLik;
  const k = bodyFit.paramNames.length + 3;
  const { ks, ad } = goodnessOfFit(model, all);
  const standardErrors: Record<string, number> = { weight: Math.sqrt((w * (1 - w)) / n) };
  for (const [key, v] of Object.entries(bodyFit.standardErrors)) standardErrors[`body.${key}`] = v;
  standardErrors['tail.scale'] = tailFit.standardErrors.scale;
  standardErrors['tail.shape'] = tailFit.standardErrors.shape;
  return {
    distribution: 'spliced',
    model,
    params: { ...model.params },
    standardErrors,
    covariance: null,
    paramNames: ['weight', ...bodyFit.paramNames.map((p) => `body.${p}`), 'tail.scale', 'tail.shape'],
    logLik,
    aic: -2 * logLik + 2 * k,
    bic: -2 * logLik + k * Math.log(n),
    ks,
    ad,
    n,
    nCensored: 0,
    truncation: 0,
    openCount: all.openCount,
    includesOpenClaims: all.openCount > 0,
    converged: bodyFit.converged && tailFit.converged,
    iterations: bodyFit.iterations + tailFit.iterations,
    method: `spliced(${bodyFit.method}; ${tailFit.method})`,
    threshold: t,
    weight: w,
    bodyFit,
    tailFit,
  };
}
