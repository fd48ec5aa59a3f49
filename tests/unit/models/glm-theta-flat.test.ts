/**
 * Negative binomial on rare claims: the likelihood is flat in θ (information I(θ̂) ~ 1e-3 on
 * thousands of rows), so the rounding error of the score divided by I exceeds 1e-12 θ and
 * theta.ml used to wander about θ̂ until NOT_CONVERGED although θ̂ exists (found on the demo
 * history's third-party-liability claims: θ̂ = 10.15, 132 claims on 3,756 periods).
 *
 * Reference values from R 4.2.2, MASS 7.3 on the same data (written to CSV by this generator):
 *   d <- read.csv('nb-24.csv'); f <- glm.nb(y ~ g + offset(log(h)), data = d,
 *                                             control = glm.control(epsilon = 1e-12, maxit = 100))
 *   f$theta, coef(f)
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../models/random.ts';
import { fitGlm } from '../../../models/glm/index.ts';

/** 3,000 exposure periods of 200–3,200 h, rates 0.012 / 0.018 / 0.036 per 1,000 h, NB2 with θ = 4. */
function rareClaims(seed: number) {
  const rng = createRng(seed);
  const n = 3000;
  const y = new Float64Array(n);
  const h = new Float64Array(n);
  const g: string[] = [];
  for (let i = 0; i < n; i++) {
    h[i] = 200 + 3000 * rng.uniform();
    g.push(i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c');
    const rate = (g[i] === 'a' ? 1 : g[i] === 'b' ? 1.5 : 3) * 0.012 / 1000;
    y[i] = rng.negativeBinomial(h[i] * rate, 4);
  }
  return { y, h, g };
}

describe('negative binomial with a flat likelihood in θ (rare claims)', () => {
  it.each([
    // seed, R θ̂, R coefficients (intercept, gb, gc)
    [24, 3.0383498161, [-11.596385946823, 0.371982999694, 1.176227296313]],
    [19, 13.1123899398, [-11.366587488383, 0.397345173322, 0.789610298116]],
  ])('seed %i: θ̂ converges and equals MASS::glm.nb', (seed, theta, coef) => {
    const { y, h, g } = rareClaims(seed);
    expect(y.reduce((s, v) => s + v, 0)).toBeLessThan(100); // < 100 claims on 3,000 rows
    const fit = fitGlm({ family: 'negative_binomial', response: y, exposure: h, factors: { g }, baseLevels: { g: 'a' } });
    expect(fit.converged).toBe(true);
    // MASS stops θ at a 1.2e-4 step, so it agrees to ~1e-8 only
    expect(Math.abs(fit.theta! / theta - 1)).toBeLessThan(1e-7);
    fit.terms.forEach((t, k) => expect(t.estimate).toBeCloseTo(coef[k], 7));
    expect(fit.thetaStdError).toBeGreaterThan(1); // a weakly identified θ, as R's SE says
  });
});
