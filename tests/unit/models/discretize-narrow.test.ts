import { describe, expect, it } from 'vitest';
import { numericParams, readReferenceJson } from '../../fixtures.ts';
import { discretize } from '../../../models/aggregate/discretize.ts';
import { distributionFromParams, type DistributionName } from '../../../models/distributions/index.ts';
import { buildPremium } from '../../../models/premium/index.ts';

const ref = readReferenceJson('discretize-narrow.expected.json');

describe('unbiased discretisation of narrow severities (actuar::discretize reference)', () => {
  for (const c of ref.cases) {
    it(`${c.name}: actuar's masses to 2e-10 absolute, none negative, same total mass`, () => {
      const d = distributionFromParams(c.distribution as DistributionName, numericParams(c.params));
      const f = discretize(d, { method: 'unbiased', from: 0, to: c.to, step: c.step }).probabilities;
      expect(f.length).toBe(c.probabilities.length);
      let worst = 0;
      for (let j = 0; j < f.length; j++) {
        expect(f[j], `mass ${j}`).toBeGreaterThanOrEqual(0);
        worst = Math.max(worst, Math.abs(f[j] - c.probabilities[j]));
      }
      // each mass is a second difference of E[X∧u] (of order the mean, 3e5 here) over the step, so
      // one rounding of the limited expected value moves a mass by ~ε·mean/step: two independent
      // incomplete-gamma codes (R's pgamma, models/statistics/incomplete-gamma.ts) agree to that, not to 1e-11
      expect(worst).toBeLessThan(2e-10);
      expect(Math.abs(f.reduce((s, x) => s + x, 0) - c.total_mass)).toBeLessThan(1e-10);
    });
  }

  it('a policy with a narrow severity prices, from 1 robot to 100,000 (the compounding guard saw round-off negatives before)', () => {
    const severities = [
      ...ref.cases.map((c) => distributionFromParams(c.distribution as DistributionName, numericParams(c.params))),
      distributionFromParams('lognormal', { meanlog: 12, sdlog: 0.2 }),
      distributionFromParams('lognormal', { meanlog: 9, sdlog: 0.1 }),
    ];
    for (const severity of severities) {
      for (const units of [1, 10, 1000, 100_000]) {
        for (const [deductible, limit] of [[0, 1e6], [5000, 300_000], [2000, 2e6], [0, 100_000]]) {
          const p = buildPremium({
            lines: [{ lineId: '1', coverage: 'robot_damage', units, hoursPerUnit: 4000, claimRatePerHour: 2e-5, severity, deductible, limit }],
            frequency: { dist: 'poisson' },
            loadings: { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 },
          });
          expect(p.totals.grossPremium).toBeGreaterThan(0);
        }
      }
    }
  });
});
