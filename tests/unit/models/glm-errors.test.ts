/**
 * fitGlm input validation, rank deficiency, non-convergence, base levels, term order, Cholesky.
 */
import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse, choleskySolve, fitGlm, GlmError, naturalCompare } from '../../../models/glm/index.ts';

function glmError(f: () => unknown): GlmError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GlmError);
    return e as GlmError;
  }
  throw new Error('expected a GlmError');
}

const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
const g = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'];
const h = ['u', 'u', 'v', 'v', 'w', 'w', 'u', 'u', 'v', 'v', 'w', 'w'];

describe('rank deficiency', () => {
  it('a factor duplicating another (relabelled) is aliased, its terms named', () => {
    const dup = g.map((l) => ({ a: 'x', b: 'y', c: 'z' })[l]!);
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, factors: { g, dup }, baseLevels: { g: 'a', dup: 'x' } }));
    expect(e.code).toBe('RANK_DEFICIENT');
    expect(e.details.aliased).toEqual(['dupy', 'dupz']);
    expect(e.message).toContain('dupy');
  });
  it('a declared level with no rows is an empty cell', () => {
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, factors: { g } }, { levels: { g: ['a', 'b', 'c', 'd'] } }));
    expect(e.code).toBe('RANK_DEFICIENT');
    expect(e.details.emptyLevels).toEqual([{ factor: 'g', level: 'd' }]);
    expect(e.details.aliased).toEqual(['gd']);
  });
  it('a level whose rows all have weight 0 is empty', () => {
    const w = g.map((l) => (l === 'c' ? 0 : 1));
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, weights: w, factors: { g }, baseLevels: { g: 'a' } }));
    expect(e.code).toBe('RANK_DEFICIENT');
    expect(e.details.aliased).toEqual(['gc']);
  });
  it('a constant covariate is aliased with the intercept; a covariate equal to a level indicator too', () => {
    expect(glmError(() => fitGlm({ family: 'poisson', response: y, covariates: { k: y.map(() => 2) } })).details.aliased).toEqual(['k']);
    const ind = g.map((l) => (l === 'b' ? 1 : 0));
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, factors: { g }, covariates: { ind }, baseLevels: { g: 'a' } }));
    expect(e.details.aliased).toEqual(['ind']);
  });
  it('a level perfectly collinear with levels of another factor (nested cell) is aliased', () => {
    // level v of h occurs exactly where g = c... construct: h2 = 'v' iff g = 'c'
    const h2 = g.map((l) => (l === 'c' ? 'v' : 'u'));
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, factors: { g, h2 }, baseLevels: { g: 'a', h2: 'u' } }));
    expect(e.details.aliased).toEqual(['h2v']);
  });
  it('the two non-aliased factors fit fine', () => {
    const f = fitGlm({ family: 'poisson', response: y, factors: { g, h } });
    expect(f.terms).toHaveLength(5);
  });
});

describe('invalid input and non-convergence', () => {
  it.each([
    ['negative count', { family: 'poisson', response: [1, -1, 2] }, 'response'],
    ['non-finite count', { family: 'poisson', response: [1, NaN, 2] }, 'response'],
    ['Gamma zero', { family: 'gamma', response: [1, 0, 2] }, 'response'],
    ['exposure 0', { family: 'poisson', response: [1, 1, 2], exposure: [1, 0, 1] }, 'exposure'],
    ['length mismatch', { family: 'poisson', response: [1, 1, 2], exposure: [1, 1] }, 'exposure'],
    ['negative weight', { family: 'poisson', response: [1, 1, 2], weights: [1, -1, 1] }, 'weights'],
    ['factor length', { family: 'poisson', response: [1, 1, 2], factors: { f: ['a', 'b'] } }, 'f'],
    ['unknown base', { family: 'poisson', response: [1, 1, 2], factors: { f: ['a', 'b', 'a'] }, baseLevels: { f: 'z' } }, 'f'],
    ['base for unknown factor', { family: 'poisson', response: [1, 1, 2], baseLevels: { f: 'z' } }, 'f'],
    ['empty', { family: 'poisson', response: [] }, 'response'],
  ])('%s', (_, input, field) => {
    const e = glmError(() => fitGlm(input as never));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details.field).toBe(field);
  });
  it('unknown family', () => expect(glmError(() => fitGlm({ family: 'binomial' as never, response: [1] })).code).toBe('INVALID_INPUT'));
  it('iteration limit → NOT_CONVERGED, or converged: false when asked to return', () => {
    const e = glmError(() => fitGlm({ family: 'poisson', response: y, factors: { g, h } }, { maxIterations: 2 }));
    expect(e.code).toBe('NOT_CONVERGED');
    expect(e.details.iterations).toBe(2);
    const r = fitGlm({ family: 'poisson', response: y, factors: { g, h } }, { maxIterations: 2, onNonConvergence: 'return' });
    expect(r.converged).toBe(false);
  });
  it('negative binomial without overdispersion: θ does not settle → NOT_CONVERGED', () => {
    const e = glmError(() => fitGlm({ family: 'negative_binomial', response: [2, 2, 2, 2, 2, 2], factors: {} }));
    expect(e.code).toBe('NOT_CONVERGED');
  });
  it('a level without claims still fits, with a warning', () => {
    const yz = y.map((v, i) => (g[i] === 'c' ? 0 : v));
    const f = fitGlm({ family: 'poisson', response: yz, factors: { g }, baseLevels: { g: 'a' } });
    expect(f.converged).toBe(true);
    expect(f.terms.find((t) => t.name === 'gc')!.estimate).toBeLessThan(-15);
    expect(f.warnings.join(' ')).toContain('g=c');
  });
});

