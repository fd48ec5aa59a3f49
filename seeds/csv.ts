/**
 * RFC 4180 CSV writer and the data-contract column orders (docs/architecture.md §5), so that demo
 * histories can be written to files and imported through the API. Pure: returns a string.
 */
import type { DeploymentRow, ExposureRow, IncidentRow } from './generator.ts';

export const DEPLOYMENT_COLUMNS = [
  'deployment_ref',
  'organization_ref',
  'province',
  'scenario_class',
  'robot_model',
  'units',
  'autonomy_level',
  'start_date',
  'end_date',
  'integrator_ref',
] as const satisfies readonly (keyof DeploymentRow)[];

export const EXPOSURE_COLUMNS = [
  'deployment_ref',
  'period_start',
  'period_end',
  'operating_hours',
  'task_cycles',
  'protective_stops',
  'near_misses',
  'software_version',
  'downtime_hours',
] as const satisfies readonly (keyof ExposureRow)[];

export const INCIDENT_COLUMNS = [
  'incident_ref',
  'deployment_ref',
  'occurred_at',
  'reported_at',
  'incident_type',
  'severity_level',
  'bodily_injury_count',
  'robot_damage',
  'third_party_property_damage',
  'bodily_injury_cost',
  'downtime_hours',
  'business_interruption_cost',
  'status',
  'paid',
  'case_reserve',
  'currency',
] as const satisfies readonly (keyof IncidentRow)[];

/**
 * Formats one field: null/undefined → empty; numbers via String() (shortest round-trip form;
 * non-finite numbers throw); booleans as true/false; a field containing a comma, double quote,
 * CR or LF is enclosed in double quotes with inner quotes doubled (RFC 4180 §2.6–2.7).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write non-finite number ${value} to CSV`);
    s = String(value);
  } else if (typeof value === 'string') s = value;
  else if (typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else if (value instanceof Date) s = value.toISOString();
  else s = JSON.stringify(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Writes rows as RFC 4180 CSV: a header row with `columns`, then one record per row with the
 * fields in `columns` order, records separated and terminated by CRLF, UTF-8 text (no BOM).
 * Throws RangeError when `columns` is empty or a value is a non-finite number.
 */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  if (columns.length === 0) throw new RangeError('toCsv needs at least one column');
  const lines: string[] = [columns.map(csvField).join(',')];
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    lines.push(columns.map((c) => csvField(r[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
