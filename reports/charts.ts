/**
 * Vector charts drawn with pdfkit (docs/architecture.md §8): linear and logarithmic scales with
 * "nice" ticks, axes with grid lines, tick labels and titles, and the chart types the reports need
 * — category charts (bars or points with confidence-interval error bars), forest plots (horizontal
 * intervals with a reference line, e.g. GLM relativities), line charts with a confidence band,
 * step CDF plots (empirical vs fitted) and QQ plots with the 45° line.
 *
 * Pure drawing: every function draws into the box it is given (nothing outside it) and leaves
 * the document's text cursor alone. Deterministic: equal inputs give equal drawing operators.
 */
import type { Pdf } from './pdf-common.ts';

/** What a chart needs of a report: the pdfkit document, its font names and a text filter. */
export interface ChartCanvas {
  doc: Pdf;
  fonts: { regular: string; bold: string };
  /** Makes a string printable with the fonts (e.g. Report.t); identity when absent. */
  t?(s: string): string;
}

export interface Box { x: number; y: number; width: number; height: number }

/** Chart colours: a colour-blind-safe qualitative palette (Okabe & Ito 2008), then greys. */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#7f7f7f'] as const;

const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID = '#e4e7eb';
const AXIS = '#9aa5b1';
const REFERENCE = '#b00020';

// ---------------------------------------------------------------------------------------------
// Scales and ticks
// ---------------------------------------------------------------------------------------------

/** A map from data values to page coordinates. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly log: boolean;
  /** Tick values inside the domain. */
  ticks(): number[];
}

/**
 * "Nice" tick values covering [lo, hi]: multiples of a step 1, 2, 2.5 or 5 × 10^k chosen so that
 * about `count` ticks result (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
 * Throws `RangeError` for non-finite bounds or `count` < 1.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks: bounds must be finite, got ${lo}, ${hi}`);
  if (!(count >= 1)) throw new RangeError(`niceTicks: count must be at least 1, got ${count}`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const step = niceStep((hi - lo) / count);
  const start = Math.ceil(lo / step - 1e-9);
  const end = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = start; k <= end; k++) out.push(cleanFloat(k * step));
  return out;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

const cleanFloat = (x: number) => Number.parseFloat(x.toPrecision(12));

/** Extends [lo, hi] outwards to multiples of its nice step (so the axis ends on ticks). */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  const step = niceStep((hi - lo) / count);
  return [cleanFloat(Math.floor(lo / step + 1e-9) * step), cleanFloat(Math.ceil(hi / step - 1e-9) * step)];
}

/**
 * Ticks of a logarithmic axis over [lo, hi] (lo > 0): powers of ten, plus 2× and 5× multiples when
 * the range spans fewer than three decades, plus 3× when it spans less than one.
 * Throws `RangeError` unless 0 < lo ≤ hi are finite.
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !Number.isFinite(hi) || hi < lo) throw new RangeError(`logTicks: need 0 < lo <= hi, got ${lo}, ${hi}`);
  const decades = Math.log10(hi / lo);
  const mult = decades < 1 ? [1, 2, 3, 5] : decades < 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mult) {
      const v = cleanFloat(m * 10 ** e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Linear scale `domain → range`; with `nice`, the domain is first extended to nice ticks. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number], opts: { nice?: boolean; tickCount?: number } = {}): Scale {
  const count = opts.tickCount ?? 5;
  const d: [number, number] = opts.nice === false ? [domain[0], domain[1] === domain[0] ? domain[0] + 1 : domain[1]] : niceDomain(domain[0], domain[1], count);
  const k = (range[1] - range[0]) / (d[1] - d[0]);
  const f = ((v: number) => range[0] + (v - d[0]) * k) as Scale;
  return Object.assign(f, { domain: d, range: [range[0], range[1]] as const, log: false, ticks: () => niceTicks(d[0], d[1], count) });
}

/**
 * Base-10 logarithmic scale `domain → range`; with `nice`, the domain is widened to whole
 * 1-2-5 steps. Throws `RangeError` for a non-positive domain.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number], opts: { nice?: boolean } = {}): Scale {
  let [lo, hi] = domain;
  if (!(lo > 0) || !(hi > 0)) throw new RangeError(`logScale: domain must be positive, got [${lo}, ${hi}]`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) { lo /= 2; hi *= 2; }
  if (opts.nice !== false) {
    const down = (v: number) => { const p = 10 ** Math.floor(Math.log10(v)); const m = v / p; return cleanFloat((m >= 5 ? 5 : m >= 2 ? 2 : 1) * p); };
    const up = (v: number) => { const p = 10 ** Math.floor(Math.log10(v)); const m = v / p; return cleanFloat((m <= 1 + 1e-9 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p); };
    lo = down(lo);
    hi = up(hi);
  }
  const l0 = Math.log10(lo);
  const k = (range[1] - range[0]) / (Math.log10(hi) - l0);
  const f = ((v: number) => range[0] + (Math.log10(Math.max(v, lo * 1e-6)) - l0) * k) as Scale;
  return Object.assign(f, { domain: [lo, hi] as const, range: [range[0], range[1]] as const, log: true, ticks: () => logTicks(lo, hi) });
}

/**
 * A short label for an axis value: `1,250`, `12.5k`, `3M`, `0.05`; `1e-5` style below 0.001.
 * At most three significant digits after scaling.
 */
