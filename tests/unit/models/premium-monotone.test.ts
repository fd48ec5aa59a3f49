/**
 * Findings of the pricing issue at the model level: an aggregate limit bounds what a coverage
 * can cost, and a shared aggregate limit cannot make a higher deductible dearer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distributionFromParams } from '../../../models/distributions/index.ts';
import { buildPremium, type PremiumInput, type PremiumLineInput } from '../../../models/premium/index.ts';

const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
const rd = distributionFromParams('lognormal', { meanlog: 9.5, sdlog: 1.1 });
const tplSev = distributionFromParams('lomax', { shape: 2.5, scale: 60_000 });
const coverageGross = (p: ReturnType<typeof buildPremium>, c: string) => p.lines.filter((l) => l.coverage === c).reduce((s, l) => s + l.grossPremium, 0);

describe('aggregate limits bound the coverage', () => {
  it('aggregate_limit 1: expected payments ≤ 1 and risk margin ≤ cost of capital × 1', () => {
    const lines: PremiumLineInput[] = [
      { lineId: '1', coverage: 'robot_damage', units: 10, hoursPerUnit: 4000, claimRatePerHour: 3e-5, severity: rd, deductible: 5000, limit: 300_000 },
      { lineId: '2', coverage: 'third_party_liability', units: 10, hoursPerUnit: 4000, claimRatePerHour: 1e-5, severity: tplSev, deductible: 2000, limit: 2_000_000 },
    ];
    const p = buildPremium({ lines, frequency: { dist: 'poisson' }, aggregateLimits: { third_party_liability: 1 }, loadings });
    const tpl = p.lines[1].unrounded;
    expect(tpl.purePremium).toBeLessThanOrEqual(1);
    expect(tpl.riskMargin).toBeLessThanOrEqual(loadings.costOfCapital * 1);
    expect(p.aggregate.coverages.third_party_liability.limitedMean).toBeLessThanOrEqual(1);
  });
});

describe('a shared aggregate limit over differently loaded lines', () => {
  // 4 robot-damage lines: different robots (limits capped at replacement value) and rule loadings
  const fleet = (deductible: number): PremiumInput => ({
    lines: [
      { units: 3, limit: 120_000, ruleLoadings: [1.3] },
      { units: 5, limit: 300_000, ruleLoadings: [] },
      { units: 2, limit: 60_000, ruleLoadings: [1.1, 1.2] },
      { units: 8, limit: 500_000, ruleLoadings: [0.9] },
    ].map((l, i) => ({ lineId: String(i + 1), coverage: 'robot_damage', hoursPerUnit: 3000, claimRatePerHour: 4e-5, severity: rd, deductible, ...l })),
    frequency: { dist: 'negative-binomial', theta: 3 },
    aggregateLimits: { robot_damage: 5000 },
    loadings,
  });

  it('raising the deductible never raises the coverage premium (500 → 3,000 and a sweep)', () => {
    const grosses = [0, 500, 1000, 2000, 3000, 10_000, 50_000].map((d) => coverageGross(buildPremium(fleet(d)), 'robot_damage'));
    for (let i = 1; i < grosses.length; i++) expect(grosses[i], `deductible step ${i}`).toBeLessThanOrEqual(grosses[i - 1]);
  });

  it('property: over random fleets and limits, a higher deductible never raises, a higher aggregate limit never lowers', () => {
    const line = fc.record({
      units: fc.integer({ min: 1, max: 200 }),
      limit: fc.constantFrom(50_000, 120_000, 300_000, 1_000_000),
      ruleLoadings: fc.array(fc.constantFrom(0.9, 0.95, 1.1, 1.15, 1.2, 1.25), { maxLength: 2 }),
    });
    fc.assert(fc.property(
      fc.array(line, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }),
      fc.integer({ min: 1_000, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000 }),
      (ls, d, dd, L, dL) => {
        const input = (deductible: number, limit: number): PremiumInput => ({
          lines: ls.map((l, i) => ({ lineId: String(i), coverage: 'robot_damage', hoursPerUnit: 3000, claimRatePerHour: 4e-5, severity: rd, deductible, ...l })),
          frequency: { dist: 'poisson' }, aggregateLimits: { robot_damage: limit }, loadings,
        });
        const g = (deductible: number, limit: number) => buildPremium(input(deductible, limit)).totals.grossPremium;
        const base = g(d, L);
        // tolerance: the lattice moves with the inputs (its step is chosen from the aggregate's range)
        const tol = 2e-3 * base + 0.02;
        expect(g(d + dd, L)).toBeLessThanOrEqual(base + tol);
        expect(g(d, L + dL)).toBeGreaterThanOrEqual(base - tol);
      },
    ), { numRuns: 40 });
  });
});
