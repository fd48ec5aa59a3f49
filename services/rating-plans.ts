/**
 * Rating plans: which model versions price each coverage, which rule set applies, and the
 * loadings (docs/actuarial-method.md §1, §8). Versioned; an active plan is never changed — a new
 * version is.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/versioned.ts';
import { getModelVersions } from '../db/repositories/model-versions.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import { decodeCursor } from './pagination.ts';
import { page } from './organizations.ts';
import type { RatingPlanRequest } from '../domain/schemas/index.ts';

const view = (r: repo.VersionedRow) => ({
  id: r.id, name: r.name, version: r.version, status: r.status, effective_from: r.effective_from,
  created_by: r.created_by, created_at: r.created_at,
  // plans stored before automatic binding existed do not bind automatically
  plan: { ...(r.body as Omit<RatingPlanRequest, 'auto_bind_on_acceptance'>), auto_bind_on_acceptance: (r.body as Partial<RatingPlanRequest>).auto_bind_on_acceptance ?? false },
});
export type RatingPlanView = ReturnType<typeof view>;

/** Checks that every model exists, is of the right kind and coverage, and is active; and that the rule set exists. */
async function checkReferences(db: Db, body: RatingPlanRequest) {
  const errors: { field: string; message: string }[] = [];
  const ids = Object.values(body.coverages).flatMap((c) => (c ? [c.frequency_model_id, c.severity_model_id] : []));
  const models = new Map((await getModelVersions(db, ids)).map((m) => [m.id, m]));
  for (const [coverage, c] of Object.entries(body.coverages)) {
    if (!c) continue;
    for (const [field, kind] of [['frequency_model_id', 'frequency'], ['severity_model_id', 'severity']] as const) {
      const m = models.get(c[field]);
      const path = `coverages.${coverage}.${field}`;
      if (!m) errors.push({ field: path, message: `model version ${c[field]} not found` });
      else if (m.kind !== kind) errors.push({ field: path, message: `model version ${m.id} is a ${m.kind} model` });
      else if (m.coverage !== coverage) errors.push({ field: path, message: `model version ${m.id} is fitted on ${m.coverage ?? 'incident types'}, not ${coverage}` });
      else if (m.status !== 'active') errors.push({ field: path, message: `model version ${m.id} is ${m.status}; activate it first` });
    }
  }
  const rs = await repo.getVersion(db, 'rulesets', body.ruleset_id);
  if (!rs) errors.push({ field: 'ruleset_id', message: `rule set ${body.ruleset_id} not found` });
  const variable = body.loadings.expense + body.loadings.commission + body.loadings.profit;
  if (variable >= 0.9) errors.push({ field: 'loadings', message: `expense + commission + profit = ${variable}; must stay below 0.9` });
  if (errors.length) throw appError('VALIDATION_FAILED', `the rating plan is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { errors });
}

export async function createRatingPlan(db: Db, by: Principal | 'system', body: RatingPlanRequest) {
  await checkReferences(db, body);
  return db.transaction(async (trx) => {
    const row = await repo.insertVersion(trx, 'rating_plans', { name: body.name, body, created_by: actorOf(by) });
    await recordAudit(trx, { actor: actorOf(by), action: 'rating_plan.create', entity: 'rating_plan', entity_ref: `${row.name}@${row.version}`, after: body });
    return view(row);
  });
}

export async function getRatingPlan(db: Db, id: number) {
  const r = await repo.getVersion(db, 'rating_plans', id);
  if (!r) throw notFound('rating plan', String(id));
  return view(r);
}

export async function listRatingPlans(db: Db, f: { name?: string; status?: string; cursor?: string; limit: number }) {
  const rows = await repo.listVersions(db, 'rating_plans', { ...f, afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, view);
}

export async function activateRatingPlan(db: Db, by: Principal | 'system', id: number, effectiveFrom?: Date) {
  return db.transaction(async (trx) => {
    const r = await repo.getVersion(trx, 'rating_plans', id, true);
    if (!r) throw notFound('rating plan', String(id));
    if (r.status === 'active') throw appError('CONFLICT', `rating plan ${id} is active already and cannot change; create a new version`);
    const row = await repo.activateVersion(trx, 'rating_plans', id, effectiveFrom ?? new Date());
    await recordAudit(trx, { actor: actorOf(by), action: 'rating_plan.activate', entity: 'rating_plan', entity_ref: `${r.name}@${r.version}`, before: { status: r.status }, after: { status: 'active', effective_from: row.effective_from } });
    return view(row);
  });
}

export async function ratingPlanInForce(db: Db, at: Date) {
  const r = await repo.versionInForce(db, 'rating_plans', at);
  return r ? view(r) : undefined;
}
