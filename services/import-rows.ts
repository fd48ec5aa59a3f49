/**
 * Row schemas of the data contract (docs/architecture.md §5). Values arrive as strings (CSV) or
 * JSON values; each schema coerces, checks ranges and cross-field rules, and yields the typed row.
 */
import { z } from 'zod';
import { MAX_EXPOSURE_PERIOD_DAYS, parseTimestamp } from '../domain/calendar.ts';
import { isoDate as calendarDate, text as wellFormedText } from '../domain/schemas/common.ts';
import { AUTONOMY_LEVELS, INCIDENT_STATUSES, INCIDENT_TYPES } from '../domain/index.ts';
import type { ImportKind } from '../db/repositories/imports.ts';
import { canonicalSerial, parseSerialList } from '../domain/serial-number.ts';

/** Custom message for a wrong type only; range checks keep zod's own messages. */
const typeError = (message: string) => ({
  error: (iss: { code?: string; input?: unknown }) =>
    iss.code === 'invalid_type' ? (iss.input === undefined ? 'required' : message) : undefined,
});

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const numeric = (v: unknown) => {
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return undefined;
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : v;
  }
  return v;
};

const ref = z.preprocess(blankToUndefined, wellFormedText.trim().min(1).max(100));
const text = z.preprocess(blankToUndefined, wellFormedText.trim().max(200).optional());
const nonNegative = z.preprocess(numeric, z.number(typeError('expected a number')).finite().nonnegative());
const optionalCount = z.preprocess(numeric, z.number(typeError('expected an integer')).int().nonnegative().max(2_000_000_000).default(0));
const money = z.preprocess(numeric, z.number(typeError('expected an amount')).finite().nonnegative().max(1e13).default(0));

const MIN_DATE = '2000-01-01';
const MAX_DATE = '2100-12-31';

const dateString = z.string(typeError('expected a date YYYY-MM-DD'))
  .pipe(calendarDate)
  .refine((s) => s >= MIN_DATE && s <= MAX_DATE, { message: `date out of range ${MIN_DATE}..${MAX_DATE}`, abort: true });
const isoDate = z.preprocess(blankToUndefined, dateString);
const optionalIsoDate = z.preprocess(blankToUndefined, dateString.optional());

/** ISO 8601 timestamp (a date alone means 00:00 UTC; no offset means UTC); yields ISO UTC (domain/calendar.ts). */
const timestampString = z.string(typeError('expected an ISO 8601 timestamp'))
  .transform((s, ctx) => {
    const iso = parseTimestamp(s);
    if (iso === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 timestamp on a day of the calendar' });
      return z.NEVER;
    }
    if (iso.slice(0, 10) < MIN_DATE || iso.slice(0, 10) > MAX_DATE) {
      ctx.addIssue({ code: 'custom', message: `date out of range ${MIN_DATE}..${MAX_DATE}` });
      return z.NEVER;
    }
    return iso;
  });
const timestamp = z.preprocess(blankToUndefined, timestampString);
const optionalTimestamp = z.preprocess(blankToUndefined, timestampString.optional());

/**
 * The robots a deployment names (domain/serial-number.ts): one CSV cell separated by `;`, `|` or
 * spaces, or a JSON array of strings; canonical, no duplicates. Blank = not reported (null).
 */
const serialList = z.preprocess(
  (v) => (Array.isArray(v) && v.length === 0 ? undefined : blankToUndefined(v)),
  z.union([z.string(), z.array(z.string())], typeError('expected serial numbers (a list separated by ; or an array)'))
    .transform((v, ctx) => {
      const { serials, problems } = parseSerialList(v);
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return serials;
    })
    .optional(),
);

/** The robot an incident names (canonical serial); blank = not reported. */
const serial = z.preprocess(blankToUndefined, z.string(typeError('expected a serial number')).transform((v, ctx) => {
  const c = canonicalSerial(v);
  if ('error' in c) {
    ctx.addIssue({ code: 'custom', message: c.error });
    return z.NEVER;
  }
  return c.serial;
}).optional());

