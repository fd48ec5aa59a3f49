/**
 * The claims of one coverage held in memory per data version, indexed by the finest cell of the
 * severity structure (scenario class × calendar quarter × severity level): each cell's incurred
 * amounts sorted ascending, its open claims and its total. Every answerable severity query (whole
 * calendar quarters or years, or all time: api/schemas-statistics.ts `windowProblems`) is a union
 * of these cells, so counts, totals, means and the type-7 quantiles of every cell are computed
 * here without reading the incidents again — on 200,000 claims the SQL (`percentile_cont` over
 * all claims on each call) cost 314–338 ms a query (bench/README.md). The structure and the index
 * come from the same rows (`severityClaimRows`), so a status and the figures it governs always
 * describe the same data.
 */
import type { SeverityCell, SeverityClaimRow, StatFilter } from '../db/repositories/statistics.ts';
import type { BaseRecord } from './linked-tables.ts';
import { quantileType7 } from '../models/statistics/severity-summary.ts';
import { isUnitEnd, isUnitStart } from '../domain/calendar.ts';

/** Dimensions of a severity answer (api/schemas-statistics.ts SEVERITY_DIMS). */
export type SeverityAnswerDim = 'scenario_area' | 'scenario_class' | 'period' | 'severity_level';

interface ClaimCell {
  scenarioClass: string;
  quarter: string;
  severityLevel: string;
  /** Incurred amounts, ascending. */
  amounts: Float64Array;
  open: number;
  total: number;
}

export interface ClaimIndex { readonly cells: readonly ClaimCell[] }

/** The severity structure's base records: claims and incurred per class × quarter × level × organization. */
export function severityRecordsOf(rows: readonly SeverityClaimRow[]): BaseRecord[] {
  const out = new Map<string, { row: SeverityClaimRow; incurred: number; claims: number }>();
  for (const r of rows) {
    const k = `${r.scenario_class}\u0001${r.quarter}\u0001${r.severity_level}\u0001${r.organization_id}`;
    const acc = out.get(k);
    if (acc) { acc.incurred += r.incurred; acc.claims += 1; } else out.set(k, { row: r, incurred: r.incurred, claims: 1 });
  }
  return [...out.values()].map(({ row: r, incurred, claims }) => ({
    values: [r.scenario_class, r.quarter, r.severity_level], contributor: r.organization_id, measures: [incurred, claims],
  }));
}

/** The claims grouped by finest cell, each cell's amounts sorted. */
export function claimIndexOf(rows: readonly SeverityClaimRow[]): ClaimIndex {
  const groups = new Map<string, SeverityClaimRow[]>();
  for (const r of rows) {
    const k = `${r.scenario_class}\u0001${r.quarter}\u0001${r.severity_level}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const cells = [...groups.values()].map((g) => {
    const amounts = Float64Array.from(g, (r) => r.incurred).sort();
    let total = 0;
    for (const x of amounts) total += x;
    return { scenarioClass: g[0].scenario_class, quarter: g[0].quarter, severityLevel: g[0].severity_level, amounts, open: g.filter((r) => r.open).length, total };
  });
  return { cells };
}

const quarterStart = (q: string) => `${q.slice(0, 4)}-${String((Number(q[6]) - 1) * 3 + 1).padStart(2, '0')}-01`;

/** Whether the index answers this window exactly: it starts on the first day of a calendar quarter and ends on the last day of one (either may be open). */
export function indexAnswers(f: Pick<StatFilter, 'from' | 'to'>): boolean {
  return (!f.from || isUnitStart('quarter', f.from)) && (!f.to || isUnitEnd('quarter', f.to));
}

/**
 * The severity cells of `dims` over the window, as `repo.severityCells` computes them in SQL:
 * claims, open claims, total and mean incurred, and the median, 90 % and 99 % quantiles (R
 * `quantile(type = 7)`, PostgreSQL `percentile_cont`) of the incurred amounts; cells ordered by
 * their dimension values (code-point order, as `order by` under the C collation).
 * @throws Error when the window is not made of whole quarters (`indexAnswers`).
 */
export function severityCellsOf(index: ClaimIndex, dims: readonly SeverityAnswerDim[], f: StatFilter): SeverityCell[] {
  if (!indexAnswers(f)) throw new Error('the claim index answers whole calendar quarters only');
  const valueOf = (c: ClaimCell, d: SeverityAnswerDim) =>
    d === 'scenario_area' ? c.scenarioClass.slice(0, c.scenarioClass.indexOf('.'))
      : d === 'scenario_class' ? c.scenarioClass
        : d === 'severity_level' ? c.severityLevel
          : f.unit === 'year' ? c.quarter.slice(0, 4) : c.quarter;
  if (f.unit === 'month' && dims.includes('period')) throw new Error('severity is published by quarter and year');
  const groups = new Map<string, { values: string[]; parts: ClaimCell[] }>();
  for (const c of index.cells) {
    // whole quarters: a quarter is inside the window when it starts inside it
    if ((f.from && quarterStart(c.quarter) < f.from) || (f.to && quarterStart(c.quarter) > f.to)) continue;
    const values = dims.map((d) => valueOf(c, d));
    const k = values.join('\u0001');
    const g = groups.get(k);
    if (g) g.parts.push(c);
    else groups.set(k, { values, parts: [c] });
  }
  const ordered = [...groups.values()].sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) if (a.values[i] !== b.values[i]) return a.values[i] < b.values[i] ? -1 : 1;
    return 0;
  });
  return ordered.map(({ values, parts }) => {
    let n = 0;
    let open = 0;
    let total = 0;
    for (const p of parts) { n += p.amounts.length; open += p.open; total += p.total; }
    const all = new Float64Array(n);
    let at = 0;
    for (const p of parts) { all.set(p.amounts, at); at += p.amounts.length; }
    if (parts.length > 1) all.sort();
    return {
      key: Object.fromEntries(dims.map((d, i) => [d, values[i]])), claims: n, open, total, mean: total / n,
      p50: quantileType7(all, 0.5), p90: quantileType7(all, 0.9), p99: quantileType7(all, 0.99),
    };
  });
}
