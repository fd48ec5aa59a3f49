/** Query and response schemas of the regulator statistics (docs/actuarial-method.md §9). */
import { z } from 'zod';
import { COVERAGE_CODES, INCIDENT_TYPES, PERIOD_UNITS, SCENARIO_AREA_CODES, SUPPRESSION_REASONS } from '../domain/index.ts';
import { FROM_AFTER_TO, fromNotAfterTo, isoDate } from '../domain/schemas/index.ts';

export const ALL_DIMS = ['scenario_area', 'scenario_class', 'period', 'incident_type', 'severity_level'] as const;
export const LOSS_RATIO_DIMS = ['scenario_area', 'period'] as const;

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
export const RatesQuery = z.strictObject({ group_by: groupBy(ALL_DIMS, ['scenario_area']), ...common }).refine(fromNotAfterTo, FROM_AFTER_TO);
export const SeverityQuery = z.strictObject({ coverage: z.enum(COVERAGE_CODES), group_by: groupBy(ALL_DIMS, ['scenario_area']), ...common }).refine(fromNotAfterTo, FROM_AFTER_TO);
export const LossRatioQuery = z.strictObject({ group_by: groupBy(LOSS_RATIO_DIMS, ['scenario_area', 'period']), ...common, period_unit: z.enum(PERIOD_UNITS).default('year') }).refine(fromNotAfterTo, FROM_AFTER_TO);
export const ReportQuery = { from: isoDate.optional(), to: isoDate.optional() };

const nullable = (description: string) => z.number().nullable().meta({ description: `${description} (null when suppressed)` });
const suppressed = z.enum(SUPPRESSION_REASONS).nullable()
  .meta({ description: 'Why the cell is withheld: fewer organizations than the minimum, one dominant organization, or complementary suppression (null: published)' });

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
    min_contributors: z.number().int().meta({ description: 'Fewest organizations a published cell has' }),
    dominance: z.number().meta({ description: 'Largest share one organization may have of a published cell' }),
  }).meta({ id: 'DisclosureRules', description: 'Disclosure control applied to the cells' }),
};

export const IncidentRateCell = z.strictObject({
  ...dims,
  organizations: nullable('Organizations with exposure in the cell'),
  deployments: nullable('Deployments with exposure in the cell'),
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
  ...dims,
  claims: nullable('Claims'),
  mean: nullable('Mean incurred, CNY'),
  median: nullable('Median incurred, CNY'),
  p90: nullable('90% quantile, CNY'),
  p99: nullable('99% quantile, CNY'),
  total_incurred: nullable('Total incurred (open at paid + case reserve), CNY'),
  share_open: nullable('Share of open claims'),
  suppressed,
}).meta({ id: 'SeverityCell', description: 'Claim severity of one cell' });

export const SeverityTable = z.strictObject({
  coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage of the claims' }),
  group_by: z.array(z.enum(ALL_DIMS)).meta({ description: 'Dimensions of the cells' }),
  ...tableCommon,
  cells: z.array(SeverityCell).meta({ description: 'Cells with claims' }),
}).meta({ id: 'SeverityTable', description: 'Claim severity of a coverage, disclosure-controlled' });

export const LossRatioCell = z.strictObject({
  scenario_area: dims.scenario_area,
  period: dims.period,
  organizations: nullable('Insured organizations'),
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