export function compactNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  const sig = (v: number) => String(Number.parseFloat(v.toPrecision(3)));
  if (a >= 1e9) return `${sig(x / 1e9)}G`;
  if (a >= 1e6) return `${sig(x / 1e6)}M`;
  if (a >= 1e4) return `${sig(x / 1e3)}k`;
  if (a >= 1000) return sig(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (a >= 0.001) return sig(x);
  return x.toExponential(0);
}

// ---------------------------------------------------------------------------------------------
// Axes, frames, legends
// ---------------------------------------------------------------------------------------------

export interface AxisOptions {
  /** Axis title. */
  label?: string;
  /** Logarithmic (base 10). */
  log?: boolean;
  /** Fixed bounds; by default the data range (a linear axis of non-negative data starts at 0). */
  min?: number;
  max?: number;
  /** Tick label format; default {@link compactNumber}. */
  format?: (v: number) => string;
  /** Approximate number of ticks of a linear axis (default 5). */
  tickCount?: number;
}

const FONT = 7;

function txt(c: ChartCanvas, s: string): string { return c.t ? c.t(s) : s; }

function font(c: ChartCanvas, weight: 'regular' | 'bold', size: number, color: string): Pdf {
  return c.doc.font(c.fonts[weight]).fontSize(size).fillColor(color);
}

/** One line of text with its left edge (align left), centre or right edge at x; no wrapping. */
function label(c: ChartCanvas, s: string, x: number, y: number, align: 'left' | 'center' | 'right' = 'left'): void {
  const str = txt(c, s);
  if (!str) return;
  const w = c.doc.widthOfString(str);
  const dx = align === 'left' ? 0 : align === 'center' ? -w / 2 : -w;
  c.doc.text(str, x + dx, y, { lineBreak: false });
}

/** Text rotated 90° counter-clockwise, centred vertically on (x, yCenter). */
function verticalLabel(c: ChartCanvas, s: string, x: number, yCenter: number): void {
  const str = txt(c, s);
  const w = c.doc.widthOfString(str);
  c.doc.save();
  c.doc.rotate(-90, { origin: [x, yCenter] });
  c.doc.text(str, x - w / 2, yCenter, { lineBreak: false });
  c.doc.restore();
}

