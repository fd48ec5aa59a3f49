/** Response schemas of identified units and mid-term changes (docs/policy-changes.md). */
import { z } from 'zod';
import { INCIDENT_STATUSES, INCIDENT_TYPES } from '../domain/index.ts';

const money = (description: string) => z.number().meta({ description: `${description}, CNY (major units, cents)` });

const ChangeDetails = z.strictObject({
  quote_ref: z.string().optional().meta({ description: 'The bind: the quote it was bound from' }),
  lines: z.array(z.strictObject({
    line: z.number().int().meta({ description: 'Fleet line' }),
    units_before: z.number().int().meta({ description: 'Units before the change' }),
    units_after: z.number().int().meta({ description: 'Units after it' }),
    added: z.array(z.string()).meta({ description: 'Serial numbers added' }),
    removed: z.array(z.string()).meta({ description: 'Serial numbers removed' }),
    identified: z.array(z.string()).optional().meta({ description: 'Serial numbers of the units identified on a line bound without them (count unchanged)' }),
  }).meta({ description: 'The change of one line' })).optional().meta({ description: 'An endorsement: the lines it changed' }),
  rerated_decision: z.enum(['quoted', 'referred', 'declined']).nullable().optional().meta({ description: 'An endorsement: the rules\' decision on the re-rated schedule (declined is refused); null when only units were identified (nothing re-rated)' }),
  schedule_lines: z.array(z.strictObject({
    line: z.number().int().meta({ description: 'Fleet line' }),
    units: z.number().int().meta({ description: 'Insured units' }),
    expected_hours: z.number().meta({ description: 'units × operating hours per unit over the whole period' }),
    gross_premium: z.number().meta({ description: 'Full-term gross premium of the line (all coverages), CNY' }),
  }).meta({ description: 'A fleet line as scheduled' })).optional().meta({ description: 'The bind and an endorsement: every fleet line as scheduled from the effective date (the statements of a pay-per-use policy bill each stretch of days with it)' }),
  billing: z.literal('statements').optional().meta({ description: 'A pay-per-use policy: nothing is invoiced by the change, the monthly statements bill the hours run; its premium is the change of the expected premium' }),
  rates_after: z.array(z.strictObject({
    line: z.number().int().meta({ description: 'Fleet line' }),
    rate_per_operating_hour: z.number().meta({ description: 'Full-term gross premium / expected hours from the effective date, CNY, not rounded' }),
  }).meta({ description: 'A line’s rate' })).optional().meta({ description: 'A pay-per-use endorsement: the rate per operating hour of each line from its effective date' }),
  rerated_reasons: z.array(z.string()).optional().meta({ description: 'An endorsement: the rules\' reasons on the re-rated schedule' }),
  premium_lines: z.array(z.strictObject({
    line: z.number().int().meta({ description: 'Fleet line' }),
    coverage: z.string().meta({ description: 'Coverage' }),
    gross_premium: z.number().meta({ description: 'Full-term gross premium of the line and coverage after the change, CNY' }),
  }).meta({ description: 'A premium line' })).optional().meta({ description: 'An endorsement: the re-rated full-term premium per line and coverage' }),
  covered_days: z.number().int().optional().meta({ description: 'A cancellation: days covered before it' }),
  written_premium: z.number().optional().meta({ description: 'A cancellation: premium written before it, CNY' }),
  earned_premium: z.number().optional().meta({ description: 'A cancellation: premium earned until the day before it, CNY' }),
  return_premium: z.number().optional().meta({ description: 'A cancellation: written − earned, CNY' }),
}).meta({ description: 'What changed (fields by kind of change)' });

export const PolicyChange = z.strictObject({
  seq: z.number().int().meta({ description: 'Number of the change on its policy (1 = the bind)' }),
  kind: z.enum(['bind', 'endorsement', 'cancellation']).meta({ description: 'What changed' }),
  effective_date: z.string().meta({ description: 'First day it applies (a cancellation: the first day without cover)' }),
  term_days: z.number().int().meta({ description: 'Days of the policy period (both ends inclusive)' }),
  remaining_days: z.number().int().meta({ description: 'Days from the effective date to expiry (both inclusive)' }),
  annual_premium_before: money('Full-term premium before the change'),
  annual_premium_after: money('Full-term premium after it (0 after a cancellation)'),
  premium: money('Premium charged (+) or returned (−) by the change: (after − before) × remaining / term days, to the cent; a cancellation returns written − earned'),
  details: ChangeDetails,
  reason: z.string().nullable().meta({ description: 'Why (audited)' }),
  actor: z.string().meta({ description: 'Who made it' }),
  created_at: z.date().nullable().meta({ description: 'When it was recorded (null: the bind, not yet recorded as a change)' }),
}).meta({ id: 'PolicyChange', description: 'A premium-bearing event of a policy' });

