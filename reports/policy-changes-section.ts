/**
 * The binder's sections on identified units and mid-term changes (docs/policy-changes.md): the
 * insured units by fleet line with their days of cover, and every change with its effective
 * date, full-term premium before and after and the premium charged or returned. Pure rendering
 * of the `changesView` of services/policy-changes.ts; called by the binder renderer.
 */
import { drawTable, formatCny, formatDate, humanize, type Report, type TableRow } from './pdf-common.ts';

export interface ChangesSectionInput {
  changes: { seq: number; kind: string; effective_date: string; annual_premium_before: number; annual_premium_after: number; premium: number; reason: string | null; details?: Record<string, unknown> }[];
  premium_in_force: { annual_premium: number; written_premium: number };
  units: { line: number; serial_number: string; cover_from: string; cover_until: string }[];
  /** `pay_per_use`: the premiums are expected premiums; the monthly statements bill the hours run. */
  basis?: string;
}

/** Serial numbers of the insured units per line (a unit no longer covered shows its last day). */
export function drawInsuredUnits(r: Report, v: ChangesSectionInput): void {
  r.heading('Insured units (serial numbers)', { keepWith: 40 });
  if (!v.units.length) {
    r.paragraph('No identified units: the fleet lines insure the number of robots scheduled, not named robots.', { size: 8.5 });
    return;
  }
  const rows: TableRow[] = v.units.map((u) => [
    String(u.line), u.serial_number, formatDate(u.cover_from),
    u.cover_until < u.cover_from ? 'never covered' : formatDate(u.cover_until),
  ]);
  drawTable(r, {
    columns: [{ header: 'Line', width: 0.6, align: 'right' }, { header: 'Serial number', width: 3 }, { header: 'Covered from', width: 1.4 }, { header: 'Covered until', width: 1.4 }],
    rows, fontSize: 8, continuation: 'Insured units (continued)',
  });
}

/** An endorsement that only named the units of lines bound without serial numbers. */
const isIdentification = (c: ChangesSectionInput['changes'][number]) => {
  const lines = c.details?.lines as { identified?: string[] }[] | undefined;
  return Array.isArray(lines) && lines.length > 0 && lines.every((l) => Array.isArray(l.identified));
};

/** The changes since bind and the premium in force. */
export function drawPolicyChanges(r: Report, v: ChangesSectionInput): void {
  r.heading('Endorsements and cancellation', { keepWith: 50 });
  if (v.changes.length <= 1) {
    r.paragraph('No mid-term change: the schedule and premium are as bound.', { size: 8.5 });
    return;
  }
  const rows: TableRow[] = v.changes.map((c) => [
    String(c.seq), c.kind === 'endorsement' && isIdentification(c) ? 'Units identified' : humanize(c.kind), formatDate(c.effective_date), formatCny(c.annual_premium_before), formatCny(c.annual_premium_after),
    `${c.premium < 0 ? 'return ' : ''}${formatCny(Math.abs(c.premium))}`, c.reason ?? '',
  ]);
  rows.push({ cells: ['', 'In force', '', '', formatCny(v.premium_in_force.annual_premium), `written ${formatCny(v.premium_in_force.written_premium)}`, ''], bold: true });
  drawTable(r, {
    columns: [
      { header: '#', width: 0.4, align: 'right' }, { header: 'Change', width: 1.1 }, { header: 'Effective', width: 1.1 },
      { header: 'Full-term before', width: 1.4, align: 'right' }, { header: 'Full-term after', width: 1.4, align: 'right' },
      { header: 'Premium', width: 1.6, align: 'right' }, { header: 'Reason', width: 2.2 },
    ],
    rows, fontSize: 7.5, continuation: 'Endorsements and cancellation (continued)',
  });
  r.paragraph('Premium of a change = (full-term premium after − before) × days from the effective date to expiry / days of the policy period, to the cent (half away from zero); a cancellation returns the premium written less the premium earned until the day before it.', { size: 7.5 });
  if (v.basis === 'pay_per_use') {
    r.paragraph('Pay-per-use: the premiums above are expected premiums (at the expected operating hours); nothing is invoiced by a change. The monthly premium statements bill the hours run at the rate per operating hour in force on each day (a month holding an endorsement bills its hours at the rates of its parts, weighted by their expected hours) and stop at a cancellation\'s effective date; the minimum premium is pro-rated to the days of cover.', { size: 7.5 });
  }
}
