/** Domain vocabularies of DESIGN.md §3 (the database checks the same lists). */
// The vocabularies live with the reference data in seeds/enums.ts; these are their service names.
export {
  SCENARIO_AREA_CODES as SCENARIO_AREAS,
  HUMAN_PROXIMITIES as HUMAN_PROXIMITY,
  ENVIRONMENTS as ENVIRONMENT,
  FORM_FACTORS as FORM_FACTOR,
  ORGANIZATION_KINDS as ORGANIZATION_KIND,
  AUTONOMY_LEVELS as AUTONOMY_LEVEL,
  INCIDENT_TYPES as INCIDENT_TYPE,
  INCIDENT_STATUSES as INCIDENT_STATUS,
  COVERAGE_CODES,
} from '../seeds/enums.ts';

export const ROLES = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as const;
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
