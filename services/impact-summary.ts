/**
 * The dislocation report of a whole-book re-rating (services/impact.ts): how the premiums of the
 * stored quotes move from their stored result to the candidate plan's. Accumulated one quote at
 * a time (100,000 quotes need no more than their refs and two premiums each in memory).
 */
export type Decision = 'quoted' | 'referred' | 'declined';

/** Edges (relative change, new/old − 1) of the histogram bins; the first and last bins are open. */
export const HISTOGRAM_EDGES = [-0.5, -0.25, -0.1, -0.05, -0.02, -0.005, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5] as const;
const PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;
const MOVERS = 20;

interface Sums { quotes: number; old_premium: number; new_premium: number }

export interface QuoteImpact {
  ref: string;
  organization_ref: string;
  oldPremium: number;
  newPremium: number;
  oldDecision: Decision;
  newDecision: Decision;
  /** Gross premium per (scenario class, coverage) of the quote's lines, old and new. */
  lines: { scenarioClass: string; coverage: string; oldPremium: number; newPremium: number }[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Accumulates quote impacts and renders the report. */
export class ImpactAccumulator {
  private readonly changes: number[] = [];
  private readonly movers: { ref: string; organization_ref: string; old: number; new: number }[] = [];
  private readonly byClass = new Map<string, Sums>();
  private readonly byCoverage = new Map<string, Sums>();
  private readonly decisions = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private total: Sums = { quotes: 0, old_premium: 0, new_premium: 0 };
  private failed = 0;
  private readonly via = { stored_aggregate: 0, engine: 0 };

  /** `via`: re-priced by arithmetic on the quote's stored aggregate, or by the full engine. */
  add(q: QuoteImpact, via: 'stored_aggregate' | 'engine' = 'engine'): void {
    this.via[via]++;
    this.total.quotes++;
    this.total.old_premium += q.oldPremium;
    this.total.new_premium += q.newPremium;
    if (q.oldPremium > 0) this.changes.push(q.newPremium / q.oldPremium - 1);
    this.movers.push({ ref: q.ref, organization_ref: q.organization_ref, old: q.oldPremium, new: q.newPremium });
    const key = `${q.oldDecision}→${q.newDecision}`;
    this.decisions.set(key, (this.decisions.get(key) ?? 0) + 1);
    const seenClass = new Set<string>();
    const seenCoverage = new Set<string>();
    for (const l of q.lines) {
      add(this.byClass, l.scenarioClass, l, !seenClass.has(l.scenarioClass));
      add(this.byCoverage, l.coverage, l, !seenCoverage.has(l.coverage));
      seenClass.add(l.scenarioClass);
      seenCoverage.add(l.coverage);
    }
  }

  fail(reason: string): void {
    this.failed++;
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }

  report() {
    const sorted = Float64Array.from(this.changes).sort();
    const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
    const bins = new Array(HISTOGRAM_EDGES.length + 1).fill(0) as number[];
    for (const c of sorted) {
      let i = 0;
      while (i < HISTOGRAM_EDGES.length && c >= HISTOGRAM_EDGES[i]) i++;
      bins[i]++;
    }
    const largest = [...this.movers].sort((a, b) => Math.abs(b.new - b.old) - Math.abs(a.new - a.old)).slice(0, MOVERS);
    const sums = (m: Map<string, Sums>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => [k, view(s)]));
    return {
      quotes: this.total.quotes + this.failed,
      rerated: this.total.quotes,
      failed: this.failed,
      failures: Object.fromEntries(this.failures),
      method: { ...this.via },
      total: view(this.total),
      change: {
        mean: sorted.length ? sorted.reduce((s, x) => s + x, 0) / sorted.length : null,
        percentiles: Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, pct(p)])),
        histogram: bins.map((count, i) => ({ from: i === 0 ? null : HISTOGRAM_EDGES[i - 1], to: i === HISTOGRAM_EDGES.length ? null : HISTOGRAM_EDGES[i], count })),
      },
      by_scenario_class: sums(this.byClass),
      by_coverage: sums(this.byCoverage),
      decisions: {
        changed: [...this.decisions].filter(([k]) => k.split('→')[0] !== k.split('→')[1]).reduce((s, [, n]) => s + n, 0),
        transitions: Object.fromEntries([...this.decisions].sort(([a], [b]) => a.localeCompare(b))),
      },
      largest_movers: largest.map((m) => ({ ref: m.ref, organization_ref: m.organization_ref, old_premium: m.old, new_premium: m.new, change: round2(m.new - m.old), relative_change: m.old > 0 ? m.new / m.old - 1 : null })),
    };
  }
}

export type ImpactReport = ReturnType<ImpactAccumulator['report']>;

function add(m: Map<string, Sums>, key: string, l: { oldPremium: number; newPremium: number }, newQuote: boolean) {
  const s = m.get(key) ?? { quotes: 0, old_premium: 0, new_premium: 0 };
  if (newQuote) s.quotes++;
  s.old_premium += l.oldPremium;
  s.new_premium += l.newPremium;
  m.set(key, s);
}

function view(s: Sums) {
  return { quotes: s.quotes, old_premium: round2(s.old_premium), new_premium: round2(s.new_premium), change: round2(s.new_premium - s.old_premium), relative_change: s.old_premium > 0 ? s.new_premium / s.old_premium - 1 : null };
}

const esc = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The report as RFC 4180 CSV: one row per figure, `section,key,quotes,old_premium,new_premium,change,relative_change`. */
export function impactReportCsv(r: ImpactReport): string {
  const rows: unknown[][] = [['section', 'key', 'quotes', 'old_premium', 'new_premium', 'change', 'relative_change']];
  const sums = (section: string, key: string, s: ReturnType<typeof view>) => rows.push([section, key, s.quotes, s.old_premium, s.new_premium, s.change, s.relative_change]);
  sums('total', 'all', r.total);
  for (const [k, v] of Object.entries(r.change.percentiles)) rows.push(['change_percentile', k, '', '', '', '', v]);
  for (const b of r.change.histogram) rows.push(['change_histogram', `${b.from ?? '-inf'}..${b.to ?? 'inf'}`, b.count, '', '', '', '']);
  for (const [k, v] of Object.entries(r.by_scenario_class)) sums('scenario_class', k, v);
  for (const [k, v] of Object.entries(r.by_coverage)) sums('coverage', k, v);
  for (const [k, n] of Object.entries(r.decisions.transitions)) rows.push(['decision', k, n, '', '', '', '']);
  for (const m of r.largest_movers) rows.push(['largest_mover', `${m.ref} ${m.organization_ref}`, 1, m.old_premium, m.new_premium, m.change, m.relative_change]);
  for (const [k, n] of Object.entries(r.failures)) rows.push(['failed', k, n, '', '', '', '']);
  return rows.map((row) => row.map(esc).join(',')).join('\r\n') + '\r\n';
}
