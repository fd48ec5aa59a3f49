import { describe, expect, it } from 'vitest';
import { numericParams, readReferenceJson } from '../../fixtures.ts';
import fc from 'fast-check';
import { distributionFromParams, type DistributionName } from '../../../models/distributions/index.ts';
import { buildPremium, paymentPerLoss } from '../../../models/premium/index.ts';

const ref = readReferenceJson('coinsurance.expected.json');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('payment per loss with coinsurance (actuar::coverage + numerical integration in R)', () => {
  for (const c of ref.cases) {
    it(`${c.distribution} d=${c.deductible} u=${c.limit} a=${c.coinsurance}: E[Y], E[Y∧t] and F_Y(t) to 1e-6`, () => {
      const y = paymentPerLoss(distributionFromParams(c.distribution as DistributionName, numericParams(c.params)), c.deductible, c.limit, c.coinsurance);
      expect(rel(y.mean, c.expected_payment_per_loss)).toBeLessThan(1e-6);
      expect(rel(y.lev(c.half_max), c.lev_at_half_max)).toBeLessThan(1e-6);
      expect(Math.abs(y.cdf(c.half_max) - c.cdf_at_half_max)).toBeLessThan(1e-12);
      expect(y.maxPayment).toBe(c.coinsurance * c.limit);
    });
  }

  it('rejects a share outside (0, 1]', () => {
    const x = distributionFromParams('exponential', { rate: 1e-4 });
    for (const a of [0, -0.1, 1.01, NaN]) expect(() => paymentPerLoss(x, 0, 1000, a)).toThrow(RangeError);
  });

  it('in a premium: pure premium scales by exactly the share; a lower share never costs more', () => {
    const severity = distributionFromParams('lognormal', { meanlog: 10, sdlog: 1.2 });
    const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
    const premium = (coinsurance: number) => buildPremium({
      lines: [{ lineId: '1', coverage: 'robot_damage', units: 10, hoursPerUnit: 4000, claimRatePerHour: 3e-5, severity, deductible: 5000, limit: 300_000, coinsurance }],
      frequency: { dist: 'poisson' }, loadings,
    });
    const full = premium(1);
    fc.assert(fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), (a) => {
      const p = premium(a);
      expect(rel(p.lines[0].unrounded.purePremium, a * full.lines[0].unrounded.purePremium)).toBeLessThan(1e-12);
      expect(p.totals.grossPremium).toBeLessThanOrEqual(full.totals.grossPremium);
    }), { numRuns: 30 });
  });
});
