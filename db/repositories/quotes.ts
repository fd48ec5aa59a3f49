import type { Knex } from 'knex';
import type { QuoteDecisionCode, QuoteStatus } from '../../domain/index.ts';

export interface QuoteRow {
  id: number;
  ref: string;
  organization_id: number;
  organization_ref: string;
  request: Record<string, unknown>;
  request_hash: string;
  idempotency_key: string | null;
  /** The current underwriting decision: the rules', or an underwriter's on a referral (docs/policy-lifecycle.md §1). */
  decision: QuoteDecisionCode;
  status: QuoteStatus;
  gross_premium: number;
  result: Record<string, unknown>;
  versions: Record<string, unknown>;
  valid_until: Date;
  decision_note: string | null;
  created_by: string;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  /** Serial numbers per fleet line given at acceptance (migration 20261208200100), for the bind. */
  accepted_units: { line: number; serial_numbers: string[] }[] | null;
  bound_at: Date | null;
}

const COLS = ['q.id', 'q.ref', 'q.organization_id', 'o.ref as organization_ref', 'q.request', 'q.request_hash', 'q.idempotency_key',
  'q.decision', 'q.status', 'q.gross_premium', 'q.result', 'q.versions', 'q.valid_until', 'q.decision_note', 'q.created_by',
  'q.created_at', 'q.decided_at', 'q.decided_by', 'q.accepted_at', 'q.accepted_by', 'q.accepted_units', 'q.bound_at'];

const select = (q: Knex | Knex.Transaction) => q('quotes as q').join('organizations as o', 'o.id', 'q.organization_id').select(COLS);

export interface NewQuote {
  ref: string;
  organization_id: number;
  request: unknown;
  request_hash: string;
  idempotency_key: string | null;
  decision: string;
  status: string;
  gross_premium: number;
  result: unknown;
  worksheet: unknown;
  versions: unknown;
  valid_until: Date;
  created_by: string;
}

/** Inserts; returns undefined when (organization, idempotency key) exists already. */
export async function insertQuote(q: Knex | Knex.Transaction, n: NewQuote): Promise<QuoteRow | undefined> {
  const row = { ...n, request: JSON.stringify(n.request), result: JSON.stringify(n.result), worksheet: JSON.stringify(n.worksheet), versions: JSON.stringify(n.versions) };
  const ins = q('quotes').insert(row);
  const r = n.idempotency_key ? await ins.onConflict(['organization_id', 'idempotency_key']).ignore().returning('id') : await ins.returning('id');
  if (!r.length) return undefined;
  return select(q).where('q.id', r[0].id).first();
}

/** Columns of `quotes` returned by an insert (the organization ref is known to the caller). */
const RETURNED = COLS.filter((c) => c.startsWith('q.')).map((c) => c.slice(2));

/** The audit event recorded with a new quote (`quote.create`, entity `quote`, ref of the new quote). */
export interface NewQuoteAudit {
  actor: string;
  after: Record<string, unknown>;
}

/**
 * Inserts the quote, its audit event and its subjectivities (numbered 1, 2, … in the given
 * order) in one statement (a data-modifying CTE: atomic on its own, so no transaction and no
 * re-select — one round trip instead of five). Returns undefined, and records nothing, when
 * (organization, idempotency key) exists already.
 */
export async function insertQuoteAudited(
  q: Knex, n: NewQuote, organizationRef: string, audit: NewQuoteAudit,
  subjectivities: readonly { text: string; source: string; required_before: string }[] = [],
): Promise<QuoteRow | undefined> {
  const row = { ...n, request: JSON.stringify(n.request), result: JSON.stringify(n.result), worksheet: JSON.stringify(n.worksheet), versions: JSON.stringify(n.versions) };
  const ins = q('quotes').insert(row);
  const { sql, bindings } = (n.idempotency_key ? ins.onConflict(['organization_id', 'idempotency_key']).ignore() : ins).returning(RETURNED).toSQL();
  const items = subjectivities.map((x, i) => ({ seq: i + 1, text: x.text, source: x.source, required_before: x.required_before }));
  const r = await q.raw(
    `with q as (${sql}), a as (insert into audit_events (actor, action, entity, entity_ref, after) select ?, 'quote.create', 'quote', q.ref, ?::jsonb from q),
     s as (insert into quote_subjectivities (quote_id, seq, text, source, required_before, created_by, created_at)
           select q.id, x.seq, x.text, x.source, x.required_before, q.created_by, q.created_at
           from q cross join jsonb_to_recordset(?::jsonb) as x(seq integer, text text, source text, required_before text))
     select q.*, ?::text as organization_ref from q`,
    [...bindings, audit.actor, JSON.stringify(audit.after), JSON.stringify(items), organizationRef],
  );
  return (r.rows as QuoteRow[])[0];
}

export async function findByIdempotencyKey(q: Knex | Knex.Transaction, organizationId: number, key: string): Promise<QuoteRow | undefined> {
  return select(q).where({ 'q.organization_id': organizationId, 'q.idempotency_key': key }).first();
}

export async function getQuote(q: Knex | Knex.Transaction, ref: string, organizationId: number | null): Promise<QuoteRow | undefined> {
  return select(q).where('q.ref', ref).modify((b) => { if (organizationId != null) b.where('q.organization_id', organizationId); }).first();
}

export async function getWorksheet(q: Knex, id: number): Promise<unknown> {
  const r = await q('quotes').select('worksheet').where({ id }).first();
  return r?.worksheet;
}

export async function listQuotes(q: Knex, f: { organizationId: number | null; status?: string; afterId?: number; limit: number }) {
  return (await select(q)
    .modify((b) => {
      if (f.organizationId != null) b.where('q.organization_id', f.organizationId);
      if (f.status) b.where('q.status', f.status);
      if (f.afterId) b.where('q.id', '>', f.afterId);
    })
    .orderBy('q.id').limit(f.limit)) as QuoteRow[];
}

/** Moves quoted, referred or accepted quotes past their validity to `expired`; returns how many. */
export async function expireQuotes(q: Knex | Knex.Transaction, now: Date, ref?: string): Promise<number> {
  return q('quotes').whereIn('status', ['quoted', 'referred', 'accepted']).where('valid_until', '<=', now)
    .modify((b) => { if (ref) b.where('ref', ref); })
    .update({ status: 'expired' });
}

/** Atomic state transition: only from a status of `from`, only while valid at `now`. Returns whether the row moved. */
export async function transition(
  trx: Knex, id: number, from: readonly QuoteStatus[], to: Record<string, unknown>, now: Date,
): Promise<boolean> {
  const n = await trx('quotes').where({ id }).whereIn('status', [...from]).where('valid_until', '>', now).update(to);
  return n === 1;
}

/** The quote row locked for the rest of the transaction (binds of one quote queue behind each other). */
export async function lockQuote(trx: Knex, id: number): Promise<void> {
  await trx('quotes').where({ id }).forUpdate().select('id');
}
