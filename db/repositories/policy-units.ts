/**
 * Insured units of policies and the claims matched to them (migrations 20261204100100,
 * 20261204100200; docs/policy-changes.md §3).
 */
import type { Knex } from 'knex';
import type { IncidentStatus, IncidentType } from '../../domain/index.ts';

type Q = Knex | Knex.Transaction;

export interface PolicyUnitRow {
  id: number;
  policy_id: number;
  line: number;
  serial_number: string;
  cover_from: string;
  cover_until: string;
  added_by_change: number;
  removed_by_change: number | null;
}

const UNIT_COLS = ['id', 'policy_id', 'line', 'serial_number', 'added_by_change', 'removed_by_change'];
const unitSelect = (q: Q) => q('policy_units').select([...UNIT_COLS, q.raw('cover_from::text as cover_from'), q.raw('cover_until::text as cover_until')]);

export interface NewPolicyUnit { policy_id: number; line: number; serial_number: string; cover_from: string; cover_until: string; added_by_change: number }

/**
 * Inserts units. The trigger `policy_units_serial_live` refuses (SQLSTATE 23505, constraint
 * `policy_units_serial_live`) a serial whose cover overlaps another live cover.
 */
export async function insertUnits(q: Q, rows: readonly NewPolicyUnit[]): Promise<void> {
  if (rows.length) await q('policy_units').insert(rows);
}

export async function unitsOfPolicy(q: Q, policyId: number): Promise<PolicyUnitRow[]> {
  return unitSelect(q).where({ policy_id: policyId }).orderBy(['line', 'cover_from', 'serial_number']) as Promise<PolicyUnitRow[]>;
}

/** The serials among `serials` with a cover meeting `from..until` (on any policy, any organization, other than `exceptPolicyId`). */
export async function serialsOnLivePolicies(q: Q, serials: readonly string[], from: string, until: string, exceptPolicyId?: number): Promise<string[]> {
  if (!serials.length) return [];
  const r = await q('policy_units').distinct('serial_number')
    .whereIn('serial_number', serials as string[])
    .whereRaw('cover_until >= cover_from and cover_from <= ?::date and cover_until >= ?::date', [until, from])
    .modify((b) => { if (exceptPolicyId !== undefined) b.whereNot('policy_id', exceptPolicyId); })
    .orderBy('serial_number');
  return r.map((x: { serial_number: string }) => x.serial_number);
}

/** Ends the cover of the given units of a policy line on `lastDay` (removal by endorsement). Returns how many. */
export async function endUnitCovers(q: Q, policyId: number, line: number, serials: readonly string[], lastDay: string, changeSeq: number): Promise<number> {
  return q('policy_units').where({ policy_id: policyId, line }).whereIn('serial_number', serials as string[])
    .whereRaw('cover_until > ?::date', [lastDay])
    .update({ cover_until: q.raw('greatest(?::date, cover_from - 1)', [lastDay]), removed_by_change: changeSeq });
}

/** Ends every cover of a policy on `lastDay` at the latest (cancellation; `lastDay` may be the day before inception). */
export async function truncateCovers(q: Q, policyId: number, lastDay: string, changeSeq: number): Promise<void> {
  await q('policy_units').where({ policy_id: policyId }).whereRaw('cover_until > ?::date', [lastDay])
    .update({ cover_until: q.raw('greatest(?::date, cover_from - 1)', [lastDay]), removed_by_change: q.raw('coalesce(removed_by_change, ?)', [changeSeq]) });
}

export interface UnitCoverRow {
  serial_number: string;
  organization_id: number;
  policy_number: string;
  line: number;
  from: string;
  until: string;
}

/** Every cover of the given serials, with the policy's organization and number. */
export async function coversOfSerials(q: Q, serials: readonly string[]): Promise<UnitCoverRow[]> {
  if (!serials.length) return [];
  const r = await q.raw(`
    select u.serial_number, p.organization_id, p.policy_number, u.line, u.cover_from::text as "from", u.cover_until::text as "until"
    from policy_units u join policies p on p.id = u.policy_id
    where u.serial_number = any(?::text[]) and u.cover_until >= u.cover_from`, [serials as string[]]);
  return r.rows as UnitCoverRow[];
}

export interface ClaimRow {
  incident_ref: string;
  deployment_ref: string;
  organization_id: number;
  occurred_at: Date;
  day: string;
  incident_type: IncidentType;
  severity_level: number;
  status: IncidentStatus;
  serial_number: string | null;
  deployment_serials: string[] | null;
  robot_damage: number;
  third_party_liability: number;
  business_interruption: number;
  paid: number;
  case_reserve: number;
}

const CLAIM_COLS = `i.ref as incident_ref, d.ref as deployment_ref, d.organization_id, i.occurred_at,
  (i.occurred_at at time zone 'UTC')::date::text as day, i.incident_type, i.severity_level, i.status, i.serial_number,
  d.serial_numbers as deployment_serials, i.robot_damage, (i.third_party_property_damage + i.bodily_injury_cost) as third_party_liability,
  i.business_interruption_cost as business_interruption, i.paid, i.case_reserve`;

/**
 * The incidents a policy's claims view shows: incidents of the insured organization on the days
 * `from..until` that name one of the policy's serials, or happened in a deployment naming one
 * (its linked deployments); a policy without identified units links the organization's
 * deployments in its scenario classes (`classCodes`).
 */
export async function claimsOfPolicy(q: Q, policyId: number, organizationId: number, from: string, until: string, classCodes: readonly string[]): Promise<ClaimRow[]> {
  if (until < from) return [];
  const r = await q.raw(`
    with serials as (select distinct serial_number from policy_units where policy_id = ?),
    identified as (select exists (select 1 from serials) as yes)
    select ${CLAIM_COLS}
    from incidents i join deployments d on d.id = i.deployment_id
    where d.organization_id = ?
      and i.occurred_at >= (?::date::timestamp at time zone 'UTC') and i.occurred_at < ((?::date + 1)::timestamp at time zone 'UTC')
      and (
        ((select yes from identified) and (i.serial_number in (select serial_number from serials)
           or d.serial_numbers && (select coalesce(array_agg(serial_number), '{}') from serials)))
        or (not (select yes from identified) and d.scenario_class_id in (select id from scenario_classes where code = any(?::text[])))
      )
    order by i.occurred_at, i.ref`, [policyId, organizationId, from, until, classCodes as string[]]);
  return r.rows as ClaimRow[];
}

/** Incidents naming a unit (optionally of one organization, within from..until): for the organization-wide unit check. */
export async function incidentsNamingUnits(q: Q, f: { organizationId: number | null; from?: string; to?: string; afterRef?: string; limit: number }): Promise<ClaimRow[]> {
  const r = await q.raw(`
    select ${CLAIM_COLS}
    from incidents i join deployments d on d.id = i.deployment_id
    where i.serial_number is not null
      ${f.organizationId !== null ? 'and d.organization_id = :org' : ''}
      ${f.from ? `and i.occurred_at >= (:from::date::timestamp at time zone 'UTC')` : ''}
      ${f.to ? `and i.occurred_at < ((:to::date + 1)::timestamp at time zone 'UTC')` : ''}
      ${f.afterRef ? 'and i.ref > :after' : ''}
    order by i.ref limit :limit`, { org: f.organizationId, from: f.from ?? null, to: f.to ?? null, after: f.afterRef ?? null, limit: f.limit } as Record<string, Knex.Value>);
  return r.rows as ClaimRow[];
}
