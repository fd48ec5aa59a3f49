/** Rule-set uploads, rating plans and activations (docs/actuarial-method.md §7–8). */
import { z } from 'zod';
import { COVERAGE_CODES } from '../enums.ts';
import { Id, isoDateTime, text } from './common.ts';

export const Activation = z
  .strictObject({ effective_from: isoDateTime.optional().meta({ description: 'When the version takes effect (default: now)' }) })
  .meta({ id: 'Activation', description: 'Activation of a version', example: {} });
export type Activation = z.infer<typeof Activation>;

/** Rule sets are validated by rules/validate.ts (which names each bad path); only the envelope here. */
export const RulesetUpload = z
  .looseObject({
    name: text.min(1).max(200).meta({ description: 'Rule set name; each upload of a name is a new version' }),
    rules: z.array(z.unknown()).meta({ description: 'json-rules-engine rules (facts of the fact catalog, events decline / refer / load / discount / require)' }),
  })
  .meta({
    id: 'RulesetUpload',
    description: 'json-rules-engine rule set (see rules/default-ruleset.json)',
    example: {
      name: 'example-rules',
      rules: [{
        name: 'refer_large_fleets',
        conditions: { all: [{ fact: 'total_units', operator: 'greaterThan', value: 500 }] },
        event: { type: 'refer', params: { reason: 'Fleets of more than 500 robots need an underwriter' } },
      }],
    },
  });
export type RulesetUpload = z.infer<typeof RulesetUpload>;

const rate = z.number().min(0).lt(1);

export const Loadings = z
  .strictObject({
    expense: rate.meta({ description: 'Expense loading, share of the gross premium before tax' }),
    commission: rate.meta({ description: 'Commission, share of the gross premium before tax' }),
    profit: rate.meta({ description: 'Profit loading, share of the gross premium before tax' }),
    cost_of_capital: z.number().min(0).max(1).meta({ description: 'Cost-of-capital rate applied to TVaR99.5 − mean of the policy aggregate (risk margin)' }),
    tax: rate.meta({ description: 'Tax rate on the premium before tax' }),
    minimum_premium: z.number().min(0).max(1e9).meta({ description: 'Minimum gross premium of a quote, CNY' }),
  })
  .meta({ id: 'Loadings', description: 'Premium loadings of a rating plan (docs/actuarial-method.md §8)' });
export type Loadings = z.infer<typeof Loadings>;

export const CoverageModels = z
  .strictObject({
    frequency_model_id: Id.meta({ description: 'Active frequency model version fitted on the coverage' }),
    severity_model_id: Id.meta({ description: 'Active severity model version fitted on the coverage' }),
  })
  .meta({ id: 'CoverageModels', description: 'The model versions that price a coverage' });

export const RatingPlanRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, _ . -').meta({ description: 'Plan name; each upload of a name is a new version' }),
    description: text.max(2000).nullable().default(null).meta({ description: 'Free-text description' }),
    coverages: z.partialRecord(z.enum(COVERAGE_CODES), CoverageModels)
      .refine((c) => Object.keys(c).length > 0, 'at least one coverage')
      .meta({ description: 'Model versions per priced coverage (keys: coverage codes)' }),
    ruleset_id: Id.meta({ description: 'Rule set version applied to quotes' }),
    loadings: Loadings,
    quote_validity_days: z.number().int().min(1).max(365).default(30).meta({ description: 'Days a quote stays valid' }),
    experience_credibility: z.boolean().default(true).meta({ description: 'Blend the organization’s own experience with its class (Bühlmann–Straub)' }),
    auto_bind_on_acceptance: z.boolean().default(false).meta({ description: 'Bind at once when the insured accepts a quote the rules quoted (no referral) with no open subjectivity required before binding (docs/policy-lifecycle.md §4)' }),
  })
  .meta({
    id: 'RatingPlanRequest',
    description: 'A rating plan version: model versions per coverage, rule set, loadings',
    example: {
      name: 'demo', description: 'Demo rating plan',
      coverages: { robot_damage: { frequency_model_id: 1, severity_model_id: 2 } },
      ruleset_id: 1,
      loadings: { expense: 0.12, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 5000 },
      quote_validity_days: 30, experience_credibility: true,
    },
  });
export type RatingPlanRequest = z.infer<typeof RatingPlanRequest>;
