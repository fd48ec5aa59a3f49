/**
 * The TRUE parameters of the demo validation-history generator (seeds/generator.ts): the single
 * source of truth for the stochastic model, so that fitted frequency and severity models can be
 * compared with the values the data were drawn from. See seeds/README.md for the model.
 *
 * Magnitudes follow /work/shared/research/domain.md §4 (frequency seeds per 1,000 h in §4.6,
 * severities in §4.5, shift patterns in §4.3), scaled up where the demo needs enough claims to
 * fit models (stated at each place).
 */
import type {
  AutonomyLevel,
  Environment,
  HumanProximity,
  IncidentType,
  ScenarioAreaCode,
  ScenarioClassCode,
} from '../domain/enums.ts';
import { scenarioClass } from './catalog.ts';

/** Lognormal: log X ~ Normal(meanlog, sdlog²) (R: dlnorm(x, meanlog, sdlog)). */
export interface LognormalParameters {
  distribution: 'lognormal';
  meanlog: number;
  sdlog: number;
}

/**
 * Lomax (Pareto II): S(x) = (1 + x/scale)^(−shape), x > 0 (R: actuar::dpareto(x, shape, scale)).
 * Mean scale/(shape − 1) for shape > 1.
 */
export interface LomaxParameters {
  distribution: 'lomax';
  shape: number;
  scale: number;
}

const ln = Math.log;

/*
 * Frequency. Rate per 1,000 operating hours of ALL reported incidents (incl. near misses and
 * task failures without damage) at the base levels is 0.6: domain.md §4.6 gives 0.5–2 falls per
 * 1,000 h in manufacturing alone, and validation campaigns sit 3–10× above mature production.
 * Area relativities follow the mid-points of the §4.6 "falls (all)" column relative to
 * manufacturing (warehousing 1–3, maintenance 2–5, healthcare 0.5–2 but with care contact
 * counted separately, safety 1–4, rescue 5–20 — damped because rescue units are also
 * teleoperated and partly segregated, which the other factors carry). Autonomy: teleoperation
 * adds operator error (Korean root-cause study, §3.1), full autonomy adds perception/planning
 * faults at the current maturity (AV analogy, §1.3). Proximity: the ISO/TS 15066 ladder (§2).
 */
