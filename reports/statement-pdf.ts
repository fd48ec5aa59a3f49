/**
 * The premium statement of one month of a pay-per-use policy as a PDF (A4), built with the
 * shared blocks of reports/pdf-common.ts: title and reference box, insured and period, the lines
 * (rate × billed hours, expected and declared hours), the usage of every linked deployment with
 * its source, the minimum premium and the total, and how the figures are computed.
 * Deterministic bytes with a fixed `creationDate`. Pure rendering: no database, no HTTP.
 */
import type { PolicyStatement } from '../domain/schemas/policy-usage.ts';
import { createReport, drawStatusBox, formatCny, formatDate, formatDateTime, formatNumber, THEME, type Report } from './pdf-common.ts';

export interface StatementPdfInput {
  statement: PolicyStatement;
  creationDate?: Date;
  /** Font files, or false for the Helvetica fallback (tests). */
  fonts?: { regular: string; bold: string } | false;
}

const hours = (h: number) => `${formatNumber(h, 2)} h`;
const signedHours = (h: number) => `${h > 0 ? '+' : ''}${formatNumber(h, 2)} h`;
const SOURCE_TEXT: Record<string, string> = {
  imported: 'imported exposures', declared_by_enterprise: "insured's declaration", declared_by_underwriter: "underwriter's declaration", none: 'no usage',
};

function titleBlock(r: Report, s: PolicyStatement): void {
  const top = r.top;
  const boxW = 200;
  const boxX = r.right - boxW;
  r.use('bold', 8, THEME.muted);
  r.textLine('ROBORISK  ·  HUMANOID ROBOT FLEET INSURANCE', r.left, top, boxX - r.left - 10);
  r.use('bold', 18, THEME.accent);
  r.textLine('Premium statement', r.left, top + 12, boxX - r.left - 10);
  r.use('regular', 9, THEME.text);
  r.textLine(`Pay-per-use policy ${s.policy_number}, ${s.month}`, r.left, top + 36, boxX - r.left - 10);
  r.use('regular', 8, THEME.muted);
  r.textLine(`Operating hours × rate per operating hour, per fleet line`, r.left, top + 49, boxX - r.left - 10);
  const rows: [string, string][] = [
    ['Policy number', s.policy_number],
    ['Month', s.month],
    ['Days of cover', `${formatDate(s.from)} – ${formatDate(s.to)}`],
    ['Amount due', formatCny(s.total)],
  ];
  const color = s.status === 'final' ? THEME.accent : THEME.notice;
  drawStatusBox(r, { x: boxX, top, width: boxW, title: `STATUS: ${s.status.toUpperCase()}`, color, rows });
}

function insured(r: Report, s: PolicyStatement): void {
  r.heading('Insured and period', { keepWith: 50 });
  r.keyValues([
    ['Insured', `${s.organization.name} (${s.organization.ref})`],
    ['Quote', s.quote_ref],
    ['Policy period', `${formatDate(s.period.start)} – ${formatDate(s.period.end)} (${s.period_days} days)`],
    ['This month', `${s.days} of ${s.period_days} days of cover`],
    ['Computed', formatDateTime(s.generated_at)],
  ]);
  if (s.status === 'provisional') {
    r.notice('Provisional', ["The month's cover has not ended yet: usage may still be imported or declared, and the amounts may change."]);
  }
}

