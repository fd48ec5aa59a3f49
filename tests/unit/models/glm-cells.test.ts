/**
 * Poisson from cell-level sufficient statistics equals the row-level fit; exposure scaling only
 * moves the intercept (fast-check properties).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateCells, fitGlm } from '../../../models/glm/index.ts';
import { createRng } from '../../../models/random.ts';
import { readReferenceCsv, readReferenceJson } from '../../fixtures.ts';

const rows = readReferenceCsv('mass-insurance.csv');
const ref = readReferenceJson('mass-insurance.expected.json');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Splits every Insurance cell into `k` rows with the given exposure shares and a claim split. */
function expand(splits: number[][]) {
  const out = { y: [] as number[], e: [] as number[], D: [] as string[], G: [] as string[], A: [] as string[] };
  rows.forEach((r, c) => {
    const shares = splits[c % splits.length];
    const tot = shares.reduce((s, x) => s + x, 0);
    let claimsLeft = Number(r.Claims);
    shares.forEach((sh, j) => {
      const last = j === shares.length - 1;
      const yc = last ? claimsLeft : Math.min(claimsLeft, Math.floor((Number(r.Claims) * sh) / tot));
      claimsLeft -= yc;
      out.y.push(yc);
      out.e.push((Number(r.Holders) * sh) / tot);
      out.D.push(r.District);
      out.G.push(r.Group);
      out.A.push(r.Age);
    });
  });
  return out;
}

describe('Poisson from cells = row level', () => {
  it('on MASS Insurance split into rows (fast-check): same β and SE; deviance/logLik differ by the stated constants', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 7 }), (splits) => {
        const x = expand(splits);
        const factors = { District: x.D, Group: x.G, Age: x.A };
        const rowFit = fitGlm({ family: 'poisson', response: x.y, exposure: x.e, factors, baseLevels: ref.base_levels });
        const cells = aggregateCells({ response: x.y, exposure: x.e, factors });
        expect(cells.nCells).toBe(rows.length);
        const cellFit = fitGlm({ family: 'poisson', response: cells.response, exposure: cells.exposure, factors: cells.factors, baseLevels: ref.base_levels });
        cellFit.terms.forEach((t, j) => {
          expect(t.name).toBe(rowFit.terms[j].name);
          expect(Math.abs(t.estimate - rowFit.terms[j].estimate)).toBeLessThan(1e-9);
          expect(rel(t.stdError, rowFit.terms[j].stdError)).toBeLessThan(1e-9);
        });
        expect(Math.abs(rowFit.deviance - (cellFit.deviance + cells.devianceConstant))).toBeLessThan(1e-7 * rowFit.deviance);
        expect(Math.abs(rowFit.logLik - (cellFit.logLik + cells.logLikConstant))).toBeLessThan(1e-9 * Math.abs(rowFit.logLik));
        // the cell fit is exactly R's fit on the original 64 cells
        ref.poisson.terms.forEach((nm: string, j: number) => {
          expect(rel(cellFit.terms.find((t) => t.name === nm)!.estimate, ref.poisson.coef[j])).toBeLessThan(1e-6);
        });
      }),
      { numRuns: 25, seed: 20261123 },
    );
  });

  it('on simulated policies (3 factors, 20,000 rows): identical coefficients and standard errors', () => {
    const rng = createRng(42);
    const n = 20_000;
    const a = new Array<string>(n);
    const b = new Array<string>(n);
    const c = new Array<string>(n);
    const e = new Float64Array(n);
    const y = new Float64Array(n);
    const ra = [0, 0.4, -0.3, 0.8];
    const rb = [0, 0.2, 0.5];
    const rc = [0, -0.5, 0.1, 0.3, 0.6];
    for (let i = 0; i < n; i++) {
      const ia = Math.floor(rng.uniform() * 4);
      const ib = Math.floor(rng.uniform() * 3);
      const ic = Math.floor(rng.uniform() * 5);
      a[i] = `A${ia}`;
      b[i] = `B${ib}`;
      c[i] = `C${ic + 1}`;
      e[i] = 0.1 + rng.uniform();
      y[i] = rng.poisson(e[i] * Math.exp(-2 + ra[ia] + rb[ib] + rc[ic]));
    }
    const factors = { a, b, c };
    const rowFit = fitGlm({ family: 'poisson', response: y, exposure: e, factors });
    const cells = aggregateCells({ response: y, exposure: e, factors });
    expect(cells.nCells).toBe(60);
    const cellFit = fitGlm({ family: 'poisson', response: cells.response, exposure: cells.exposure, factors: cells.factors });
    expect(cellFit.baseLevels).toEqual(rowFit.baseLevels);
    rowFit.terms.forEach((t, j) => {
      expect(cellFit.terms[j].name).toBe(t.name);
      expect(Math.abs(cellFit.terms[j].estimate - t.estimate)).toBeLessThan(1e-10);
      expect(rel(cellFit.terms[j].stdError, t.stdError)).toBeLessThan(1e-9);
    });
    expect(rowFit.deviance).toBeCloseTo(cellFit.deviance + cells.devianceConstant, 6);
    expect(rowFit.logLik).toBeCloseTo(cellFit.logLik + cells.logLikConstant, 6);
    expect(rowFit.aic).toBeCloseTo(cellFit.aic - 2 * cells.logLikConstant, 6);
    // the simulated relativities are recovered (sanity: 4 SE)
    const t = rowFit.terms.find((x) => x.name === 'cC5')!;
    const base = Number(rowFit.baseLevels.c.slice(1)) - 1;
    expect(Math.abs(t.estimate - (rc[4] - rc[base]))).toBeLessThan(4 * t.stdError);
  });
});

