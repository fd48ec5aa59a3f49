import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { findActiveKeyByHash, insertApiKey, listApiKeys, revokeApiKey, touchApiKeyLastUsed, type ApiKeyRow } from '../db/repositories/api-keys.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { appError } from './errors.ts';
import { actorOf, type Principal, type Role } from '../domain/index.ts';

/** SHA-256 (hex) of an API key: the only form in which keys are stored. */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** A new random key: `rr_<role>_<43 base64url chars>` (256 bits of entropy). */
export const generateKey = (role: Role): string => `rr_${role}_${randomBytes(32).toString('base64url')}`;

const toPrincipal = (k: ApiKeyRow): Principal => ({
  keyId: k.id,
  role: k.role as Role,
  organizationId: k.organization_id,
  organizationRef: k.organization_ref,
  label: k.label,
});

/** `last_used_at` is kept to this resolution: at most one write per key and interval, not one per request. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * When this process last wrote each key's `last_used_at` (ms), per database (tests open many
 * databases in one process, with overlapping key ids). Set before the write, so concurrent
 * requests of one key do not all write; the UPDATE's own condition covers other processes.
 */
const lastUseWritten = new WeakMap<Db, Map<number, number>>();

async function recordUse(db: Db, keyId: number, now: number): Promise<void> {
  let written = lastUseWritten.get(db);
  if (!written) lastUseWritten.set(db, (written = new Map()));
  const at = written.get(keyId);
  if (at !== undefined && now - at < LAST_USED_RESOLUTION_SECONDS * 1000) return;
  written.set(keyId, now);
  try {
    await touchApiKeyLastUsed(db, keyId, LAST_USED_RESOLUTION_SECONDS);
  } catch {
    // bookkeeping only: a failed write must not fail the request (the next interval retries)
    written.delete(keyId);
  }
}

const isExpired = (k: Pick<ApiKeyRow, 'expires_at'>, now: number) => k.expires_at !== null && new Date(k.expires_at).getTime() <= now;

/** Resolves a bearer token; undefined when unknown, revoked or expired. Records the key's use. */
export async function authenticate(db: Db, token: string): Promise<Principal | undefined> {
  const row = await findActiveKeyByHash(db, hashKey(token));
  const now = Date.now();
  if (!row || isExpired(row, now)) return undefined;
  await recordUse(db, row.id, now);
  return toPrincipal(row);
}

/**
 * The principal of the command-line tool (bin/cli.ts). Whoever can open the database can run it,
 * so it holds no API key: it acts in the role its command needs, and everything it changes is
 * audited as `cli:<operator>`. An enterprise principal is bound to an organization.
 * Throws UNKNOWN_REFERENCE / VALIDATION_FAILED.
 */
export async function cliPrincipal(db: Db, role: Role, operator: string, organizationRef?: string): Promise<Principal> {
  let org: { id: number; ref: string } | undefined;
  if (organizationRef) {
    org = await getOrganizationByRef(db, organizationRef);
    if (!org) throw appError('UNKNOWN_REFERENCE', `organization '${organizationRef}' not found`, { errors: [{ field: 'organization_ref', message: 'unknown organization' }] });
  }
  if (role === 'enterprise' && !org) {
    throw appError('VALIDATION_FAILED', 'an enterprise principal must be bound to an organization', { errors: [{ field: 'organization_ref', message: 'required for role enterprise' }] });
  }
  return { keyId: null, role, organizationId: org?.id ?? null, organizationRef: org?.ref ?? null, label: `command line (${operator})`, operator };
}

export interface IssuedKey {
  id: number;
  key: string;
  key_prefix: string;
  role: Role;
  organization_ref: string | null;
  label: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

/**
 * Registers a key. `key` may be given (bootstrap admin key, demo keys); otherwise one is
 * generated. Enterprise keys need an organization; `expires_at` (ISO 8601 timestamp), when
 * given, must lie in the future. Throws UNKNOWN_REFERENCE / VALIDATION_FAILED.
 */
export async function issueKey(
  db: Db,
  by: Principal | 'system',
  req: { role: Role; organization_ref?: string | null; label?: string | null; expires_at?: string | Date | null; key?: string },
): Promise<IssuedKey> {
  const expiresAt = req.expires_at == null ? null : new Date(req.expires_at);
  if (expiresAt && !(expiresAt.getTime() > Date.now())) {
    const message = Number.isNaN(expiresAt.getTime()) ? 'not an ISO 8601 timestamp' : 'must be in the future';
    throw appError('VALIDATION_FAILED', `expires_at ${message}`, { errors: [{ field: 'expires_at', message }] });
  }
  let organizationId: number | null = null;
  if (req.organization_ref) {
    const org = await getOrganizationByRef(db, req.organization_ref);
    if (!org) throw appError('UNKNOWN_REFERENCE', `organization '${req.organization_ref}' not found`, { errors: [{ field: 'organization_ref', message: 'unknown organization' }] });
    organizationId = org.id;
  }
  if (req.role === 'enterprise' && organizationId == null) {
    throw appError('VALIDATION_FAILED', 'an enterprise key must be bound to an organization', { errors: [{ field: 'organization_ref', message: 'required for role enterprise' }] });
  }
  const key = req.key ?? generateKey(req.role);
  const row = await db.transaction(async (trx) => {
    const r = await insertApiKey(trx, { key_hash: hashKey(key), key_prefix: key.slice(0, 12), role: req.role, organization_id: organizationId, label: req.label ?? null, expires_at: expiresAt });
    if (!r) throw appError('ALREADY_EXISTS', 'this key is registered already');
    await recordAudit(trx, { actor: actorOf(by), action: 'api_key.issue', entity: 'api_key', entity_ref: String(r.id), after: { role: r.role, organization_ref: r.organization_ref, label: r.label, expires_at: r.expires_at } });
    return r;
  });
  return { id: row.id, key, key_prefix: row.key_prefix, role: row.role as Role, organization_ref: row.organization_ref, label: row.label, created_at: row.created_at, expires_at: row.expires_at, last_used_at: row.last_used_at };
}

/** Registers `key` unless it is registered already (idempotent bootstrap). */
export async function ensureKey(db: Db, role: Role, key: string, label: string, organizationRef?: string): Promise<boolean> {
  if (await findActiveKeyByHash(db, hashKey(key))) return false;
  await issueKey(db, 'system', { role, key, label, organization_ref: organizationRef });
  return true;
}

export const listKeys = (db: Db) => listApiKeys(db);

export async function revokeKey(db: Db, by: Principal, id: number) {
  return db.transaction(async (trx) => {
    const r = await revokeApiKey(trx, id);
    if (!r) throw appError('NOT_FOUND', `active api key ${id} not found`);
    await recordAudit(trx, { actor: actorOf(by), action: 'api_key.revoke', entity: 'api_key', entity_ref: String(id) });
    return r;
  });
}
