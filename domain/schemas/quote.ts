/** The quote request and an underwriter's decision (docs/actuarial-method.md §4, §7–8). */
import { z } from 'zod';
import { AUTONOMY_LEVELS, COVERAGE_CODES, QUOTE_BASES } from '../enums.ts';
import { isoDate, text } from './common.ts';
import { NewSubjectivity } from './policy.ts';
import { MAX_HOURS_PER_YEAR, nextPolicyYear, termYears } from '../calendar.ts';

const money = z.number().min(0).max(1e11);

export const SafetyDeclaration = z
  .strictObject({
    teleoperation_fallback: z.boolean().optional().meta({ description: 'A trained teleoperator can take over at any time' }),
    force_speed_limiting: z.boolean().optional().meta({ description: 'Power & force limiting or speed & separation monitoring (ISO/TS 15066) is active' }),
    safety_officer_on_site: z.boolean().optional().meta({ description: 'A designated safety officer is on site during operation' }),
    operator_training_hours: z.number().min(0).max(10_000).optional().meta({ description: 'Training hours per operator / teleoperator' }),
  })
  .meta({ id: 'SafetyDeclaration', description: 'Safety measures declared for a fleet line (undeclared = false / 0)' });
export type SafetyDeclaration = z.infer<typeof SafetyDeclaration>;

export const FleetLine = z
  .strictObject({
    robot_model: text.min(1).max(100).meta({ description: 'Robot model code of the catalog' }),
    scenario_class: text.min(1).max(100).meta({ description: 'Scenario class code of the catalog' }),
    units: z.number().int().min(1).max(100_000).meta({ description: 'Number of robots' }),
    autonomy_level: z.enum(AUTONOMY_LEVELS).meta({ description: 'Autonomy level of operation' }),
    operating_hours_per_unit: z.number().positive().max(3 * MAX_HOURS_PER_YEAR).meta({ description: 'Expected operating hours of one unit over the whole policy period: at most 8,784 per policy year (rules read them per year)' }),
    safety: SafetyDeclaration.default({}),
  })
  .meta({ id: 'FleetLine', description: 'One fleet line: robots of one model in one scenario class' });
export type FleetLine = z.infer<typeof FleetLine>;

export const CoverageRequest = z
  .strictObject({
    coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage code' }),
    deductible: money.meta({ description: 'Per-occurrence deductible, CNY' }),
    // at least CNY 1: a limit of 5e-323 leaves the aggregate lattice no positive step (it answered 500)
    per_occurrence_limit: money.min(1).meta({ description: 'Per-occurrence limit, CNY, at least 1 (robot damage: capped at the replacement value)' }),
    aggregate_limit: money.min(1).nullable().optional().meta({ description: 'Aggregate limit over the period, CNY, at least 1 (none when absent or null)' }),
    coinsurance: z.number().gt(0).max(1).optional().meta({ description: 'Share of each loss above the deductible that the insurer pays, up to the per-occurrence limit (which applies before the share): payment = share × min((loss − deductible)+, limit). Default 1' }),
  })
  .meta({ id: 'CoverageRequest', description: 'A coverage requested with its deductible and limits' });
export type CoverageRequest = z.infer<typeof CoverageRequest>;

const QuoteRequestShape = z.strictObject({
  organization_ref: text.min(1).max(100).optional().meta({ description: 'required when an underwriter quotes on behalf of an organization' }),
  basis: z.enum(QUOTE_BASES).meta({ description: 'annual premium, or pay-per-use: a rate per operating hour' }),
  period: z.strictObject({
    start: isoDate.meta({ description: 'First day of cover' }),
    end: isoDate.meta({ description: 'Last day of cover (inclusive)' }),
  })
    .refine((p) => p.start <= p.end, { message: 'end is before start', path: ['end'] })
    .refine((p) => (Date.parse(p.end) - Date.parse(p.start)) / 86_400_000 <= 3 * 366, { message: 'at most three years', path: ['end'] })
    .meta({ description: 'Policy period (at most three years)' }),
  fleet: z.array(FleetLine).min(1).max(1000).meta({ description: 'Fleet lines to insure' }),
  coverages: z.array(CoverageRequest).min(1).max(3)
    .refine((cs) => new Set(cs.map((c) => c.coverage)).size === cs.length, 'each coverage at most once')
    .meta({ description: 'Coverages requested (each at most once)' }),
  backdating: z.strictObject({
    reason: text.trim().min(10).max(2000).meta({ description: 'Why cover starts before today (recorded in the worksheet and the audit trail)' }),
  }).optional().meta({ description: 'Underwriters only: accept a period that starts before today (retroactive cover). Refused otherwise' }),
}).superRefine((r, ctx) => {
  // hours are over the whole period; the engine and the rules accept at most 8,784 per policy year
  if (!(r.period.start <= r.period.end)) return;
  const years = termYears(r.period);
  r.fleet.forEach((l, i) => {
    if (l.operating_hours_per_unit / years > MAX_HOURS_PER_YEAR) {
      ctx.addIssue({ code: 'custom', path: ['fleet', i, 'operating_hours_per_unit'], message: `at most ${MAX_HOURS_PER_YEAR} hours per robot per policy year: ${Math.floor(MAX_HOURS_PER_YEAR * years)} over this period` });
    }
  });
});

/** The README's quote example: quoted (not referred) by the demo rating plan and default rules; cover from next month. */
export const QUOTE_REQUEST_EXAMPLE = {
  basis: 'annual',
  period: nextPolicyYear(),
  fleet: [{
    robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised',
    operating_hours_per_unit: 4000, safety: { safety_officer_on_site: true },
  }],
  coverages: [
    { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 300_000 },
    { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000, aggregate_limit: 5_000_000 },
  ],
} satisfies z.input<typeof QuoteRequestShape>;

export const QuoteRequest = QuoteRequestShape.meta({
  id: 'QuoteRequest',
  description: 'A fleet to price: lines, coverages, period and basis',
  example: QUOTE_REQUEST_EXAMPLE,
});
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const QuoteDecision = z
  .strictObject({
    decision: z.enum(['quoted', 'declined']).meta({ description: 'Quote the referred request, or decline it' }),
    note: text.trim().min(1).max(4000).meta({ description: 'The underwriter’s reasons (audited)' }),
    subjectivities: z.array(NewSubjectivity).max(50).optional().meta({ description: 'Conditions the underwriter imposes with a `quoted` decision (added to the rules’ subjectivities)' }),
  })
  .refine((d) => d.decision === 'quoted' || !d.subjectivities?.length, { message: 'a declined quote takes no subjectivities', path: ['subjectivities'] })
  .meta({ id: 'QuoteDecision', description: "An underwriter's decision on a referred quote", example: { decision: 'quoted', note: 'Certification evidence seen on site' } });
export type QuoteDecision = z.infer<typeof QuoteDecision>;
