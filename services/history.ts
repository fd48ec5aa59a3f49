import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/history.ts';
import { notFound } from './errors.ts';
import type { Principal } from '../domain/index.ts';
import { decodeCursor } from './pagination.ts';
import { page } from './organizations.ts';

/** Enterprise principals are confined to their own organization; others see every row. */
const scopeOf = (p: Principal): repo.Scope => ({ organizationId: p.role === 'enterprise' ? p.organizationId : null });

const dropId = <T extends { id: number }>({ id: _id, ...rest }: T) => rest;

export async function listDeployments(db: Db, p: Principal, f: Omit<repo.DeploymentFilter, 'afterId' | 'limit'> & { cursor?: string; limit: number }) {
  const { cursor, limit, ...filter } = f;
  const rows = await repo.listDeployments(db, scopeOf(p), { ...filter, afterId: decodeCursor(cursor), limit: limit + 1 });
  return page(rows, limit, dropId);
}

async function findDeployment(db: Db, p: Principal, ref: string) {
  const d = await repo.getDeployment(db, scopeOf(p), ref);
  if (!d) throw notFound('deployment', ref);
  return d;
}

export async function getDeployment(db: Db, p: Principal, ref: string) {
  return dropId(await findDeployment(db, p, ref));
}

export async function listExposures(db: Db, p: Principal, ref: string, f: { cursor?: string; limit: number }) {
  const d = await findDeployment(db, p, ref);
  const rows = await repo.listExposures(db, d.id, { afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, dropId);
}

export async function listIncidents(db: Db, p: Principal, f: Omit<repo.IncidentFilter, 'afterId' | 'limit'> & { cursor?: string; limit: number }) {
  const { cursor, limit, ...filter } = f;
  const rows = await repo.listIncidents(db, scopeOf(p), { ...filter, afterId: decodeCursor(cursor), limit: limit + 1 });
  return page(rows, limit, dropId);
}

export async function getIncident(db: Db, p: Principal, ref: string) {
  const i = await repo.getIncident(db, scopeOf(p), ref);
  if (!i) throw notFound('incident', ref);
  return dropId(i);
}
