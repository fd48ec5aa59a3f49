/**
 * The pieces of the linked-table disclosure control (docs/disclosure-control.md) on hand-made
 * data: answerable windows, the calendar periods a window is, the primary rules, and secondary
 * suppression over the sum relations of a small structure checked by the attacker's LP.
 */
import { describe, expect, it } from 'vitest';
import { windowProblems } from '../../api/schemas-statistics.ts';
import { calendarPeriodOf, isUnitEnd, isUnitStart } from '../../domain/calendar.ts';
import { cellId, membersOf, primaryReason, protectStructure, TOTAL, type BaseRecord } from '../../services/linked-tables.ts';
import { CLASS_DIM, PERIOD_DIM } from '../../services/protected-tables.ts';
import { refineWithLp } from '../../services/lp-protection.ts';
import { feasibleIntervals, protects } from '../../services/lp-audit.ts';

describe('answerable windows', () => {
  it('names the calendar period a window is, or null', () => {
    expect(calendarPeriodOf('2025-01-01', '2025-12-31')).toEqual({ unit: 'year', period: '2025' });
    expect(calendarPeriodOf('2025-04-01', '2025-06-30')).toEqual({ unit: 'quarter', period: '2025-Q2' });
    expect(calendarPeriodOf('2024-02-01', '2024-02-29')).toEqual({ unit: 'month', period: '2024-02' });
    expect(calendarPeriodOf('2024-02-01', '2024-02-28')).toBeNull();
    expect(calendarPeriodOf('2025-01-01', '2026-01-31')).toBeNull(); // the attack's window
    expect(calendarPeriodOf('2025-02-01', '2025-04-30')).toBeNull(); // three months, not a quarter
    expect([isUnitStart('quarter', '2025-04-01'), isUnitStart('quarter', '2025-05-01'), isUnitEnd('year', '2025-12-31'), isUnitEnd('month', '2025-11-30')]).toEqual([true, false, true, true]);
  });

  it('refuses windows that are not whole cells of the structure, naming from / to', () => {
    const f = (q: Parameters<typeof windowProblems>[0], units?: Parameters<typeof windowProblems>[1]) => windowProblems(q, units).map((p) => p.field);
    expect(f({ group_by: ['scenario_class'], from: '2025-01-01', to: '2026-01-31' })).toEqual(['from', 'to']);
    expect(f({ group_by: ['scenario_class'], from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
    expect(f({ group_by: ['scenario_class'], from: '2025-01-01' })).toEqual(['from', 'to']); // open-ended sums are new cells
    expect(f({ group_by: ['scenario_class', 'period'], period_unit: 'month', from: '2025-01-01' })).toEqual([]);
    expect(f({ group_by: ['period'], period_unit: 'quarter', from: '2025-02-01', to: '2025-12-31' })).toEqual(['from']);
    expect(f({ group_by: ['period'], period_unit: 'year', from: '2025-01-01', to: '2025-06-30' })).toEqual(['to']);
    expect(f({ group_by: [], from: '2025-03-01', to: '2025-03-31' }, ['quarter', 'year'])).toEqual(['from', 'to']); // severity: no month
    expect(f({ group_by: [], from: '2025-12-31', to: '2025-01-01' })).toEqual(['to']);
  });
});

describe('primary rules', () => {
  const rules = { minContributors: 3, dominanceN: 1, dominanceK: 0.75, pPercent: 0.1 };
  it('minimum contributors, (n, k) dominance and the p % rule', () => {
    expect(primaryReason({ contributors: 2, measures: [100], top1: 60, top2: 40 }, rules)).toBe('min_contributors');
    expect(primaryReason({ contributors: 3, measures: [100], top1: 80, top2: 10 }, rules)).toBe('dominance');
    expect(primaryReason({ contributors: 3, measures: [100], top1: 50, top2: 46 }, rules)).toBe('p_percent'); // 4 < 10 % of 50
    expect(primaryReason({ contributors: 3, measures: [100], top1: 50, top2: 40 }, rules)).toBeNull();
    expect(primaryReason({ contributors: 3, measures: [100], top1: 50, top2: 40 }, { ...rules, dominanceN: 2 })).toBe('dominance'); // 90 > 75
  });

  it('p = 0 turns the p % rule off, even where the total less its two contributions is −3e−17 in floating point', () => {
    const off = { minContributors: 1, dominanceN: 1, dominanceK: 1, pPercent: 0 };
    expect(0.3 - 0.2 - 0.1).toBeLessThan(0);
    expect(primaryReason({ contributors: 2, measures: [0.3], top1: 0.2, top2: 0.1 }, off)).toBeNull();
    expect(primaryReason({ contributors: 2, measures: [0.3], top1: 0.2, top2: 0.1 }, { ...off, pPercent: 0.1 })).toBe('p_percent');
  });
});

describe('secondary suppression over the linked structure', () => {
  // area a: classes a.x (one organization), a.y, a.z; area b: class b.u (three organizations, one class: area = class); months 2025-01, 2025-02
  const rec = (cls: string, month: string, org: number, hours: number, incidents: number): BaseRecord => ({ values: [cls, month], contributor: org, measures: [hours, incidents] });
  const records: BaseRecord[] = [];
  for (const m of ['2025-01', '2025-02']) {
    records.push(rec('a.x', m, 1, 500, 3));
    for (const o of [2, 3, 4]) records.push(rec('a.y', m, o, 300 + o, 1), rec('a.z', m, o, 200 + o, 2), rec('b.u', m, o, 400 + 10 * o, 1));
  }
  const primary = { minContributors: 3, dominanceN: 1, dominanceK: 0.75, pPercent: 0.1 };
  const secondary = { protection: 0.2, counts: [false, true] };

  it('withholds the single-operator class with a partner in its own area, at every level of the calendar', () => {
    const s = protectStructure([CLASS_DIM, PERIOD_DIM], records, primary, secondary);
    for (const p of ['2025-01', '2025-Q1', '2025', TOTAL]) {
      expect(s.cells.get(cellId(['a.x', p]))!.status).toBe('min_contributors');
      const partners = ['a.y', 'a.z'].filter((c) => s.cells.get(cellId([c, p]))!.status !== null);
      expect(partners.length, p).toBeGreaterThanOrEqual(1);
    }
    // an area of one class and its class share one status; a quarter of two months is not its month
    expect(s.cells.get(cellId(['b', '2025-01']))!.status).toBe(s.cells.get(cellId(['b.u', '2025-01']))!.status);
  });

  it('the attacker\'s LP over all published cells cannot narrow a withheld value within ±20 %', async () => {
    const s = protectStructure([CLASS_DIM, PERIOD_DIM], records, primary, secondary);
    await refineWithLp([CLASS_DIM, PERIOD_DIM], s, secondary);
    expect(s.lpAudited).toBe(true);
    const members = membersOf([CLASS_DIM, PERIOD_DIM], s);
    const published = [...s.cells].filter(([, c]) => c.status === null);
    const withheld = [...s.cells].filter(([, c]) => c.status !== null);
    for (const m of [0, 1]) {
      const iv = await feasibleIntervals(published.map(([id, c]) => ({ cells: members.get(id)!, value: c.measures[m], tolerance: 0 })), withheld.map(([id]) => members.get(id)!));
      withheld.forEach(([id, c], i) => expect(protects(iv[i], c.measures[m], 0.2, 1e-6), `${id} measure ${m}`).toBe(true));
    }
    // and the LP does find an exact value where one exists: a class alone in its area's withheld cells
    const [iv] = await feasibleIntervals([{ cells: [0, 1], value: 10, tolerance: 0 }, { cells: [1], value: 4, tolerance: 0 }], [[0]]);
    expect(iv).toEqual({ lo: 6, hi: 6 });
  });

  it('a cell fixed published by another route is never a complement; the LP reports what it then cannot protect', async () => {
    // the all-time total of area a is published elsewhere (fixed): a.x's partners must come from inside the area
    const fixed = new Map([[cellId(['a', TOTAL]), null]]);
    const s = protectStructure([CLASS_DIM, PERIOD_DIM], records, primary, secondary, { fixed });
    await refineWithLp([CLASS_DIM, PERIOD_DIM], s, secondary);
    expect(s.cells.get(cellId(['a', TOTAL]))!.status).toBeNull();
    expect(s.lpAudited).toBe(true);
    expect(s.unprotected).toEqual([]);
    // one class alone under a fixed published margin cannot be protected: the margin is its value
    const lone = [rec('c.q', '2025-01', 1, 100, 1), rec('c.q', '2025-01', 2, 100, 1)];
    const t = protectStructure([CLASS_DIM, PERIOD_DIM], lone, primary, secondary, { fixed: new Map([[cellId(['c', '2025-01']), null]]) });
    await refineWithLp([CLASS_DIM, PERIOD_DIM], t, secondary);
    expect(t.cells.get(cellId(['c', '2025-01']))!.status).toBeNull();
    expect(t.lpAudited).toBe(false);
    expect(t.unprotected).toContain(cellId(['c.q', '2025-01']));
  });

  it('internal cells are withheld, fixed, and no protection target', async () => {
    const internal = (v: readonly string[]) => v[0] === TOTAL && v[1] !== TOTAL; // the all-area total of a period: answered by no route here
    const s = protectStructure([CLASS_DIM, PERIOD_DIM], records, primary, secondary, { internal });
    await refineWithLp([CLASS_DIM, PERIOD_DIM], s, secondary);
    const c = s.cells.get(cellId([TOTAL, '2025-01']))!;
    expect(c.status).toBe('complementary');
    expect(c.internal).toBe(true);
    expect(s.primary).toBe([...s.cells.values()].filter((x) => !x.internal && x.status !== null && x.status !== 'complementary').length);
    expect(s.lpAudited).toBe(true);
  });

  it('an identity between two routes\' finest cells (coefficients 1 and −1) carries one route\'s figures into the other', async () => {
    // route A: x0 + x1 = 10 published; route B: y2 + y3 + y4 = 5 published; x0 and y2 + y3 are the same cell summed two ways
    const a = { cells: [0, 1], value: 10, tolerance: 0 };
    const b = { cells: [2, 3, 4], value: 5, tolerance: 0 };
    const identity = { cells: [0, 2, 3], coefs: [1, -1, -1], value: 0, tolerance: 0 };
    expect(await feasibleIntervals([a, b], [[0], [1]])).toEqual([{ lo: 0, hi: 10 }, { lo: 0, hi: 10 }]);
    expect(await feasibleIntervals([a, b, identity], [[0], [1]])).toEqual([{ lo: 0, hi: 5 }, { lo: 5, hi: 10 }]);
    // by substitution too: y3 and y4 published pin y2 (= 2), hence x0 = y2 + y3 and x1
    expect(await feasibleIntervals([a, b, identity, { cells: [3], value: 1, tolerance: 0 }, { cells: [4], value: 2, tolerance: 0 }], [[0], [1]]))
      .toEqual([{ lo: 3, hi: 3 }, { lo: 7, hi: 7 }]);
    // cells bound only by an identity are unbounded above (the presolver's "undefined" is resolved by the simplex)
    expect(await feasibleIntervals([{ cells: [0, 1], coefs: [1, -1], value: 0, tolerance: 0 }, { cells: [2, 3], value: 1, tolerance: 0 }], [[0], [2]]))
      .toEqual([{ lo: 0, hi: Infinity }, { lo: 0, hi: 1 }]);
  });
});
