/**
 * Acceptance, binding and policies (docs/policy-lifecycle.md §2, §4, §5): an enterprise accepts
 * its own quoted quote; an underwriter binds a quoted or accepted one (or it is bound at once on
 * acceptance where the plan allows); binding is refused while a `bind` subjectivity is open and
 * creates exactly one policy per quote. Every transition is audited in its transaction.
 */
import type { Db } from '../db/connection.ts';
import * as quoteRepo from '../db/repositories/quotes.ts';
import * as repo from '../db/repositories/policies.ts';
import * as subjectivityRepo from '../db/repositories/subjectivities.ts';
import { getVersion } from '../db/repositories/versioned.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { dayOf } from '../domain/calendar.ts';
import { actorOf, type BindMode, type PolicyStatus, type Principal } from '../domain/index.ts';
import type { QuoteAcceptance, QuoteRequest, RatingPlanRequest } from '../domain/schemas/index.ts';
import { appError, notFound } from './errors.ts';
import { decodeCursor, type Page } from './pagination.ts';
import { page } from './organizations.ts';
import type { RatingResult } from './pricing.ts';
import { findQuote, getQuote, scopeId, stateError, statusOf, subjectivityView, type QuoteVersions, type QuoteView } from './quotes.ts';
import { attachUnitsAtBind, checkBindUnits, checkUnitsFree } from './policy-unit-bind.ts';
import { changesView } from './policy-history.ts';
import type { BindUnits } from '../domain/schemas/policy-changes.ts';

/** The status a policy shows on `today` ('YYYY-MM-DD'): a live policy past its last day is expired. */
export const policyStatusOf = (r: repo.PolicyRow, today: string): PolicyStatus =>
  (r.status === 'live' && r.expiry_date < today ? 'expired' : r.status);

function summary(r: repo.PolicyRow, today: string) {
  return {
    policy_number: r.policy_number, quote_ref: r.quote_ref, organization_ref: r.organization_ref, status: policyStatusOf(r, today),
    basis: r.basis, period: { start: r.inception_date, end: r.expiry_date }, currency: r.currency, gross_premium: r.gross_premium,
    bound_at: r.bound_at,
  };
}
export type PolicySummaryView = ReturnType<typeof summary>;

/** A policy's schedule as bound (the quote's fleet, coverages and premium); endorsements replace it. */
export interface PolicyScheduleView {
  fleet: QuoteRequest['fleet'];
  coverages: QuoteRequest['coverages'];
  premium: RatingResult['premium'];
  pay_per_use: RatingResult['pay_per_use'];
}

function policyView(r: repo.PolicyRow, subjectivities: readonly subjectivityRepo.SubjectivityRow[], today: string) {
  return {
    ...summary(r, today),
    schedule: r.schedule as unknown as PolicyScheduleView, versions: r.versions as QuoteVersions, bind_mode: r.bind_mode, bound_by: r.bound_by,
    subjectivities: subjectivities.map(subjectivityView),
    cancelled_at: r.cancelled_at, cancellation_effective_date: r.cancellation_effective_date, cancellation_reason: r.cancellation_reason,
    created_at: r.created_at,
  };
}
export type PolicyView = ReturnType<typeof policyView>;

/** The policy `policyNumber` as `p` may see it: another organization's is NOT_FOUND, like an unknown one. */
export async function findPolicyRow(db: Db, p: Principal, policyNumber: string): Promise<repo.PolicyRow> {
  const r = await repo.getPolicy(db, policyNumber, scopeId(p));
  if (!r) throw notFound('policy', policyNumber);
  return r;
}

export async function getPolicy(db: Db, p: Principal, policyNumber: string, now = new Date()): Promise<PolicyView & Awaited<ReturnType<typeof changesView>>> {
  const r = await findPolicyRow(db, p, policyNumber);
  // mid-term changes, premium in force and insured units (docs/policy-changes.md)
  return { ...policyView(r, await subjectivityRepo.listSubjectivities(db, r.quote_id), dayOf(now)), ...(await changesView(db, r)) };
}

export interface PolicyListQuery { status?: PolicyStatus; organization_ref?: string; cursor?: string; limit: number }

