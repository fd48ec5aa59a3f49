/**
 * The vocabulary of the validation scorecard (docs/actuarial-method.md §10), declared once: the
 * verdicts, the key and exposure of a cell (robot model × scenario class or area [× software
 * version]), its observed statistics, the facts the insurability rules see, and the cell the
 * service returns. The facts and the cell share the key, the exposure and the rates below; the
 * facts name a few of them as the rule sets stored in `scorecard_rulesets` do
 * (`incident_rate_ci_low`, `eb_credibility`), the cell as the API does (`ci_low`, `credibility`).
 */

export const VERDICTS = ['insurable', 'insurable_with_conditions', 'not_yet_insurable', 'not_insurable'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** Severity order: a higher index wins when several verdict rules fire. */
export const verdictRank = (v: Verdict) => VERDICTS.indexOf(v);

/** Which cell: the class is null for a cell rolled up to the area, the version null when not split by (or not reported). */
export type ScorecardCellKey = {
  robot_model: string;
  scenario_class: string | null;
  scenario_area: string;
  software_version: string | null;
};

/** The cell's exposure and counts. */
export type ScorecardCellCounts = {
  deployments: number;
  organizations: number;
  operating_hours: number;
  incidents: number;
  severe_incidents: number;
  injury_incidents: number;
};

/** The observed statistics of a cell (models/scorecard/cell-statistics.ts); rates per 1,000 h, null without hours. */
export type ScorecardObserved = {
  incident_rate_per_1000h: number | null;
  ci_low: number | null;
  ci_high: number | null;
  mean_hours_between_incidents: number | null;
  mtbi_ci_low: number | null;
  /** null: unbounded (no incident observed). */
  mtbi_ci_high: number | null;
  protective_stops_per_1000h: number | null;
  near_misses_per_1000h: number | null;
  severe_share: number | null;
  downtime_per_1000h: number | null;
};

/** What the facts and the cell both carry beyond key and counts, under the same names. */
type SharedFigures = Pick<ScorecardObserved, 'incident_rate_per_1000h' | 'severe_share' | 'protective_stops_per_1000h' | 'near_misses_per_1000h' | 'downtime_per_1000h'> & {
  class_rate_per_1000h: number | null;
  credibility_rate_per_1000h: number | null;
  lf_credibility: number;
  hours_still_needed: number | null;
  p_best: number | null;
};

/** The facts of a cell that the insurability rules may use (catalog: rules/scorecard-facts.ts). */
export type ScorecardFacts = ScorecardCellKey & ScorecardCellCounts & SharedFigures & {
  incident_rate_ci_low: number | null;
  incident_rate_ci_high: number | null;
  rate_to_class_ratio: number | null;
  eb_credibility: number;
  stops_to_class_ratio: number | null;
  near_misses_to_class_ratio: number | null;
};

export type ScorecardFactValue = number | string | boolean | null | readonly string[];

/** A verdict rule that fired, with the value of every fact its conditions reference. */
export interface FiredVerdictRule {
  rule: string;
  verdict: Verdict;
  reason: string;
  condition: string | null;
  facts: Record<string, ScorecardFactValue>;
}

/** One scorecard cell as the full (actuary, underwriter) and regulator views return it. */
export type ScorecardCell = ScorecardCellKey & ScorecardCellCounts & ScorecardObserved & SharedFigures & {
  task_cycles: number;
  credibility: number;
  credibility_ci_low: number | null;
  credibility_ci_high: number | null;
  rank_in_class: number;
  hours_for_full_credibility: number | null;
  verdict: Verdict;
  fired_rules: FiredVerdictRule[];
  conditions: string[];
};
