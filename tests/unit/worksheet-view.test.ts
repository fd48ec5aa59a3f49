/**
 * The class-figure rule of the enterprise worksheet view (services/worksheet-view.ts,
 * docs/architecture.md §6 "Tenant privacy"): shown only where at least `minContributors` other
 * organizations have hours in the class and none has more than `dominance` of their hours.
 */
import { describe, expect, it } from 'vitest';
import { classFigures } from '../../services/worksheet-view.ts';
import type { CredibilityInput } from '../../services/pricing.ts';

const RULES = { minContributors: 3, dominance: 0.75 };
/** A table of one class: each organization's monthly hours (rates are irrelevant to the rule). */
const table = (hours: number[][], row: number): CredibilityInput => ({ ratios: hours.map((h) => h.map((x) => (x > 0 ? 1 : null))), weights: hours, row });
const inputs = (...tables: CredibilityInput[]) => ({ credibility: Object.fromEntries(tables.map((t, i) => [['robot_damage', 'third_party_liability'][i], { 'c.x': t }])) });

describe('classFigures', () => {
  it('needs three other organizations with hours; the requester does not count, nor an organization without hours', () => {
    expect(classFigures(inputs(table([[10, 10], [10, 10], [10, 10]], 0)), 'c.x', RULES).shown).toBe(false); // 2 others
    expect(classFigures(inputs(table([[10, 10], [10, 10], [10, 10], [10, 10]], 0)), 'c.x', RULES).shown).toBe(true); // 3 others
    expect(classFigures(inputs(table([[10, 10], [10, 10], [10, 10], [10, 10]], -1)), 'c.x', RULES).shown).toBe(true); // 4, requester absent
    expect(classFigures(inputs(table([[10, 10], [10, 10], [10, 10], [0, 0]], 0)), 'c.x', RULES).shown).toBe(false); // one has no hours
  });

  it('withholds where one other organization has more than 75 % of the others’ hours (exactly 75 % passes)', () => {
    expect(classFigures(inputs(table([[1, 1], [70, 0], [10, 0], [10, 0]], 0)), 'c.x', RULES).shown).toBe(false); // 70 / 90
    expect(classFigures(inputs(table([[1, 1], [75, 0], [15, 0], [10, 0]], 0)), 'c.x', RULES).shown).toBe(true); // 75 / 100
  });

  it('withholds without a stored table (credibility off) and when any coverage’s table fails', () => {
    expect(classFigures({ credibility: {} }, 'c.x', RULES).shown).toBe(false);
    const ok = table([[10], [10], [10], [10]], 0);
    const few = table([[10], [10], [10]], 0);
    expect(classFigures(inputs(ok, few), 'c.x', RULES).shown).toBe(false);
    expect(classFigures(inputs(ok, ok), 'c.x', RULES).shown).toBe(true);
    expect(classFigures(inputs(ok), 'other.class', RULES).shown).toBe(false);
  });

  it('follows the configured rules', () => {
    const t = table([[10], [10], [10]], 0);
    expect(classFigures(inputs(t), 'c.x', { minContributors: 2, dominance: 0.75 }).shown).toBe(true);
    expect(classFigures(inputs(t), 'c.x', { minContributors: 2, dominance: 0.4 }).shown).toBe(false);
  });
});
