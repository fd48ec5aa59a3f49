/**
 * Premium statement renderers (reports/statement-pdf.ts, reports/statement-csv.ts) on a
 * hand-built statement: PDF text via pdftotext, pages rendered with pdftoppm, byte determinism;
 * CSV columns, totals and formula neutralisation.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { renderStatementPdf } from '../../reports/statement-pdf.ts';
import { statementCsv } from '../../reports/statement-csv.ts';
import { PolicyStatement, type PolicyStatement as Statement } from '../../domain/schemas/policy-usage.ts';
import { SAMPLE } from '../helpers/statement-sample.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';

describe('statement PDF', () => {
  it('shows the policy, the insured, every line with rate, expected / declared / billed hours and amounts, and the total', async () => {
    expect(PolicyStatement.safeParse(SAMPLE).success).toBe(true);
    const pdf = await renderStatementPdf({ statement: SAMPLE, creationDate: new Date('2027-03-05T00:00:00Z') });
    const t = pdfText(pdf, ['-layout']);
    for (const s of ['Premium statement', 'RR-P-2027-000042', '深圳测试机器人有限公司', '2027-02', 'CNY 990.89', 'CNY 584.36', 'CNY 1,575.25', 'CNY 383.56',
      'CNY 0.3086', '3,068.49 h', '3,210.50 h', '+142.01 h', '-301.37 h', '2,000.00 h', "underwriter's declaration", 'imported exposures', 'DEP-B1', '28 / 365']) {
      expect(t).toContain(s);
    }
    expect(t).toMatch(/STATUS: FINAL/);
    const again = await renderStatementPdf({ statement: SAMPLE, creationDate: new Date('2027-03-05T00:00:00Z') });
    expect(createHash('sha256').update(again).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    const dark = darkPixelsPerPage(pdf);
    expect(dark.length).toBeGreaterThanOrEqual(1);
    for (const n of dark) expect(n).toBeGreaterThan(200);
  });

  it('a provisional month with the minimum premium applied says so; the Helvetica fallback still prints every amount', async () => {
    const s: Statement = { ...SAMPLE, status: 'provisional', subtotal: 100, minimum_premium_adjustment: 283.56, total: 383.56 };
    const t = pdfText(await renderStatementPdf({ statement: s, fonts: false }), ['-layout']);
    expect(t).toContain('STATUS: PROVISIONAL');
    expect(t).toContain('Minimum premium applies');
    expect(t).toContain('CNY 283.56');
    expect(t).toContain('RR-P-2027-000042');
  });
});

describe('statement CSV', () => {
  it('one row per deployment and per line, then subtotal, adjustment and total; formulas neutralised', () => {
    const rows = parse(statementCsv(SAMPLE), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.row)).toEqual(['deployment', 'deployment', 'line', 'deployment', 'line', 'subtotal', 'minimum_premium_adjustment', 'total']);
    expect(rows[1].deployment_ref).toBe('\'=HYPERLINK("x")');
    expect(rows[2]).toMatchObject({ line: '1', amount_cny: '990.89', billed_hours: '3210.5', expected_hours: '3068.49', billed_minus_expected: '142.01' });
    expect(rows[3]).toMatchObject({ source: 'declared_by_underwriter', declared_by_enterprise_hours: '1800', declared_by_underwriter_hours: '2000', imported_hours: '1500.25' });
    expect(rows[4]).toMatchObject({ billed_minus_expected: '-301.37', declared_hours: '2000' });
    expect(rows.at(-1)).toMatchObject({ row: 'total', amount_cny: '1575.25' });
    const lineSum = rows.filter((r) => r.row === 'line').reduce((a, r) => a + Math.round(Number(r.amount_cny) * 100), 0);
    expect(lineSum).toBe(Math.round(Number(rows.find((r) => r.row === 'subtotal')!.amount_cny) * 100));
  });
});
