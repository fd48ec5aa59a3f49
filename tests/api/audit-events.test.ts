/** GET /v1/audit-events: the audit trail, readable by admins and actuaries, filtered and paged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { ROLES } from '../../domain/index.ts';

interface Event { id: number; actor: string; action: string; entity: string; entity_ref: string | null; before: unknown; after: unknown; created_at: string }

let ctx: TestContext;
let adminId: number;
let issuedId: number;
let orgRef: string;

beforeAll(async () => {
  ctx = await startTestApp();
  adminId = (await ctx.db('api_keys').where({ role: 'admin' }).first()).id;
  const admin = bearer(ctx.keys.admin);
  orgRef = 'AUD-ORG-1';
  await request(ctx.baseUrl).post('/v1/organizations').set(admin).send({ ref: orgRef, name: 'Audit Co.', kind: 'enterprise' }).expect(201);
  issuedId = (await request(ctx.baseUrl).post('/v1/api-keys').set(admin).send({ role: 'enterprise', organization_ref: orgRef, label: 'audited' }).expect(201)).body.id;
  await request(ctx.baseUrl).delete(`/v1/api-keys/${issuedId}`).set(admin).expect(200);
}, 120_000);
afterAll(async () => { await ctx?.close(); });

const list = (query: Record<string, string | number>, key = ctx.keys.admin) => request(ctx.baseUrl).get('/v1/audit-events').query(query).set(bearer(key));

/** Every page of a query, following next_cursor. */
async function all(query: Record<string, string | number>): Promise<Event[]> {
  const out: Event[] = [];
  let cursor: string | null = null;
  do {
    const r = await list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    out.push(...r.body.data);
    cursor = r.body.next_cursor;
  } while (cursor);
  return out;
}

describe('GET /v1/audit-events', () => {
  it('is open to admin and actuary only', async () => {
    for (const role of ROLES) {
      const r = await list({}, ctx.keys[role]);
      if (role === 'admin' || role === 'actuary') expect(r.status, role).toBe(200);
      else {
        expect(r.status, role).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
      }
    }
    expect((await request(ctx.baseUrl).get('/v1/audit-events')).status).toBe(401);
  });

  it('shows who did what to which record, with before and after, oldest first', async () => {
    const events = await all({ actor: `api_key:${adminId}` });
    expect(events.map((e) => `${e.action} ${e.entity_ref}`)).toEqual([
      `organization.create ${orgRef}`, `api_key.issue ${issuedId}`, `api_key.revoke ${issuedId}`,
    ]);
    expect(events[1]).toMatchObject({ entity: 'api_key', before: null, after: { role: 'enterprise', organization_ref: orgRef, label: 'audited', expires_at: null } });
    expect(JSON.stringify(events)).not.toMatch(/rr_enterprise_/);
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('filters by action, entity and entity_ref', async () => {
    const issues = await all({ action: 'api_key.issue' });
    // the six keys of the test context (issued by `system`) and the one above
    expect(issues).toHaveLength(7);
    expect(issues.every((e) => e.action === 'api_key.issue')).toBe(true);
    expect(issues.filter((e) => e.actor === 'system')).toHaveLength(6);
    const one = await all({ entity: 'api_key', entity_ref: String(issuedId) });
    expect(one.map((e) => e.action)).toEqual(['api_key.issue', 'api_key.revoke']);
    expect(await all({ entity: 'organization', entity_ref: 'NO-SUCH-ORG' })).toEqual([]);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const [issue, revoke] = await all({ entity: 'api_key', entity_ref: String(issuedId) });
    const since = await all({ entity: 'api_key', from: issue.created_at });
    expect(since.map((e) => e.id)).toEqual([issue.id, revoke.id]);
    const until = await all({ entity_ref: String(issuedId), to: revoke.created_at });
    expect(until.map((e) => e.id)).toEqual([issue.id]);
    expect(await all({ from: '2999-01-01' })).toEqual([]);
    expect((await all({ to: '2999-01-01T00:00:00+08:00' })).length).toBeGreaterThanOrEqual(9);
  });

  it('pages with a cursor: every event once, in order', async () => {
    const whole = await all({ limit: 1000 });
    const paged = await all({ limit: 2 });
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);
    const first = await list({ limit: 2 });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
  });

  it('refuses bad filters with 422 naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: '2025-02-30' }, 'query.from'],
      [{ to: 'yesterday' }, 'query.to'],
      [{ from: '2025-01-01T00:00:00' }, 'query.from'],
      [{ from: '2026-01-02', to: '2026-01-01' }, 'query.to'],
      [{ cursor: 'bm90LWEtY3Vyc29y' }, 'query.cursor'],
      [{ limit: '0' }, 'query.limit'],
      [{ who: 'me' }, 'query.who'],
    ];
    for (const [q, field] of cases) {
      const r = await list(q);
      expect(r.status, JSON.stringify(q)).toBe(422);
      expect(r.body.status).toBe(422);
      expect(r.body.errors.map((e: { field: string }) => e.field), JSON.stringify(q)).toContain(field);
    }
  });
});
