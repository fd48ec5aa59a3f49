/** Query and response schemas of the regulator statistics (docs/actuarial-method.md §9). */
import { z } from 'zod';
import { COVERAGE_CODES, INCIDENT_TYPES, PERIOD_UNITS, SCENARIO_AREA_CODES, SUPPRESSION_REASONS } from '../domain/index.ts';
import { isoDate } from '../domain/schemas/index.ts';
import { calendarPeriodOf, isCalendarDate, isUnitEnd, isUnitStart, type CalendarUnit } from '../domain/calendar.ts';

export const ALL_DIMS = ['scenario_area', 'scenario_class', 'period', 'incident_type', 'severity_level'] as const;
export const LOSS_RATIO_DIMS = ['scenario_area', 'period'] as const;
/**
 * Severity is a magnitude table with few claims per cell: it is published by scenario area / class,
 * calendar quarter or year and severity level (docs/disclosure-control.md §2); a finer split (by
 * month, by incident type) would leave almost every cell withheld.
 */
export const SEVERITY_DIMS = ['scenario_area', 'scenario_class', 'period', 'severity_level'] as const;
export const SEVERITY_PERIOD_UNITS = ['quarter', 'year'] as const;

/**
 * `group_by`: a comma-separated list of distinct dimensions (`a,b`), parsed to an array. Documented
 * as an array in form style without explode (the OpenAPI spelling of a comma-separated list).
 */
const groupBy = <T extends string>(allowed: readonly [T, ...T[]], dflt: T[]) =>
  z.string().max(200).optional()
    .transform((s) => (s === undefined ? dflt : s.split(',').map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(allowed)).max(allowed.length).refine((a) => new Set(a).size === a.length, 'dimensions must be distinct'))
    .meta({
      description: `Dimensions of the cells, comma separated (default ${dflt.join(',')}; none: the grand total)`,
      type: 'array', items: { type: 'string', enum: [...allowed] }, uniqueItems: true, maxItems: allowed.length,
      param: { style: 'form', explode: false, required: false },
    });

const common = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  period_unit: z.enum(PERIOD_UNITS).default('month'),
};
/**
 * The answerable windows (docs/disclosure-control.md §2): every published figure must be a cell
 * of one fixed linked structure (calendar month ⊂ quarter ⊂ year ⊂ all time), so a window may only
 * pick whole cells of it, never create a new sum. With `period` among the dimensions, `from` must
 * be the first day and `to` the last day of a `period_unit`; without it, the window must be one
 * whole calendar month, quarter or year (the cells are then that period's), or absent (all time).
 */
export function windowProblems(
  q: { group_by?: readonly string[]; from?: string; to?: string; period_unit?: CalendarUnit },
  units: readonly CalendarUnit[] = ['month', 'quarter', 'year'],
): { field: 'from' | 'to'; message: string }[] {
  const out: { field: 'from' | 'to'; message: string }[] = [];
  if (q.from && q.to && q.from > q.to) return [{ field: 'to', message: 'to is before from' }];
  if (q.group_by?.includes('period')) {
    const unit = q.period_unit ?? 'month';
    if (q.from && !isUnitStart(unit, q.from)) out.push({ field: 'from', message: `from must be the first day of a calendar ${unit} (only whole periods of period_unit are answerable)` });
    if (q.to && !isUnitEnd(unit, q.to)) out.push({ field: 'to', message: `to must be the last day of a calendar ${unit} (only whole periods of period_unit are answerable)` });
  } else if (q.from || q.to) {
    const p = q.from && q.to ? calendarPeriodOf(q.from, q.to) : null;
    if (!p || !units.includes(p.unit)) {
      const message = `without period in group_by, from and to must together be one whole calendar ${units.join(' or ')} (or both absent: all time)`;
      out.push(...(['from', 'to'] as const).map((field) => ({ field, message })));
    }
  }
  return out;
}

