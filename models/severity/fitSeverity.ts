/**
 * Fits every candidate severity family and ranks them by AIC (docs/actuarial-method.md §3).
 */
import { prepareSeverityData, type PreparedSeverityData, type SeverityFitOptions, type SeverityInput } from './data.ts';
import { fitLognormalPrepared } from './fitLognormal.ts';
import { fitGammaPrepared } from './fitGamma.ts';
import { fitWeibullPrepared } from './fitWeibull.ts';
import { fitLomaxPrepared } from './fitLomax.ts';
import { fitExponentialPrepared } from './fitExponential.ts';
import type { SeverityFit } from './types.ts';

/** Families `fitSeverity` can fit to whole (ground-up or truncated) data. */
export type CandidateName = 'lognormal' | 'gamma' | 'weibull' | 'lomax' | 'exponential';

/** The candidates of docs/actuarial-method.md §3. */
export const DEFAULT_CANDIDATES: readonly CandidateName[] = ['lognormal', 'gamma', 'weibull', 'lomax'];

const FITTERS: Record<CandidateName, (d: PreparedSeverityData) => SeverityFit> = {
  lognormal: fitLognormalPrepared,
  gamma: fitGammaPrepared,
  weibull: fitWeibullPrepared,
  lomax: fitLomaxPrepared,
  exponential: fitExponentialPrepared,
};

export type SeverityFitOutcome =
  | { distribution: CandidateName; ok: true; fit: SeverityFit; rank: number; deltaAic: number }
  | { distribution: CandidateName; ok: false; error: string };

export interface SeverityComparison {
  /** Successful fits by increasing AIC (rank 1 first), then failed fits with their error. */
  fits: SeverityFitOutcome[];
  /** The lowest-AIC fit, or null when every fit failed. */
  best: SeverityFit | null;
  n: number;
  openCount: number;
  includesOpenClaims: boolean;
}

export interface FitSeverityOptions extends SeverityFitOptions {
  /** Candidate families (default lognormal, gamma, Weibull, Lomax). */
  distributions?: readonly CandidateName[];
}

/**
 * Fits each candidate by maximum likelihood on the same data (same truncation / censoring /
 * open-claim handling as the single fitters) and ranks the successful fits by AIC = −2ℓ + 2k;
 * `deltaAic` is the difference to the best. A fit that fails is reported with its error message,
 * never thrown. Reference: Burnham & Anderson (2002) on AIC ranking; `fitdistrplus::gofstat` for KS / AD.
 * @throws RangeError only for invalid input data / options (checked once, before fitting) or an
 * unknown candidate name.
 */
export function fitSeverity(data: SeverityInput, options: FitSeverityOptions = {}): SeverityComparison {
  const names = options.distributions ?? DEFAULT_CANDIDATES;
  if (!names.length) throw new RangeError('fitSeverity: no candidate distributions given');
  for (const name of names) if (!(name in FITTERS)) throw new RangeError(`fitSeverity: unknown candidate '${name}'`);
  const prepared = prepareSeverityData(data, options);
  const ok: { distribution: CandidateName; fit: SeverityFit }[] = [];
  const failed: SeverityFitOutcome[] = [];
  for (const name of names) {
    try {
      const fit = FITTERS[name](prepared);
      if (!Number.isFinite(fit.aic)) throw new Error(`${name}: non-finite log-likelihood at the estimate`);
      ok.push({ distribution: name, fit });
    } catch (err) {
      failed.push({ distribution: name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  ok.sort((a, b) => a.fit.aic - b.fit.aic);
  const bestAic = ok.length ? ok[0].fit.aic : NaN;
  const ranked: SeverityFitOutcome[] = ok.map((o, i) => ({ ...o, ok: true as const, rank: i + 1, deltaAic: o.fit.aic - bestAic }));
  return {
    fits: [...ranked, ...failed],
    best: ok.length ? ok[0].fit : null,
    n: prepared.x.length,
    openCount: prepared.openCount,
    includesOpenClaims: prepared.openCount > 0,
  };
}
