/**
 * Engine 2026-11-29.2 (step ladder + transform cache, models/premium/lattice-cache.ts) against
 * engine 2026-11-29.1 on the recorded comparison set (bench/rating/requests.ts: the three
 * re-rating fixtures and variations of them), priced in the same run: premiums within 0.1 %.
 */
import { describe, expect, it } from 'vitest';
import { clearLatticeCache, ladderStep, latticeCacheStats } from '../../models/premium/index.ts';
import { PREVIOUS_PRICING_ENGINE, PRICING_ENGINE_2026_11_29_1, rate } from '../../services/pricing.ts';
import { fixtureInputs, variedInputs } from '../../bench/rating/requests.ts';

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('step ladder', () => {
  it('rounds a step up to the next rung 2^(j/K), less than one rung above it', () => {
    for (const h of [0.37, 1, 12.5, 1234.567, 98765.4321, 2 ** 10]) {
      const s = ladderStep(h, 16);
      expect(s).toBeGreaterThanOrEqual(h);
      expect(s).toBeLessThan(h * 2 ** (1 / 16) * (1 + 1e-12));
      expect(Math.log2(s) * 16).toBeCloseTo(Math.round(Math.log2(s) * 16), 9);
    }
    expect(ladderStep(1234.567, 0)).toBe(1234.567);
  });
});

describe('engine 2026-11-29.2 (step ladder) vs 2026-11-29.1 on the comparison set', () => {
  const requests = [...fixtureInputs(), ...variedInputs(24)];

  it('gross premiums (total and per line) and the risk margin within 0.1 %, decisions equal', () => {
    let worst = 0;
    for (const r of requests) {
      const before = rate(r, { engine: '2026-11-29.1' });
      const now = rate(r, { engine: 'previous' });
      expect(before.worksheet.pricing_engine).toBe(PRICING_ENGINE_2026_11_29_1);
      expect(now.worksheet.pricing_engine).toBe(PREVIOUS_PRICING_ENGINE);
      expect(now.result.decision).toBe(before.result.decision);
      const a = now.result.premium;
      const b = before.result.premium;
      worst = Math.max(worst, rel(a.total.gross_premium, b.total.gross_premium), rel(a.total.risk_margin, b.total.risk_margin));
      b.lines.forEach((l, i) => { worst = Math.max(worst, rel(a.lines[i].gross_premium, l.gross_premium)); });
    }
    expect(worst).toBeLessThan(1e-3);
    expect(worst).toBeGreaterThan(0); // the lattice did change: this compares two engines
  });

  it('a cached transform gives the premium of a cold cache exactly, and the cache is hit', () => {
    clearLatticeCache();
    const cold = requests.slice(0, 6).map((r) => rate(r).result.premium);
    const missesCold = latticeCacheStats().misses;
    const warm = requests.slice(0, 6).map((r) => rate(r).result.premium);
    expect(warm).toEqual(cold);
    const s = latticeCacheStats();
    expect(s.misses).toBe(missesCold);
    expect(s.hits).toBeGreaterThan(0);
    expect(s.bytes).toBeLessThanOrEqual(128 * 2 ** 20);
  });
});