export const TRUE_PARAMETERS = {
  frequency: {
    /** Incidents per 1,000 operating hours at the base levels of every factor. */
    base_rate_per_1000h: 0.6,
    /** Levels whose relativity is 1 (treatment contrasts). */
    base_levels: {
      scenario_area: 'manufacturing' as ScenarioAreaCode,
      autonomy_level: 'supervised' as AutonomyLevel,
      human_proximity: 'shared_space' as HumanProximity,
    },
    /** Multiplicative relativities exp(β) per factor level. */
    relativities: {
      scenario_area: {
        manufacturing: 1,
        maintenance: 2.0,
        warehousing_logistics: 1.5,
        healthcare_wellness: 0.8,
        safety_production: 1.7,
        emergency_rescue: 4.0,
      } as Record<ScenarioAreaCode, number>,
      autonomy_level: {
        teleoperated: 1.3,
        supervised: 1,
        autonomous: 1.5,
      } as Record<AutonomyLevel, number>,
      human_proximity: {
        segregated: 0.7,
        shared_space: 1,
        collaborative: 1.4,
        care_contact: 1.6,
        public: 1.9,
      } as Record<HumanProximity, number>,
    },
    /**
     * Size θ of the gamma random effect Z ~ Gamma(shape θ, rate θ) (mean 1, variance 1/θ), the
     * latent risk of a deployment in an exposure period: each exposure row's incident count is
     * NB2 with mean μ = hours/1000 × rate and variance μ + μ²/θ (generator option
     * randomEffect: 'deployment' shares one Z across a deployment's periods instead).
     */
    theta: 4,
  },
  /**
   * Leading indicators per exposure period: protective stops ~ Poisson(h/1000 × k_ps × λ × Z^γ),
   * near misses ~ Poisson(h/1000 × k_nm × λ × Z^γ), λ the deployment's true incident rate per
   * 1,000 h (without Z). k_ps = 20 gives 12 stops per 1,000 h at the base (domain.md §4.6: 5–30
   * in manufacturing, 20–100 in rescue).
   */
  leading_indicators: {
    protective_stops_per_expected_incident: 20,
    near_misses_per_expected_incident: 3,
    gamma: 0.7,
  },
  /**
   * Severity of each loss line given that the line is hit (> 0). Coverage losses
   * (docs/architecture.md §4): robot_damage → robot_damage line; third_party_liability →
   * third_party_property_damage + bodily_injury_cost (sum of the lines hit by the same incident);
   * business_interruption → business_interruption_cost = downtime_hours × cost per hour.
   */
  severity: {
    /**
     * Median CNY 15k, mean 40k (domain.md §4.5 "own damage, partial"), then capped per unit at
     * the robot model's replacement value (a capped value is a total loss; fit with censoring or
     * compare on the uncapped part).
     */
    robot_damage: { distribution: 'lognormal', meanlog: ln(15_000), sdlog: 1.4 } as LognormalParameters,
    /** Median CNY 5k, mean ≈ 20k, tail towards CNY 2M (domain.md §4.5 TPL property damage). */
    third_party_property_damage: { distribution: 'lognormal', meanlog: ln(5_000), sdlog: 1.665 } as LognormalParameters,
    /**
     * Per incident with injury: median ≈ CNY 5.9k, mean 20k, P(> 1M) ≈ 0.1% (fatal claims
     * ≈ CNY 1.2–2M, domain.md §4.5). Infinite variance (shape < 2): a genuinely heavy tail.
     */
    bodily_injury_cost: { distribution: 'lomax', shape: 1.5, scale: 10_000 } as LomaxParameters,
    /** Downtime of an incident with downtime: median 6 h, lognormal. */
    downtime_hours: { distribution: 'lognormal', meanlog: ln(6), sdlog: 1.1 } as LognormalParameters,
    /**
     * Cost per hour of lost service, drawn once per deployment: median CNY 1,200, 90% in
     * ≈ 675–2,130 (domain.md §4.5: CNY 500–3,000 per robot-hour).
     */
    bi_cost_per_hour: { distribution: 'lognormal', meanlog: ln(1_200), sdlog: 0.35 } as LognormalParameters,
    /**
     * Implied by the two above (product of independent lognormals, before rounding downtime to
     * 0.01 h): meanlog = ln 6 + ln 1200, sdlog = √(1.1² + 0.35²).
     */
    business_interruption_cost: {
      distribution: 'lognormal',
      meanlog: ln(6) + ln(1_200),
      sdlog: Math.hypot(1.1, 0.35),
    } as LognormalParameters,
  },
} as const;

/** Which loss lines an incident type can hit and with what probability (given the type). */
export interface LineHitProbabilities {
  robot_damage: number;
  third_party_property_damage: number;
  /** Probability of ≥ 1 injured third party; 0 for types that cannot injure people. */
  bodily_injury: number;
  /** Probability of downtime > 0 (which implies business_interruption_cost > 0). */
  downtime: number;
}

/** A multiplicative modifier of one incident type's weight by one attribute of the deployment. */
export interface TypeMixModifier {
  type: IncidentType;
  factor: 'scenario_area' | 'human_proximity' | 'environment' | 'autonomy_level';
  multipliers: Partial<Record<ScenarioAreaCode | HumanProximity | Environment | AutonomyLevel, number>>;
}

export type ShiftPattern = 'validation' | 'one_shift' | 'two_shift' | 'three_shift';

export interface ClassDesign {
  /** Relative share of deployments (after a minimum per class). */
  weight: number;
  /** Median fleet size (units = round(lognormal(ln median, 0.8)), clamped to 1–50). */
  units_median: number;
  /** Task cycles per operating hour. */
  cycles_per_hour: number;
  /** P(teleoperated), P(supervised), P(autonomous). */
  autonomy: Readonly<Record<AutonomyLevel, number>>;
}

/**
 * The design of the simulated programme and the incident-type mix: not "parameters to be
 * recovered" by the frequency GLM, but fixed inputs of the generator, kept here so that every
 * number of the model is in one file.
 */
