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
