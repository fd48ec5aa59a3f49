/** Policies (migration 20261204000100_policies): one per bound quote, numbered RR-P-<year>-<n>. */
import type { Knex } from 'knex';
import type { BindMode, PolicyStatus, QuoteBasis } from '../../domain/index.ts';
import { POLICY_NUMBER_SQL } from '../migrations/20261204000100_policies.ts';

/** What a policy covers as bound: the quote's fleet lines, coverages and premium (replaced by endorsements). */
export interface PolicySchedule {
  fleet: readonly unknown[];
  coverages: readonly unknown[];
  premium: object;
  pay_per_use: object;
}

export interface PolicyRow {
  id: number;
  policy_number: string;
  quote_id: number;
  quote_ref: string;
  organization_id: number;
  organization_ref: string;
  /** Stored status: live or cancelled (an expired policy is live past its expiry date; see services/policies.ts). */
  status: PolicyStatus;
  basis: QuoteBasis;
  /** First and last day of cover (inclusive), 'YYYY-MM-DD'. */
  inception_date: string;
  expiry_date: string;
  currency: string;
  gross_premium: number;
  schedule: PolicySchedule;
  versions: Record<string, unknown>;
  bind_mode: BindMode;
  bound_at: Date;
  bound_by: string;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancellation_effective_date: string | null;
  cancellation_reason: string | null;
  created_at: Date;
}

export interface NewPolicy {
  quote_id: number;
  organization_id: number;
  basis: QuoteBasis;
  inception_date: string;
  expiry_date: string;
  currency: string;
  gross_premium: number;
  schedule: PolicySchedule;
  versions: unknown;
  bind_mode: BindMode;
  bound_at: Date;
  bound_by: string;
}

/** Dates as 'YYYY-MM-DD' text, whatever the driver's date parsing. */
const DATE_COLS = ['inception_date', 'expiry_date', 'cancellation_effective_date'];
const COLS = [
  'p.id', 'p.policy_number', 'p.quote_id', 'q.ref as quote_ref', 'p.organization_id', 'o.ref as organization_ref', 'p.status', 'p.basis',
  'p.currency', 'p.gross_premium', 'p.schedule', 'p.versions', 'p.bind_mode', 'p.bound_at', 'p.bound_by',
  'p.cancelled_at', 'p.cancelled_by', 'p.cancellation_reason', 'p.created_at',
];

const select = (q: Knex | Knex.Transaction) => q('policies as p')
  .join('quotes as q', 'q.id', 'p.quote_id')
  .join('organizations as o', 'o.id', 'p.organization_id')
  .select([...COLS, ...DATE_COLS.map((c) => q.raw('p.??::text as ??', [c, c]))]);

/**
 * Inserts the policy of a bound quote with the next policy number. Returns undefined, writing
 * nothing, when the quote has a policy already (the unique quote_id: two binds make one policy).
 */
export async function insertPolicy(q: Knex | Knex.Transaction, n: NewPolicy): Promise<PolicyRow | undefined> {
  const r = await q('policies').insert({
    ...n,
    policy_number: q.raw(POLICY_NUMBER_SQL('?::timestamptz'), [n.bound_at]),
    schedule: JSON.stringify(n.schedule),
    versions: JSON.stringify(n.versions),
  }).onConflict('quote_id').ignore().returning('id');
  if (!r.length) return undefined;
  return getPolicyById(q, (r[0] as { id: number }).id);
}

export async function getPolicyById(q: Knex | Knex.Transaction, id: number): Promise<PolicyRow | undefined> {
  return select(q).where('p.id', id).first();
}

/** A policy by number; with `organizationId`, only that organization's (an enterprise's scope). */
export async function getPolicy(q: Knex | Knex.Transaction, policyNumber: string, organizationId: number | null): Promise<PolicyRow | undefined> {
  return select(q).where('p.policy_number', policyNumber)
    .modify((b) => { if (organizationId != null) b.where('p.organization_id', organizationId); }).first();
}

export async function getPolicyByQuoteId(q: Knex | Knex.Transaction, quoteId: number): Promise<PolicyRow | undefined> {
  return select(q).where('p.quote_id', quoteId).first();
}

export interface PolicyFilter {
  organizationId: number | null;
  /** Stored status (live / cancelled); `expired` is live with expiry_date before `today`. */
  status?: PolicyStatus;
  /** 'YYYY-MM-DD': the day that decides `expired`. */
  today: string;
  afterId?: number;
  limit: number;
}

/** Policies by id (creation order), filtered; a page after `afterId`. */
export async function listPolicies(q: Knex | Knex.Transaction, f: PolicyFilter): Promise<PolicyRow[]> {
  return (await select(q)
    .modify((b) => {
      if (f.organizationId != null) b.where('p.organization_id', f.organizationId);
      if (f.status === 'cancelled') b.where('p.status', 'cancelled');
      if (f.status === 'live') b.where('p.status', 'live').where('p.expiry_date', '>=', f.today);
      if (f.status === 'expired') b.where((w) => w.where('p.status', 'expired').orWhere((x) => x.where('p.status', 'live').where('p.expiry_date', '<', f.today)));
      if (f.afterId) b.where('p.id', '>', f.afterId);
    })
    .orderBy('p.id').limit(f.limit)) as PolicyRow[];
}
