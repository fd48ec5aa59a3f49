/** Request and response schemas of the HTTP API (snake_case, the data contract's names). */
import { z } from 'zod';
import {
  AUTONOMY_LEVELS, ENVIRONMENTS, FORM_FACTORS, HUMAN_PROXIMITIES, INCIDENT_STATUSES, INCIDENT_TYPES, ORGANIZATION_KINDS, ROLES,
  SCENARIO_AREA_CODES,
} from '../domain/index.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().meta({ description: 'Stable UPPER_SNAKE error code' }),
    request_id: z.string().optional(),
    errors: z.array(z.object({ line: z.number().int().optional(), field: z.string(), message: z.string() })).optional(),
    error_count: z.number().int().optional(),
    truncated: z.boolean().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const ref = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

export const Limit = z.coerce.number().int().min(1).max(1000).default(100);
export const Cursor = z.string().max(200).optional();
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() }).meta({ id });

export const RefParams = z.object({ ref });
export const CodeParams = z.object({ code: z.string().min(1).max(100) });
export const IdParams = z.object({ id: z.coerce.number().int().positive() });

export const ScenarioArea = z.object({ code: z.enum(SCENARIO_AREA_CODES), name: z.string() }).meta({ id: 'ScenarioArea' });

export const ScenarioClass = z
  .strictObject({
    code: z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, "'<area>.<name>' in lower snake case"),
    area: z.enum(SCENARIO_AREA_CODES),
    name: z.string().min(1).max(200),
    human_proximity: z.enum(HUMAN_PROXIMITIES),
    environment: z.enum(ENVIRONMENTS),
    vulnerable_people: z.boolean(),
    description: z.string().max(2000).nullable().default(null),
  })
  .meta({ id: 'ScenarioClass' });
export type ScenarioClass = z.infer<typeof ScenarioClass>;

export const RobotModel = z
  .strictObject({
    code: ref,
    manufacturer: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    form_factor: z.enum(FORM_FACTORS),
    mass_kg: z.number().positive().max(10_000),
    payload_kg: z.number().nonnegative().max(10_000),
    max_speed_mps: z.number().positive().max(50),
    replacement_value: z.number().positive().max(1e10).meta({ description: 'CNY' }),
    certifications: z.record(z.string().regex(/^[a-z0-9_]+$/), z.boolean()).default({}),
    illustrative: z.boolean().default(false),
  })
  .meta({ id: 'RobotModel' });
export type RobotModel = z.infer<typeof RobotModel>;

export const Coverage = z
  .object({ code: z.string(), name: z.string(), description: z.string(), loss_lines: z.array(z.string()) })
  .meta({ id: 'Coverage' });

export const NewOrganization = z
  .strictObject({
    ref,
    name: z.string().trim().min(1).max(300),
    kind: z.enum(ORGANIZATION_KINDS),
    province: z.string().trim().max(100).nullable().default(null),
  })
  .meta({ id: 'NewOrganization' });
export type NewOrganization = z.infer<typeof NewOrganization>;

export const Organization = NewOrganization.extend({ created_at: z.date() }).meta({ id: 'Organization' });

export const NewApiKey = z
  .strictObject({
    role: z.enum(ROLES),
    organization_ref: ref.nullable().optional(),
    label: z.string().max(200).nullable().optional(),
  })
  .meta({ id: 'NewApiKey' });
export type NewApiKey = z.infer<typeof NewApiKey>;

export const ApiKeyInfo = z
  .object({
    id: z.number().int(),
    key_prefix: z.string(),
    role: z.enum(ROLES),
    organization_ref: z.string().nullable(),
    label: z.string().nullable(),
    created_at: z.date(),
    revoked_at: z.date().nullable().optional(),
  })
  .meta({ id: 'ApiKeyInfo' });

export const IssuedApiKey = ApiKeyInfo.extend({ key: z.string().meta({ description: 'The key itself: shown once, stored only as a hash' }) }).meta({ id: 'IssuedApiKey' });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const Deployment = z
  .object({
    deployment_ref: z.string(),
    organization_ref: z.string(),
    province: z.string().nullable(),
    scenario_class: z.string(),
    scenario_area: z.string(),
    robot_model: z.string(),
    units: z.number().int(),
    autonomy_level: z.enum(AUTONOMY_LEVELS),
    start_date: isoDate,
    end_date: isoDate.nullable(),
  })
  .meta({ id: 'Deployment' });

export const DeploymentQuery = z.strictObject({
  organization_ref: ref.optional(),
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional(),
  scenario_class: z.string().max(100).optional(),
  robot_model: z.string().max(100).optional(),
  autonomy_level: z.enum(AUTONOMY_LEVELS).optional(),
  province: z.string().max(100).optional(),
  cursor: Cursor,
  limit: Limit,
});

export const Exposure = z
  .object({
    deployment_ref: z.string(),
    period_start: isoDate,
    period_end: isoDate,
    operating_hours: z.number(),
    task_cycles: z.number().int(),
    protective_stops: z.number().int(),
    near_misses: z.number().int(),
  })
  .meta({ id: 'Exposure' });

export const Incident = z
  .object({
    incident_ref: z.string(),
    deployment_ref: z.string(),
    organization_ref: z.string(),
    scenario_class: z.string(),
    scenario_area: z.string(),
    occurred_at: z.date(),
    reported_at: z.date().nullable(),
    incident_type: z.enum(INCIDENT_TYPES),
    severity_level: z.number().int().min(0).max(5),
    bodily_injury_count: z.number().int(),
    robot_damage: z.number(),
    third_party_property_damage: z.number(),
    bodily_injury_cost: z.number(),
    downtime_hours: z.number(),
    business_interruption_cost: z.number(),
    status: z.enum(INCIDENT_STATUSES),
    paid: z.number(),
    case_reserve: z.number(),
    currency: z.string(),
  })
  .meta({ id: 'Incident' });

const dateOrTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'ISO 8601 date or timestamp')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date');

export const IncidentQuery = z.strictObject({
  deployment_ref: ref.optional(),
  organization_ref: ref.optional(),
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional(),
  scenario_class: z.string().max(100).optional(),
  incident_type: z.enum(INCIDENT_TYPES).optional(),
  severity_level: z.coerce.number().int().min(0).max(5).optional(),
  min_severity: z.coerce.number().int().min(0).max(5).optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  occurred_from: dateOrTimestamp.optional(),
  occurred_to: dateOrTimestamp.optional(),
  cursor: Cursor,
  limit: Limit,
});

export const ImportResult = z
  .object({
    kind: z.enum(['deployments', 'exposures', 'incidents']),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .meta({ id: 'ImportResult' });
