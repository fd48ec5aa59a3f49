/**
 * PDF reports (docs/architecture.md §8): gathers the data from the model-version and statistics
 * services and hands it to the renderers in reports/.
 */
import type { Db } from '../db/connection.ts';
import { coverageLosses, exposureRange } from '../db/repositories/modeling.ts';
import { renderModelReportPdf, type ModelView } from '../reports/model-report-pdf.ts';
import { renderRegulatorReportPdf, type RegulatorReportData } from '../reports/regulator-report-pdf.ts';
import { getModel } from './model-versions.ts';
import { incidentRates, lossRatios, severityStatistics } from './statistics.ts';
import { COVERAGE_CODES, INCIDENT_TYPES, SCENARIO_AREA_CODES } from '../domain/index.ts';
import type { DisclosureRules } from './disclosure.ts';

/**
 * The model report of model version `id` as PDF bytes; for a severity model the losses it was
 * fitted on (its coverage and `spec.period`, open claims at paid + reserve) are read for the fit
 * plots. Throws the `notFound` problem of `getModel` for an unknown id.
 */
export async function modelReportPdf(db: Db, id: number, creationDate?: Date): Promise<Buffer> {
  const model: ModelView = await getModel(db, id);
  let losses: { amount: number }[] | undefined;
  if (model.kind === 'severity' && model.coverage) {
    const period = ((model.spec as { period?: { from?: string; to?: string } }).period) ?? {};
    losses = await coverageLosses(db, model.coverage, period);
  }
  return renderModelReportPdf({ model, losses, creationDate });
}

export interface RegulatorReportQuery { from?: string; to?: string }

/**
 * Everything the regulator report prints, from the disclosure-controlled statistics services
 * only (aggregate cells, never an organization): rates by area, area × class, area × incident
 * type and month; severity per coverage by area; loss ratios by area; the period covered.
 */
export async function gatherRegulatorReport(db: Db, rules: DisclosureRules, q: RegulatorReportQuery = {}): Promise<RegulatorReportData> {
  const base = { from: q.from, to: q.to, period_unit: 'month' as const };
  const [byArea, byClass, byType, byMonth, severity, lr, covered] = await Promise.all([
    incidentRates(db, { ...base, group_by: ['scenario_area'] }, rules),
    incidentRates(db, { ...base, group_by: ['scenario_area', 'scenario_class'] }, rules),
    incidentRates(db, { ...base, group_by: ['scenario_area', 'incident_type'] }, rules),
    incidentRates(db, { ...base, group_by: ['period'] }, rules),
    Promise.all(COVERAGE_CODES.map(async (coverage) => ({ coverage, cells: (await severityStatistics(db, coverage, { ...base, period_unit: 'year', group_by: ['scenario_area'] }, rules)).cells }))),
    lossRatios(db, { from: q.from, to: q.to, period_unit: 'year', group_by: ['scenario_area'] }, rules),
    exposureRange(db, { from: q.from, to: q.to }),
  ]);
  const day = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
  return {
    query: { from: q.from ?? null, to: q.to ?? null },
    period_covered: { from: day(covered.from), to: day(covered.to) },
    areas: [...SCENARIO_AREA_CODES],
    incident_types: [...INCIDENT_TYPES],
    rates_by_area: byArea.cells,
    rates_by_area_class: byClass.cells,
    rates_by_area_type: byType.cells,
    rates_by_month: byMonth.cells,
    severity,
    loss_ratios: lr.cells as RegulatorReportData['loss_ratios'],
  };
}

/** The regulator risk-statistics report as PDF bytes (see {@link gatherRegulatorReport}). */
export async function regulatorReportPdf(db: Db, rules: DisclosureRules, query: RegulatorReportQuery = {}, creationDate?: Date): Promise<Buffer> {
  return renderRegulatorReportPdf(await gatherRegulatorReport(db, rules, query), { creationDate });
}
