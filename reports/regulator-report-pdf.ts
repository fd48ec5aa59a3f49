/**
 * The regulator risk-statistics report (docs/actuarial-method.md §9, docs/architecture.md §8):
 * aggregate incident rates with exact Poisson (Garwood) intervals, claim severity quantiles and
 * loss ratios per scenario area, as tables and vector charts, with the methodology and the
 * disclosure-control notes.
 *
 * Disclosure: the input holds aggregate cells only (no organization names or refs) as
 * services/statistics produces them; a suppressed cell is printed as "suppressed (<reason>)" and
 * never with a value, and totals are sums over published cells only.
 *
 * Pure rendering: no database access (see services/reports `gatherRegulatorReport`).
 */
import { createReport, formatDate, formatDateTime, formatNumber, formatPercent, humanize, THEME, type Report, type TableRow } from './pdf-common.ts';
import { drawCategoryChart, drawLineChart, PALETTE, type Box } from './charts.ts';
import { ratePer1000Hours } from '../models/statistics/index.ts';
import type { SuppressionReason } from '../domain/index.ts';

export type { SuppressionReason };

/** A cell of an incident-rate table (services/statistics `incidentRates`). */
export interface RateCell {
  [dim: string]: unknown;
  organizations: number | null;
  deployments: number | null;
  operating_hours: number | null;
  incidents: number | null;
  rate_per_1000h: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: SuppressionReason | null;
}

/** A cell of a severity table (services/statistics `severityStatistics`). */
export interface SeverityCell {
  [dim: string]: unknown;
  claims: number | null;
  mean: number | null;
  median: number | null;
  p90: number | null;
  p99: number | null;
  total_incurred: number | null;
  share_open: number | null;
  suppressed: SuppressionReason | null;
}

/** A cell of a loss-ratio table (services/statistics `lossRatios`). */
export interface LossRatioCell {
  [dim: string]: unknown;
  organizations: number | null;
  earned_premium: number | null;
  incurred_losses: number | null;
  loss_ratio: number | null;
  suppressed: SuppressionReason | null;
}

export interface RegulatorReportData {
  /** The period asked for (null = open end). */
  query: { from: string | null; to: string | null };
  /** First and last day of the exposure periods in the data. */
  period_covered: { from: string | null; to: string | null };
  /** Every scenario area of the catalogue, in print order (areas without data are listed as such). */
  areas: string[];
  /** Incident types in print order. */
  incident_types: string[];
  /** Rates grouped by scenario_area. */
  rates_by_area: RateCell[];
  /** Rates grouped by scenario_area × scenario_class. */
  rates_by_area_class: RateCell[];
  /** Rates grouped by scenario_area × incident_type. */
  rates_by_area_type: RateCell[];
  /** Rates grouped by period (month, key `period` = YYYY-MM). */
  rates_by_month: RateCell[];
  /** Severity per coverage, grouped by scenario_area. */
  severity: { coverage: string; cells: SeverityCell[] }[];
  /** Loss ratios of bound business grouped by scenario_area. */
  loss_ratios: LossRatioCell[];
}

export interface RegulatorReportOptions {
  /** Fixes the PDF creation date and the printed date: equal inputs give equal bytes. */
  creationDate?: Date;
}

const DASH = '—';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const num = (x: number | null | undefined, d = 0) => (isNum(x) ? formatNumber(x, d) : DASH);
const rate = (x: number | null | undefined) => num(x, 3);
const ci = (lo: number | null | undefined, hi: number | null | undefined) => (isNum(lo) && isNum(hi) ? `${formatNumber(lo, 3)} – ${formatNumber(hi, 3)}` : DASH);
/** The text of a suppressed cell. */
export const suppressedText = (reason: SuppressionReason) => `suppressed (${reason})`;
const areaName = (code: string) => humanize(code);
const byKey = <T extends Record<string, unknown>>(cells: T[], key: string, value: string) => cells.find((c) => c[key] === value);

/**
 * A table row: the label cells, then the values — or, for a suppressed cell, the reason on a second
 * line of the first label cell ("suppressed (reason)") and empty value cells: never a value.
 */
