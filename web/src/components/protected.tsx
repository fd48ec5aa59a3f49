/** Why a statistics cell is withheld (services/disclosure.ts): shown wherever a protected cell is. */
export const REASONS: Record<string, string> = {
  min_contributors: 'too few organizations contribute to it',
  dominance: 'one or two organizations dominate it ((n, k) rule)',
  p_percent: 'one organization’s figure could be estimated too closely (p % rule)',
  complementary: 'withheld so that another protected cell cannot be recomputed from the totals',
  quantile_tail: 'the tail quantile would reveal an individual claim',
  counts: 'part of the cell lies inside a protected cell: counts (organizations, deployments, open claims) are published only where no part does',
};

/** A padlock drawn in SVG (no emoji font needed). */
export const Lock = () => (
  <svg class="lock" viewBox="0 0 16 18" aria-hidden="true"><path d="M4 8V5a4 4 0 0 1 8 0v3h1a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 0 0-4 0v3z" /></svg>
);

export function ProtectedBadge({ reason }: { reason: string | null | undefined }) {
  return <span class="protected" title={reason ? REASONS[reason] ?? reason : undefined}><Lock />protected{reason ? ` (${reason.replace(/_/g, ' ')})` : ''}</span>;
}

/** The disclosure summary of a response; `counts_withheld` (statistics routes): published cells whose counts are withheld. */
export function DisclosureNote({ disclosure }: { disclosure: { protected_cells: number; by_reason?: Record<string, number>; method?: string; counts_withheld?: number } }) {
  const reasons = Object.entries(disclosure.by_reason ?? {}).filter(([, n]) => n > 0);
  const counts = disclosure.counts_withheld ?? 0;
  return (
    <p class="small muted">
      {disclosure.protected_cells === 0 ? 'All cells published.' : (
        <>
          <span class="protected"><Lock />{disclosure.protected_cells} cell{disclosure.protected_cells === 1 ? '' : 's'} protected</span>
          {reasons.length ? <> — {reasons.map(([r, n], i) => <span key={r}>{i ? '; ' : ''}{n} because {REASONS[r] ?? r}</span>)}</> : null}.
        </>
      )}
      {counts > 0 ? <> {counts} published cell{counts === 1 ? '' : 's'} without {counts === 1 ? 'its' : 'their'} counts: {REASONS.counts}.</> : null}
    </p>
  );
}
