/**
 * Subjectivities with a life (docs/policy-lifecycle.md §3): an underwriter closes an open one
 * (satisfied or waived, with a note); the insured enterprise attaches its evidence note. Audited.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/subjectivities.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import type { SubjectivityUpdate } from '../domain/schemas/index.ts';
import { appError, notFound } from './errors.ts';
import { findQuote, statusOf, subjectivityView, type SubjectivityView } from './quotes.ts';

export async function listSubjectivities(db: Db, p: Principal, ref: string): Promise<SubjectivityView[]> {
  const q = await findQuote(db, p, ref);
  return (await repo.listSubjectivities(db, q.id)).map(subjectivityView);
}

/**
 * Applies `u` to subjectivity `id` of quote `ref`. An enterprise (own quote only, else NOT_FOUND)
 * may only give `evidence_note` (FORBIDDEN otherwise); an underwriter closes an open one. Refused
 * (CONFLICT) on a declined or expired quote, when closing one that is closed, or attaching
 * evidence to a closed one.
 */
export async function updateSubjectivity(db: Db, p: Principal, ref: string, id: number, u: SubjectivityUpdate, now = new Date()): Promise<SubjectivityView> {
  if (p.role === 'enterprise' && u.status !== undefined) {
    throw appError('FORBIDDEN', 'only an underwriter marks a subjectivity satisfied or waived; the insured may attach evidence_note');
  }
  const q = await findQuote(db, p, ref);
  const actor = actorOf(p);
  const entityRef = `${ref}/${id}`;
  return db.transaction(async (trx) => {
    const current = await repo.getSubjectivity(trx, q.id, id, { forUpdate: true });
    if (!current) throw notFound('subjectivity', entityRef);
    const status = statusOf(q, now);
    if (status === 'declined' || status === 'expired') {
      throw appError('CONFLICT', `quote ${ref} is ${status}: its subjectivities cannot change`, { extra: { quote_status: status } });
    }
    if (current.status !== 'open') {
      throw appError('CONFLICT', `subjectivity ${id} of quote ${ref} is ${current.status} already (by ${current.actor} at ${current.at?.toISOString()})`);
    }
    let row = current;
    if (u.evidence_note !== undefined) {
      row = (await repo.setEvidence(trx, q.id, id, { evidence_note: u.evidence_note, evidence_by: actor, evidence_at: now }))!;
      await recordAudit(trx, { actor, action: 'subjectivity.evidence', entity: 'quote_subjectivity', entity_ref: entityRef, before: { evidence_note: current.evidence_note }, after: { evidence_note: u.evidence_note } });
    }
    if (u.status !== undefined) {
      row = (await repo.closeSubjectivity(trx, q.id, id, { status: u.status, actor, at: now, note: u.note! }))!;
      await recordAudit(trx, { actor, action: 'subjectivity.close', entity: 'quote_subjectivity', entity_ref: entityRef, before: { status: 'open' }, after: { status: u.status, note: u.note } });
    }
    return subjectivityView(row);
  });
}
