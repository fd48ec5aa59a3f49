/**
 * Request parameters and response schemas of the HTTP API (snake_case, the data contract's
 * names): errors, paging, catalog, organizations and keys, validation histories, imports.
 * Request bodies that services also use as types live in domain/schemas.
 */
import { z } from 'zod';
import {
  AUTONOMY_LEVELS, COVERAGE_CODES, INCIDENT_STATUSES, INCIDENT_TYPES, LOSS_LINES, QUOTE_STATUSES, ROLES, SCENARIO_AREA_CODES,
} from '../domain/index.ts';
import {
  CursorParam, IdParam, isoDate, isoDateTime, isoTimestamp, NewOrganization, ref, RefParam, RobotModel, ScenarioClass, text,
} from '../domain/schemas/index.ts';

export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: 'URI of the problem type (one per code)' }),
    title: z.string().meta({ description: 'Short summary of the problem type' }),
    status: z.number().int().meta({ description: 'HTTP status of the response (always a number)' }),
    detail: z.string().meta({ description: 'What went wrong in this request' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    code: z.string().meta({ description: 'Stable UPPER_SNAKE error code' }),
    request_id: z.string().optional().meta({ description: 'Request id (the x-request-id header)' }),
    errors: z.array(z.object({
      line: z.number().int().optional().meta({ description: 'Line of an imported file (CSV: physical line, header = 1; JSON: record number)' }),
      field: z.string().meta({ description: 'Field (dotted path) in error' }),
      message: z.string().meta({ description: 'What is wrong with it' }),
    })).optional().meta({ description: 'Every invalid field (validation and import errors)' }),
    error_count: z.number().int().optional().meta({ description: 'Total problems of a rejected import (errors lists at most IMPORT_MAX_ERRORS)' }),
    truncated: z.boolean().optional().meta({ description: 'True when errors lists fewer than error_count problems' }),
    quote_status: z.enum(QUOTE_STATUSES).optional().meta({ description: 'Status of the quote a decision or bind conflicted with (409)' }),
    open_subjectivities: z.array(z.object({ id: z.number().int(), text: z.string() })).optional()
      .meta({ description: 'The open subjectivities required before binding that refused a bind (409)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Limit = z.coerce.number().int().min(1).max(1000).default(100).meta({ description: 'Page size' });
export const Cursor = CursorParam.optional().meta({ description: 'next_cursor of the previous page' });

/** A page of items, ordered by creation. */
export const pageOf = <T extends z.ZodType>(item: T, id: string, what: string) =>
  z.strictObject({
    data: z.array(item).meta({ description: `The ${what} of this page` }),
    next_cursor: z.string().nullable().meta({ description: 'Cursor of the next page (pass as `cursor`); null on the last page' }),
  }).meta({ id, description: `A page of ${what}` });

/** A complete (unpaged) list. */
export const listOf = <T extends z.ZodType>(item: T, id: string, what: string) =>
  z.strictObject({ data: z.array(item).meta({ description: `Every ${what}` }) }).meta({ id, description: `All ${what}` });

export const RefParams = z.object({ ref: RefParam });
export const CodeParams = z.object({ code: text.min(1).max(100) });
/** The path of every route addressing a record by id: the one canonical id schema (domain/schemas/common.ts). */
export const IdParams = z.object({ id: IdParam });

// ---------------------------------------------------------------------------------------------
// Catalog

export const ScenarioArea = z
  .strictObject({
    code: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area code' }),
    name: z.string().meta({ description: 'Display name' }),
  })
  .meta({ id: 'ScenarioArea', description: 'A scenario area (the first level of the scenario classes)' });

export const Coverage = z
  .strictObject({
    code: z.enum(COVERAGE_CODES).meta({ description: 'Coverage code' }),
    name: z.string().meta({ description: 'Display name' }),
    description: z.string().meta({ description: 'What the coverage pays' }),
    loss_lines: z.array(z.enum(LOSS_LINES)).meta({ description: 'Loss lines of an incident that are claims under the coverage' }),
  })
  .meta({ id: 'Coverage', description: 'A coverage of the product' });

export const ScenarioAreaList = listOf(ScenarioArea, 'ScenarioAreaList', 'scenario areas');
export const ScenarioClassList = listOf(ScenarioClass, 'ScenarioClassList', 'scenario classes (of the area asked for)');
export const RobotModelList = listOf(RobotModel, 'RobotModelList', 'robot models (of the form factor asked for)');
export const CoverageList = listOf(Coverage, 'CoverageList', 'coverages');

// ---------------------------------------------------------------------------------------------
// Organizations and API keys

export const Organization = NewOrganization
  .extend({ created_at: z.date().meta({ description: 'When the organization was created' }) })
  .meta({ id: 'Organization', description: 'An organization (enterprise, insurer, regulator, manufacturer)' });

export const ApiKeyInfo = z
  .strictObject({
    id: z.number().int().meta({ description: 'Key id (for revocation)' }),
    key_prefix: z.string().meta({ description: 'First 12 characters of the key, to recognise it' }),
    role: z.enum(ROLES).meta({ description: 'Role of the key' }),
    organization_ref: z.string().nullable().meta({ description: 'Organization the key acts for' }),
    label: z.string().nullable().meta({ description: 'Free-text label' }),
    created_at: z.date().meta({ description: 'When the key was issued' }),
    revoked_at: z.date().nullable().optional().meta({ description: 'When the key was revoked (null while active)' }),
    expires_at: z.date().nullable().meta({ description: 'When the key stops working (null: never)' }),
    last_used_at: z.date().nullable().meta({ description: 'Last authenticated use, to about a minute (null: never used)' }),
  })
  .meta({ id: 'ApiKeyInfo', description: 'An API key (never the key itself)' });

export const IssuedApiKey = ApiKeyInfo
  .extend({ key: z.string().meta({ description: 'The key itself: shown once, stored only as a hash' }) })
  .meta({ id: 'IssuedApiKey', description: 'A newly issued API key, with the key (shown once)' });

export const ApiKeyList = listOf(ApiKeyInfo, 'ApiKeyList', 'API keys, revoked ones included');

// ---------------------------------------------------------------------------------------------
// Audit trail

const instant = (description: string) => z.union([isoDateTime, isoDate]).meta({ description });
const auditText = text.min(1).max(200);

export const AuditEventQuery = z.strictObject({
  actor: auditText.optional().meta({ description: 'Who: `api_key:<id>`, `cli:<operator>` or `system`' }),
  action: auditText.optional().meta({ description: 'What, e.g. `api_key.issue`, `quote.bind`' }),
  entity: auditText.optional().meta({ description: 'Kind of record, e.g. `api_key`, `quote`, `deployment`' }),
  entity_ref: auditText.optional().meta({ description: 'Reference or id of the record' }),
  from: instant('Events at or after this time (ISO 8601 timestamp with offset, or a date = its midnight UTC)').optional(),
  to: instant('Events before this time (ISO 8601 timestamp with offset, or a date = its midnight UTC)').optional(),
  cursor: Cursor,
  limit: Limit,
});

export const AuditEvent = z
  .strictObject({
    id: z.number().int().meta({ description: 'Event id (events are numbered in the order written)' }),
    actor: z.string().meta({ description: 'Who: `api_key:<id>`, `cli:<operator>` or `system`' }),
    action: z.string().meta({ description: 'What was done, e.g. `api_key.issue`' }),
    entity: z.string().meta({ description: 'Kind of record changed' }),
    entity_ref: z.string().nullable().meta({ description: 'Reference or id of the record' }),
    before: z.unknown().meta({ description: 'The record before the change (JSON; null when created)' }),
    after: z.unknown().meta({ description: 'The record after the change (JSON; null when none recorded)' }),
    created_at: z.date().meta({ description: 'When it happened' }),
  })
  .meta({ id: 'AuditEvent', description: 'An audit event: one change, by whom, with before and after' });

// ---------------------------------------------------------------------------------------------
// Validation histories


export const Deployment = z
  .strictObject({
    deployment_ref: z.string().meta({ description: 'Deployment reference' }),
    organization_ref: z.string().meta({ description: 'Operating organization' }),
    province: z.string().nullable().meta({ description: 'Province of the site' }),
    scenario_class: z.string().meta({ description: 'Scenario class code' }),
    scenario_area: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area of the class' }),
    robot_model: z.string().meta({ description: 'Robot model code' }),
    units: z.number().int().meta({ description: 'Number of robots' }),
    autonomy_level: z.enum(AUTONOMY_LEVELS).meta({ description: 'Autonomy level of operation' }),
    start_date: isoDate.meta({ description: 'First day of operation' }),
    end_date: isoDate.nullable().meta({ description: 'Last day of operation (null while running)' }),
  })
  .meta({ id: 'Deployment', description: 'A deployment: one scenario unit of robots at work' });

export const DeploymentQuery = z.strictObject({
  organization_ref: ref.optional(),
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional(),
  scenario_class: text.max(100).optional(),
  robot_model: text.max(100).optional(),
  autonomy_level: z.enum(AUTONOMY_LEVELS).optional(),
  province: text.max(100).optional(),
  cursor: Cursor,
  limit: Limit,
});

export const Exposure = z
  .strictObject({
    deployment_ref: z.string().meta({ description: 'Deployment reference' }),
    period_start: isoDate.meta({ description: 'First day of the period' }),
    period_end: isoDate.meta({ description: 'Last day of the period' }),
    operating_hours: z.number().meta({ description: 'Operating hours of all units in the period' }),
    task_cycles: z.number().int().meta({ description: 'Task cycles completed' }),
    protective_stops: z.number().int().meta({ description: 'Protective stops (leading indicator)' }),
    near_misses: z.number().int().meta({ description: 'Near misses (leading indicator)' }),
  })
  .meta({ id: 'Exposure', description: 'An exposure period of a deployment' });

const money = (description: string) => z.number().meta({ description: `${description}, in major units of currency` });

export const Incident = z
  .strictObject({
    incident_ref: z.string().meta({ description: 'Incident reference' }),
    deployment_ref: z.string().meta({ description: 'Deployment it happened in' }),
    organization_ref: z.string().meta({ description: 'Operating organization' }),
    scenario_class: z.string().meta({ description: 'Scenario class code of the deployment' }),
    scenario_area: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area of the deployment' }),
    occurred_at: z.date().meta({ description: 'When it happened' }),
    reported_at: z.date().nullable().meta({ description: 'When it was reported' }),
    incident_type: z.enum(INCIDENT_TYPES).meta({ description: 'Incident type' }),
    severity_level: z.number().int().min(0).max(5).meta({ description: 'Severity 0 (near miss, no harm) to 5 (fatality)' }),
    bodily_injury_count: z.number().int().meta({ description: 'People injured' }),
    robot_damage: money('Damage to the robot'),
    third_party_property_damage: money('Damage to third-party property'),
    bodily_injury_cost: money('Cost of bodily injuries'),
    downtime_hours: z.number().meta({ description: 'Hours of downtime caused' }),
    business_interruption_cost: money('Business interruption loss'),
    status: z.enum(INCIDENT_STATUSES).meta({ description: 'Claim status (open claims count at paid + case reserve)' }),
    paid: money('Paid so far'),
    case_reserve: money('Case reserve of an open claim'),
    currency: z.string().meta({ description: 'ISO 4217 currency of the amounts' }),
  })
  .meta({ id: 'Incident', description: 'An incident with its losses' });


export const IncidentQuery = z.strictObject({
  deployment_ref: ref.optional(),
  organization_ref: ref.optional(),
  scenario_area: z.enum(SCENARIO_AREA_CODES).optional(),
  scenario_class: text.max(100).optional(),
  incident_type: z.enum(INCIDENT_TYPES).optional(),
  severity_level: z.coerce.number().int().min(0).max(5).optional(),
  min_severity: z.coerce.number().int().min(0).max(5).optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  occurred_from: isoTimestamp.optional(),
  occurred_to: isoTimestamp.optional(),
  cursor: Cursor,
  limit: Limit,
});

export const ImportResult = z
  .strictObject({
    kind: z.enum(['deployments', 'exposures', 'incidents']).meta({ description: 'What was imported' }),
    rows: z.number().int().meta({ description: 'Rows in the file' }),
    inserted: z.number().int().meta({ description: 'New records' }),
    updated: z.number().int().meta({ description: 'Changed records (each change audited with before/after)' }),
    unchanged: z.number().int().meta({ description: 'Records already stored as sent' }),
  })
  .meta({ id: 'ImportResult', description: 'Outcome of an import (all-or-nothing, idempotent by *_ref)' });
