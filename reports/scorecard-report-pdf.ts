/**
 * The validation scorecard report (docs/actuarial-method.md §10): per scenario class a ranking
 * table of the robot models (observed rate with its exact 95% interval, credibility rate with its
 * posterior interval, P(best in class), verdict), a funnel chart of every cell's rate against its
 * exposure with the 95% Poisson control limits around the class rate and the full-credibility
 * exposure, and the verdicts with what each cell needs to move up. Renders what it is handed
 * (services/scorecard output); a regulator's data hold published cells only and the suppressed keys.
 */
import { createReport, formatDate, formatDateTime, formatNumber, humanize, THEME, type Report, type TableRow } from './pdf-common.ts';
import { drawLegend, drawLineChart, PALETTE, type Box, type LineSeries } from './charts.ts';
import { gammaQuantile } from '../models/statistics/gamma-quantile.ts';

export interface ScorecardReportCell {
  robot_model: string;
  scenario_class: string | null;
  scenario_area: string;
  software_version: string | null;
  /** null: withheld by disclosure control with the other secondary measures (`secondary_withheld`). */
  organizations: number | null;
  deployments: number | null;
  operating_hours: number;
  incidents: number;
  incident_rate_per_1000h: number | null;
  ci_low: number | null;
  ci_high: number | null;
  class_rate_per_1000h: number | null;
  credibility_rate_per_1000h: number | null;
  credibility_ci_low: number | null;
  credibility_ci_high: number | null;
  p_best: number | null;
  rank_in_class: number;
  severe_share: number | null;
  hours_still_needed: number | null;
  verdict: string;
  conditions: string[];
  fired_rules: { rule: string; verdict: string; reason: string }[];
  /** Regulator view: the secondary measures are withheld (printed `withheld`, not a dash). */
  secondary_withheld?: boolean;
}

export interface ScorecardReportData {
  view: 'full' | 'regulator';
  level: 'scenario_class' | 'scenario_area';
  by_software_version: boolean;
  ruleset: { id: number | null; name: string; version: string | number | null };
  full_credibility: { p: number; k: number };
  disclosure?: { rules: string[]; protected_cells: number };
  cells: ScorecardReportCell[];
  suppressed?: { robot_model: string; scenario_class: string | null; scenario_area: string; software_version: string | null; suppressed: string }[];
}

const DASH = '—';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const n = (x: number | null | undefined, d = 0) => (isNum(x) ? formatNumber(x, d) : DASH);
const range = (lo: number | null, hi: number | null) => (isNum(lo) && isNum(hi) ? `${formatNumber(lo, 3)} – ${formatNumber(hi, 3)}` : DASH);
const pct = (x: number | null) => (isNum(x) ? `${formatNumber(100 * x, 1)} %` : DASH);
const VERDICT_COLOR: Record<string, string> = {
  insurable: PALETTE[2], insurable_with_conditions: PALETTE[4], not_yet_insurable: PALETTE[0], not_insurable: PALETTE[1],
};
const WITHHELD = 'withheld';
/** A secondary measure: `withheld` when disclosure control withholds it, else as `f` prints it. */
const sec = <T,>(c: ScorecardReportCell, x: T, f: (x: T) => string) => (c.secondary_withheld ? WITHHELD : f(x));
const groupOf = (c: { scenario_class: string | null; scenario_area: string }) => c.scenario_class ?? c.scenario_area;
const label = (c: ScorecardReportCell) => (c.software_version ? `${c.robot_model} (sw ${c.software_version})` : c.robot_model);

/** What a cell needs to move up a verdict. */
export function whatItNeeds(c: ScorecardReportCell): string {
  switch (c.verdict) {
    case 'not_yet_insurable':
      return isNum(c.hours_still_needed) ? `${formatNumber(c.hours_still_needed, 0)} more operating hours for full credibility` : 'exposure with incidents recorded';
    case 'insurable_with_conditions':
      return c.conditions.length ? c.conditions.join(' ') : 'leading indicators back to the class level';
    case 'not_insurable':
      return `${c.fired_rules.filter((f) => f.verdict === 'not_insurable').map((f) => f.reason).join(' ')} A lower credible rate or severity mix.`;
    default:
      return 'nothing: insurable';
  }
}

function place(r: Report, h: number, draw: (box: Box) => void): void {
  r.ensureSpace(h + 4);
  const box: Box = { x: r.left, y: r.doc.y, width: r.width, height: h };
  draw(box);
  r.doc.x = r.left;
  r.doc.y = box.y + h + 8;
}

/**
 * Funnel chart: x = expected incidents at the class rate (log), y = observed rate / class rate;
 * the 95% Poisson limits of a count with that expectation, Gamma quantiles as for Garwood
 * intervals; points coloured by verdict; the full-credibility expectation marked on the axis title.
 */