/** Domain of the data for an axis, honouring min / max, log and "start linear non-negative data at 0". */
function dataDomain(values: number[], axis: AxisOptions, fallback: [number, number]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  let lo = finite.length ? Math.min(...finite) : fallback[0];
  let hi = finite.length ? Math.max(...finite) : fallback[1];
  if (!axis.log && axis.min === undefined && lo >= 0) lo = 0;
  if (axis.min !== undefined) lo = axis.min;
  if (axis.max !== undefined) hi = axis.max;
  if (axis.log && !(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
  if (axis.log && !(hi > 0)) hi = lo * 10;
  return [lo, hi];
}

function makeScale(domain: [number, number], range: [number, number], axis: AxisOptions): Scale {
  const fixed = axis.min !== undefined && axis.max !== undefined;
  if (axis.log) {
    // a little head room so that markers at the extremes are not cut by the frame
    const d: [number, number] = fixed ? domain : [axis.min ?? domain[0] / 1.06, axis.max ?? domain[1] * 1.06];
    return logScale(d, range, { nice: !fixed });
  }
  return linearScale(domain, range, { nice: !fixed, tickCount: axis.tickCount });
}

/** Width needed by the tick labels of a value axis. */
function tickLabelWidth(c: ChartCanvas, ticks: number[], format: (v: number) => string): number {
  font(c, 'regular', FONT, MUTED);
  return Math.max(0, ...ticks.map((t) => c.doc.widthOfString(txt(c, format(t)))));
}

/** Draws the chart title (bold) at the top of the box; returns its height. */
function drawTitle(c: ChartCanvas, box: Box, title: string | undefined): number {
  if (!title) return 0;
  font(c, 'bold', FONT + 1.5, INK);
  c.doc.text(txt(c, title), box.x, box.y, { width: box.width, height: 12, ellipsis: true, lineBreak: false });
  return 13;
}

/** Horizontal grid lines and y tick labels (left of the plot), y axis title rotated. */
function drawYAxis(c: ChartCanvas, plot: Box, ys: Scale, axis: AxisOptions, titleX: number | null): void {
  const doc = c.doc;
  const fmt = axis.format ?? compactNumber;
  for (const t of ys.ticks()) {
    const y = ys(t);
    if (y < plot.y - 0.5 || y > plot.y + plot.height + 0.5) continue;
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.4).strokeColor(GRID).stroke();
    font(c, 'regular', FONT, MUTED);
    label(c, fmt(t), plot.x - 3, y - FONT * 0.6, 'right');
  }
  if (axis.label && titleX !== null) {
    font(c, 'regular', FONT, INK);
    verticalLabel(c, axis.label, titleX, plot.y + plot.height / 2);
  }
}

/** Vertical grid lines and x tick labels (below the plot), x axis title under them. */
function drawXAxis(c: ChartCanvas, plot: Box, xs: Scale, axis: AxisOptions): void {
  const doc = c.doc;
  const fmt = axis.format ?? compactNumber;
  font(c, 'regular', FONT, MUTED);
  const ticks = xs.ticks().filter((t) => xs(t) >= plot.x - 0.5 && xs(t) <= plot.x + plot.width + 0.5);
  // thin out labels that would overlap
  const widths = ticks.map((t) => doc.widthOfString(txt(c, fmt(t))));
  let lastRight = -Infinity;
  ticks.forEach((t, i) => {
    const x = xs(t);
    doc.moveTo(x, plot.y).lineTo(x, plot.y + plot.height).lineWidth(0.4).strokeColor(GRID).stroke();
    doc.moveTo(x, plot.y + plot.height).lineTo(x, plot.y + plot.height + 2.5).lineWidth(0.5).strokeColor(AXIS).stroke();
    if (x - widths[i] / 2 > lastRight + 3) {
      font(c, 'regular', FONT, MUTED);
      label(c, fmt(t), x, plot.y + plot.height + 3.5, 'center');
      lastRight = x + widths[i] / 2;
    }
  });
  if (axis.label) {
    font(c, 'regular', FONT, INK);
    label(c, axis.label, plot.x + plot.width / 2, plot.y + plot.height + 13, 'center');
  }
}

function drawFrame(c: ChartCanvas, plot: Box): void {
  c.doc.rect(plot.x, plot.y, plot.width, plot.height).lineWidth(0.6).strokeColor(AXIS).stroke();
}

export interface LegendItem {
  label: string;
  color: string;
  /** Swatch: a line (optionally dashed), a point, a filled box or a step line. */
  kind?: 'line' | 'dashed' | 'point' | 'box';
  /** Fill opacity of a `box` swatch (default 1). */
  opacity?: number;
}

/** A one-row legend at (x, y), items left to right (wrapping to further rows within `width`); returns its height. */
export function drawLegend(c: ChartCanvas, items: LegendItem[], x: number, y: number, width: number): number {
  const doc = c.doc;
  font(c, 'regular', FONT, INK);
  let cx = x;
  let cy = y;
  for (const it of items) {
    const w = doc.widthOfString(txt(c, it.label)) + 20;
    if (cx + w > x + width && cx > x) { cx = x; cy += 10; }
    const my = cy + 3.5;
    const kind = it.kind ?? 'line';
    if (kind === 'point') doc.circle(cx + 6, my, 2.2).fillColor(it.color).fill();
    else if (kind === 'box') doc.rect(cx + 1, my - 3, 10, 6).fillColor(it.color).fillOpacity(it.opacity ?? 1).fill().fillOpacity(1);
    else {
      doc.moveTo(cx, my).lineTo(cx + 12, my).lineWidth(1.2).strokeColor(it.color);
      if (kind === 'dashed') doc.dash(2.5, { space: 1.5 });
      doc.stroke();
      if (kind === 'dashed') doc.undash();
    }
    font(c, 'regular', FONT, INK);
    label(c, it.label, cx + 15, cy);
    cx += w + 6;
  }
  return cy - y + 10;
}

/** Height of the legend {@link drawLegend} would draw. */
function legendHeight(c: ChartCanvas, items: LegendItem[], width: number): number {
  if (!items.length) return 0;
  font(c, 'regular', FONT, INK);
  let cx = 0;
  let rows = 1;
  for (const it of items) {
    const w = c.doc.widthOfString(txt(c, it.label)) + 26;
    if (cx + w > width && cx > 0) { cx = 0; rows++; }
    cx += w;
  }
  return rows * 10;
}

function withClip(c: ChartCanvas, plot: Box, draw: () => void): void {
  c.doc.save();
  c.doc.rect(plot.x, plot.y, plot.width, plot.height).clip();
  draw();
  c.doc.restore();
}

function errorBar(doc: Pdf, x: number, y1: number, y2: number, cap: number, color: string, horizontal = false): void {
  doc.lineWidth(0.8).strokeColor(color);
  if (horizontal) {
    doc.moveTo(y1, x).lineTo(y2, x).stroke();
    doc.moveTo(y1, x - cap).lineTo(y1, x + cap).stroke();
    doc.moveTo(y2, x - cap).lineTo(y2, x + cap).stroke();
  } else {
    doc.moveTo(x, y1).lineTo(x, y2).stroke();
    doc.moveTo(x - cap, y1).lineTo(x + cap, y1).stroke();
    doc.moveTo(x - cap, y2).lineTo(x + cap, y2).stroke();
  }
}

/** Wraps `s` into at most `maxLines` lines of width `w` (word breaks; the last line ellipsised). */
function wrapLines(c: ChartCanvas, s: string, w: number, maxLines: number): string[] {
  const words = txt(c, s).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    const next = cur ? `${cur} ${word}` : word;
    if (c.doc.widthOfString(next) <= w || !cur) cur = next;
    else { lines.push(cur); cur = word; }
  }
  if (cur) lines.push(cur);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    let last = `${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`;
    while (last.length > 1 && c.doc.widthOfString(`${last}…`) > w) last = last.slice(0, -1);
    kept[maxLines - 1] = `${last}…`;
    return kept;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Category chart: bars or points with error bars
// ---------------------------------------------------------------------------------------------

export interface CategorySeries {
  name: string;
  color?: string;
  /** One value per category; null = no value (see `missing`). */
  values: (number | null)[];
  /** Lower / upper interval bounds per category (error bars). */
  low?: (number | null)[];
  high?: (number | null)[];
  /** Bars (default) or points. */
  style?: 'bar' | 'point';
}

export interface CategoryChartOptions {
  box: Box;
  title?: string;
  categories: string[];
  series: CategorySeries[];
  y: AxisOptions;
  /** Horizontal reference line (e.g. 1 for relativities, an overall rate). */
  reference?: { value: number; label?: string };
  /** Text printed in a category without values (e.g. "suppressed"), by category index. */
  missing?: (index: number) => string | null;
  /** Show the legend (default: when there is more than one series). */
  legend?: boolean;
  /** Print each value above its bar / point. */
  valueLabels?: (v: number) => string;
  /** Join the smallest and largest value of each category with a thin line (dumbbell / range plot; for point series). */
  connect?: boolean;
}

/**
 * Vertical category chart: per category one bar or point per series (grouped side by side),
 * optional error bars from `low` to `high`, category labels wrapped under the axis.
 * Bars on a log axis start at the bottom of the axis. Returns the box drawn into.
 */
export function drawCategoryChart(c: ChartCanvas, o: CategoryChartOptions): Box {
  const doc = c.doc;
  const { box } = o;
  const titleH = drawTitle(c, box, o.title);
  const legendItems: LegendItem[] = (o.legend ?? o.series.length > 1)
    ? o.series.map((s, i) => ({ label: s.name, color: s.color ?? PALETTE[i % PALETTE.length], kind: s.style === 'point' ? 'point' : 'box' }))
    : [];
  const legendH = legendItems.length ? legendHeight(c, legendItems, box.width) + 3 : 0;
  const all: number[] = [];
  for (const s of o.series) {
    for (const arr of [s.values, s.low ?? [], s.high ?? []]) for (const v of arr) if (v !== null && v !== undefined) all.push(v);
  }
  if (o.reference) all.push(o.reference.value);
  const domain = dataDomain(all, o.y, o.y.log ? [1, 10] : [0, 1]);
  // first pass with a provisional range to get the ticks, then size the left margin from them
  const provisional = makeScale(domain, [0, 1], o.y);
  const fmt = o.y.format ?? compactNumber;
  const tickW = tickLabelWidth(c, provisional.ticks(), fmt);
  const left = tickW + 5 + (o.y.label ? 11 : 0);
  const plotX = box.x + left;
  const plotW = box.width - left - 4;
  const n = Math.max(1, o.categories.length);
  const catW = plotW / n;
  font(c, 'regular', FONT, INK);
  const catLines = o.categories.map((s) => wrapLines(c, s, catW - 4, 3));
  const labelLines = Math.max(1, ...catLines.map((l) => l.length));
  const bottom = labelLines * (FONT + 1.5) + 5;
  const plot: Box = { x: plotX, y: box.y + titleH + legendH + 4, width: plotW, height: 0 };
  plot.height = box.y + box.height - bottom - plot.y;
  if (legendItems.length) drawLegend(c, legendItems, plotX, box.y + titleH + 1, plotW);
  const ys = makeScale(domain, [plot.y + plot.height, plot.y], o.y);
  drawYAxis(c, plot, ys, o.y, box.x + 1);
  const base = ys.log ? plot.y + plot.height : ys(Math.max(ys.domain[0], Math.min(0, ys.domain[1])));
  const groupW = catW * 0.72;
  const slotW = groupW / o.series.length;
  withClip(c, plot, () => {
    if (o.connect) {
      o.categories.forEach((_, ci) => {
        const pts = o.series.flatMap((s, si) => {
          const v = s.values[ci];
          return v !== null && v !== undefined && Number.isFinite(v) ? [[plot.x + ci * catW + (catW - groupW) / 2 + slotW * (si + 0.5), ys(v)]] : [];
        });
        if (pts.length < 2) return;
        doc.moveTo(pts[0][0], pts[0][1]);
        for (const [x, y] of pts.slice(1)) doc.lineTo(x, y);
        doc.lineWidth(0.7).strokeColor(AXIS).stroke();
      });
    }
    o.series.forEach((s, si) => {
      const color = s.color ?? PALETTE[si % PALETTE.length];
      s.values.forEach((v, ci) => {
        if (v === null || v === undefined || !Number.isFinite(v)) return;
        const cx = plot.x + ci * catW + (catW - groupW) / 2 + slotW * (si + 0.5);
        const y = ys(v);
        if ((s.style ?? 'bar') === 'bar') {
          const w = Math.min(slotW * 0.8, 40);
          doc.rect(cx - w / 2, Math.min(y, base), w, Math.abs(base - y)).fillColor(color).fillOpacity(0.75).fill().fillOpacity(1);
        } else {
          doc.circle(cx, y, 2.8).fillColor(color).fill();
        }
        const lo = s.low?.[ci];
        const hi = s.high?.[ci];
        if (lo != null && hi != null && Number.isFinite(lo) && Number.isFinite(hi)) {
          errorBar(doc, cx, ys(lo), ys(hi), Math.min(4, slotW * 0.25), s.style === 'point' ? color : INK);
        }
      });
    });
    if (o.reference) {
      const y = ys(o.reference.value);
      doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.8).strokeColor(REFERENCE).dash(3, { space: 2 }).stroke().undash();
    }
  });
  if (o.reference?.label) {
    font(c, 'regular', FONT - 0.5, REFERENCE);
    label(c, o.reference.label, plot.x + plot.width - 2, ys(o.reference.value) - FONT - 1, 'right');
  }
  if (o.valueLabels) {
    font(c, 'regular', FONT - 0.5, INK);
    o.series.forEach((s, si) => s.values.forEach((v, ci) => {
      if (v === null || !Number.isFinite(v)) return;
      const cx = plot.x + ci * catW + (catW - groupW) / 2 + slotW * (si + 0.5);
      const hi = s.high?.[ci];
      const top = Math.min(ys(v), hi != null && Number.isFinite(hi) ? ys(hi) : Infinity);
      if (top - FONT - 2 > plot.y) label(c, o.valueLabels!(v), cx, top - FONT - 1.5, 'center');
    }));
  }
  // missing categories and category labels
  o.categories.forEach((_, ci) => {
    const cx = plot.x + (ci + 0.5) * catW;
    const msg = o.missing?.(ci);
    const hasValue = o.series.some((s) => s.values[ci] !== null && s.values[ci] !== undefined && Number.isFinite(s.values[ci]!));
    if (msg && !hasValue) {
      font(c, 'regular', FONT - 0.5, MUTED);
      const lines = wrapLines(c, msg, catW - 4, 3);
      lines.forEach((l, k) => label(c, l, cx, plot.y + plot.height - (lines.length - k) * (FONT + 1) - 3, 'center'));
    }
    font(c, 'regular', FONT, INK);
    catLines[ci].forEach((l, k) => label(c, l, cx, plot.y + plot.height + 3 + k * (FONT + 1.5), 'center'));
  });
  drawFrame(c, plot);
  return box;
}

