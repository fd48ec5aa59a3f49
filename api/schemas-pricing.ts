/** Request schemas of models, rule sets, rating plans and quotes. */
import { z } from 'zod';
import { COVERAGE_CODES, INCIDENT_TYPES, AUTONOMY_LEVELS } from '../domain/index.ts';
import { FREQUENCY_FACTORS } from '../domain/factors.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Period = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'from is after to', path: ['to'] });

export const FrequencyModelRequest = z
  .strictObject({
    coverage: z.enum(COVERAGE_CODES).optional(),
    incident_types: z.array(z.enum(INCIDENT_TYPES)).min(1).optional(),
    factors: z.array(z.enum(FREQUENCY_FACTORS)).min(1).max(FREQUENCY_FACTORS.length)
      .refine((f) => new Set(f).size === f.length, 'factors must be distinct'),
    family: z.enum(['poisson', 'negative_binomial']).default('poisson'),
    base_levels: z.record(z.string(), z.string().min(1)).optional(),
    period: Period.optional(),
  })
  .refine((r) => !!r.coverage !== !!r.incident_types, { message: 'give exactly one of coverage, incident_types', path: ['coverage'] })
  .meta({ id: 'FrequencyModelRequest' });
export type FrequencyModelRequest = z.infer<typeof FrequencyModelRequest>;

export const SeverityModelRequest = z
  .strictObject({
    coverage: z.enum(COVERAGE_CODES),
    distributions: z.array(z.enum(['lognormal', 'gamma', 'weibull', 'lomax', 'exponential'])).min(1).optional(),
    threshold: z.number().positive().optional(),
    period: Period.optional(),
  })
  .meta({ id: 'SeverityModelRequest' });
export type SeverityModelRequest = z.infer<typeof SeverityModelRequest>;

export const ModelQuery = z.strictObject({
  kind: z.enum(['frequency', 'severity']).optional(),
  coverage: z.enum(COVERAGE_CODES).optional(),
  status: z.enum(['candidate', 'active', 'retired']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const Activation = z.strictObject({ effective_from: z.iso.datetime({ offset: true }).optional() }).meta({ id: 'Activation' });
export type Activation = z.infer<typeof Activation>;

/** Rule sets are validated by rules/validate.ts (which names each bad path); only the envelope here. */
export const RulesetUpload = z.looseObject({ name: z.string(), rules: z.array(z.unknown()) }).meta({ id: 'RulesetUpload', description: 'json-rules-engine rule set (see rules/default-ruleset.json)' });

const rate = z.number().min(0).lt(1);
export const RatingPlanRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, _ . -'),
    description: z.string().max(2000).nullable().default(null),
    coverages: z.partialRecord(z.enum(COVERAGE_CODES), z.strictObject({
      frequency_model_id: z.number().int().positive(),
      severity_model_id: z.number().int().positive(),
    })).refine((c) => Object.keys(c).length > 0, 'at least one coverage'),
    ruleset_id: z.number().int().positive(),
    loadings: z.strictObject({
      expense: rate, commission: rate, profit: rate, cost_of_capital: z.number().min(0).max(1), tax: rate,
      minimum_premium: z.number().min(0).max(1e9),
    }),
    quote_validity_days: z.number().int().min(1).max(365).default(30),
    experience_credibility: z.boolean().default(true),
  })
  .meta({ id: 'RatingPlanRequest' });
export type RatingPlanRequest = z.infer<typeof RatingPlanRequest>;

const money = z.number().min(0).max(1e11);
export const QuoteRequest = z
  .strictObject({
    organization_ref: z.string().min(1).max(100).optional().meta({ description: 'required when an underwriter quotes on behalf of an organization' }),
    basis: z.enum(['annual', 'pay_per_use']),
    period: z.strictObject({ start: isoDate, end: isoDate })
      .refine((p) => p.start <= p.end, { message: 'end is before start', path: ['end'] })
      .refine((p) => (Date.parse(p.end) - Date.parse(p.start)) / 86_400_000 <= 3 * 366, { message: 'at most three years', path: ['end'] }),
    fleet: z.array(z.strictObject({
      robot_model: z.string().min(1).max(100),
      scenario_class: z.string().min(1).max(100),
      units: z.number().int().min(1).max(100_000),
      autonomy_level: z.enum(AUTONOMY_LEVELS),
      operating_hours_per_unit: z.number().positive().max(3 * 8784).meta({ description: 'expected operating hours of one unit during the policy period' }),
      safety: z.strictObject({
        teleoperation_fallback: z.boolean().optional(),
        force_speed_limiting: z.boolean().optional(),
        safety_officer_on_site: z.boolean().optional(),
        operator_training_hours: z.number().min(0).max(10_000).optional(),
      }).default({}),
    })).min(1).max(1000),
    coverages: z.array(z.strictObject({
      coverage: z.enum(COVERAGE_CODES),
      deductible: money,
      per_occurrence_limit: money.positive(),
      aggregate_limit: money.positive().nullable().optional(),
    })).min(1).max(3)
      .refine((cs) => new Set(cs.map((c) => c.coverage)).size === cs.length, 'each coverage at most once'),
  })
  .meta({ id: 'QuoteRequest' });
export type QuoteRequest = z.infer<typeof QuoteRequest>;

export const QuoteDecision = z.strictObject({
  decision: z.enum(['quoted', 'declined']),
  note: z.string().trim().min(1).max(4000),
}).meta({ id: 'QuoteDecision' });

export const QuoteQuery = z.strictObject({
  status: z.enum(['quoted', 'referred', 'declined', 'bound', 'expired']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