function lines(r: Report, s: PolicyStatement): void {
  r.heading('Premium by fleet line', { keepWith: 60 });
  r.table({
    columns: [
      { header: 'Line', width: 0.5 }, { header: 'Robot model / scenario class', width: 2.6 }, { header: 'Units', width: 0.6, align: 'right' },
      { header: 'Rate / h', width: 1.1, align: 'right' }, { header: 'Expected', width: 1.2, align: 'right' }, { header: 'Declared', width: 1.2, align: 'right' },
      { header: 'Billed', width: 1.2, align: 'right' }, { header: 'Billed − expected', width: 1.3, align: 'right' }, { header: 'Amount', width: 1.5, align: 'right' },
    ],
    rows: [
      ...s.lines.map((l) => [
        String(l.line), `${l.robot_model}\n${l.scenario_class}`, formatNumber(l.units), formatCny(l.rate_per_operating_hour, 4),
        hours(l.expected_hours), l.declared_hours === null ? '—' : hours(l.declared_hours), hours(l.billed_hours), signedHours(l.billed_minus_expected), formatCny(l.amount),
      ]),
      { cells: ['', 'Subtotal', '', '', hours(s.expected_hours), s.declared_hours === null ? '—' : hours(s.declared_hours), hours(s.billed_hours), signedHours(s.billed_hours - s.expected_hours), formatCny(s.subtotal)], bold: true, fill: THEME.totalFill },
    ],
  });
  r.keyValues([
    ['Minimum premium', formatCny(s.minimum_premium)],
    ['Minimum adjustment', formatCny(s.minimum_premium_adjustment)],
    ['Total due, tax incl.', formatCny(s.total)],
  ], { columns: 3, labelWidth: 88 });
  const split = s.lines.filter((l) => l.rates.length > 1);
  if (split.length) {
    r.notice('Endorsement during the month', split.map((l) => `Line ${l.line}: ${l.rates.map((x) => `${formatDate(x.from)} to ${formatDate(x.to)} (${x.days} days) ${formatCny(x.rate_per_operating_hour, 4)} / h on ${hours(x.line_expected_hours)} expected`).join('; ')}. The month's rate ${formatCny(l.rate_per_operating_hour, 4)} / h weights these rates by their expected hours.`));
  }
  if (s.minimum_premium_adjustment > 0) {
    r.notice('Minimum premium applies', [`The lines add up to ${formatCny(s.subtotal)}, below this month's share of the plan's minimum premium: ${formatCny(s.minimum_premium_adjustment)} is added.`]);
  }
}

function usage(r: Report, s: PolicyStatement): void {
  r.heading('Usage of the linked deployments', { keepWith: 60 });
  const declared = (d: { operating_hours: number; declared_at: string } | null) => (d ? `${hours(d.operating_hours)}\n${formatDateTime(d.declared_at)}` : '—');
  r.table({
    columns: [
      { header: 'Line', width: 0.5 }, { header: 'Deployment', width: 2 }, { header: 'Imported', width: 1.3, align: 'right' },
      { header: 'Declared (insured)', width: 1.6, align: 'right' }, { header: 'Declared (underwriter)', width: 1.6, align: 'right' },
      { header: 'Billed', width: 1.3, align: 'right' }, { header: 'Source', width: 1.7 },
    ],
    rows: s.lines.flatMap((l) => l.deployments.map((d) => [
      String(l.line), d.deployment_ref, d.imported_hours === null ? '—' : hours(d.imported_hours),
      declared(d.declared_by_enterprise), declared(d.declared_by_underwriter), hours(d.billed_hours), SOURCE_TEXT[d.source] ?? d.source,
    ])),
    empty: 'No deployment is linked to the fleet lines of this policy: no hours are billed.',
  });
}

function method(r: Report, s: PolicyStatement): void {
  r.heading('How the figures are computed', { keepWith: 80 });
  r.list([
    "Rate per operating hour of a line = the line's gross premium over the whole period (all coverages, premium tax included) / its expected hours (units × operating hours per unit over the period); not rounded, so the expected hours of the period bill exactly the gross premium.",
    `Expected hours of the month = the line's expected hours × ${s.days} / ${s.period_days} (days of cover in the month / days of the period), to 0.01 h.`,
    "Imported hours: each exposure row's operating hours spread evenly over its days (quarterly rows split into months by days); only days of cover count.",
    s.source_rule,
    'Amount of a line = line gross premium × billed hours / line expected hours, rounded once to the cent (half away from zero).',
    "Minimum premium: the plan's minimum premium for the policy is spread over its months by days of cover (whole cents, largest remainder, adding up exactly); a month whose lines add up to less is billed its share.",
  ], { size: 8 });
}

/** Renders the statement. With `creationDate` equal inputs give equal bytes. */
export async function renderStatementPdf(input: StatementPdfInput): Promise<Buffer> {
  const s = input.statement;
  const r = await createReport({
    title: `Premium statement ${s.policy_number} ${s.month}`,
    subject: `Pay-per-use premium statement for ${s.organization.name} (${s.organization.ref})`,
    keywords: `roborisk statement ${s.policy_number} ${s.month}`,
    creationDate: input.creationDate,
    fonts: input.fonts,
  });
  titleBlock(r, s);
  if (r.fontNote) r.notice('Font note', [r.fontNote, 'The organization name above may be incomplete; the policy number and all amounts are correct.']);
  insured(r, s);
  lines(r, s);
  usage(r, s);
  method(r, s);
  return r.finish({ left: `Statement ${s.policy_number} · ${s.month}`, center: s.organization.ref });
}