export const InsuredUnit = z.strictObject({
  line: z.number().int().meta({ description: 'Fleet line' }),
  serial_number: z.string().meta({ description: 'Serial number (canonical form)' }),
  cover_from: z.string().meta({ description: 'First day covered' }),
  cover_until: z.string().meta({ description: 'Last day covered (before cover_from: never covered)' }),
}).meta({ id: 'InsuredUnit', description: 'An identified insured robot and its days of cover' });

export const PolicyChanges = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  status: z.enum(['live', 'cancelled', 'expired']).meta({ description: 'Policy status' }),
  changes: z.array(PolicyChange).meta({ description: 'Every change, the bind first' }),
  premium_in_force: z.strictObject({
    annual_premium: money('Full-term premium of the current schedule (0 once cancelled)'),
    written_premium: money('Premium written: the bind plus every charge, less every return'),
  }).meta({ description: 'The premium after all changes' }),
  units: z.array(InsuredUnit).meta({ description: 'Identified units, ever insured, with their cover' }),
}).meta({ id: 'PolicyChanges', description: 'Mid-term changes of a policy and what they made of it' });

export const UnitMatch = z.strictObject({
  status: z.enum(['insured', 'not_on_live_policy', 'unidentified']).meta({ description: 'insured: a live policy of the organization covered the named unit that day; not_on_live_policy: it did not (flagged); unidentified: the incident names no unit' }),
  flagged: z.boolean().meta({ description: 'A claim to look at: the unit was not on a live policy of the organization that day, or is not among the units its deployment names' }),
  policy_number: z.string().nullable().meta({ description: 'The policy covering the unit that day' }),
  line: z.number().int().nullable().meta({ description: 'Its fleet line' }),
  serial_not_in_deployment: z.boolean().meta({ description: 'The named unit is not among the units its deployment names' }),
  insured_by_other_organization: z.boolean().meta({ description: 'Underwriters only (false for an enterprise): another organization’s policy covered the unit that day' }),
}).meta({ id: 'UnitMatch', description: 'An incident matched to an insured unit' });

export const UnitClaim = z.strictObject({
  incident_ref: z.string().meta({ description: 'Incident reference' }),
  deployment_ref: z.string().meta({ description: 'Deployment it happened in' }),
  occurred_at: z.date().meta({ description: 'When it happened' }),
  incident_type: z.enum(INCIDENT_TYPES).meta({ description: 'Incident type' }),
  severity_level: z.number().int().meta({ description: 'Severity 0–5' }),
  status: z.enum(INCIDENT_STATUSES).meta({ description: 'Claim status' }),
  serial_number: z.string().nullable().meta({ description: 'The unit it names' }),
  losses: z.strictObject({
    robot_damage: money('Robot damage'),
    third_party_liability: money('Third-party property damage + bodily injury'),
    business_interruption: money('Business interruption'),
  }).meta({ description: 'Loss lines by coverage' }),
  paid: money('Paid'),
  case_reserve: money('Case reserve'),
  unit_match: UnitMatch,
}).meta({ id: 'UnitClaim', description: 'An incident (claim) with its unit match' });

export const PolicyClaims = z.strictObject({
  policy_number: z.string().meta({ description: 'Policy number' }),
  period: z.strictObject({
    start: z.string().meta({ description: 'First day of cover' }),
    end: z.string().meta({ description: 'Last day of cover (the day before a cancellation)' }),
  }).meta({ description: 'Days of cover' }),
  claims: z.array(UnitClaim).meta({ description: 'Incidents of the insured organization in the policy’s linked deployments or naming its units, during its cover' }),
  flagged: z.number().int().meta({ description: 'How many of them are flagged' }),
}).meta({ id: 'PolicyClaims', description: 'The claims view of a policy' });

export const UnitClaimPage = z.strictObject({
  data: z.array(UnitClaim).meta({ description: 'Incidents naming a unit, by reference' }),
  next_cursor: z.string().nullable().meta({ description: 'Cursor of the next page; null on the last page' }),
}).meta({ id: 'UnitClaimPage', description: 'A page of incidents naming units, matched to insured units' });
