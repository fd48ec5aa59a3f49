/** Subjectivities of quotes (migration 20261204000100_policies): rows keyed by (quote_id, seq). */
import type { Knex } from 'knex';
import type { SubjectivityDeadline, SubjectivitySource, SubjectivityStatus } from '../../domain/index.ts';

export interface SubjectivityRow {
  quote_id: number;
  seq: number;
  text: string;
  source: SubjectivitySource;
  required_before: SubjectivityDeadline;
  status: SubjectivityStatus;
  /** Who closed it (satisfied / waived), when and why; null while open. */
  actor: string | null;
  at: Date | null;
  note: string | null;
  evidence_note: string | null;
  evidence_by: string | null;
  evidence_at: Date | null;
  created_by: string;
  created_at: Date;
}

export interface NewSubjectivityRow {
  text: string;
  source: SubjectivitySource;
  required_before: SubjectivityDeadline;
}

const COLS = ['quote_id', 'seq', 'text', 'source', 'required_before', 'status', 'actor', 'at', 'note', 'evidence_note', 'evidence_by', 'evidence_at', 'created_by', 'created_at'];

/**
 * Appends subjectivities to a quote, numbered after its last one; a text the quote already has
 * is skipped (not duplicated). Returns the rows inserted. Call inside the transaction that
 * stores or decides the quote (concurrent appends to one quote conflict on the primary key).
 */
export async function appendSubjectivities(q: Knex | Knex.Transaction, quoteId: number, items: readonly NewSubjectivityRow[], createdBy: string, at: Date): Promise<SubjectivityRow[]> {
  if (!items.length) return [];
  const existing = (await q('quote_subjectivities').where({ quote_id: quoteId }).select('seq', 'text')) as { seq: number; text: string }[];
  const seen = new Set(existing.map((e) => e.text));
  let next = existing.reduce((m, e) => Math.max(m, e.seq), 0);
  const rows = [];
  for (const it of items) {
    if (seen.has(it.text)) continue;
    seen.add(it.text);
    rows.push({ quote_id: quoteId, seq: ++next, text: it.text, source: it.source, required_before: it.required_before, created_by: createdBy, created_at: at });
  }
  if (!rows.length) return [];
  return (await q('quote_subjectivities').insert(rows).returning(COLS)) as SubjectivityRow[];
}

export async function listSubjectivities(q: Knex | Knex.Transaction, quoteId: number): Promise<SubjectivityRow[]> {
  return (await q('quote_subjectivities').select(COLS).where({ quote_id: quoteId }).orderBy('seq')) as SubjectivityRow[];
}

/** Subjectivities of many quotes, grouped by quote id (each list by seq). */
export async function subjectivitiesOf(q: Knex | Knex.Transaction, quoteIds: readonly number[]): Promise<Map<number, SubjectivityRow[]>> {
  const out = new Map<number, SubjectivityRow[]>(quoteIds.map((id) => [id, []]));
  if (!quoteIds.length) return out;
  const rows = (await q('quote_subjectivities').select(COLS).whereIn('quote_id', [...quoteIds]).orderBy(['quote_id', 'seq'])) as SubjectivityRow[];
  for (const r of rows) out.get(r.quote_id)?.push(r);
  return out;
}

export async function getSubjectivity(q: Knex | Knex.Transaction, quoteId: number, seq: number, opts: { forUpdate?: boolean } = {}): Promise<SubjectivityRow | undefined> {
  const b = q('quote_subjectivities').select(COLS).where({ quote_id: quoteId, seq });
  if (opts.forUpdate) b.forUpdate();
  return b.first();
}

/** Closes an open subjectivity; returns the row, or undefined when it was not open. */
export async function closeSubjectivity(
  q: Knex | Knex.Transaction, quoteId: number, seq: number, c: { status: 'satisfied' | 'waived'; actor: string; at: Date; note: string },
): Promise<SubjectivityRow | undefined> {
  const r = await q('quote_subjectivities').where({ quote_id: quoteId, seq, status: 'open' }).update(c).returning(COLS);
  return r[0] as SubjectivityRow | undefined;
}

/** Records (replaces) the insured's evidence note; returns the row. */
export async function setEvidence(
  q: Knex | Knex.Transaction, quoteId: number, seq: number, e: { evidence_note: string; evidence_by: string; evidence_at: Date },
): Promise<SubjectivityRow | undefined> {
  const r = await q('quote_subjectivities').where({ quote_id: quoteId, seq }).update(e).returning(COLS);
  return r[0] as SubjectivityRow | undefined;
}

/** Open subjectivities of a quote due before `deadline` (the bind gate reads `bind`). */
export async function openSubjectivities(q: Knex | Knex.Transaction, quoteId: number, deadline: SubjectivityDeadline): Promise<SubjectivityRow[]> {
  return (await q('quote_subjectivities').select(COLS).where({ quote_id: quoteId, status: 'open', required_before: deadline }).orderBy('seq')) as SubjectivityRow[];
}