// ---------------------------------------------------------------------------------------------
// Forest plot: horizontal intervals per row (e.g. relativities with 95% CIs)
// ---------------------------------------------------------------------------------------------

export interface ForestRow {
  label: string;
  /** Group heading the row belongs to (a heading line is drawn when it changes). */
  group?: string;
  estimate: number | null;
  low?: number | null;
  high?: number | null;
  /** Short text at the right end of the row (e.g. "base" or the formatted value). */
  note?: string;
  /** Drawn as an open marker without interval (e.g. a base level fixed at 1). */
  fixed?: boolean;
}

export interface ForestPlotOptions {
  /** x, y, width; the height follows from the rows (see {@link forestPlotHeight}). */
  box: Omit<Box, 'height'>;
  title?: string;
  rows: ForestRow[];
  x: AxisOptions;
  /** Vertical reference line (e.g. 1 for relativities). */
  reference?: number;
  rowHeight?: number;
  /** Width of the label column (default 30% of the width). */
  labelWidth?: number;
  /** Width of the note column at the right (default 0: none). */
  noteWidth?: number;
  color?: string;
}

const forestLines = (rows: ForestRow[]) => rows.length + rows.filter((r, i) => r.group !== undefined && r.group !== rows[i - 1]?.group).length;

/** Height {@link drawForestPlot} needs for these options. */
export function forestPlotHeight(o: Pick<ForestPlotOptions, 'rows' | 'title' | 'x' | 'rowHeight'>): number {
  return (o.title ? 13 : 0) + 4 + forestLines(o.rows) * (o.rowHeight ?? 11) + 14 + (o.x.label ? 10 : 0);
}

