/** Mid-term changes of policies and their premium segments (migration 20261204100200; docs/policy-changes.md). */
import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

export type PolicyChangeKind = 'bind' | 'endorsement' | 'cancellation';

export interface PolicyChangeRow {
  policy_id: number;
  seq: number;
  kind: PolicyChangeKind;
  effective_date: string;
  term_days: number;
  remaining_days: number;
  annual_premium_before: number;
  annual_premium_after: number;
  premium: number;
  details: Record<string, unknown>;
  reason: string | null;
  actor: string;
  created_at: Date;
}

export type NewPolicyChange = Omit<PolicyChangeRow, 'created_at'>;

export async function listChanges(q: Q, policyId: number): Promise<PolicyChangeRow[]> {
  return q('policy_changes').select(['policy_id', 'seq', 'kind', q.raw('effective_date::text as effective_date'), 'term_days', 'remaining_days',
    'annual_premium_before', 'annual_premium_after', 'premium', 'details', 'reason', 'actor', 'created_at'])
    .where({ policy_id: policyId }).orderBy('seq') as Promise<PolicyChangeRow[]>;
}

export async function insertChange(q: Q, c: NewPolicyChange): Promise<void> {
  await q('policy_changes').insert({ ...c, details: JSON.stringify(c.details) });
}

/** Locks the policy row for a change (concurrent changes of one policy queue here). */
export async function lockPolicy(q: Q, policyId: number): Promise<void> {
  await q.raw('select id from policies where id = ? for update', [policyId]);
}

export interface SegmentLine { line: number; coverage: string; scenario_class: string; annual_premium: number }

/** Whether the policy's premium is kept as segments (it has changed since bind). */
export async function hasSegments(q: Q, policyId: number): Promise<boolean> {
  const r = await q('policy_premium_segments').where({ policy_id: policyId }).first('policy_id');
  return r !== undefined;
}

/** The premium at bind as one segment per line × coverage over the whole period. */
export async function createSegments(q: Q, p: { policy_id: number; quote_id: number; organization_id: number; start: string; end: string; term_days: number }, lines: readonly SegmentLine[]): Promise<void> {
  for (const l of lines) {
    await q.raw(`insert into policy_premium_segments (policy_id, quote_id, line, coverage, organization_id, scenario_class_id, seg_start, seg_end, term_days, annual_premium)
      select ?, ?, ?, ?, ?, c.id, ?::date, ?::date, ?, ? from scenario_classes c where c.code = ?`,
    [p.policy_id, p.quote_id, l.line, l.coverage, p.organization_id, p.start, p.end, p.term_days, l.annual_premium, l.scenario_class]);
  }
}

/**
 * From `effective` on, the premium per line × coverage is `lines` (an endorsement): the segment
 * holding `effective` ends the day before (or goes, when it starts on `effective`), and a new
 * segment runs from `effective` to the end of the policy.
 */
export async function splitSegments(q: Q, p: { policy_id: number; quote_id: number; organization_id: number; end: string; term_days: number }, effective: string, lines: readonly SegmentLine[]): Promise<void> {
  await q.raw('delete from policy_premium_segments where policy_id = ? and seg_start >= ?::date', [p.policy_id, effective]);
  await q.raw(`update policy_premium_segments set seg_end = ?::date - 1 where policy_id = ? and seg_end >= ?::date`, [effective, p.policy_id, effective]);
  await createSegments(q, { ...p, start: effective }, lines);
}

/** Cover ends the day before `cancelOn`: later segments go, the one holding it is cut. */
export async function truncateSegments(q: Q, policyId: number, cancelOn: string): Promise<void> {
  await q.raw('delete from policy_premium_segments where policy_id = ? and seg_start >= ?::date', [policyId, cancelOn]);
  await q.raw('update policy_premium_segments set seg_end = ?::date - 1 where policy_id = ? and seg_end >= ?::date', [cancelOn, policyId, cancelOn]);
}

/** Stores the policy's current schedule (after an endorsement). */
export async function updateSchedule(q: Q, policyId: number, schedule: unknown): Promise<void> {
  await q('policies').where({ id: policyId }).update({ schedule: JSON.stringify(schedule) });
}

/** Marks the policy cancelled (P1's columns, migration 20261204000100). */
export async function markCancelled(q: Q, policyId: number, c: { at: Date; by: string; effective: string; reason: string }): Promise<number> {
  return q('policies').where({ id: policyId, status: 'live' }).update({
    status: 'cancelled', cancelled_at: c.at, cancelled_by: c.by, cancellation_effective_date: c.effective, cancellation_reason: c.reason,
  });
}
