/**
 * Small numerical optimisation toolkit for maximum likelihood: Brent root finding and
 * minimisation, Nelder–Mead, finite-difference gradients and Hessians, Newton polishing,
 * and symmetric matrix inversion.
 */

export interface RootResult {
  root: number;
  iterations: number;
  converged: boolean;
}

/**
 * Brent's root finder (zeroin; Brent 1973, ch. 4; R `uniroot`) on a bracket [a, b] with
 * f(a)·f(b) ≤ 0, to absolute tolerance `tol` + 4·eps·|x|.
 * @throws RangeError when the bracket does not change sign.
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, tol = 1e-15, maxIter = 500): RootResult {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return { root: a, iterations: 0, converged: true };
  if (fb === 0) return { root: b, iterations: 0, converged: true };
  if (fa * fb > 0 || Number.isNaN(fa * fb)) throw new RangeError(`brentRoot: f(a)=${fa} and f(b)=${fb} do not bracket a root`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 1; iter <= maxIter; iter++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return { root: b, iterations: iter, converged: true };
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return { root: b, iterations: maxIter, converged: false };
}

export interface MinimizeResult {
  x: number;
  fx: number;
  iterations: number;
  converged: boolean;
}

/**
 * Brent's minimiser (golden section + parabolic interpolation; Brent 1973 ch. 5; R `optimize`)
 * of f on [a, b] to tolerance `tol`·|x| + 1e-300.
 */
export function brentMinimize(f: (x: number) => number, a: number, b: number, tol = 1e-12, maxIter = 500): MinimizeResult {
  const cgold = 0.5 * (3 - Math.sqrt(5));
  let x = a + cgold * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    const xm = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + 1e-300;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) return { x, fx, iterations: iter, converged: true };
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const etemp = e;
      e = d;
      if (!(Math.abs(p) >= Math.abs(0.5 * q * etemp) || p <= q * (a - x) || p >= q * (b - x))) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= xm ? a - x : b - x;
      d = cgold * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w; fv = fw;
      w = x; fw = fx;
      x = u; fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; fv = fw;
        w = u; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    }
  }
  return { x, fx, iterations: maxIter, converged: false };
}

export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, adaptive coefficients of Gao & Han 2012),
 * stopping when the spread of function values is below `ftol`·(|f| + 1e-300) and the simplex
 * diameter below `xtol`. Non-finite function values are treated as +Infinity.
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  { step = 0.1, ftol = 1e-14, xtol = 1e-10, maxIter = 10_000 }: { step?: number; ftol?: number; xtol?: number; maxIter?: number } = {},
): NelderMeadResult {
  const n = x0.length;
  const F = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const alpha = 1;
  const m = Math.max(n, 2); // Gao–Han coefficients reduce to the standard ones for n ≤ 2
  const gamma = 1 + 2 / m;
  const rho = 0.75 - 1 / (2 * m);
  const sigma = 1 - 1 / m;
  let simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += x[i] !== 0 ? step * Math.abs(x[i]) : step;
    simplex.push(x);
  }
  let values = simplex.map(F);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    const best = values[0];
    const worst = values[n];
    let diam = 0;
    for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) diam = Math.max(diam, Math.abs(simplex[i][j] - simplex[0][j]));
    if (Number.isFinite(worst) && Math.abs(worst - best) <= ftol * (Math.abs(best) + 1e-300) && diam <= xtol) {
      return { x: simplex[0], fx: best, iterations: iter, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (simplex[n][j] - c));
    const xr = along(-alpha);
    const fr = F(xr);
    if (fr < values[0]) {
      const xe = along(-alpha * gamma);
      const fe = F(xe);
      if (fe < fr) { simplex[n] = xe; values[n] = fe; } else { simplex[n] = xr; values[n] = fr; }
      continue;
    }
    if (fr < values[n - 1]) { simplex[n] = xr; values[n] = fr; continue; }
    const outside = fr < values[n];
    const xc = outside ? along(-alpha * rho) : along(rho);
    const fc = F(xc);
    if (fc <= (outside ? fr : values[n])) { simplex[n] = xc; values[n] = fc; continue; }
    for (let i = 1; i <= n; i++) {
      simplex[i] = simplex[i].map((v, j) => simplex[0][j] + sigma * (v - simplex[0][j]));
      values[i] = F(simplex[i]);
    }
  }
  const iBest = values.indexOf(Math.min(...values));
  return { x: simplex[iBest], fx: values[iBest], iterations: iter, converged: false };
}

