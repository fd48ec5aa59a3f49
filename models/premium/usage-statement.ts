/**
 * Premium statements of pay-per-use policies (issue 14 item 5; docs/policy-statements.md): the
 * premium of one calendar month is, per fleet line, the hours used × the line's rate per operating
 * hour, with the plan's minimum premium spread over the months of the policy. Pure: no I/O.
 *
 * Definitions (a policy period [start, end], both days included, of D days; a fleet line i with
 * gross premium G_i — all its coverages, tax included, as the quote priced it — and expected hours
 * E_i = units × operating hours per unit over the whole period):
 *
 * - rate r_i = G_i / E_i per operating hour, never rounded (so r_i × E_i = G_i to the cent);
 * - a month m covers the days d_m of the period that fall in it (the first and last months may be
 *   partial); the line's expected hours for m are E_i × d_m / D (pro rata temporis, the quote's
 *   expected hours spread evenly over the days of cover);
 * - hours are stated to 0.01 h (half away from zero), and the amount of line i is
 *   round_cents(G_i × h_i / E_i), rounded once to the cent half away from zero (models/premium/rounding.ts):
 *   the rate is not rounded first, so hours = E_i bills exactly G_i;
 * - minimum premium M (the plan's, tax included, for the whole policy): the months get
 *   M_m = M allocated over the months in proportion to d_m, in whole cents by largest remainder
 *   (Σ_m M_m = M exactly); a month whose lines add up to less than M_m is billed M_m, the
 *   difference shown as the minimum premium adjustment (total_m = max(Σ_i amount_i, M_m)).
 *
 * Mid-term changes (docs/policy-statements.md "Changes during the period"):
 * - an endorsement effective on day E gives line i a new schedule (G_ik, E_ik: the full-term gross
 *   premium and expected hours re-rated for the units insured from E on) for the days E..end. A
 *   month holding several schedules of a line is split at the effective dates into pieces of
 *   d_mk days; the month's expected hours are e_m = Σ_k E_ik × d_mk / D and its expected amount
 *   g_m = Σ_k G_ik × d_mk / D. The billed hours h are allocated to the pieces in proportion to their
 *   expected hours, each piece billed at its own rate G_ik / E_ik, which sums to
 *   amount = round_cents(h × g_m / e_m) (rounded once): the month's rate is the pieces' rates
 *   weighted by their expected hours. With one piece this is the formula above (G × h / E).
 * - a cancellation effective on day C ends the cover at C − 1 (`coverEnd`); D stays the days of
 *   the policy term, so the daily expected hours and premium do not change. The months before
 *   the cancellation month keep their share of the minimum; the cancellation month gets
 *   round_cents(M_m × covered days / days of the month in the term), later months nothing: the
 *   minimum billed is M × covered days / D within a cent.
 */
import { addDays, daysBetween, isCalendarDate } from '../../domain/calendar.ts';
import { allocateCents, toCents } from './rounding.ts';

