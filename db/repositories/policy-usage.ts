/**
 * Operating hours of deployments per calendar month from the imported exposures, for the premium
 * statements of pay-per-use policies. An exposure row may cover a month, a quarter or any part of
 * a year: its hours are spread evenly over its days exactly as the statistics and
 * `exposure_month_summary` spread them (db/repositories/exposure-spread.ts — the one spreading),
 * and only the days of the window asked for (a policy's days of cover) count.
 */
import type { Knex } from 'knex';
import { MAX_EXPOSURE_PERIOD_DAYS } from '../../domain/calendar.ts';
import { apportionedHoursSql, bucketEndSql, bucketsSql } from './exposure-spread.ts';

export interface DeploymentMonthHours {
  deployment_id: number;
  /** `YYYY-MM`. */
  month: string;
  /** Hours of the exposure rows' days that fall in the month and in the window. */
  hours: number;
  /** Exposure rows touching those days. */
  rows: number;
}

/**
 * Per deployment and calendar month, the operating hours of the exposure rows on the days
 * [from, to] (inclusive `YYYY-MM-DD`), each row's hours spread pro rata over its days. Months
 * without a row touching the window are absent (rows with 0 hours are present with 0).
 */
export async function deploymentMonthHours(q: Knex, deploymentIds: readonly number[], from: string, to: string): Promise<DeploymentMonthHours[]> {
  if (deploymentIds.length === 0) return [];
  // the window of month k: the month clipped to [from, to]; each row clipped to that window
  const ws = 'greatest(k.month, p.f)';
  const we = `least(${bucketEndSql('month', 'k.month::timestamp')}, p.t)`;
  const r = await q.raw(
    `with p as (select ?::date as f, ?::date as t, ?::int[] as ids)
     select e.deployment_id, to_char(k.month, 'YYYY-MM') as month,
            sum(${apportionedHoursSql('e', `greatest(e.period_start, ${ws})`, `least(e.period_end, ${we})`)}) as hours, count(*) as rows
     from p cross join lateral (select g::date as month from ${bucketsSql('month', 'p.f', 'p.t')} g) k
     join exposures e on e.deployment_id = any(p.ids)
       and e.period_start > k.month - ${MAX_EXPOSURE_PERIOD_DAYS} and e.period_start <= ${we} and e.period_end >= ${ws}
     group by 1, 2 order by 1, 2`,
    [from, to, [...deploymentIds]],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    deployment_id: Number(row.deployment_id), month: String(row.month), hours: Number(row.hours), rows: Number(row.rows),
  }));
}