/**
 * Forest plot: one line per row with its point estimate and interval [low, high] on a shared
 * horizontal axis (log for relativities), group headings, a reference line and optional notes.
 * Returns the box drawn into.
 */
export function drawForestPlot(c: ChartCanvas, o: ForestPlotOptions): Box {
  const doc = c.doc;
  const rh = o.rowHeight ?? 11;
  const box: Box = { ...o.box, height: forestPlotHeight(o) };
  const titleH = drawTitle(c, box, o.title);
  const labelW = o.labelWidth ?? box.width * 0.3;
  const noteW = o.noteWidth ?? 0;
  const plot: Box = { x: box.x + labelW, y: box.y + titleH + 4, width: box.width - labelW - noteW - 6, height: forestLines(o.rows) * rh };
  const vals: number[] = [];
  for (const r of o.rows) for (const v of [r.estimate, r.low, r.high]) if (v != null) vals.push(v);
  if (o.reference !== undefined) vals.push(o.reference);
  const domain = dataDomain(vals, o.x, o.x.log ? [0.5, 2] : [0, 1]);
  if (!o.x.log && o.x.min === undefined) domain[0] = Math.min(...vals.filter(Number.isFinite), domain[1]);
  const xs = makeScale(domain, [plot.x, plot.x + plot.width], o.x);
  drawXAxis(c, plot, xs, o.x);
  const color = o.color ?? PALETTE[0];
  let line = 0;
  const rowYs: { row: ForestRow; y: number }[] = [];
  o.rows.forEach((r, i) => {
    if (r.group !== undefined && r.group !== o.rows[i - 1]?.group) {
      const y = plot.y + line * rh;
      if (line > 0) doc.moveTo(box.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.3).strokeColor(GRID).stroke();
      font(c, 'bold', FONT, INK);
      doc.text(txt(c, r.group), box.x, y + (rh - FONT) / 2 - 0.5, { width: labelW - 4, height: rh, ellipsis: true, lineBreak: false });
      line++;
    }
    const y = plot.y + (line + 0.5) * rh;
    rowYs.push({ row: r, y });
    font(c, 'regular', FONT, INK);
    doc.text(txt(c, r.label), box.x + 8, y - FONT / 2 - 0.5, { width: labelW - 12, height: rh, ellipsis: true, lineBreak: false });
    if (r.note && noteW > 0) {
      font(c, 'regular', FONT, r.fixed ? MUTED : INK);
      label(c, r.note, box.x + box.width, y - FONT / 2 - 0.5, 'right');
    }
    line++;
  });
  withClip(c, plot, () => {
    if (o.reference !== undefined) {
      const x = xs(o.reference);
      doc.moveTo(x, plot.y).lineTo(x, plot.y + plot.height).lineWidth(0.8).strokeColor(REFERENCE).dash(3, { space: 2 }).stroke().undash();
    }
    for (const { row: r, y } of rowYs) {
      if (r.estimate === null || !Number.isFinite(r.estimate)) continue;
      if (r.low != null && r.high != null && !r.fixed) errorBar(doc, y, xs(r.low), xs(r.high), 2.5, color, true);
      const x = xs(r.estimate);
      if (r.fixed) doc.circle(x, y, 2.4).lineWidth(0.8).strokeColor(MUTED).stroke();
      else doc.rect(x - 2.4, y - 2.4, 4.8, 4.8).fillColor(color).fill();
    }
  });
  drawFrame(c, plot);
  return box;
}

