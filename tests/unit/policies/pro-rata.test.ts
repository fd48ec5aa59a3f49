/**
 * Pro-rata premium of endorsements and cancellations (models/premium/pro-rata.ts): hand-worked
 * examples (the arithmetic is written out next to each) and fast-check properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cancellationReturn, endorsementCharge, proRataCents, termDays, type PremiumPiece } from '../../../models/premium/pro-rata.ts';
import { addDays } from '../../../domain/calendar.ts';

const Y2027 = { start: '2027-01-01', end: '2027-12-31' };
const Y2028 = { start: '2028-01-01', end: '2028-12-31' };

describe('pro rata by hand', () => {
  it('counts the days of the period both ends inclusive (actual days: 365, leap year 366, one day 1)', () => {
    expect(termDays(Y2027)).toBe(365);
    expect(termDays(Y2028)).toBe(366);
    expect(termDays({ start: '2027-03-05', end: '2027-03-05' })).toBe(1);
    expect(termDays({ start: '2027-07-01', end: '2028-06-30' })).toBe(366); // contains 2028-02-29
    expect(() => termDays({ start: '2027-03-05', end: '2027-03-04' })).toThrow(RangeError);
  });

  it('adding units from 2027-04-01 with a full-term change of 1,234.56: 275 of 365 days = 930.15', () => {
    // Apr..Dec = 30+31+30+31+31+30+31+30+31 = 275 days; 123456 × 275 / 365 = 93014.79… → 93015 cents
    expect(endorsementCharge(Y2027, '2027-04-01', 500_000, 623_456)).toEqual({
      term_days: 365, remaining_days: 275, annual_change_cents: 123_456, premium_cents: 93_015,
    });
  });

  it('removing units in a leap year from 2028-03-01 with a full-term change of −500.00: 306 of 366 days = −418.03', () => {
    // 366 − 31 − 29 = 306 days; −50000 × 306 / 366 = −41803.28… → −41803 cents
    expect(endorsementCharge(Y2028, '2028-03-01', 100_000, 50_000).premium_cents).toBe(-41_803);
  });

  it('rounds half away from zero, symmetrically', () => {
    // a two-day period, changed on its second day: half of the change
    const p = { start: '2027-01-01', end: '2027-01-02' };
    expect(endorsementCharge(p, '2027-01-02', 0, 101).premium_cents).toBe(51); // 50.5 → 51
    expect(endorsementCharge(p, '2027-01-02', 101, 0).premium_cents).toBe(-51); // −50.5 → −51
    expect(proRataCents(1, 1, 2)).toBe(1);
    expect(proRataCents(1, 1, 3)).toBe(0); // 0.33…
    expect(proRataCents(2, 1, 3)).toBe(1); // 0.67
  });

  it('a change effective on the inception day costs the whole full-term change; on the last day 1/D of it', () => {
    expect(endorsementCharge(Y2027, '2027-01-01', 100_000, 150_000).premium_cents).toBe(50_000);
    expect(endorsementCharge(Y2027, '2027-12-31', 100_000, 465_000).premium_cents).toBe(1_000); // 365000 / 365
    expect(() => endorsementCharge(Y2027, '2028-01-01', 0, 1)).toThrow(RangeError);
    expect(() => endorsementCharge(Y2027, '2026-12-31', 0, 1)).toThrow(RangeError);
  });

  it('cancelling a 3,650.00 policy on 2027-07-01 returns 1,840.00 (184 of 365 days unexpired)', () => {
    // covered Jan..Jun = 181 days, earned 365000 × 181 / 365 = 181000
    expect(cancellationReturn(Y2027, '2027-07-01', [{ effective: '2027-01-01', annual_change_cents: 365_000, written_cents: 365_000 }])).toEqual({
      term_days: 365, covered_days: 181, written_cents: 365_000, earned_cents: 181_000, return_cents: 184_000,
    });
  });

  it('cancelling after an endorsement: 1,000.00 bound, +365.00 from 2027-04-01, cancelled 2027-10-01 returns 344.05', () => {
    // endorsement written 36500 × 275 / 365 = 27500; earned (100000 × 273 + 36500 × 183) / 365 = 93094.52 → 93095
    const pieces: PremiumPiece[] = [
      { effective: '2027-01-01', annual_change_cents: 100_000, written_cents: 100_000 },
      { effective: '2027-04-01', annual_change_cents: 36_500, written_cents: endorsementCharge(Y2027, '2027-04-01', 100_000, 136_500).premium_cents },
    ];
    expect(pieces[1].written_cents).toBe(27_500);
    const r = cancellationReturn(Y2027, '2027-10-01', pieces);
    expect(r).toEqual({ term_days: 365, covered_days: 273, written_cents: 127_500, earned_cents: 93_095, return_cents: 34_405 });
    // the same as the premium in force × unexpired days: 136500 × 92 / 365 = 34405.48
    expect(proRataCents(136_500, 92, 365)).toBe(34_405);
  });

  it('refuses a cancellation before a change already in force or outside the period', () => {
    const pieces: PremiumPiece[] = [{ effective: '2027-01-01', annual_change_cents: 100, written_cents: 100 }, { effective: '2027-05-01', annual_change_cents: 50, written_cents: 33 }];
    expect(() => cancellationReturn(Y2027, '2027-04-30', pieces)).toThrow(RangeError);
    expect(() => cancellationReturn(Y2027, '2028-01-01', pieces)).toThrow(RangeError);
  });
});

/** A policy period of 1..800 days starting in 2027–2029. */
const period = fc.record({ offset: fc.integer({ min: 0, max: 1100 }), days: fc.integer({ min: 1, max: 800 }) })
  .map(({ offset, days }) => { const start = addDays('2027-01-01', offset); return { start, end: addDays(start, days - 1), days }; });
