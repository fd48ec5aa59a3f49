/**
 * The lattice step of the policy aggregate is chosen from both the aggregate's range and the
 * payments' scale (the variance the unbiased discretisation may add), so the risk margin is
 * within 0.1 % of the one on a 4× finer lattice from 1 robot to 3 × 100,000.
 * Before: 2^14 points always; 3 lines × 100,000 robots (Poisson) came out 18 % too high.
 */
import { describe, expect, it } from 'vitest';
import { distributionFromParams } from '../../../models/distributions/index.ts';
import { buildPremium, type PremiumLineInput } from '../../../models/premium/index.ts';
import type { PolicyFrequency } from '../../../models/premium/policy-aggregate.ts';

const rd = distributionFromParams('lognormal', { meanlog: 9.5, sdlog: 1.1 });
const tpl = distributionFromParams('lomax', { shape: 2.5, scale: 60_000 });
const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
const fleet = (units: number): PremiumLineInput[] => [0, 1, 2].flatMap((i) => [
  { lineId: `${i}r`, coverage: 'robot_damage', units, hoursPerUnit: 4000 + i * 500, claimRatePerHour: 2e-5 * (1 + i), severity: rd, deductible: 5000, limit: 300_000 },
  { lineId: `${i}t`, coverage: 'third_party_liability', units, hoursPerUnit: 4000 + i * 500, claimRatePerHour: 5e-6, severity: tpl, deductible: 2000, limit: 2_000_000 },
]);

describe('lattice step from range and payment scale', () => {
  const cases: [PolicyFrequency, number][] = [];
  for (const f of [{ dist: 'poisson' }, { dist: 'negative-binomial', theta: 3 }] as PolicyFrequency[]) for (const u of [1, 10, 1000, 10_000, 100_000]) cases.push([f, u]);
  it.each(cases)('%o × %i robots per line: risk margin within 0.1 per cent of a 4× finer lattice', (frequency, units) => {
    const lines = fleet(units);
    const p = buildPremium({ lines, frequency, loadings });
    const fine = buildPremium({ lines, frequency, loadings, aggregateOptions: { gridPoints: p.aggregate.gridPoints * 4 } });
    expect(Math.abs(p.riskMarginTotal / fine.riskMarginTotal - 1)).toBeLessThan(1e-3);
    // the step respects the variance bound: Λh²/4 ≤ 1e-3 Var S (or the grid is at its cap)
    const claims = p.lines.reduce((s, l) => s + l.loadedExpectedClaims, 0);
    expect(claims * p.aggregate.step ** 2 / 4 <= 1.0001e-3 * p.aggregate.sd ** 2 || p.aggregate.gridPoints === 1 << 20 || p.aggregate.gridPoints === 1 << 14).toBe(true);
  }, 60_000);
});