function row(labels: string[], cell: { suppressed: SuppressionReason | null } | undefined, values: () => string[], width: number, missing = 'no data'): TableRow {
  const blank = Array<string>(width).fill('');
  if (!cell) return { cells: [`${labels[0]}\n${missing}`, ...labels.slice(1), ...blank], color: THEME.muted };
  if (cell.suppressed) return { cells: [`${labels[0]}\n${suppressedText(cell.suppressed)}`, ...labels.slice(1), ...blank], color: THEME.notice };
  return labels.concat(values());
}

function place(r: Report, h: number, draw: (box: Box) => void): void {
  r.ensureSpace(h + 4);
  const box: Box = { x: r.left, y: r.doc.y, width: r.width, height: h };
  draw(box);
  r.doc.x = r.left;
  r.doc.y = box.y + h + 8;
}

const note = (r: Report, s: string) => r.paragraph(s, { size: 7.5, color: THEME.muted });

/** A count published beside the protected measures, or "withheld" (never 0: docs/disclosure-control.md §2). */
const count = (x: number | null | undefined) => (isNum(x) ? formatNumber(x, 0) : WITHHELD);
const WITHHELD = 'withheld';
/**
 * The note under a table with published cells whose counts are withheld: counts are not protected
 * by the suppression, so a cell publishes them only when no part of it lies inside a suppressed cell.
 */
function countsNote(r: Report, cells: readonly ({ suppressed: SuppressionReason | null } | undefined)[], fields: string, has: (c: { suppressed: SuppressionReason | null }) => boolean): void {
  const n = cells.filter((c) => c && !c.suppressed && !has(c)).length;
  if (n) note(r, `${fields} "${WITHHELD}" in ${n} published cell(s): part of each lies inside a suppressed cell, and counts are published only where no part does (they are not protected by the suppression: the cell's count would bound the suppressed one's, by difference or over time).`);
}
// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

function summary(r: Report, d: RegulatorReportData, generated: Date): void {
  r.use('bold', 17, THEME.accent);
  r.doc.text(r.t('Risk statistics report'), r.left, r.doc.y, { width: r.width });
  r.use('regular', 10.5, THEME.text);
  r.doc.text(r.t('Humanoid robots and embodied AI at work — incident rates, claim severity and loss ratios by scenario area'), r.left, r.doc.y + 2, { width: r.width });
  r.use('regular', 7.5, THEME.muted);
  r.doc.text(r.t(`Generated ${formatDateTime(generated)} by roborisk. Aggregate statistics with disclosure control; no figure in this report identifies a single organization.`), r.left, r.doc.y + 2, { width: r.width });
  r.gap(8);
  if (r.fontNote) r.notice('Font', [r.fontNote]);

  const published = d.rates_by_area.filter((c) => !c.suppressed);
  const sum = (f: (c: RateCell) => number | null) => published.reduce((s, c) => s + (f(c) ?? 0), 0);
  // the counts total only when every published area publishes its counts (a partial sum would read as the total)
  const countsKnown = published.every((c) => isNum(c.organizations) && isNum(c.deployments));
  const hours = sum((c) => c.operating_hours);
  const incidents = sum((c) => c.incidents);
  const overall = hours > 0 ? ratePer1000Hours(Math.round(incidents), hours) : null;
  r.heading('Summary');
  r.keyValues([
    ['Period covered', `${formatDate(d.period_covered.from)} to ${formatDate(d.period_covered.to)}`],
    ['Period requested', d.query.from || d.query.to ? `${formatDate(d.query.from, 'start')} to ${formatDate(d.query.to, 'end')}` : 'all data'],
    ['Scenario areas', `${published.length} of ${d.areas.length} published`],
    ['Disclosure rules', 'minimum organizations, (n, k) dominance and p % rules; complementary suppression over linked tables'],
  ], { columns: 2, labelWidth: 88 });
  r.gap(3);
  r.table({
    caption: 'Totals over published scenario-area cells only (suppressed cells excluded)',
    columns: [{ header: 'Measure', width: 50 }, { header: 'Total of published cells', width: 30, align: 'right' }],
    rows: [
      ['Organizations (summed over areas; an organization active in several areas counts in each)', countsKnown ? num(sum((c) => c.organizations)) : WITHHELD],
      ['Deployments (scenario units)', countsKnown ? num(sum((c) => c.deployments)) : WITHHELD],
      ['Operating hours', num(hours, 0)],
      ['Incidents (all types, incl. investigated near misses)', num(incidents)],
      ['Incident rate per 1,000 operating hours (95% Garwood CI)', overall ? `${rate(overall.rate)} (${ci(overall.lower, overall.upper)})` : DASH],
    ],
  });
  const supp = d.rates_by_area.filter((c) => c.suppressed);
  if (supp.length) note(r, `${supp.length} scenario-area cell(s) are suppressed and not included in these totals: ${supp.map((c) => `${areaName(String(c.scenario_area))} — ${suppressedText(c.suppressed!)}`).join('; ')}.`);
  if (!countsKnown) note(r, 'Organizations and deployments: withheld for some published areas (part of them lies inside a suppressed cell; see Table 1), so no total is printed.');
}

