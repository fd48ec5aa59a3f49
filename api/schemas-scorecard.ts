/** Query and response schemas of the validation scorecard (docs/actuarial-method.md §10). */
import { z } from 'zod';
import { SCENARIO_AREA_CODES, SUPPRESSION_REASONS } from '../domain/index.ts';
import { VERDICTS } from '../rules/scorecard-facts.ts';

const num = (description: string) => z.number().meta({ description });
const nnum = (description: string) => z.number().nullable().meta({ description });
const int = (description: string) => z.number().int().meta({ description });

export const ScorecardQuery = z.strictObject({
  level: z.enum(['scenario_class', 'scenario_area']).default('scenario_class')
    .meta({ description: 'Cells per robot model × scenario class (default) or rolled up to the area' }),
  by_software_version: z.enum(['true', 'false']).default('false').transform((v) => v === 'true')
    .meta({ description: 'Split each cell by the software version of the exposure periods' }),
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional(),
  scenario_class: z.string().max(100).optional(),
  robot_model: z.string().max(100).optional().meta({ description: 'Only this robot model (shrinkage still uses the whole class)' }),
  software_version: z.string().max(100).optional(),
  verdict: z.enum(VERDICTS).optional(),
});

const key = {
  robot_model: z.string(),
  scenario_class: z.string().nullable().meta({ description: 'Scenario class (null at level scenario_area)' }),
  scenario_area: z.string(),
  software_version: z.string().nullable().meta({ description: 'Software version (null when not split or not reported)' }),
};

const observed = {
  ...key,
  deployments: int('Deployments with exposure'),
  operating_hours: num('Operating hours'),
  task_cycles: num('Task cycles'),
  incidents: int('Incidents'),
  severe_incidents: int('Incidents of severity level 3 or more'),
  injury_incidents: int('Incidents with a bodily injury'),
  incident_rate_per_1000h: nnum('Incidents per 1,000 operating hours'),
  ci_low: nnum('Lower exact (Garwood) 95% limit of the rate'),
  ci_high: nnum('Upper exact (Garwood) 95% limit of the rate'),
  mean_hours_between_incidents: nnum('Operating hours per incident (null: no incident)'),
  mtbi_ci_low: nnum('Lower 95% limit of the hours between incidents'),
  mtbi_ci_high: nnum('Upper 95% limit of the hours between incidents (null: unbounded)'),
  protective_stops_per_1000h: nnum('Protective stops per 1,000 h'),
  near_misses_per_1000h: nnum('Near misses per 1,000 h'),
  severe_share: nnum('Share of incidents of severity level 3 or more'),
  downtime_per_1000h: nnum('Downtime hours per 1,000 h, over the periods reporting downtime'),
};

const FiredRule = z.strictObject({
  rule: z.string(), verdict: z.enum(VERDICTS), reason: z.string(), condition: z.string().nullable(),
  facts: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.string()).readonly()])),
}).meta({ id: 'ScorecardFiredRule', description: 'A fired insurability rule with the values of the facts it uses' });

export const ScorecardCell = z.strictObject({
  ...observed,
  organizations: int('Operating organizations'),
  class_rate_per_1000h: nnum('Rate of the class (all robot models of the cell\'s class or area)'),
  credibility: num('Empirical-Bayes credibility weight Z = e / (e + β)'),
  credibility_rate_per_1000h: nnum('Credibility rate Z·observed + (1 − Z)·class (posterior mean)'),
  credibility_ci_low: nnum('Lower 95% limit of the gamma posterior'),
  credibility_ci_high: nnum('Upper 95% limit of the gamma posterior'),
  p_best: nnum('Posterior probability of the lowest rate in the class (null: degenerate prior)'),
  rank_in_class: int('Rank of the credibility rate in the class (1 = lowest)'),
  lf_credibility: num('Limited-fluctuation credibility min(1, √(n / 270.6))'),
  hours_for_full_credibility: nnum('Operating hours for 270.6 expected incidents at the credibility rate'),
  hours_still_needed: nnum('Operating hours still needed for full credibility'),
  verdict: z.enum(VERDICTS),
  fired_rules: z.array(FiredRule),
  conditions: z.array(z.string()).meta({ description: 'Subjectivities of an insurable_with_conditions verdict' }),
}).meta({ id: 'ScorecardCell', description: 'One robot model × scenario class (or area) [× software version] cell' });

const RulesetRef = z.strictObject({ id: z.number().int().nullable(), name: z.string(), version: z.union([z.string(), z.number()]).nullable() })
  .meta({ id: 'ScorecardRulesetRef', description: 'The insurability rule set in force (id null: the built-in default)' });
const common = {
  level: z.enum(['scenario_class', 'scenario_area']),
  by_software_version: z.boolean(),
};
const fullCred = z.strictObject({ p: z.number(), k: z.number() }).meta({ description: 'Limited-fluctuation standard of full credibility' });
const disclosure = z.strictObject({ min_contributors: z.number().int(), dominance: z.number() });

export const FullScorecard = z.strictObject({ view: z.literal('full'), ...common, ruleset: RulesetRef, full_credibility: fullCred, cells: z.array(ScorecardCell) });
export const RegulatorScorecard = z.strictObject({
  view: z.literal('regulator'), ...common, ruleset: RulesetRef, full_credibility: fullCred, disclosure,
  cells: z.array(ScorecardCell).meta({ description: 'Published cells; shrinkage and P(best) use these only' }),
  suppressed: z.array(z.strictObject({ ...key, suppressed: z.enum(SUPPRESSION_REASONS) })),
});
const Benchmark = z.strictObject({
  deployments: z.number(), organizations: z.number(), operating_hours: z.number(), incidents: z.number(),
  incident_rate_per_1000h: z.number().nullable(), ci_low: z.number().nullable(), ci_high: z.number().nullable(),
  credibility_rate_per_1000h: z.number().nullable(), protective_stops_per_1000h: z.number().nullable(),
  near_misses_per_1000h: z.number().nullable(), severe_share: z.number().nullable(), verdict: z.enum(VERDICTS),
}).nullable().meta({ description: 'The published market cell of the same key (null: not published under disclosure control)' });
export const EnterpriseScorecard = z.strictObject({
  view: z.literal('enterprise'), ...common, organization_ref: z.string().nullable(), disclosure,
  cells: z.array(z.strictObject({ ...observed, market: Benchmark })),
});
export const Scorecard = z.union([FullScorecard, RegulatorScorecard, EnterpriseScorecard])
  .meta({ id: 'Scorecard', description: 'The validation scorecard in the view of the caller\'s role' });

export const ScorecardRulesetVersion = z.strictObject({
  id: z.number().int(), name: z.string(), version: z.number().int(), status: z.enum(['draft', 'active', 'retired']),
  effective_from: z.date().nullable(), created_by: z.string(), created_at: z.date(), ruleset: z.looseObject({ name: z.string(), rules: z.array(z.unknown()) }),
}).meta({ id: 'ScorecardRulesetVersion', description: 'A stored scorecard insurability rule set version' });
