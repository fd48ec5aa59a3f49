import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { ROLES, type Role } from '../../domain/index.ts';
import { operationsOf, type HttpMethod, type OpenApiDocument } from '../helpers/api-types.ts';

let ctx: TestContext;
let doc: OpenApiDocument;
beforeAll(async () => {
  ctx = await startTestApp();
  doc = (await request(ctx.baseUrl).get('/openapi.json')).body as OpenApiDocument;
});
afterAll(async () => { await ctx?.close(); });

/** Every documented operation with a concrete path. */
function operations(): { method: HttpMethod; path: string; roles: Role[] }[] {
  return operationsOf(doc).map(([p, method, op]) => ({
    method,
    path: p.replace(/\{(\w+)\}/g, (_m, name) => (name === 'kind' ? 'exposures' : name === 'id' ? '999999' : 'X-NONE')),
    roles: op['x-roles'] as Role[],
  }));
}

describe('authentication and roles on every route', () => {
  it('documents the routes of the service', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(18);
    expect(ops.every((o) => Array.isArray(o.roles) && o.roles.length > 0)).toBe(true);
  });

  it('answers 401 problem+json without a key, and with an unknown or malformed key', async () => {
    for (const op of operations()) {
      const r = await request(ctx.baseUrl)[op.method](op.path);
      expect(r.status, `${op.method} ${op.path}`).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body.code).toBe('UNAUTHENTICATED');
    }
    const unknown = await request(ctx.baseUrl).get('/v1/coverages').set(bearer('rr_admin_not-a-real-key-at-all-0000'));
    expect(unknown.status).toBe(401);
    const malformed = await request(ctx.baseUrl).get('/v1/coverages').set('Authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
  });

  it('answers 403 to every role the route does not allow, and never 401/403 to one it allows', async () => {
    for (const op of operations()) {
      for (const role of ROLES) {
        const r = await request(ctx.baseUrl)[op.method](op.path).set(bearer(ctx.keys[role])).set('Content-Type', 'application/json').send('{}');
        const label = `${role} ${op.method} ${op.path}`;
        if (op.roles.includes(role)) expect([401, 403], label).not.toContain(r.status);
        else {
          expect(r.status, label).toBe(403);
          expect(r.body.code).toBe('FORBIDDEN');
        }
        expect(r.status, label).toBeLessThan(500);
      }
    }
  });

  it('a revoked key stops working', async () => {
    const issued = await request(ctx.baseUrl).post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'actuary', label: 'temp' });
    expect(issued.status).toBe(201);
    expect(issued.body.key).toMatch(/^rr_actuary_/);
    expect((await request(ctx.baseUrl).get('/v1/coverages').set(bearer(issued.body.key))).status).toBe(200);
    const stored = await ctx.db('api_keys').where({ id: issued.body.id }).first();
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(issued.body.key);
    expect((await request(ctx.baseUrl).delete(`/v1/api-keys/${issued.body.id}`).set(bearer(ctx.keys.admin))).status).toBe(200);
    expect((await request(ctx.baseUrl).get('/v1/coverages').set(bearer(issued.body.key))).status).toBe(401);
    const list = await request(ctx.baseUrl).get('/v1/api-keys').set(bearer(ctx.keys.admin));
    expect(JSON.stringify(list.body)).not.toContain(issued.body.key);
  });

  it('an enterprise key needs an organization', async () => {
    const r = await request(ctx.baseUrl).post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'enterprise' });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].field).toBe('organization_ref');
    const unknown = await request(ctx.baseUrl).post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'enterprise', organization_ref: 'NOPE' });
    expect(unknown.status).toBe(422);
    expect(await ctx.db('api_keys').count('* as n')).toEqual([{ n: 7 }]);
  });
});

describe('tenant isolation', () => {
  beforeAll(async () => {
    const robot = (await request(ctx.baseUrl).get('/v1/robot-models').set(bearer(ctx.keys.actuary))).body.data[0].code;
    const put = (kind: string, body: string) =>
      request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);
    await put('deployments', [
      'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
      `TI-A1,ORG-A,Guangdong,manufacturing.assembly,${robot},2,supervised,2025-01-01,2025-12-31`,
      `TI-B1,ORG-B,Jiangsu,warehousing_logistics.picking,${robot},3,autonomous,2025-01-01,2025-12-31`,
    ].join('\n'));
    await put('incidents', [
      'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,status',
      'TI-IA,TI-A1,2025-03-01T10:00:00Z,fall,1,closed',
      'TI-IB,TI-B1,2025-03-02T10:00:00Z,fall,1,closed',
    ].join('\n'));
  });

  it("an enterprise sees its own deployments and incidents, and another's answer 404", async () => {
    const a = bearer(ctx.keys.enterprise);
    const deps = await request(ctx.baseUrl).get('/v1/deployments').set(a);
    expect(deps.body.data.map((d: { deployment_ref: string }) => d.deployment_ref)).toEqual(['TI-A1']);
    expect((await request(ctx.baseUrl).get('/v1/deployments/TI-B1').set(a)).status).toBe(404);
    expect((await request(ctx.baseUrl).get('/v1/deployments/TI-B1/exposures').set(a)).status).toBe(404);
    expect((await request(ctx.baseUrl).get('/v1/incidents/TI-IB').set(a)).status).toBe(404);
    const incs = await request(ctx.baseUrl).get('/v1/incidents?organization_ref=ORG-B').set(a);
    expect(incs.body.data).toEqual([]);
    const orgs = await request(ctx.baseUrl).get('/v1/organizations').set(a);
    expect(orgs.body.data.map((o: { ref: string }) => o.ref)).toEqual(['ORG-A']);
    expect((await request(ctx.baseUrl).get('/v1/organizations/ORG-B').set(a)).status).toBe(404);
    const b = await request(ctx.baseUrl).get('/v1/incidents').set(bearer(ctx.keyB));
    expect(b.body.data.map((i: { incident_ref: string }) => i.incident_ref)).toEqual(['TI-IB']);
    const actuary = await request(ctx.baseUrl).get('/v1/incidents').set(bearer(ctx.keys.actuary));
    expect(actuary.body.data.map((i: { incident_ref: string }) => i.incident_ref).sort()).toEqual(['TI-IA', 'TI-IB']);
  });
});