function funnel(r: Report, d: ScorecardReportData): void {
  const pts = d.cells.filter((c) => isNum(c.class_rate_per_1000h) && c.class_rate_per_1000h! > 0 && c.operating_hours > 0 && isNum(c.incident_rate_per_1000h))
    .map((c) => {
      const e = (c.operating_hours / 1000) * c.class_rate_per_1000h!;
      return { e, y: c.incident_rate_per_1000h! / c.class_rate_per_1000h!, verdict: c.verdict };
    });
  if (pts.length === 0) return;
  const lo = Math.max(0.5, Math.min(...pts.map((p) => p.e)) * 0.8);
  const hi = Math.max(300, Math.max(...pts.map((p) => p.e)) * 1.2);
  const yMax = Math.max(3, Math.min(6, Math.max(...pts.map((p) => p.y)) * 1.1));
  const grid = Array.from({ length: 60 }, (_, i) => lo * (hi / lo) ** (i / 59));
  const limits: LineSeries = {
    name: '95% control limits around the class rate', color: PALETTE[7], dashed: true, markers: false, band: true,
    points: grid.map((e) => ({ x: e, y: 1, low: gammaQuantile(0.025, e, 1) / e, high: Math.min(yMax, gammaQuantile(0.975, e + 1, 1) / e) })),
  };
  const series: LineSeries[] = [limits, ...pts.map((p): LineSeries => ({ name: p.verdict, color: VERDICT_COLOR[p.verdict] ?? PALETTE[6], band: false, points: [{ x: p.e, y: Math.min(p.y, yMax) }] }))];
  r.heading('Rate against exposure (funnel chart)', { keepWith: 260 });
  place(r, 240, (box) => drawLineChart(r, {
    box: { ...box, height: 225 }, legend: false,
    title: 'Observed rate / class rate by expected incidents at the class rate; the band narrows as exposure grows (credibility)',
    series,
    x: { log: true, label: `Expected incidents at the class rate (log scale; full credibility at ${formatNumber(((1.6448536269514722 / d.full_credibility.k) ** 2), 1)})` },
    y: { label: 'Observed rate / class rate (capped at the top of the chart)', min: 0, max: yMax },
    reference: { value: 1, label: 'class rate' },
  }));
  const legendY = r.doc.y - 10;
  drawLegend(r, Object.entries(VERDICT_COLOR).map(([v, color]) => ({ label: humanize(v), color, kind: 'point' as const })), r.left, legendY, r.width);
  r.doc.y = legendY + 14;
}

function rankingTables(r: Report, d: ScorecardReportData): void {
  const groups = [...new Set(d.cells.map(groupOf))].sort();
  for (const g of groups) {
    const cells = d.cells.filter((c) => groupOf(c) === g).sort((a, b) => a.rank_in_class - b.rank_in_class);
    const cls = cells[0];
    r.heading(`${humanize(cls.scenario_area)} — ${g}`, { keepWith: 90 });
    const rows: TableRow[] = cells.map((c) => [
      String(c.rank_in_class), label(c), sec(c, c.organizations, n), n(c.operating_hours), n(c.incidents),
      `${n(c.incident_rate_per_1000h, 3)}\n${range(c.ci_low, c.ci_high)}`,
      `${n(c.credibility_rate_per_1000h, 3)}\n${range(c.credibility_ci_low, c.credibility_ci_high)}`,
      pct(c.p_best), sec(c, c.severe_share, pct), humanize(c.verdict),
    ]);
    r.table({
      caption: `Class rate ${n(cls.class_rate_per_1000h, 3)} incidents per 1,000 h; ranked by credibility rate`,
      columns: [
        { header: '#', width: 3, align: 'right' }, { header: 'Robot model', width: 17 }, { header: 'Ops.', width: 5, align: 'right' },
        { header: 'Hours', width: 10, align: 'right' }, { header: 'Incid.', width: 6, align: 'right' },
        { header: 'Rate / 1,000 h (exact 95% CI)', width: 15, align: 'right' }, { header: 'Credibility rate (95% posterior)', width: 15, align: 'right' },
        { header: 'P(best)', width: 7, align: 'right' }, { header: 'Severity ≥ 3', width: 7, align: 'right' }, { header: 'Verdict', width: 13 },
      ],
      rows, fontSize: 7,
    });
  }
}

function verdicts(r: Report, d: ScorecardReportData): void {
  r.heading('Verdicts and what each cell needs to move up', { keepWith: 80 });
  const order = ['not_insurable', 'not_yet_insurable', 'insurable_with_conditions', 'insurable'];
  const cells = [...d.cells].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict) || groupOf(a).localeCompare(groupOf(b)) || a.robot_model.localeCompare(b.robot_model));
  r.table({
    columns: [{ header: 'Class / area', width: 22 }, { header: 'Robot model', width: 14 }, { header: 'Verdict', width: 14 }, { header: 'Fired rules', width: 18 }, { header: 'Needs', width: 32 }],
    rows: cells.map((c) => ({ cells: [groupOf(c), label(c), humanize(c.verdict), c.fired_rules.map((f) => f.rule).join(', ') || DASH, whatItNeeds(c)], color: VERDICT_COLOR[c.verdict] === PALETTE[1] ? THEME.notice : undefined })),
    fontSize: 7, empty: 'No published cell.',
  });
  const secondary = d.cells.filter((c) => c.secondary_withheld).length;
  if (secondary) {
    r.paragraph(`${secondary} published cell(s) show their secondary measures (operators, severity mix, protective stops, near misses, downtime) as withheld: their class or area has a withheld cell (a robot model, a software version or a month of the statistics), from which those measures would let it be derived. Hours, incidents, rates and verdicts are published.`, { size: 7.5, color: THEME.muted });
  }
  if (d.suppressed?.length) {
    r.paragraph(`${d.suppressed.length} cell(s) are withheld by disclosure control (rules ${d.disclosure?.rules.join(', ') ?? ''} over the linked tables of models, class ⊂ area and versions; thresholds are not published) and are not shown: ${d.suppressed.map((s) => `${groupOf(s)} × ${s.robot_model}${s.software_version ? ` (sw ${s.software_version})` : ''} — ${s.suppressed}`).join('; ')}.`, { size: 7.5, color: THEME.muted });
  }
}