function ratesByArea(r: Report, d: RegulatorReportData): void {
  r.heading('Incident rate by scenario area', { keepWith: 230 });
  const cells = d.areas.map((a) => byKey(d.rates_by_area, 'scenario_area', a));
  place(r, 215, (box) => drawCategoryChart(r, {
    box, title: 'Incidents per 1,000 operating hours with exact 95% (Garwood) intervals',
    categories: d.areas.map(areaName),
    series: [{
      name: 'Incident rate', color: PALETTE[0], style: 'bar',
      values: cells.map((c) => (c && !c.suppressed ? c.rate_per_1000h : null)),
      low: cells.map((c) => (c && !c.suppressed ? c.ci_low : null)),
      high: cells.map((c) => (c && !c.suppressed ? c.ci_high : null)),
    }],
    y: { label: 'Incidents per 1,000 h' },
    missing: (i) => (cells[i]?.suppressed ? suppressedText(cells[i]!.suppressed!) : cells[i] ? null : 'no data'),
    valueLabels: (v) => formatNumber(v, 2),
  }));
  r.table({
    caption: 'Table 1 — Incident rate by scenario area',
    columns: [
      { header: 'Scenario area', width: 27 }, { header: 'Organizations', width: 13, align: 'right' }, { header: 'Deployments', width: 14, align: 'right' },
      { header: 'Operating hours', width: 15.5, align: 'right' }, { header: 'Incidents', width: 10, align: 'right' },
      { header: 'Rate / 1,000 h', width: 13, align: 'right' }, { header: '95% CI', width: 15.5, align: 'right' },
    ],
    rows: d.areas.map((a, i) => row([areaName(a)], cells[i], () => {
      const c = cells[i]!;
      return [count(c.organizations), count(c.deployments), num(c.operating_hours, 0), num(c.incidents), rate(c.rate_per_1000h), ci(c.ci_low, c.ci_high)];
    }, 6)),
  });
  countsNote(r, cells, 'Organizations and deployments', (c) => isNum((c as RateCell).deployments));
}

function trend(r: Report, d: RegulatorReportData): void {
  const months = [...d.rates_by_month].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  r.heading('Monthly trend', { keepWith: 220 });
  if (!months.length) { note(r, 'No exposure in the period.'); return; }
  place(r, 200, (box) => drawLineChart(r, {
    box, title: 'Incidents per 1,000 operating hours by month, all scenario areas',
    series: [{
      name: 'Monthly incident rate', color: PALETTE[0],
      points: months.map((c, i) => ({ x: i, y: c.suppressed ? null : c.rate_per_1000h, low: c.suppressed ? null : c.ci_low, high: c.suppressed ? null : c.ci_high })),
    }],
    x: { ticks: months.map((c, i) => ({ value: i, label: String(c.period) })), label: 'Month of the exposure period' },
    y: { label: 'Incidents per 1,000 h' },
  }));
  const supp = months.filter((c) => c.suppressed);
  if (supp.length) note(r, `Months without a point are suppressed: ${supp.map((c) => `${String(c.period)} ${suppressedText(c.suppressed!)}`).join('; ')}.`);
  r.table({
    caption: 'Table 2 — Incident rate by month',
    columns: [
      { header: 'Month', width: 27 }, { header: 'Organizations', width: 13, align: 'right' }, { header: 'Deployments', width: 14, align: 'right' },
      { header: 'Operating hours', width: 15.5, align: 'right' }, { header: 'Incidents', width: 10, align: 'right' },
      { header: 'Rate / 1,000 h', width: 13, align: 'right' }, { header: '95% CI', width: 15.5, align: 'right' },
    ],
    rows: months.map((c) => row([String(c.period)], c, () => [count(c.organizations), count(c.deployments), num(c.operating_hours, 0), num(c.incidents), rate(c.rate_per_1000h), ci(c.ci_low, c.ci_high)], 6)),
  });
  countsNote(r, months, 'Organizations and deployments', (c) => isNum((c as RateCell).deployments));
}

