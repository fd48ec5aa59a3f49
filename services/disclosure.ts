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
 *   total (the table without any dimension) is a margin as well.
 */
import type { SuppressionReason } from '../domain/index.ts';
export type { SuppressionReason };

export interface DisclosureRules {
  minContributors: number;
  /** Largest allowed share of one contributor, e.g. 0.75. */
  dominance: number;
}

export interface SdcCell {
  key: Record<string, string>;
  contributors: number;
  maxShare: number;
  /** The magnitude used to pick complementary cells (smallest first). */
  magnitude: number;
}

/** Returns the suppression reason per cell (undefined = publish), in cell order. */
export function suppress(cells: readonly SdcCell[], dims: readonly string[], rules: DisclosureRules): (SuppressionReason | undefined)[] {
  const out: (SuppressionReason | undefined)[] = cells.map((c) =>
    c.contributors < rules.minContributors ? 'min_contributors' : c.maxShare > rules.dominance ? 'dominance' : undefined);
  // groups: for each dimension d, cells sharing every other dimension; with no dimension, the whole table.
  const groupings: number[][][] = [];
  const dimsToDrop = dims.length ? dims : [null];
  for (const d of dimsToDrop) {
    const groups = new Map<string, number[]>();
    cells.forEach((c, i) => {
      const k = d === null ? '' : dims.filter((x) => x !== d).map((x) => c.key[x]).join('\u0000');
      const g = groups.get(k);
      if (g) g.push(i); else groups.set(k, [i]);
    });
    groupings.push([...groups.values()]);
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
