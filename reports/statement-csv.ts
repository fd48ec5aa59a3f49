/**
 * A premium statement (domain/schemas/policy-usage.ts) as RFC 4180 CSV: one row per linked
 * deployment, one `line` row per fleet line (its rate, hours and amount), then the subtotal, the
 * minimum premium adjustment and the total. Text cells that a spreadsheet would read as a formula
 * (starting with = + - @, tab or CR) are prefixed with an apostrophe; numbers are plain.
 */
import type { PolicyStatement } from '../domain/schemas/policy-usage.ts';

export const STATEMENT_CSV_COLUMNS = [
  'policy_number', 'month', 'row', 'line', 'robot_model', 'scenario_class', 'deployment_ref', 'source',
  'imported_hours', 'declared_by_enterprise_hours', 'declared_by_underwriter_hours', 'declared_hours',
  'expected_hours', 'billed_hours', 'billed_minus_expected', 'rate_per_operating_hour', 'amount_cny',
] as const;
type Column = (typeof STATEMENT_CSV_COLUMNS)[number];

const field = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The statement as CSV text (CRLF line ends, header row). */
export function statementCsv(s: PolicyStatement): string {
  const rows: Partial<Record<Column, string | number | null>>[] = [];
  const base = { policy_number: s.policy_number, month: s.month };
  for (const l of s.lines) {
    const lineCells = { ...base, line: l.line, robot_model: l.robot_model, scenario_class: l.scenario_class };
    for (const d of l.deployments) {
      rows.push({
        ...lineCells, row: 'deployment', deployment_ref: d.deployment_ref, source: d.source, imported_hours: d.imported_hours,
        declared_by_enterprise_hours: d.declared_by_enterprise?.operating_hours ?? null,
        declared_by_underwriter_hours: d.declared_by_underwriter?.operating_hours ?? null, billed_hours: d.billed_hours,
      });
    }
    rows.push({
      ...lineCells, row: 'line', declared_hours: l.declared_hours, expected_hours: l.expected_hours, billed_hours: l.billed_hours,
      billed_minus_expected: l.billed_minus_expected, rate_per_operating_hour: l.rate_per_operating_hour, amount_cny: l.amount,
    });
  }
  rows.push({ ...base, row: 'subtotal', declared_hours: s.declared_hours, expected_hours: s.expected_hours, billed_hours: s.billed_hours, amount_cny: s.subtotal });
  rows.push({ ...base, row: 'minimum_premium_adjustment', amount_cny: s.minimum_premium_adjustment });
  rows.push({ ...base, row: 'total', amount_cny: s.total });
  return [STATEMENT_CSV_COLUMNS.join(','), ...rows.map((r) => STATEMENT_CSV_COLUMNS.map((c) => field(r[c])).join(','))].join('\r\n') + '\r\n';
}
