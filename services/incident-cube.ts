/**
 * Incident counts per scenario class × calendar month × incident type × severity level, held in
 * memory per data version (built on the first split query after a change): every answerable rate
 * window is whole months (api/schemas-statistics.ts `windowProblems`), so each split cell of an
 * incident-rate answer is a sum of cube cells. On 200,000 incidents the SQL grouping on each call
 * cost 200–300 ms (bench/README.md); a sum over the cube costs a few.
 */
import type { IncidentCubeRow, StatDim, StatFilter } from '../db/repositories/statistics.ts';
import { isUnitEnd, isUnitStart } from '../domain/calendar.ts';

export interface IncidentCube { readonly rows: readonly IncidentCubeRow[] }

/** Whether the cube answers this window exactly: whole calendar months (either end may be open). */
export function cubeAnswers(f: Pick<StatFilter, 'from' | 'to'>): boolean {
  return (!f.from || isUnitStart('month', f.from)) && (!f.to || isUnitEnd('month', f.to));
}

const QUARTER_OF_MONTH = ['Q1', 'Q1', 'Q1', 'Q2', 'Q2', 'Q2', 'Q3', 'Q3', 'Q3', 'Q4', 'Q4', 'Q4'];

/**
 * Incident counts per cell of `dims` over the window, as `repo.incidentCounts` computes them in
 * SQL (cells with no incident are absent).
 * @throws Error when the window is not whole months (`cubeAnswers`).
 */
export function incidentCountsOf(cube: IncidentCube, dims: readonly StatDim[], f: StatFilter): { key: Record<string, string>; incidents: number }[] {
  if (!cubeAnswers(f)) throw new Error('the incident cube answers whole calendar months only');
  const fromMonth = f.from?.slice(0, 7);
  const toMonth = f.to?.slice(0, 7);
  const valueOf = (r: IncidentCubeRow, d: StatDim): string => {
    switch (d) {
      case 'scenario_area': return r.scenario_class.slice(0, r.scenario_class.indexOf('.'));
      case 'scenario_class': return r.scenario_class;
      case 'incident_type': return r.incident_type;
      case 'severity_level': return r.severity_level;
      case 'period': return f.unit === 'month' ? r.month : f.unit === 'year' ? r.month.slice(0, 4) : `${r.month.slice(0, 4)}-${QUARTER_OF_MONTH[Number(r.month.slice(5, 7)) - 1]}`;
    }
  };
  const out = new Map<string, { key: Record<string, string>; incidents: number }>();
  for (const r of cube.rows) {
    if ((fromMonth && r.month < fromMonth) || (toMonth && r.month > toMonth)) continue;
    const values = dims.map((d) => valueOf(r, d));
    const k = values.join('\u0001');
    const c = out.get(k);
    if (c) c.incidents += r.incidents;
    else out.set(k, { key: Object.fromEntries(dims.map((d, i) => [d, values[i]])), incidents: r.incidents });
  }
  return [...out.values()];
}
