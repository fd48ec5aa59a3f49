/**
 * Identified units (issue 14 item 3, docs/policy-changes.md §3): the claims view of a policy and
 * the organization-wide check of incidents naming units, each incident matched to an insured unit
 * (services/unit-matching.ts). Serials at bind: services/policy-unit-bind.ts.
 */
import type { Db } from '../db/connection.ts';
import * as unitsRepo from '../db/repositories/policy-units.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { addDays } from '../domain/calendar.ts';
import type { Principal } from '../domain/index.ts';
import type { FleetLine } from '../domain/schemas/index.ts';
import type { UnitCheckQuery } from '../domain/schemas/policy-changes.ts';
import { matchIncidentToUnit, type UnitCover } from './unit-matching.ts';
import { findPolicyRow } from './policies.ts';

type ClaimView = ReturnType<typeof claimView>;

function claimView(c: unitsRepo.ClaimRow, covers: readonly UnitCover[], seeAll: boolean) {
  const match = matchIncidentToUnit({ organization_id: c.organization_id, day: c.day, serial_number: c.serial_number, deployment_serials: c.deployment_serials }, covers, seeAll);
  return {
    incident_ref: c.incident_ref, deployment_ref: c.deployment_ref, occurred_at: c.occurred_at, incident_type: c.incident_type,
    severity_level: c.severity_level, status: c.status, serial_number: c.serial_number,
    losses: { robot_damage: Number(c.robot_damage), third_party_liability: Number(c.third_party_liability), business_interruption: Number(c.business_interruption) },
    paid: Number(c.paid), case_reserve: Number(c.case_reserve),
    unit_match: match,
  };
}

const seesAll = (p: Principal) => p.role === 'underwriter';

async function matched(db: Db, p: Principal, rows: readonly unitsRepo.ClaimRow[]): Promise<ClaimView[]> {
  const serials = [...new Set(rows.flatMap((r) => (r.serial_number ? [r.serial_number] : [])))];
  const covers = await unitsRepo.coversOfSerials(db, serials);
  return rows.map((r) => claimView(r, covers, seesAll(p)));
}

/**
 * The claims view of a policy: incidents of the insured organization during the policy's cover
 * (inception to expiry, or to the day before the cancellation) in its linked deployments (those
 * naming one of its units) or naming one of its units — or, for a policy without identified
 * units, in the organization's deployments of its scenario classes — each matched to an insured
 * unit. `flagged` claims name a unit that was not on a live policy of the organization that day.
 */
export async function policyClaims(db: Db, p: Principal, policyNumber: string) {
  const r = await findPolicyRow(db, p, policyNumber);
  const until = r.cancellation_effective_date ? addDays(r.cancellation_effective_date, -1) : r.expiry_date;
  const classes = [...new Set((r.schedule.fleet as FleetLine[]).map((l) => l.scenario_class))];
  const rows = await unitsRepo.claimsOfPolicy(db, r.id, r.organization_id, r.inception_date, until, classes);
  const claims = await matched(db, p, rows);
  return {
    policy_number: r.policy_number, period: { start: r.inception_date, end: until },
    claims, flagged: claims.filter((c) => c.unit_match.flagged).length,
  };
}

/**
 * Incidents that name a unit, each matched to an insured unit (underwriters: every
 * organization, or one by `organization_ref`; an enterprise: its own). With `flagged_only`, only
 * claims on a unit not on a live policy of the organization that day (or not in its deployment).
 */
export async function unitChecks(db: Db, p: Principal, q: UnitCheckQuery) {
  let organizationId: number | null = p.role === 'enterprise' ? p.organizationId! : null;
  if (q.organization_ref !== undefined) {
    const org = await getOrganizationByRef(db, q.organization_ref);
    if (!org || (organizationId !== null && org.id !== organizationId)) return { data: [], next_cursor: null };
    organizationId = org.id;
  }
  const rows = await unitsRepo.incidentsNamingUnits(db, { organizationId, from: q.from, to: q.to, afterRef: q.cursor, limit: q.limit + 1 });
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const data = (await matched(db, p, page)).filter((c) => !q.flagged_only || c.unit_match.flagged);
  return { data, next_cursor: more ? page[page.length - 1].incident_ref : null };
}
