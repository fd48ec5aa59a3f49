/**
 * The quote document (docs/architecture.md §8): a PDF an enterprise's risk manager can file —
 * insured, period and basis, schedule of fleet lines, coverages with deductibles and limits, the
 * premium built up per coverage (pure premium, risk margin, rule loadings and discounts with the
 * rule that caused each, expenses, tax, gross), the pay-per-use rate, subjectivities and
 * conditions, referral / decline reasons, validity, the versions used and a verification hash of
 * the rating worksheet.
 *
 * Pure rendering: the caller passes the quote view (`getQuote`), the worksheet (`getWorksheet`)
 * and the organization; nothing here reads the database.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { QuoteRequest } from '../domain/schemas/index.ts';
import {
  canonicalJson, createReport, drawStatusBox, formatCny, formatDate, formatDateTime, formatNumber, formatPercent, formatRanges, humanize,
  THEME, type Report, type TableRow,
} from './pdf-common.ts';
import { roundCents } from '../models/premium/rounding.ts';

export { formatCny } from './pdf-common.ts';

// ---------------------------------------------------------------------------------------------
// Input shapes (the JSON of GET /v1/quotes/{ref} and GET /v1/quotes/{ref}/worksheet)
// ---------------------------------------------------------------------------------------------

export interface QuoteAmounts {
  pure_premium: number;
  risk_margin: number;
  technical_premium: number;
  premium_before_tax: number;
  tax: number;
  gross_premium: number;
  expense_and_commission?: number;
}
export interface QuotePremiumLine extends QuoteAmounts {
  /** Fleet line number (1-based). */
  line: number;
  coverage: string;
  loading_factor?: number;
}
/** The quote request as stored with the quote (domain/schemas QuoteRequest; defaults may be absent). */
export type QuoteRequestView = z.input<typeof QuoteRequest>;
export type QuoteFleetLine = QuoteRequestView['fleet'][number];
export type QuoteCoverageRequest = QuoteRequestView['coverages'][number];
type DateLike = Date | string;

/** The quote view of services/quotes.ts `getQuote` (fields the document uses). */
export interface QuoteView {
  ref: string;
  organization_ref: string;
  status: string;
  /** The current underwriting decision (the rules', or an underwriter's on a referral). */
  decision: string;
  /** The rules' decision when priced (absent in older views: then `decision`). */
  rules_decision?: string;
  reasons?: string[];
  premium: { currency: string; lines: QuotePremiumLine[]; coverages: Record<string, QuoteAmounts>; total: QuoteAmounts };
  pay_per_use?: { expected_operating_hours: number; rate_per_operating_hour: number | null } | null;
  subjectivities?: string[];
  /** Each subjectivity with its deadline and status (docs/policy-lifecycle.md §3). */
  subjectivity_details?: QuoteSubjectivity[];
  term_years?: number;
  minimum_premium_applied?: boolean;
  request: QuoteRequestView;
  versions: {
    rating_plan: { id: number; name: string; version: number };
    ruleset: { id: number; name: string; version: number };
    models: Record<string, { frequency: number; severity: number }>;
  };
  valid_until: DateLike;
  decision_note?: string | null;
  created_at: DateLike;
  decided_at?: DateLike | null;
  accepted_at?: DateLike | null;
  bound_at?: DateLike | null;
  /** The policy made by binding the quote. */
  policy_number?: string | null;
}

export interface QuoteSubjectivity {
  id: number;
  text: string;
  required_before: string;
  status: string;
  actor?: string | null;
  at?: DateLike | null;
  note?: string | null;
  evidence_note?: string | null;
}

export interface WorksheetRuleLoading { rule: string; event_type: string; factor: number; line_index: number | null; reason: string }
export interface WorksheetCoverage {
  coverage: string;
  deductible?: number;
  per_occurrence_limit: number;
  per_occurrence_limit_requested?: number;
  limit_capped_at_replacement_value?: boolean;
  rule_loadings?: WorksheetRuleLoading[];
  rule_loading_factor?: number;
}
export interface WorksheetLine {
  index: number;
  robot_model: string;
  scenario_class: string;
  units: number;
  exposure_hours?: number;
  coverages: WorksheetCoverage[];
}
export interface WorksheetFiredRule {
  rule: string;
  event_type: string;
  reason: string;
  /** 0-based fleet line, null for a request-level rule. */
  line_index: number | null;
  facts?: Record<string, unknown>;
  params?: Record<string, unknown>;
}
/** The worksheet of services/quotes.ts `getWorksheet` (fields the document uses; hashed whole). */
export interface QuoteWorksheet {
  ref?: string;
  plan?: { id: number; name: string; version: number; loadings?: { expense?: number; commission?: number; profit?: number; tax?: number; cost_of_capital?: number; minimum_premium?: number } };
  lines: WorksheetLine[];
  rules?: { decision?: string; fired: WorksheetFiredRule[] };
  [key: string]: unknown;
}

