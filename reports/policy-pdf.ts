/**
 * The binder / certificate of insurance of a policy (docs/policy-lifecycle.md §7), distinct from
 * the quote document: insurer block (configured), insured, policy number and period, schedule of
 * fleet lines, coverages with deductibles, limits and coinsurance, premium, the safety measures
 * the premium relies on, subjectivities and their status, claims notification, governing law.
 *
 * Pure rendering: the caller passes the policy view, the organization and the insurer; nothing
 * here reads the database or the environment.
 */
import {
  createReport, drawStatusBox, formatCny, formatDate, formatDateTime, formatNumber, formatPercent, humanize, THEME, type Report, type TableRow,
} from './pdf-common.ts';
import { drawInsuredUnits, drawPolicyChanges, type ChangesSectionInput } from './policy-changes-section.ts';
import { subjectivityTable, type QuoteCoverageRequest, type QuoteFleetLine, type QuoteSubjectivity } from './quote-pdf.ts';

type DateLike = Date | string;

/** The policy view of services/policies.ts `getPolicy` (fields the document uses). */
export interface PolicyDocumentView {
  policy_number: string;
  quote_ref: string;
  organization_ref: string;
  status: string;
  basis: string;
  period: { start: string; end: string };
  currency: string;
  gross_premium: number;
  schedule: {
    fleet: QuoteFleetLine[];
    coverages: QuoteCoverageRequest[];
    premium: { coverages: Record<string, { gross_premium: number; tax: number }>; total: { gross_premium: number; tax: number } };
    pay_per_use: { expected_operating_hours: number; rate_per_operating_hour: number | null };
  };
  versions: { rating_plan?: { name: string; version: number }; ruleset?: { name: string; version: number } } & Record<string, unknown>;
  bind_mode: string;
  bound_at: DateLike;
  subjectivities: QuoteSubjectivity[];
  cancelled_at?: DateLike | null;
  cancellation_effective_date?: string | null;
  cancellation_reason?: string | null;
  /** Mid-term changes, premium in force and insured units (docs/policy-changes.md; reports/policy-changes-section.ts). */
  changes?: ChangesSectionInput['changes'];
  premium_in_force?: ChangesSectionInput['premium_in_force'];
  units?: ChangesSectionInput['units'];
}

/** The insurer as configured (config/index.ts INSURER_*, POLICY_GOVERNING_LAW). */
export interface InsurerBlock {
  name: string;
  licence: string;
  address: string;
  claimsContact: string;
  governingLaw: string;
}

export interface PolicyPdfInput {
  policy: PolicyDocumentView;
  organization: { ref: string; name: string; province?: string | null };
  insurer: InsurerBlock;
  robotModels?: Record<string, { name: string; manufacturer?: string }>;
  scenarioClasses?: Record<string, { name: string }>;
  /** Fixes the PDF creation date: equal inputs then give byte-identical documents. */
  creationDate?: Date;
  fonts?: { regular: string; bold: string } | false;
}

const COVERAGE_LABELS: Record<string, string> = {
  robot_damage: 'Robot damage (own damage)',
  third_party_liability: 'Third-party liability',
  business_interruption: 'Business interruption',
};
const coverageLabel = (c: string) => COVERAGE_LABELS[c] ?? humanize(c);

const SAFETY_LABELS: [keyof NonNullable<QuoteFleetLine['safety']>, string][] = [
  ['teleoperation_fallback', 'Teleoperation fallback'],
  ['force_speed_limiting', 'Force / speed limiting (ISO/TS 15066)'],
  ['safety_officer_on_site', 'Safety officer on site'],
  ['operator_training_hours', 'Operator training hours'],
];

function checkInput(input: PolicyPdfInput): void {
  const need = (ok: unknown, field: string) => { if (!ok) throw new TypeError(`renderPolicyPdf: ${field} is missing`); };
  const p = input.policy as Partial<PolicyDocumentView> | undefined;
  need(p, 'policy');
  need(typeof p!.policy_number === 'string', 'policy.policy_number');
  need(Array.isArray(p!.schedule?.fleet), 'policy.schedule.fleet');
  need(Array.isArray(p!.schedule?.coverages), 'policy.schedule.coverages');
  need(p!.schedule?.premium?.total, 'policy.schedule.premium.total');
  need(input.organization && typeof input.organization.name === 'string', 'organization.name');
  need(input.insurer && typeof input.insurer.name === 'string', 'insurer.name');
}