function methodology(r: Report, d: ScorecardReportData): void {
  r.heading('Method', { keepWith: 120 });
  r.list([
    'Cells: robot model × scenario class (or area) [× software version]. Exposure = operating hours of the exposure periods; an incident counts in the cell of its deployment (and the version of the period containing its date).',
    'Incident rate: n / hours × 1,000 with the exact Poisson (Garwood) 95% interval, as R poisson.test. It ignores extra-Poisson variation between deployments and periods, which would widen it.',
    'Credibility rate: empirical-Bayes Poisson–gamma. Within each class the true rates of the robot models are taken as Gamma(α, β); α and β by the method of moments (class rate m = Σn / Σe, between-model variance s² = (Σ e (n/e − m)² − (k − 1) m) / (E − Σe²/E)). The posterior Gamma(α + n, β + e) has mean Z·n/e + (1 − Z)·m with Z = e / (e + β); its 2.5% and 97.5% quantiles give the posterior interval. With no detectable heterogeneity (s² ≤ 0) every model gets the class rate.',
    'P(best): the posterior probability that the model has the lowest true rate of its class, ∫ f_i Π S_j by numerical integration (checked against the closed form I_{b₁/(b₁+b₂)}(a₁, a₂) for two models and a seeded Monte Carlo).',
    `Full credibility: the limited-fluctuation standard (z_{(1+p)/2} / k)² = ${formatNumber((1.6448536269514722 / d.full_credibility.k) ** 2, 1)} incidents for p = ${d.full_credibility.p}, k = ${d.full_credibility.k}; the hours still needed are that many incidents at the credibility rate, less the hours run.`,
    `Verdicts: the scorecard rule set ${d.ruleset.name} ${d.ruleset.version ?? ''}${d.ruleset.id === null ? ' (built-in default)' : ` (stored version ${d.ruleset.id})`}, json-rules-engine rules over the cell's facts; the most severe fired verdict wins.`,
  ]);
}

export interface ScorecardReportOptions { creationDate?: Date }

export async function renderScorecardReportPdf(d: ScorecardReportData, opts: ScorecardReportOptions = {}): Promise<Buffer> {
  const generated = opts.creationDate ?? new Date();
  const r = await createReport({
    title: 'Validation scorecard — humanoid robots at work',
    subject: 'Which robots run stably in which workstation, and what can be insured',
    keywords: 'roborisk, validation scorecard, credibility, insurability',
    creationDate: generated,
  });
  r.use('bold', 17, THEME.accent);
  r.doc.text(r.t('Validation scorecard'), r.left, r.doc.y, { width: r.width });
  r.use('regular', 10.5, THEME.text);
  r.doc.text(r.t('Which robot models run stably in which workstation, and what can be insured'), r.left, r.doc.y + 2, { width: r.width });
  r.use('regular', 7.5, THEME.muted);
  r.doc.text(r.t(`Generated ${formatDateTime(generated)} by roborisk. ${d.view === 'regulator' ? 'Disclosure-controlled: published cells only, computed without the withheld ones.' : 'Every cell (actuary / underwriter view).'}`), r.left, r.doc.y + 2, { width: r.width });
  r.gap(8);
  if (r.fontNote) r.notice('Font', [r.fontNote]);
  const count = (v: string) => d.cells.filter((c) => c.verdict === v).length;
  r.heading('Summary');
  r.keyValues([
    ['Cells', `${d.cells.length} (robot model × ${d.level === 'scenario_class' ? 'scenario class' : 'scenario area'}${d.by_software_version ? ' × software version' : ''})`],
    ['Insurable', String(count('insurable'))],
    ['With conditions', String(count('insurable_with_conditions'))],
    ['Not yet insurable', String(count('not_yet_insurable'))],
    ['Not insurable', String(count('not_insurable'))],
    ['Rule set', `${d.ruleset.name} ${d.ruleset.version ?? ''}`],
  ], { columns: 2, labelWidth: 88 });
  r.gap(4);
  funnel(r, d);
  rankingTables(r, d);
  verdicts(r, d);
  methodology(r, d);
  return r.finish({ left: 'roborisk · validation scorecard', center: `${formatDate(generated)} · ${d.view === 'regulator' ? 'disclosure-controlled' : 'full view'}` });
}
