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