function header(r: Report, input: PolicyPdfInput): void {
  const { policy: p, insurer } = input;
  const top = r.top;
  const boxW = 210;
  const boxX = r.right - boxW;
  r.use('bold', 9, THEME.accent);
  r.textLine(r.t(insurer.name), r.left, top, boxX - r.left - 10);
  r.use('regular', 7.5, THEME.muted);
  r.textLine(r.t(`Licence: ${insurer.licence}`), r.left, top + 12, boxX - r.left - 10);
  r.textLine(r.t(insurer.address), r.left, top + 22, boxX - r.left - 10);
  r.use('bold', 17, THEME.accent);
  r.textLine('Binder and certificate of insurance', r.left, top + 38, boxX - r.left - 10);
  r.use('regular', 8.5, THEME.text);
  r.textLine(p.basis === 'pay_per_use' ? 'Humanoid robot fleet insurance, pay-per-use (premium per operating hour)' : 'Humanoid robot fleet insurance, annual premium', r.left, top + 60, boxX - r.left - 10);

  const color = p.status === 'live' ? '#1d4ed8' : p.status === 'cancelled' ? '#b42318' : '#616e7c';
  const rows: [string, string][] = [
    ['Policy number', p.policy_number],
    ['Period', `${formatDate(p.period.start)} – ${formatDate(p.period.end)}`],
    ['Bound', formatDateTime(p.bound_at)],
    ['From quote', p.quote_ref],
  ];
  drawStatusBox(r, { x: boxX, top, width: boxW, title: `POLICY ${p.status.toUpperCase()}`, color, rows, keyWidth: 72, minHeight: 74, gap: 8 });
}

function insured(r: Report, input: PolicyPdfInput): void {
  const { policy: p, organization: org } = input;
  const days = Math.round((Date.parse(p.period.end) - Date.parse(p.period.start)) / 86_400_000) + 1;
  r.heading('Insured and period of insurance', { keepWith: 60 });
  r.keyValues([
    ['Insured', org.name],
    ['Organization reference', org.ref],
    ['Province', org.province ?? '—'],
    ['Period of insurance', `${formatDate(p.period.start)} to ${formatDate(p.period.end)} (${formatNumber(days)} days, both inclusive, 00:00 to 24:00 local time)`],
    ['Basis', p.basis === 'pay_per_use' ? 'Pay-per-use (rate per operating hour)' : 'Annual premium'],
    ['Currency', p.currency],
  ], { columns: 2, labelWidth: 104 });
  if (p.status === 'cancelled') {
    r.notice('Cancelled', [
      `This policy was cancelled on ${formatDateTime(p.cancelled_at ?? null)}${p.cancellation_effective_date ? `, with no cover from ${formatDate(p.cancellation_effective_date)}` : ''}.`,
      ...(p.cancellation_reason ? [`Reason: ${p.cancellation_reason}`] : []),
    ], { color: '#b42318', fill: '#fdecea' });
  } else if (p.status === 'expired') {
    r.notice('Expired', [`The period of insurance ended on ${formatDate(p.period.end)}.`], { color: THEME.muted, fill: THEME.zebra });
  }
}

function fleet(r: Report, input: PolicyPdfInput): void {
  const lines = input.policy.schedule.fleet;
  r.heading('Schedule of insured fleet lines', { keepWith: 50 });
  const rows: TableRow[] = lines.map((f, i) => {
    const m = input.robotModels?.[f.robot_model];
    const c = input.scenarioClasses?.[f.scenario_class];
    return [
      String(i + 1),
      `${f.robot_model}${m ? `\n${m.name}` : ''}`,
      `${f.scenario_class}${c ? `\n${c.name}` : ''}`,
      formatNumber(f.units),
      humanize(f.autonomy_level),
      formatNumber(f.operating_hours_per_unit, Number.isInteger(f.operating_hours_per_unit) ? 0 : 1),
    ];
  });
  r.table({
    columns: [
      { header: '#', width: 22, align: 'right' },
      { header: 'Robot model', width: 120 },
      { header: 'Scenario class', width: 180 },
      { header: 'Units', width: 45, align: 'right' },
      { header: 'Autonomy', width: 70 },
      { header: 'Hours / unit (period)', width: 74, align: 'right' },
    ],
    rows,
    fontSize: 7.5,
    padding: 2.5,
  });
  r.paragraph('Units are insured as scheduled; serial numbers of identified units, where declared, are listed by endorsement.', { size: 7.5, color: THEME.muted });
}

