import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coarserLevels, suppress, type SdcCell } from '../../services/disclosure.ts';

const rules = { minContributors: 3, dominance: 0.75 };
const cell = (a: string, b: string, contributors = 5, maxShare = 0.3, magnitude = 100): SdcCell => ({ key: { a, b }, contributors, maxShare, magnitude });

describe('disclosure control', () => {
  it('suppresses cells with fewer than 3 contributors or one dominant contributor', () => {
    const out = suppress([cell('x', '1', 2), cell('x', '2', 5, 0.8), cell('x', '3', 3, 0.75)], ['b'], rules);
    expect(out).toEqual(['min_contributors', 'dominance', undefined]);
  });

  it('adds a complementary suppression so a cell cannot be recovered from a margin', () => {
    // 2×3 table; (x,1) fails the rule. Row x, column 1, and then the dependent column/row need a second suppression.
    const cells = [cell('x', '1', 1), cell('x', '2', 5, 0.3, 50), cell('x', '3', 5, 0.3, 80), cell('y', '1', 5, 0.3, 70), cell('y', '2', 5, 0.3, 60), cell('y', '3', 5, 0.3, 90)];
    const out = suppress(cells, ['a', 'b'], rules);
    expect(out[0]).toBe('min_contributors');
    expect(out[1]).toBe('complementary'); // smallest other cell of row x
    expect(out[3]).toBe('complementary'); // the only other cell of column 1
    expect(out[4]).toBe('complementary'); // column 2 had (x,2) alone
    expect(out[2]).toBeUndefined();
    expect(out[5]).toBeUndefined();
  });

  it('with one dimension, the grand total is the margin: a single suppressed cell gets a partner', () => {
    const out = suppress([cell('x', '1', 2), cell('x', '2', 9, 0.1, 500), cell('x', '3', 9, 0.1, 20)], ['b'], rules);
    expect(out).toEqual(['min_contributors', undefined, 'complementary']);
  });

  it('property: no margin group ever has exactly one suppressed cell (unless the group is a single cell)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ c: fc.integer({ min: 1, max: 8 }), s: fc.double({ min: 0.05, max: 1, noNaN: true }), m: fc.integer({ min: 1, max: 1000 }) }), { minLength: 12, maxLength: 12 }),
      (vals) => {
        const cells = vals.map((v, i) => cell(`r${Math.floor(i / 4)}`, `c${i % 4}`, v.c, v.s, v.m));
        const out = suppress(cells, ['a', 'b'], rules);
        for (const dim of ['a', 'b']) {
          const other = dim === 'a' ? 'b' : 'a';
          const groups = new Map<string, number[]>();
          cells.forEach((c, i) => groups.set(c.key[other], [...(groups.get(c.key[other]) ?? []), i]));
          for (const g of groups.values()) expect(g.filter((i) => out[i] !== undefined).length).not.toBe(1);
        }
        // every primary rule is honoured
        cells.forEach((c, i) => { if (c.contributors < 3 || c.maxShare > 0.75) expect(out[i]).toBeDefined(); });
      },
    ), { numRuns: 200 });
  });

  it('hierarchies: a class suppressed alone in its area gets a partner in the same area, not the smallest class elsewhere', () => {
    // found on the demo history: the grand total's partner of a single-operator class was a
    // small class of another area, so the area's total minus its published classes revealed it
    const c = (cls: string, contributors: number, magnitude: number): SdcCell => ({ key: { scenario_class: cls }, contributors, maxShare: 0.3, magnitude });
    const cells = [
      c('emergency_rescue.firefighting_support', 1, 500), c('emergency_rescue.search', 7, 900), c('emergency_rescue.disaster_relief', 7, 800),
      c('manufacturing.painting', 1, 50), c('manufacturing.assembly', 10, 9000), c('manufacturing.machine_tending', 12, 6000),
    ];
    const out = suppress(cells, ['scenario_class'], rules);
    expect(out).toEqual(['min_contributors', undefined, 'complementary', 'min_contributors', undefined, 'complementary']);
    // without the hierarchy the two primary cells would have covered each other in the grand total: nothing complementary
  });

  it('hierarchies: months roll up into quarters and years, quarters into years', () => {
    expect(coarserLevels('period', '2025-05')).toEqual(['2025-Q2', '2025']);
    expect(coarserLevels('period', '2025-Q4')).toEqual(['2025']);
    expect(coarserLevels('period', '2025')).toEqual([]);
    expect(coarserLevels('scenario_class', 'maintenance.cleaning')).toEqual(['maintenance']);
    expect(coarserLevels('scenario_area', 'maintenance')).toEqual([]);
    const m = (month: string, contributors: number, magnitude: number): SdcCell => ({ key: { period: month }, contributors, maxShare: 0.3, magnitude });
    // Q1 has one suppressed month, Q2 one too: the year total would pair them, the quarter totals reveal each
    const out = suppress([m('2025-01', 1, 10), m('2025-02', 5, 30), m('2025-03', 5, 20), m('2025-04', 1, 10), m('2025-05', 5, 25), m('2025-06', 5, 40)], ['period'], rules);
    expect(out).toEqual(['min_contributors', undefined, 'complementary', 'min_contributors', 'complementary', undefined]);
  });

  it('property: no class is suppressed alone in its area, in any combination with another dimension', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ c: fc.integer({ min: 1, max: 8 }), m: fc.integer({ min: 1, max: 1000 }) }), { minLength: 12, maxLength: 12 }),
      (vals) => {
        const classes = ['a.x', 'a.y', 'a.z', 'b.x', 'b.y', 'c.x'];
        const cells = vals.map((v, i): SdcCell => ({ key: { scenario_class: classes[i % 6], t: `t${Math.floor(i / 6)}` }, contributors: v.c, maxShare: 0.3, magnitude: v.m }));
        const out = suppress(cells, ['scenario_class', 't'], rules);
        const groups = new Map<string, number[]>();
        cells.forEach((c, i) => { const k = `${c.key.scenario_class.split('.')[0]}|${c.key.t}`; groups.set(k, [...(groups.get(k) ?? []), i]); });
        for (const g of groups.values()) if (g.length > 1) expect(g.filter((i) => out[i] !== undefined).length).not.toBe(1);
      },
    ), { numRuns: 200 });
  });
});