const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(blankToUndefined, z.enum(values, { error: `expected one of: ${values.join(', ')}` }));

/** Reports a cross-field problem on `field`. */
type AddProblem = (field: string, message: string) => void;

/**
 * A row kind: its fields and its cross-field rules. The rules read only the fields that parsed
 * (any may be missing), so a row with bad fields still has its other rules checked.
 */
const rowKind = <S extends z.ZodRawShape>(fields: S, cross: (r: Partial<z.output<z.ZodObject<S>>>, add: AddProblem) => void) => ({
  fields,
  cross,
  schema: z.strictObject(fields).superRefine((r, ctx) =>
    cross(r as Partial<z.output<z.ZodObject<S>>>, (field, message) => ctx.addIssue({ code: 'custom', path: [field], message }))),
});

const deployment = rowKind({
  deployment_ref: ref,
  organization_ref: ref,
  province: text,
  scenario_class: ref,
  robot_model: ref,
  units: z.preprocess(numeric, z.number(typeError('expected an integer')).int().min(1).max(1_000_000)),
  autonomy_level: enumOf(AUTONOMY_LEVELS),
  start_date: isoDate,
  end_date: optionalIsoDate,
  integrator_ref: text,
  /** The deployment's robots by serial number (at most `units`); absent = not reported. */
  serial_numbers: serialList,
}, (r, add) => {
  if (r.end_date && r.start_date && r.end_date < r.start_date) add('end_date', 'end_date is before start_date');
  if (r.serial_numbers && r.units !== undefined && r.serial_numbers.length > r.units) {
    add('serial_numbers', `${r.serial_numbers.length} serial numbers for ${r.units} unit(s): at most one per unit`);
  }
});
export const DeploymentRow = deployment.schema;
export type DeploymentRow = z.infer<typeof DeploymentRow>;

const exposure = rowKind({
  deployment_ref: ref,
  period_start: isoDate,
  period_end: isoDate,
  operating_hours: nonNegative,
  task_cycles: optionalCount,
  protective_stops: optionalCount,
  near_misses: optionalCount,
  /** The robot software of the period (free text, e.g. `2.1`); absent = not reported. */
  software_version: z.preprocess(blankToUndefined, z.string().trim().min(1).max(100).optional()),
  /** Hours the deployment's robots were out of service in the period; absent = not reported (not 0). */
  downtime_hours: z.preprocess(numeric, z.number(typeError('expected a number')).finite().nonnegative().optional()),
}, (r, add) => {
  if (!r.period_start || !r.period_end) return;
  if (r.period_end < r.period_start) add('period_end', 'period_end is before period_start');
  const days = (Date.parse(r.period_end) - Date.parse(r.period_start)) / 86_400_000 + 1;
  if (days > MAX_EXPOSURE_PERIOD_DAYS) add('period_end', `a reporting period is at most ${MAX_EXPOSURE_PERIOD_DAYS} days (a year); this one has ${days}`);
  if (r.operating_hours !== undefined && r.operating_hours > days * 24 * 1_000_000) {
    add('operating_hours', 'operating_hours implausibly large for the period');
  }
  if (r.downtime_hours !== undefined && r.downtime_hours > days * 24 * 1_000_000) {
    add('downtime_hours', 'downtime_hours implausibly large for the period');
  }
});
export const ExposureRow = exposure.schema;
export type ExposureRow = z.infer<typeof ExposureRow>;

