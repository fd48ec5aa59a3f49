/**
 * Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), by the series
 * (x < a + 1) and the Lentz continued fraction (otherwise), as in Press et al., "Numerical
 * Recipes", §6.2, to ~1e-15 relative.
 *
 * Written here because `@stdlib/math-base-special-gammainc` 0.2 is wrong by up to ~1e-2 for large
 * shapes near the mode (P(1621, 1621) = 0.4934 there, 0.5033 in R's pgamma and here), which
 * would move Garwood limits and posterior probabilities of cells with thousands of incidents.
 */
import gammaln from '@stdlib/math-base-special-gammaln';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100_000;

function series(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - gammaln(a));
}

function continuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - gammaln(a)) * h;
}

/** P(a, x), the lower regularized incomplete gamma (the Gamma(a, 1) cdf at x); a > 0, x ≥ 0. */
export function lowerGammaRegularized(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x), computed without cancellation in either tail. */
export function upperGammaRegularized(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x);
}