function areaSections(r: Report, d: RegulatorReportData): void {
  r.addPage();
  r.heading('Scenario areas in detail', { size: 13 });
  note(r, 'Per scenario area: incident rates by scenario class, and by incident type (the type splits the incidents of the area; the exposure is the area\'s operating hours, so the type rates add up to the area rate). Disclosure control is applied to the exposure cell, so all type cells of an area are published or suppressed together.');
  d.areas.forEach((area, ai) => {
    r.heading(`${ai + 1}. ${areaName(area)}`, { keepWith: 120 });
    const classes = d.rates_by_area_class.filter((c) => c.scenario_area === area).sort((a, b) => String(a.scenario_class).localeCompare(String(b.scenario_class)));
    r.table({
      caption: `Incident rate by scenario class — ${areaName(area)}`,
      columns: [
        { header: 'Scenario class', width: 30 }, { header: 'Organizations', width: 12, align: 'right' }, { header: 'Operating hours', width: 15, align: 'right' },
        { header: 'Incidents', width: 10, align: 'right' }, { header: 'Rate / 1,000 h', width: 12, align: 'right' }, { header: '95% CI', width: 17, align: 'right' },
      ],
      rows: classes.map((c) => row([String(c.scenario_class)], c, () => [count(c.organizations), num(c.operating_hours, 0), num(c.incidents), rate(c.rate_per_1000h), ci(c.ci_low, c.ci_high)], 5)),
      empty: 'No exposure in this area during the period.',
      fontSize: 7.5,
    });
    countsNote(r, classes, 'Organizations', (c) => isNum((c as RateCell).organizations));
    const types = d.rates_by_area_type.filter((c) => c.scenario_area === area);
    if (!types.length) return;
    const reasons = [...new Set(types.map((c) => c.suppressed))];
    if (reasons.length === 1 && reasons[0]) {
      r.notice(`Incident types — ${areaName(area)}`, [`All ${types.length} incident-type cells of this area are ${suppressedText(reasons[0])}.`]);
      return;
    }
    r.table({
      caption: `Incident rate by incident type — ${areaName(area)}`,
      columns: [
        { header: 'Incident type', width: 34 }, { header: 'Incidents', width: 12, align: 'right' }, { header: 'Share of area incidents', width: 17, align: 'right' },
        { header: 'Rate / 1,000 h', width: 14, align: 'right' }, { header: '95% CI', width: 19, align: 'right' },
      ],
      rows: d.incident_types.map((t) => {
        const c = types.find((x) => x.incident_type === t);
        const total = types.reduce((s, x) => s + (x.incidents ?? 0), 0);
        return row([humanize(t)], c, () => [num(c!.incidents), total > 0 && isNum(c!.incidents) ? formatPercent(c!.incidents / total, 1) : DASH, rate(c!.rate_per_1000h), ci(c!.ci_low, c!.ci_high)], 4);
      }),
      fontSize: 7.5,
      padding: 2.2,
    });
  });
}