/** A page of policies, oldest first; an enterprise sees its own only (another organization_ref → an empty page). */
export async function listPolicies(db: Db, p: Principal, f: PolicyListQuery, now = new Date()): Promise<Page<PolicySummaryView>> {
  let organizationId = scopeId(p);
  if (f.organization_ref !== undefined) {
    const org = await getOrganizationByRef(db, f.organization_ref);
    if (!org || (organizationId !== null && org.id !== organizationId)) return { data: [], next_cursor: null };
    organizationId = org.id;
  }
  const today = dayOf(now);
  const rows = await repo.listPolicies(db, { organizationId, status: f.status, today, afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, (r) => summary(r, today));
}

/** The schedule a policy starts with: what the quote priced (docs/policy-lifecycle.md §5). */
function scheduleOf(q: quoteRepo.QuoteRow): PolicyScheduleView {
  const request = q.request as QuoteRequest;
  const result = q.result as RatingResult;
  return { fleet: request.fleet, coverages: request.coverages, premium: result.premium, pay_per_use: result.pay_per_use };
}

const openBindError = (ref: string, open: readonly subjectivityRepo.SubjectivityRow[]) => appError(
  'CONFLICT',
  `quote ${ref} cannot be bound while ${open.length === 1 ? 'a subjectivity required before binding is' : `${open.length} subjectivities required before binding are`} open: ${open.map((x) => `#${x.seq} "${x.text}"`).join('; ')}`,
  { extra: { quote_status: 'quoted', open_subjectivities: open.map((x) => ({ id: x.seq, text: x.text })) } },
);

type BindOutcome = { kind: 'bound'; policy: repo.PolicyRow } | { kind: 'moved'; status: string } | { kind: 'open'; open: subjectivityRepo.SubjectivityRow[] };

/**
 * In `trx`: locks the quote, checks the bind gate (status among `from`, unexpired, no open `bind`
 * subjectivity), moves it to bound and creates its policy, audited. Concurrent binds of one quote
 * queue on the lock; the second finds it bound and is refused.
 */
async function bindIn(trx: Db, q: quoteRepo.QuoteRow, from: readonly ('quoted' | 'accepted')[], mode: BindMode, actor: string, now: Date, extraBefore: Record<string, unknown> = {}): Promise<BindOutcome> {
  await quoteRepo.lockQuote(trx, q.id);
  const current = (await quoteRepo.getQuote(trx, q.ref, null))!;
  if (!from.includes(current.status as 'quoted' | 'accepted') || current.valid_until <= now) return { kind: 'moved', status: statusOf(current, now) };
  const open = await subjectivityRepo.openSubjectivities(trx, q.id, 'bind');
  if (open.length) return { kind: 'open', open };
  const moved = await quoteRepo.transition(trx, q.id, from, { status: 'bound', bound_at: now }, now);
  if (!moved) return { kind: 'moved', status: statusOf(current, now) };
  const request = current.request as QuoteRequest;
  const policy = await repo.insertPolicy(trx, {
    quote_id: q.id, organization_id: current.organization_id, basis: request.basis,
    inception_date: request.period.start, expiry_date: request.period.end, currency: (current.result as RatingResult).premium.currency,
    gross_premium: current.gross_premium, schedule: scheduleOf(current), versions: current.versions,
    bind_mode: mode, bound_at: now, bound_by: actor,
  });
  // the quote moved to bound in this transaction, so no other policy can exist for it
  if (!policy) throw new Error(`quote ${q.ref} moved to bound but has a policy already`);
  await recordAudit(trx, { actor, action: 'quote.bind', entity: 'quote', entity_ref: q.ref, before: { status: current.status, ...extraBefore }, after: { status: 'bound', policy_number: policy.policy_number, bind_mode: mode } });
  await recordAudit(trx, {
    actor, action: 'policy.create', entity: 'policy', entity_ref: policy.policy_number,
    after: { quote_ref: q.ref, organization_ref: current.organization_ref, period: request.period, basis: request.basis, gross_premium: policy.gross_premium, bind_mode: mode },
  });
  return { kind: 'bound', policy };
}

/**
 * An underwriter binds a quoted or accepted, unexpired quote: refused (409) while a `bind`
 * subjectivity is open, naming them; creates the policy. Returns the quote (with its policy number).
 */
export async function bindQuote(db: Db, p: Principal, ref: string, now = new Date(), units?: BindUnits): Promise<QuoteView> {
  const q = await findQuote(db, p, ref);
  // identified units (docs/policy-changes.md §3): checked against the schedule, recorded with the policy;
  // without a units body, those the insured gave at acceptance
  const given = units?.units?.length ? units : (q.accepted_units ? { units: q.accepted_units } : undefined);
  const identified = checkBindUnits((q.request as QuoteRequest).fleet, given);
  const out = await db.transaction(async (trx) => {
    const o = await bindIn(trx, q, ['quoted', 'accepted'], 'underwriter', actorOf(p), now);
    if (o.kind === 'bound') await attachUnitsAtBind(trx, o.policy, identified);
    return o;
  });
  if (out.kind === 'open') throw openBindError(ref, out.open);
  if (out.kind === 'moved') await stateError(db, q, 'bound (only a quoted or accepted, unexpired quote can be)', now);
  return getQuote(db, p, ref, now);
}

/** Whether the rating plan that priced a quote binds automatically on acceptance (absent in older plans: no). */
async function planAutoBinds(db: Db, q: quoteRepo.QuoteRow): Promise<boolean> {
  const planId = (q.versions as { rating_plan?: { id?: number } }).rating_plan?.id;
  if (planId === undefined) return false;
  const plan = await getVersion(db, 'rating_plans', planId);
  return (plan?.body as Partial<RatingPlanRequest> | undefined)?.auto_bind_on_acceptance === true;
}

/**
 * The insured enterprise accepts its own quoted, unexpired quote (docs/policy-lifecycle.md §4).
 * Bound at once when the plan allows automatic binding, the rules quoted it (no referral) and
 * no `bind` subjectivity is open; otherwise accepted, for an underwriter to bind. Another
 * organization's quote is NOT_FOUND.
 */
export async function acceptQuote(db: Db, p: Principal, ref: string, body: QuoteAcceptance, now = new Date()): Promise<QuoteView> {
  if (p.role !== 'enterprise') throw appError('FORBIDDEN', 'only the insured enterprise accepts its quote');
  const q = await findQuote(db, p, ref);
  const actor = actorOf(p);
  // serial numbers as at bind (docs/policy-lifecycle.md §4): checked against the schedule now
  const request = q.request as QuoteRequest;
  const identified = checkBindUnits(request.fleet, body.units ? { units: body.units } : undefined);
  const acceptedUnits = identified.length ? identified.map((l) => ({ line: l.line, serial_numbers: l.serials })) : null;
  const auto = (q.result as RatingResult).decision === 'quoted' && await planAutoBinds(db, q);
  const outcome = await db.transaction(async (trx) => {
    const moved = await quoteRepo.transition(trx, q.id, ['quoted'], {
      status: 'accepted', accepted_at: now, accepted_by: actor, accepted_units: acceptedUnits === null ? null : JSON.stringify(acceptedUnits),
    }, now);
    if (!moved) return 'refused' as const;
    await recordAudit(trx, {
      actor, action: 'quote.accept', entity: 'quote', entity_ref: ref, before: { status: 'quoted' },
      after: { status: 'accepted', ...(body.note ? { note: body.note } : {}), ...(acceptedUnits ? { units: acceptedUnits } : {}) },
    });
    // a serial on a live policy refuses the acceptance (409 naming it), bound or not
    await checkUnitsFree(trx, identified, request.period.start, request.period.end);
    if (!auto) return 'accepted' as const;
    const bound = await bindIn(trx, q, ['accepted'], 'auto_on_acceptance', actor, now);
    if (bound.kind !== 'bound') return 'accepted' as const;
    await attachUnitsAtBind(trx, bound.policy, identified);
    return 'bound' as const;
  });
  if (outcome === 'refused') await stateError(db, q, 'accepted (only a quoted, unexpired quote can be)', now);
  return getQuote(db, p, ref, now);
}
