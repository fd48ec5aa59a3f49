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
  robot_model: z.string().meta({ description: 'Robot model code' }),
  scenario_class: z.string().nullable().meta({ description: 'Scenario class (null at level scenario_area)' }),
  scenario_area: z.string().meta({ description: 'Scenario area code' }),
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
  rule: z.string().meta({ description: 'Rule name' }),
  verdict: z.enum(VERDICTS).meta({ description: 'The verdict the rule gives' }),
  reason: z.string().meta({ description: 'Why' }),
  condition: z.string().nullable().meta({ description: 'The subjectivity of an insurable_with_conditions rule' }),
  facts: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.string()).readonly()]))
    .meta({ description: 'Value of every fact the rule references (fact name → value)' }),
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
  verdict: z.enum(VERDICTS).meta({ description: 'Insurability verdict: the most severe of the fired rules (insurable when none fires)' }),
  fired_rules: z.array(FiredRule).meta({ description: 'The rules that fired, with their fact values' }),
  conditions: z.array(z.string()).meta({ description: 'Subjectivities of an insurable_with_conditions verdict' }),
}).meta({ id: 'ScorecardCell', description: 'One robot model × scenario class (or area) [× software version] cell' });

/** Why a secondary measure of a regulator's cell may be null (docs/disclosure-control.md §2, §3.6). */
const WITHHELD = ' — null: withheld, the cell\'s class or area has a withheld cell (secondary_withheld)';
const wint = (description: string) => z.number().int().nullable().meta({ description: description + WITHHELD });
const wnum = (description: string) => z.number().nullable().meta({ description: description + WITHHELD });
const secondaryWithheld = z.boolean().meta({
  description: 'true: the secondary measures (deployments, organizations, task_cycles, severe_incidents, injury_incidents, severe_share, '
    + 'protective_stops_per_1000h, near_misses_per_1000h, downtime_per_1000h) are withheld (null), because a cell of the same class or area '
    + '(a robot model, a software version, a month of the statistics) is withheld and they would let it be derived; the values of the '
    + 'fired rules\' facts computed from them are null too. Hours, incidents, rates and the verdict are published.',
});

/** A published cell as a regulator sees it: the secondary measures only for a clean class or area (services/protected-tables.ts `secondaryPublishable`). */
export const RegulatorScorecardCell = z.strictObject({
  ...ScorecardCell.shape,
  deployments: wint('Deployments with exposure'),
  organizations: wint('Operating organizations'),
  task_cycles: wnum('Task cycles'),
  severe_incidents: wint('Incidents of severity level 3 or more'),
  injury_incidents: wint('Incidents with a bodily injury'),
  severe_share: wnum('Share of incidents of severity level 3 or more (null also: no incident)'),
  protective_stops_per_1000h: wnum('Protective stops per 1,000 h (null also: no hours)'),
  near_misses_per_1000h: wnum('Near misses per 1,000 h (null also: no hours)'),
  downtime_per_1000h: wnum('Downtime hours per 1,000 h, over the periods reporting downtime (null also: none reported)'),
  fired_rules: z.array(FiredRule).meta({
    description: 'The rules that fired, with their fact values; when secondary_withheld, the values of the facts that are or derive from secondary measures '
      + '(deployments, organizations, severe_incidents, injury_incidents, severe_share, protective_stops_per_1000h, near_misses_per_1000h, '
      + 'downtime_per_1000h, stops_to_class_ratio, near_misses_to_class_ratio) are null. The verdict itself is computed from the full figures.',
  }),
  secondary_withheld: secondaryWithheld,
}).meta({ id: 'RegulatorScorecardCell', description: 'One published robot model × scenario class (or area) [× software version] cell under disclosure control' });

const RulesetRef = z.strictObject({
  id: z.number().int().nullable().meta({ description: 'Stored version id (null: the built-in default)' }),
  name: z.string().meta({ description: 'Rule set name' }),
  version: z.union([z.string(), z.number()]).nullable().meta({ description: 'Version' }),
})
  .meta({ id: 'ScorecardRulesetRef', description: 'The insurability rule set in force (id null: the built-in default)' });
