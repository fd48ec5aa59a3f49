/**
 * Statistical disclosure control of regulator tables (docs/actuarial-method.md §9), as statistical
 * offices apply it to magnitude tables (Hundepool et al., "Statistical Disclosure Control", Wiley
 * 2012, ch. 4; Eurostat SDC handbook):
 *
 * * primary suppression: a cell with fewer than `minContributors` organizations
 *   (`min_contributors`), or where one organization contributes more than `dominance` of the
 *   cell's magnitude (`dominance`: the (1, k) dominance rule with k = 75 %);
 * * complementary (secondary) suppression: every published margin is a sum of cells — the
 *   cells that agree on all dimensions but one add up to a cell of the table without that
 *   dimension, which a user can query too. If exactly one cell of such a group is suppressed,
 *   subtracting the others from the margin would recover it, so a second cell of the group —
 *   the unsuppressed one with the smallest magnitude — is suppressed too (`complementary`).
 *   Repeated over every dimension until no group has exactly one suppressed cell. The grand
 *   total (the table without any dimension) is a margin as well. So are the coarser levels of
 *   the hierarchical dimensions (DESIGN.md §8: area ⊃ class, year ⊃ quarter ⊃ month): the
 *   classes of one area add up to the area's cell, the months of a quarter (or year) to the
 *   quarter's (year's), each of which a user can query too — a class suppressed alone in its area
 *   would be the area's cell minus the published classes of the area, wherever the grand total's
 *   partner was taken from.
 */
import type { SuppressionReason } from '../domain/index.ts';
export type { SuppressionReason };

export interface DisclosureRules {
  minContributors: number;
  /** Largest allowed share of the `dominanceN` largest contributors, e.g. 0.75. */
  dominance: number;
  /** n of the (n, k) dominance rule (1 or 2). */
  dominanceN: number;
  /** p of the p % rule, e.g. 0.1. */
  pPercent: number;
  /** Protection level of withheld values, e.g. 0.2 (±20 %). */
  protection: number;
  /** Claims needed on each side of a published severity quantile. */
  quantileTail: number;
}

/** The disclosure rules of the configuration (never shown to regulators: docs/disclosure-control.md §4). */
export const disclosureRulesOf = (c: {
  DISCLOSURE_MIN_CONTRIBUTORS: number; DISCLOSURE_DOMINANCE: number; DISCLOSURE_DOMINANCE_N: number; DISCLOSURE_P_PERCENT: number;
  DISCLOSURE_PROTECTION: number; DISCLOSURE_QUANTILE_TAIL: number;
}): DisclosureRules => Object.freeze({
  minContributors: c.DISCLOSURE_MIN_CONTRIBUTORS, dominance: c.DISCLOSURE_DOMINANCE, dominanceN: c.DISCLOSURE_DOMINANCE_N,
  pPercent: c.DISCLOSURE_P_PERCENT, protection: c.DISCLOSURE_PROTECTION, quantileTail: c.DISCLOSURE_QUANTILE_TAIL,
});

/** Default rules (those of the default configuration), for tests and tools. */
export const DEFAULT_DISCLOSURE_RULES: DisclosureRules = Object.freeze({ minContributors: 3, dominance: 0.75, dominanceN: 1, pPercent: 0.1, protection: 0.2, quantileTail: 5 });

export interface SdcCell {
  key: Record<string, string>;
  contributors: number;
  maxShare: number;
  /** The magnitude used to pick complementary cells (smallest first). */
  magnitude: number;
}

/**
 * The coarser values a value of a hierarchical dimension rolls up into, finest first: a scenario
 * class `<area>.<name>` into its area; a month `YYYY-MM` into its quarter `YYYY-Qn` and year; a
 * quarter into its year. Empty for other dimensions and values.
 */
export function coarserLevels(dim: string, value: string): string[] {
  if (dim === 'scenario_class') {
    const dot = value.indexOf('.');
    return dot > 0 ? [value.slice(0, dot)] : [];
  }
  if (dim === 'period') {
    const m = /^(\d{4})-(\d{2})$/.exec(value);
    if (m) return [`${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}`, m[1]];
    const q = /^(\d{4})-Q[1-4]$/.exec(value);
    if (q) return [q[1]];
  }
  return [];
}

/** Returns the suppression reason per cell (undefined = publish), in cell order. */
export function suppress(cells: readonly SdcCell[], dims: readonly string[], rules: Pick<DisclosureRules, 'minContributors' | 'dominance'>): (SuppressionReason | undefined)[] {
  const out: (SuppressionReason | undefined)[] = cells.map((c) =>
    c.contributors < rules.minContributors ? 'min_contributors' : c.maxShare > rules.dominance ? 'dominance' : undefined);
  // groups: for each dimension d, cells sharing every other dimension (with no dimension, the
  // whole table), and cells sharing every other dimension and a coarser level of d.
  const groupings: number[][][] = [];
  const groupBy = (keyOf: (c: SdcCell) => string | null) => {
    const groups = new Map<string, number[]>();
    cells.forEach((c, i) => {
      const k = keyOf(c);
      if (k === null) return;
      const g = groups.get(k);
      if (g) g.push(i); else groups.set(k, [i]);
    });
    groupings.push([...groups.values()]);
  };
  const others = (c: SdcCell, d: string) => dims.filter((x) => x !== d).map((x) => c.key[x]);
  if (dims.length === 0) groupBy(() => '');
  for (const d of dims) {
    groupBy((c) => others(c, d).join('\u0000'));
    const depth = Math.max(0, ...cells.map((c) => coarserLevels(d, c.key[d]).length));
    for (let level = 0; level < depth; level++) {
      groupBy((c) => {
        const up = coarserLevels(d, c.key[d])[level];
        return up === undefined ? null : [...others(c, d), up].join('\u0000');
      });
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const groups of groupings) {
      for (const g of groups) {
        const suppressed = g.filter((i) => out[i] !== undefined);
        if (suppressed.length !== 1) continue;
        const candidates = g.filter((i) => out[i] === undefined).sort((a, b) => cells[a].magnitude - cells[b].magnitude);
        if (candidates.length === 0) continue; // a group of one cell: the margin is the cell itself and is suppressed by the same rule
        out[candidates[0]] = 'complementary';
        changed = true;
      }
    }
  }
  return out;
}