// ---------------------------------------------------------------------------------------------
// Line chart with optional confidence band
// ---------------------------------------------------------------------------------------------

export interface LinePoint { x: number; y: number | null; low?: number | null; high?: number | null }

export interface LineSeries {
  name: string;
  color?: string;
  points: LinePoint[];
  /** Shade the band between `low` and `high` (default true when the points have them). */
  band?: boolean;
  /** Marker on every point (default true). */
  markers?: boolean;
  dashed?: boolean;
}

export interface LineChartOptions {
  box: Box;
  title?: string;
  series: LineSeries[];
  x: AxisOptions & {
    /** Explicit ticks with labels (e.g. months at x = 0, 1, 2…); otherwise nice numeric ticks. */
    ticks?: { value: number; label: string }[];
  };
  y: AxisOptions;
  reference?: { value: number; label?: string };
  legend?: boolean;
}

/**
 * Line chart: each series a polyline (broken where y is null), an optional shaded band between
 * `low` and `high` (also broken at gaps), markers, explicit or automatic x ticks (labels thinned
 * when they would overlap). Returns the box drawn into.
 */
export function drawLineChart(c: ChartCanvas, o: LineChartOptions): Box {
  const doc = c.doc;
  const { box } = o;
  const titleH = drawTitle(c, box, o.title);
  const legendItems: LegendItem[] = (o.legend ?? true)
    ? o.series.flatMap((s, i) => {
      const color = s.color ?? PALETTE[i % PALETTE.length];
      const items: LegendItem[] = [{ label: s.name, color, kind: s.dashed ? 'dashed' : 'line' }];
      if ((s.band ?? true) && s.points.some((p) => p.low != null && p.high != null)) items.push({ label: `${s.name}: 95% interval`, color, kind: 'box', opacity: 0.16 });
      return items;
    })
    : [];
  const legendH = legendItems.length ? legendHeight(c, legendItems, box.width) + 3 : 0;
  const ysVals: number[] = [];
  const xsVals: number[] = [];
  for (const s of o.series) for (const p of s.points) {
    xsVals.push(p.x);
    for (const v of [p.y, p.low, p.high]) if (v != null) ysVals.push(v);
  }
  if (o.reference) ysVals.push(o.reference.value);
  const yDomain = dataDomain(ysVals, o.y, o.y.log ? [1, 10] : [0, 1]);
  const fmt = o.y.format ?? compactNumber;
  const tickW = tickLabelWidth(c, makeScale(yDomain, [0, 1], o.y).ticks(), fmt);
  const left = tickW + 5 + (o.y.label ? 11 : 0);
  const plot: Box = { x: box.x + left, y: box.y + titleH + legendH + 4, width: box.width - left - 6, height: 0 };
  plot.height = box.y + box.height - plot.y - 13 - (o.x.label ? 10 : 0);
  if (legendItems.length) drawLegend(c, legendItems, plot.x, box.y + titleH + 1, plot.width);
  const ys = makeScale(yDomain, [plot.y + plot.height, plot.y], o.y);
  drawYAxis(c, plot, ys, o.y, box.x + 1);
  let xs: Scale;
  if (o.x.ticks) {
    const lo = Math.min(...xsVals, ...o.x.ticks.map((t) => t.value));
    const hi = Math.max(...xsVals, ...o.x.ticks.map((t) => t.value));
    const pad = (hi - lo || 1) * 0.04;
    xs = linearScale([lo - pad, hi + pad], [plot.x, plot.x + plot.width], { nice: false });
    font(c, 'regular', FONT, MUTED);
    let lastRight = -Infinity;
    for (const t of o.x.ticks) {
      const x = xs(t.value);
      doc.moveTo(x, plot.y).lineTo(x, plot.y + plot.height).lineWidth(0.4).strokeColor(GRID).stroke();
      doc.moveTo(x, plot.y + plot.height).lineTo(x, plot.y + plot.height + 2.5).lineWidth(0.5).strokeColor(AXIS).stroke();
      font(c, 'regular', FONT, MUTED);
      const w = doc.widthOfString(txt(c, t.label));
      if (x - w / 2 > lastRight + 4) {
        label(c, t.label, x, plot.y + plot.height + 3.5, 'center');
        lastRight = x + w / 2;
      }
    }
    if (o.x.label) {
      font(c, 'regular', FONT, INK);
      label(c, o.x.label, plot.x + plot.width / 2, plot.y + plot.height + 13, 'center');
    }
  } else {
    xs = makeScale(dataDomain(xsVals, { ...o.x, min: o.x.min ?? Math.min(...xsVals) }, [0, 1]), [plot.x, plot.x + plot.width], o.x);
    drawXAxis(c, plot, xs, o.x);
  }
  withClip(c, plot, () => {
    o.series.forEach((s, si) => {
      const color = s.color ?? PALETTE[si % PALETTE.length];
      // band: one polygon per run of consecutive points with both bounds
      if (s.band ?? true) {
        let run: LinePoint[] = [];
        const flush = () => {
          if (run.length >= 1) {
            const pts: number[][] = [...run.map((p) => [xs(p.x), ys(p.high!)]), ...run.slice().reverse().map((p) => [xs(p.x), ys(p.low!)])];
            if (run.length === 1) { const [x] = pts[0]; pts.splice(0, pts.length, [x - 2, ys(run[0].high!)], [x + 2, ys(run[0].high!)], [x + 2, ys(run[0].low!)], [x - 2, ys(run[0].low!)]); }
            doc.polygon(...pts).fillColor(color).fillOpacity(0.16).fill().fillOpacity(1);
          }
          run = [];
        };
        for (const p of s.points) { if (p.low != null && p.high != null && p.y != null) run.push(p); else flush(); }
        flush();
      }
      let open = false;
      for (const p of s.points) {
        if (p.y == null || !Number.isFinite(p.y)) { open = false; continue; }
        if (!open) doc.moveTo(xs(p.x), ys(p.y)); else doc.lineTo(xs(p.x), ys(p.y));
        open = true;
      }
      doc.lineWidth(1.3).strokeColor(color);
      if (s.dashed) doc.dash(3, { space: 2 });
      doc.stroke();
      if (s.dashed) doc.undash();
      if (s.markers ?? true) for (const p of s.points) if (p.y != null && Number.isFinite(p.y)) doc.circle(xs(p.x), ys(p.y), 1.8).fillColor(color).fill();
    });
    if (o.reference) {
      const y = ys(o.reference.value);
      doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.8).strokeColor(REFERENCE).dash(3, { space: 2 }).stroke().undash();
    }
  });
  if (o.reference?.label) {
    font(c, 'regular', FONT - 0.5, REFERENCE);
    label(c, o.reference.label, plot.x + plot.width - 2, ys(o.reference.value) - FONT - 1, 'right');
  }
  drawFrame(c, plot);
  return box;
}