const cents = fc.integer({ min: 0, max: 10_000_000_000 }); // up to CNY 100 million

describe('pro rata properties (fast-check)', () => {
  it('adding and then removing the same units on the same day nets exactly zero', () => {
    fc.assert(fc.property(period, fc.integer({ min: 0, max: 799 }), cents, cents, (p, k, before, after) => {
      const e = addDays(p.start, k % p.days);
      const add = endorsementCharge(p, e, before, after);
      const remove = endorsementCharge(p, e, after, before);
      expect(add.premium_cents + remove.premium_cents).toBe(0);
    }), { numRuns: 500 });
  });

  it('a cancellation on the inception day returns everything written', () => {
    fc.assert(fc.property(period, cents, fc.array(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), { maxLength: 5 }), (p, g, changes) => {
      let inForce = g;
      const pieces: PremiumPiece[] = [{ effective: p.start, annual_change_cents: g, written_cents: g }];
      for (const c of changes) {
        const after = Math.max(0, inForce + c);
        const ch = endorsementCharge(p, p.start, inForce, after);
        pieces.push({ effective: p.start, annual_change_cents: ch.annual_change_cents, written_cents: ch.premium_cents });
        inForce = after;
      }
      const r = cancellationReturn(p, p.start, pieces);
      expect(r.earned_cents).toBe(0);
      expect(r.return_cents).toBe(r.written_cents);
      expect(r.written_cents).toBe(inForce);
    }), { numRuns: 300 });
  });

  it('after endorsements on any days, the return premium is within a cent per change of the premium in force × unexpired / D, and 0 ≤ return ≤ written', () => {
    fc.assert(fc.property(period, cents, fc.array(fc.record({ day: fc.integer({ min: 0, max: 799 }), change: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }) }), { maxLength: 6 }), fc.integer({ min: 0, max: 799 }),
      (p, g, changes, cancelK) => {
        const days = changes.map((c) => c.day % p.days).sort((a, b) => a - b);
        let inForce = g;
        const pieces: PremiumPiece[] = [{ effective: p.start, annual_change_cents: g, written_cents: g }];
        days.forEach((d, i) => {
          const after = Math.max(0, inForce + changes[i].change);
          const ch = endorsementCharge(p, addDays(p.start, d), inForce, after);
          pieces.push({ effective: addDays(p.start, d), annual_change_cents: ch.annual_change_cents, written_cents: ch.premium_cents });
          inForce = after;
        });
        const last = days.length ? days[days.length - 1] : 0;
        const c = last + (cancelK % (p.days - last));
        const cancelOn = addDays(p.start, c);
        const r = cancellationReturn(p, cancelOn, pieces);
        expect(r.written_cents - r.earned_cents).toBe(r.return_cents);
        expect(Math.abs(r.return_cents - proRataCents(inForce, p.days - c, p.days))).toBeLessThanOrEqual(pieces.length);
        expect(r.return_cents).toBeGreaterThanOrEqual(-pieces.length);
        expect(r.return_cents).toBeLessThanOrEqual(r.written_cents + pieces.length);
      }), { numRuns: 300 });
  });

  it('pro rata is exact at the ends and monotone in the days', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 800 }), fc.integer({ min: 0, max: 799 }), (a, D, k) => {
      const n = k % (D + 1);
      expect(proRataCents(a, D, D)).toBe(a);
      expect(proRataCents(a, 0, D)).toBe(0);
      expect(proRataCents(-a, n, D) + proRataCents(a, n, D)).toBe(0);
      if (n < D && a >= 0) expect(proRataCents(a, n, D)).toBeLessThanOrEqual(proRataCents(a, n + 1, D));
      expect(Math.abs(proRataCents(a, n, D) - (a * n) / D)).toBeLessThanOrEqual(0.5 + 1e-6 * Math.abs(a));
    }), { numRuns: 500 });
  });
});
