/**
 * Disclosure control over linked hierarchical tables (docs/disclosure-control.md): every figure a
 * regulator can obtain is a cell of one fixed structure — the cross product of the dimensions'
 * hierarchies (scenario area ⊃ class, year ⊃ quarter ⊃ month, incident type, severity level, each
 * with its total `*`) — so primary and secondary suppression are decided once, over all those
 * cells together, and every response only selects cells from the result. A value that one
 * response withholds is withheld by all of them, and every published margin is taken into
 * account when complementary cells are chosen (τ-Argus "linked tables"; Hundepool et al.,
 * Statistical Disclosure Control, Wiley 2012, §4.3–4.4).
 *
 * Pure: no I/O. Cells are keyed by their values, one per dimension, joined with U+0001.
 */
import type { SuppressionReason } from '../domain/index.ts';

/** The total of a dimension (its value in a cell that does not split by it). */
export const TOTAL = '*';

/** A dimension: its name and how a value rolls up (nearest coarser value first, ending with `*`). */
export interface LinkedDim {
  name: string;
  up(value: string): string[];
}

/** One contributor's figures in one finest cell. `measures[0]` is the magnitude the primary rules use. */
export interface BaseRecord {
  values: readonly string[];
  contributor: string | number;
  measures: readonly number[];
}

export interface PrimaryRules {
  /** Fewest contributors (organizations) a published cell has. */
  minContributors: number;
  /** (n, k) dominance: the n largest contributors together may hold at most k of the magnitude (n ≤ 2). */
  dominanceN: number;
  dominanceK: number;
  /** p % rule: the magnitude less the two largest contributions must be at least p × the largest. */
  pPercent: number;
}

export interface SecondaryRules {
  /** Protection level: each suppressed value must stay uncertain by at least this share of itself. */
  protection: number;
  /** Per measure: whether it is a count (a zero needs a partner with at least one unit to stay uncertain). */
  counts: readonly boolean[];
  /**
   * Per measure, optional: the narrowest feasible interval the LP step accepts for a withheld value
   * (so a withheld zero of an amount cannot be pinned to [0, rounding]); absent: only "not a point".
   */
  minWidth?: readonly number[];
}

export interface LinkedCell {
  values: string[];
  contributors: number;
  measures: number[];
  /** The two largest contributions to measures[0]. */
  top1: number;
  top2: number;
  status: SuppressionReason | null;
  /**
   * Status imposed from outside the structure (a cell another route publishes or withholds, docs/
   * disclosure-control.md §3.6): secondary suppression never changes it; a fixed published cell
   * is never a complement.
   */
  fixed?: boolean;
  /** Not answerable by any route (an internal margin of the cross product): never published, never a protection target. */
  internal?: boolean;
}

export interface LinkedStructure {
  dims: string[];
  cells: Map<string, LinkedCell>;
  /** Ids of the finest cells (those of the base records): every cell is a sum of them. */
  finest: string[];
  primary: number;
  complementary: number;
  /** Whether the LP audit checked (and, where needed, extended) the suppression: see `refineWithLp`. */
  lpAudited: boolean;
  /**
   * Withheld cells the LP step found narrowable and could not protect within the structure (every
   * partner it could withhold is fixed published): ids, set by `refineWithLp`.
   */
  unprotected?: string[];
}

/** The finest cells of each cell of the structure (indices into `s.finest`). */
export function membersOf(dims: readonly LinkedDim[], s: Pick<LinkedStructure, 'cells' | 'finest'>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  s.finest.forEach((id, i) => {
    for (const values of ancestorsOf(dims, s.cells.get(id)!.values)) {
      const k = cellId(values);
      const l = out.get(k);
      if (l) l.push(i); else out.set(k, [i]);
    }
  });
  return out;
}

export const cellId = (values: readonly string[]): string => values.join('\u0001');

/** Every cell a finest cell adds to: the cross product of each value with its coarser values. */
function ancestorsOf(dims: readonly LinkedDim[], values: readonly string[]): string[][] {
  let out: string[][] = [[]];
  dims.forEach((d, i) => {
    const chain = values[i] === TOTAL ? [TOTAL] : [values[i], ...d.up(values[i])];
    out = out.flatMap((prefix) => chain.map((v) => [...prefix, v]));
  });
  return out;
}