// ---------------------------------------------------------------------------------------------
// Empirical vs fitted CDF, QQ plot
// ---------------------------------------------------------------------------------------------

export interface CdfCurve { name: string; cdf: (x: number) => number; color?: string; dashed?: boolean }

export interface CdfPlotOptions {
  box: Box;
  title?: string;
  /** The observations (any order; non-finite values are ignored). */
  sample: ArrayLike<number>;
  /** Fitted distribution functions drawn as smooth curves. */
  curves: CdfCurve[];
  x: AxisOptions;
  sampleLabel?: string;
}

/**
 * Empirical distribution function Fₙ(x) = #{xᵢ ≤ x}/n as a right-continuous step line, with
 * fitted CDFs evaluated on 240 points (log-spaced on a log axis) over the axis range.
 * Throws `RangeError` for a sample without finite values (positive ones on a log axis).
 */
export function drawCdfPlot(c: ChartCanvas, o: CdfPlotOptions): Box {
  const doc = c.doc;
  const { box } = o;
  const xsData = Float64Array.from(Array.from(o.sample).filter((v) => Number.isFinite(v) && (!o.x.log || v > 0))).sort();
  if (xsData.length === 0) throw new RangeError('drawCdfPlot: the sample has no plottable values');
  const titleH = drawTitle(c, box, o.title);
  const items: LegendItem[] = [{ label: o.sampleLabel ?? `Empirical (n = ${xsData.length})`, color: INK, kind: 'line' },
    ...o.curves.map((cv, i) => ({ label: cv.name, color: cv.color ?? PALETTE[i % PALETTE.length], kind: (cv.dashed ? 'dashed' : 'line') as LegendItem['kind'] }))];
  const legendH = legendHeight(c, items, box.width) + 3;
  const yAxis: AxisOptions = { label: 'Cumulative probability', min: 0, max: 1, format: (v) => String(v) };
  const tickW = tickLabelWidth(c, niceTicks(0, 1, 5), yAxis.format!);
  const left = tickW + 16;
  const plot: Box = { x: box.x + left, y: box.y + titleH + legendH + 4, width: box.width - left - 6, height: 0 };
  plot.height = box.y + box.height - plot.y - 13 - (o.x.label ? 10 : 0);
  drawLegend(c, items, plot.x, box.y + titleH + 1, plot.width);
  const xDomain = dataDomain([xsData[0], xsData[xsData.length - 1]], o.x, [1, 10]);
  const xs = makeScale(xDomain, [plot.x, plot.x + plot.width], o.x);
  const ys = linearScale([0, 1], [plot.y + plot.height, plot.y], { nice: false });
  drawYAxis(c, plot, ys, yAxis, box.x + 1);
  drawXAxis(c, plot, xs, o.x);
  const n = xsData.length;
  withClip(c, plot, () => {
    // step function: flat at (i)/n from x_(i) to x_(i+1)
    doc.moveTo(plot.x, ys(0)).lineTo(xs(xsData[0]), ys(0));
    for (let i = 0; i < n; i++) {
      const x = xs(xsData[i]);
      let j = i;
      while (j + 1 < n && xsData[j + 1] === xsData[i]) j++;
      doc.lineTo(x, ys(i / n)).lineTo(x, ys((j + 1) / n));
      const next = j + 1 < n ? xs(xsData[j + 1]) : plot.x + plot.width;
      doc.lineTo(next, ys((j + 1) / n));
      i = j;
    }
    doc.lineWidth(0.9).strokeColor(INK).stroke();
    const [d0, d1] = xs.domain;
    o.curves.forEach((cv, ci) => {
      const color = cv.color ?? PALETTE[ci % PALETTE.length];
      const m = 240;
      let started = false;
      for (let k = 0; k <= m; k++) {
        const x = xs.log ? d0 * (d1 / d0) ** (k / m) : d0 + (d1 - d0) * (k / m);
        const p = cv.cdf(x);
        if (!Number.isFinite(p)) { started = false; continue; }
        if (!started) doc.moveTo(xs(x), ys(p)); else doc.lineTo(xs(x), ys(p));
        started = true;
      }
      doc.lineWidth(1.3).strokeColor(color);
      if (cv.dashed) doc.dash(3, { space: 2 });
      doc.stroke();
      if (cv.dashed) doc.undash();
    });
  });
  drawFrame(c, plot);
  return box;
}

