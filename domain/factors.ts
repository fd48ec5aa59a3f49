/**
 * Rating factors of the frequency models and the bands of the leading indicators
 * (docs/actuarial-method.md §2).
 */

export const FREQUENCY_FACTORS = [
  'scenario_area', 'scenario_class', 'form_factor', 'autonomy_level', 'human_proximity', 'protective_stop_band', 'near_miss_band',
] as const;
export type FrequencyFactor = (typeof FREQUENCY_FACTORS)[number];

/** Bands of the leading indicators, per 1,000 operating hours of the exposure period. */
export const LEADING_INDICATOR_BANDS = {
  protective_stop_band: { column: 'protective_stops', cuts: [10, 25, 50] },
  near_miss_band: { column: 'near_misses', cuts: [1, 3, 6] },
} as const;

/** Band label of a rate per 1,000 h: '<10', '10-25', '25-50', '>=50'. */
export function bandLabel(cuts: readonly number[], rate: number): string {
  if (rate < cuts[0]) return `<${cuts[0]}`;
  for (let i = 1; i < cuts.length; i++) if (rate < cuts[i]) return `${cuts[i - 1]}-${cuts[i]}`;
  return `>=${cuts[cuts.length - 1]}`;
}
