/**
 * Premium statement arithmetic (models/premium/usage-statement.ts): hand-worked examples (the
 * figures below were computed by hand / with Python's decimal module, half-up to the cent, not by
 * this code) and fast-check properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  billedHours, buildStatement, monthBounds, monthlyMinimumCents, monthWindow, periodMonths, roundHours,
} from '../../../models/premium/usage-statement.ts';

const YEAR_2027 = { start: '2027-01-01', end: '2027-12-31' };
// line 1: 10 units × 4,000 h, gross CNY 12,345.67; line 2: 6 units × 5,000 h, gross CNY 8,765.43
const LINES = [
  { line: 1, grossPremium: 12_345.67, expectedHours: 40_000 },
  { line: 2, grossPremium: 8_765.43, expectedHours: 30_000 },
];

describe('calendar of a statement', () => {
  it('month bounds, leap Februaries, the months a period touches and the days of cover in each', () => {
    expect(monthBounds('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthBounds('2027-12')).toEqual({ first: '2027-12-01', last: '2027-12-31' });
    expect(() => monthBounds('2027-13')).toThrow(RangeError);
    expect(() => monthBounds('2027-1')).toThrow(RangeError);
    expect(periodMonths({ start: '2026-12-15', end: '2027-02-03' })).toEqual(['2026-12', '2027-01', '2027-02']);
    expect(monthWindow({ start: '2026-12-15', end: '2027-02-03' }, '2026-12')).toEqual({ from: '2026-12-15', to: '2026-12-31', days: 17, periodDays: 51 });
    expect(monthWindow({ start: '2026-12-15', end: '2027-02-03' }, '2027-02')).toEqual({ from: '2027-02-01', to: '2027-02-03', days: 3, periodDays: 51 });
    expect(monthWindow({ start: '2026-12-15', end: '2027-02-03' }, '2027-03')).toBeNull();
    expect(monthWindow({ start: '2026-12-15', end: '2027-02-03' }, '2026-11')).toBeNull();
  });

  it('the minimum premium over the months: CNY 5,000 over 2027 by largest remainder', () => {
    // exact shares 500000 × d/365 cents: 31 days 42465.753…, 30 days 41095.890…, February 38356.164…;
    // floors add up to 499,991: the 9 cents left go to the four 30-day months (.890) and the first five 31-day months (.753)
    const m = monthlyMinimumCents(YEAR_2027, 500_000);
    expect([...m.values()]).toEqual([42466, 38356, 42466, 41096, 42466, 41096, 42466, 42466, 41096, 42465, 41096, 42465]);
    expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(500_000);
  });
});

describe('which hours are billed', () => {
  it('an underwriter declaration wins; else the larger of imported and the insured declaration; else none', () => {
    expect(billedHours({ imported: 100.004, declaredByEnterprise: 120, declaredByUnderwriter: 90 })).toEqual({ hours: 90, source: 'declared_by_underwriter' });
    expect(billedHours({ imported: 100.004, declaredByEnterprise: 80, declaredByUnderwriter: null })).toEqual({ hours: 100, source: 'imported' });
    expect(billedHours({ imported: 100.005, declaredByEnterprise: 100.01, declaredByUnderwriter: null })).toEqual({ hours: 100.01, source: 'imported' });
    expect(billedHours({ imported: 100, declaredByEnterprise: 130.5, declaredByUnderwriter: null })).toEqual({ hours: 130.5, source: 'declared_by_enterprise' });
    expect(billedHours({ imported: null, declaredByEnterprise: 12, declaredByUnderwriter: null })).toEqual({ hours: 12, source: 'declared_by_enterprise' });
    expect(billedHours({ imported: null, declaredByEnterprise: null, declaredByUnderwriter: null })).toEqual({ hours: 0, source: 'none' });
    expect(billedHours({ imported: null, declaredByEnterprise: null, declaredByUnderwriter: 0 })).toEqual({ hours: 0, source: 'declared_by_underwriter' });
  });

  it('hours round to 0.01 h half away from zero', () => {
    expect(roundHours(3210.505)).toBe(3210.51);
    expect(roundHours(3210.5049)).toBe(3210.5);
    expect(roundHours(0.004)).toBe(0);
  });
});

describe('statement of a month, hand-worked', () => {
  it('February 2027: 3,210.5 h and 2,000 h billed against 28/365 of the expected hours', () => {
    const s = buildStatement({ period: YEAR_2027, month: '2027-02', minimumPremium: 5000, lines: [
      { ...LINES[0], billedHours: 3210.5 }, { ...LINES[1], billedHours: 2000 },
    ] });
    // 12,345.67 × 3,210.5 / 40,000 = 990.894338375 → 990.89; 8,765.43 × 2,000 / 30,000 = 584.362 → 584.36
    expect(s.lines.map((l) => l.amount)).toEqual([990.89, 584.36]);
    // 40,000 × 28/365 = 3,068.4931… → 3,068.49; 30,000 × 28/365 = 2,301.3698… → 2,301.37
    expect(s.lines.map((l) => l.expectedHours)).toEqual([3068.49, 2301.37]);
    expect(s.lines.map((l) => l.hoursVariance)).toEqual([142.01, -301.37]);
    // 12,345.67 × 28/365 = 947.0650… → 947.07; 8,765.43 × 28/365 = 672.4165… → 672.42
    expect(s.lines.map((l) => l.expectedAmount)).toEqual([947.07, 672.42]);
    expect(s.lines[0].rate).toBeCloseTo(0.30864175, 12);
    expect(s).toMatchObject({ from: '2027-02-01', to: '2027-02-28', days: 28, periodDays: 365, expectedHours: 5369.86, billedHours: 5210.5,
      subtotal: 1575.25, minimumPremium: 383.56, minimumAdjustment: 0, total: 1575.25 });
  });

  it('April 2027 with little use is billed the month’s minimum premium', () => {
    const s = buildStatement({ period: YEAR_2027, month: '2027-04', minimumPremium: 5000, lines: [
      { ...LINES[0], billedHours: 100 }, { ...LINES[1], billedHours: 0 },
    ] });
    // 12,345.67 × 100 / 40,000 = 30.864175 → 30.86; April's share of the minimum 410.96 (above)
    expect(s).toMatchObject({ subtotal: 30.86, minimumPremium: 410.96, minimumAdjustment: 380.1, total: 410.96 });
  });

  it('a policy starting mid-month: its first month covers the days from inception only', () => {
    const s = buildStatement({ period: { start: '2027-03-16', end: '2028-03-15' }, month: '2027-03', minimumPremium: 0, lines: [
      { line: 1, grossPremium: 36_600, expectedHours: 36_600, billedHours: 0 },
    ] });
    // 366 days (29 Feb 2028 inside): March 2027 has 16 of them; 36,600 × 16/366 = 1,600 h and CNY 1,600.00
    expect(s).toMatchObject({ from: '2027-03-16', to: '2027-03-31', days: 16, periodDays: 366, expectedHours: 1600, total: 0 });
    expect(s.lines[0].expectedAmount).toBe(1600);
  });

  it('refuses a month outside the period, negative hours, no expected hours', () => {
    expect(() => buildStatement({ period: YEAR_2027, month: '2028-01', minimumPremium: 0, lines: [{ ...LINES[0], billedHours: 1 }] })).toThrow(/outside the period/);
    expect(() => buildStatement({ period: YEAR_2027, month: '2027-01', minimumPremium: 0, lines: [{ ...LINES[0], billedHours: -1 }] })).toThrow(RangeError);
    expect(() => buildStatement({ period: YEAR_2027, month: '2027-01', minimumPremium: 0, lines: [{ ...LINES[0], expectedHours: 0, billedHours: 1 }] })).toThrow(RangeError);
  });
});

describe('statement properties (fast-check)', () => {
  const cents = fc.integer({ min: 0, max: 10_000_000_000 }); // up to CNY 100 million
  const expected = fc.integer({ min: 1, max: 100_000_000 }).map((x) => x / 100); // 0.01 h … 1 million h
  const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const period = fc.tuple(day, fc.integer({ min: 0, max: 3 * 366 - 1 })).map(([s, len]) => ({
    start: s, end: new Date(Date.parse(`${s}T00:00:00Z`) + len * 86_400_000).toISOString().slice(0, 10),
  }));

  it('rate × expected hours = the gross premium to the cent: the whole expected hours bill exactly the gross', () => {
    fc.assert(fc.property(cents, expected, (g, e) => {
      const s = buildStatement({ period: YEAR_2027, month: '2027-06', minimumPremium: 0, lines: [{ line: 1, grossPremium: g / 100, expectedHours: e, billedHours: e }] });
      expect(Math.round(s.lines[0].amount * 100)).toBe(g);
    }), { numRuns: 500 });
  });

  it('amounts are non-decreasing in the hours and add up within a cent', () => {
    // at least 10 expected hours: amounts stay below CNY 10^11, where a double still resolves a tenth of a cent
    const lineHours = fc.integer({ min: 1000, max: 100_000_000 }).map((x) => x / 100);
    fc.assert(fc.property(cents, lineHours, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (g, e, a, b) => {
      const bill = (h: number) => buildStatement({ period: YEAR_2027, month: '2027-06', minimumPremium: 0, lines: [{ line: 1, grossPremium: g / 100, expectedHours: e, billedHours: h }] }).total;
      const [x, y, xy] = [bill(a / 100), bill(b / 100), bill((a + b) / 100)];
      if (a <= b) expect(x).toBeLessThanOrEqual(y);
      expect(Math.abs(Math.round(x * 100) + Math.round(y * 100) - Math.round(xy * 100))).toBeLessThanOrEqual(1);
    }), { numRuns: 300 });
  });

  it('over every month of any period: the minimum adds up exactly, expected amounts within a cent a month, totals ≥ both', () => {
    fc.assert(fc.property(period, cents, cents, expected, (p, g, m, e) => {
      const months = periodMonths(p);
      let minimum = 0;
      let expectedAmounts = 0;
      let days = 0;
      for (const month of months) {
        const s = buildStatement({ period: p, month, minimumPremium: m / 100, lines: [{ line: 1, grossPremium: g / 100, expectedHours: e, billedHours: 0 }] });
        minimum += Math.round(s.minimumPremium * 100);
        expectedAmounts += Math.round(s.lines[0].expectedAmount * 100);
        days += s.days;
        expect(s.total).toBe(Math.max(s.subtotal, s.minimumPremium));
      }
      expect(days).toBe(monthWindow(p, months[0])!.periodDays);
      expect(minimum).toBe(m);
      expect(Math.abs(expectedAmounts - g)).toBeLessThanOrEqual(Math.ceil(months.length / 2));
    }), { numRuns: 200 });
  });
});