function severity(r: Report, d: RegulatorReportData): void {
  r.addPage();
  r.heading('Claim severity by coverage and scenario area', { size: 13 });
  note(r, 'Claims are incidents with a loss under the coverage; open claims count at paid + case reserve. Quantiles are sample quantiles (R type 7). Amounts in CNY. Charts on a logarithmic scale.');
  const charts = d.severity.length;
  const h = charts <= 3 ? 200 : 170;
  for (const s of d.severity) {
    const cells = d.areas.map((a) => byKey(s.cells, 'scenario_area', a));
    const pub = (f: (c: SeverityCell) => number | null) => cells.map((c) => (c && !c.suppressed ? f(c) : null));
    place(r, h, (box) => drawCategoryChart(r, {
      box, title: `${humanize(s.coverage)} — median, 90% and 99% quantiles of claim amounts (CNY, log scale)`,
      categories: d.areas.map(areaName),
      series: [
        { name: 'Median', style: 'point', color: PALETTE[0], values: pub((c) => c.median) },
        { name: '90% quantile', style: 'point', color: PALETTE[4], values: pub((c) => c.p90) },
        { name: '99% quantile', style: 'point', color: PALETTE[1], values: pub((c) => c.p99) },
      ],
      y: { log: true, label: 'Claim amount (CNY)' },
      connect: true,
      missing: (i) => (cells[i]?.suppressed ? suppressedText(cells[i]!.suppressed!) : cells[i] ? null : 'no claims'),
    }));
  }
  d.severity.forEach((s, si) => {
    r.ensureSpace(40 + 14 * (d.areas.length + 1));
    r.table({
      caption: `Table ${3 + si} — ${humanize(s.coverage)}: claim severity by scenario area (CNY)`,
      columns: [
        { header: 'Scenario area', width: 25 }, { header: 'Claims', width: 8, align: 'right' }, { header: 'Mean', width: 10.5, align: 'right' },
        { header: 'Median', width: 10.5, align: 'right' }, { header: '90% quantile', width: 11, align: 'right' }, { header: '99% quantile', width: 11, align: 'right' },
        { header: 'Total incurred', width: 13, align: 'right' }, { header: 'Share open', width: 9, align: 'right' },
      ],
      rows: d.areas.map((a) => {
        const c = byKey(s.cells, 'scenario_area', a);
        return row([areaName(a)], c, () => [num(c!.claims), num(c!.mean), num(c!.median), num(c!.p90), num(c!.p99), num(c!.total_incurred), isNum(c!.share_open) ? formatPercent(c!.share_open, 1) : WITHHELD], 7, 'no claims');
      }),
      fontSize: 7.5,
    });
    countsNote(r, s.cells, 'Share open (× claims: the open claims, a count)', (c) => isNum((c as SeverityCell).share_open));
  });
}

function lossRatios(r: Report, d: RegulatorReportData): void {
  r.heading('Loss ratios of insured business', { keepWith: 80 });
  const present = d.areas.filter((a) => byKey(d.loss_ratios, 'scenario_area', a));
  if (!present.length) {
    note(r, 'No bound insurance business in the period: no loss ratio can be published.');
    return;
  }
  r.table({
    caption: `Table ${3 + d.severity.length} — Loss ratio by scenario area (CNY)`,
    columns: [
      { header: 'Scenario area', width: 26 }, { header: 'Insured organizations', width: 16, align: 'right' }, { header: 'Earned premium', width: 19, align: 'right' },
      { header: 'Incurred losses', width: 19, align: 'right' }, { header: 'Loss ratio', width: 14, align: 'right' },
    ],
    rows: d.areas.map((a) => {
      const c = byKey(d.loss_ratios, 'scenario_area', a);
      return row([areaName(a)], c, () => [count(c!.organizations), num(c!.earned_premium, 2), num(c!.incurred_losses, 2), isNum(c!.loss_ratio) ? formatPercent(c!.loss_ratio, 1) : DASH], 4, 'no bound business');
    }),
  });
  countsNote(r, d.areas.map((a) => byKey(d.loss_ratios, 'scenario_area', a)), 'Insured organizations', (c) => isNum((c as LossRatioCell).organizations));
}

