/**
 * Shared building blocks of the PDF reports (docs/architecture.md §8): a pdfkit document with an
 * embedded CJK-capable font (falling back to Helvetica), deterministic bytes for a fixed creation
 * date, number / money / date formatting, headings, label–value blocks, tables whose header repeats
 * on every page (rows are never split across pages) and a "page x / y" footer on every page.
 *
 * Pure rendering: no database, no HTTP. Used by reports/quote-pdf.ts and meant for the model and
 * regulator reports as well.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';

export type Pdf = PDFKit.PDFDocument;

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

const groupDigits = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * `x` with `decimals` places and comma thousands separators: `formatNumber(-1234567.891, 2)` →
 * `-1,234,567.89`. Rounding is that of `Number.prototype.toFixed` on the exact binary value (so a
 * figure already rounded to cents prints unchanged); a value that rounds to zero prints without a
 * sign. Throws `RangeError` for a non-finite `x`, |x| ≥ 1e21 or `decimals` outside 0…20.
 */
export function formatNumber(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) throw new RangeError(`formatNumber: not a finite number: ${x}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError(`formatNumber: decimals must be an integer in 0…20, got ${decimals}`);
  if (Math.abs(x) >= 1e21) throw new RangeError(`formatNumber: ${x} is too large to format`);
  const fixed = Math.abs(x).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const zero = /^[0.]*$/.test(fixed);
  return `${x < 0 && !zero ? '-' : ''}${groupDigits(int)}${frac ? `.${frac}` : ''}`;
}

/**
 * A money amount as ISO 4217 code, space, signed grouped number (MRC drafting rule: codes, no
 * symbols): `formatMoney(1234567.891)` → `CNY 1,234,567.89`, `formatMoney(-50, 'USD')` →
 * `USD -50.00`. Throws like {@link formatNumber}.
 */
export function formatMoney(amount: number, currency = 'CNY', decimals = 2): string {
  return `${currency} ${formatNumber(amount, decimals)}`;
}

/**
 * A CNY amount exactly as `CNY 1,234,567.89` (2 decimals by default; 4 for a rate per operating
 * hour). Negative amounts carry a minus after the code (`CNY -1,234.50`), an amount that rounds to
 * zero prints as `CNY 0.00`. Throws `RangeError` for a non-finite amount.
 */
export const formatCny = (amount: number, decimals = 2): string => formatMoney(amount, 'CNY', decimals);

/** A ratio as a percentage: `formatPercent(0.125)` → `12.5%` (at most `decimals` places, trailing zeros dropped). */
export function formatPercent(ratio: number, decimals = 2): string {
  const s = formatNumber(ratio * 100, decimals);
  return `${s.includes('.') ? s.replace(/\.?0+$/, '') : s}%`;
}

const toDate = (d: Date | string): Date => (d instanceof Date ? d : new Date(d));

/**
 * A calendar date `YYYY-MM-DD` (UTC). An ISO date string `YYYY-MM-DD` is returned as is; `null` /
 * `undefined` give `fallback`. Throws `RangeError` for an unparseable date.
 */
export function formatDate(d: Date | string | null | undefined, fallback = '—'): string {
  if (d == null || d === '') return fallback;
  if (typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) return d;
  const t = toDate(d);
  if (Number.isNaN(t.getTime())) throw new RangeError(`formatDate: invalid date ${String(d)}`);
  return t.toISOString().slice(0, 10);
}

/** A timestamp `YYYY-MM-DD HH:MM UTC`; `null` / `undefined` give `fallback`. Throws `RangeError` for an invalid date. */
export function formatDateTime(d: Date | string | null | undefined, fallback = '—'): string {
  if (d == null || d === '') return fallback;
  const t = toDate(d);
  if (Number.isNaN(t.getTime())) throw new RangeError(`formatDateTime: invalid date ${String(d)}`);
  const iso = t.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Sorted positive integers as ranges: `[1,2,3,7,9,10]` → `1–3, 7, 9–10`. */
export function formatRanges(values: Iterable<number>): string {
  const xs = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    parts.push(j > i ? `${xs[i]}–${xs[j]}` : `${xs[i]}`);
    i = j;
  }
  return parts.join(', ');
}

/** `snake_case` code as words: `third_party_liability` → `Third party liability`. */
export const humanize = (code: string): string => {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

// ---------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------

/** Files of the default CJK font: Noto Sans Hans (SIL OFL 1.1) from the npm package `@embedpdf/fonts-sc`. */
export function defaultCjkFontFiles(): { regular: string; bold: string } {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  const dir = path.join(path.dirname(entry), '..', 'fonts');
  return { regular: path.join(dir, 'NotoSansHans-Regular.otf'), bold: path.join(dir, 'NotoSansHans-Bold.otf') };
}

type LoadedFonts = { ok: true; regular: fontkit.Font; bold: fontkit.Font } | { ok: false; error: string };
const fontCache = new Map<string, Promise<LoadedFonts>>();

async function parseFont(file: string): Promise<fontkit.Font> {
  const f = fontkit.create(await readFile(file)) as fontkit.Font & { fonts?: unknown };
  if (f.fonts) throw new Error(`${file} is a font collection, not a single font`);
  if (typeof f.hasGlyphForCodePoint !== 'function' || !f.hasGlyphForCodePoint(0x4e2d)) throw new Error(`${path.basename(file)} has no CJK glyphs`);
  return f;
}

/**
 * Loads (once per process; parsed fonts are shared by every document, each document embeds its
 * own subset) the regular and bold CJK fonts. Never throws: a failure is returned as `{ ok: false }`.
 */
function loadFonts(files: { regular: string; bold: string }): Promise<LoadedFonts> {
  const key = `${files.regular}\n${files.bold}`;
  let p = fontCache.get(key);
  if (!p) {
    p = Promise.all([parseFont(files.regular), parseFont(files.bold)]).then(
      ([regular, bold]): LoadedFonts => ({ ok: true, regular, bold }),
      // the reason is printed on documents: an error code, never a file path
      (e: unknown): LoadedFonts => ({ ok: false, error: (e as { code?: string })?.code ?? 'not a usable CJK font' }),
    );
    fontCache.set(key, p);
  }
  return p;
}

/** Characters the standard (WinAnsi) PDF fonts can show, used in fallback mode. */
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const winAnsiSafe = (s: string) => s.replace(/[^\n\x20-\x7e\xa0-\xff]/gu, (c) => (WIN_ANSI_EXTRA.includes(c) ? c : '?'));

// ---------------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------------

/**
 * Text shaping (fontkit GSUB/GPOS per word) is most of the cost of a small document; pdfkit caches
 * it per document only. The shaped runs depend on the font and the word alone and pdfkit does not
 * modify them, so one cache per parsed font is shared by the documents (renewed every 200 documents
 * to bound its size). Output bytes are unaffected. Skipped if pdfkit's internals differ.
 */
const layoutCaches = new WeakMap<fontkit.Font, { cache: Record<string, unknown>; uses: number }>();
function shareLayoutCache(doc: Pdf, name: string, font: fontkit.Font): void {
  doc.font(name);
  const embedded = (doc as unknown as { _font?: { layoutCache?: unknown } })._font;
  if (!embedded || typeof embedded.layoutCache !== 'object' || embedded.layoutCache === null) return;
  let entry = layoutCaches.get(font);
  if (!entry || entry.uses >= 200) {
    entry = { cache: Object.create(null) as Record<string, unknown>, uses: 0 };
    layoutCaches.set(font, entry);
  }
  entry.uses++;
  embedded.layoutCache = entry.cache;
}

export interface ReportOptions {
  /** Document title (PDF info) — also printed by the caller as it wishes. */
  title: string;
  subject?: string;
  author?: string;
  keywords?: string;
  /** Fixes CreationDate / ModDate (and so the document ID): equal inputs give equal bytes. Default: now. */
  creationDate?: Date;
  /** Page size (pdfkit name or [w, h] in points); default A4. */
  size?: string | [number, number];
  layout?: 'portrait' | 'landscape';
  /** Page margins in points; default 42 left/right, 48 top, 54 bottom (the footer sits in the bottom margin). */
  margins?: { top: number; bottom: number; left: number; right: number };
  /**
   * CJK font files (regular, bold); default {@link defaultCjkFontFiles}. `false` forces the
   * Helvetica fallback (non-Latin-1 characters then print as `?`).
   */
  fonts?: { regular: string; bold: string } | false;
  /** Base font size (points); default 9. */
  fontSize?: number;
}

export interface FooterOptions {
  /** Left text of every page footer (e.g. the document reference). */
  left?: string;
  /** Centre text of every page footer. */
  center?: string;
  /** Right text: `(page, pages) => string`; default `Page x / y`. */
  right?: (page: number, pages: number) => string;
}

/** Colours and sizes shared by the reports. */
export const THEME = {
  text: '#1f2933',
  muted: '#616e7c',
  accent: '#1d3b5c',
  rule: '#c5ccd3',
  headerFill: '#1d3b5c',
  headerText: '#ffffff',
  zebra: '#f2f4f7',
  totalFill: '#e3e8ee',
  notice: '#8a5a00',
  noticeFill: '#fff6e0',
} as const;

/** A pdfkit document with its fonts and page geometry. */
export class Report {
  readonly doc: Pdf;
  /** Registered font names: `regular` and `bold` (CJK font, or Helvetica in fallback mode). */
  readonly fonts: { regular: string; bold: string };
  /** True when the CJK font is embedded. */
  readonly cjk: boolean;
  /** Why the CJK font is not used (fallback mode), else null. Callers print it visibly. */
  readonly fontNote: string | null;
  readonly baseSize: number;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;

  constructor(doc: Pdf, fonts: { regular: string; bold: string }, cjk: boolean, fontNote: string | null, baseSize: number) {
    this.doc = doc;
    this.fonts = fonts;
    this.cjk = cjk;
    this.fontNote = fontNote;
    this.baseSize = baseSize;
    this.done = new Promise((resolve, reject) => {
      doc.on('data', (c: Buffer) => this.chunks.push(c));
      doc.on('end', () => resolve());
      doc.on('error', reject);
    });
  }

  get left(): number { return this.doc.page.margins.left; }
  get right(): number { return this.doc.page.width - this.doc.page.margins.right; }
  get width(): number { return this.right - this.left; }
  /** Lowest y of the content area. */
  get bottom(): number { return this.doc.page.height - this.doc.page.margins.bottom; }
  get top(): number { return this.doc.page.margins.top; }

  /** Text the current fonts can show (fallback mode: characters outside WinAnsi become `?`). */
  t(s: string): string { return this.cjk ? s : winAnsiSafe(s); }

  /** Sets font (`regular` / `bold`), size and colour. */
  use(weight: 'regular' | 'bold' = 'regular', size = this.baseSize, color: string = THEME.text): Pdf {
    return this.doc.font(this.fonts[weight]).fontSize(size).fillColor(color);
  }

  /**
   * One line of text at (x, y) in the current font, aligned within `width` (no wrapping; text
   * wider than `width` is cut with an ellipsis). Bypasses pdfkit's line wrapper (fast path).
   */
  textLine(s: string, x: number, y: number, width?: number, align: 'left' | 'right' | 'center' = 'left'): void {
    const doc = this.doc;
    if (!s) return;
    const tw = doc.widthOfString(s);
    if (width != null && tw > width + 0.01) {
      doc.text(s, x, y, { width, align, height: doc.currentLineHeight(true), ellipsis: true });
      return;
    }
    const dx = width == null || align === 'left' ? 0 : align === 'right' ? width - tw : (width - tw) / 2;
    doc.text(s, x + dx, y, { lineBreak: false });
  }

  /** Starts a new page when fewer than `height` points remain on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.addPage();
  }

  addPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  /** Moves down `points`. */
  gap(points: number): void { this.doc.y += points; this.doc.x = this.left; }

  /** A section heading with a rule under it (kept with the next `keepWith` points of content). */
  heading(text: string, opts: { size?: number; keepWith?: number } = {}): void {
    const size = opts.size ?? this.baseSize + 3;
    if (this.doc.y > this.top + 1) this.doc.y += 6;
    this.ensureSpace(size * 1.4 + 8 + (opts.keepWith ?? 40));
    this.use('bold', size, THEME.accent);
    const y = this.doc.y;
    this.textLine(this.t(text), this.left, y, this.width);
    const ruleY = y + size * 1.25;
    this.doc.moveTo(this.left, ruleY).lineTo(this.right, ruleY).lineWidth(0.6).strokeColor(THEME.accent).stroke();
    this.doc.x = this.left;
    this.doc.y = ruleY + 5;
  }

  /** A wrapped paragraph across the content width. */
  paragraph(text: string, opts: { size?: number; color?: string; bold?: boolean; indent?: number; gapAfter?: number } = {}): void {
    const size = opts.size ?? this.baseSize;
    this.use(opts.bold ? 'bold' : 'regular', size, opts.color ?? THEME.text);
    const indent = opts.indent ?? 0;
    const s = this.t(text);
    const h = this.doc.heightOfString(s, { width: this.width - indent });
    this.ensureSpace(Math.min(h, this.bottom - this.top));
    this.doc.text(s, this.left + indent, this.doc.y, { width: this.width - indent });
    this.doc.x = this.left;
    this.gap(opts.gapAfter ?? 3);
  }

  /** A numbered (or bulleted, `numbered: false`) list with hanging indent. */
  list(items: string[], opts: { numbered?: boolean; size?: number } = {}): void {
    const size = opts.size ?? this.baseSize;
    items.forEach((item, i) => {
      this.use('regular', size);
      const marker = opts.numbered === false ? '•' : `${i + 1}.`;
      const s = this.t(item);
      const h = this.doc.heightOfString(s, { width: this.width - 18 });
      this.ensureSpace(h + 2);
      const y = this.doc.y;
      this.textLine(this.t(marker), this.left, y, 16);
      this.doc.text(s, this.left + 18, y, { width: this.width - 18 });
      this.doc.x = this.left;
      this.gap(2);
    });
  }

  /**
   * Label–value pairs in `columns` columns (labels muted, values regular), rows kept whole.
   * Values may wrap within their column.
   */
  keyValues(pairs: [string, string][], opts: { columns?: number; labelWidth?: number; size?: number; x?: number; width?: number } = {}): void {
    const columns = opts.columns ?? 2;
    const size = opts.size ?? this.baseSize;
    const x0 = opts.x ?? this.left;
    const totalWidth = opts.width ?? this.width;
    const colWidth = totalWidth / columns;
    const labelWidth = opts.labelWidth ?? Math.min(110, colWidth * 0.42);
    const valueWidth = colWidth - labelWidth - 8;
    for (let i = 0; i < pairs.length; i += columns) {
      const row = pairs.slice(i, i + columns);
      this.use('regular', size);
      const heights = row.map(([label, value]) => Math.max(
        this.doc.font(this.fonts.regular).heightOfString(this.t(label), { width: labelWidth }),
        this.doc.font(this.fonts.bold).heightOfString(this.t(value), { width: valueWidth }),
      ));
      const h = Math.max(...heights);
      this.ensureSpace(h + 3);
      const y = this.doc.y;
      row.forEach(([label, value], j) => {
        const x = x0 + j * colWidth;
        this.use('regular', size, THEME.muted).text(this.t(label), x, y, { width: labelWidth });
        this.use('bold', size, THEME.text).text(this.t(value), x + labelWidth + 4, y, { width: valueWidth });
      });
      this.doc.x = this.left;
      this.doc.y = y + h + 3;
    }
  }

  /** A shaded notice box (warnings, referral reasons, fallback notes). */
  notice(title: string, lines: string[], opts: { color?: string; fill?: string; size?: number } = {}): void {
    const size = opts.size ?? this.baseSize;
    const pad = 6;
    const w = this.width - 2 * pad;
    const body = lines.map((l) => this.t(l));
    this.use('bold', size);
    const titleH = this.doc.heightOfString(this.t(title), { width: w });
    this.use('regular', size);
    const bodyH = body.reduce((s, l) => s + this.doc.heightOfString(l, { width: w }) + 2, 0);
    const h = titleH + bodyH + 2 * pad + 2;
    this.ensureSpace(Math.min(h, this.bottom - this.top));
    const y = this.doc.y;
    this.doc.save().rect(this.left, y, this.width, h).fill(opts.fill ?? THEME.noticeFill).restore();
    this.doc.save().rect(this.left, y, 2.5, h).fill(opts.color ?? THEME.notice).restore();
    this.use('bold', size, opts.color ?? THEME.notice).text(this.t(title), this.left + pad, y + pad, { width: w });
    let yy = y + pad + titleH + 2;
    for (const l of body) {
      this.use('regular', size, THEME.text).text(l, this.left + pad, yy, { width: w });
      yy += this.doc.heightOfString(l, { width: w }) + 2;
    }
    this.doc.x = this.left;
    this.doc.y = y + h + 6;
  }

  /** See {@link drawTable}. */
  table(spec: TableSpec): void { drawTable(this, spec); }

  /**
   * Writes the footer on every page (`left`, `center`, and `Page x / y` on the right, in the
   * bottom margin), ends the document and resolves with its bytes.
   */
  async finish(footer: FooterOptions = {}): Promise<Buffer> {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const pages = range.count;
    for (let i = 0; i < pages; i++) {
      doc.switchToPage(range.start + i);
      const page = doc.page;
      const savedBottom = page.margins.bottom;
      page.margins.bottom = 0; // writing inside the bottom margin must not open a new page
      const y = page.height - savedBottom + 16;
      const left = page.margins.left;
      const width = page.width - page.margins.left - page.margins.right;
      doc.moveTo(left, y - 5).lineTo(left + width, y - 5).lineWidth(0.4).strokeColor(THEME.rule).stroke();
      this.use('regular', 7, THEME.muted);
      if (footer.left) this.textLine(this.t(footer.left), left, y, width * 0.3);
      if (footer.center) this.textLine(this.t(footer.center), left + width * 0.3, y, width * 0.5, 'center');
      const right = footer.right ? footer.right(i + 1, pages) : `Page ${i + 1} / ${pages}`;
      this.textLine(this.t(right), left + width * 0.8, y, width * 0.2, 'right');
      page.margins.bottom = savedBottom;
    }
    doc.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}

/**
 * Opens an A4 report. With `creationDate`, the output bytes are a function of the content only:
 * pdfkit derives the file `/ID` from the info dictionary (MD5 of its fields, incl. CreationDate),
 * we pin `CreationDate`, `ModDate`, `Producer` and `Creator`, font subset tags derive from the
 * font's registration order, and zlib compression is deterministic.
 * Never throws for a missing font: falls back to Helvetica and sets {@link Report.fontNote}.
 */
export async function createReport(opts: ReportOptions): Promise<Report> {
  const date = opts.creationDate ?? new Date();
  if (Number.isNaN(date.getTime())) throw new RangeError('createReport: creationDate is an invalid date');
  const doc = new PDFDocument({
    size: opts.size ?? 'A4',
    layout: opts.layout ?? 'portrait',
    margins: opts.margins ?? { top: 48, bottom: 54, left: 42, right: 42 },
    bufferPages: true,
    autoFirstPage: true,
    // no default font: pdfkit would parse Helvetica's AFM for every document
    font: null as unknown as string,
    compress: true,
    info: {
      Title: opts.title,
      ...(opts.subject ? { Subject: opts.subject } : {}),
      Author: opts.author ?? 'roborisk',
      ...(opts.keywords ? { Keywords: opts.keywords } : {}),
      Creator: 'roborisk reports',
      Producer: 'roborisk (pdfkit)',
      CreationDate: date,
      ModDate: date,
    },
  });
  let fonts = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  let cjk = false;
  let note: string | null = null;
  if (opts.fonts === false) {
    note = 'CJK font disabled: characters outside Latin-1 are shown as "?".';
  } else {
    let loaded: LoadedFonts;
    try {
      loaded = await loadFonts(opts.fonts ?? defaultCjkFontFiles());
    } catch (e) {
      loaded = { ok: false, error: (e as { code?: string })?.code ?? 'font package not found' };
    }
    if (loaded.ok) {
      // pdfkit accepts a parsed fontkit font (anything with `layout`); its types only list files and buffers
      doc.registerFont('cjk-regular', loaded.regular as unknown as Buffer);
      doc.registerFont('cjk-bold', loaded.bold as unknown as Buffer);
      fonts = { regular: 'cjk-regular', bold: 'cjk-bold' };
      cjk = true;
      shareLayoutCache(doc, 'cjk-regular', loaded.regular);
      shareLayoutCache(doc, 'cjk-bold', loaded.bold);
    } else {
      note = `CJK font unavailable (${loaded.error}): characters outside Latin-1 are shown as "?".`;
    }
  }
  const report = new Report(doc, fonts, cjk, note, opts.fontSize ?? 9);
  report.use('regular');
  return report;
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

export interface TableColumn {
  header: string;
  /** Relative width (columns share the table width in proportion). */
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** A row: its cell texts (may contain `\n`), optionally bold / shaded (totals). */
export type TableRow = string[] | { cells: string[]; bold?: boolean; fill?: string; color?: string };

export interface TableSpec {
  columns: TableColumn[];
  rows: TableRow[];
  /** Title above the table; repeated as "… (continued)" above the header on later pages. */
  caption?: string;
  /** Title above the header on later pages only (when the table follows its own heading); ignored with `caption`. */
  continuation?: string;
  fontSize?: number;
  /** Cell padding in points (default 3). */
  padding?: number;
  /** Alternate row shading (default true). */
  zebra?: boolean;
  /** Left edge and width; default the content area. */
  x?: number;
  width?: number;
  /** Text printed in place of the rows when there are none. */
  empty?: string;
}

interface Geometry { xs: number[]; widths: number[]; x: number; width: number; pad: number; size: number }

/**
 * Inserts line breaks into tokens wider than `width` after `_`, `.`, `-` or `/` (so codes such as
 * `warehousing_logistics.palletizing` break at their separators rather than mid-word).
 */
export function breakLongTokens(doc: Pdf, text: string, width: number): string {
  return text.split('\n').map((line) => line.split(' ').map((token) => {
    if (doc.widthOfString(token) <= width) return token;
    const parts = token.split(/(?<=[_./-])/);
    if (parts.length < 2) return token;
    const out: string[] = [];
    let cur = '';
    for (const p of parts) {
      if (cur && doc.widthOfString(cur + p) > width) { out.push(cur); cur = p; } else cur += p;
    }
    if (cur) out.push(cur);
    return out.join('\n');
  }).join(' ')).join('\n');
}

/** A cell prepared for drawing: its text, and its width when it fits on one line (else null). */
interface Cell { text: string; single: number | null }

/** Measures a row once: texts (long tokens broken at separators), one-line widths and the row height. */
function prepareRow(r: Report, texts: string[], g: Geometry, bold: boolean): { cells: Cell[]; height: number } {
  const doc = r.doc;
  doc.font(bold ? r.fonts.bold : r.fonts.regular).fontSize(g.size);
  const line = doc.currentLineHeight(true);
  let h = line;
  const cells = texts.map((raw, i): Cell => {
    const s = r.t(raw ?? '');
    if (!s) return { text: s, single: 0 };
    const w = g.widths[i] - 2 * g.pad;
    if (!s.includes('\n')) {
      const tw = doc.widthOfString(s);
      if (tw <= w) return { text: s, single: tw };
    }
    const text = breakLongTokens(doc, s, w);
    h = Math.max(h, doc.heightOfString(text, { width: w }));
    return { text, single: null };
  });
  return { cells, height: h + 2 * g.pad };
}

function drawCells(r: Report, cells: Cell[], columns: TableColumn[], g: Geometry, y: number, h: number, bold: boolean, color: string): void {
  const doc = r.doc;
  r.use(bold ? 'bold' : 'regular', g.size, color);
  const maxText = h - 2 * g.pad + 0.5;
  for (let i = 0; i < cells.length; i++) {
    const { text, single } = cells[i];
    if (!text) continue;
    const w = g.widths[i] - 2 * g.pad;
    const align = columns[i].align ?? 'left';
    if (single !== null) {
      const dx = align === 'right' ? w - single : align === 'center' ? (w - single) / 2 : 0;
      doc.text(text, g.xs[i] + g.pad + dx, y + g.pad, { lineBreak: false });
    } else {
      doc.text(text, g.xs[i] + g.pad, y + g.pad, { width: w, align, height: maxText, ellipsis: true });
    }
  }
}

/**
 * Draws a table from `doc.y` down. Each row is measured first and moved whole to a new page when
 * it does not fit (rows are never split; a row taller than a page is clipped with an ellipsis);
 * the caption ("… (continued)") and the column header are drawn again at the top of every page
 * the table runs onto. A header is never left alone at the bottom of a page. Words wider than
 * their column break after `_ . - /` (see {@link breakLongTokens}).
 */
export function drawTable(r: Report, spec: TableSpec): void {
  const doc = r.doc;
  const size = spec.fontSize ?? r.baseSize - 1;
  const pad = spec.padding ?? 3;
  const x = spec.x ?? r.left;
  const width = spec.width ?? r.width;
  const totalWeight = spec.columns.reduce((s, c) => s + c.width, 0);
  if (!(totalWeight > 0) || spec.columns.some((c) => !(c.width > 0))) throw new RangeError('drawTable: column widths must be positive');
  const widths = spec.columns.map((c) => (c.width / totalWeight) * width);
  const xs: number[] = [];
  widths.reduce((acc, w) => { xs.push(acc); return acc + w; }, x);
  const g: Geometry = { xs, widths, x, width, pad, size };
  const header = prepareRow(r, spec.columns.map((c) => c.header), g, true);
  const captionSize = size + 1;
  const captionH = spec.caption ? captionSize * 1.5 : 0;
  const contH = !spec.caption && spec.continuation ? captionSize * 1.5 : 0;
  const pageRoom = r.bottom - r.top - header.height - Math.max(captionH, contH);

  const drawHeader = (continued: boolean) => {
    const caption = spec.caption ? (continued ? `${spec.caption} (continued)` : spec.caption) : continued ? spec.continuation : undefined;
    if (caption) {
      r.use('bold', captionSize, THEME.accent);
      r.textLine(r.t(caption), x, doc.y, width);
      doc.y += captionSize * 1.5;
    }
    const y = doc.y;
    doc.save().rect(x, y, width, header.height).fill(THEME.headerFill).restore();
    drawCells(r, header.cells, spec.columns, g, y, header.height, true, THEME.headerText);
    doc.y = y + header.height;
  };

  const rows = spec.rows.map((row) => (Array.isArray(row) ? { cells: row } : row));
  const first = rows.length ? prepareRow(r, rows[0].cells, g, !!rows[0].bold) : null;
  r.ensureSpace(captionH + header.height + Math.min(first ? first.height : size * 2, pageRoom));
  drawHeader(false);
  if (!rows.length) {
    r.use('regular', size, THEME.muted).text(r.t(spec.empty ?? 'None.'), x + pad, doc.y + pad, { width: width - 2 * pad });
    doc.x = r.left;
    doc.y += 4;
    return;
  }
  rows.forEach((row, i) => {
    const bold = !!row.bold;
    const prepared = i === 0 && first ? first : prepareRow(r, row.cells, g, bold);
    const h = Math.min(prepared.height, pageRoom);
    if (doc.y + h > r.bottom) {
      r.addPage();
      drawHeader(true);
    }
    const y = doc.y;
    const fill = row.fill ?? (spec.zebra !== false && i % 2 === 1 ? THEME.zebra : null);
    if (fill) doc.save().rect(x, y, width, h).fill(fill).restore();
    drawCells(r, prepared.cells, spec.columns, g, y, h, bold, row.color ?? THEME.text);
    doc.moveTo(x, y + h).lineTo(x + width, y + h).lineWidth(0.3).strokeColor(THEME.rule).stroke();
    doc.y = y + h;
  });
  doc.x = r.left;
  doc.y += 6;
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON (for verification hashes printed on documents)
// ---------------------------------------------------------------------------------------------

export interface StatusBoxSpec {
  x: number;
  top: number;
  width: number;
  /** The white title on the coloured band. */
  title: string;
  color: string;
  rows: readonly (readonly [string, string])[];
  /** Width of the key column (values start 8 pt after it). */
  keyWidth?: number;
  /** The box reserves at least this height below `top`, then `gap` before the next block. */
  minHeight?: number;
  gap?: number;
}

/**
 * The framed key–value box at the top right of a document (quote, binder, statement): a coloured
 * title band and one row per key. Leaves the cursor at the left margin below the box.
 */
export function drawStatusBox(r: Report, spec: StatusBoxSpec): void {
  const { x, top, width, title, color, rows, keyWidth = 70, minHeight = 64, gap = 6 } = spec;
  const doc = r.doc;
  const rowH = 13;
  const boxH = 22 + rows.length * rowH + 4;
  doc.save().rect(x, top - 4, width, boxH).lineWidth(0.6).strokeColor(THEME.rule).stroke().restore();
  doc.save().rect(x, top - 4, width, 18).fill(color).restore();
  r.use('bold', 9, '#ffffff');
  r.textLine(title, x + 6, top + 1, width - 12, 'center');
  rows.forEach(([k, v], i) => {
    const y = top + 20 + i * rowH;
    r.use('regular', 8, THEME.muted);
    r.textLine(k, x + 6, y, keyWidth);
    r.use('bold', 8.5, THEME.text);
    r.textLine(r.t(v), x + keyWidth + 8, y, width - keyWidth - 14);
  });
  doc.x = r.left;
  doc.y = top + Math.max(boxH, minHeight) + gap;
}

export { canonicalJson } from './canonical-json.ts';
