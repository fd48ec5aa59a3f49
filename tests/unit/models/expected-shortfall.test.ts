import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeAggregateDistribution } from '../../../models/aggregate/aggregate-distribution.ts';

const lattice = (f: number[]) => makeAggregateDistribution(Float64Array.from(f, (_, i) => i), Float64Array.from(f), 1);
const on = (x: number[], f: number[]) => makeAggregateDistribution(Float64Array.from(x), Float64Array.from(f), null);

describe('expected shortfall (Acerbi–Tasche) vs CTE', () => {
  it('hand-worked: {0: 0.9, 10: 0.09, 100: 0.01} at 95 %: VaR 10, ES (1 % × 100 + 4 % × 10)/5 % = 28, CTE 100', () => {
    const d = on([0, 10, 100], [0.9, 0.09, 0.01]);
    expect(d.VaR(0.95)).toBe(10);
    expect(d.expectedShortfall(0.95)).toBeCloseTo(28, 12);
    expect(d.TVaR(0.95)).toBe(100);
  });

  it('an atom at VaR: ES counts it, CTE jumps to what lies above it', () => {
    // a per-occurrence limit puts 2 % at 50; 0.3 % lies above (two claims)
    const d = on([0, 20, 50, 70], [0.9, 0.077, 0.02, 0.003]);
    expect(d.VaR(0.995)).toBe(50);
    expect(d.expectedShortfall(0.995)).toBeCloseTo(50 + (0.003 * 20) / 0.005, 12);
    expect(d.TVaR(0.995)).toBe(70);
  });

  it('equals the CTE when the tail has no atom at VaR (continuous-like lattice tail)', () => {
    const d = on([0, 1, 2, 3], [0.5, 0.3, 0.15, 0.05]);
    // VaR_0.95 = 2 with F(2) = 0.95 exactly: the worst 5 % is the atom at 3
    expect(d.expectedShortfall(0.95)).toBeCloseTo(d.TVaR(0.95), 12);
  });

  it('properties: VaR ≤ ES ≤ max; ES monotone in the level; subadditive for independent sums (convolution)', () => {
    const pmf = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 })
      .filter((w) => w.reduce((s, x) => s + x, 0) > 0.01)
      .map((w) => { const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); });
    fc.assert(fc.property(pmf, pmf, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (a, b, p) => {
      const A = lattice(a);
      const B = lattice(b);
      const conv = new Array(a.length + b.length - 1).fill(0);
      a.forEach((x, i) => b.forEach((y, j) => { conv[i + j] += x * y; }));
      const S = lattice(conv);
      const es = A.expectedShortfall(p);
      expect(es).toBeGreaterThanOrEqual(A.VaR(p) - 1e-12);
      expect(es).toBeLessThanOrEqual(a.length - 1 + 1e-9);
      expect(A.expectedShortfall(Math.min(0.9999, p + 0.0005))).toBeGreaterThanOrEqual(es - 1e-9);
      expect(S.expectedShortfall(p)).toBeLessThanOrEqual(es + B.expectedShortfall(p) + 1e-9);
    }), { numRuns: 300 });
  });
});
