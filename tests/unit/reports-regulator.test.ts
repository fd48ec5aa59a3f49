/**
 * Regulator risk-statistics report PDF (reports/regulator-report-pdf.ts) on hand-made cells:
 * every scenario area, the methodology and the suppression notes are printed; a suppressed cell
 * shows its reason and never a value (even when the input wrongly carries one), and is left out
 * of the totals; bytes are deterministic; no page is blank.
 */
import { describe, expect, it } from 'vitest';
import { renderRegulatorReportPdf, type RateCell, type RegulatorReportData, type SeverityCell } from '../../reports/regulator-report-pdf.ts';
import { formatNumber, humanize } from '../../reports/pdf-common.ts';
import { darkPixelsPerPage, pdfText } from '../helpers/pdf.ts';


const AREAS = ['manufacturing', 'maintenance', 'warehousing_logistics', 'healthcare_wellness', 'safety_production', 'emergency_rescue'];
const TYPES = ['collision_person', 'fall', 'near_miss'];
// A value that must never be printed: carried by suppressed cells on purpose.
const SECRET = 987654.321;

const rateCell = (key: Record<string, string>, hours: number, incidents: number, suppressed: RateCell['suppressed'] = null): RateCell => (suppressed
  ? { ...key, organizations: 2, deployments: 3, operating_hours: SECRET, incidents: 4321, rate_per_1000h: SECRET, ci_low: SECRET, ci_high: SECRET, suppressed }
  : { ...key, organizations: 5, deployments: 11, operating_hours: hours, incidents, rate_per_1000h: (incidents / hours) * 1000, ci_low: (incidents / hours) * 900, ci_high: (incidents / hours) * 1100, suppressed: null });

const reasons: Record<string, RateCell['suppressed']> = { healthcare_wellness: 'min_contributors', emergency_rescue: 'dominance', safety_production: 'complementary' };

function data(): RegulatorReportData {
  const hours = (i: number) => 10000 * (i + 1);
  return {
    query: { from: '2025-01-01', to: '2025-12-31' },
    period_covered: { from: '2025-01-01', to: '2025-12-31' },
    areas: AREAS,
    incident_types: TYPES,
    rates_by_area: AREAS.map((a, i) => rateCell({ scenario_area: a }, hours(i), 10 * (i + 1) + 1, reasons[a] ?? null)),
    rates_by_area_class: AREAS.map((a, i) => rateCell({ scenario_area: a, scenario_class: `${a}.alpha` }, hours(i), 10 * (i + 1) + 1, reasons[a] ?? null)),
    rates_by_area_type: AREAS.flatMap((a, i) => TYPES.map((t, k) => rateCell({ scenario_area: a, incident_type: t }, hours(i), k + 1, reasons[a] ?? null))),
    rates_by_month: ['2025-01', '2025-02', '2025-03'].map((m, i) => rateCell({ period: m }, 5000, 7 + i, i === 1 ? 'min_contributors' : null)),
    severity: ['robot_damage', 'third_party_liability'].map((coverage) => ({
      coverage,
      cells: AREAS.map((a, i): SeverityCell => (reasons[a]
        ? { scenario_area: a, claims: 9, mean: SECRET, median: SECRET, p90: SECRET, p99: SECRET, total_incurred: SECRET, share_open: 0.5, suppressed: reasons[a] }
        : { scenario_area: a, claims: 20 + i, mean: 31000 + i, median: 15000 + i, p90: 80000 + i, p99: 250000 + i, total_incurred: 620000 + i, share_open: 0.1, suppressed: null })),
    })),
    loss_ratios: [{ scenario_area: 'manufacturing', organizations: 4, earned_premium: 123456.78, incurred_losses: 61728.39, loss_ratio: 0.5, suppressed: null }],
  };
}

const fixedDate = new Date('2026-03-01T12:00:00Z');

