/**
 * Each coverage compounds its claims with its own count model (NB2 θ of its fitted frequency
 * model, or Poisson). Before, one θ — taken from the first NB coverage in request order — was
 * applied to every coverage, so the risk margin depended on the order of `coverages`.
 */
import { describe, expect, it } from 'vitest';
import { distributionFromParams } from '../../../models/distributions/index.ts';
import { buildPremium, type PremiumLineInput } from '../../../models/premium/index.ts';
import type { PolicyFrequency } from '../../../models/premium/policy-aggregate.ts';

const rate = 1 / 20_000;
const expSeverity = distributionFromParams('exponential', { rate });
const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
const nb: PolicyFrequency = { dist: 'negative-binomial', theta: 1.5 };
const poisson: PolicyFrequency = { dist: 'poisson' };

const line = (coverage: string, frequency: PolicyFrequency, units: number, limit: number): PremiumLineInput => ({
  lineId: coverage, coverage, units, hoursPerUnit: 4000, claimRatePerHour: 5e-5, severity: expSeverity, deductible: 0, limit, frequency,
});

describe('claim-count model per coverage', () => {
  const rd = line('robot_damage', nb, 20, 100_000);
  const tpl = line('third_party_liability', poisson, 20, 150_000);

  it('the premium does not depend on the order of the coverages', () => {
    const a = buildPremium({ lines: [rd, tpl], frequency: poisson, loadings });
    const b = buildPremium({ lines: [tpl, rd], frequency: poisson, loadings });
    expect(b.totals.grossPremium).toBe(a.totals.grossPremium);
    expect(b.riskMarginTotal).toBeCloseTo(a.riskMarginTotal, 6);
  });

  it('the aggregate sd is the hand-worked √Σ (E[N] Var Y + Var N · E[Y]²) with each line\'s own Var N', () => {
    // Y = min(X, u), X ~ Exp(r): E[Y] = (1 − e^{−ru})/r, E[Y²] = 2(1 − e^{−ru}(1 + ru))/r²
    const moments = (u: number) => {
      const e = Math.exp(-rate * u);
      return { m1: (1 - e) / rate, m2: (2 * (1 - e * (1 + rate * u))) / rate ** 2 };
    };
    const n = 20 * 4000 * 5e-5;
    const a = moments(100_000);
    const b = moments(150_000);
    const varRd = n * (a.m2 - a.m1 ** 2) + (n + (n * n) / 1.5) * a.m1 ** 2;
    const varTpl = n * (b.m2 - b.m1 ** 2) + n * b.m1 ** 2;
    const p = buildPremium({ lines: [rd, tpl], frequency: poisson, loadings });
    expect(p.aggregate.mean).toBeCloseTo(n * (a.m1 + b.m1), -1);
    expect(Math.abs(p.aggregate.sd / Math.sqrt(varRd + varTpl) - 1)).toBeLessThan(1e-3);
  });

  it('mixed families price between all-Poisson and all-NB; a line without its own model takes the policy default', () => {
    const mixed = buildPremium({ lines: [rd, tpl], frequency: poisson, loadings }).riskMarginTotal;
    const allPoisson = buildPremium({ lines: [{ ...rd, frequency: poisson }, tpl], frequency: poisson, loadings }).riskMarginTotal;
    const allNb = buildPremium({ lines: [rd, { ...tpl, frequency: nb }], frequency: poisson, loadings }).riskMarginTotal;
    expect(allPoisson).toBeLessThan(mixed);
    expect(mixed).toBeLessThan(allNb);
    const { frequency: _f, ...rdNoModel } = rd;
    const viaDefault = buildPremium({ lines: [rdNoModel, tpl], frequency: nb, loadings }).riskMarginTotal;
    expect(viaDefault).toBeCloseTo(mixed, 8);
  });
});
