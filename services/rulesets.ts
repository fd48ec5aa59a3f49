/**
 * Underwriting rule sets: validated on upload, versioned, activated with an effective date
 * (docs/actuarial-method.md §7).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/versioned.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { validateRuleset } from '../rules/validate.ts';
import type { Ruleset } from '../rules/types.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import { decodeCursor } from './pagination.ts';
import { page } from './organizations.ts';

const view = (r: repo.VersionedRow) => ({
  id: r.id, name: r.name, version: r.version, status: r.status, effective_from: r.effective_from,
  created_by: r.created_by, created_at: r.created_at, ruleset: r.body as Ruleset, // validated on upload
});

/** Validates and stores a new version. Throws VALIDATION_FAILED naming each bad path. */
export async function createRuleset(db: Db, by: Principal | 'system', body: unknown) {
  const v = validateRuleset(body);
  if (!v.ok) {
    throw appError('VALIDATION_FAILED', `the rule set is invalid: ${v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      errors: v.errors.map((e) => ({ field: e.path, message: e.message })),
    });
  }
  const hash = createHash('sha256').update(JSON.stringify(v.ruleset)).digest('hex');
  return db.transaction(async (trx) => {
    const row = await repo.insertVersion(trx, 'rulesets', { name: v.ruleset.name, body: v.ruleset, created_by: actorOf(by), extra: { content_hash: hash } });
    await recordAudit(trx, { actor: actorOf(by), action: 'ruleset.create', entity: 'ruleset', entity_ref: `${row.name}@${row.version}`, after: { id: row.id, content_hash: hash } });
    return view(row);
  });
}

export async function getRuleset(db: Db, id: number) {
  const r = await repo.getVersion(db, 'rulesets', id);
  if (!r) throw notFound('rule set', String(id));
  return view(r);
}

export async function listRulesets(db: Db, f: { name?: string; status?: string; cursor?: string; limit: number }) {
  const rows = await repo.listVersions(db, 'rulesets', { ...f, afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, view);
}

export async function activateRuleset(db: Db, by: Principal | 'system', id: number, effectiveFrom?: Date) {
  return db.transaction(async (trx) => {
    const r = await repo.getVersion(trx, 'rulesets', id, true);
    if (!r) throw notFound('rule set', String(id));
    if (r.status === 'active') throw appError('CONFLICT', `rule set ${id} is active already (effective ${r.effective_from?.toISOString()})`);
    const row = await repo.activateVersion(trx, 'rulesets', id, effectiveFrom ?? new Date());
    await recordAudit(trx, { actor: actorOf(by), action: 'ruleset.activate', entity: 'ruleset', entity_ref: `${r.name}@${r.version}`, before: { status: r.status }, after: { status: 'active', effective_from: row.effective_from } });
    return view(row);
  });
}