/** Adds the window problems of a parsed statistics query as zod issues on `from` / `to`. */
const alignedWindow = (units?: readonly CalendarUnit[]) => (q: { group_by?: readonly string[]; from?: string; to?: string; period_unit?: CalendarUnit }, ctx: z.RefinementCtx) => {
  // zod runs this even when from or to failed their own schema: a day not of the calendar is named there already
  if ((q.from !== undefined && !isCalendarDate(q.from)) || (q.to !== undefined && !isCalendarDate(q.to))) return;
  for (const p of windowProblems(q, units)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
};

export const RatesQuery = z.strictObject({ group_by: groupBy(ALL_DIMS, ['scenario_area']), ...common }).superRefine(alignedWindow());
export const SeverityQuery = z.strictObject({
  coverage: z.enum(COVERAGE_CODES), group_by: groupBy(SEVERITY_DIMS, ['scenario_area']), ...common, period_unit: z.enum(SEVERITY_PERIOD_UNITS).default('year'),
}).superRefine(alignedWindow(SEVERITY_PERIOD_UNITS));
export const LossRatioQuery = z.strictObject({ group_by: groupBy(LOSS_RATIO_DIMS, ['scenario_area', 'period']), ...common, period_unit: z.enum(PERIOD_UNITS).default('year') }).superRefine(alignedWindow());
/** The regulator report: one whole calendar quarter or year, or all time (its tables without a period are that period's cells; severity is published by quarter and year). */
export const ReportQuery = { from: isoDate.optional(), to: isoDate.optional() };
export const reportWindow = (q: { from?: string; to?: string }, ctx: z.RefinementCtx) => alignedWindow(SEVERITY_PERIOD_UNITS)({ ...q, group_by: [] }, ctx);

const nullable = (description: string) => z.number().nullable().meta({ description: `${description} (null when suppressed)` });
/** A count published beside the protected measures: null also in a published cell over a withheld one (docs/disclosure-control.md §2). */
const countOf = (description: string) => z.number().nullable().meta({
  description: `${description} (null when suppressed, and in a published cell with a part inside a withheld cell: counts are not protected by the suppression, and such a cell's count would bound the withheld one's, by difference or by inequality over time; see disclosure.counts_withheld)`,
});
const suppressed = z.enum(SUPPRESSION_REASONS).nullable()
  .meta({ description: 'Why the cell is withheld: fewer organizations than the minimum, dominant organizations ((n, k) rule), the p % rule, or complementary suppression (null: published)' });

/** The dimensions a cell may carry (those of group_by). */
const dims = {
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional().meta({ description: 'Scenario area (when grouped by it)' }),
  scenario_class: z.string().optional().meta({ description: 'Scenario class code (when grouped by it)' }),
  period: z.string().optional().meta({ description: 'Period: YYYY-MM, YYYY-Qn or YYYY by period_unit (when grouped by it)' }),
  incident_type: z.enum(INCIDENT_TYPES).optional().meta({ description: 'Incident type (when grouped by it)' }),
  severity_level: z.enum(['0', '1', '2', '3', '4', '5']).optional().meta({ description: 'Severity level (when grouped by it)' }),
};

const tableCommon = {
  period_unit: z.enum(PERIOD_UNITS).meta({ description: 'Unit of the period dimension' }),
  from: z.string().nullable().meta({ description: 'First day asked for (null: open)' }),
  to: z.string().nullable().meta({ description: 'Last day asked for (null: open)' }),
  disclosure: z.strictObject({
    method: z.enum(['linked_tables', 'per_table']).meta({ description: 'linked_tables: the cells are selected from one structure protected once over every answerable table (incident rates, severity, loss ratios); per_table: protected within this table (no longer returned)' }),
    rules: z.array(z.string()).meta({ description: 'The rules in force, by name (their parameters are not published): min_contributors, dominance ((n, k) rule), p_percent, complementary (secondary suppression), quantile_tail (severity quantiles)' }),
    protected_cells: z.number().int().meta({ description: 'Cells of this response withheld' }),
    by_reason: z.strictObject({
      min_contributors: z.number().int().meta({ description: 'Too few organizations' }),
      dominance: z.number().int().meta({ description: 'Dominated by its largest organizations' }),
      p_percent: z.number().int().meta({ description: 'The second-largest organization could estimate the largest too closely' }),
      complementary: z.number().int().meta({ description: 'Withheld so that no other figure reveals a withheld one' }),
    }).meta({ description: 'Withheld cells of this response by reason' }),
    counts_withheld: z.number().int().meta({ description: 'Published cells of this response whose counts are withheld (null): organizations and deployments (incident rates), share_open (severity), insured organizations (loss ratios). Counts are not protected by the suppression, so a cell publishes them only when none of its parts lies inside a withheld cell (docs/disclosure-control.md §2)' }),
    quantiles_withheld: z.number().int().optional().meta({ description: 'Severity only: published cells with at least one quantile withheld (too few claims on one side of it)' }),
  }).meta({ id: 'DisclosureSummary', description: 'Disclosure control applied to the cells (docs/disclosure-control.md)' }),
};

export const IncidentRateCell = z.strictObject({
  ...dims,
  organizations: countOf('Organizations with exposure in the cell'),
  deployments: countOf('Deployments with exposure in the cell'),
  operating_hours: nullable('Operating hours'),
  incidents: nullable('Incidents'),
  rate_per_1000h: nullable('Incidents per 1,000 operating hours'),
  ci_low: nullable('Lower exact (Garwood) 95% bound of the rate'),
  ci_high: nullable('Upper exact (Garwood) 95% bound of the rate'),
  suppressed,
}).meta({ id: 'IncidentRateCell', description: 'Incident rate of one cell' });

export const IncidentRateTable = z.strictObject({
  group_by: z.array(z.enum(ALL_DIMS)).meta({ description: 'Dimensions of the cells' }),
  ...tableCommon,
  cells: z.array(IncidentRateCell).meta({ description: 'One cell per combination of the dimensions' }),
}).meta({ id: 'IncidentRateTable', description: 'Incident rates per 1,000 operating hours, disclosure-controlled' });

export const SeverityCell = z.strictObject({
  scenario_area: dims.scenario_area,
  scenario_class: dims.scenario_class,
  period: dims.period,
  severity_level: dims.severity_level,
  claims: nullable('Claims'),
  mean: nullable('Mean incurred, CNY'),
  median: nullable('Median incurred, CNY (also null with too few claims on either side of it)'),
  p90: nullable('90% quantile, CNY (also null with too few claims above it)'),
  p99: nullable('99% quantile, CNY (also null with too few claims above it)'),
  total_incurred: nullable('Total incurred (open at paid + case reserve), CNY'),
  share_open: countOf('Share of open claims (× claims: the open claims, a count)'),
  suppressed,
}).meta({ id: 'SeverityCell', description: 'Claim severity of one cell' });

export const SeverityTable = z.strictObject({
  coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage of the claims' }),
  group_by: z.array(z.enum(SEVERITY_DIMS)).meta({ description: 'Dimensions of the cells' }),
  ...tableCommon,
  cells: z.array(SeverityCell).meta({ description: 'Cells with claims' }),
}).meta({ id: 'SeverityTable', description: 'Claim severity of a coverage, disclosure-controlled' });

export const LossRatioCell = z.strictObject({
  scenario_area: dims.scenario_area,
  period: dims.period,
  organizations: countOf('Insured organizations'),
  earned_premium: nullable('Earned gross premium of bound quotes, CNY'),
  incurred_losses: nullable('Incurred losses of the insured in the class and policy period, CNY'),
  loss_ratio: z.number().nullable().meta({ description: 'incurred / earned (null when suppressed or nothing earned)' }),
  suppressed,
}).meta({ id: 'LossRatioCell', description: 'Loss ratio of one cell' });

export const LossRatioTable = z.strictObject({
  group_by: z.array(z.enum(LOSS_RATIO_DIMS)).meta({ description: 'Dimensions of the cells' }),
  ...tableCommon,
  cells: z.array(LossRatioCell).meta({ description: 'Cells with earned premium' }),
}).meta({ id: 'LossRatioTable', description: 'Loss ratios of bound business, disclosure-controlled' });