export interface QuotePdfInput {
  quote: QuoteView;
  worksheet: QuoteWorksheet;
  organization: { ref: string; name: string; province?: string | null };
  /** Catalog names by robot model code (the code is printed when absent). */
  robotModels?: Record<string, { name: string; manufacturer?: string }>;
  /** Catalog names by scenario class code. */
  scenarioClasses?: Record<string, { name: string; area?: string }>;
  /** Fixes the PDF creation date: equal inputs then give byte-identical documents. */
  creationDate?: Date;
  /** Font files, or `false` for the Helvetica fallback (see reports/pdf-common.ts). */
  fonts?: { regular: string; bold: string } | false;
}

// ---------------------------------------------------------------------------------------------
// Verification hash
// ---------------------------------------------------------------------------------------------

/**
 * SHA-256 (lower-case hex) of the worksheet's canonical JSON: the worksheet exactly as
 * `GET /v1/quotes/{ref}/worksheet` returns it to the same key (including its `ref`; an enterprise's
 * view differs from an underwriter's, services/worksheet-view.ts), serialised with every
 * object's keys sorted (UTF-16 code-unit order), no whitespace, numbers and strings as
 * `JSON.stringify` writes them — i.e. RFC 8785 (JCS) for JSON data, see `canonicalJson` in
 * reports/pdf-common.ts — and hashed as UTF-8. A reader verifies the printed hash with any JCS
 * implementation piped into `sha256sum`, or from this repository:
 *   curl -s -H 'Authorization: Bearer KEY' URL/v1/quotes/REF/worksheet | node --import tsx -e \
 *     "import('./reports/quote-pdf.ts').then(async (m) => { let s = ''; for await (const c of process.stdin) s += c; console.log(m.worksheetHash(JSON.parse(s))); })"
 * Throws `TypeError` for non-JSON input (BigInt, cyclic structures).
 */
