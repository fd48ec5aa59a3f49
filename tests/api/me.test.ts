/** GET /v1/me: who the key is, for which organization, and exactly the routes its role may call. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import type { OpenApiDocument } from '../helpers/api-types.ts';
import { ROLES } from '../../domain/index.ts';

let ctx: TestContext;
let doc: OpenApiDocument;
beforeAll(async () => {
  ctx = await startTestApp();
  doc = (await request(ctx.baseUrl).get('/openapi.json')).body as OpenApiDocument;
}, 120_000);
afterAll(async () => { await ctx?.close(); });

/** The operations the published document grants `role` (its `x-roles`). */
function documented(role: string): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as Record<string, { 'x-roles'?: string[] }>)
    .filter(([, op]) => op['x-roles']?.includes(role)).map(([m]) => `${m.toUpperCase()} ${path}`)).sort();
}

describe('GET /v1/me', () => {
  it('an enterprise key: its role, its own organization (Chinese name intact) and its routes', async () => {
    const r = await request(ctx.baseUrl).get('/v1/me').set(bearer(ctx.keys.enterprise));
    expect(r.status).toBe(200);
    expect(r.body.role).toBe('enterprise');
    expect(r.body.organization).toEqual({ ref: 'ORG-A', name: '深圳测试机器人有限公司', kind: 'enterprise' });
    expect(r.body.may.map((m: { method: string; path: string }) => `${m.method} ${m.path}`)).toContain('POST /v1/quotes');
    expect(r.body.may.map((m: { method: string; path: string }) => `${m.method} ${m.path}`)).not.toContain('GET /v1/statistics/incident-rates');
    // the second enterprise sees its own organization, never the first one's
    const b = await request(ctx.baseUrl).get('/v1/me').set(bearer(ctx.keyB));
    expect(b.body.organization.ref).toBe('ORG-B');
  });

  it.each(ROLES)('%s: `may` is exactly what the OpenAPI document grants the role', async (role) => {
    const r = await request(ctx.baseUrl).get('/v1/me').set(bearer(ctx.keys[role]));
    expect(r.status).toBe(200);
    expect(r.body.role).toBe(role);
    if (role !== 'enterprise') expect(r.body.organization).toBeNull();
    const may = r.body.may.map((m: { method: string; path: string }) => `${m.method} ${m.path}`).sort();
    expect(may).toEqual(documented(role));
    // and each granted route really answers something other than 403 for this key (a sample: GETs without parameters)
    for (const m of r.body.may.filter((x: { method: string; path: string }) => x.method === 'GET' && !x.path.includes('{') && !x.path.endsWith('.pdf'))) {
      const res = await request(ctx.baseUrl).get(m.path).set(bearer(ctx.keys[role])).query(m.path.includes('severity') ? { coverage: 'robot_damage' } : {});
      expect(res.status, `${role} ${m.path}`).not.toBe(403);
    }
  });

  it('without a key: 401 problem, with no body of the route', async () => {
    const r = await request(ctx.baseUrl).get('/v1/me');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.status).toBe(401);
  });
});