export const SIMULATION_DESIGN = {
  /** Scheduled hours per unit and month by shift pattern (domain.md §4.3: ≈ 2,000 h/yr per shift). */
  scheduled_hours_per_unit_month: { validation: 110, one_shift: 170, two_shift: 340, three_shift: 510 } as Record<ShiftPattern, number>,
  /** Share of scheduled time in operation, Uniform(min, max) per deployment (domain.md §4.3: 0.5–0.85). */
  utilisation: { min: 0.5, max: 0.85 },
  /** Month-to-month multiplicative noise on hours: exp(Normal(0, sd)). */
  monthly_hours_sdlog: 0.12,
  /** Shift pattern probabilities per area (validation campaigns vs production use). */
  shift_patterns: {
    manufacturing: { validation: 0.25, one_shift: 0.35, two_shift: 0.3, three_shift: 0.1 },
    maintenance: { validation: 0.35, one_shift: 0.45, two_shift: 0.15, three_shift: 0.05 },
    warehousing_logistics: { validation: 0.2, one_shift: 0.3, two_shift: 0.3, three_shift: 0.2 },
    healthcare_wellness: { validation: 0.3, one_shift: 0.4, two_shift: 0.2, three_shift: 0.1 },
    safety_production: { validation: 0.25, one_shift: 0.25, two_shift: 0.25, three_shift: 0.25 },
    emergency_rescue: { validation: 0.8, one_shift: 0.2, two_shift: 0, three_shift: 0 },
  } as Record<ScenarioAreaCode, Record<ShiftPattern, number>>,
  /** Minimum number of deployments per scenario class (when the total allows it). */
  min_deployments_per_class: 6,
  /** Weight of an enterprise's focus areas vs other areas when assigning deployments. */
  focus_area_weight: 10,
  classes: {
    'manufacturing.assembly': { weight: 1.6, units_median: 8, cycles_per_hour: 40, autonomy: { teleoperated: 0.1, supervised: 0.5, autonomous: 0.4 } },
    'manufacturing.machine_tending': { weight: 1.3, units_median: 6, cycles_per_hour: 20, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'manufacturing.welding_support': { weight: 1.0, units_median: 5, cycles_per_hour: 15, autonomy: { teleoperated: 0.15, supervised: 0.5, autonomous: 0.35 } },
    'manufacturing.quality_inspection': { weight: 1.3, units_median: 6, cycles_per_hour: 30, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'maintenance.inspection': { weight: 1.2, units_median: 4, cycles_per_hour: 6, autonomy: { teleoperated: 0.25, supervised: 0.45, autonomous: 0.3 } },
    'maintenance.equipment_repair': { weight: 0.9, units_median: 3, cycles_per_hour: 2, autonomy: { teleoperated: 0.45, supervised: 0.45, autonomous: 0.1 } },
    'maintenance.cleaning': { weight: 0.8, units_median: 5, cycles_per_hour: 4, autonomy: { teleoperated: 0.1, supervised: 0.4, autonomous: 0.5 } },
    'warehousing_logistics.picking': { weight: 1.4, units_median: 10, cycles_per_hour: 60, autonomy: { teleoperated: 0.1, supervised: 0.45, autonomous: 0.45 } },
    'warehousing_logistics.palletizing': { weight: 1.1, units_median: 6, cycles_per_hour: 80, autonomy: { teleoperated: 0.05, supervised: 0.35, autonomous: 0.6 } },
    'warehousing_logistics.transport': { weight: 1.3, units_median: 10, cycles_per_hour: 6, autonomy: { teleoperated: 0.05, supervised: 0.4, autonomous: 0.55 } },
    'healthcare_wellness.elder_care': { weight: 1.0, units_median: 4, cycles_per_hour: 3, autonomy: { teleoperated: 0.25, supervised: 0.6, autonomous: 0.15 } },
    'healthcare_wellness.rehabilitation_assist': { weight: 0.7, units_median: 3, cycles_per_hour: 2, autonomy: { teleoperated: 0.3, supervised: 0.6, autonomous: 0.1 } },
    'healthcare_wellness.hospital_logistics': { weight: 0.9, units_median: 6, cycles_per_hour: 4, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'safety_production.patrol': { weight: 1.0, units_median: 3, cycles_per_hour: 2, autonomy: { teleoperated: 0.15, supervised: 0.4, autonomous: 0.45 } },
    'safety_production.hazardous_handling': { weight: 0.7, units_median: 2, cycles_per_hour: 8, autonomy: { teleoperated: 0.55, supervised: 0.35, autonomous: 0.1 } },
    'emergency_rescue.search': { weight: 0.6, units_median: 2, cycles_per_hour: 1, autonomy: { teleoperated: 0.6, supervised: 0.35, autonomous: 0.05 } },
    'emergency_rescue.firefighting_support': { weight: 0.5, units_median: 2, cycles_per_hour: 1, autonomy: { teleoperated: 0.7, supervised: 0.3, autonomous: 0 } },
    'emergency_rescue.disaster_relief': { weight: 0.5, units_median: 2, cycles_per_hour: 2, autonomy: { teleoperated: 0.55, supervised: 0.4, autonomous: 0.05 } },
  } as Record<ScenarioClassCode, ClassDesign>,
  /**
   * Base weights of the incident types (before modifiers). Near misses, falls and task failures
   * dominate (domain.md §3: most falls cause no damage; protective stops are the disengagement
   * analogue).
   */
  type_weights: {
    near_miss: 25,
    fall: 14,
    task_failure_downtime: 12,
    mechanical_electrical_failure: 10,
    software_perception_fault: 8,
    collision_property: 8,
    navigation_error: 6,
    dropped_payload: 5,
    operator_error: 4,
    unexpected_motion: 3,
    collision_person: 2,
    pinch_crush: 1.5,
    battery_thermal: 1,
    cyber: 0.5,
  } as Record<IncidentType, number>,
  type_modifiers: [
    { type: 'collision_person', factor: 'human_proximity', multipliers: { segregated: 0.2, shared_space: 1, collaborative: 1.6, care_contact: 2.2, public: 2.5 } },
    { type: 'pinch_crush', factor: 'human_proximity', multipliers: { segregated: 0.3, shared_space: 0.8, collaborative: 2.5, care_contact: 2.0, public: 0.8 } },
    { type: 'fall', factor: 'environment', multipliers: { structured: 0.7, semi_structured: 1, unstructured: 1.8, hazardous: 1.6 } },
    { type: 'battery_thermal', factor: 'environment', multipliers: { hazardous: 2.5 } },
    { type: 'navigation_error', factor: 'environment', multipliers: { structured: 0.6, unstructured: 1.6 } },
    { type: 'dropped_payload', factor: 'scenario_area', multipliers: { warehousing_logistics: 2.0, healthcare_wellness: 1.3, safety_production: 1.5 } },
    { type: 'collision_property', factor: 'scenario_area', multipliers: { manufacturing: 1.2, warehousing_logistics: 1.4 } },
    { type: 'cyber', factor: 'scenario_area', multipliers: { safety_production: 1.5, healthcare_wellness: 1.5 } },
    { type: 'operator_error', factor: 'autonomy_level', multipliers: { teleoperated: 3, supervised: 1, autonomous: 0.3 } },
    { type: 'software_perception_fault', factor: 'autonomy_level', multipliers: { teleoperated: 0.5, supervised: 1, autonomous: 1.8 } },
    { type: 'unexpected_motion', factor: 'autonomy_level', multipliers: { autonomous: 1.3 } },
  ] as readonly TypeMixModifier[],
  /**
   * P(line hit | type). Bodily injury only for person-related types (collision_person,
   * pinch_crush, fall, dropped_payload, unexpected_motion, battery_thermal, operator_error).
   * Injury probabilities are deliberately above mature-production anchors (domain.md §4.6:
   * TPL BI 1–2 orders of magnitude below property) so that the demo has enough bodily-injury
   * claims (≈ 2–3% of incidents) to fit a severity model.
   */
  line_hits: {
    near_miss: { robot_damage: 0, third_party_property_damage: 0, bodily_injury: 0, downtime: 0 },
    fall: { robot_damage: 0.4, third_party_property_damage: 0.08, bodily_injury: 0.02, downtime: 0.5 },
    collision_person: { robot_damage: 0.1, third_party_property_damage: 0.03, bodily_injury: 0.35, downtime: 0.3 },
    pinch_crush: { robot_damage: 0.05, third_party_property_damage: 0.02, bodily_injury: 0.45, downtime: 0.3 },
    collision_property: { robot_damage: 0.3, third_party_property_damage: 0.7, bodily_injury: 0, downtime: 0.4 },
    dropped_payload: { robot_damage: 0.08, third_party_property_damage: 0.6, bodily_injury: 0.04, downtime: 0.25 },
    unexpected_motion: { robot_damage: 0.2, third_party_property_damage: 0.3, bodily_injury: 0.08, downtime: 0.4 },
    navigation_error: { robot_damage: 0.1, third_party_property_damage: 0.15, bodily_injury: 0, downtime: 0.4 },
    battery_thermal: { robot_damage: 0.8, third_party_property_damage: 0.25, bodily_injury: 0.05, downtime: 0.8 },
    mechanical_electrical_failure: { robot_damage: 0.75, third_party_property_damage: 0.03, bodily_injury: 0, downtime: 0.85 },
    software_perception_fault: { robot_damage: 0.1, third_party_property_damage: 0.15, bodily_injury: 0, downtime: 0.5 },
    cyber: { robot_damage: 0.15, third_party_property_damage: 0.05, bodily_injury: 0, downtime: 0.7 },
    operator_error: { robot_damage: 0.25, third_party_property_damage: 0.25, bodily_injury: 0.06, downtime: 0.35 },
    task_failure_downtime: { robot_damage: 0, third_party_property_damage: 0, bodily_injury: 0, downtime: 1 },
  } as Record<IncidentType, LineHitProbabilities>,
  /** Injury probability multiplier where vulnerable people are present (capped at 0.95). */
  vulnerable_injury_multiplier: 1.5,
  /** Injured persons = 1 + Poisson(mean) (more for battery fires). */
  extra_injured_mean: 0.1,
  extra_injured_mean_battery_thermal: 0.5,
  /**
   * Severity level 0–5 = max of three bands (docs/architecture.md §4, domain.md §3.3):
   * property (robot_damage + third_party_property_damage, CNY): > 0 → 1, ≥ 5k → 2, ≥ 50k → 3,
   * ≥ 300k or robot total loss → 4; injury (bodily_injury_cost per injured person, CNY): > 0 → 1,
   * ≥ 5k → 2, ≥ 50k → 3, ≥ 300k → 4, ≥ 1M → 5 (fatality); downtime (hours): ≥ 0.25 → 1, ≥ 8 → 2,
   * ≥ 72 → 3, ≥ 720 → 4.
   */
  severity_bands: {
    property: [5_000, 50_000, 300_000],
    injury_per_person: [5_000, 50_000, 300_000, 1_000_000],
    downtime_hours: [0.25, 8, 72, 720],
  },
  /** Reporting delay: with p_late a Gamma(2, mean late_mean_days) delay, else Exponential(mean quick_mean_days) + 1 h. */
  reporting: { p_late: 0.08, quick_mean_days: 1.5, late_mean_days: 21 },
  /**
   * Claims status at extraction (end of the last period): incidents with a loss that occurred in
   * the last `recent_months` periods are open with probability p_open_recent; severity ≥ 4
   * incidents before that with p_open_severe. Open: paid = total × Uniform(paid_min, paid_max)
   * (in cents, floor), case_reserve = total − paid. Closed: paid = total, case_reserve = 0.
   */
  claims: { recent_months: 3, p_open_recent: 0.4, p_open_severe: 0.25, paid_min: 0.05, paid_max: 0.7 },
} as const;

/**
 * The true incident rate per 1,000 operating hours of a deployment, without its random effect:
 * λ = base_rate × r_area(class.area) × r_autonomy(autonomy) × r_proximity(class.human_proximity),
 * all from TRUE_PARAMETERS.frequency. Throws Error for an unknown class or autonomy level.
 */
export function trueRatePer1000h(scenarioClassCode: string, autonomyLevel: string): number {
  const f = TRUE_PARAMETERS.frequency;
  const cls = scenarioClass(scenarioClassCode);
  const rAut = (f.relativities.autonomy_level as Record<string, number>)[autonomyLevel];
  if (rAut === undefined) throw new Error(`unknown autonomy level '${autonomyLevel}'`);
  return f.base_rate_per_1000h * f.relativities.scenario_area[cls.area] * rAut * f.relativities.human_proximity[cls.human_proximity];
}