/** Central-difference gradient with relative steps h_i = step·max(|x_i|, 1). */
export function numericGradient(f: (x: number[]) => number, x: number[], step = 1e-5): number[] {
  return x.map((xi, i) => {
    const h = step * Math.max(Math.abs(xi), 1);
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = xi + h;
    xm[i] = xi - h;
    return (f(xp) - f(xm)) / (2 * h);
  });
}

function hessianAt(f: (x: number[]) => number, x: number[], h: number[]): number[][] {
  const n = x.length;
  const f0 = f(x);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const at = (di: number[]): number => f(x.map((v, k) => v + di[k]));
  for (let i = 0; i < n; i++) {
    const e = new Array<number>(n).fill(0);
    e[i] = h[i];
    const em = e.map((v) => -v);
    H[i][i] = (at(e) - 2 * f0 + at(em)) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      const pp = new Array<number>(n).fill(0);
      pp[i] = h[i]; pp[j] = h[j];
      const pm = pp.slice(); pm[j] = -h[j];
      const mp = pp.slice(); mp[i] = -h[i];
      const mm = pp.map((v) => -v);
      H[i][j] = H[j][i] = (at(pp) - at(pm) - at(mp) + at(mm)) / (4 * h[i] * h[j]);
    }
  }
  return H;
}

/**
 * Finite-difference Hessian of f at x by central differences with steps h_i = step·|x_i|
 * (step·1 when x_i = 0), improved by one Richardson extrapolation (H(h/2)·4 − H(h))/3.
 */
export function numericHessian(f: (x: number[]) => number, x: number[], step = 3e-3): number[][] {
  const h = x.map((v) => step * (v !== 0 ? Math.abs(v) : 1));
  const H1 = hessianAt(f, x, h);
  const H2 = hessianAt(f, x, h.map((v) => v / 2));
  return H1.map((row, i) => row.map((v, j) => (4 * H2[i][j] - v) / 3));
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky decomposition; null when the
 * matrix is not positive definite.
 */
export function invertSpd(A: number[][]): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const Linv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    Linv[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i][k] * Linv[k][j];
      Linv[i][j] = s / L[i][i];
    }
  }
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Linv[k][i] * Linv[k][j];
      inv[i][j] = inv[j][i] = s;
    }
  return inv;
}

/**
 * Newton polishing of a maximum: steps Δ = −H⁻¹g (finite-difference g, H of the objective to
 * maximise, on the given coordinates), halved until the objective does not decrease, stopping
 * when the largest step is below `xtol` relative (default 1e-9: finite-difference noise makes
 * steps of ~1e-11 at the optimum). Returns the polished point and iteration count.
 */
export function newtonPolishMax(
  f: (x: number[]) => number,
  x0: number[],
  { maxIter = 30, xtol = 1e-9 }: { maxIter?: number; xtol?: number } = {},
): { x: number[]; fx: number; iterations: number; converged: boolean } {
  let x = x0.slice();
  let fx = f(x);
  for (let iter = 1; iter <= maxIter; iter++) {
    const g = numericGradient(f, x);
    const H = numericHessian(f, x);
    const negInv = invertSpd(H.map((r) => r.map((v) => -v)));
    if (!negInv) return { x, fx, iterations: iter, converged: false };
    const delta = negInv.map((row) => row.reduce((s, v, j) => s + v * g[j], 0));
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 30; k++) {
      const xn = x.map((v, i) => v + t * delta[i]);
      const fn = f(xn);
      if (Number.isFinite(fn) && fn >= fx - 1e-13 * Math.abs(fx)) {
        x = xn;
        fx = fn;
        accepted = true;
        break;
      }
      t /= 2;
    }
    const size = Math.max(...delta.map((d, i) => Math.abs(t * d) / Math.max(Math.abs(x[i]), 1)));
    // No improving step: already at the optimum up to rounding when the full Newton step is tiny.
    if (!accepted) return { x, fx, iterations: iter, converged: size < 1e-6 };
    if (size < xtol) return { x, fx, iterations: iter, converged: true };
  }
  return { x, fx, iterations: maxIter, converged: false };
}
