/**
 * Per-coverage aggregate limits in the premium build-up: coverage c pays min(S_c, L_c), the
 * policy pays Σ_c min(S_c, L_c) (then the policy limit, if any).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPremium, coverageAggregate, paymentPerLoss, type PremiumInput, type PremiumLineInput } from '../../../models/premium/index.ts';
import { discretize, panjer } from '../../../models/aggregate/index.ts';
import type { SeverityDistribution } from '../../../models/distributions/types.ts';
import { exponential } from '../../../models/distributions/exponential.ts';
import { lognormal } from '../../../models/distributions/lognormal.ts';
import { createRng } from '../../../models/random.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const loadings = { expense: 0.15, commission: 0.1, profit: 0.05, costOfCapital: 0.06, taxRate: 0.06 };
const lineA: PremiumLineInput = {
  lineId: 'A', coverage: 'robot_damage', units: 10, hoursPerUnit: 2000, claimRatePerHour: 1e-4, credibilityAdjustment: 1.1,
  severity: exponential({ rate: 1 / 10000 }), deductible: 1000, limit: 50000, ruleLoadings: [1.2, 0.9],
};
const lineB: PremiumLineInput = {
  lineId: 'B', coverage: 'third_party_liability', units: 5, hoursPerUnit: 1500, claimRatePerHour: 5e-5,
  severity: lognormal({ meanlog: 10, sdlog: 1.2 }), deductible: 5000, limit: 245000,
};
const base: PremiumInput = { lines: [lineA, lineB], frequency: { dist: 'poisson' }, loadings };
const r = buildPremium(base);

/** A loss of exactly c (degenerate severity): E[X∧u] = min(u, c). */
function pointMass(c: number): SeverityDistribution {
  return {
    name: 'exponential', // any name: only the functions below are used
    params: { c },
    pdf: () => 0,
    logPdf: () => -Infinity,
    cdf: (x) => (x >= c ? 1 : 0),
    sf: (x) => (x >= c ? 0 : 1),
    quantile: () => c,
    mean: () => c,
    variance: () => 0,
    lev: (u) => Math.min(Math.max(u, 0), c),
    sample: () => c,
  };
}

/** Claim-count pmf p_0 … p_kmax by the (a, b, 0) recursion: Poisson(μ) or NB2 with size θ, mean μ. */
function countPmf(mu: number, theta: number | null, kmax: number): number[] {
  const p = [theta === null ? Math.exp(-mu) : (theta / (theta + mu)) ** theta];
  for (let k = 1; k <= kmax; k++) p.push(theta === null ? (p[k - 1] * mu) / k : (p[k - 1] * (k - 1 + theta) * mu) / (k * (theta + mu)));
  return p;
}