describe('exposure scaling (fast-check)', () => {
  const y = rows.map((r) => Number(r.Claims));
  const e = rows.map((r) => Number(r.Holders));
  const factors = { District: rows.map((r) => r.District), Group: rows.map((r) => r.Group), Age: rows.map((r) => r.Age) };
  const base = fitGlm({ family: 'poisson', response: y, exposure: e, factors });
  it('Poisson: exposure × c shifts only the intercept by −log c', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (c) => {
        const f = fitGlm({ family: 'poisson', response: y, exposure: e.map((v) => v * c), factors });
        expect(f.terms[0].estimate).toBeCloseTo(base.terms[0].estimate - Math.log(c), 9);
        f.terms.slice(1).forEach((t, j) => {
          expect(t.estimate).toBeCloseTo(base.terms[j + 1].estimate, 9);
          expect(t.stdError).toBeCloseTo(base.terms[j + 1].stdError, 9);
        });
        expect(f.deviance).toBeCloseTo(base.deviance, 7);
      }),
      { numRuns: 30, seed: 7 },
    );
  });
  it('negative binomial: exposure × c shifts only the intercept; θ unchanged', () => {
    const q = readReferenceCsv('mass-quine.csv');
    const yq = q.map((r) => Number(r.Days));
    const fq = { Eth: q.map((r) => r.Eth), Sex: q.map((r) => r.Sex), Age: q.map((r) => r.Age), Lrn: q.map((r) => r.Lrn) };
    const eq = q.map((_, i) => 1 + (i % 4));
    const nb0 = fitGlm({ family: 'negative_binomial', response: yq, exposure: eq, factors: fq });
    fc.assert(
      fc.property(fc.double({ min: 1e-2, max: 1e2, noNaN: true }), (c) => {
        const f = fitGlm({ family: 'negative_binomial', response: yq, exposure: eq.map((v) => v * c), factors: fq });
        expect(f.terms[0].estimate).toBeCloseTo(nb0.terms[0].estimate - Math.log(c), 7);
        f.terms.slice(1).forEach((t, j) => expect(t.estimate).toBeCloseTo(nb0.terms[j + 1].estimate, 7));
        expect(rel(f.theta!, nb0.theta!)).toBeLessThan(1e-7);
      }),
      { numRuns: 10, seed: 11 },
    );
  });
});