function coverages(r: Report, input: PolicyPdfInput): void {
  const p = input.policy;
  r.heading('Coverages, deductibles, limits and coinsurance', { keepWith: 80 });
  r.table({
    columns: [
      { header: 'Coverage', width: 130 },
      { header: 'Deductible (each occurrence)', width: 90, align: 'right' },
      { header: 'Limit any one occurrence', width: 95, align: 'right' },
      { header: 'Aggregate limit (period)', width: 95, align: 'right' },
      { header: 'Insurer share', width: 101, align: 'right' },
    ],
    rows: p.schedule.coverages.map((c) => [
      coverageLabel(c.coverage), formatCny(c.deductible), formatCny(c.per_occurrence_limit),
      c.aggregate_limit ? formatCny(c.aggregate_limit) : 'None', formatPercent(c.coinsurance ?? 1, 0),
    ]),
    zebra: false,
  });
  r.paragraph('Payment per occurrence = insurer share × min(loss − deductible, limit) for losses above the deductible; robot damage is limited, per robot and occurrence, to the lower of the limit and the replacement value of the robot model.', { size: 7.5, color: THEME.muted });
}

function premium(r: Report, input: PolicyPdfInput): void {
  const p = input.policy;
  const prem = p.schedule.premium;
  const ppu = p.schedule.pay_per_use;
  r.heading('Premium', { keepWith: 70 });
  const rows: TableRow[] = p.schedule.coverages.filter((c) => prem.coverages[c.coverage]).map((c) => [
    coverageLabel(c.coverage), formatCny(prem.coverages[c.coverage].tax), formatCny(prem.coverages[c.coverage].gross_premium),
  ]);
  // the schedule's premium: as bound, or the full-term premium of the schedule after endorsements (docs/policy-changes.md)
  rows.push({ cells: ['Total', formatCny(prem.total.tax), formatCny(prem.total.gross_premium)], bold: true, fill: THEME.totalFill });
  r.table({
    columns: [
      { header: 'Coverage', width: 250 },
      { header: 'of which tax', width: 130, align: 'right' },
      { header: 'Gross premium', width: 131, align: 'right' },
    ],
    rows,
    zebra: false,
  });
  r.paragraph(p.basis === 'pay_per_use'
    ? `Pay-per-use: ${ppu.rate_per_operating_hour == null ? '—' : formatCny(ppu.rate_per_operating_hour, 4)} per operating hour, charged on the hours recorded each month; the gross premium above is the estimate at ${formatNumber(ppu.expected_operating_hours)} expected operating hours.`
    : 'Annual premium: payable in full at inception of the period of insurance.', { size: 8 });
  if (Math.abs(prem.total.gross_premium - p.gross_premium) >= 0.005) {
    r.paragraph(`Full-term premium of the schedule as endorsed; as bound it was ${formatCny(p.gross_premium)}. Additional and return premiums: see Endorsements and cancellation.`, { size: 8 });
  }
}

function safety(r: Report, input: PolicyPdfInput): void {
  const lines = input.policy.schedule.fleet;
  r.heading('Declared safety measures the premium relies on', { keepWith: 60 });
  r.table({
    columns: [
      { header: '#', width: 22, align: 'right' },
      { header: 'Robot model / class', width: 160 },
      ...SAFETY_LABELS.map(([, label]) => ({ header: label, width: 82, align: 'center' as const })),
    ],
    rows: lines.map((f, i) => [
      String(i + 1), `${f.robot_model}\n${f.scenario_class}`,
      ...SAFETY_LABELS.map(([k]) => {
        const v = f.safety?.[k];
        return k === 'operator_training_hours' ? (typeof v === 'number' ? formatNumber(v) : 'not declared') : v === true ? 'declared' : 'not declared';
      }),
    ]),
    fontSize: 7.5,
    padding: 2.5,
  });
  r.paragraph('The premium was rated on these declarations. A measure declared here must stay in place for the period of insurance; its withdrawal is a material change to be notified to the insurer.', { size: 7.5, color: THEME.muted });
}