describe('buildPremium with per-coverage aggregate limits', () => {
  it('one coverage: aggregateLimits { c: L } gives the same premium as aggregateLimit L', () => {
    const lines = [lineA, { ...lineA, lineId: 'A2', units: 4, deductible: 500 }];
    const L = 30000;
    const policy = buildPremium({ ...base, lines, aggregateLimit: L });
    const perCoverage = buildPremium({ ...base, lines, aggregateLimits: { robot_damage: L } });
    expect(policy.aggregate.aggregateLimitBinds).toBe(true);
    expect(perCoverage.aggregate.coverages.robot_damage.binds).toBe(true);
    expect(perCoverage.aggregate.coverages.robot_damage.cappedAt).toBe(L);
    expect(perCoverage.aggregate.coverageCapsExact).toBe(true);
    expect(perCoverage.lines).toEqual(policy.lines);
    expect(perCoverage.totals).toEqual(policy.totals);
    expect(perCoverage.riskMarginTotal).toBe(policy.riskMarginTotal);
    for (const k of ['limitedMean', 'valueAtRisk', 'tailValueAtRisk', 'riskMean', 'mean', 'sd'] as const) {
      expect(perCoverage.aggregate[k]).toBe(policy.aggregate[k]);
    }
    expect(perCoverage.aggregate.coverages.robot_damage.factor).toBe(policy.aggregate.aggregateLimitFactor);
    expect(policy.totals.purePremium).toBeLessThan(buildPremium({ ...base, lines }).totals.purePremium);
  });

  it('two coverages, a limit on one: its pure premium drops, the other is unchanged', () => {
    const L = 40000;
    const capped = buildPremium({ ...base, aggregateLimits: { third_party_liability: L } });
    const cov = capped.aggregate.coverages;
    expect(cov.third_party_liability.binds).toBe(true);
    expect(cov.third_party_liability.factor).toBeLessThan(1);
    expect(cov.robot_damage).toMatchObject({ binds: false, factor: 1, aggregateLimit: null, cappedAt: null });
    const [a, b] = capped.lines;
    // robot_damage: exactly as without the limit
    expect(a.unrounded.purePremium).toBe(r.lines[0].unrounded.purePremium);
    expect(a.purePremium).toBe(r.lines[0].purePremium);
    expect(a.aggregateLimitFactor).toBe(1);
    // third_party_liability: pure premium × E[min(S_c, L)]/E[S_c]
    expect(b.purePremium).toBeLessThan(r.lines[1].purePremium);
    expect(rel(b.unrounded.purePremium, r.lines[1].unrounded.purePremium * cov.third_party_liability.factor)).toBeLessThan(1e-14);
    expect(rel(cov.third_party_liability.factor, cov.third_party_liability.limitedMean / cov.third_party_liability.mean)).toBeLessThan(1e-14);
    // the coverage means add up to the uncapped policy mean (up to the mass beyond the grid, < 1e-9)
    expect(rel(cov.robot_damage.mean + cov.third_party_liability.mean, capped.aggregate.mean)).toBeLessThan(1e-8);
    // the policy pure premium is Σ_c E[min(S_c, L_c)]
    expect(rel(capped.lines.reduce((s, l) => s + l.unrounded.purePremium, 0), capped.aggregate.limitedMean)).toBeLessThan(1e-6);
    // the capped coverage's stand-alone risk shrinks, so its share of the risk margin does, and
    // its margin stays within cost of capital × L; cap point on the lattice, less than one step above L
    expect(cov.third_party_liability.standAloneRisk).toBeLessThan(r.aggregate.coverages.third_party_liability.standAloneRisk);
    expect(b.allocationShare).toBeLessThan(r.lines[1].allocationShare);
    expect(b.unrounded.riskMargin).toBeLessThanOrEqual(loadings.costOfCapital * L);
    expect(capped.aggregate.coverageCapsExact).toBe(false);
    const at = cov.third_party_liability.cappedAt as number;
    expect(at).toBeGreaterThanOrEqual(L);
    expect(at - L).toBeLessThan(capped.aggregate.step);
    expect(capped.totals.grossPremium).toBeLessThan(r.totals.grossPremium);
  });

  for (const theta of [null, 2]) {
    it(`E[min(S_c, L_c)] equals a hand-worked discrete case (${theta === null ? 'Poisson' : 'NB θ = 2'})`, () => {
      // robot_damage: Y ≡ 2000 (loss 3000, deductible 1000) with mean count 1.5 and Y ≡ 1000
      // (loss 1500, deductible 500) with mean count 0.8, so S_c = 2000 N1 + 1000 N2; L_c = 4500.
      const p1: PremiumLineInput = { lineId: 'P1', coverage: 'robot_damage', units: 1, hoursPerUnit: 1000, claimRatePerHour: 1.5e-3, severity: pointMass(3000), deductible: 1000, limit: 50000 };
      const p2: PremiumLineInput = { lineId: 'P2', coverage: 'robot_damage', units: 2, hoursPerUnit: 400, claimRatePerHour: 1e-3, severity: pointMass(1500), deductible: 500, limit: Infinity };
      const L = 4500;
      const frequency = theta === null ? ({ dist: 'poisson' } as const) : ({ dist: 'negative-binomial', theta } as const);
      const res = buildPremium({ ...base, frequency, lines: [p1, p2, lineB], aggregateLimits: { robot_damage: L } });
      const q1 = countPmf(1.5, theta, 150);
      const q2 = countPmf(0.8, theta, 150);
      let hand = 0;
      let tail = 0; // P(S_c ≥ L)
      for (let n1 = 0; n1 <= 150; n1++) {
        for (let n2 = 0; n2 <= 150; n2++) {
          const s = 2000 * n1 + 1000 * n2;
          hand += Math.min(s, L) * q1[n1] * q2[n2];
          if (s >= L) tail += q1[n1] * q2[n2];
        }
      }
      const cov = res.aggregate.coverages.robot_damage;
      expect(cov.binds).toBe(true);
      expect(rel(cov.mean, 3800)).toBeLessThan(1e-9);
      expect(rel(cov.limitedMean, hand)).toBeLessThan(1e-9);
      const pure = res.lines[0].unrounded.purePremium + res.lines[1].unrounded.purePremium;
      expect(rel(pure, hand)).toBeLessThan(1e-9);
      expect(res.lines[2].unrounded.purePremium).toBe(buildPremium({ ...base, frequency, lines: [p1, p2, lineB] }).lines[2].unrounded.purePremium);
      // conservative cap in the risk distribution: its mean exceeds Σ_c E[min(S_c, L_c)] by at most step × P(S_c ≥ L)
      const excess = res.aggregate.riskMean - (cov.limitedMean + res.aggregate.coverages.third_party_liability.mean);
      expect(excess).toBeGreaterThanOrEqual(-1e-6);
      expect(excess).toBeLessThanOrEqual(((cov.cappedAt as number) - L) * tail * (1 + 1e-6) + 1e-6);
    });
  }

  it('E[min(S_c, L_c)] of a lognormal coverage agrees with Panjer (rel. 1e-5) and a seeded Monte Carlo (4 standard errors)', () => {
    const L = 60000;
    const res = buildPremium({ ...base, aggregateLimits: { third_party_liability: L } });
    const cov = res.aggregate.coverages.third_party_liability;
    const lambda = res.lines[1].expectedClaims;
    // Panjer on its own lattice (step 25) with the same payment per loss
    const y = paymentPerLoss(lineB.severity, 5000, 245000);
    const fy = discretize(y, { method: 'unbiased', to: 245000, step: 25 });
    const P = panjer(fy, { dist: 'poisson', lambda }, { tol: 1e-12 });
    expect(rel(cov.limitedMean, P.limitedMean(L))).toBeLessThan(1e-5);
    expect(rel(cov.mean, P.mean)).toBeLessThan(1e-5);
    // Monte Carlo: S = Σ_{k ≤ N} min(max(X − 5000, 0), 245000), N ~ Poisson(λ)
    const rng = createRng(20240611);
    const sims = 200_000;
    let sum = 0;
    let sum2 = 0;
    for (let s = 0; s < sims; s++) {
      const n = rng.poisson(lambda);
      let t = 0;
      for (let k = 0; k < n; k++) t += Math.min(Math.max(lineB.severity.sample(() => rng.uniform()) - 5000, 0), 245000);
      const m = Math.min(t, L);
      sum += m;
      sum2 += m * m;
    }
    const mc = sum / sims;
    const se = Math.sqrt((sum2 / sims - mc * mc) / sims);
    expect(Math.abs(cov.limitedMean - mc)).toBeLessThan(4 * se);
  });

  it('non-binding limits change nothing', () => {
    const cases: Record<string, number>[] = [{ robot_damage: 1e9, third_party_liability: 1e9 }, { robot_damage: Infinity }, {}];
    for (const limits of cases) {
      const loose = buildPremium({ ...base, aggregateLimits: limits });
      expect(loose.lines).toEqual(r.lines);
      expect(loose.totals).toEqual(r.totals);
      expect(loose.riskMarginTotal).toBe(r.riskMarginTotal);
      for (const c of Object.values(loose.aggregate.coverages)) expect(c).toMatchObject({ binds: false, factor: 1, cappedAt: null });
      expect(loose.aggregate.tailValueAtRisk).toBe(r.aggregate.tailValueAtRisk);
    }
    expect(buildPremium({ ...base, aggregateLimits: { robot_damage: Infinity } }).aggregate.coverages.robot_damage.aggregateLimit).toBeNull();
  });

  it('capped policy aggregate is stochastically smaller than the uncapped one (cdf above, VaR and TVaR not larger)', () => {
    const limits = { robot_damage: 30000, third_party_liability: 50000 };
    const agg = coverageAggregate(
      base.lines.map((l) => ({ coverage: l.coverage, expectedClaims: l.units * l.hoursPerUnit * l.claimRatePerHour * (l.credibilityAdjustment ?? 1), severity: l.severity, deductible: l.deductible, limit: l.limit })),
      base.frequency,
      limits,
    );
    const { uncapped, payments } = agg;
    expect(payments.step).toBe(uncapped.step);
    // both caps bind: P ≤ k_1 h + k_2 h, and its lattice stops there
    const top = Math.ceil(30000 / agg.step - 1e-9) + Math.ceil(50000 / agg.step - 1e-9);
    expect(payments.grid.length).toBe(top + 1);
    let worst = Infinity;
    for (let i = 0; i < uncapped.grid.length; i++) worst = Math.min(worst, (i < payments.cdf.length ? payments.cdf[i] : payments.totalMass) - uncapped.cdf[i]);
    expect(worst).toBeGreaterThan(-1e-12);
    expect(payments.totalMass).toBeGreaterThan(1 - 1e-9);
    const capped = buildPremium({ ...base, aggregateLimits: limits });
    expect(capped.aggregate.tailValueAtRisk).toBeLessThanOrEqual(r.aggregate.tailValueAtRisk);
    expect(capped.aggregate.valueAtRisk).toBeLessThanOrEqual(r.aggregate.valueAtRisk);
    expect(capped.aggregate.riskMean).toBeLessThan(r.aggregate.riskMean);
    expect(capped.aggregate.tailValueAtRisk).toBeLessThanOrEqual(80000 + 2 * capped.aggregate.step);
  });

  it('property: coverage limited mean is non-decreasing in L_c, below E[S_c]; TVaR never above the uncapped one', () => {
    const opts = { gridPoints: 1 << 11 };
    const free = buildPremium({ ...base, aggregateOptions: opts });
    fc.assert(
      fc.property(fc.double({ min: 2000, max: 200000, noNaN: true }), fc.double({ min: 1, max: 2, noNaN: true }), (L, k) => {
        const lo = buildPremium({ ...base, aggregateOptions: opts, aggregateLimits: { third_party_liability: L } });
        const hi = buildPremium({ ...base, aggregateOptions: opts, aggregateLimits: { third_party_liability: L * k } });
        const cl = lo.aggregate.coverages.third_party_liability;
        const ch = hi.aggregate.coverages.third_party_liability;
        expect(cl.limitedMean).toBeLessThanOrEqual(ch.limitedMean + 1e-9);
        expect(ch.limitedMean).toBeLessThanOrEqual(ch.mean + 1e-9);
        expect(cl.limitedMean).toBeLessThanOrEqual(L);
        expect(lo.aggregate.tailValueAtRisk).toBeLessThanOrEqual(free.aggregate.tailValueAtRisk + 1e-9);
        expect(lo.totals.purePremium).toBeLessThanOrEqual(free.totals.purePremium);
      }),
      { numRuns: 15, seed: 7 },
    );
  });

  it('coverage limits first, then the policy limit on the sum', () => {
    const limits = { third_party_liability: 40000 };
    const covOnly = buildPremium({ ...base, aggregateLimits: limits });
    const both = buildPremium({ ...base, aggregateLimits: limits, aggregateLimit: 30000 });
    expect(both.aggregate.aggregateLimitBinds).toBe(true);
    expect(both.aggregate.aggregateLimitFactor).toBeLessThan(1);
    expect(both.aggregate.tailValueAtRisk).toBeLessThanOrEqual(30000);
    expect(both.totals.purePremium).toBeLessThan(covOnly.totals.purePremium);
    const pure = both.lines.reduce((s, l) => s + l.unrounded.purePremium, 0);
    expect(rel(pure, both.aggregate.limitedMean)).toBeLessThan(1e-6);
    both.lines.forEach((l, i) => {
      expect(rel(l.aggregateLimitFactor, both.aggregate.coverages[l.coverage].factor * both.aggregate.aggregateLimitFactor)).toBeLessThan(1e-15);
      expect(l.unrounded.purePremium).toBeLessThan(covOnly.lines[i].unrounded.purePremium);
    });
    // a policy limit far above the sum of the capped coverages changes nothing
    const loose = buildPremium({ ...base, aggregateLimits: limits, aggregateLimit: 1e9 });
    expect(loose.totals).toEqual(covOnly.totals);
    expect(loose.aggregate.aggregateLimitBinds).toBe(false);
  });

  it('rejects invalid coverage limits', () => {
    expect(() => buildPremium({ ...base, aggregateLimits: { robot_damage: 0 } })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, aggregateLimits: { robot_damage: -1 } })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, aggregateLimits: { robot_damage: NaN } })).toThrow(RangeError);
    expect(() => buildPremium({ ...base, aggregateLimits: { business_interruption: 1000 } })).toThrow(/no line/);
  });
});
