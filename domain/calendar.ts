/**
 * Calendar days as `YYYY-MM-DD` strings (UTC, Gregorian): the one place dates are validated and
 * counted, for request schemas, imports and pricing alike.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD` names a day of the Gregorian calendar (2027-02-30 does not, nor does year 0000,
 * which PostgreSQL refuses). No Date allocation.
 */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (!(y >= 1 && m >= 1 && m <= 12 && d >= 1)) return false;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1] + (leap ? 1 : 0);
}

/** An ISO 8601 timestamp as accepted anywhere: a date alone (00:00 UTC), or with a time and an optional offset. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant an ISO 8601 timestamp names, as an ISO UTC string; undefined when it is not one
 * (wrong shape, a day not of the calendar, 25:00, an offset of +99:00). No offset means UTC.
 */
export function parseTimestamp(s: string): string | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m || !isCalendarDate(m[1])) return undefined;
  const withZone = m[2] === undefined ? `${m[1]}T00:00:00Z` : m[5] ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`;
  const t = new Date(withZone);
  if (Number.isNaN(t.getTime())) return undefined;
  const iso = t.toISOString();
  return isCalendarDate(iso.slice(0, 10)) ? iso : undefined;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const dayOf = (t: Date | number): string => new Date(t).toISOString().slice(0, 10);

/** `day` plus `n` days (n may be negative). */
export const addDays = (day: string, n: number): string => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** Days from `a` to `b` (b − a; 0 for the same day). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/**
 * Length of a policy period in years of 365 days, both ends inclusive: (end − start + 1 day) / 365.
 * 2027-01-01..2027-12-31 is 1; a leap year's full period is 366/365.
 */
export const termYears = (p: { start: string; end: string }): number => (daysBetween(p.start, p.end) + 1) / 365;

/** Most operating hours a robot can have in one policy year (a leap year). */
export const MAX_HOURS_PER_YEAR = 8784;

/**
 * A one-year policy period starting on the first day of the month after `now` — always a valid
 * period to quote (it starts within a year, not in the past). Used by examples and tests.
 */
export function nextPolicyYear(now: Date = new Date(), years = 1): { start: string; end: string } {
  const start = dayOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const end = dayOf(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth() + 1, 1) - DAY_MS);
  return { start, end };
}

/**
 * Longest exposure row an import accepts, in days (both ends included): a reporting period —
 * a month, a quarter, a part of either — is at most a year. Summary maintenance relies on it to
 * find the rows touching a month through the (deployment_id, period_start) index.
 */
export const MAX_EXPOSURE_PERIOD_DAYS = 366;

/** Calendar period units of the regulator statistics (month ⊂ quarter ⊂ year). */
export type CalendarUnit = 'month' | 'quarter' | 'year';
const MONTHS_OF: Record<CalendarUnit, number> = { month: 1, quarter: 3, year: 12 };

/** Whether `day` is the first day of a calendar `unit` (a month; January, April, July or October 1; January 1). */
export function isUnitStart(unit: CalendarUnit, day: string): boolean {
  return day.endsWith('-01') && (Number(day.slice(5, 7)) - 1) % MONTHS_OF[unit] === 0;
}

/** Whether `day` is the last day of a calendar `unit` (the day before the next unit starts). */
export const isUnitEnd = (unit: CalendarUnit, day: string): boolean => isUnitStart(unit, addDays(day, 1));

/**
 * The calendar period that the days [from, to] are exactly, named as the statistics name their
 * periods (`YYYY-MM`, `YYYY-Qn`, `YYYY`), preferring the longest unit; null when they are not one
 * whole month, quarter or year.
 */
export function calendarPeriodOf(from: string, to: string): { unit: CalendarUnit; period: string } | null {
  for (const unit of ['year', 'quarter', 'month'] as const) {
    if (!isUnitStart(unit, from) || !isUnitEnd(unit, to)) continue;
    const next = addDays(to, 1);
    const months = (Number(next.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(next.slice(5, 7)) - Number(from.slice(5, 7));
    if (months !== MONTHS_OF[unit]) continue;
    const y = from.slice(0, 4);
    const m = Number(from.slice(5, 7));
    return { unit, period: unit === 'year' ? y : unit === 'quarter' ? `${y}-Q${(m + 2) / 3}` : from.slice(0, 7) };
  }
  return null;
}
