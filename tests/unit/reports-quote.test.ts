/**
 * The quote PDF (reports/quote-pdf.ts) on real quotes priced by the demo app: text extracted with
 * poppler's pdftotext, pages rendered with pdftoppm (Debian `poppler-utils`), word boxes checked
 * for overlaps, byte determinism with a fixed creation date, the Helvetica fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { formatCny, renderQuotePdf, worksheetHash, type QuotePdfInput, type QuoteView, type QuoteWorksheet } from '../../reports/quote-pdf.ts';
import { canonicalJson, createReport, formatNumber } from '../../reports/pdf-common.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { layoutProblems } from '../helpers/pdf.ts';

let ctx: TestContext;
let dir: string;
const api = () => request(ctx.baseUrl);

const baseRequest = baseQuoteRequest;

/** Fires loadings, discounts, a subjectivity and a referral (TPL limit above CNY 5 million); robot damage limits capped. */
const richRequest = () => ({
  basis: 'pay_per_use' as const,
  period: { start: '2027-01-01', end: '2027-12-31' },
  fleet: [
    { robot_model: 'PES-B700', scenario_class: 'maintenance.cleaning', units: 8, autonomy_level: 'autonomous', operating_hours_per_unit: 6500, safety: {} },
    { robot_model: 'LMD-W500', scenario_class: 'manufacturing.assembly', units: 12, autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: { force_speed_limiting: true } },
    { robot_model: 'PES-M150', scenario_class: 'warehousing_logistics.palletizing', units: 5, autonomy_level: 'teleoperated', operating_hours_per_unit: 3000, safety: { operator_training_hours: 8 } },
  ],
  coverages: [
    { coverage: 'robot_damage', deductible: 10_000, per_occurrence_limit: 1_000_000 },
    { coverage: 'third_party_liability', deductible: 5000, per_occurrence_limit: 6_000_000, aggregate_limit: 20_000_000 },
    { coverage: 'business_interruption', deductible: 0, per_occurrence_limit: 200_000 },
  ],
});

const MODELS = ['LMD-B100', 'LMD-B300', 'LMD-W200', 'PES-M150'];
const CLASSES = ['manufacturing.assembly', 'warehousing_logistics.picking', 'manufacturing.machine_tending', 'maintenance.inspection'];
/** 500 lines, each with its own (units, hours) so that every row of the schedule is recognisable. */
const bigRequest = () => ({
  basis: 'annual' as const,
  period: { start: '2027-01-01', end: '2027-12-31' },
  fleet: Array.from({ length: 500 }, (_, i) => ({
    robot_model: MODELS[i % 4], scenario_class: CLASSES[(i >> 2) % 4], units: 1 + (i % 7), autonomy_level: 'supervised', operating_hours_per_unit: 1000 + i, safety: {},
  })),
  coverages: [
    { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 2_000_000 },
    { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 },
  ],
});

const DATE = new Date('2026-11-23T08:00:00Z');
const ORG = { ref: 'ORG-A', name: '深圳测试机器人有限公司', province: 'Guangdong' };
let catalog: Pick<QuotePdfInput, 'robotModels' | 'scenarioClasses'>;

async function priced(body: unknown): Promise<{ quote: QuoteView; worksheet: QuoteWorksheet }> {
  const r = await api().post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(body as object);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return fetchQuote(r.body.ref);
}
async function fetchQuote(ref: string): Promise<{ quote: QuoteView; worksheet: QuoteWorksheet }> {
  const q = await api().get(`/v1/quotes/${ref}`).set(bearer(ctx.keys.enterprise));
  const w = await api().get(`/v1/quotes/${ref}/worksheet`).set(bearer(ctx.keys.enterprise));
  expect(q.status).toBe(200);
  expect(w.status).toBe(200);
  return { quote: q.body, worksheet: w.body };
}

