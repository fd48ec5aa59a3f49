/**
 * The model report (docs/architecture.md §8): one fitted model version as a PDF.
 *
 * * Frequency (GLM): identification, fit diagnostics (deviance, null deviance, residual df,
 *   log-likelihood, AIC, Pearson χ², dispersion, θ), coefficients with standard errors, Wald z,
 *   p-values, relativities exp(β) with 95% intervals, a relativity forest plot per factor level
 *   (log axis, reference line at 1), exposure and claims per level, data snapshot, specification.
 * * Severity: candidate fits ranked by AIC (parameters with standard errors, log-likelihood, AIC,
 *   ΔAIC, BIC, KS, AD, mean), fitted vs empirical quantiles, for the best two fits an empirical vs
 *   fitted CDF plot (log x axis) and a QQ plot (log-log, 45° line), open-claims note, data
 *   snapshot, specification.
 *
 * Pure rendering: takes the model version as returned by services/model-versions `getModel`
 * (and, for severity plots, the loss amounts); no database access.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { createReport, formatDate, formatDateTime, formatNumber, formatPercent, humanize, THEME, type Report } from './pdf-common.ts';
import { drawCdfPlot, drawForestPlot, drawQqPlot, forestPlotHeight, PALETTE, qqPoints, type Box, type ForestRow } from './charts.ts';
import { distributionFromParams } from '../models/distributions/index.ts';
import type { DistributionName, SeverityDistribution } from '../models/distributions/index.ts';
import { quantileType7 } from '../models/statistics/index.ts';

// ---------------------------------------------------------------------------------------------
// Input shapes (the stored model_version result, as services/model-versions `getModel` returns it)
// ---------------------------------------------------------------------------------------------

export interface ModelTerm {
  name: string;
  factor: string | null;
  level: string | null;
  estimate: number;
  std_error: number;
  relativity: number;
  ci_low: number;
  ci_high: number;
}

export interface ModelLevel { level: string; is_base: boolean; operating_hours: number; incidents: number; rows?: number }

interface ModelCommon {
  id: number;
  coverage: string | null;
  status: string;
  spec: Record<string, unknown>;
  data_snapshot: Record<string, unknown>;
  created_by?: string;
  created_at?: Date | string;
  activated_at?: Date | string | null;
  summary?: Record<string, unknown>;
}

export interface FrequencyModelView extends ModelCommon {
  kind: 'frequency';
  terms: ModelTerm[];
  theta?: number | null;
  theta_std_error?: number | null;
  deviance: number;
  null_deviance: number;
  df_residual: number;
  aic: number;
  log_lik: number;
  pearson_chi2: number;
  dispersion: number | null;
  iterations?: number;
  converged?: boolean;
  fitted_on?: string;
  base_levels?: Record<string, string>;
  levels: Record<string, ModelLevel[]>;
  warnings?: string[];
}

export interface SeverityFitView {
  distribution: string;
  ok: boolean;
  error?: string;
  rank?: number;
  delta_aic?: number;
  params?: Record<string, number>;
  standard_errors?: Record<string, number | null> | null;
  loglik?: number;
  aic?: number;
  bic?: number;
  ks?: number;
  ad?: number;
  n?: number;
  converged?: boolean;
  mean?: number;
  quantiles?: { p50: number; p90: number; p99: number };
  /** Spliced fits: body family and threshold. */
  body?: string;
  threshold?: number;
}

export interface SeverityModelView extends ModelCommon {
  kind: 'severity';
  fits: SeverityFitView[];
  best: { distribution: string; params: Record<string, number>; body?: string } | null;
  open_claims: number;
  includes_open_claims?: boolean;
  note?: string;
}

export type ModelView = FrequencyModelView | SeverityModelView;

