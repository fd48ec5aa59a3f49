import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPremium, paymentPerLoss, allocateCents, roundCents, toCents, type PremiumInput, type PremiumLineInput } from '../../../models/premium/index.ts';
import { discretize, panjer } from '../../../models/aggregate/index.ts';
import { exponential } from '../../../models/distributions/exponential.ts';
import { lognormal } from '../../../models/distributions/lognormal.ts';
import { readReferenceJson } from '../../fixtures.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const theta = 10000;
const expo = exponential({ rate: 1 / theta });
const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
const lineA: PremiumLineInput = {
  lineId: 'A', coverage: 'robot_damage', units: 10, hoursPerUnit: 2000, claimRatePerHour: 1e-4, credibilityAdjustment: 1.1,
  severity: expo, deductible: 1000, limit: 50000, ruleLoadings: [1.2, 0.9],
};
const lineB: PremiumLineInput = {
  lineId: 'B', coverage: 'third_party_liability', units: 5, hoursPerUnit: 1500, claimRatePerHour: 5e-5,
  severity: lognormal({ meanlog: 10, sdlog: 1.2 }), deductible: 5000, limit: 245000,
};
const base: PremiumInput = { lines: [lineA, lineB], frequency: { dist: 'poisson' }, loadings };

describe('buildPremium', () => {
  const r = buildPremium(base);
  const [a, b] = r.lines;

  it('hand-worked exponential line: expected claims, payment per loss, pure premium', () => {
    expect(a.exposureHours).toBe(20000);
    expect(a.expectedClaims).toBeCloseTo(10 * 2000 * 1e-4 * 1.1, 12);
    // exponential: E[X∧(d+u)] − E[X∧d] = θ (e^{−d/θ} − e^{−(d+u)/θ})
    const epl = theta * (Math.exp(-1000 / theta) - Math.exp(-51000 / theta));
    expect(rel(a.expectedPaymentPerLoss, epl)).toBeLessThan(1e-12);
    // the rule loadings (1.2 × 0.9) act on the expected claims
    expect(a.loadingFactor).toBeCloseTo(1.08, 14);
    expect(a.loadedExpectedClaims).toBeCloseTo(2.2 * 1.08, 12);
    expect(a.unrounded.purePremium).toBeCloseTo(2.2 * 1.08 * epl, 8);
    expect(a.purePremium).toBe(roundCents(2.2 * 1.08 * epl));
  });

  it('lognormal payment per loss matches the R reference (actuar::levlnorm) to rel. 1e-8', () => {
    const ref = readReferenceJson('limited-expected-values.expected.json').lev.lognormal_per_loss;
    expect(rel(b.expectedPaymentPerLoss, ref.expected_payment_per_loss)).toBeLessThan(1e-8);
    const y = paymentPerLoss(lognormal({ meanlog: 10, sdlog: 1.2 }), ref.deductible, ref.maximum_covered_loss - ref.deductible);
    expect(rel(y.mean, ref.expected_payment_per_loss)).toBeLessThan(1e-8);
  });

  it('aggregate: mean = Σ pure premiums; VaR and TVaR (expected shortfall) agree with an independent Panjer computation', () => {
    const pure = r.lines.reduce((s, l) => s + l.unrounded.purePremium, 0);
    expect(rel(r.aggregate.mean, pure)).toBeLessThan(1e-6);
    // single compound Poisson with the mixed payment severity, by Panjer on a fine lattice
    const h = 50;
    const lam = r.lines.map((l) => l.loadedExpectedClaims);
    const ys = [paymentPerLoss(lineA.severity, 1000, 50000), paymentPerLoss(lineB.severity, 5000, 245000)];
    const fa = discretize(ys[0], { method: 'unbiased', to: 50000, step: h }).probabilities;
    const fb = discretize(ys[1], { method: 'unbiased', to: 245000, step: h }).probabilities;
    const mix = new Float64Array(fb.length);
    for (let i = 0; i < fb.length; i++) mix[i] = ((fa[i] ?? 0) * lam[0] + fb[i] * lam[1]) / (lam[0] + lam[1]);
    const P = panjer({ from: 0, step: h, probabilities: mix }, { dist: 'poisson', lambda: lam[0] + lam[1] }, { tol: 1e-12 });
    expect(rel(r.aggregate.tailValueAtRisk, P.expectedShortfall(0.995))).toBeLessThan(2e-3);
    expect(rel(r.aggregate.valueAtRisk, P.VaR(0.995))).toBeLessThan(2e-3);
    expect(rel(r.aggregate.sd, P.sd)).toBeLessThan(1e-3);
  });

  it('risk margin = CoC × (TVaR − mean), allocated to coverages by stand-alone TVaR − mean (checked by Panjer per coverage)', () => {
    const total = 0.06 * (r.aggregate.tailValueAtRisk - r.aggregate.mean);
    expect(rel(r.riskMarginTotal, total)).toBeLessThan(1e-12);
    // stand-alone risk of each coverage, computed independently by Panjer on a fine lattice
    const h = 50;
    const standAlone = [[lineA, 50000, 1000], [lineB, 245000, 5000]].map(([line, u, d], k) => {
      const l = line as PremiumLineInput;
      const f = discretize(paymentPerLoss(l.severity, d as number, u as number), { method: 'unbiased', to: u as number, step: h }).probabilities;
      const P = panjer({ from: 0, step: h, probabilities: f }, { dist: 'poisson', lambda: r.lines[k].loadedExpectedClaims }, { tol: 1e-12 });
      return P.expectedShortfall(0.995) - P.mean;
    });
    expect(rel(r.aggregate.coverages.robot_damage.standAloneRisk, standAlone[0])).toBeLessThan(5e-3);
    expect(rel(r.aggregate.coverages.third_party_liability.standAloneRisk, standAlone[1])).toBeLessThan(5e-3);
    const sa = r.aggregate.coverages;
    const share = sa.robot_damage.standAloneRisk / (sa.robot_damage.standAloneRisk + sa.third_party_liability.standAloneRisk);
    expect(rel(a.unrounded.riskMargin, total * share)).toBeLessThan(1e-12);
    expect(rel(a.unrounded.riskMargin + b.unrounded.riskMargin, total)).toBeLessThan(1e-12);
    // diversification: the policy margin is below the sum of the stand-alone margins
    expect(total).toBeLessThan(0.06 * (standAlone[0] + standAlone[1]));
  });

  it('gross = (pure + risk margin) / (1 − expense − commission − profit) × (1 + tax); loadings are in the pure premium', () => {
    for (const l of r.lines) {
      const u = l.unrounded;
      expect(rel(u.technicalPremium, u.purePremium + u.riskMargin)).toBeLessThan(1e-14);
      expect(rel(u.premiumBeforeTax, u.technicalPremium / 0.7)).toBeLessThan(1e-14);
      expect(rel(u.tax, 0.06 * u.premiumBeforeTax)).toBeLessThan(1e-14);
      expect(l.grossPremium).toBe(roundCents(u.premiumBeforeTax * 1.06));
      expect(toCents(l.premiumBeforeTax) + toCents(l.tax)).toBe(toCents(l.grossPremium));
    }
  });

  it('totals are the sums of the rounded lines; rate × hours = gross', () => {
    for (const k of ['purePremium', 'riskMargin', 'technicalPremium', 'premiumBeforeTax', 'tax', 'grossPremium'] as const) {
      expect(toCents(r.totals[k])).toBe(r.lines.reduce((s, l) => s + toCents(l[k]), 0));
    }
    expect(Math.abs(r.ratePerOperatingHour * r.totals.exposureHours - r.totals.grossPremium)).toBeLessThan(1e-9);
    for (const l of r.lines) expect(Math.abs(l.ratePerOperatingHour * l.exposureHours - l.grossPremium)).toBeLessThan(1e-9);
    expect(r.minimumPremiumApplied).toBe(false);
  });

  it('is deterministic to the cent', () => {
    expect(buildPremium(base)).toEqual(r);
  });

  it('a higher deductible gives a lower premium', () => {
    const grosses = [0, 1000, 5000, 20000].map((d) => buildPremium({ ...base, lines: [{ ...lineA, deductible: d }, lineB] }).lines[0].grossPremium);
    for (let i = 1; i < grosses.length; i++) expect(grosses[i]).toBeLessThan(grosses[i - 1]);
  });

  it('negative binomial counts (same mean) cost more risk margin than Poisson', () => {
    const nb = buildPremium({ ...base, frequency: { dist: 'negative-binomial', theta: 2 } });
    expect(nb.aggregate.mean).toBeCloseTo(r.aggregate.mean, 3);
    expect(nb.riskMarginTotal).toBeGreaterThan(r.riskMarginTotal);
    expect(nb.totals.purePremium).toBe(r.totals.purePremium);
  });

  it('an aggregate limit that binds: pure premium = E[min(S, L)], risk on min(S, L)', () => {
    const L = 60000;
    const capped = buildPremium({ ...base, aggregateLimit: L });
    expect(capped.aggregate.aggregateLimitBinds).toBe(true);
    expect(capped.aggregate.limitedMean).toBeLessThan(capped.aggregate.mean);
    const pure = capped.lines.reduce((s, l) => s + l.unrounded.purePremium, 0);
    expect(rel(pure, capped.aggregate.limitedMean)).toBeLessThan(1e-6);
    expect(capped.totals.purePremium).toBeLessThan(r.totals.purePremium);
    expect(capped.aggregate.tailValueAtRisk).toBeLessThanOrEqual(L);
    expect(capped.totals.grossPremium).toBeLessThan(r.totals.grossPremium);
    // shares unchanged
    expect(capped.lines[0].allocationShare).toBeCloseTo(a.allocationShare, 12);
    // a limit far above the distribution changes nothing
    const loose = buildPremium({ ...base, aggregateLimit: 1e9 });
    expect(loose.aggregate.aggregateLimitBinds).toBe(false);
    expect(loose.totals).toEqual(r.totals);
  });

  it('the minimum premium lifts the gross exactly to the minimum, lines adding up to the cent', () => {
    const small = buildPremium({ ...base, loadings: { ...loadings, minimumPremium: 123456.78 } });
    expect(small.minimumPremiumApplied).toBe(true);
    expect(small.totals.grossPremium).toBe(123456.78);
    expect(small.lines.reduce((s, l) => s + toCents(l.grossPremium), 0)).toBe(12345678);
    expect(small.lines[0].grossPremium / small.lines[1].grossPremium).toBeCloseTo(a.grossPremium / b.grossPremium, 4);
    const notBinding = buildPremium({ ...base, loadings: { ...loadings, minimumPremium: 10 } });
    expect(notBinding.totals).toEqual(r.totals);
  });

  it('rejects invalid input', () => {
    expect(() => buildPremium({ ...base, lines: [] })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, loadings: { ...loadings, expense: 0.6, commission: 0.3, profit: 0.1 } })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, lines: [{ ...lineA, units: -1 }] })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, lines: [{ ...lineA, ruleLoadings: [0] }] })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, aggregateLimit: 0 })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, frequency: { dist: 'negative-binomial', theta: 0 } })).toThrow(RangeError);
  });
});

