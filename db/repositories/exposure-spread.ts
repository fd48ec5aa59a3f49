/**
 * Exposure rows cover any reporting period of up to a year (a calendar month, a quarter, a part
 * of either). Figures by calendar period spread a row's operating hours evenly over the days it
 * covers (pro rata temporis, as earned exposure is): the part of a row [ps, pe] with hours h that
 * falls in the days [a, b] ⊆ [ps, pe] is
 *
 *   h × (b − a + 1) / (pe − ps + 1),
 *
 * and h itself when [a, b] is the whole row (so a row inside one month stays exact). Used by the
 * raw statistics path and by every writer of `exposure_month_summary`: both must split alike.
 */

/** SQL for the hours of exposure row alias `e` that fall in the days [a, b] (SQL date expressions). */
export const apportionedHoursSql = (e: string, a: string, b: string): string =>
  `(case when ${a} = ${e}.period_start and ${b} = ${e}.period_end then ${e}.operating_hours
     else ${e}.operating_hours * ((${b}) - (${a}) + 1)::float8 / (${e}.period_end - ${e}.period_start + 1) end)`;

/** SQL set-returning expression: the first day (timestamp) of every calendar `unit` that the days [a, b] touch. */
export const bucketsSql = (unit: 'month' | 'quarter' | 'year', a: string, b: string): string =>
  `generate_series(date_trunc('${unit}', (${a})::timestamp), (${b})::timestamp, interval '${unit === 'quarter' ? '3 months' : `1 ${unit}`}')`;

/** SQL for the last day (date) of the calendar `unit` starting at timestamp `bucket`. */
export const bucketEndSql = (unit: 'month' | 'quarter' | 'year', bucket: string): string =>
  `((${bucket}) + interval '${unit === 'quarter' ? '3 months' : `1 ${unit}`}')::date - 1`;