function subjectivities(r: Report, input: PolicyPdfInput): void {
  const subs = input.policy.subjectivities;
  r.heading('Subjectivities and their status', { keepWith: 40 });
  if (subs.length) subjectivityTable(r, subs);
  else r.paragraph('None.', { color: THEME.muted });
  const open = subs.filter((x) => x.status === 'open');
  if (open.length) {
    r.paragraph(`${open.length} subjectivit${open.length === 1 ? 'y is' : 'ies are'} still open: ${open.map((x) => `#${x.id} (${x.required_before === 'inception' ? 'due before inception' : 'no deadline'})`).join(', ')}.`, { size: 8, color: THEME.notice });
  }
}

function closing(r: Report, input: PolicyPdfInput): void {
  const { insurer, policy: p } = input;
  r.heading('Claims notification', { keepWith: 40 });
  r.list([
    `Notify every incident that may give rise to a claim as soon as practicable and within 72 hours to: ${insurer.claimsContact}.`,
    `Quote the policy number ${p.policy_number}, the robot model and, where declared, the unit serial number, the deployment, date, place and a description of the incident.`,
    'Keep the robot logs and telemetry of the incident and do not repair or dispose of damaged robots before the insurer agrees, except to prevent further loss.',
  ], { numbered: true });
  r.heading('Governing law', { keepWith: 20 });
  r.paragraph(r.t(insurer.governingLaw));
  r.heading('Record', { keepWith: 40 });
  r.keyValues([
    ['Rating plan', p.versions.rating_plan ? `${p.versions.rating_plan.name} v${p.versions.rating_plan.version}` : '—'],
    ['Rule set', p.versions.ruleset ? `${p.versions.ruleset.name} v${p.versions.ruleset.version}` : '—'],
    ['Bound by', p.bind_mode === 'auto_on_acceptance' ? 'automatically on the insured’s acceptance' : p.bind_mode === 'migration' ? 'before policies were recorded' : 'an underwriter'],
    ['Source quote', p.quote_ref],
  ], { columns: 2, labelWidth: 70 });
  r.paragraph('This binder evidences the insurance described above, subject to the terms, conditions and exclusions of the policy wording. The quote document of the source quote shows how the premium was built up.', { size: 7.5, color: THEME.muted });
}

/**
 * Renders the binder / certificate of a policy as a PDF (A4); deterministic bytes with
 * `creationDate`. Throws `TypeError` naming a missing required part of the input.
 */
export async function renderPolicyPdf(input: PolicyPdfInput): Promise<Buffer> {
  checkInput(input);
  const p = input.policy;
  const r = await createReport({
    title: `Binder and certificate ${p.policy_number}`,
    subject: `Humanoid robot fleet insurance policy ${p.policy_number} for ${input.organization.name} (${input.organization.ref})`,
    author: input.insurer.name,
    keywords: `roborisk policy binder certificate ${p.policy_number} ${p.status}`,
    creationDate: input.creationDate,
    fonts: input.fonts,
  });
  header(r, input);
  if (r.fontNote) r.notice('Font note', [r.fontNote, 'Names above may be incomplete; the policy number and all amounts are correct.']);
  insured(r, input);
  fleet(r, input);
  if (p.units) drawInsuredUnits(r, { changes: p.changes ?? [], premium_in_force: p.premium_in_force ?? { annual_premium: p.gross_premium, written_premium: p.gross_premium }, units: p.units });
  coverages(r, input);
  premium(r, input);
  if (p.changes && p.premium_in_force) drawPolicyChanges(r, { changes: p.changes, premium_in_force: p.premium_in_force, units: p.units ?? [], basis: p.basis });
  safety(r, input);
  subjectivities(r, input);
  closing(r, input);
  return r.finish({ left: `Policy ${p.policy_number} · ${input.organization.ref}`, center: r.t(input.insurer.name) });
}
