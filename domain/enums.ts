/**
 * Enumerations of the domain model (docs/architecture.md §4) as `const` tuples, so that seeds,
 * tests and (if wanted) schemas share one spelling. Pure data, no I/O.
 */

export const SCENARIO_AREA_CODES = [
  'manufacturing',
  'maintenance',
  'warehousing_logistics',
  'healthcare_wellness',
  'safety_production',
  'emergency_rescue',
] as const;
export type ScenarioAreaCode = (typeof SCENARIO_AREA_CODES)[number];

export const SCENARIO_CLASS_CODES = [
  'manufacturing.assembly',
  'manufacturing.machine_tending',
  'manufacturing.welding_support',
  'manufacturing.quality_inspection',
  'maintenance.inspection',
  'maintenance.equipment_repair',
  'maintenance.cleaning',
  'warehousing_logistics.picking',
  'warehousing_logistics.palletizing',
  'warehousing_logistics.transport',
  'healthcare_wellness.elder_care',
  'healthcare_wellness.rehabilitation_assist',
  'healthcare_wellness.hospital_logistics',
  'safety_production.patrol',
  'safety_production.hazardous_handling',
  'emergency_rescue.search',
  'emergency_rescue.firefighting_support',
  'emergency_rescue.disaster_relief',
] as const;
export type ScenarioClassCode = (typeof SCENARIO_CLASS_CODES)[number];

export const HUMAN_PROXIMITIES = ['segregated', 'shared_space', 'collaborative', 'care_contact', 'public'] as const;
export type HumanProximity = (typeof HUMAN_PROXIMITIES)[number];

export const ENVIRONMENTS = ['structured', 'semi_structured', 'unstructured', 'hazardous'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const FORM_FACTORS = ['biped', 'wheeled_humanoid', 'mobile_manipulator', 'quadruped'] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

export const ORGANIZATION_KINDS = ['enterprise', 'insurer', 'regulator', 'manufacturer'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const AUTONOMY_LEVELS = ['teleoperated', 'supervised', 'autonomous'] as const;
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number];

export const INCIDENT_TYPES = [
  'collision_person',
  'collision_property',
  'fall',
  'pinch_crush',
  'dropped_payload',
  'unexpected_motion',
  'navigation_error',
  'battery_thermal',
  'mechanical_electrical_failure',
  'software_perception_fault',
  'cyber',
  'operator_error',
  'task_failure_downtime',
  'near_miss',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const COVERAGE_CODES = ['robot_damage', 'third_party_liability', 'business_interruption'] as const;
export type CoverageCode = (typeof COVERAGE_CODES)[number];

/** The four money loss lines of an incident row (docs/architecture.md §4, §5). */
export const LOSS_LINES = [
  'robot_damage',
  'third_party_property_damage',
  'bodily_injury_cost',
  'business_interruption_cost',
] as const;
export type LossLine = (typeof LOSS_LINES)[number];

/** Severity levels 0–5 (docs/architecture.md §4). */
export const SEVERITY_LEVELS = [0, 1, 2, 3, 4, 5] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** Premium bases of a quote: an annual policy or pay-per-use by operating hour (docs/actuarial-method.md §8). */
export const QUOTE_BASES = ['annual', 'pay_per_use'] as const;
export type QuoteBasis = (typeof QUOTE_BASES)[number];

/** Underwriting decisions of a quote (docs/actuarial-method.md §7). */
export const QUOTE_DECISIONS = ['quoted', 'referred', 'declined'] as const;
export type QuoteDecisionCode = (typeof QUOTE_DECISIONS)[number];

/**
 * Lifecycle of a quote (docs/policy-lifecycle.md): referred → quoted | declined; quoted →
 * accepted (by the insured) → bound, or quoted → bound (by an underwriter); quoted, referred or
 * accepted past validity → expired.
 */
export const QUOTE_STATUSES = ['quoted', 'referred', 'declined', 'accepted', 'bound', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** When a subjectivity must be met: before binding, before inception (cover starts), or no deadline. */
export const SUBJECTIVITY_DEADLINES = ['bind', 'inception', 'none'] as const;
export type SubjectivityDeadline = (typeof SUBJECTIVITY_DEADLINES)[number];

/** Status of a subjectivity: open until an underwriter marks it satisfied or waives it. */
export const SUBJECTIVITY_STATUSES = ['open', 'satisfied', 'waived'] as const;
export type SubjectivityStatus = (typeof SUBJECTIVITY_STATUSES)[number];

/** Where a subjectivity comes from: a `require` rule of the rule set, or an underwriter's decision. */
export const SUBJECTIVITY_SOURCES = ['rules', 'underwriter'] as const;
export type SubjectivitySource = (typeof SUBJECTIVITY_SOURCES)[number];

/** Lifecycle of a policy: live from bind; cancelled mid-term; expired after its last day (shown so from then). */
export const POLICY_STATUSES = ['live', 'cancelled', 'expired'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** How a policy was bound: by an underwriter, automatically on the insured's acceptance, or by a migration of older bound quotes. */
export const BIND_MODES = ['underwriter', 'auto_on_acceptance', 'migration'] as const;
export type BindMode = (typeof BIND_MODES)[number];

/** Kinds and lifecycle of fitted model versions. */
export const MODEL_KINDS = ['frequency', 'severity'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const MODEL_STATUSES = ['candidate', 'active', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** Lifecycle of versioned documents (rule sets, rating plans). */
export const VERSION_STATUSES = ['draft', 'active', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Claim-count families of the frequency GLM and the severity families fitted by maximum likelihood. */
export const FREQUENCY_FAMILIES = ['poisson', 'negative_binomial'] as const;
export type FrequencyFamily = (typeof FREQUENCY_FAMILIES)[number];
export const SEVERITY_FAMILIES = ['lognormal', 'gamma', 'weibull', 'lomax', 'exponential'] as const;
export type SeverityFamily = (typeof SEVERITY_FAMILIES)[number];

/** Why a statistics cell is withheld (docs/actuarial-method.md §9). */
export const SUPPRESSION_REASONS = ['min_contributors', 'dominance', 'p_percent', 'complementary'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Period buckets of the regulator statistics. */
export const PERIOD_UNITS = ['month', 'quarter', 'year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
