/** Requests to fit frequency and severity models (docs/actuarial-method.md §2–3). */
import { z } from 'zod';
import { COVERAGE_CODES, FREQUENCY_FAMILIES, INCIDENT_TYPES, SEVERITY_FAMILIES } from '../enums.ts';
import { FREQUENCY_FACTORS } from '../factors.ts';
import { Period, text } from './common.ts';

export const FrequencyModelRequest = z
  .strictObject({
    coverage: z.enum(COVERAGE_CODES).optional().meta({ description: 'Count the claims of this coverage (incidents with a loss under it); give this or incident_types' }),
    incident_types: z.array(z.enum(INCIDENT_TYPES)).min(1).optional().meta({ description: 'Count incidents of these types; give this or coverage' }),
    factors: z.array(z.enum(FREQUENCY_FACTORS)).min(1).max(FREQUENCY_FACTORS.length)
      .refine((f) => new Set(f).size === f.length, 'factors must be distinct')
      .meta({ description: 'Rating factors of the GLM (categorical, treatment contrasts)' }),
    family: z.enum(FREQUENCY_FAMILIES).default('poisson').meta({ description: 'Poisson (fitted from SQL cell sums) or negative binomial NB2 (fitted on exposure periods, θ by maximum likelihood)' }),
    base_levels: z.record(text.max(100), text.min(1).max(100)).optional().meta({ description: 'Base level per factor (default: the level with most exposure)' }),
    period: Period.optional(),
  })
  .refine((r) => !!r.coverage !== !!r.incident_types, { message: 'give exactly one of coverage, incident_types', path: ['coverage'] })
  .meta({
    id: 'FrequencyModelRequest',
    description: 'A frequency GLM to fit: log link, log(operating hours) offset',
    example: { coverage: 'robot_damage', factors: ['scenario_area', 'autonomy_level'], family: 'poisson' },
  });
export type FrequencyModelRequest = z.infer<typeof FrequencyModelRequest>;

export const SeverityModelRequest = z
  .strictObject({
    coverage: z.enum(COVERAGE_CODES).meta({ description: 'Coverage whose losses are fitted (open claims at paid + case reserve)' }),
    distributions: z.array(z.enum(SEVERITY_FAMILIES)).min(1).optional().meta({ description: 'Families to fit (default: all)' }),
    threshold: z.number().positive().optional().meta({ description: 'Also fit a body spliced with a generalised Pareto tail above this amount (CNY)' }),
    period: Period.optional(),
  })
  .meta({
    id: 'SeverityModelRequest',
    description: 'Severity distributions to fit to a coverage’s losses, ranked by AIC',
    example: { coverage: 'third_party_liability' },
  });
export type SeverityModelRequest = z.infer<typeof SeverityModelRequest>;