describe('rounding helpers', () => {
  it('rounds half away from zero as written', () => {
    expect(roundCents(2.675)).toBe(2.68);
    expect(roundCents(1.005)).toBe(1.01);
    expect(roundCents(-1.005)).toBe(-1.01);
    expect(roundCents(0.004)).toBe(0);
  });
  it('is exact to the cent: no nudge pushes an amount below the half over it', () => {
    expect(toCents(123456789.00499)).toBe(12345678900);
    expect(toCents(123456789.005)).toBe(12345678901);
    expect(toCents(0.30000000000000004)).toBe(30);
    expect(toCents(1e-7)).toBe(0);
    expect(toCents(90071992547409)).toBe(9007199254740900);
    expect(() => toCents(1e14)).toThrow(RangeError);
    expect(() => toCents(NaN)).toThrow(RangeError);
  });
  it('property: toCents equals exact decimal rounding of the amount as written (BigInt reference)', () => {
    // reference: the written decimal d.ddd… scaled by 1000 with BigInt, then half away from zero
    const ref = (x: number) => {
      const [i, f = ''] = String(Math.abs(x)).split('.');
      const milli = BigInt(i) * 1000n + BigInt(`${f}000`.slice(0, 3));
      const cents = milli / 10n + (milli % 10n >= 5n ? 1n : 0n);
      return Number(x < 0 ? -cents : cents);
    };
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 99_999 }), (whole, frac) => {
      const x = Number(`${whole}.${String(frac).padStart(5, '0')}`);
      if (Math.abs(x) < 1e-6) return;
      expect(toCents(x)).toBe(ref(x));
    }));
  });
  it('allocateCents: parts are whole cents adding up to the total, close to proportional', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 8 }), (total, w) => {
        const parts = allocateCents(total, w);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        const sw = w.reduce((s, x) => s + x, 0);
        parts.forEach((p, i) => expect(Math.abs(p - (total * w[i]) / sw)).toBeLessThan(1 + 1e-6));
      }),
    );
  });
});
