/**
 * The catalog of the facts of a scorecard cell (robot model × scenario class or area [× software version]) that
 * the insurability rules may use (docs/actuarial-method.md §10). Rates are per 1,000 operating
 * hours. Nullable facts are null when the cell cannot give them (no incident, no downtime
 * reported, a degenerate prior); as in underwriting (rules/operators.ts), every operator but
 * `isKnown` is false on a null fact. The facts' type is declared in domain/scorecard.ts.
 */
import type { FactType, FactValue } from './facts.ts';
import type { ScorecardFacts } from '../domain/index.ts';

export { VERDICTS, verdictRank, type ScorecardFacts, type Verdict } from '../domain/index.ts';

export interface ScorecardFactDefinition {
  type: FactType;
  nullable: boolean;
  unit: string | null;
  description: string;
}

export type ScorecardFactName = keyof ScorecardFacts;

const n = (unit: string | null, description: string, nullable = false): ScorecardFactDefinition => ({ type: 'number', nullable, unit, description });
const s = (description: string, nullable = false): ScorecardFactDefinition => ({ type: 'string', nullable, unit: null, description });

export const SCORECARD_FACT_CATALOG: Readonly<Record<ScorecardFactName, ScorecardFactDefinition>> = Object.freeze({
  robot_model: s('Robot model code.'),
  scenario_class: s('Scenario class code (null for a cell rolled up to the area).', true),
  scenario_area: s('Scenario area code.'),
  software_version: s('Software version of the cell (null when not split by version or not reported).', true),
  deployments: n(null, 'Deployments contributing hours.'),
  organizations: n(null, 'Operating organizations contributing hours.'),
  operating_hours: n('h', 'Operating hours.'),
  incidents: n(null, 'Incidents.'),
  incident_rate_per_1000h: n('per 1,000 h', 'Observed incident rate.', true),
  incident_rate_ci_low: n('per 1,000 h', 'Lower exact (Garwood) 95% limit of the rate.', true),
  incident_rate_ci_high: n('per 1,000 h', 'Upper exact (Garwood) 95% limit of the rate.', true),
  class_rate_per_1000h: n('per 1,000 h', 'Rate of the whole class (all robot models).', true),
  credibility_rate_per_1000h: n('per 1,000 h', 'Empirical-Bayes credibility rate, shrunk toward the class.', true),
  rate_to_class_ratio: n(null, 'Credibility rate / class rate.', true),
  eb_credibility: n(null, 'Empirical-Bayes credibility weight Z = e/(e + β).'),
  lf_credibility: n(null, 'Limited-fluctuation credibility min(1, √(n / 270.6)) (p 0.90, k 0.10).'),
  hours_still_needed: n('h', 'Operating hours still needed for full credibility at the credibility rate.', true),
  severe_share: n(null, 'Share of incidents of severity level 3 or more.', true),
  severe_incidents: n(null, 'Incidents of severity level 3 or more.'),
  injury_incidents: n(null, 'Incidents with a bodily injury.'),
  protective_stops_per_1000h: n('per 1,000 h', 'Protective stops.', true),
  near_misses_per_1000h: n('per 1,000 h', 'Near misses (telemetry).', true),
  stops_to_class_ratio: n(null, 'Protective-stop rate / the class\'s.', true),
  near_misses_to_class_ratio: n(null, 'Near-miss rate / the class\'s.', true),
  downtime_per_1000h: n('h per 1,000 h', 'Downtime over the hours of periods that report it.', true),
  p_best: n(null, 'Posterior probability that the cell has the lowest rate of its class.', true),
});

export const isScorecardFact = (name: string): name is ScorecardFactName => Object.hasOwn(SCORECARD_FACT_CATALOG, name);
export type { FactValue };