export interface ModelReportInput {
  model: ModelView;
  /** Loss amounts the severity model was fitted on (open claims at paid + reserve), for the fit plots. */
  losses?: ArrayLike<number> | { amount: number }[];
  /** Fixes the PDF creation date and the printed date: equal inputs give equal bytes. */
  creationDate?: Date;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------------

const DASH = '—';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const fixed = (x: unknown, d: number) => (isNum(x) ? formatNumber(x, d) : DASH);

/** `x` to `digits` significant digits, grouped; scientific notation below 0.001 or above 1e12. */
export function formatSignificant(x: number | null | undefined, digits = 4): string {
  if (!isNum(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e12) return x.toExponential(digits - 1).replace('e+', 'e');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return formatNumber(x, Math.min(decimals, 20));
}

/** Two-sided Wald p-value 2(1 − Φ(|z|)) as R prints it (`<0.0001` for tiny values). */
function pValue(z: number): string {
  if (!Number.isFinite(z)) return DASH;
  const p = 2 * (1 - normalCdf(Math.abs(z), 0, 1));
  return p < 1e-4 ? '<0.0001' : formatNumber(p, 4);
}

const ci = (lo: number | null | undefined, hi: number | null | undefined, d = 3) => (isNum(lo) && isNum(hi) ? `${formatNumber(lo, d)} – ${formatNumber(hi, d)}` : DASH);

const text = (v: unknown): string => (v === null || v === undefined || v === '' ? DASH : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

function periodText(p: unknown): string {
  const o = (p ?? {}) as { from?: string | null; to?: string | null };
  return o.from || o.to ? `${formatDate(o.from ?? null, '…')} to ${formatDate(o.to ?? null, '…')}` : 'all data';
}

/** Draws a chart of height `h` at the cursor (new page if needed) and moves below it. */
function placeChart(r: Report, h: number, draw: (box: Box) => void): void {
  r.ensureSpace(h + 4);
  const box: Box = { x: r.left, y: r.doc.y, width: r.width, height: h };
  draw(box);
  r.doc.x = r.left;
  r.doc.y = box.y + h + 8;
}

/** Specification as pretty JSON in a monospace block. */
function specBlock(r: Report, spec: unknown): void {
  const json = JSON.stringify(spec, null, 2);
  r.doc.font('Courier').fontSize(7).fillColor(THEME.text);
  for (const line of json.split('\n')) {
    r.ensureSpace(9);
    r.doc.font('Courier').fontSize(7).fillColor(THEME.text).text(r.t(line), r.left + 4, r.doc.y, { width: r.width - 8, lineBreak: true });
  }
  r.doc.x = r.left;
  r.gap(4);
}

function titleBlock(r: Report, title: string, subtitle: string, generated: Date): void {
  r.use('bold', 17, THEME.accent);
  r.doc.text(r.t(title), r.left, r.doc.y, { width: r.width });
  r.use('regular', 10.5, THEME.text);
  r.doc.text(r.t(subtitle), r.left, r.doc.y + 2, { width: r.width });
  r.use('regular', 7.5, THEME.muted);
  r.doc.text(r.t(`Generated ${formatDateTime(generated)} by roborisk. Figures as stored in the model version; intervals are 95% Wald intervals.`), r.left, r.doc.y + 2, { width: r.width });
  r.gap(8);
}

function identification(r: Report, m: ModelView, extra: [string, string][]): void {
  const spec = m.spec as { incident_types?: string[] };
  r.heading('Model version');
  r.keyValues([
    ['Model version', `#${m.id}`],
    ['Kind', m.kind],
    ['Status', m.status],
    ['Coverage', m.coverage ? `${humanize(m.coverage)} (${m.coverage})` : spec.incident_types?.length ? `incident types: ${spec.incident_types.join(', ')}` : DASH],
    ['Created', `${formatDateTime(m.created_at ?? null)}${m.created_by ? ` by ${m.created_by}` : ''}`],
    ['Activated', formatDateTime(m.activated_at ?? null)],
    ...extra,
  ], { columns: 2, labelWidth: 78 });
  r.gap(4);
}

function snapshotSection(r: Report, m: ModelView, rowsLabel: string): void {
  const s = m.data_snapshot as Record<string, unknown>;
  r.heading('Data snapshot', { keepWith: 60 });
  const pairs: [string, string][] = [[rowsLabel, isNum(s.rows) ? formatNumber(s.rows) : DASH], ['Period', periodText(s.period)]];
  if (isNum(s.incidents)) pairs.push(['Incidents', formatNumber(s.incidents)]);
  if (isNum(s.operating_hours)) pairs.push(['Operating hours', formatNumber(s.operating_hours, 1)]);
  if (isNum(s.open)) pairs.push(['Open claims', formatNumber(s.open)]);
  if (isNum(s.total_incurred)) pairs.push(['Total incurred', `CNY ${formatNumber(s.total_incurred, 2)}`]);
  r.keyValues(pairs, { columns: 2, labelWidth: 90 });
  r.keyValues([['Content hash (SHA-256)', text(s.content_hash)]], { columns: 1, labelWidth: 110 });
  r.paragraph('The content hash identifies the exact data the model was fitted on: refitting the same specification on data with the same hash reproduces the model.', { size: 7.5, color: THEME.muted });
}

function specSection(r: Report, m: ModelView): void {
  r.heading('Specification', { keepWith: 60 });
  specBlock(r, m.spec);
}

// ---------------------------------------------------------------------------------------------
// Frequency
// ---------------------------------------------------------------------------------------------

function renderFrequency(r: Report, m: FrequencyModelView): void {
  const spec = m.spec as { family?: string; factors?: string[]; base_levels?: Record<string, string>; period?: unknown };
  const family = spec.family === 'negative_binomial' ? 'negative binomial (NB2) GLM' : 'Poisson GLM';
  const base = m.base_levels ?? spec.base_levels ?? {};
  identification(r, m, [
    ['Family', `${family}, log link, offset log(operating hours)`],
    ['Factors', text(spec.factors)],
    ['Base levels', Object.entries(base).map(([f, l]) => `${f} = ${l}`).join('; ') || DASH],
    ['Fitted on', m.fitted_on === 'cells' ? 'per-cell sufficient statistics' : m.fitted_on === 'exposure_periods' ? 'one row per exposure period' : text(m.fitted_on)],
  ]);

  const intercept = m.terms.find((t) => t.factor === null);
  r.heading('Fit diagnostics');
  const theta = isNum(m.theta) ? `${formatSignificant(m.theta, 5)}${isNum(m.theta_std_error) ? ` (SE ${formatSignificant(m.theta_std_error, 3)})` : ''}` : 'not applicable (Poisson)';
  r.keyValues([
    ['Deviance', fixed(m.deviance, 2)],
    ['Null deviance', fixed(m.null_deviance, 2)],
    ['Residual df', fixed(m.df_residual, 0)],
    ['Log-likelihood', fixed(m.log_lik, 2)],
    ['AIC', fixed(m.aic, 2)],
    ['Pearson χ²', fixed(m.pearson_chi2, 2)],
    ['Dispersion (χ²/df)', fixed(m.dispersion, 4)],
    ['θ (NB2 size)', theta],
    ['Iterations', text(m.iterations)],
    ['Converged', m.converged === undefined ? DASH : m.converged ? 'yes' : 'NO'],
    ['Base rate / 1,000 h', intercept ? formatSignificant(Math.exp(intercept.estimate) * 1000, 4) : DASH],
    ['Deviance explained', isNum(m.deviance) && isNum(m.null_deviance) && m.null_deviance > 0 ? formatPercent(1 - m.deviance / m.null_deviance, 1) : DASH],
  ], { columns: 2, labelWidth: 95 });
  if (m.converged === false) r.notice('The fit did not converge', ['The estimates below are those of the last iteration and must not be used for pricing.']);
  if (m.warnings?.length) r.notice('Warnings of the fit', m.warnings);
  r.gap(4);

  r.heading('Coefficients');
  r.table({
    caption: 'Estimates on the log scale; relativity = exp(estimate); 95% CI = exp(estimate ± 1.96 · SE)',
    columns: [
      { header: 'Term', width: 30 },
      { header: 'Estimate', width: 11, align: 'right' },
      { header: 'Std. error', width: 11, align: 'right' },
      { header: 'z', width: 8, align: 'right' },
      { header: 'Pr(>|z|)', width: 10, align: 'right' },
      { header: 'Relativity', width: 11, align: 'right' },
      { header: '95% CI', width: 19, align: 'right' },
    ],
    rows: m.terms.map((t) => [
      t.name,
      fixed(t.estimate, 4),
      fixed(t.std_error, 4),
      isNum(t.estimate) && isNum(t.std_error) && t.std_error > 0 ? formatNumber(t.estimate / t.std_error, 2) : DASH,
      isNum(t.estimate) && isNum(t.std_error) && t.std_error > 0 ? pValue(t.estimate / t.std_error) : DASH,
      t.factor === null ? 'base rate' : fixed(t.relativity, 3),
      t.factor === null ? DASH : ci(t.ci_low, t.ci_high),
    ]),
  });
  if (intercept) {
    r.paragraph(`The intercept is the log rate per operating hour of the base cell (${Object.entries(base).map(([f, l]) => `${f} ${l}`).join(', ') || 'all base levels'}): exp(${formatNumber(intercept.estimate, 4)}) × 1,000 = ${formatSignificant(Math.exp(intercept.estimate) * 1000, 4)} claims per 1,000 operating hours (95% CI ${ci(intercept.ci_low * 1000, intercept.ci_high * 1000, 4)}).`, { size: 7.5, color: THEME.muted });
  }

  // relativities forest plot
  const factors = Object.keys(m.levels ?? {});
  const termOf = new Map(m.terms.filter((t) => t.factor !== null).map((t) => [`${t.factor}\u0000${t.level}`, t]));
  const rows: ForestRow[] = [];
  for (const f of factors) {
    for (const l of m.levels[f]) {
      const t = termOf.get(`${f}\u0000${l.level}`);
      if (l.is_base) rows.push({ group: humanize(f), label: l.level, estimate: 1, fixed: true, note: '1.000 (base)' });
      else if (t) rows.push({ group: humanize(f), label: l.level, estimate: t.relativity, low: t.ci_low, high: t.ci_high, note: `${formatNumber(t.relativity, 3)} (${ci(t.ci_low, t.ci_high, 2)})` });
    }
  }
  if (rows.length) {
    const axis = { log: true, label: 'Relativity exp(β), log scale (base level = 1)', format: (v: number) => String(v) };
    const h = forestPlotHeight({ rows, title: 'Relativities with 95% confidence intervals', x: axis });
    r.heading('Relativities', { keepWith: Math.min(h, 300) });
    placeChart(r, h, (box) => drawForestPlot(r, { box, rows, x: axis, reference: 1, title: 'Relativities with 95% confidence intervals', labelWidth: 130, noteWidth: 100 }));
  }

  r.heading('Exposure and claims per level', { keepWith: 80 });
  const levelRows = factors.flatMap((f) => m.levels[f].map((l) => {
    const t = termOf.get(`${f}\u0000${l.level}`);
    return [
      f, l.level, l.is_base ? 'base' : '',
      fixed(l.operating_hours, 1), fixed(l.incidents, 0),
      isNum(l.operating_hours) && l.operating_hours > 0 ? formatNumber((l.incidents / l.operating_hours) * 1000, 3) : DASH,
      l.is_base ? '1.000' : t ? fixed(t.relativity, 3) : DASH,
    ];
  }));
  r.table({
    columns: [
      { header: 'Factor', width: 20 }, { header: 'Level', width: 22 }, { header: 'Base', width: 7, align: 'center' },
      { header: 'Operating hours', width: 16, align: 'right' }, { header: 'Claims', width: 10, align: 'right' },
      { header: 'Crude rate / 1,000 h', width: 15, align: 'right' }, { header: 'Relativity', width: 11, align: 'right' },
    ],
    rows: levelRows,
  });
  r.paragraph('Crude rate: claims per 1,000 operating hours of all cells with the level (other factors not adjusted); the relativity is the fitted, adjusted effect.', { size: 7.5, color: THEME.muted });

  snapshotSection(r, m, 'Exposure periods');
  specSection(r, m);
}

// ---------------------------------------------------------------------------------------------
// Severity
// ---------------------------------------------------------------------------------------------

const DIST_LABEL: Record<string, string> = {
  lognormal: 'Lognormal', gamma: 'Gamma', weibull: 'Weibull', lomax: 'Pareto II (Lomax)', exponential: 'Exponential', gpd: 'Generalised Pareto', spliced: 'Spliced body + GPD tail',
};
const distLabel = (f: { distribution: string; body?: string }) => `${DIST_LABEL[f.distribution] ?? f.distribution}${f.distribution === 'spliced' && f.body ? ` (${f.body} body)` : ''}`;

function lossArray(losses: ModelReportInput['losses']): Float64Array | null {
  if (!losses) return null;
  const arr = Array.from(losses as ArrayLike<number | { amount: number }>, (v) => (typeof v === 'number' ? v : v.amount));
  const xs = Float64Array.from(arr.filter((v) => Number.isFinite(v) && v > 0));
  xs.sort();
  return xs.length ? xs : null;
}

function rebuild(f: SeverityFitView): SeverityDistribution | null {
  if (!f.ok || !f.params) return null;
  try {
    return distributionFromParams(f.distribution as DistributionName, f.params, f.body ? { body: f.body as DistributionName } : {});
  } catch {
    return null;
  }
}

function paramsCell(f: SeverityFitView): string {
  if (!f.params) return DASH;
  return Object.entries(f.params).map(([k, v]) => {
    const se = f.standard_errors?.[k];
    return `${k} = ${formatSignificant(v, 5)}${isNum(se) ? ` (${formatSignificant(se, 3)})` : ''}`;
  }).join('\n');
}

function renderSeverity(r: Report, m: SeverityModelView, losses: Float64Array | null): void {
  const spec = m.spec as { distributions?: string[]; threshold?: number; period?: unknown };
  const ranked = m.fits.filter((f) => f.ok && isNum(f.aic)).sort((a, b) => a.aic! - b.aic!);
  const failed = m.fits.filter((f) => !f.ok);
  identification(r, m, [
    ['Claims (n)', isNum((m.summary as { n?: number } | undefined)?.n) ? formatNumber((m.summary as { n: number }).n) : ranked[0]?.n !== undefined ? formatNumber(ranked[0].n!) : DASH],
    ['Open claims', `${formatNumber(m.open_claims ?? 0)} (counted at paid + case reserve)`],
    ['Best fit (AIC)', m.best ? distLabel(m.best) : DASH],
    ['Candidates', spec.distributions?.join(', ') ?? 'lognormal, gamma, Weibull, Lomax (default)'],
    ['Splice threshold', isNum(spec.threshold) ? `CNY ${formatNumber(spec.threshold, 0)}` : 'none'],
    ['Period', periodText(spec.period)],
  ]);

  r.heading('Candidate fits ranked by AIC');
  r.table({
    columns: [
      { header: 'Rank', width: 6, align: 'center' },
      { header: 'Distribution', width: 14 },
      { header: 'Parameters (SE)', width: 26 },
      { header: 'Log-lik.', width: 11, align: 'right' },
      { header: 'AIC', width: 11, align: 'right' },
      { header: 'ΔAIC', width: 8, align: 'right' },
      { header: 'BIC', width: 11, align: 'right' },
      { header: 'KS', width: 8, align: 'right' },
      { header: 'AD', width: 7, align: 'right' },
      { header: 'Mean (CNY)', width: 10, align: 'right' },
    ],
    rows: ranked.map((f, i) => ({
      cells: [
        String(i + 1), distLabel(f), paramsCell(f), fixed(f.loglik, 2), fixed(f.aic, 2),
        fixed(f.aic! - ranked[0].aic!, 2), fixed(f.bic, 2), fixed(f.ks, 4), fixed(f.ad, 3),
        isNum(f.mean) ? formatNumber(f.mean, 0) : f.mean === Infinity ? '∞' : DASH,
      ],
      bold: i === 0,
    })),
    empty: 'No candidate distribution could be fitted.',
  });
  r.paragraph('Maximum-likelihood fits, open claims at paid + case reserve. Parameters with standard errors in brackets (inverse observed information). ΔAIC = AIC − smallest AIC; KS = Kolmogorov–Smirnov D, AD = Anderson–Darling A² (smaller is better).', { size: 7.5, color: THEME.muted });
  if (failed.length) r.notice('Candidates that failed to fit', failed.map((f) => `${distLabel(f)}: ${f.error ?? 'no convergence'}`));

  // fitted vs empirical quantiles
  const probs = [0.5, 0.75, 0.9, 0.95, 0.99];
  const fitted = ranked.map((f) => ({ f, d: rebuild(f) }));
  const qRows: string[][] = [];
  if (losses) qRows.push(['Empirical (R type 7)', ...probs.map((p) => formatNumber(quantileType7(losses, p), 0))]);
  for (const { f, d } of fitted) qRows.push([distLabel(f), ...probs.map((p) => (d ? formatNumber(d.quantile(p), 0) : DASH))]);
  r.heading('Quantiles: fitted vs empirical (CNY)', { keepWith: 70 });
  r.table({
    columns: [{ header: 'Distribution', width: 30 }, ...probs.map((p) => ({ header: `${formatPercent(p)} quantile`, width: 14, align: 'right' as const }))],
    rows: qRows.map((cells, i) => ({ cells, bold: i === 0 && !!losses })),
  });

  // fit plots for the best two fits
  const plotted = fitted.filter((x) => x.d).slice(0, 2);
  r.heading('Fit plots', { keepWith: 240 });
  if (!losses) {
    r.paragraph('The loss data were not supplied to the report, so no fit plots are drawn.', { color: THEME.muted });
  } else if (!plotted.length) {
    r.paragraph('No fitted distribution to plot.', { color: THEME.muted });
  } else {
    r.paragraph(`Left: empirical distribution function of the ${formatNumber(losses.length)} losses (step line) against the fitted CDF, log scale of amounts. Right: QQ plot of the ordered losses against the fitted quantiles at the plotting positions of R ppoints(n), log–log; points on the dashed 45° line mean a perfect fit, points above it in the right tail mean the data are heavier-tailed than the fit.`, { size: 7.5, color: THEME.muted });
    const h = 230;
    const gap = 14;
    const w = (r.width - gap) / 2;
    plotted.forEach(({ f, d }, i) => {
      r.ensureSpace(h + 6);
      const y = r.doc.y;
      const label = `${i === 0 ? 'Best fit' : 'Second best'}: ${distLabel(f)}`;
      drawCdfPlot(r, {
        box: { x: r.left, y, width: w, height: h }, title: `${label} — CDF`, sample: losses,
        curves: [{ name: `Fitted ${distLabel(f)}`, cdf: (x) => d!.cdf(x), color: PALETTE[1 + i] }],
        x: { log: true, label: 'Loss amount (CNY), log scale' },
      });
      const pts = qqPoints(losses, (p) => d!.quantile(p));
      drawQqPlot(r, {
        box: { x: r.left + w + gap, y, width: w, height: h }, title: `${label} — QQ plot`, points: pts, log: true,
        xLabel: `Fitted ${distLabel(f)} quantile (CNY)`, yLabel: 'Empirical quantile (CNY)', color: PALETTE[1 + i],
      });
      r.doc.x = r.left;
      r.doc.y = y + h + 10;
    });
  }

  r.heading('Open claims', { keepWith: 30 });
  r.paragraph(`${formatNumber(m.open_claims ?? 0)} of the claims were open when the model was fitted; they enter the fit at their incurred amount, paid + case reserve, allocated to the coverages in proportion to their loss lines. Later development of these reserves is not projected: a refit on developed data may move the tail.`);

  snapshotSection(r, m, 'Claims');
  specSection(r, m);
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/**
 * Renders the model report of one model version as PDF bytes. With `creationDate`, the bytes
 * are a function of the inputs only (two renders are equal). Severity fit plots need `losses`.
 * Throws `RangeError` for a model of unknown kind.
 */
export async function renderModelReportPdf(input: ModelReportInput): Promise<Buffer> {
  const { model } = input;
  if (model.kind !== 'frequency' && model.kind !== 'severity') throw new RangeError(`renderModelReportPdf: unknown model kind '${String((model as { kind?: unknown }).kind)}'`);
  const generated = input.creationDate ?? new Date();
  const kindLabel = model.kind === 'frequency' ? 'Frequency model' : 'Severity model';
  const what = model.coverage ? humanize(model.coverage) : 'incident types';
  const r = await createReport({
    title: `Model report — ${kindLabel.toLowerCase()} #${model.id}`,
    subject: `${kindLabel} #${model.id} (${what})`,
    keywords: `roborisk, model report, ${model.kind}`,
    creationDate: generated,
  });
  const sub = model.kind === 'frequency'
    ? `${kindLabel} #${model.id} — ${what} — ${(model.spec as { family?: string }).family === 'negative_binomial' ? 'negative binomial GLM' : 'Poisson GLM'}`
    : `${kindLabel} #${model.id} — ${what} — ${model.best ? `best fit ${distLabel(model.best)}` : 'no fit'}`;
  titleBlock(r, 'Model report', sub, generated);
  if (r.fontNote) r.notice('Font', [r.fontNote]);
  if (model.kind === 'frequency') renderFrequency(r, model);
  else renderSeverity(r, model, lossArray(input.losses));
  const hash = String((model.data_snapshot as { content_hash?: unknown })?.content_hash ?? '');
  return r.finish({
    left: `roborisk · model version #${model.id}`,
    center: hash ? `data ${hash.slice(0, 16)}… · ${model.status}` : model.status,
  });
}