export function worksheetHash(worksheet: unknown): string {
  return createHash('sha256').update(canonicalJson(worksheet), 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const COVERAGE_LABELS: Record<string, string> = {
  robot_damage: 'Robot damage (own damage)',
  third_party_liability: 'Third-party liability',
  business_interruption: 'Business interruption',
};
const coverageLabel = (c: string) => COVERAGE_LABELS[c] ?? humanize(c);

const STATUS_TEXT: Record<string, { label: string; color: string }> = {
  quoted: { label: 'QUOTED', color: '#1e7b34' },
  referred: { label: 'REFERRED', color: '#a86400' },
  declined: { label: 'DECLINED', color: '#b42318' },
  accepted: { label: 'ACCEPTED', color: '#1e7b34' },
  bound: { label: 'BOUND', color: '#1d4ed8' },
  expired: { label: 'EXPIRED', color: '#616e7c' },
};

/** A bound quote is not a quotation any more, and a declined one never was an offer (docs/policy-lifecycle.md §7). */
const titleOf = (q: QuoteView) => (q.status === 'bound' ? 'Bound quote: see policy' : q.status === 'declined' ? 'Declined quotation request' : 'Quotation');
/** Whether the document shows a premium (a declined quote shows none: there is nothing to accept). */
const offersPremium = (q: QuoteView) => q.status !== 'declined';

const money = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? '—' : formatCny(x));

function factValue(v: unknown): string {
  if (v === null || v === undefined) return 'unknown';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? formatNumber(v) : formatNumber(v, Math.abs(v) >= 100 ? 1 : 3);
  if (Array.isArray(v)) return v.map(factValue).join(', ');
  return String(v);
}

function factorText(f: number): string {
  return `×${formatNumber(f, 2)}`;
}

/** Validates the parts of the input the document cannot do without; throws TypeError naming the field. */
function checkInput(input: QuotePdfInput): void {
  const q = input.quote as Partial<QuoteView> | undefined;
  const need = (ok: unknown, field: string) => { if (!ok) throw new TypeError(`renderQuotePdf: ${field} is missing`); };
  need(q, 'quote');
  need(typeof q!.ref === 'string', 'quote.ref');
  need(q!.premium?.total, 'quote.premium.total');
  need(Array.isArray(q!.request?.fleet), 'quote.request.fleet');
  need(Array.isArray(q!.request?.coverages), 'quote.request.coverages');
  need(q!.versions?.rating_plan, 'quote.versions');
  need(input.worksheet && Array.isArray(input.worksheet.lines), 'worksheet.lines');
  need(input.organization && typeof input.organization.name === 'string', 'organization.name');
}

function titleBlock(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const top = r.top;
  const boxW = 200;
  const boxX = r.right - boxW;
  r.use('bold', 8, THEME.muted);
  r.textLine('ROBORISK  ·  HUMANOID ROBOT FLEET INSURANCE', r.left, top, boxX - r.left - 10);
  r.use('bold', 18, THEME.accent);
  r.textLine(titleOf(q), r.left, top + 12, boxX - r.left - 10);
  r.use('regular', 9, THEME.text);
  const basis = q.request.basis === 'pay_per_use' ? 'Pay-per-use cover, premium per operating hour' : 'Annual premium cover';
  const sub = q.status === 'bound' ? `${basis} · bound into policy ${q.policy_number ?? '—'}`
    : q.status === 'declined' ? `${basis} requested: declined, no offer of insurance` : basis;
  r.textLine(sub, r.left, top + 36, boxX - r.left - 10);
  r.use('regular', 8, THEME.muted);
  const covered = q.request.coverages.map((c) => humanize(c.coverage).toLowerCase()).join(' · ');
  r.textLine(`${covered.charAt(0).toUpperCase()}${covered.slice(1)}, as scheduled below`, r.left, top + 49, boxX - r.left - 10);

  // reference box
  const st = STATUS_TEXT[q.status] ?? { label: q.status.toUpperCase(), color: THEME.muted };
  const rows: [string, string][] = [
    ['Quote reference', q.ref],
    ['Issue date', formatDate(q.created_at)],
    ...(q.status === 'bound' ? [['Policy number', q.policy_number ?? '—'], ['Bound', formatDateTime(q.bound_at ?? null)]] as [string, string][]
      : q.status === 'declined' ? [] : [['Valid until', formatDateTime(q.valid_until)]] as [string, string][]),
    ['Decision', humanize(q.decision ?? q.status)],
  ];
  drawStatusBox(r, { x: boxX, top, width: boxW, title: `STATUS: ${st.label}`, color: st.color, rows });

  // insured and policy
  r.heading('Insured and policy period', { keepWith: 60 });
  const fleet = q.request.fleet;
  const units = fleet.reduce((s, f) => s + f.units, 0);
  const hours = fleet.reduce((s, f) => s + f.units * f.operating_hours_per_unit, 0);
  const org = input.organization;
  const days = Math.round((Date.parse(q.request.period.end) - Date.parse(q.request.period.start)) / 86_400_000) + 1;
  r.keyValues([
    ['Insured', org.name],
    ['Basis', q.request.basis === 'pay_per_use' ? 'Pay-per-use (rate per operating hour)' : 'Annual premium'],
    ['Organization reference', org.ref],
    ['Period of insurance', `${formatDate(q.request.period.start)} to ${formatDate(q.request.period.end)} (${formatNumber(days)} days, both inclusive)`],
    ['Province', org.province ?? '—'],
    ['Currency', `${q.premium.currency} (all amounts in major units)`],
    ['Fleet', `${formatNumber(fleet.length)} line${fleet.length === 1 ? '' : 's'}, ${formatNumber(units)} robots`],
    ['Expected operating hours', formatNumber(hours)],
  ], { columns: 2, labelWidth: 104 });
}

function premiumSummary(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const doc = r.doc;
  const total = q.premium.total;
  const ppu = q.pay_per_use;
  r.ensureSpace(64);
  r.gap(4);
  const y = doc.y;
  const h = 50;
  doc.save().rect(r.left, y, r.width, h).fill(THEME.totalFill).restore();
  const half = r.width / 2;
  r.use('regular', 8, THEME.muted);
  r.textLine('Total gross premium (including tax)', r.left + 10, y + 8, half - 20);
  r.use('bold', 16, THEME.accent);
  r.textLine(money(total.gross_premium), r.left + 10, y + 20, half - 20);
  r.use('regular', 8, THEME.muted);
  r.textLine(q.request.basis === 'pay_per_use' ? 'Pay-per-use rate (charged per operating hour)' : 'Equivalent rate per operating hour', r.left + half + 10, y + 8, half - 20);
  r.use('bold', 16, THEME.accent);
  const rate = ppu?.rate_per_operating_hour;
  r.textLine(rate == null ? '—' : `${formatCny(rate, 4)} / h`, r.left + half + 10, y + 20, half - 20);
  r.use('regular', 7.5, THEME.muted);
  r.textLine(ppu ? `on ${formatNumber(ppu.expected_operating_hours)} expected operating hours` : '', r.left + half + 10, y + 38, half - 20);
  r.textLine(`of which tax ${money(total.tax)}`, r.left + 10, y + 38, half - 20);
  doc.x = r.left;
  doc.y = y + h + 6;
  if (q.minimum_premium_applied) {
    const min = input.worksheet.plan?.loadings?.minimum_premium;
    r.notice('Minimum premium applies', [
      `The premium built up from the schedule is below the minimum premium${min != null ? ` of ${formatCny(min)}` : ''}; the gross premium has been raised to the minimum, so the coverage amounts below do not add up to the total.`,
    ]);
  }
}

function decisionNotices(r: Report, q: QuoteView): void {
  const reasons = q.reasons ?? [];
  const rules = q.rules_decision ?? q.decision;
  if (q.decision === 'declined' || q.status === 'declined') {
    const byUnderwriter = rules !== 'declined' ? ' (declined by an underwriter on referral)' : '';
    r.notice(`Declined: this risk is outside our underwriting appetite${byUnderwriter}`, [
      ...(reasons.length ? reasons.map((x) => `• ${x}`) : ['No reason recorded.']),
      'No premium is offered and nothing can be accepted or bound on this request.',
    ], { color: '#b42318', fill: '#fdecea' });
  } else if (rules === 'referred') {
    const decided = q.decided_at ? ` — decided ${formatDateTime(q.decided_at)}` : ' — awaiting an underwriter\'s decision; this quote cannot be bound until it is decided';
    r.notice(`Referred to an underwriter${decided}`, reasons.length ? reasons.map((x) => `• ${x}`) : ['No reason recorded.']);
  } else if (reasons.length) {
    r.notice('Underwriting remarks', reasons.map((x) => `• ${x}`));
  }
  if (q.decision_note) {
    r.notice(`Underwriter's decision note${q.decided_at ? ` (${formatDateTime(q.decided_at)})` : ''}`, [q.decision_note], { color: THEME.accent, fill: '#eaf0f7' });
  }
  if (q.status === 'expired') r.notice('Expired', [`This quotation expired on ${formatDateTime(q.valid_until)} and can no longer be bound.`], { color: THEME.muted, fill: THEME.zebra });
  if (q.status === 'accepted') r.notice('Accepted', [`The insured accepted this quotation on ${formatDateTime(q.accepted_at ?? null)}; it awaits binding by an underwriter.`], { color: '#1e7b34', fill: '#e9f6ec' });
  if (q.status === 'bound') {
    r.notice(`Bound: policy ${q.policy_number ?? '—'}`, [
      `Cover was bound on ${formatDateTime(q.bound_at ?? null)}. This document records the quote it was bound from; it is not an offer. The policy ${q.policy_number ?? ''} and its binder / certificate (GET /v1/policies/${q.policy_number ?? '{no}'}/document) govern the cover.`,
    ], { color: '#1d4ed8', fill: '#e8eefc' });
  }
}

function fleetSchedule(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const fleet = q.request.fleet;
  const grossByLine = new Map<number, number>();
  for (const l of q.premium.lines) grossByLine.set(l.line, (grossByLine.get(l.line) ?? 0) + l.gross_premium);
  const hoursText = (h: number) => formatNumber(h, Number.isInteger(h) ? 0 : 1);
  const rows: TableRow[] = fleet.map((f, i) => [
    String(i + 1),
    f.robot_model,
    f.scenario_class,
    formatNumber(f.units),
    humanize(f.autonomy_level),
    hoursText(f.operating_hours_per_unit),
    hoursText(f.units * f.operating_hours_per_unit),
    grossByLine.has(i + 1) && offersPremium(q) ? formatNumber(roundCents(grossByLine.get(i + 1)!), 2) : '—',
  ]);
  const units = fleet.reduce((s, f) => s + f.units, 0);
  const hours = fleet.reduce((s, f) => s + f.units * f.operating_hours_per_unit, 0);
  const lineSum = [...grossByLine.values()].reduce((s, x) => s + x, 0);
  rows.push({ cells: ['', 'Total', `${formatNumber(fleet.length)} line${fleet.length === 1 ? '' : 's'}`, formatNumber(units), '', '', hoursText(hours), offersPremium(q) ? formatNumber(roundCents(lineSum), 2) : '—'], bold: true, fill: THEME.totalFill });
  r.heading('Schedule of fleet lines', { keepWith: 50 });
  r.table({
    continuation: `Schedule of fleet lines (continued) — ${q.ref}`,
    columns: [
      { header: '#', width: 24, align: 'right' },
      { header: 'Robot model', width: 58 },
      { header: 'Scenario class', width: 150 },
      { header: 'Units', width: 34, align: 'right' },
      { header: 'Autonomy', width: 58 },
      { header: 'Hours / unit', width: 50, align: 'right' },
      { header: 'Exposure hours', width: 60, align: 'right' },
      { header: 'Gross premium (CNY)', width: 77, align: 'right' },
    ],
    rows,
    fontSize: 7.5,
    padding: 2.5,
  });

  // legends: the catalog entries the schedule names
  const inputs = (input.worksheet as { inputs?: { robot_models?: Record<string, { replacement_value?: number; form_factor?: string }>; scenario_classes?: Record<string, { area?: string; human_proximity?: string }> } }).inputs;
  const modelCodes = [...new Set(fleet.map((f) => f.robot_model))].sort();
  const classCodes = [...new Set(fleet.map((f) => f.scenario_class))].sort();
  r.table({
    caption: 'Robot models',
    columns: [
      { header: 'Code', width: 60 },
      { header: 'Model', width: 150 },
      { header: 'Manufacturer', width: 180 },
      { header: 'Replacement value', width: 80, align: 'right' },
    ],
    rows: modelCodes.map((c) => {
      const m = input.robotModels?.[c];
      return [c, m?.name ?? '—', m?.manufacturer ?? '—', money(inputs?.robot_models?.[c]?.replacement_value)];
    }),
    fontSize: 7.5,
    padding: 2.5,
  });
  r.table({
    caption: 'Scenario classes',
    columns: [
      { header: 'Code', width: 170 },
      { header: 'Scenario class', width: 130 },
      { header: 'Area', width: 100 },
      { header: 'Human proximity', width: 70 },
    ],
    rows: classCodes.map((c) => {
      const sc = input.scenarioClasses?.[c];
      const area = sc?.area ?? inputs?.scenario_classes?.[c]?.area;
      const prox = inputs?.scenario_classes?.[c]?.human_proximity;
      return [c, sc?.name ?? '—', area ? humanize(area) : '—', prox ? humanize(prox) : '—'];
    }),
    fontSize: 7.5,
    padding: 2.5,
  });
}

function coverageSchedule(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const rows: TableRow[] = q.request.coverages.map((c) => {
    const capped = new Map<string, { limit: number; lines: number[] }>();
    for (const l of input.worksheet.lines) {
      const wc = l.coverages.find((x) => x.coverage === c.coverage);
      if (wc?.limit_capped_at_replacement_value) {
        const e = capped.get(l.robot_model) ?? { limit: wc.per_occurrence_limit, lines: [] };
        e.lines.push(l.index);
        capped.set(l.robot_model, e);
      }
    }
    const notes = [...capped.entries()].map(([model, e]) => `${model}: ${formatCny(e.limit)} (line${e.lines.length > 1 ? 's' : ''} ${formatRanges(e.lines)})`);
    const share = c.coinsurance ?? 1;
    return [
      coverageLabel(c.coverage) + (share < 1 ? `\ninsurer pays ${formatPercent(share)} of each loss above the deductible` : ''),
      money(c.deductible),
      money(c.per_occurrence_limit) + (notes.length ? '\ncapped at replacement value:\n' + notes.join('\n') : ''),
      c.aggregate_limit ? money(c.aggregate_limit) : 'None (unlimited in the aggregate)',
    ];
  });
  r.heading('Coverages, deductibles and limits', { keepWith: 90 });
  r.table({
    columns: [
      { header: 'Coverage', width: 120 },
      { header: 'Deductible (each occurrence)', width: 95, align: 'right' },
      { header: 'Limit any one occurrence', width: 165, align: 'right' },
      { header: 'Aggregate limit (period)', width: 130, align: 'right' },
    ],
    rows,
    zebra: false,
  });
  if (q.request.coverages.some((c) => (c.coinsurance ?? 1) < 1)) {
    r.paragraph('Coinsurance: the insurer pays its share of each loss above the deductible; the limit any one occurrence applies before the share, so the most paid per occurrence is the share times the limit.', { size: 7.5, color: THEME.muted });
  }
  if (q.request.coverages.some((c) => c.coverage === 'robot_damage')) {
    r.paragraph('Robot damage is limited, per robot and occurrence, to the lower of the scheduled limit and the replacement value of the robot model.', { size: 7.5, color: THEME.muted });
  }
}

interface RuleEffect { coverage: string; rule: string; event_type: string; factor: number; reason: string; lines: Set<number>; amount: number }

/**
 * Share of a line's pure premium and risk margin due to its rule loadings: the loadings multiply
 * the line's expected claims by F, so (pure + risk margin) × (1 − 1/F) — exact for the pure
 * premium when no aggregate limit binds, pro rata for the risk margin. Included in those columns.
 */
const loadingEffect = (l: { pure_premium: number; risk_margin: number; loading_factor?: number }) =>
  (l.pure_premium + l.risk_margin) * (1 - 1 / (l.loading_factor ?? 1));

/**
 * Premium effect of each loading / discount rule per coverage: for each line × coverage, its
 * `loadingEffect` is shared among its rules in proportion to ln(factor) (an exact split of a
 * product of factors), then summed over lines.
 */
function ruleEffects(q: QuoteView, ws: QuoteWorksheet): RuleEffect[] {
  const premiumOf = new Map(q.premium.lines.map((l) => [`${l.line}:${l.coverage}`, l]));
  const effects = new Map<string, RuleEffect>();
  for (const line of ws.lines) {
    for (const c of line.coverages) {
      const contributions = c.rule_loadings ?? [];
      if (!contributions.length) continue;
      const p = premiumOf.get(`${line.index}:${c.coverage}`);
      const delta = p ? loadingEffect(p) : 0;
      const logSum = contributions.reduce((s, x) => s + Math.log(x.factor), 0);
      for (const x of contributions) {
        const key = `${c.coverage}\n${x.rule}`;
        const e = effects.get(key) ?? { coverage: c.coverage, rule: x.rule, event_type: x.event_type, factor: x.factor, reason: x.reason, lines: new Set<number>(), amount: 0 };
        e.lines.add(line.index);
        e.amount += logSum !== 0 ? (delta * Math.log(x.factor)) / logSum : 0;
        effects.set(key, e);
      }
    }
  }
  const order: string[] = q.request.coverages.map((c) => c.coverage);
  return [...effects.values()].sort((a, b) => order.indexOf(a.coverage) - order.indexOf(b.coverage) || a.rule.localeCompare(b.rule));
}

function premiumBreakdown(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const cov = q.premium.coverages;
  // net effect of the rule loadings per coverage (included in pure premium and risk margin)
  const loadingsOf = (coverage: string | null) => roundCents(q.premium.lines
    .filter((l) => (coverage === null || l.coverage === coverage) && (l.loading_factor ?? 1) !== 1)
    .reduce((s, l) => s + loadingEffect(l), 0));
  const amountsRow = (label: string, a: QuoteAmounts, coverage: string | null, bold = false): TableRow => {
    const loadings = loadingsOf(coverage);
    const expenses = a.expense_and_commission ?? a.premium_before_tax - a.technical_premium;
    const cells = [label, money(a.pure_premium), money(a.risk_margin), money(roundCents(loadings)), money(roundCents(expenses)), money(a.tax), money(a.gross_premium)];
    return bold ? { cells, bold: true, fill: THEME.totalFill } : cells;
  };
  const rows: TableRow[] = q.request.coverages.filter((c) => cov[c.coverage]).map((c) => amountsRow(coverageLabel(c.coverage), cov[c.coverage], c.coverage));
  rows.push(amountsRow('Total', q.premium.total, null, true));
  r.heading('Premium breakdown', { keepWith: 70 });
  r.table({
    columns: [
      { header: 'Coverage', width: 80 },
      { header: 'Pure premium', width: 72, align: 'right' },
      { header: 'Risk margin', width: 70, align: 'right' },
      { header: 'of which rule loadings', width: 70, align: 'right' },
      { header: 'Expenses, commission and profit', width: 72, align: 'right' },
      { header: 'Tax', width: 70, align: 'right' },
      { header: 'Gross premium', width: 76, align: 'right' },
    ],
    rows,
    fontSize: 7.5,
  });
  const l = input.worksheet.plan?.loadings;
  const parts = [
    'Pure premium = expected claims × expected payment per loss after deductible and limit',
    l?.cost_of_capital != null ? `risk margin = ${formatPercent(l.cost_of_capital)} cost of capital × (TVaR 99.5% − mean) of the aggregate loss` : 'risk margin = cost of capital × (TVaR 99.5% − mean)',
    'the underwriting rules below load or discount the expected claims, so their effect is part of the pure premium and risk margin',
    l?.expense != null && l.commission != null && l.profit != null
      ? `expenses ${formatPercent(l.expense)}, commission ${formatPercent(l.commission)} and profit ${formatPercent(l.profit)} of the premium before tax`
      : 'expenses, commission and profit as a share of the premium before tax',
    l?.tax != null ? `tax ${formatPercent(l.tax)}` : 'tax',
  ];
  r.paragraph(`${parts.join('; ')}.${l?.minimum_premium != null ? ` Minimum premium ${formatCny(l.minimum_premium)}${q.minimum_premium_applied ? ' (applied)' : ' (not reached)'}.` : ''}`, { size: 7.5, color: THEME.muted });

  const effects = ruleEffects(q, input.worksheet);
  r.gap(2);
  r.table({
    caption: 'Loadings and discounts applied',
    columns: [
      { header: 'Coverage', width: 74 },
      { header: 'Rule', width: 118 },
      { header: 'Factor', width: 44, align: 'right' },
      { header: 'Fleet lines', width: 44 },
      { header: 'Premium effect', width: 68, align: 'right' },
      { header: 'Reason', width: 162 },
    ],
    rows: effects.map((e) => [
      coverageLabel(e.coverage), e.rule, `${e.event_type === 'discount' ? 'discount ' : 'load '}${factorText(e.factor)}`, formatRanges(e.lines), money(roundCents(e.amount)), e.reason,
    ]),
    fontSize: 7.5,
    empty: 'No loadings or discounts: no rating rule applied to this fleet.',
  });
  if (effects.length) {
    r.paragraph('Premium effect: the change of the technical premium caused by the rule, summed over the fleet lines it applies to (when several rules apply to a line, the change is shared in proportion to the logarithm of their factors).', { size: 7, color: THEME.muted });
  }
}

function payPerUse(r: Report, q: QuoteView): void {
  const ppu = q.pay_per_use;
  if (!ppu) return;
  r.heading('Pay-per-use rate', { keepWith: 40 });
  r.keyValues([
    ['Rate per operating hour', ppu.rate_per_operating_hour == null ? '—' : formatCny(ppu.rate_per_operating_hour, 4)],
    ['Expected operating hours', formatNumber(ppu.expected_operating_hours)],
  ], { columns: 2, labelWidth: 110 });
  r.paragraph(q.request.basis === 'pay_per_use'
    ? 'The premium is charged on the operating hours actually recorded, at the rate above (gross, including tax). The gross premium shown is the estimate at the expected operating hours.'
    : 'Shown for information: the annual premium divided by the expected operating hours of the fleet.', { size: 7.5, color: THEME.muted });
}

function subjectivitiesAndConditions(r: Report, q: QuoteView, input: QuotePdfInput): void {
  const subs = q.subjectivities ?? [];
  const details = q.subjectivity_details;
  if (q.status !== 'declined') {
    r.heading('Subjectivities', { keepWith: 30 });
    if (details?.length) subjectivityTable(r, details);
    else if (subs.length) r.list(subs);
    else r.paragraph('None.', { color: THEME.muted });
  }

  r.gap(2);
  r.heading('Conditions', { keepWith: 40 });
  const first = q.status === 'bound'
    ? `This quote was bound on ${formatDateTime(q.bound_at ?? null)} into policy ${q.policy_number ?? '—'}; the policy and its binder / certificate state the cover.`
    : q.status === 'declined'
      ? 'This request was declined: no cover is offered, and no premium is due.'
      : `This quotation is valid until ${formatDateTime(q.valid_until)} and may be bound only while its status is "quoted" or "accepted" and no subjectivity required before binding is open, subject to no material change in the risk before binding.`;
  const conditions = [
    first,
    'The premium is based on the fleet schedule, autonomy levels, safety measures and operating hours declared in the request; any change in them must be notified and may be re-rated.',
    q.request.basis === 'pay_per_use'
      ? 'Pay-per-use: operating hours are declared from the fleet telemetry for each period and charged at the rate per operating hour; the deposit equals the estimate above.'
      : 'Annual premium: payable in full at inception of the period of insurance.',
    'Deductibles apply to each occurrence; limits apply per occurrence and, where stated, in the aggregate over the period of insurance.',
  ];
  if (subs.length && q.status !== 'declined' && q.status !== 'bound') conditions.push('Binding is refused while a subjectivity required before binding is open; those required before inception must be met before cover starts.');
  r.list(q.status === 'declined' ? [first] : conditions, { numbered: true });

  const fired = input.worksheet.rules?.fired ?? [];
  const groups = new Map<string, { rule: WorksheetFiredRule; lines: number[]; request: boolean }>();
  for (const f of fired) {
    const g = groups.get(f.rule) ?? { rule: f, lines: [], request: false };
    if (f.line_index == null) g.request = true;
    else g.lines.push(f.line_index + 1);
    groups.set(f.rule, g);
  }
  r.gap(2);
  r.table({
    caption: 'Underwriting rules applied',
    columns: [
      { header: 'Rule', width: 120 },
      { header: 'Event', width: 60 },
      { header: 'Fleet lines', width: 52 },
      { header: 'Reason', width: 160 },
      { header: 'Facts (first occurrence)', width: 118 },
    ],
    rows: [...groups.values()].map((g) => {
      const p = g.rule.params ?? {};
      const event = typeof p.factor === 'number' ? `${g.rule.event_type} ${factorText(p.factor)}${typeof p.coverage === 'string' ? `\n${coverageLabel(p.coverage)}` : ''}` : g.rule.event_type;
      const facts = Object.entries(g.rule.facts ?? {}).map(([k, v]) => `${k} = ${factValue(v)}`).join('\n');
      return [g.rule.rule, event, g.request ? 'all (request)' : formatRanges(g.lines), g.rule.reason, facts];
    }),
    fontSize: 7,
    empty: 'No underwriting rule fired.',
  });
}

/** The subjectivities with their deadline and status (shared with the policy binder). */
export function subjectivityTable(r: Report, subs: readonly QuoteSubjectivity[]): void {
  const deadline: Record<string, string> = { bind: 'before binding', inception: 'before inception', none: 'no deadline' };
  r.table({
    columns: [
      { header: '#', width: 22, align: 'right' },
      { header: 'Subjectivity', width: 250 },
      { header: 'Required', width: 62 },
      { header: 'Status', width: 177 },
    ],
    rows: subs.map((x) => [
      String(x.id),
      x.text + (x.evidence_note ? `\nEvidence offered: ${x.evidence_note}` : ''),
      deadline[x.required_before] ?? x.required_before,
      x.status === 'open' ? 'OPEN' : `${x.status.toUpperCase()} ${formatDateTime(x.at ?? null)}${x.note ? `\n${x.note}` : ''}`,
    ]),
    fontSize: 7.5,
    padding: 2.5,
  });
}

function versionsAndVerification(r: Report, q: QuoteView, hash: string): void {
  r.heading(q.status === 'bound' || q.status === 'declined' ? 'Versions and verification' : 'Validity, versions and verification', { keepWith: 170 }); // the section stays on one page
  const v = q.versions;
  r.keyValues([
    ['Issued', formatDateTime(q.created_at)],
    q.status === 'bound' ? ['Policy', q.policy_number ?? '—'] : q.status === 'declined' ? ['Declined', formatDateTime(q.decided_at ?? q.created_at)] : ['Valid until', formatDateTime(q.valid_until)],
    ['Decided', formatDateTime(q.decided_at ?? null)],
    ['Bound', formatDateTime(q.bound_at ?? null)],
    ['Rating plan', `${v.rating_plan.name} v${v.rating_plan.version} (id ${v.rating_plan.id})`],
    ['Rule set', `${v.ruleset.name} v${v.ruleset.version} (id ${v.ruleset.id})`],
  ], { columns: 2, labelWidth: 70 });
  r.table({
    columns: [
      { header: 'Coverage', width: 200 },
      { header: 'Frequency model version', width: 150, align: 'right' },
      { header: 'Severity model version', width: 150, align: 'right' },
    ],
    rows: Object.entries(v.models ?? {}).map(([c, m]) => [coverageLabel(c), `#${m.frequency}`, `#${m.severity}`]),
    fontSize: 7.5,
    zebra: false,
  });
  r.ensureSpace(60);
  r.use('regular', 8, THEME.muted);
  r.textLine('Rating worksheet SHA-256', r.left, r.doc.y, r.width);
  r.doc.y += 11;
  r.use('bold', 8.5, THEME.text);
  r.textLine(hash, r.left, r.doc.y, r.width);
  r.doc.y += 13;
  r.paragraph(`To verify: fetch GET /v1/quotes/${q.ref}/worksheet with the key that fetched this document, serialise the JSON body canonically (keys of every object sorted by UTF-16 code units, no whitespace, numbers and strings as JSON.stringify writes them; RFC 8785) and compute the SHA-256 of its UTF-8 bytes. Re-rating the stored request with the versions above reproduces the premium to the cent.`, { size: 7.5, color: THEME.muted });
}

/**
 * Renders the quote document as a PDF (A4). With `creationDate` the bytes are deterministic:
 * two renders of the same input are byte-identical (CreationDate / ModDate and hence the PDF /ID
 * are pinned). The organization name is set in an embedded Noto Sans Hans subset so Chinese names
 * print; if that font cannot be loaded the document falls back to Helvetica and says so visibly.
 * Throws `TypeError` when a required part of the input is missing (naming the field).
 */
export async function renderQuotePdf(input: QuotePdfInput): Promise<Buffer> {
  checkInput(input);
  const q = input.quote;
  const hash = worksheetHash(input.worksheet);
  const r = await createReport({
    title: `${titleOf(q)} ${q.ref}`,
    subject: `Humanoid robot fleet insurance ${q.status === 'bound' ? 'bound quote' : q.status === 'declined' ? 'declined quotation request' : 'quotation'} for ${input.organization.name} (${input.organization.ref})`,
    keywords: `roborisk quote ${q.ref} ${q.status}`,
    creationDate: input.creationDate,
    fonts: input.fonts,
  });
  titleBlock(r, q, input);
  if (r.fontNote) r.notice('Font note', [r.fontNote, 'The organization name above may be incomplete; the reference and all amounts are correct.']);
  if (offersPremium(q)) premiumSummary(r, q, input);
  decisionNotices(r, q);
  fleetSchedule(r, q, input);
  coverageSchedule(r, q, input);
  if (offersPremium(q)) {
    premiumBreakdown(r, q, input);
    payPerUse(r, q);
  }
  subjectivitiesAndConditions(r, q, input);
  versionsAndVerification(r, q, hash);
  return r.finish({
    left: q.status === 'bound' ? `${q.ref} → policy ${q.policy_number ?? '—'}` : `${q.status === 'declined' ? 'Declined' : 'Quotation'} ${q.ref} · ${input.organization.ref}`,
    center: `Worksheet SHA-256 ${hash.slice(0, 16)}…`,
  });
}