describe('base levels and term order', () => {
  it('default base = largest exposure; without exposure the most rows; ties by natural order', () => {
    const lv = ['10', '2', '2', '10', '9', '9', '10', '2'];
    const yy = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(fitGlm({ family: 'poisson', response: yy, factors: { lv } }).baseLevels.lv).toBe('2'); // tie 3 rows each: '2' < '10'
    const ex = [1, 1, 1, 1, 5, 5, 1, 1];
    expect(fitGlm({ family: 'poisson', response: yy, exposure: ex, factors: { lv } }).baseLevels.lv).toBe('9');
  });
  it('non-base terms in natural order, factors in key order, then covariates; codes accepted', () => {
    const lv = ['x10', 'x2', 'x1', 'x10', 'x2', 'x1', 'x3', 'x3'];
    const yy = [1, 2, 3, 4, 5, 6, 7, 8];
    const f = fitGlm({ family: 'poisson', response: yy, factors: { lv }, covariates: { z: [0, 1, 0, 1, 0, 1, 0, 2] }, baseLevels: { lv: 'x2' } });
    expect(f.terms.map((t) => t.name)).toEqual(['(Intercept)', 'lvx1', 'lvx3', 'lvx10', 'z']);
    const enc = fitGlm({
      family: 'poisson', response: yy, covariates: { z: [0, 1, 0, 1, 0, 1, 0, 2] }, baseLevels: { lv: 'x2' },
      factors: { lv: { codes: Int32Array.from([0, 1, 2, 0, 1, 2, 3, 3]), levels: ['x10', 'x2', 'x1', 'x3'] } },
    });
    enc.terms.forEach((t, j) => expect(t.estimate).toBeCloseTo(f.terms[j].estimate, 12));
  });
  it('naturalCompare', () => {
    expect(['b10', 'b9', 'a', 'b1', '<1l', '1-1.5l'].sort(naturalCompare)).toEqual(['1-1.5l', '<1l', 'a', 'b1', 'b9', 'b10']);
  });
});

describe('Cholesky', () => {
  it('solves and inverts a known SPD matrix', () => {
    const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    const { L, aliased } = cholesky(A, 3);
    expect(aliased).toEqual([]);
    expect(Array.from(L)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    const x = choleskySolve(L, 3, Float64Array.from([1, 2, 3]));
    const inv = choleskyInverse(L, 3);
    for (let i = 0; i < 3; i++) {
      expect(A[i * 3] * x[0] + A[i * 3 + 1] * x[1] + A[i * 3 + 2] * x[2]).toBeCloseTo([1, 2, 3][i], 10);
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
  });
  it('flags a dependent column', () => {
    // columns: c0, c1, c0 + c1 → Gram matrix of rank 2
    const A = Float64Array.from([2, 1, 3, 1, 2, 3, 3, 3, 6]);
    expect(cholesky(A, 3).aliased).toEqual([2]);
  });
  it('rejects bad sizes', () => expect(() => cholesky(new Float64Array(3), 2)).toThrow(RangeError));
});
