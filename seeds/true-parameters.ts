/**
 * The TRUE parameters of the demo validation-history generator (seeds/generator.ts): the single
 * source of truth for the stochastic model, so that fitted frequency and severity models can be
 * compared with the values the data were drawn from. See seeds/README.md for the model.
 *
 * Magnitudes follow /work/shared/research/domain.md §4 (frequency seeds per 1,000 h in §4.6,
 * severities in §4.5, shift patterns in §4.3); the claim shares and severities are calibrated
 * so that the demo rating plan prices like the market (§1.1, §4.4: 1–3 % of robot value per
 * robot-year for own damage + TPL; seeds/README.md "Calibration").
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
 * task failures without damage) at the base levels is 0.4 (0.55 over manufacturing's mix of
 * autonomy and proximity): domain.md §4.6 gives 0.5–2 falls per 1,000 h in manufacturing; most
 * reported incidents cost nothing (SIMULATION_DESIGN.line_hits).
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
    base_rate_per_1000h: 0.4,
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
   * 1,000 h (without Z). k_ps = 30 gives 12 stops per 1,000 h at the base (domain.md §4.6: 5–30
   * in manufacturing, 20–100 in rescue).
   */
  leading_indicators: {
    protective_stops_per_expected_incident: 30,
    near_misses_per_expected_incident: 4.5,
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
     * Median CNY 50k, sdlog 0.9: mean ≈ 75k, 90% of repairs in ≈ 11k–220k (research §1.1 and
     * §4.5: "repair cost per incident CNY 30,000–300,000", repeated across the press; §4.4: the
     * CNY 100k combined cap of 擎天租 "covers daily repairs"), then capped per unit at the robot
     * model's replacement value (a capped value is a total loss: ≈ 17% of damage claims on a
     * CNY 120k entry biped, ≈ 1.5% on a CNY 350k one, ≈ 4% over the demo fleet — §4.5: 3–8%).
     * Fit with censoring or compare on the uncapped part.
     */
    robot_damage: { distribution: 'lognormal', meanlog: ln(50_000), sdlog: 0.9 } as LognormalParameters,
    /** Median CNY 5k, mean ≈ 20k, tail towards CNY 2M (domain.md §4.5 TPL property damage). */
    third_party_property_damage: { distribution: 'lognormal', meanlog: ln(5_000), sdlog: 1.5 } as LognormalParameters,
    /**
     * Per incident with injury: median ≈ CNY 9.6k, mean 37.5k, P(> 50k) ≈ 13%, P(> 300k) ≈ 1.4%,
     * P(> 1M) ≈ 0.27% — the domain.md §4.5 ladder (minor S1–S2 median 3k / mean 8k, serious S3
     * mean 150k, disability S4 300–500k, fatal S5 ≈ CNY 1.2–2M) as one law. Infinite variance
     * (shape < 2): a genuinely heavy tail.
     */
    bodily_injury_cost: { distribution: 'lomax', shape: 1.4, scale: 15_000 } as LomaxParameters,
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
  /**
   * Median fleet size of a deployment of an ordinary operator: units =
   * round(units_median × fleet_scale(organization) × exp(Normal(0, fleet.units_sdlog²))),
   * clamped to 1…fleet.max_units.
   */
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
  /**
   * Timeline of a deployment inside the programme window (generator options start, months):
   * a share starts on the first day of the programme, the others on a uniform day in the first
   * `latest_start_share` of the window (mid-month: a partial first period); a share is still
   * running at extraction (no end_date), the others end on a uniform day between
   * `min_duration_days` after the start and the end of the window (a partial last period).
   * Deployments running at least `pause_min_span_days` pause once with `p_pause` for
   * `pause_days` days (a gap: no exposure rows for the whole months paused and partial periods
   * on either side — or, for a `p_pause_reported_as_zero` share of operators, calendar-month
   * rows with 0 hours for the months paused). Any other full month is reported with 0 hours
   * with `p_zero_hour_month` (line retooling, Spring Festival, a fleet parked for a software
   * recall). Exposure periods are calendar months clipped to these dates; two periods in one
   * month when a pause begins and ends inside it. A `p_quarterly_reporting` share of deployments
   * report by calendar quarter instead: the contiguous monthly periods of one quarter are summed
   * into one row (hours, cycles, stops, near misses), so the truth is the same as monthly.
   */
  programme: {
    p_start_at_launch: 0.35,
    latest_start_share: 0.65,
    p_ongoing: 0.6,
    min_duration_days: 60,
    pause_min_span_days: 150,
    p_pause: 0.25,
    pause_days: { min: 12, max: 80 },
    p_pause_reported_as_zero: 0.3,
    p_zero_hour_month: 0.03,
    p_quarterly_reporting: 0.15,
  },
  /**
   * Fleet sizes: lognormal around the class median times the operator's scale, sdlog
   * `units_sdlog`, clamped to 1…`max_units`. Pilots are small (1–10 robots); the logistics and
   * robot-as-a-service operators in `organization_fleet_scale` run production fleets of tens to
   * hundreds (the 擎天租 platform insures > 2,000 robots, domain.md §1.1).
   */
  fleet: { units_sdlog: 0.9, max_units: 300 },
  organization_fleet_scale: {
    'ENT-014': 3,
    'ENT-015': 4,
    'ENT-016': 3,
    'ENT-033': 3,
    'ENT-034': 3,
  } as Readonly<Record<string, number>>,
  /**
   * Enterprises that run exactly one deployment (a single pilot site): they get their one
   * deployment in the first round of the assignment and no more.
   */
  single_deployment_organizations: ['ENT-007', 'ENT-011', 'ENT-019', 'ENT-024'] as readonly string[],
  /**
   * Scenario classes run by one operator only: every deployment of the class goes to it, so the
   * regulator statistics of the class are suppressed by disclosure control (fewer than 3
   * organizations) from the first start. Firefighting support is a specialist service.
   */
  single_operator_classes: { 'emergency_rescue.firefighting_support': 'ENT-032' } as Readonly<Partial<Record<ScenarioClassCode, string>>>,
  /** Weight of an enterprise's focus areas vs other areas when assigning deployments. */
  focus_area_weight: 10,
  classes: {
    'manufacturing.assembly': { weight: 1.6, units_median: 12, cycles_per_hour: 40, autonomy: { teleoperated: 0.1, supervised: 0.5, autonomous: 0.4 } },
    'manufacturing.machine_tending': { weight: 1.3, units_median: 9, cycles_per_hour: 20, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'manufacturing.welding_support': { weight: 1.0, units_median: 8, cycles_per_hour: 15, autonomy: { teleoperated: 0.15, supervised: 0.5, autonomous: 0.35 } },
    'manufacturing.quality_inspection': { weight: 1.3, units_median: 9, cycles_per_hour: 30, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'maintenance.inspection': { weight: 1.2, units_median: 6, cycles_per_hour: 6, autonomy: { teleoperated: 0.25, supervised: 0.45, autonomous: 0.3 } },
    'maintenance.equipment_repair': { weight: 0.9, units_median: 5, cycles_per_hour: 2, autonomy: { teleoperated: 0.45, supervised: 0.45, autonomous: 0.1 } },
    'maintenance.cleaning': { weight: 0.8, units_median: 8, cycles_per_hour: 4, autonomy: { teleoperated: 0.1, supervised: 0.4, autonomous: 0.5 } },
    'warehousing_logistics.picking': { weight: 1.4, units_median: 15, cycles_per_hour: 60, autonomy: { teleoperated: 0.1, supervised: 0.45, autonomous: 0.45 } },
    'warehousing_logistics.palletizing': { weight: 1.1, units_median: 9, cycles_per_hour: 80, autonomy: { teleoperated: 0.05, supervised: 0.35, autonomous: 0.6 } },
    'warehousing_logistics.transport': { weight: 1.3, units_median: 15, cycles_per_hour: 6, autonomy: { teleoperated: 0.05, supervised: 0.4, autonomous: 0.55 } },
    'healthcare_wellness.elder_care': { weight: 1.0, units_median: 6, cycles_per_hour: 3, autonomy: { teleoperated: 0.25, supervised: 0.6, autonomous: 0.15 } },
    'healthcare_wellness.rehabilitation_assist': { weight: 0.7, units_median: 5, cycles_per_hour: 2, autonomy: { teleoperated: 0.3, supervised: 0.6, autonomous: 0.1 } },
    'healthcare_wellness.hospital_logistics': { weight: 0.9, units_median: 9, cycles_per_hour: 4, autonomy: { teleoperated: 0.05, supervised: 0.45, autonomous: 0.5 } },
    'safety_production.patrol': { weight: 1.0, units_median: 5, cycles_per_hour: 2, autonomy: { teleoperated: 0.15, supervised: 0.4, autonomous: 0.45 } },
    'safety_production.hazardous_handling': { weight: 0.7, units_median: 3, cycles_per_hour: 8, autonomy: { teleoperated: 0.55, supervised: 0.35, autonomous: 0.1 } },
    'emergency_rescue.search': { weight: 0.6, units_median: 3, cycles_per_hour: 1, autonomy: { teleoperated: 0.6, supervised: 0.35, autonomous: 0.05 } },
    'emergency_rescue.firefighting_support': { weight: 0.5, units_median: 3, cycles_per_hour: 1, autonomy: { teleoperated: 0.7, supervised: 0.3, autonomous: 0 } },
    'emergency_rescue.disaster_relief': { weight: 0.5, units_median: 3, cycles_per_hour: 2, autonomy: { teleoperated: 0.55, supervised: 0.4, autonomous: 0.05 } },
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
   * P(line hit | type): the share of incidents of each type that are claims under each loss line
   * (DESIGN.md §3: an incident is a claim under a coverage when its loss line is > 0). Most
   * reported incidents cost nothing — near misses, protective stops escalated to an incident,
   * falls the robot recovers from, task failures cleared within minutes — so these shares are
   * small: over the demo mix ≈ 2% of incidents damage the robot, ≈ 1.2% cause third-party
   * damage or injury and ≈ 5% a costed downtime. They are calibrated so that the fitted models
   * price ordinary fleets at the market's 1–3% of replacement value per robot-year (domain.md
   * §1.1, §4.4; seeds/README.md "Calibration"), i.e. claim rates at the low end of the §4.6
   * seeds: ≈ 0.008–0.01 own-damage and ≈ 0.005–0.007 TPL claims per 1,000 h in supervised
   * manufacturing. Bodily injury only for person-related types (collision_person, pinch_crush,
   * fall, dropped_payload, unexpected_motion, battery_thermal, operator_error): ≈ 0.1% of
   * incidents, 1–2 orders of magnitude below property (§4.6), more in care (injuryMultiplier).
   */
  line_hits: {
    near_miss: { robot_damage: 0, third_party_property_damage: 0, bodily_injury: 0, downtime: 0 },
    fall: { robot_damage: 0.032, third_party_property_damage: 0.0052, bodily_injury: 0.00048, downtime: 0.045 },
    collision_person: { robot_damage: 0.0093, third_party_property_damage: 0.0031, bodily_injury: 0.0090, downtime: 0.037 },
    pinch_crush: { robot_damage: 0.0046, third_party_property_damage: 0.0021, bodily_injury: 0.012, downtime: 0.037 },
    collision_property: { robot_damage: 0.023, third_party_property_damage: 0.052, bodily_injury: 0, downtime: 0.045 },
    dropped_payload: { robot_damage: 0.0057, third_party_property_damage: 0.042, bodily_injury: 0.00090, downtime: 0.030 },
    unexpected_motion: { robot_damage: 0.019, third_party_property_damage: 0.021, bodily_injury: 0.0018, downtime: 0.045 },
    navigation_error: { robot_damage: 0.0093, third_party_property_damage: 0.010, bodily_injury: 0, downtime: 0.037 },
    battery_thermal: { robot_damage: 0.23, third_party_property_damage: 0.052, bodily_injury: 0.0048, downtime: 0.23 },
    mechanical_electrical_failure: { robot_damage: 0.069, third_party_property_damage: 0.0021, bodily_injury: 0, downtime: 0.12 },
    software_perception_fault: { robot_damage: 0.0093, third_party_property_damage: 0.010, bodily_injury: 0, downtime: 0.052 },
    cyber: { robot_damage: 0.027, third_party_property_damage: 0.0042, bodily_injury: 0, downtime: 0.15 },
    operator_error: { robot_damage: 0.023, third_party_property_damage: 0.021, bodily_injury: 0.0015, downtime: 0.045 },
    task_failure_downtime: { robot_damage: 0, third_party_property_damage: 0, bodily_injury: 0, downtime: 0.090 },
  } as Record<IncidentType, LineHitProbabilities>,
  /**
   * Injury probability multipliers (the product is capped at 0.95): where vulnerable people are
   * present, and in care contact — lifting, transfer and gait support of frail people, where a
   * robot's slip is a fall of the person (domain.md §4.6: TPL bodily injury 0.002–0.008 per
   * 1,000 h in elder care against 0.0005–0.002 in manufacturing). See `injuryMultiplier`.
   */
  vulnerable_injury_multiplier: 1.5,
  care_contact_injury_multiplier: 5,
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
  /**
   * Reporting delay: with p_late a Gamma(2, mean late_mean_days) delay, else Exponential(mean
   * quick_mean_days) + 1 h. The history is extracted at the end of the programme window: an
   * incident reported after that is not in it (incurred but not reported).
   */
  reporting: { p_late: 0.08, quick_mean_days: 1.5, late_mean_days: 21 },
  /**
   * Claims status at extraction (end of the programme window): incidents with a loss that occurred
   * in the last `recent_months` calendar months are open with probability p_open_recent; severity ≥ 4
   * incidents before that with p_open_severe. Open: paid = total × Uniform(paid_min, paid_max)
   * (in cents, floor), case_reserve = total − paid. Closed: paid = total, case_reserve = 0.
   */
  claims: { recent_months: 3, p_open_recent: 0.4, p_open_severe: 0.25, paid_min: 0.05, paid_max: 0.7 },
} as const;

/**
 * Robot software (the scorecard's software dimension, docs/actuarial-method.md §10). Every
 * deployment runs `base_version` until, for the robot models listed in `updates`, the exposure
 * periods from `from_month` (0-based month of the programme window; 9 = 2025-10 at the default
 * start, a quarter start so quarterly reporters are not split) run `version`, under which each
 * incident the base model draws is kept with probability `incident_rate_factor` (independent
 * thinning on the generator's fifth RNG stream): the true incident rate of those periods is the
 * base rate × factor. Protective stops and near misses are not changed by the update.
 * The periods' `downtime_hours` are the summed downtime of the period's incidents.
 */
export const SOFTWARE = {
  base_version: '1.0',
  updates: [
    { robot_model: 'LMD-W200', version: '2.0', from_month: 9, incident_rate_factor: 0.5 },
  ],
  /** System integrators a deployment is installed by (`integrator_ref`); `p_none`: no integrator reported. */
  integrators: ['INT-01', 'INT-02', 'INT-03', 'INT-04', 'INT-05'],
  p_no_integrator: 0.2,
} as const;

/** The true multiplier of the incident rate of `robotModel` running `version` (1 without an update). */
export function softwareRateFactor(robotModel: string, version: string): number {
  const u = SOFTWARE.updates.find((x) => x.robot_model === robotModel && x.version === version);
  return u ? u.incident_rate_factor : 1;
}

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

/**
 * Multiplier of a scenario class on the probability that an incident injures a third party
 * (SIMULATION_DESIGN.line_hits[type].bodily_injury): vulnerable_injury_multiplier where
 * vulnerable people are present, times care_contact_injury_multiplier in care contact.
 */
export function injuryMultiplier(scenarioClassCode: string): number {
  const cls = scenarioClass(scenarioClassCode);
  const D = SIMULATION_DESIGN;
  return (cls.vulnerable_people ? D.vulnerable_injury_multiplier : 1) * (cls.human_proximity === 'care_contact' ? D.care_contact_injury_multiplier : 1);
}
