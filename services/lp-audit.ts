/**
 * The attacker's linear program (docs/disclosure-control.md §6), used to protect the linked
 * structures (`refineWithLp` in services/protected-tables.ts) and by the attacker audit of the
 * tests on the answers of the API: unknowns are the finest cells
 * of a linked structure (non-negative), every published figure is an equation on them (a sum of
 * finest cells equals the published value, within its rounding), and for each withheld cell the
 * attacker minimises and maximises its sum. The feasible interval [lo, hi] is everything any
 * combination of answers can tell about the withheld value. GLPK (glpk.js, WebAssembly).
 */
import GLPK from 'glpk.js/node';

type Glpk = Awaited<ReturnType<typeof GLPK>>;
let glpk: Promise<Glpk> | undefined;

export interface Equation {
  /** Indices of the finest cells the published figure adds up. */
  cells: readonly number[];
  value: number;
  /** Half-width of the rounding of the published value (0 for counts). */
  tolerance: number;
  /**
   * Coefficients of `cells` (default all 1): a known identity between two structures' finest
   * cells (one route's sum of a cell less the other's, 0) has coefficients 1 and −1.
   */
  coefs?: readonly number[];
}

export interface Interval { lo: number; hi: number }

/**
 * Feasible intervals of the sums `targets` (each a set of finest cells) under `equations` and
 * non-negativity of the finest cells. Before any LP: a published figure with a single unknown
 * fixes it (substituted into the others, its rounding carried along), repeatedly; an unknown that
 * no remaining figure mentions is free, so a target containing one is unbounded above and the
 * free part adds nothing to its minimum; targets with the same unknowns share their LPs. Throws if
 * the published figures are infeasible (they would not be sums of the finest cells).
 */
export async function feasibleIntervals(equations: readonly Equation[], targets: readonly (readonly number[])[]): Promise<Interval[]>;
export async function feasibleIntervals(equations: readonly Equation[], targets: readonly (readonly number[])[], deadline: number): Promise<Interval[] | null>;
export async function feasibleIntervals(equations: readonly Equation[], targets: readonly (readonly number[])[], deadline = Infinity): Promise<Interval[] | null> {
  const g = await (glpk ??= GLPK());
  // substitution of the cells that one figure pins down
  const fixed = new Map<number, { value: number; tolerance: number }>();
  let open = equations.map((e) => {
    const coef = new Map<number, number>();
    e.cells.forEach((c, i) => coef.set(c, e.coefs ? (coef.get(c) ?? 0) + e.coefs[i] : 1));
    return { cells: [...coef.keys()].filter((c) => coef.get(c) !== 0), coef, value: e.value, tolerance: e.tolerance };
  });
  for (let changed = true; changed;) {
    changed = false;
    const next: typeof open = [];
    for (const e of open) {
      let value = e.value;
      let tolerance = e.tolerance;
      const cells: number[] = [];
      for (const c of e.cells) {
        const f = fixed.get(c);
        const a = e.coef.get(c)!;
        if (f) { value -= a * f.value; tolerance += Math.abs(a) * f.tolerance; } else cells.push(c);
      }
      if (cells.length === 1) {
        const a = e.coef.get(cells[0])!;
        fixed.set(cells[0], { value: Math.max(0, value / a), tolerance: tolerance / Math.abs(a) });
        changed = true;
        continue;
      }
      if (cells.length > 0) next.push({ cells, coef: e.coef, value, tolerance });
    }
    open = next;
  }
  const constrained = new Set<number>();
  for (const e of open) for (const c of e.cells) constrained.add(c);
  const name = (c: number) => `x${c}`;
  const subjectTo = open.map((e, i) => ({
    name: `e${i}`,
    vars: e.cells.map((c) => ({ name: name(c), coef: e.coef.get(c)! })),
    bnds: e.tolerance > 0
      ? { type: g.GLP_DB, lb: [...e.coef.values()].every((a) => a > 0) ? Math.max(0, e.value - e.tolerance) : e.value - e.tolerance, ub: e.value + e.tolerance }
      : { type: g.GLP_FX, lb: e.value, ub: e.value },
  }));
  const bounds = [...constrained].map((c) => ({ name: name(c), type: g.GLP_LO, lb: 0, ub: 0 }));
  const solve = (t: readonly number[], direction: number): number => {
    if (t.length === 0) return 0;
    const lp = { name: 'audit', objective: { direction, name: 'z', vars: t.map((c) => ({ name: name(c), coef: 1 })) }, subjectTo, bounds };
    let r = g.solve(lp, { msglev: g.GLP_MSG_OFF, presol: true });
    // the presolver reports an unbounded problem (possible with identities, coefficients −1) as undefined: ask the simplex
    if (r.result.status !== g.GLP_OPT && r.result.status !== g.GLP_UNBND) r = g.solve(lp, { msglev: g.GLP_MSG_OFF, presol: false });
    if (r.result.status === g.GLP_UNBND) return direction === g.GLP_MAX ? Infinity : -Infinity;
    if (r.result.status !== g.GLP_OPT) throw new Error(`LP status ${r.result.status}: the published figures are not consistent sums of the finest cells`);
    return r.result.z;
  };
  const memo = new Map<string, Interval>();
  const out: Interval[] = [];
  for (const [i, t] of targets.entries()) {
    // glpk.js solves synchronously: let other work (requests) run between solves, and stop past the deadline
    if (i % 16 === 15) {
      await new Promise((r) => setImmediate(r));
      if (performance.now() > deadline) return null;
    }
    let known = 0;
    let knownTol = 0;
    const lp: number[] = [];
    let free = false;
    for (const c of new Set(t)) {
      const f = fixed.get(c);
      if (f) { known += f.value; knownTol += f.tolerance; } else if (constrained.has(c)) lp.push(c); else free = true;
    }
    lp.sort((a, b) => a - b);
    const key = `${lp.join(',')}|${free}`;
    let iv = memo.get(key);
    if (!iv) memo.set(key, (iv = { lo: solve(lp, g.GLP_MIN), hi: free ? Infinity : solve(lp, g.GLP_MAX) }));
    out.push({ lo: Math.max(0, known - knownTol + iv.lo), hi: known + knownTol + iv.hi });
  }
  return out;
}

/**
 * Whether an interval protects a true value v at level p: the attacker cannot narrow v to within
 * ±p·v, i.e. lo ≤ (1 − p)·v and hi ≥ (1 + p)·v (up to `slack` for the rounding of the
 * published figures), and the interval is never a single point.
 */
export function protects(iv: Interval, v: number, p: number, slack: number): boolean {
  return iv.lo <= (1 - p) * v + slack && iv.hi >= (1 + p) * v - slack && iv.hi - iv.lo > 2 * slack;
}
