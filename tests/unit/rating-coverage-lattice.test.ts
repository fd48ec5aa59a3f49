/**
 * Engine 2026-11-29.3 (each coverage aggregate on its own 2^j points, from the policy transform
 * taken at every (M/M_c)-th frequency: models/premium/coverage-aggregate.ts) against the previous
 * engine 2026-11-29.2 on the recorded comparison set (bench/rating/requests.ts), priced in the
 * same run: premiums within 0.1 %; and the coverage distributions themselves against the
 * policy-lattice ones.
 */
import { describe, expect, it } from 'vitest';
import { coverageAggregate, distributionFromParams } from '../../models/index.ts';
import { PREVIOUS_PRICING_ENGINE, PRICING_ENGINE, rate } from '../../services/pricing.ts';
import { fixtureInputs, variedInputs } from '../../bench/rating/requests.ts';

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('engine 2026-11-29.3 vs 2026-11-29.2 on the comparison set', () => {
  const requests = [...fixtureInputs(), ...variedInputs(30, 29)];

  it('gross premiums (total and per line) and the risk margin within 0.1 %, decisions equal', () => {
    let worst = 0;
    for (const r of requests) {
      const before = rate(r, { engine: 'previous' });
      const now = rate(r);
      expect(before.worksheet.pricing_engine).toBe(PREVIOUS_PRICING_ENGINE);
      expect(now.worksheet.pricing_engine).toBe(PRICING_ENGINE);
      expect(now.result.decision).toBe(before.result.decision);
      const a = now.result.premium;
      const b = before.result.premium;
      worst = Math.max(worst, rel(a.total.gross_premium, b.total.gross_premium), rel(a.total.risk_margin, b.total.risk_margin));
      b.lines.forEach((l, i) => { worst = Math.max(worst, rel(a.lines[i].gross_premium, l.gross_premium)); });
      for (const [c, cov] of Object.entries(before.worksheet.aggregate.coverages)) {
        const mine = now.worksheet.aggregate.coverages[c as keyof typeof now.worksheet.aggregate.coverages]!;
        expect(rel(mine.stand_alone_risk, cov!.stand_alone_risk)).toBeLessThan(1e-3);
        expect(mine.binds).toBe(cov!.binds);
      }
    }
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('coverage aggregates on their own lattice', () => {
  const damage = distributionFromParams('lognormal', { meanlog: 9.5, sdlog: 1.1 });
  const liability = distributionFromParams('lomax', { shape: 2.5, scale: 60_000 });
  const lines = (units: number) => [
    { coverage: 'robot_damage', expectedClaims: 0.4 * units, severity: damage, deductible: 5_000, limit: 300_000 },
    { coverage: 'robot_damage', expectedClaims: 0.2 * units, severity: damage, deductible: 5_000, limit: 300_000 },
    { coverage: 'third_party_liability', expectedClaims: 0.05 * units, severity: liability, deductible: 2_000, limit: 2_000_000 },
  ];
  // truncating S_c at its own range leaves out < maxMassLost (1e-9) of mass, which moves TVaR99.5 by up to ~1e-6 (relative)
  const TOL = 1e-5;
  for (const [name, units, limits, frequency] of [
    ['Poisson, no aggregate limit', 10, {}, { dist: 'poisson' }],
    ['NB θ = 3, a binding limit on robot damage', 30, { robot_damage: 400_000 }, { dist: 'negative-binomial', theta: 3 }],
    ['Poisson, a large fleet, a binding limit on robot damage', 400, { robot_damage: 30_000_000 }, { dist: 'poisson' }],
  ] as const) {
    it(`${name}: same S, coverage means, limited means and TVaRs as on the policy lattice`, () => {
      const opts = { stepLadder: 16 };
      const policy = coverageAggregate(lines(units), frequency, limits, { ...opts, coverageLattice: 'policy' });
      const own = coverageAggregate(lines(units), frequency, limits, { ...opts, coverageLattice: 'own' });
      expect(own.uncapped.probabilities).toEqual(policy.uncapped.probabilities);
      expect(own.step).toBe(policy.step);
      let shorter = 0;
      for (const [c, p] of Object.entries(policy.coverages)) {
        const o = own.coverages[c];
        if (o.distribution.grid.length < p.distribution.grid.length) shorter++;
        expect(o.binds).toBe(p.binds);
        expect(rel(o.mean, p.mean)).toBeLessThan(TOL);
        expect(rel(o.limitedMean, p.limitedMean)).toBeLessThan(TOL);
        const cap = (d: typeof o.distribution) => (o.binds ? d.capped(o.aggregateLimit as number) : d);
        expect(rel(cap(o.distribution).expectedShortfall(0.995), cap(p.distribution).expectedShortfall(0.995))).toBeLessThan(TOL);
        expect(o.distribution.totalMass).toBeGreaterThan(1 - 1e-6);
      }
      if (units <= 30) expect(shorter).toBeGreaterThan(0); // small fleets: some coverage does get a shorter lattice
      expect(rel(own.payments.expectedShortfall(0.995), policy.payments.expectedShortfall(0.995))).toBeLessThan(TOL);
    });
  }
});
