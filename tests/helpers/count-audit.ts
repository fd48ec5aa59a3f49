/**
 * The attacker audits' check of the counts published beside the protected measures
 * (docs/disclosure-control.md §2, "Counts"): organizations and deployments of a rate cell, the
 * open claims of a severity cell (share_open × claims), the insured organizations of a loss-ratio
 * cell. They are not protected by the LP of the structure, so the rule is that a cell publishes
 * them only when every finest cell under it is published and lies inside no withheld cell: then
 * every published count is a function of published finest cells only, and no equation (counts
 * add up over classes) or inequality (a quarter's deployments ≥ each month's, ≤ their sum)
 * relates it to a withheld cell — a published month's deployments inside a withheld quarter would
 * bound the quarter's from below. Computed here from the answers alone (which cells were
 * published) and the true finest cells, independently of the service's own rule.
 */

/** One answer cell as the audit saw it: whether it was withheld and its count fields (null: not published). */
export interface SeenCounts { suppressed: boolean; counts: readonly (number | null)[] }

/**
 * The failures of the count rule: a withheld cell with a count, or a published count over a finest
 * cell that no answer published or that lies inside a withheld cell. `finestUnder(key)` lists the
 * keys of the true finest cells under a cell (from the data, not from the service); a finest cell
 * no answer listed counts as withheld. `protectedCell(key)` says which withheld cells count (default
 * all): the incident splits withheld only as complements of a published group are not cells the
 * counts relate to (a count is the group's, never split).
 */
export function countsOverWithheld(seen: ReadonlyMap<string, SeenCounts>, finestUnder: (key: string) => readonly string[],
  protectedCell: (key: string) => boolean = () => true): string[] {
  const published = (k: string) => seen.get(k)?.suppressed === false;
  const insideWithheld = new Set<string>();
  for (const [key, e] of seen) if (e.suppressed && protectedCell(key)) for (const f of finestUnder(key)) insideWithheld.add(f);
  const failures: string[] = [];
  for (const [key, e] of seen) {
    if (e.counts.every((c) => c === null)) continue;
    if (e.suppressed) { failures.push(`${key}: withheld, yet its counts are published (${e.counts.join(', ')})`); continue; }
    const finest = finestUnder(key);
    const hidden = finest.filter((f) => !published(f));
    if (hidden.length > 0) failures.push(`${key}: counts published (${e.counts.join(', ')}) over ${hidden.length} withheld finest cells (${hidden.slice(0, 3).join(', ')})`);
    const inside = finest.filter((f) => published(f) && insideWithheld.has(f));
    if (inside.length > 0) failures.push(`${key}: counts published (${e.counts.join(', ')}) over ${inside.length} finest cells inside withheld ones (${inside.slice(0, 3).join(', ')})`);
  }
  return failures;
}