function methodology(r: Report, d: RegulatorReportData): void {
  r.heading('Methodology', { keepWith: 120 });
  r.list([
    'Exposure: operating hours of the robots in the validation programme, by exposure period (deployment × period). Periods are included when they start on or after and end on or before the requested dates; incidents by their date of occurrence (UTC).',
    'Incident rate: incidents per 1,000 operating hours, n / E × 1,000. The 95% interval is the exact Poisson (Garwood 1936) interval: lower = χ²(0.025; 2n) / (2E), upper = χ²(0.975; 2n + 2) / (2E), lower = 0 when n = 0 — as R poisson.test. It is exact for a Poisson count; extra-Poisson variation between deployments would widen it.',
    'Incidents include every reported incident type, including investigated near misses; the telemetry counts of protective stops and near misses are leading indicators and are not counted as incidents.',
    'Severity: a claim under a coverage is an incident with a loss under that coverage (robot damage; third-party property damage + bodily injury cost; business interruption cost). Open claims count at their incurred amount, paid + case reserve, allocated to the coverages in proportion to their loss lines; closed claims at their final loss. Median and 90% / 99% quantiles are sample quantiles of type 7 (R quantile default: linear interpolation between order statistics); the 99% quantile of a small cell is close to its largest claim and is volatile.',
    'Loss ratio = incurred losses / earned premium. Earned premium: each bound fleet line\'s gross premium earned evenly over the days of its policy period; incurred losses: paid + case reserve of the insured organization\'s deployments in the line\'s scenario class during the policy period, for the coverages bought.',
    'Scenario areas follow the national validation programme: manufacturing, maintenance, warehousing & logistics, healthcare & wellness, safety production, emergency rescue.',
  ]);
  r.heading('Disclosure control and suppression', { keepWith: 100 });
  r.paragraph('Every cell is checked before publication, as statistical offices do for magnitude tables; the rules\' parameters are not published, so that they cannot help an attack. A cell built from too few organizations is suppressed ("suppressed (min_contributors)"); a cell in which the largest organizations hold too much of the magnitude (operating hours for rates, incurred amounts for severity, earned premium for loss ratios) is suppressed ("suppressed (dominance)"), as is one in which the second-largest organization could estimate the largest too closely ("suppressed (p_percent)"). Complementary cells ("suppressed (complementary)") are chosen once over all the linked tables a regulator can ask for — scenario area ⊃ class, year ⊃ quarter ⊃ month, incident type, severity level — so that no combination of published figures, in this report or in any statistics query, narrows a suppressed value to within the protection level. Severity quantiles are printed only with enough claims on each side. Counts printed beside the protected figures (organizations, deployments, share of open claims, insured organizations) are not themselves protected by the suppression, so a published cell prints them only when no part of it lies inside a suppressed cell, else "withheld". A suppressed cell is printed as its reason, never with a value, and is left out of every chart and total.');
  const tables: [string, { suppressed: SuppressionReason | null }[]][] = [
    ['Incident rate by scenario area', d.rates_by_area],
    ['Incident rate by scenario class', d.rates_by_area_class],
    ['Incident rate by area and incident type', d.rates_by_area_type],
    ['Incident rate by month', d.rates_by_month],
    ...d.severity.map((s): [string, SeverityCell[]] => [`Severity — ${humanize(s.coverage)}`, s.cells]),
    ['Loss ratios', d.loss_ratios],
  ];
  const count = (cells: { suppressed: SuppressionReason | null }[], reason: SuppressionReason) => cells.filter((c) => c.suppressed === reason).length;
  r.table({
    caption: 'Suppressed cells per table',
    columns: [
      { header: 'Table', width: 36 }, { header: 'Cells', width: 10, align: 'right' }, { header: 'min_contributors', width: 15, align: 'right' },
      { header: 'dominance', width: 13, align: 'right' }, { header: 'p_percent', width: 11, align: 'right' }, { header: 'complementary', width: 14, align: 'right' }, { header: 'Published', width: 12, align: 'right' },
    ],
    rows: tables.map(([name, cells]) => [name, num(cells.length), num(count(cells, 'min_contributors')), num(count(cells, 'dominance')), num(count(cells, 'p_percent')), num(count(cells, 'complementary')), num(cells.filter((c) => !c.suppressed).length)]),
  });
  note(r, 'No organization names, references or single-organization figures appear in this report. Totals are sums over published cells.');
}

/**
 * Renders the regulator risk-statistics report as PDF bytes: summary, incident rates by area
 * (chart with CI error bars + table), monthly trend (line with CI band + table), per-area detail
 * (by scenario class and incident type), severity by coverage (quantile charts on a log scale +
 * tables), loss ratios, methodology and disclosure notes. With `creationDate` the bytes are a
 * function of the inputs only.
 */
export async function renderRegulatorReportPdf(data: RegulatorReportData, opts: RegulatorReportOptions = {}): Promise<Buffer> {
  const generated = opts.creationDate ?? new Date();
  const r = await createReport({
    title: 'Risk statistics report — humanoid robots at work',
    subject: 'Aggregate incident rates, claim severity and loss ratios by scenario area',
    keywords: 'roborisk, regulator, risk statistics, disclosure control',
    creationDate: generated,
  });
  summary(r, data, generated);
  ratesByArea(r, data);
  trend(r, data);
  areaSections(r, data);
  severity(r, data);
  lossRatios(r, data);
  methodology(r, data);
  return r.finish({
    left: 'roborisk · risk statistics report',
    center: `Period ${formatDate(data.period_covered.from)} to ${formatDate(data.period_covered.to)} · disclosure-controlled`,
  });
}
