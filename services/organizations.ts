import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/organizations.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import { decodeCursor, encodeCursor, type Page } from './pagination.ts';

const out = (o: repo.OrganizationRow) => ({ ref: o.ref, name: o.name, kind: o.kind, province: o.province, created_at: o.created_at });
export type OrganizationView = ReturnType<typeof out>;

/** Enterprise principals see only their own organization. */
export async function listOrganizations(db: Db, p: Principal, f: { kind?: string; cursor?: string; limit: number }): Promise<Page<OrganizationView>> {
  const rows = await repo.listOrganizations(db, {
    kind: f.kind,
    onlyId: p.role === 'enterprise' ? p.organizationId : null,
    afterId: decodeCursor(f.cursor),
    limit: f.limit + 1,
  });
  return page(rows, f.limit, out);
}

export async function getOrganization(db: Db, p: Principal, ref: string) {
  const o = await repo.getOrganizationByRef(db, ref);
  if (!o || (p.role === 'enterprise' && o.id !== p.organizationId)) throw notFound('organization', ref);
  return out(o);
}

export async function createOrganization(db: Db, by: Principal, o: repo.NewOrganization) {
  return db.transaction(async (trx) => {
    const row = await repo.insertOrganization(trx, o);
    if (!row) throw appError('ALREADY_EXISTS', `organization '${o.ref}' exists already`);
    await recordAudit(trx, { actor: actorOf(by), action: 'organization.create', entity: 'organization', entity_ref: o.ref, after: o });
    return out(row);
  });
}

/** Builds a page from `limit + 1` rows ordered by id. */
export function page<R extends { id: number }, V>(rows: R[], limit: number, map: (r: R) => V): Page<V> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { data: kept.map(map), next_cursor: more ? encodeCursor(kept[kept.length - 1].id) : null };
}
