/**
 * Matching an incident (a claim) to an insured unit (issue 14 item 3, docs/policy-changes.md §3).
 * Pure: the repository fetches the incident with the serial it names and every policy unit cover
 * of that serial; this decides what the claim is. Days are `YYYY-MM-DD` (UTC, inclusive).
 */

/** One insured unit's cover on one policy: the days `from..until` (inclusive; until < from = never covered). */
export interface UnitCover {
  serial_number: string;
  organization_id: number;
  policy_number: string;
  line: number;
  from: string;
  until: string;
}

export interface IncidentForMatching {
  organization_id: number;
  /** The UTC day the incident occurred. */
  day: string;
  /** The unit the incident names, canonical; null when it names none. */
  serial_number: string | null;
  /** The units its deployment names (null when the deployment names none). */
  deployment_serials: readonly string[] | null;
}

/**
 * `insured`: a live policy of the incident's organization covered the named unit on that day.
 * `not_on_live_policy`: the named unit was not on a live policy of the organization that day
 *   (flagged: a claim on such a serial may be an impersonation).
 * `unidentified`: the incident names no unit (nothing to match; not flagged).
 */
export type UnitMatchStatus = 'insured' | 'not_on_live_policy' | 'unidentified';

export interface UnitMatch {
  status: UnitMatchStatus;
  flagged: boolean;
  policy_number: string | null;
  line: number | null;
  /** The named unit is not among the units its deployment names (when it names any). */
  serial_not_in_deployment: boolean;
  /**
   * The unit was covered that day by a policy of another organization. Only for views that may
   * see every organization (underwriters); views of one organization leave it false.
   */
  insured_by_other_organization: boolean;
}

const covers = (c: UnitCover, day: string) => c.from <= day && day <= c.until;

/**
 * What an incident is to the insured units. `seeAllOrganizations` is whether the viewer may
 * learn that another organization insures the unit. When several of the organization's covers
 * contain the day (not possible while serials are unique across live policies), the first by
 * policy number is taken.
 */
export function matchIncidentToUnit(i: IncidentForMatching, unitCovers: readonly UnitCover[], seeAllOrganizations: boolean): UnitMatch {
  const notInDeployment = i.serial_number !== null && i.deployment_serials !== null && !i.deployment_serials.includes(i.serial_number);
  if (i.serial_number === null) {
    return { status: 'unidentified', flagged: false, policy_number: null, line: null, serial_not_in_deployment: false, insured_by_other_organization: false };
  }
  const onDay = unitCovers.filter((c) => c.serial_number === i.serial_number && covers(c, i.day));
  const own = onDay.filter((c) => c.organization_id === i.organization_id)
    .sort((a, b) => (a.policy_number < b.policy_number ? -1 : a.policy_number > b.policy_number ? 1 : a.line - b.line));
  const other = seeAllOrganizations && onDay.some((c) => c.organization_id !== i.organization_id);
  if (own.length > 0) {
    return { status: 'insured', flagged: notInDeployment, policy_number: own[0].policy_number, line: own[0].line, serial_not_in_deployment: notInDeployment, insured_by_other_organization: other };
  }
  return { status: 'not_on_live_policy', flagged: true, policy_number: null, line: null, serial_not_in_deployment: notInDeployment, insured_by_other_organization: other };
}
