/**
 * Poisson from cell-level sufficient statistics equals the row-level fit; exposure scaling only
 * moves the intercept (fast-check properties).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aggregateCells, fitGlm, type GlmResult } from '../../../models/glm/index.ts';
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

describe('fitGlm compresses a categorical Poisson fit to its cells by itself', () => {
  /** Every field of the result agrees: the compressed fit (default) against the forced row-level one. */
  function expectSameFit(a: GlmResult, b: GlmResult) {
    expect(a.terms.map((t) => t.name)).toEqual(b.terms.map((t) => t.name));
    a.terms.forEach((t, j) => {
      expect(Math.abs(t.estimate - b.terms[j].estimate)).toBeLessThan(1e-9);
      expect(rel(t.stdError, b.terms[j].stdError)).toBeLessThan(1e-8);
    });
    for (const k of ['deviance', 'nullDeviance', 'logLik', 'aic', 'pearsonChi2'] as const) expect(rel(a[k], b[k]), k).toBeLessThan(1e-8);
    expect([a.nObs, a.dfResidual, a.dfNull, a.converged, a.dispersion]).toEqual([b.nObs, b.dfResidual, b.dfNull, b.converged, b.dispersion]);
    expect(a.baseLevels).toEqual(b.baseLevels);
    expect(a.warnings).toEqual(b.warnings);
    for (const [f, ls] of Object.entries(b.levels)) {
      a.levels[f].forEach((l, i) => {
        expect([l.level, l.isBase, l.rows, l.response]).toEqual([ls[i].level, ls[i].isBase, ls[i].rows, ls[i].response]);
        expect(rel(l.exposure, ls[i].exposure)).toBeLessThan(1e-12);
      });
    }
    expect(a.fitted.length).toBe(b.fitted.length);
    for (let i = 0; i < a.fitted.length; i++) expect(rel(a.fitted[i], b.fitted[i])).toBeLessThan(1e-8);
  }

  it('same result as the row-level iterations on generated data (fast-check: factors, levels, exposure or none, zero-response levels)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 200, max: 3000 }), fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(), fc.boolean(),
        (seed, n, nLevels, withExposure, zeroLevel) => {
          const rng = createRng(seed);
          const factors: Record<string, string[]> = {};
          const effects = nLevels.map((L) => Array.from({ length: L }, () => rng.normal(0, 0.4)));
          nLevels.forEach((L, f) => { factors[`f${f}`] = []; });
          const y = new Float64Array(n);
          const e = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let eta = -1.5;
            nLevels.forEach((L, f) => {
              const l = Math.min(L - 1, Math.floor(rng.uniform() * L));
              factors[`f${f}`].push(`L${l}`);
              eta += effects[f][l];
            });
            e[i] = withExposure ? 0.05 + 2 * rng.uniform() : 1;
            // a level with no claims at all (separation warning) when asked
            y[i] = zeroLevel && factors.f0[i] === 'L1' ? 0 : rng.poisson(e[i] * Math.exp(eta));
          }
          const input = { family: 'poisson' as const, response: y, ...(withExposure ? { exposure: e } : {}), factors };
          let rowsFit: GlmResult | undefined;
          let rowsError: unknown;
          try { rowsFit = fitGlm(input, { compress: false, onNonConvergence: 'return' }); } catch (err) { rowsError = err; }
          if (rowsError) {
            expect(() => fitGlm(input, { onNonConvergence: 'return' })).toThrow((rowsError as Error).message);
            return;
          }
          // separated levels run off to −∞ at different speeds on rows and cells: compare the others
          const fit = fitGlm(input, { onNonConvergence: 'return' });
          if (zeroLevel) {
            expect(fit.warnings).toEqual(rowsFit!.warnings);
            return;
          }
          expectSameFit(fit, rowsFit!);
        },
      ),
      { numRuns: 40, seed: 20261129 },
    );
  });

  it('is taken only where it is exact: not with covariates, offsets or prior weights, nor for NB', () => {
    const rng = createRng(7);
    const n = 2000;
    const a = Array.from({ length: n }, () => `A${Math.floor(rng.uniform() * 3)}`);
    const x = Array.from({ length: n }, () => rng.normal(0, 1));
    const y = Float64Array.from({ length: n }, (_, i) => rng.poisson(Math.exp(-1 + 0.3 * x[i])));
    const w = Float64Array.from({ length: n }, () => 1 + Math.floor(rng.uniform() * 3));
    for (const extra of [{ covariates: { x } }, { offset: x.map((v) => v / 10) }, { weights: w }]) {
      const input = { family: 'poisson' as const, response: y, factors: { a }, ...extra };
      expectSameFit(fitGlm(input), fitGlm(input, { compress: false }));
      // not aggregated: the iterations are those of the rows
      expect(fitGlm(input).iterations).toBe(fitGlm(input, { compress: false }).iterations);
    }
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
