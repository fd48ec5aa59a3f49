/**
 * The observed statistics of one scorecard cell (docs/actuarial-method.md §10): rates per 1,000
 * operating hours, the incident rate with its exact Garwood interval, the mean operating hours
 * between incidents with the interval obtained by inverting the rate's, the share of severe
 * incidents, and the hours still needed for full (limited-fluctuation) credibility.
 */
import { ratePer1000Hours } from '../statistics/poisson-interval.ts';
import { limitedFluctuationCredibility } from '../credibility/limited-fluctuation.ts';
import type { ScorecardObserved } from '../../domain/index.ts';

export interface CellTotals {
  hours: number;
  incidents: number;
  /** Incidents of severity level ≥ 3. */
  severeIncidents: number;
  protectiveStops: number;
  nearMisses: number;
  /** Summed downtime hours, and the operating hours of the periods that reported a downtime. */
  downtimeHours: number;
  downtimeReportedHours: number;
}

/** The observed statistics (declared in domain/scorecard.ts). */
export type CellStatistics = ScorecardObserved;

const per1000 = (x: number, h: number) => (h > 0 ? (x / h) * 1000 : null);

/** The observed statistics of a cell; rates are null when it has no operating hours. */
export function cellStatistics(t: CellTotals, level = 0.95): CellStatistics {
  const base = {
    protective_stops_per_1000h: per1000(t.protectiveStops, t.hours),
    near_misses_per_1000h: per1000(t.nearMisses, t.hours),
    severe_share: t.incidents > 0 ? t.severeIncidents / t.incidents : null,
    downtime_per_1000h: per1000(t.downtimeHours, t.downtimeReportedHours),
  };
  if (!(t.hours > 0)) {
    return { incident_rate_per_1000h: null, ci_low: null, ci_high: null, mean_hours_between_incidents: null, mtbi_ci_low: null, mtbi_ci_high: null, ...base };
  }
  const ci = ratePer1000Hours(t.incidents, t.hours, level);
  return {
    incident_rate_per_1000h: ci.rate,
    ci_low: ci.lower,
    ci_high: ci.upper,
    mean_hours_between_incidents: t.incidents > 0 ? t.hours / t.incidents : null,
    mtbi_ci_low: 1000 / ci.upper,
    mtbi_ci_high: ci.lower > 0 ? 1000 / ci.lower : null,
    ...base,
  };
}

/** The limited-fluctuation standard used for "full credibility": p = 0.90, k = 0.10 → 270.6 incidents. */
export const FULL_CREDIBILITY = { p: 0.9, k: 0.1 } as const;

/**
 * Operating hours for full credibility at an expected rate (per 1,000 h): n_F / rate × 1,000,
 * with n_F = (z_{(1+p)/2}/k)² expected incidents; and how many of them are still missing.
 * null when the expected rate is 0 (no number of hours would be enough).
 */
export function hoursForFullCredibility(hours: number, expectedRatePer1000h: number, standard: { p: number; k: number } = FULL_CREDIBILITY) {
  const nF = limitedFluctuationCredibility({ claims: 0, p: standard.p, k: standard.k }).fullCredibilityStandard;
  if (!(expectedRatePer1000h > 0)) return { standard_incidents: nF, hours_for_full_credibility: null, hours_still_needed: null };
  const needed = (nF / expectedRatePer1000h) * 1000;
  return { standard_incidents: nF, hours_for_full_credibility: needed, hours_still_needed: Math.max(0, needed - hours) };
}
