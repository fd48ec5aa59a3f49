import { describe, expect, it } from 'vitest';
import { readReferenceJson } from '../../fixtures.ts';
import { buhlmannStraub, buhlmannStraubEstimable } from '../../../models/credibility/index.ts';

const ref = readReferenceJson('hachemeister-unbalanced.expected.json');
const nan = (m: (number | null)[][]) => m.map((r) => r.map((x) => (x === null ? NaN : x)));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('buhlmannStraub on an unbalanced panel (actuar::cm with NA cells)', () => {
  it('matches actuar to rel. 1e-12 with missing cells as NaN/NaN', () => {
    const fit = buhlmannStraub({ ratios: nan(ref.ratios), weights: nan(ref.weights) });
    const pairs: [number, number][] = [
      [fit.collectiveMean, ref.collective_mean], [fit.betweenVariance, ref.between_variance], [fit.withinVariance, ref.within_variance],
      ...fit.individualMeans.map((x, i): [number, number] => [x, ref.individual_means[i]]),
      ...fit.weights.map((x, i): [number, number] => [x, ref.weights_total[i]]),
      ...fit.credibilityFactors.map((x, i): [number, number] => [x, ref.credibility_factors[i]]),
      ...fit.premiums.map((x, i): [number, number] => [x, ref.premiums[i]]),
    ];
    for (const [a, b] of pairs) expect(rel(a, b)).toBeLessThan(1e-12);
  });

  it('a month without exposure may carry weight 0 instead of NaN (how the quote service fills them): same result', () => {
    const a = buhlmannStraub({ ratios: nan(ref.ratios), weights: nan(ref.weights) });
    const b = buhlmannStraub({ ratios: nan(ref.ratios), weights: ref.weights.map((r) => r.map((x) => x ?? 0)) });
    expect(b).toEqual(a);
  });

  it('a zero-weight cell is missing whatever its ratio', () => {
    const ratios = nan(ref.ratios).map((r) => r.map((x) => (Number.isNaN(x) ? 1e6 : x)));
    const weights = ref.weights.map((r) => r.map((x) => x ?? 0));
    expect(buhlmannStraub({ ratios, weights }).collectiveMean).toBeCloseTo(ref.collective_mean, 9);
  });

  it('a missing ratio with a positive weight is an error, not a silent guess', () => {
    const ratios = nan(ref.ratios);
    const weights = ref.weights.map((r) => r.map((x) => x ?? 10));
    expect(() => buhlmannStraub({ ratios, weights })).toThrow(/missing ratio must carry no weight/);
  });

  it('buhlmannStraubEstimable says beforehand when the data are too thin', () => {
    expect(buhlmannStraubEstimable({ ratios: nan(ref.ratios), weights: nan(ref.weights) })).toBe(true);
    expect(buhlmannStraubEstimable({ ratios: [[1, NaN], [2, NaN]], weights: [[5, 0], [5, 0]] })).toBe(false);
    expect(buhlmannStraubEstimable({ ratios: [[1, 2], [NaN, NaN]], weights: [[5, 5], [0, 0]] })).toBe(false);
    expect(buhlmannStraubEstimable({ ratios: [[1, 2], [3, NaN]], weights: [[5, 5], [1, 0]] })).toBe(true);
  });
});
