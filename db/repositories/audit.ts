import type { Knex } from 'knex';

export interface AuditEvent {
  actor: string;
  action: string;
  entity: string;
  entity_ref?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(q: Knex | Knex.Transaction, e: AuditEvent): Promise<void> {
  await q('audit_events').insert({
    actor: e.actor,
    action: e.action,
    entity: e.entity,
    entity_ref: e.entity_ref ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
  });
}

export async function listAudit(q: Knex, filter: { entity?: string; entityRef?: string; limit?: number }) {
  const rows = await q('audit_events')
    .modify((b) => {
      if (filter.entity) b.where('entity', filter.entity);
      if (filter.entityRef) b.where('entity_ref', filter.entityRef);
    })
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100);
  return rows as Array<AuditEvent & { id: number; created_at: Date }>;
}

export interface AuditEventRow {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entity_ref: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entity?: string;
  entityRef?: string;
  /** created_at ≥ from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  afterId?: number;
  limit: number;
}

/** Audit events in the order they were written (by id), filtered; a page after `afterId`. */
export async function listAuditEvents(q: Knex, f: AuditFilter): Promise<AuditEventRow[]> {
  return (await q('audit_events')
    .select('id', 'actor', 'action', 'entity', 'entity_ref', 'before', 'after', 'created_at')
    .modify((b) => {
      if (f.actor !== undefined) b.where('actor', f.actor);
      if (f.action !== undefined) b.where('action', f.action);
      if (f.entity !== undefined) b.where('entity', f.entity);
      if (f.entityRef !== undefined) b.where('entity_ref', f.entityRef);
      if (f.from) b.where('created_at', '>=', f.from);
      if (f.to) b.where('created_at', '<', f.to);
      if (f.afterId) b.where('id', '>', f.afterId);
    })
    .orderBy('id')
    .limit(f.limit)) as AuditEventRow[];
}
