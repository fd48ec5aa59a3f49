/**
 * Pay-per-use policies: deployments linked to fleet lines, usage declarations and the monthly
 * premium statement (docs/policy-statements.md). Requests and the statement's shape, shared by
 * the API (validation, OpenAPI), the services and the renderers.
 */
import { z } from 'zod';
import { isCalendarDate, MAX_HOURS_PER_YEAR } from '../calendar.ts';
import { ref, text } from './common.ts';

/** A calendar month `YYYY-MM`. */
export const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a calendar month YYYY-MM').refine((m) => isCalendarDate(`${m}-01`), 'not a calendar month')
  .meta({ description: 'Calendar month YYYY-MM' });

export const LineDeployments = z.strictObject({
  deployment_refs: z.array(ref).max(1000).refine((rs) => new Set(rs).size === rs.length, 'each deployment at most once')
    .meta({ description: 'Deployments of the insured organization whose operating hours this fleet line bills (replaces the current list; [] unlinks all)' }),
}).meta({ id: 'LineDeployments', description: 'The deployments of one fleet line of a pay-per-use policy', example: { deployment_refs: ['DEP-0001'] } });
export type LineDeployments = z.infer<typeof LineDeployments>;

export const UsageDeclaration = z.strictObject({
  month: YearMonth,
  deployment_ref: ref.meta({ description: 'A deployment linked to a fleet line of the policy' }),
  operating_hours: z.number().min(0).max(MAX_HOURS_PER_YEAR * 100_000).meta({ description: 'Operating hours of all the deployment’s units in the month’s days of cover (at most units × 24 h × days of cover)' }),
  note: text.trim().max(2000).optional().meta({ description: 'Why (e.g. telemetry gap, correction); recorded with the declaration' }),
}).meta({ id: 'UsageDeclaration', description: 'Declared operating hours of a deployment in a month', example: { month: '2027-01', deployment_ref: 'DEP-0001', operating_hours: 400.5 } });
export type UsageDeclaration = z.infer<typeof UsageDeclaration>;

const num = (description: string) => z.number().meta({ description });
const nnum = (description: string) => z.number().nullable().meta({ description });

export const DeclaredUsage = z.strictObject({
  operating_hours: num('Declared hours (to 0.01 h)'),
  declared_by: z.string().meta({ description: 'Who declared: api_key:<id> or cli:<operator>' }),
  declared_role: z.enum(['enterprise', 'underwriter']).meta({ description: 'Role of the declarer' }),
  declared_at: z.string().meta({ description: 'When (ISO timestamp)' }),
  note: z.string().nullable().meta({ description: 'The declarer’s note' }),
}).meta({ id: 'DeclaredUsage', description: 'The latest usage declaration of one party' });

export const StatementDeployment = z.strictObject({
  deployment_ref: z.string().meta({ description: 'Deployment linked to the line' }),
  imported_hours: nnum('Hours of the imported exposures in the month’s days of cover, spread pro rata over each row’s days (null: no exposure row)'),
  declared_by_enterprise: DeclaredUsage.nullable().meta({ description: 'Latest declaration of the insured (null: none)' }),
  declared_by_underwriter: DeclaredUsage.nullable().meta({ description: 'Latest declaration of an underwriter (null: none)' }),
  billed_hours: num('Hours billed (source rule: docs/policy-statements.md)'),
  source: z.enum(['imported', 'declared_by_enterprise', 'declared_by_underwriter', 'none']).meta({ description: 'Where the billed hours come from' }),
}).meta({ id: 'StatementDeployment', description: 'Usage of one linked deployment in the month' });

export const StatementRate = z.strictObject({
  from: z.string().meta({ description: 'First day of the part' }),
  to: z.string().meta({ description: 'Last day of the part' }),
  days: z.number().int().meta({ description: 'Days of the part' }),
  line_gross_premium: num('Full-term gross premium of the line in force on these days, CNY'),
  line_expected_hours: num('Full-term expected hours of the line in force on these days'),
  rate_per_operating_hour: num('line gross premium / line expected hours, CNY, not rounded'),
}).meta({ id: 'StatementRate', description: 'Days of a month under one schedule of a fleet line (endorsements split a month)' });