const incident = rowKind({
  incident_ref: ref,
  deployment_ref: ref,
  occurred_at: timestamp,
  reported_at: optionalTimestamp,
  incident_type: enumOf(INCIDENT_TYPES),
  severity_level: z.preprocess(numeric, z.number(typeError('expected an integer 0-5')).int().min(0).max(5)),
  bodily_injury_count: optionalCount,
  robot_damage: money,
  third_party_property_damage: money,
  bodily_injury_cost: money,
  downtime_hours: z.preprocess(numeric, z.number(typeError('expected a number')).finite().nonnegative().default(0)),
  business_interruption_cost: money,
  status: enumOf(INCIDENT_STATUSES),
  paid: money,
  case_reserve: money,
  currency: z.preprocess(blankToUndefined, z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as CNY').default('CNY')),
  /** The robot involved, by serial number; absent = not reported. */
  serial_number: serial,
}, (r, add) => {
  if (r.reported_at && r.occurred_at && r.reported_at < r.occurred_at) add('reported_at', 'reported_at is before occurred_at');
  if (r.occurred_at && r.occurred_at > new Date(Date.now() + 86_400_000).toISOString()) add('occurred_at', 'occurred_at is in the future');
  if (r.status === 'closed' && r.case_reserve !== undefined && r.case_reserve > 0) add('case_reserve', 'a closed incident has no case reserve');
});
export const IncidentRow = incident.schema;
export type IncidentRow = z.infer<typeof IncidentRow>;

export const ROW_SCHEMAS = { deployments: DeploymentRow, exposures: ExposureRow, incidents: IncidentRow } as const;
const ROW_KINDS = { deployments: deployment, exposures: exposure, incidents: incident } as const;

/**
 * Every problem of a row that failed its schema, field by field: unknown fields, each bad
 * field, and the cross-field rules among the fields that parsed. `row` holds the fields that
 * parsed (the others null), so the reference and duplicate checks can still run on it.
 */
export function rowProblems(kind: ImportKind, values: Record<string, unknown>): { row: Record<string, unknown>; problems: { field: string; message: string }[] } {
  const { fields, cross } = ROW_KINDS[kind] as { fields: Record<string, z.ZodType>; cross: (r: Record<string, unknown>, add: AddProblem) => void };
  const problems: { field: string; message: string }[] = [];
  const unknown = Object.keys(values).filter((k) => !Object.hasOwn(fields, k));
  if (unknown.length) problems.push({ field: '*', message: `unknown field(s): ${unknown.join(', ')}` });
  const row: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(fields)) {
    const parsed = schema.safeParse(values[field]);
    if (parsed.success) row[field] = parsed.data;
    else for (const issue of parsed.error.issues) problems.push({ field, message: issue.message });
  }
  cross(row, (field, message) => problems.push({ field, message }));
  for (const field of Object.keys(fields)) row[field] ??= null;
  return { row, problems };
}

/** Column order of each file in the data contract. */
export const CONTRACT_COLUMNS: Record<ImportKind, string[]> = {
  deployments: ['deployment_ref', 'organization_ref', 'province', 'scenario_class', 'robot_model', 'units', 'autonomy_level', 'start_date', 'end_date', 'integrator_ref', 'serial_numbers'],
  exposures: ['deployment_ref', 'period_start', 'period_end', 'operating_hours', 'task_cycles', 'protective_stops', 'near_misses',
    'software_version', 'downtime_hours'],
  incidents: ['incident_ref', 'deployment_ref', 'occurred_at', 'reported_at', 'incident_type', 'severity_level',
    'bodily_injury_count', 'robot_damage', 'third_party_property_damage', 'bodily_injury_cost', 'downtime_hours',
    'business_interruption_cost', 'status', 'paid', 'case_reserve', 'currency', 'serial_number'],
};

/** Columns a file may omit (they default: counts and money to 0, currency CNY). */
export const OPTIONAL_COLUMNS: Record<ImportKind, string[]> = {
  deployments: ['province', 'end_date', 'integrator_ref', 'serial_numbers'],
  exposures: ['task_cycles', 'protective_stops', 'near_misses', 'software_version', 'downtime_hours'],
  incidents: ['reported_at', 'bodily_injury_count', 'robot_damage', 'third_party_property_damage', 'bodily_injury_cost',
    'downtime_hours', 'business_interruption_cost', 'paid', 'case_reserve', 'currency', 'serial_number'],
};