describe('renderRegulatorReportPdf', async () => {
  const d = data();
  const pdf = await renderRegulatorReportPdf(d, { creationDate: fixedDate });
  const text = pdfText(pdf);
  const flat = text.replace(/\s+/g, ' ');

  it('names every scenario area and incident type', () => {
    for (const a of AREAS) expect(text).toContain(humanize(a));
    for (const t of TYPES) expect(text).toContain(humanize(t));
  });

  it('prints published rates with their intervals, severity quantiles and loss ratios', () => {
    const m = d.rates_by_area[0];
    expect(text).toContain(formatNumber(m.rate_per_1000h!, 3));
    expect(text).toContain(`${formatNumber(m.ci_low!, 3)} – ${formatNumber(m.ci_high!, 3)}`);
    expect(text).toContain('250,000');
    expect(text).toContain('123,456.78');
    expect(text).toContain('50%');
  });

  it('shows suppressed cells by their reason, never with a value', () => {
    expect(flat).toContain('suppressed (min_contributors)');
    expect(flat).toContain('suppressed (dominance)');
    expect(flat).toContain('suppressed (complementary)');
    for (const s of ['987,654', '987654', '4,321', '4321']) expect(text).not.toContain(s);
  });

  it('totals only the published cells', () => {
    const pub = d.rates_by_area.filter((c) => !c.suppressed);
    const hours = pub.reduce((s, c) => s + c.operating_hours!, 0);
    expect(text).toContain(formatNumber(hours, 0));
    expect(text).toContain('3 of 6 published');
    expect(flat).toContain('Totals over published scenario-area cells only');
  });

  it('states the methodology and the disclosure rules used', () => {
    expect(flat).toContain('Methodology');
    expect(flat).toContain('Garwood');
    expect(flat).toContain('type 7');
    expect(flat).toContain('paid + case reserve');
    expect(flat).toContain('Loss ratio = incurred losses / earned premium');
    expect(flat).toContain('Disclosure control and suppression');
    expect(flat).toContain('too few organizations');
    expect(flat).toContain('p_percent');
    expect(flat).toContain('linked tables');
  });

  it('never prints the parameters of the disclosure rules', () => {
    expect(flat).not.toMatch(/fewer than \d|more than \d+ ?%|≥ \d+ organizations/);
  });

  it('is deterministic for a fixed creation date', async () => {
    const again = await renderRegulatorReportPdf(data(), { creationDate: fixedDate });
    expect(again.equals(pdf)).toBe(true);
  });

  it('has no blank page', () => {
    const px = darkPixelsPerPage(pdf);
    expect(px.length).toBeGreaterThanOrEqual(4);
    for (const n of px) expect(n).toBeGreaterThan(60);
  });

  it('prints a withheld count (a published cell over a suppressed one) as "withheld" with a note, never as 0, and totals no partial count', async () => {
    const d2 = data();
    // manufacturing's area cell is published but its counts are withheld (docs/disclosure-control.md §2)
    d2.rates_by_area[0] = { ...d2.rates_by_area[0], organizations: null, deployments: null };
    d2.severity[0].cells[0] = { ...d2.severity[0].cells[0], share_open: null };
    d2.loss_ratios[0] = { ...d2.loss_ratios[0], organizations: null };
    const t = pdfText(await renderRegulatorReportPdf(d2, { creationDate: fixedDate })).replace(/\s+/g, ' ');
    expect(t).toContain('Organizations and deployments "withheld" in 1 published cell(s)');
    expect(t).toContain('Share open (× claims: the open claims, a count) "withheld" in 1 published cell(s)');
    expect(t).toContain('Insured organizations "withheld" in 1 published cell(s)');
    expect(t).toContain('so no total is printed');
    // the other two published areas' deployments (11 + 11) and organizations (5 + 5) are not printed as totals
    expect(t).not.toMatch(/Deployments \(scenario units\) 22\b/);
    expect(t).toMatch(/Deployments \(scenario units\) withheld/);
    // the full report totals them: 3 published areas × 11 deployments
    expect(flat).toMatch(/Deployments \(scenario units\) 33\b/);
    expect(flat).not.toContain('"withheld" in');
  });

  it('says when there is no bound business', async () => {
    const t = pdfText(await renderRegulatorReportPdf({ ...data(), loss_ratios: [] }, { creationDate: fixedDate }));
    expect(t).toContain('No bound insurance business');
  });
});