export const StatementLine = z.strictObject({
  line: z.number().int().meta({ description: '1-based fleet line of the quote' }),
  robot_model: z.string().meta({ description: 'Robot model of the line' }),
  scenario_class: z.string().meta({ description: 'Scenario class of the line' }),
  units: z.number().int().meta({ description: 'Insured units of the line on the month’s last day of cover' }),
  line_gross_premium: num('Full-term gross premium of the line (all coverages, tax included) as scheduled on the month’s last day of cover, CNY'),
  line_expected_hours: num('units × operating hours per unit over the whole period, as scheduled on the month’s last day of cover'),
  rate_per_operating_hour: num('The month’s rate: line gross premium / line expected hours, CNY, not rounded; a month split by an endorsement: the rates of its parts weighted by their expected hours'),
  rates: z.array(StatementRate).meta({ description: 'The schedules of the line in the month: one, or one per endorsement effective inside it' }),
  expected_hours: num('Expected hours for this month: Σ over the month’s parts of line expected hours × days / days of the policy term (0.01 h)'),
  declared_hours: nnum('Σ declared hours of the line’s deployments (underwriter’s declaration where there is one, else the insured’s); null when none declared'),
  declared_minus_expected: nnum('declared − expected hours (null: nothing declared)'),
  billed_hours: num('Σ billed hours of the line’s deployments'),
  billed_minus_expected: num('billed − expected hours'),
  amount: num('round to the cent (half away from zero) of billed hours × the month’s rate, CNY'),
  expected_amount: num('The amount at the expected hours, CNY'),
  deployments: z.array(StatementDeployment).meta({ description: 'Usage of each linked deployment' }),
}).meta({ id: 'StatementLine', description: 'One fleet line of a premium statement' });

export const PolicyStatement = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  quote_ref: z.string().meta({ description: 'The quote the policy was bound from' }),
  organization: z.strictObject({ ref: z.string().meta({ description: 'Organization reference' }), name: z.string().meta({ description: 'Organization name' }) }).meta({ description: 'The insured' }),
  period: z.strictObject({ start: z.string().meta({ description: 'First day of cover' }), end: z.string().meta({ description: 'Last day of cover' }) }).meta({ description: 'Policy period (inclusive)' }),
  month: z.string().meta({ description: 'YYYY-MM' }),
  from: z.string().meta({ description: 'First day of cover in the month' }),
  to: z.string().meta({ description: 'Last day of cover in the month' }),
  days: z.number().int().meta({ description: 'Days of cover in the month' }),
  period_days: z.number().int().meta({ description: 'Days of the policy term, inception to expiry (also after a cancellation): the denominator of every pro-rata share' }),
  status: z.enum(['final', 'provisional']).meta({ description: 'provisional while the month’s last day of cover is today or later (usage may still come in)' }),
  currency: z.literal('CNY').meta({ description: 'Currency of every amount' }),
  lines: z.array(StatementLine).meta({ description: 'Every fleet line of the policy' }),
  expected_hours: num('Σ expected hours of the lines'),
  declared_hours: nnum('Σ declared hours (null: nothing declared)'),
  billed_hours: num('Σ billed hours'),
  subtotal: num('Σ line amounts, CNY'),
  minimum_premium: num('This month’s share of the plan’s minimum premium (by days of cover, largest remainder), CNY'),
  minimum_premium_adjustment: num('max(0, minimum − subtotal), CNY'),
  total: num('subtotal + adjustment, CNY (premium tax included, as the quote’s gross premium)'),
  source_rule: z.string().meta({ description: 'Which hours are billed when several sources exist' }),
  generated_at: z.string().meta({ description: 'When the statement was computed (ISO timestamp)' }),
}).meta({ id: 'PolicyStatement', description: 'Premium statement of one calendar month of a pay-per-use policy' });
export type PolicyStatement = z.input<typeof PolicyStatement>;

export const PolicyStatementSummary = z.strictObject({
  month: z.string().meta({ description: 'YYYY-MM' }), from: z.string().meta({ description: 'First day of cover in the month' }), to: z.string().meta({ description: 'Last day of cover in the month' }),
  status: z.enum(['final', 'provisional']).meta({ description: 'provisional while the month’s cover runs' }),
  expected_hours: num('Σ expected hours'), billed_hours: num('Σ billed hours'), total: num('Total premium of the month, CNY'),
}).meta({ id: 'PolicyStatementSummary', description: 'One month in the list of a policy’s statements' });

export const SOURCE_RULE = "Per deployment and month: an underwriter's declaration wins; otherwise the larger of the imported exposure hours and "
  + "the insured's latest declaration (a declaration can add hours the exposures do not show yet, never bill fewer than they record); no figure: 0 h.";
