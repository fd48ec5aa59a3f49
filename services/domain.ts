/** Domain vocabularies of DESIGN.md §3 (the database checks the same lists). */
export const SCENARIO_AREAS = [
  'manufacturing', 'maintenance', 'warehousing_logistics', 'healthcare_wellness', 'safety_production', 'emergency_rescue',
] as const;
export const HUMAN_PROXIMITY = ['segregated', 'shared_space', 'collaborative', 'care_contact', 'public'] as const;
export const ENVIRONMENT = ['structured', 'semi_structured', 'unstructured', 'hazardous'] as const;
export const FORM_FACTOR = ['biped', 'wheeled_humanoid', 'mobile_manipulator', 'quadruped'] as const;
export const ORGANIZATION_KIND = ['enterprise', 'insurer', 'regulator', 'manufacturer'] as const;
export const ROLES = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as const;
export const AUTONOMY_LEVEL = ['teleoperated', 'supervised', 'autonomous'] as const;
export const INCIDENT_TYPE = [
  'collision_person', 'collision_property', 'fall', 'pinch_crush', 'dropped_payload', 'unexpected_motion',
  'navigation_error', 'battery_thermal', 'mechanical_electrical_failure', 'software_perception_fault', 'cyber',
  'operator_error', 'task_failure_downtime', 'near_miss',
] as const;
export const INCIDENT_STATUS = ['open', 'closed'] as const;
export const COVERAGE_CODES = ['robot_damage', 'third_party_liability', 'business_interruption'] as const;

export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key. Enterprise principals are bound to one organization. */
export interface Principal {
  keyId: number;
  role: Role;
  organizationId: number | null;
  organizationRef: string | null;
  label: string | null;
}

/** Audit actor name of a principal. */
export const actorOf = (p: Principal | 'system'): string => (p === 'system' ? 'system' : `api_key:${p.keyId}`);