/**
 * Plotting positions of R's `ppoints(n)`: pᵢ = (i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10, else 1/2
 * (Blom 1958; R documentation of `ppoints`, used by `qqnorm`). Throws `RangeError` for n < 1.
 */
export function ppoints(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ppoints: n must be a positive integer, got ${n}`);
  const a = n <= 10 ? 3 / 8 : 0.5;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (i + 1 - a) / (n + 1 - 2 * a);
  return out;
}

/**
 * QQ pairs of a sample against a fitted quantile function: the i-th order statistic x₍ᵢ₎
 * (empirical) against Q(pᵢ) with pᵢ from {@link ppoints} (theoretical), as R's `qqplot(qdist(ppoints(n)), x)`.
 * Non-finite sample values are dropped. Throws `RangeError` for an empty sample.
 */
export function qqPoints(sample: ArrayLike<number>, quantile: (p: number) => number): { theoretical: number; empirical: number }[] {
  const xs = Float64Array.from(Array.from(sample).filter(Number.isFinite)).sort();
  if (xs.length === 0) throw new RangeError('qqPoints: empty sample');
  const p = ppoints(xs.length);
  return Array.from(xs, (x, i) => ({ theoretical: quantile(p[i]), empirical: x }));
}

export interface QqPlotOptions {
  box: Box;
  title?: string;
  points: { theoretical: number; empirical: number }[];
  /** Log-log axes (points with a non-positive coordinate are skipped). */
  log?: boolean;
  xLabel?: string;
  yLabel?: string;
  color?: string;
  format?: (v: number) => string;
}

/**
 * QQ plot: empirical quantiles (y) against fitted quantiles (x) on equal axes (the same range on
 * both, so the 45° line y = x is the diagonal), optionally log-log. Returns the box drawn into.
 */
export function drawQqPlot(c: ChartCanvas, o: QqPlotOptions): Box {
  const doc = c.doc;
  const { box } = o;
  const pts = o.points.filter((p) => Number.isFinite(p.theoretical) && Number.isFinite(p.empirical) && (!o.log || (p.theoretical > 0 && p.empirical > 0)));
  const titleH = drawTitle(c, box, o.title);
  const items: LegendItem[] = [{ label: 'Order statistics', color: o.color ?? PALETTE[0], kind: 'point' }, { label: 'y = x (perfect fit)', color: REFERENCE, kind: 'dashed' }];
  const legendH = legendHeight(c, items, box.width) + 3;
  const vals = pts.flatMap((p) => [p.theoretical, p.empirical]);
  const axis: AxisOptions = { log: o.log, format: o.format };
  const domain = dataDomain(vals, o.log ? axis : { ...axis, min: Math.min(0, ...vals) }, o.log ? [1, 10] : [0, 1]);
  const fmt = o.format ?? compactNumber;
  const tickW = tickLabelWidth(c, makeScale(domain, [0, 1], axis).ticks(), fmt);
  const left = tickW + 16;
  const plot: Box = { x: box.x + left, y: box.y + titleH + legendH + 4, width: box.width - left - 6, height: 0 };
  plot.height = box.y + box.height - plot.y - 23;
  drawLegend(c, items, plot.x, box.y + titleH + 1, plot.width);
  const xs = makeScale(domain, [plot.x, plot.x + plot.width], axis);
  const ys = makeScale(domain, [plot.y + plot.height, plot.y], axis);
  drawYAxis(c, plot, ys, { ...axis, label: o.yLabel ?? 'Empirical quantile' }, box.x + 1);
  drawXAxis(c, plot, xs, { ...axis, label: o.xLabel ?? 'Fitted quantile' });
  const color = o.color ?? PALETTE[0];
  withClip(c, plot, () => {
    const [d0, d1] = xs.domain;
    doc.moveTo(xs(d0), ys(d0)).lineTo(xs(d1), ys(d1)).lineWidth(0.9).strokeColor(REFERENCE).dash(3, { space: 2 }).stroke().undash();
    for (const p of pts) doc.circle(xs(p.theoretical), ys(p.empirical), 1.3).fillColor(color).fillOpacity(0.7).fill();
    doc.fillOpacity(1);
  });
  drawFrame(c, plot);
  return box;
}