/** Aggregates the finest cells into every cell of the linked structure, per contributor first. */
export function buildCells(dims: readonly LinkedDim[], records: readonly BaseRecord[]): Map<string, LinkedCell> {
  const cells = new Map<string, LinkedCell>();
  const byContributor = new Map<string | number, BaseRecord[]>();
  for (const r of records) {
    const list = byContributor.get(r.contributor);
    if (list) list.push(r); else byContributor.set(r.contributor, [r]);
  }
  const nMeasures = records[0]?.measures.length ?? 0;
  for (const list of byContributor.values()) {
    const own = new Map<string, { values: string[]; m: number[] }>();
    for (const r of list) {
      for (const values of ancestorsOf(dims, r.values)) {
        const id = cellId(values);
        let o = own.get(id);
        if (!o) own.set(id, (o = { values, m: new Array<number>(nMeasures).fill(0) }));
        for (let k = 0; k < nMeasures; k++) o.m[k] += r.measures[k];
      }
    }
    for (const [id, o] of own) {
      let c = cells.get(id);
      if (!c) cells.set(id, (c = { values: o.values, contributors: 0, measures: new Array<number>(nMeasures).fill(0), top1: 0, top2: 0, status: null }));
      for (let k = 0; k < nMeasures; k++) c.measures[k] += o.m[k];
      const x = o.m[0];
      if (x > 0) {
        c.contributors += 1;
        if (x > c.top1) { c.top2 = c.top1; c.top1 = x; } else if (x > c.top2) c.top2 = x;
      }
    }
  }
  return cells;
}

/**
 * Primary rules on one cell: minimum contributors (organizations with a positive magnitude), the
 * (n, k) dominance rule and the p % rule (the second-largest contributor, subtracting its own
 * value from the total, must not estimate the largest one within p %).
 */
export function primaryReason(c: Pick<LinkedCell, 'contributors' | 'measures' | 'top1' | 'top2'>, rules: PrimaryRules): SuppressionReason | null {
  if (c.contributors < rules.minContributors) return 'min_contributors';
  const total = c.measures[0];
  if (total <= 0) return null;
  const topN = rules.dominanceN >= 2 ? c.top1 + c.top2 : c.top1;
  if (topN > rules.dominanceK * total) return 'dominance';
  // p = 0 turns the rule off (total − top1 − top2 can be −1e−13 in floating point)
  if (rules.pPercent > 0 && total - c.top1 - c.top2 < rules.pPercent * c.top1) return 'p_percent';
  return null;
}

/** A sum relation of the structure: `parent` = Σ `children` (the children split it along one dimension). */
export interface Relation { parent: LinkedCell; children: LinkedCell[] }

export function relationsOf(dims: readonly LinkedDim[], cells: Map<string, LinkedCell>): { relations: Relation[]; of: Map<LinkedCell, Relation[]> } {
  const byKey = new Map<string, Relation>();
  for (const c of cells.values()) {
    c.values.forEach((v, d) => {
      if (v === TOTAL) return;
      const pv = [...c.values];
      pv[d] = dims[d].up(v)[0];
      const parent = cells.get(cellId(pv));
      if (!parent) return; // cannot happen: every ancestor of a cell exists
      const key = `${cellId(pv)}\u0002${d}`;
      const rel = byKey.get(key);
      if (rel) rel.children.push(c); else byKey.set(key, { parent, children: [c] });
    });
  }
  const relations = [...byKey.values()];
  const of = new Map<LinkedCell, Relation[]>();
  const add = (c: LinkedCell, r: Relation) => { const l = of.get(c); if (l) l.push(r); else of.set(c, [r]); };
  for (const r of relations) { add(r.parent, r); for (const ch of r.children) add(ch, r); }
  return { relations, of };
}

/**
 * What a suppressed cell still needs, per measure, from the other withheld cells of a relation so
 * that the relation alone does not pin it within the protection level: their sum must reach
 * protection × its value (and, for a count, at least 1, so that a withheld zero is not known).
 */
function deficit(x: LinkedCell, slack: number[], rules: SecondaryRules): number[] {
  return x.measures.map((v, k) => {
    const need = rules.counts[k] ? Math.max(rules.protection * v, 1) : Math.max(rules.protection * v, Number.MIN_VALUE);
    return need - slack[k];
  });
}

/**
 * The unsuppressed child to withhold next: the smallest (by magnitude) that covers the whole
 * deficit on every measure, else the one covering most of it. Null when no child helps.
 */
function partner(candidates: readonly LinkedCell[], need: readonly number[]): LinkedCell | null {
  let best: LinkedCell | null = null;
  let bestScore = 0;
  for (const y of candidates) {
    let score = 0;
    let helps = false;
    need.forEach((n, k) => {
      if (n <= 0) return;
      if (y.measures[k] > 0) helps = true;
      score += Math.min(y.measures[k] / n, 1);
    });
    if (!helps) continue;
    const full = need.every((n, k) => n <= 0 || y.measures[k] >= n);
    const adj = full ? 1e9 - y.measures[0] : score; // full cover: smallest magnitude wins
    if (adj > bestScore) { best = y; bestScore = adj; }
  }
  return best;
}

