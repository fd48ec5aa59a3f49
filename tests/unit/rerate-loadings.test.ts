/**
 * Re-rating a stored quote under a plan that changes only loadings (services/pricing.ts
 * `repriceWithLoadings`): arithmetic on the stored aggregate basis must give the premium that
 * the full engine gives on the stored inputs under the new loadings, to the cent, on every line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rate, repriceWithLoadings, type RatingInputs, type StoredPremiumBasis } from '../../services/pricing.ts';
import { fixtureInputs, variedInputs } from '../../bench/rating/requests.ts';

type Loadings = RatingInputs['plan']['body']['loadings'];

const withLoadings = (inputs: RatingInputs, loadings: Loadings): RatingInputs => ({ ...inputs, plan: { ...inputs.plan, body: { ...inputs.plan.body, loadings } } });

/** What a stored quote keeps, through JSON as the database stores it. */
function storedBasis(inputs: RatingInputs): StoredPremiumBasis {
  const { result, worksheet } = JSON.parse(JSON.stringify(rate(inputs))) as ReturnType<typeof rate>;
  return { aggregate: worksheet.aggregate as unknown as StoredPremiumBasis['aggregate'], lines: result.premium.lines, fleet: inputs.request.fleet };
}

describe('re-rating under other loadings from the stored aggregate', () => {
  const requests = [...fixtureInputs(), ...variedInputs(9, 7)];
  const stored = requests.map((r) => ({ inputs: r, basis: storedBasis(r) }));

  const cases: [string, (l: Loadings) => Loadings][] = [
    ['profit + 2 points', (l) => ({ ...l, profit: l.profit + 0.02 })],
    ['cost of capital 12 %, no tax', (l) => ({ ...l, cost_of_capital: 0.12, tax: 0 })],
    ['no expenses, no commission', (l) => ({ ...l, expense: 0, commission: 0 })],
    ['a minimum premium that binds', (l) => ({ ...l, minimum_premium: 5_000_000 })],
    ['no risk margin, no minimum', (l) => ({ ...l, cost_of_capital: 0, minimum_premium: 0 })],
  ];
  for (const [name, change] of cases) {
    it(`${name}: equal to the full engine to the cent`, () => {
      let changed = 0;
      for (const { inputs, basis } of stored) {
        const loadings = change(inputs.plan.body.loadings);
        const full = rate(withLoadings(inputs, loadings)).result.premium;
        const fast = repriceWithLoadings(basis, loadings);
        expect(fast).toEqual(full);
        if (full.total.gross_premium !== rate(inputs).result.premium.total.gross_premium) changed++;
      }
      expect(changed).toBeGreaterThan(0); // the loadings did move premiums
    });
  }

  it('any valid loadings (property): equal to the full engine to the cent', () => {
    const rate01 = fc.double({ min: 0, max: 0.3, noNaN: true });
    fc.assert(fc.property(
      fc.integer({ min: 0, max: stored.length - 1 }),
      fc.record({ expense: rate01, commission: rate01, profit: rate01, cost_of_capital: fc.double({ min: 0, max: 1, noNaN: true }), tax: rate01, minimum_premium: fc.double({ min: 0, max: 1e6, noNaN: true }) }),
      (i, loadings) => {
        const { inputs, basis } = stored[i];
        expect(repriceWithLoadings(basis, loadings)).toEqual(rate(withLoadings(inputs, loadings)).result.premium);
      },
    ), { numRuns: 40, seed: 20261207 });
  });

  it('rejects invalid loadings and an incomplete stored aggregate', () => {
    const { inputs, basis } = stored[0];
    expect(() => repriceWithLoadings(basis, { ...inputs.plan.body.loadings, profit: 0.6, expense: 0.5 })).toThrow(RangeError);
    const broken = { ...basis, aggregate: { ...basis.aggregate, coverages: {} } };
    expect(() => repriceWithLoadings(broken, inputs.plan.body.loadings)).toThrow(/no coverage/);
  });
});