const common = {
  level: z.enum(['scenario_class', 'scenario_area']).meta({ description: 'Cells per scenario class or area' }),
  by_software_version: z.boolean().meta({ description: 'Cells split by software version' }),
};
const fullCred = z.strictObject({ p: z.number().meta({ description: 'Probability p' }), k: z.number().meta({ description: 'Relative half-width k' }) }).meta({ description: 'Limited-fluctuation standard of full credibility' });
const count = (d: string) => z.number().int().meta({ description: d });
const disclosure = z.strictObject({
  method: z.literal('linked_tables').meta({ description: 'Protection over the linked tables of the scorecard (models, class ⊂ area, versions)' }),
  lp_audited: z.boolean().meta({ description: 'Whether the LP audit checked the suppression' }),
  rules: z.array(z.string()).meta({ description: 'The rules applied, by name (never their parameters)' }),
  protected_cells: count('Cells withheld'),
  by_reason: z.strictObject({
    min_contributors: count('Too few operating organizations'), dominance: count('Dominated by its largest operators'),
    p_percent: count('p % rule'), complementary: count('Withheld to protect another cell'),
  }).meta({ description: 'Cells withheld by reason' }),
}).meta({ description: 'Disclosure control applied: rules by name and counts, never thresholds' });

export const FullScorecard = z.strictObject({
  view: z.literal('full').meta({ description: 'Every cell (actuaries, underwriters)' }), ...common, ruleset: RulesetRef, full_credibility: fullCred,
  cells: z.array(ScorecardCell).meta({ description: 'The cells' }),
}).meta({ id: 'FullScorecard', description: 'The scorecard with every cell' });
export const RegulatorScorecard = z.strictObject({
  view: z.literal('regulator').meta({ description: 'Disclosure-controlled view (regulators)' }), ...common, ruleset: RulesetRef, full_credibility: fullCred, disclosure,
  cells: z.array(RegulatorScorecardCell).meta({ description: 'Published cells; shrinkage and P(best) use these only' }),
  suppressed: z.array(z.strictObject({ ...key, suppressed: z.enum(SUPPRESSION_REASONS).meta({ description: 'Why the cell is withheld' }) }))
    .meta({ description: 'Keys of the withheld cells (no values)' }),
}).meta({ id: 'RegulatorScorecard', description: 'The scorecard under disclosure control' });
const Benchmark = z.strictObject({
  deployments: wnum('Deployments of the market cell'), organizations: wnum('Operating organizations'), operating_hours: num('Operating hours'), incidents: num('Incidents'),
  incident_rate_per_1000h: nnum('Incidents per 1,000 h'), ci_low: nnum('Lower exact 95% limit'), ci_high: nnum('Upper exact 95% limit'),
  credibility_rate_per_1000h: nnum('Credibility rate'), protective_stops_per_1000h: wnum('Protective stops per 1,000 h'),
  near_misses_per_1000h: wnum('Near misses per 1,000 h'), severe_share: wnum('Share of severity ≥ 3'), secondary_withheld: secondaryWithheld, verdict: z.enum(VERDICTS).meta({ description: 'Verdict of the market cell' }),
}).nullable().meta({ description: 'The published market cell of the same key (null: not published under disclosure control)' });
export const EnterpriseScorecard = z.strictObject({
  view: z.literal('enterprise').meta({ description: 'Own cells against the market (enterprises)' }), ...common,
  organization_ref: z.string().nullable().meta({ description: 'The caller\'s organization' }), disclosure,
  cells: z.array(z.strictObject({ ...observed, market: Benchmark }).meta({ id: 'EnterpriseScorecardCell', description: 'An own cell with its market benchmark' }))
    .meta({ description: 'The organization\'s own cells' }),
}).meta({ id: 'EnterpriseScorecard', description: 'An enterprise\'s own cells against the published market' });
export const Scorecard = z.union([FullScorecard, RegulatorScorecard, EnterpriseScorecard])
  .meta({ id: 'Scorecard', description: 'The validation scorecard in the view of the caller\'s role' });

export const ScorecardRulesetVersion = z.strictObject({
  id: int('Version id'), name: z.string().meta({ description: 'Rule set name' }), version: int('Version number within the name'),
  status: z.enum(['draft', 'active', 'retired']).meta({ description: 'draft (uploaded) or active (in force)' }),
  effective_from: z.date().nullable().meta({ description: 'When an active version took effect' }),
  created_by: z.string().meta({ description: 'Audit actor' }), created_at: z.date().meta({ description: 'When it was stored' }),
  ruleset: z.looseObject({
    name: z.string().meta({ description: 'Rule set name' }),
    rules: z.array(z.looseObject({ name: z.string().meta({ description: 'Rule name' }) }).meta({ description: 'A rule (json-rules-engine format, event type verdict)' })).meta({ description: 'The rules' }),
  }).meta({ description: 'The stored rule set document' }),
}).meta({ id: 'ScorecardRulesetVersion', description: 'A stored scorecard insurability rule set version' });