/**
 * Secondary (complementary) suppression over every sum relation of the structure, until no
 * relation lets a withheld cell be pinned within the protection level by itself:
 *
 * * parent published: each withheld child x needs the other withheld children of the relation to
 *   add up to at least protection × x on every measure (else x + the others = parent − published
 *   ones bounds x within less); partners are unsuppressed siblings, the smallest that cover the
 *   need; with no sibling left, the parent is withheld;
 * * parent withheld: the withheld children must add up to protection × parent (else the parent
 *   is the published children's sum within less).
 *
 * A relation considers measures only one at a time and relations one at a time; combinations of
 * relations can still narrow a value, which the LP audit of the tests measures
 * (tests/disclosure/attacker-audit.test.ts). Returns the number of cells withheld here.
 */
export function secondarySuppression(dims: readonly LinkedDim[], cells: Map<string, LinkedCell>, rules: SecondaryRules): number {
  const { relations, of } = relationsOf(dims, cells);
  const queue = new Set<Relation>(relations);
  let added = 0;
  const withhold = (c: LinkedCell) => {
    if (c.fixed) return;
    c.status = 'complementary';
    added += 1;
    for (const r of of.get(c) ?? []) queue.add(r);
  };
  const zeros = () => new Array<number>(rules.counts.length).fill(0);
  while (queue.size > 0) {
    const r: Relation = queue.values().next().value!;
    queue.delete(r);
    if (r.children.length === 1) {
      // the parent is its only child (an area of one class, a quarter of one month): one value, one status
      const [c] = r.children;
      if (c.status !== null && !c.internal && r.parent.status === null) withhold(r.parent);
      else if (r.parent.status !== null && !r.parent.internal && c.status === null) withhold(c);
      continue;
    }
    const withheld = r.children.filter((c) => c.status !== null);
    const open = r.children.filter((c) => c.status === null && !c.fixed);
    const sum = zeros();
    for (const c of withheld) c.measures.forEach((v, k) => { sum[k] += v; });
    if (r.parent.status !== null) {
      if (r.parent.internal) continue; // nobody asks for it: nothing to protect (its withheld children are protected in their other relations)
      const need = deficit(r.parent, sum, rules);
      if (need.some((n, k) => n > 0 && (k === 0 || open.some((c) => c.measures[k] > 0)))) {
        const y = partner(open, need);
        if (y) { withhold(y); queue.add(r); }
      }
      continue;
    }
    // largest first: covering it usually covers the others
    for (const x of [...withheld].sort((a, b) => b.measures[0] - a.measures[0])) {
      if (x.internal) continue; // unknown to the attacker (slack for the others), no target itself
      const slack = sum.map((v, k) => v - x.measures[k]);
      const need = deficit(x, slack, rules);
      const unmet = need.map((n, k) => (n > 0 && (k === 0 || open.some((c) => c.measures[k] > 0 && c !== x)) ? n : 0));
      if (!unmet.some((n) => n > 0)) continue;
      const y = partner(open, unmet);
      if (y) withhold(y);
      else if (unmet[0] > 0 && !r.parent.fixed) withhold(r.parent);
      else continue;
      queue.add(r);
      break;
    }
  }
  return added;
}

/** What a structure's cells are beyond its data (§3.6 of the design note). */
export interface StructureOptions {
  /** Statuses imposed on cells by id (another route's decision on the same cells), applied after the primary rules and never changed. */
  fixed?: ReadonlyMap<string, SuppressionReason | null>;
  /** Cells no route answers (margins of the cross product nobody can ask for): never published, never protection targets. */
  internal?: (values: readonly string[]) => boolean;
}

/** Builds the cells of the linked structure, applies the primary rules, then secondary suppression. */
export function protectStructure(dims: readonly LinkedDim[], records: readonly BaseRecord[], primary: PrimaryRules, secondary: SecondaryRules,
  options: StructureOptions = {}): LinkedStructure {
  const cells = buildCells(dims, records);
  let nPrimary = 0;
  for (const [id, c] of cells) {
    c.status = primaryReason(c, primary);
    if (options.fixed?.has(id)) { c.status = options.fixed.get(id)!; c.fixed = true; }
    if (options.internal?.(c.values)) { c.status = 'complementary'; c.fixed = true; c.internal = true; }
    if (c.status && !c.internal) nPrimary += 1;
  }
  const complementary = secondarySuppression(dims, cells, secondary);
  const finest = [...new Set(records.map((r) => cellId(r.values)))];
  return { dims: dims.map((d) => d.name), cells, finest, primary: nPrimary, complementary, lpAudited: false };
}