let n = 0;
function tmpPdf(pdf: Buffer): string {
  const file = path.join(dir, `q${n++}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
/** Text per page (pdftotext; `-layout` keeps table rows on one line, `-raw` keeps content-stream order). */
function pdfText(pdf: Buffer, mode: 'layout' | 'raw' = 'layout'): string[] {
  const out = execFileSync('pdftotext', [`-${mode}`, '-enc', 'UTF-8', tmpPdf(pdf), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\f').slice(0, -1);
}
const pageCount = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [tmpPdf(pdf)], { encoding: 'utf8' }))![1]);
/** Parses "CNY 1,234.56" back to a number. */
const parseCny = (s: string) => Number(s.replace(/^CNY /, '').replace(/,/g, ''));


let pngRun = 0;
/** Share of dark pixels (< 200 of 255) in the content area of each page, rendered with pdftoppm -gray at 30 dpi. */
function inkPerPage(pdf: Buffer): number[] {
  const prefix = path.join(dir, `png${pngRun++}-page`);
  execFileSync('pdftoppm', ['-gray', '-r', '30', tmpPdf(pdf), prefix]);
  const files = readdirSync(dir).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.pgm')).sort();
  return files.map((f) => {
    const buf = readFileSync(path.join(dir, f));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 50).toString('latin1'))!;
    const [w, h] = [Number(header[1]), Number(header[2])];
    // the content area only: the footer (in the 54 pt bottom margin = 22 px at 30 dpi) is on every page
    const rows = h - 23;
    const pixels = buf.subarray(buf.length - w * h, buf.length - w * h + w * rows);
    let dark = 0;
    for (const v of pixels) if (v < 200) dark++;
    return dark / (w * rows);
  });
}

let base: { quote: QuoteView; worksheet: QuoteWorksheet };
let rich: { quote: QuoteView; worksheet: QuoteWorksheet };
let big: { quote: QuoteView; worksheet: QuoteWorksheet };
const input = (q: { quote: QuoteView; worksheet: QuoteWorksheet }, extra: Partial<QuotePdfInput> = {}): QuotePdfInput =>
  ({ ...q, organization: ORG, ...catalog, creationDate: DATE, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'roborisk-quote-pdf-'));
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('pdftotext / pdftoppm missing: apt-get install -y poppler-utils');
  }
  ctx = await startTestApp({}, { demo: true });
  const models = await ctx.db('robot_models').select('code', 'name', 'manufacturer');
  const classes = await ctx.db('scenario_classes').select('code', 'name', 'area');
  catalog = {
    robotModels: Object.fromEntries(models.map((m: { code: string; name: string; manufacturer: string }) => [m.code, m])),
    scenarioClasses: Object.fromEntries(classes.map((c: { code: string; name: string; area: string }) => [c.code, c])),
  };
  base = await priced(baseRequest());
  const r = await api().post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(richRequest());
  expect(r.body.decision).toBe('referred');
  const d = await api().post(`/v1/quotes/${r.body.ref}/decision`).set(bearer(ctx.keys.underwriter))
    .send({ decision: 'quoted', note: 'Accepted at the requested limit after review of the cleaning fleet safety file.' });
  expect(d.status).toBe(200);
  rich = await fetchQuote(r.body.ref);
  big = await priced(bigRequest());
}, 300_000);
afterAll(async () => {
  await ctx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('formatCny', () => {
  it('formats hand-worked examples', () => {
    expect(formatCny(1234567.89)).toBe('CNY 1,234,567.89');
    expect(formatCny(1234567.891)).toBe('CNY 1,234,567.89');
    expect(formatCny(0)).toBe('CNY 0.00');
    expect(formatCny(999)).toBe('CNY 999.00');
    expect(formatCny(1000)).toBe('CNY 1,000.00');
    expect(formatCny(-1234.5)).toBe('CNY -1,234.50');
    expect(formatCny(-0.001)).toBe('CNY 0.00');
    expect(formatCny(100_000_000_000)).toBe('CNY 100,000,000,000.00');
    expect(formatCny(19.794187714285712, 4)).toBe('CNY 19.7942');
    expect(formatCny(0.5, 4)).toBe('CNY 0.5000');
  });
  it('rejects non-finite amounts', () => {
    expect(() => formatCny(Number.NaN)).toThrow(RangeError);
    expect(() => formatCny(Infinity)).toThrow(RangeError);
  });
  it('round-trips any amount in cents (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cents) => {
      const s = formatCny(cents / 100);
      expect(s).toMatch(/^CNY -?\d{1,3}(,\d{3})*\.\d{2}$/);
      expect(parseCny(s)).toBeCloseTo(cents / 100, 6);
      expect(s.includes('-')).toBe(cents < 0);
    }));
  });
});

describe('worksheetHash', () => {
  it('is the SHA-256 of the JSON with sorted keys (hand-written canonical form)', () => {
    const ws = { b: 1, a: [{ d: 2.5, c: 'x', e: null }], 'é': true, c: { z: [], y: {} } };
    const canonical = '{"a":[{"c":"x","d":2.5,"e":null}],"b":1,"c":{"y":{},"z":[]},"é":true}';
    expect(canonicalJson(ws)).toBe(canonical);
    expect(worksheetHash(ws)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });
  it('does not depend on key order and equals the hash of its JSON round trip (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const reversed = JSON.parse(JSON.stringify(v), (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x));
      expect(worksheetHash(reversed)).toBe(worksheetHash(v));
      expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
    }));
  });
  it('changes when one number of the worksheet changes', () => {
    const copy = structuredClone(base.worksheet);
    (copy.lines[0] as { units: number }).units += 1;
    expect(worksheetHash(copy)).not.toBe(worksheetHash(base.worksheet));
  });
});

describe('renderQuotePdf', () => {
  it('prints the reference, the insured (Chinese name), the premium, every fleet line, coverages and the worksheet hash', async () => {
    const pdf = await renderQuotePdf(input(base));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfText(pdf);
    const text = pages.join('\n');
    const q = base.quote;
    expect(text).toContain(q.ref);
    expect(text).toContain('深圳测试机器人有限公司');
    expect(text).toContain('Guangdong');
    // total gross premium as "CNY 1,234,567.89", read back from the document
    const total = /Total gross premium[^\n]*\n\s*(CNY [\d,]+\.\d\d)/.exec(text);
    expect(total, text.slice(0, 2000)).not.toBeNull();
    expect(parseCny(total![1])).toBe(q.premium.total.gross_premium);
    expect(text).toContain(formatCny(q.premium.total.tax));
    for (const [c, a] of Object.entries(q.premium.coverages)) expect(text, c).toContain(formatCny(a.gross_premium));
    // pay-per-use rate: CNY with 4 decimals
    const rate = /(CNY \d+\.\d{4}) \/ h/.exec(text);
    expect(rate).not.toBeNull();
    expect(parseCny(rate![1])).toBeCloseTo(q.pay_per_use!.rate_per_operating_hour!, 4);
    // every fleet line on one row: # model class units autonomy hours/unit exposure premium
    for (const [i, f] of q.request.fleet.entries()) {
      const row = new RegExp(`^\\s*${i + 1}\\s+${f.robot_model}\\s+${f.scenario_class.replace('.', '\\.')}\\s+${f.units}\\s+Supervised\\s+${formatNumber(f.operating_hours_per_unit)}\\s+${formatNumber(f.units * f.operating_hours_per_unit)}\\s+[\\d,]+\\.\\d\\d\\s*$`, 'm');
      expect(text).toMatch(row);
    }
    for (const c of q.request.coverages) expect(text).toContain(formatCny(c.deductible));
    expect(text).toContain('None (unlimited in the');
    expect(text).toContain(worksheetHash(base.worksheet));
    expect(text).toMatch(/demo v\d+ \(id \d+\)/);
    expect(text).toContain(q.versions.ruleset.name);
    expect(text).toContain('Valid until');
  });

  it('a referred quote decided by an underwriter: reasons, note, rules with their loadings, subjectivities, capped limits, pay-per-use', async () => {
    const pdf = await renderQuotePdf(input(rich));
    const text = pdfText(pdf).join('\n');
    const raw = pdfText(pdf, 'raw').join('\n').replace(/([_./-])\n/g, '$1'); // codes broken at separators in narrow cells
    const q = rich.quote;
    expect(q.status).toBe('quoted');
    expect(text).toContain('STATUS: QUOTED');
    expect(text).toContain('Referred to an underwriter');
    for (const reason of q.reasons!) expect(raw.replace(/\s+/g, ' ')).toContain(reason);
    expect(raw.replace(/\s+/g, ' ')).toContain(q.decision_note);
    expect(q.subjectivities!.length).toBeGreaterThan(0);
    for (const s of q.subjectivities!) expect(raw.replace(/\s+/g, ' ')).toContain(s);
    const fired = rich.worksheet.rules!.fired;
    expect(fired.length).toBeGreaterThan(3);
    for (const f of fired) expect(raw, f.rule).toContain(f.rule);
    // every loading / discount rule of the worksheet, with its factor
    for (const l of rich.worksheet.lines) for (const c of l.coverages) for (const x of c.rule_loadings ?? []) {
      expect(raw).toContain(x.rule);
      expect(text).toContain(`×${x.factor.toFixed(2)}`);
    }
    // per-occurrence limits capped at the replacement value, per model
    const capped = rich.worksheet.lines.flatMap((l) => l.coverages.filter((c) => c.limit_capped_at_replacement_value).map((c) => ({ model: l.robot_model, limit: c.per_occurrence_limit })));
    expect(capped.length).toBeGreaterThan(0);
    expect(text).toContain('capped at replacement value');
    for (const c of capped) expect(raw).toContain(`${c.model}: ${formatCny(c.limit)}`);
    expect(text).toContain('CNY 20,000,000.00'); // aggregate limit of the request
    expect(raw.replace(/\s+/g, ' ')).toContain('Pay-per-use (rate per operating hour)');
    const rate = q.pay_per_use!.rate_per_operating_hour!;
    expect(text).toContain(formatCny(rate, 4));
    expect(text).toMatch(/Rate per operating hour\s+CNY \d+\.\d{4}\b/);
  });

  it('a declined quote says so with its reasons', async () => {
    const body = { ...baseRequest(), fleet: [{ robot_model: 'LMD-B300', scenario_class: 'safety_production.patrol', units: 2, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: {} }] };
    const declined = await priced(body);
    expect(declined.quote.decision).toBe('declined');
    const raw = pdfText(await renderQuotePdf(input(declined)), 'raw').join('\n').replace(/\s+/g, ' ');
    expect(raw).toContain('STATUS: DECLINED');
    expect(raw).toContain('Declined: this risk is outside our underwriting appetite');
    for (const reason of declined.quote.reasons!) expect(raw).toContain(reason);
  });

  it('paginates a 500-line fleet: every line on its own whole row, the header on every page, more pages than 3 lines', async () => {
    const small = await renderQuotePdf(input(base));
    const pdf = await renderQuotePdf(input(big));
    const smallPages = pageCount(small);
    const pages = pdfText(pdf);
    expect(pages.length).toBe(pageCount(pdf));
    expect(pages.length).toBeGreaterThan(smallPages + 8);
    const rowRe = /^\s*(\d+)\s+([A-Z]{3}-[A-Z]\d+)\s+([a-z_]+\.[a-z_]+)\s+(\d+)\s+Supervised\s+([\d,]+)\s+([\d,]+)\s+([\d,]+\.\d\d)\s*$/;
    const seen: number[] = [];
    for (const [p, page] of pages.entries()) {
      const rows = page.split('\n').map((l) => rowRe.exec(l)).filter((m): m is RegExpExecArray => m !== null);
      if (!rows.length) continue;
      expect(page, `page ${p + 1}`).toMatch(/#\s+Robot model\s+Scenario class\s+Units\s+Autonomy/);
      if (p > 0) expect(page).toContain('Schedule of fleet lines (continued)');
      for (const m of rows) {
        const i = Number(m[1]) - 1;
        const f = big.quote.request.fleet[i];
        expect([m[2], m[3], Number(m[4]), m[5], m[6]]).toEqual([f.robot_model, f.scenario_class, f.units, formatNumber(f.operating_hours_per_unit), formatNumber(f.units * f.operating_hours_per_unit)]);
        const gross = big.quote.premium.lines.filter((l) => l.line === i + 1).reduce((s, l) => s + l.gross_premium, 0);
        expect(Number(m[7].replace(/,/g, ''))).toBeCloseTo(gross, 2);
        seen.push(i + 1);
      }
    }
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(pages.every((pg, i) => pg.includes(`Page ${i + 1} / ${pages.length}`))).toBe(true);
  }, 60_000);

  it('draws no two words on top of each other and nothing off the page (2, 3 and 500 lines)', async () => {
    for (const q of [base, rich, big]) {
      const pdf = await renderQuotePdf(input(q));
      const { pages, problems } = layoutProblems(pdf);
      expect(pages).toBe(pageCount(pdf));
      expect(problems).toEqual([]);
    }
  }, 60_000);

  it('the overlap check finds overlapping text (self-test on a deliberately broken page)', async () => {
    const r = await createReport({ title: 'overlap', creationDate: DATE });
    r.use('regular', 10);
    r.doc.text('Overlapping words here', 100, 100, { lineBreak: false });
    r.doc.text('Clashing text there', 110, 102, { lineBreak: false });
    const { problems } = layoutProblems(await r.finish());
    expect(problems.length).toBeGreaterThan(0);
  });

  it('is byte-identical for a fixed creation date and differs for another date', async () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const a = await renderQuotePdf(input(rich));
    const b = await renderQuotePdf(input(rich));
    const c = await renderQuotePdf(input(rich, { creationDate: new Date('2026-11-24T08:00:00Z') }));
    expect(sha(b)).toBe(sha(a));
    expect(sha(c)).not.toBe(sha(a));
    expect(a.toString('latin1')).toContain('(D:20261123080000Z)'); // the pinned CreationDate / ModDate
  });

  it('embeds a subset of the CJK font and stays small', async () => {
    const pdf = await renderQuotePdf(input(base));
    const fonts = execFileSync('pdffonts', [tmpPdf(pdf)], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toContain('Helvetica');
    expect(pdf.length).toBeLessThan(250_000);
  });

  it('renders every page to a non-blank image (3 and 500 lines)', async () => {
    for (const q of [rich, big]) {
      const pdf = await renderQuotePdf(input(q));
      const ratios = inkPerPage(pdf);
      expect(ratios.length).toBe(pageCount(pdf));
      for (const [i, r] of ratios.entries()) expect(r, `page ${i + 1}`).toBeGreaterThan(0.003);
    }
  }, 60_000);

  it('the blank-page check finds a page with only a footer (self-test)', async () => {
    const r = await createReport({ title: 'blank', creationDate: DATE });
    r.use('regular').text('one line', r.left, r.top, { lineBreak: false });
    r.addPage();
    const ratios = inkPerPage(await r.finish({ left: 'footer only' }));
    expect(ratios[0]).toBeGreaterThan(0);
    expect(ratios[1]).toBe(0);
  });

  it('falls back to Helvetica with a visible note when the CJK font cannot be loaded', async () => {
    for (const fonts of [{ regular: path.join(dir, 'missing.otf'), bold: path.join(dir, 'missing.otf') }, false as const]) {
      const pdf = await renderQuotePdf(input(base, { fonts }));
      const text = pdfText(pdf).join('\n');
      expect(text).toContain(base.quote.ref);
      expect(text).toMatch(/CJK font (unavailable|disabled)/);
      expect(text).toContain(formatCny(base.quote.premium.total.gross_premium));
      expect(execFileSync('pdffonts', [tmpPdf(pdf)], { encoding: 'utf8' })).toContain('Helvetica');
    }
  });

  it('rejects an input without the quote premium, naming the field', async () => {
    const broken = { ...base.quote, premium: undefined } as unknown as QuoteView;
    await expect(renderQuotePdf(input({ quote: broken, worksheet: base.worksheet }))).rejects.toThrow(/quote\.premium\.total/);
  });
});