/** A policy period, both days included (`YYYY-MM-DD`). */
export interface StatementPeriod { readonly start: string; readonly end: string }

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** First and last day of calendar month `YYYY-MM`. @throws RangeError for anything else. */
export function monthBounds(month: string): { first: string; last: string } {
  const m = MONTH.exec(month);
  if (!m || !isCalendarDate(`${month}-01`)) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  const y = Number(m[1]);
  const n = Number(m[2]);
  const next = n === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${m[1]}-${String(n + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, last: addDays(next, -1) };
}

function checkPeriod(p: StatementPeriod): number {
  if (!isCalendarDate(p.start) || !isCalendarDate(p.end) || p.end < p.start) throw new RangeError(`invalid period ${p.start}..${p.end}`);
  return daysBetween(p.start, p.end) + 1;
}

/** The calendar months `YYYY-MM` a period touches, in order. @throws RangeError for an invalid period. */
export function periodMonths(p: StatementPeriod): string[] {
  checkPeriod(p);
  const out: string[] = [];
  let y = Number(p.start.slice(0, 4));
  let m = Number(p.start.slice(5, 7));
  const last = p.end.slice(0, 7);
  for (;;) {
    const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    out.push(s);
    if (s === last) return out;
    m += 1;
    if (m === 13) { m = 1; y += 1; }
  }
}

/** The days of month `month` within the period: [from, to], `days` of them out of the period's `periodDays`; null when none. */
export function monthWindow(p: StatementPeriod, month: string): { from: string; to: string; days: number; periodDays: number } | null {
  const periodDays = checkPeriod(p);
  const { first, last } = monthBounds(month);
  const from = first > p.start ? first : p.start;
  const to = last < p.end ? last : p.end;
  if (from > to) return null;
  return { from, to, days: daysBetween(from, to) + 1, periodDays };
}

/**
 * The minimum premium of each month of the period, in cents: `minimumCents` allocated over the
 * months in proportion to their days of cover (largest remainder, ties to the earlier month), so
 * the months add up to the minimum exactly.
 * @throws RangeError for an invalid period or a minimum that is not a whole number of cents ≥ 0.
 */
export function monthlyMinimumCents(p: StatementPeriod, minimumCents: number): Map<string, number> {
  if (!(Number.isInteger(minimumCents) && minimumCents >= 0)) throw new RangeError(`minimum must be whole cents >= 0, got ${minimumCents}`);
  const months = periodMonths(p);
  const days = months.map((m) => monthWindow(p, m)!.days);
  const cents = allocateCents(minimumCents, days);
  return new Map(months.map((m, i) => [m, cents[i]]));
}

/** Hours to 0.01 h, half away from zero (the rounding of cents, applied to hours). @throws RangeError when not finite. */
export const roundHours = (h: number): number => toCents(h) / 100;

/** Where the billed hours of a deployment and month come from. */
export type UsageSource = 'imported' | 'declared_by_enterprise' | 'declared_by_underwriter' | 'none';

/** The usage figures of one deployment and month: imported exposures and the latest declaration by each party. */
export interface UsageFigures {
  /** Hours of the imported exposures in the month's days of cover (spread pro rata), null when no exposure row touches them. */
  readonly imported: number | null;
  /** Latest declaration by the insured (enterprise key of the organization), null when none. */
  readonly declaredByEnterprise: number | null;
  /** Latest declaration by an underwriter, null when none. */
  readonly declaredByUnderwriter: number | null;
}

/**
 * Which hours are billed when several sources exist:
 * 1. an underwriter's declaration wins outright (a correction made by the insurer, e.g. faulty telemetry);
 * 2. otherwise the larger of the imported hours and the insured's declaration: a declaration can
 *    add hours the exposures do not show yet, never bill fewer hours than the insured's own
 *    imported exposures record (ties go to the imported figure);
 * 3. no figure at all: 0 hours, source `none`.
 * Every figure is rounded to 0.01 h first.
 */
export function billedHours(u: UsageFigures): { hours: number; source: UsageSource } {
  if (u.declaredByUnderwriter !== null) return { hours: roundHours(u.declaredByUnderwriter), source: 'declared_by_underwriter' };
  const imported = u.imported === null ? null : roundHours(u.imported);
  const declared = u.declaredByEnterprise === null ? null : roundHours(u.declaredByEnterprise);
  if (declared !== null && (imported === null || declared > imported)) return { hours: declared, source: 'declared_by_enterprise' };
  if (imported !== null) return { hours: imported, source: 'imported' };
  return { hours: 0, source: 'none' };
}

/** A line's schedule from `from` on (an endorsement): full-term gross premium and expected hours. */
export interface LineScheduleChange {
  /** First day the schedule applies (inside the period). */
  readonly from: string;
  readonly grossPremium: number;
  readonly expectedHours: number;
}

/** One fleet line of the statement. */
export interface StatementLineInput {
  /** 1-based fleet line of the quote. */
  readonly line: number;
  /** The line's gross premium over the whole period (all coverages, tax included), CNY (rounded to cents first), as bound. */
  readonly grossPremium: number;
  /** Expected operating hours of the line over the whole period: units × hours per unit (> 0), as bound. */
  readonly expectedHours: number;
  /** Hours billed this month (see {@link billedHours}), ≥ 0. */
  readonly billedHours: number;
  /** Endorsements of the line in date order: each replaces the schedule from its `from` day (a later one on the same day wins). */
  readonly changes?: readonly LineScheduleChange[];
}

export interface StatementInput {
  /** The policy term (inception to expiry): D is its days, whatever a cancellation cuts. */
  readonly period: StatementPeriod;
  /** Last day of cover when a cancellation ends it before the period's end (C − 1); default the period's end. */
  readonly coverEnd?: string;
  /** `YYYY-MM`, a month the period touches. */
  readonly month: string;
  /** The plan's minimum premium for the whole policy (tax included), CNY (rounded to cents first). */
  readonly minimumPremium: number;
  readonly lines: readonly StatementLineInput[];
}

export interface StatementLine {
  readonly line: number;
  /** G_i / E_i, not rounded (with several pieces in the month: g_m / e_m). */
  readonly rate: number;
  /** The schedules of the line in the month (one, or one per endorsement inside it). */
  readonly pieces: readonly StatementPiece[];
  /** E_i × d_m / D to 0.01 h. */
  readonly expectedHours: number;
  /** Billed hours to 0.01 h. */
  readonly billedHours: number;
  /** billed − expected (hours, to 0.01 h). */
  readonly hoursVariance: number;
  /** round_cents(G_i × billed / E_i). */
  readonly amount: number;
  /** round_cents(G_i × d_m / D): the amount at the expected hours. */
  readonly expectedAmount: number;
}

/** Days of a month under one schedule of a line. */
export interface StatementPiece {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly grossPremium: number;
  readonly expectedHours: number;
  /** grossPremium / expectedHours, not rounded. */
  readonly rate: number;
}

export interface Statement {
  readonly month: string;
  /** The month's days of cover [from, to] and their number; the period's days. */
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly periodDays: number;
  readonly lines: readonly StatementLine[];
  readonly expectedHours: number;
  readonly billedHours: number;
  /** Σ line amounts. */
  readonly subtotal: number;
  /** The month's share of the minimum premium. */
  readonly minimumPremium: number;
  /** max(0, minimum − subtotal). */
  readonly minimumAdjustment: number;
  /** subtotal + adjustment = max(subtotal, minimum). */
  readonly total: number;
}

/** The month's window under the cover: the period cut at `coverEnd`; null when the month has no day of cover. */
function coverWindow(input: StatementInput) {
  const w = monthWindow(input.period, input.month);
  if (!w) return null;
  const end = input.coverEnd ?? input.period.end;
  if (!isCalendarDate(end) || end > input.period.end) throw new RangeError(`cover end ${end} must be a day of the period ${input.period.start}..${input.period.end}`);
  const to = w.to < end ? w.to : end;
  if (to < w.from) return null;
  return { ...w, to, days: daysBetween(w.from, to) + 1, termDays: w.days };
}

/** The pieces of a line's month [from, to]: its schedules split at the effective dates. */
function linePieces(l: StatementLineInput, from: string, to: string): StatementPiece[] {
  const schedules: LineScheduleChange[] = [{ from: '0000-01-01', grossPremium: l.grossPremium, expectedHours: l.expectedHours }];
  for (const c of l.changes ?? []) {
    if (c.from < schedules[schedules.length - 1].from) throw new RangeError(`line ${l.line}: schedule changes must be in date order (${c.from})`);
    if (c.from === schedules[schedules.length - 1].from) schedules.pop();
    schedules.push(c);
  }
  const pieces: StatementPiece[] = [];
  for (const [k, x] of schedules.entries()) {
    const next = schedules[k + 1]?.from;
    const a = x.from > from ? x.from : from;
    const b = next !== undefined && addDays(next, -1) < to ? addDays(next, -1) : to;
    if (a > b) continue;
    if (!(Number.isFinite(x.grossPremium) && x.grossPremium >= 0)) throw new RangeError(`line ${l.line}: gross premium must be >= 0, got ${x.grossPremium}`);
    if (!(Number.isFinite(x.expectedHours) && x.expectedHours > 0)) throw new RangeError(`line ${l.line}: expected hours must be > 0, got ${x.expectedHours}`);
    const g = toCents(x.grossPremium) / 100;
    const last = pieces[pieces.length - 1];
    // a change that keeps the schedule (an endorsement restoring it, or changing another line) does not split the
    // month: one piece, billed exactly as if nothing had changed (Σ E·d_k / D and E·d / D differ in the last bit)
    if (last && last.grossPremium === g && last.expectedHours === x.expectedHours) {
      pieces[pieces.length - 1] = { ...last, to: b, days: last.days + daysBetween(a, b) + 1 };
      continue;
    }
    pieces.push({ from: a, to: b, days: daysBetween(a, b) + 1, grossPremium: g, expectedHours: x.expectedHours, rate: g / x.expectedHours });
  }
  return pieces;
}

/**
 * The premium statement of one month (formulas in the module comment). Money in CNY, exact to
 * the cent (sums are taken in integer cents).
 * @throws RangeError for an invalid period or month, a month outside the period, a line whose
 *   gross premium < 0, expected hours ≤ 0 or billed hours < 0.
 */
export function buildStatement(input: StatementInput): Statement {
  const w = coverWindow(input);
  if (!w) throw new RangeError(`month ${input.month} is outside the period ${input.period.start}..${input.coverEnd ?? input.period.end}`);
  const fullShare = monthlyMinimumCents(input.period, toCents(input.minimumPremium)).get(input.month)!;
  // a cancellation month keeps the share of its covered days (exact, half away from zero)
  const minimum = w.days === w.termDays ? fullShare : toCents((fullShare * w.days) / w.termDays / 100);
  let subtotal = 0;
  let expectedTotal = 0;
  let billedTotal = 0;
  const lines = input.lines.map((l): StatementLine => {
    if (!(Number.isFinite(l.billedHours) && l.billedHours >= 0)) throw new RangeError(`line ${l.line}: billed hours must be >= 0, got ${l.billedHours}`);
    const pieces = linePieces(l, w.from, w.to);
    const billed = roundHours(l.billedHours);
    let amount: number;
    let expectedHours: number;
    let expectedAmount: number;
    let rate: number;
    if (pieces.length === 1) {
      const [p] = pieces;
      expectedHours = (p.expectedHours * w.days) / w.periodDays;
      amount = toCents((p.grossPremium * billed) / p.expectedHours);
      expectedAmount = toCents((p.grossPremium * w.days) / w.periodDays);
      rate = p.rate;
    } else {
      // Σ_k G_k d_k in cents·days (exact integers) and Σ_k E_k d_k in hour·days
      const gd = pieces.reduce((a, p) => a + toCents(p.grossPremium) * p.days, 0);
      const ed = pieces.reduce((a, p) => a + p.expectedHours * p.days, 0);
      expectedHours = ed / w.periodDays;
      amount = toCents((gd * billed) / ed / 100);
      expectedAmount = toCents(gd / w.periodDays / 100);
      rate = gd / ed / 100;
    }
    const expected = roundHours(expectedHours);
    subtotal += amount;
    expectedTotal += toCents(expected);
    billedTotal += toCents(billed);
    return {
      line: l.line, rate, pieces, expectedHours: expected, billedHours: billed,
      hoursVariance: (toCents(billed) - toCents(expected)) / 100, amount: amount / 100, expectedAmount: expectedAmount / 100,
    };
  });
  const adjustment = Math.max(0, minimum - subtotal);
  return {
    month: input.month, from: w.from, to: w.to, days: w.days, periodDays: w.periodDays, lines,
    expectedHours: expectedTotal / 100, billedHours: billedTotal / 100,
    subtotal: subtotal / 100, minimumPremium: minimum / 100, minimumAdjustment: adjustment / 100, total: (subtotal + adjustment) / 100,
  };
}
