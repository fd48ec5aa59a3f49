/**
 * LP-driven secondary suppression (docs/disclosure-control.md §3.3): after the relation-by-relation
 * heuristic of `secondarySuppression`, the attacker's linear program is solved for every withheld
 * cell of the structure over *all* its published cells at once (every cell of the structure is
 * answerable, so the published cells are exactly what a regulator can learn). A withheld value
 * whose feasible interval is narrower than the protection level (or a point) gets one more
 * partner — the smallest published cell sharing a sum relation with it that covers the shortfall
 * — then the heuristic runs again and the LP re-checks the cells that failed and the newly
 * withheld ones. Withholding more cells only removes equations, so a cell that passed stays
 * protected. Bounded by `LpLimits`: a structure too large for the LP keeps the heuristic's
 * suppression (`lpAudited` stays false; see the note on large structures in the design note).
 */
import { feasibleIntervals, protects, type Equation } from './lp-audit.ts';
import { membersOf, relationsOf, secondarySuppression, type LinkedCell, type LinkedDim, type LinkedStructure, type SecondaryRules } from './linked-tables.ts';

export interface LpLimits {
  /** Most finest cells (LP variables) for which the LP runs. */
  maxFinest: number;
  /** Most withheld cells for which the LP runs. */
  maxWithheld: number;
  /** Most rounds of "withhold more, re-check". */
  maxRounds: number;
  /** Time budget of the refinement, ms: past it the structure keeps what it has (not LP-checked). */
  maxMillis: number;
}

export const DEFAULT_LP_LIMITS: LpLimits = Object.freeze({ maxFinest: 5000, maxWithheld: 5000, maxRounds: 50, maxMillis: 30_000 });

const slackOf = (v: number) => 1e-6 * Math.max(1, Math.abs(v));

/** The published cell to withhold so that `x` gains protection on measure `m`: a sibling (or child) in one of its sum relations. */
function extraPartner(x: LinkedCell, m: number, need: number, relations: ReturnType<typeof relationsOf>['of']): LinkedCell | null {
  const candidates = new Set<LinkedCell>();
  for (const r of relations.get(x) ?? []) {
    if (r.parent === x) for (const c of r.children) candidates.add(c);
    else if (r.parent.status === null) for (const c of r.children) if (c !== x) candidates.add(c);
  }
  let best: LinkedCell | null = null;
  for (const y of candidates) {
    if (y.status !== null || y.fixed || y.measures[m] <= 0) continue;
    const covers = y.measures[m] >= need;
    const bestCovers = best !== null && best.measures[m] >= need;
    if (best === null || (covers && (!bestCovers || y.measures[0] < best.measures[0])) || (!covers && !bestCovers && y.measures[m] > best.measures[m])) best = y;
  }
  if (best) return best;
  // no sibling left: withhold the published parent of a relation it is a child of
  for (const r of relations.get(x) ?? []) if (r.parent !== x && r.parent.status === null && !r.parent.fixed) return r.parent;
  return null;
}

/** Checks, and extends until it holds, the protection of every withheld cell of `s` by the attacker's LP. */
export async function refineWithLp(dims: readonly LinkedDim[], s: LinkedStructure, rules: SecondaryRules, limits: LpLimits = DEFAULT_LP_LIMITS): Promise<void> {
  const withheldCells = () => [...s.cells.values()].filter((c) => c.status !== null && !c.internal);
  if (s.finest.length > limits.maxFinest || withheldCells().length > limits.maxWithheld) return;
  const members = membersOf(dims, s);
  const idOf = new Map([...s.cells].map(([id, c]) => [c, id]));
  const { of } = relationsOf(dims, s.cells);
  const passed = new Set<LinkedCell>();
  const deadline = performance.now() + limits.maxMillis;
  for (let round = 0; round < limits.maxRounds && performance.now() < deadline; round++) {
    const toCheck = withheldCells().filter((c) => !passed.has(c));
    const failing = new Map<LinkedCell, number>(); // cell → a measure on which it fails
    const published = [...s.cells].filter(([, c]) => c.status === null);
    for (let m = 0; m < rules.counts.length && toCheck.length > 0; m++) {
      const equations: Equation[] = published.map(([id, c]) => ({ cells: members.get(id)!, value: c.measures[m], tolerance: slackOf(c.measures[m]) }));
      const intervals = await feasibleIntervals(equations, toCheck.map((c) => members.get(idOf.get(c)!)!), deadline);
      if (!intervals) return; // out of time: not LP-checked
      intervals.forEach((iv, i) => {
        const x = toCheck[i];
        const v = x.measures[m];
        const wide = iv.hi - iv.lo >= (rules.minWidth?.[m] ?? 0);
        if ((!protects(iv, v, rules.protection, slackOf(v) * members.get(idOf.get(x)!)!.length) || !wide) && !failing.has(x)) failing.set(x, m);
      });
    }
    for (const c of toCheck) if (!failing.has(c)) passed.add(c);
    if (failing.size === 0) {
      s.lpAudited = true;
      s.unprotected = [];
      return;
    }
    let added = 0;
    for (const [x, m] of failing) {
      const need = Math.max(rules.protection * x.measures[m], rules.counts[m] ? 1 : 0, rules.minWidth?.[m] ?? 0);
      const y = extraPartner(x, m, need, of);
      if (y && y.status === null) { y.status = 'complementary'; added += 1; }
    }
    if (added === 0) {
      s.unprotected = [...failing.keys()].map((c) => idOf.get(c)!);
      return;
    }
    s.complementary += added + secondarySuppression(dims, s.cells, rules);
  }
}
