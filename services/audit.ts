/** Reading the audit trail (admin and actuary): who changed what, when, with before and after. */
import type { Db } from '../db/connection.ts';
import { listAuditEvents as listRows, type AuditEventRow } from '../db/repositories/audit.ts';
import { decodeCursor, type Page } from './pagination.ts';
import { page } from './organizations.ts';
import { appError } from './errors.ts';

export interface AuditQuery {
  actor?: string;
  action?: string;
  entity?: string;
  entity_ref?: string;
  /** ISO 8601 date or timestamp: events at or after it. */
  from?: string;
  /** ISO 8601 date or timestamp: events before it. */
  to?: string;
  cursor?: string;
  limit: number;
}

const view = ({ id, actor, action, entity, entity_ref, before, after, created_at }: AuditEventRow) =>
  ({ id, actor, action, entity, entity_ref, before: before ?? null, after: after ?? null, created_at });
export type AuditEventView = ReturnType<typeof view>;

/** A page of audit events, oldest first. Throws VALIDATION_FAILED (cursor, `to` before `from`). */
export async function listAuditEvents(db: Db, q: AuditQuery): Promise<Page<AuditEventView>> {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && to < from) throw appError('VALIDATION_FAILED', 'to is before from', { errors: [{ field: 'query.to', message: 'before from' }] });
  const rows = await listRows(db, {
    actor: q.actor, action: q.action, entity: q.entity, entityRef: q.entity_ref, from, to,
    afterId: decodeCursor(q.cursor), limit: q.limit + 1,
  });
  return page(rows, q.limit, view);
}
