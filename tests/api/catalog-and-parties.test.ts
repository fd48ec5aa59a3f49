import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import type { FieldProblem } from '../helpers/api-types.ts';
import type { RobotModel } from '../../domain/schemas/index.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({ JSON_BODY_LIMIT: '4kb' }); });
afterAll(async () => { await ctx?.close(); });

const get = (path: string, key = ctx.keys.actuary) => request(ctx.baseUrl).get(path).set(bearer(key));
const post = (path: string, body: unknown, key = ctx.keys.actuary) => request(ctx.baseUrl).post(path).set(bearer(key)).send(body as object);

describe('catalog', () => {
  it('is seeded with six areas, the 18 scenario classes, three coverages and illustrative robots', async () => {
    expect((await get('/v1/scenario-areas', ctx.keys.regulator)).body.data.map((a: { code: string }) => a.code).sort()).toEqual([
      'emergency_rescue', 'healthcare_wellness', 'maintenance', 'manufacturing', 'safety_production', 'warehousing_logistics',
    ]);
    const classes = (await get('/v1/scenario-classes', ctx.keys.enterprise)).body.data;
    expect(classes).toHaveLength(18);
    expect(classes.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining([
      'manufacturing.assembly', 'maintenance.cleaning', 'warehousing_logistics.transport', 'healthcare_wellness.elder_care',
      'safety_production.hazardous_handling', 'emergency_rescue.disaster_relief',
    ]));
    const elder = (await get('/v1/scenario-classes/healthcare_wellness.elder_care')).body;
    expect(elder).toMatchObject({ area: 'healthcare_wellness', vulnerable_people: true });
    expect((await get('/v1/scenario-classes?area=maintenance')).body.data).toHaveLength(3);
    expect((await get('/v1/coverages')).body.data.map((c: { code: string }) => c.code)).toEqual(['business_interruption', 'robot_damage', 'third_party_liability']);
    const robots = (await get('/v1/robot-models')).body.data;
    expect(robots.length).toBeGreaterThanOrEqual(8);
    expect(robots.every((r: RobotModel) => r.illustrative === true && r.replacement_value > 0)).toBe(true);
    expect(new Set(robots.map((r: RobotModel) => r.form_factor))).toEqual(new Set(['biped', 'wheeled_humanoid', 'mobile_manipulator', 'quadruped']));
  });

  it('an actuary creates a scenario class and a robot model; duplicates are 409, bad fields 422', async () => {
    const cls = { code: 'manufacturing.painting', area: 'manufacturing', name: 'Painting', human_proximity: 'segregated', environment: 'hazardous', vulnerable_people: false };
    const r = await post('/v1/scenario-classes', cls);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...cls, description: null });
    expect((await post('/v1/scenario-classes', cls)).status).toBe(409);
    const bad = await post('/v1/scenario-classes', { ...cls, code: 'maintenance.painting', environment: 'lava' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: FieldProblem) => e.field)).toEqual(['environment']);
    const wrongArea = await post('/v1/scenario-classes', { ...cls, code: 'maintenance.paint2' });
    expect(wrongArea.status).toBe(422);
    expect(wrongArea.body.errors[0].field).toBe('code');

    const robot = { code: 'TST-1', manufacturer: 'Test', name: 'Tester', form_factor: 'biped', mass_kg: 50, payload_kg: 5, max_speed_mps: 1.2, replacement_value: 250000, certifications: { iso_13482: true } };
    const rr = await post('/v1/robot-models', robot);
    expect(rr.status).toBe(201);
    expect(rr.body).toMatchObject({ ...robot, illustrative: false });
    expect((await get('/v1/robot-models/TST-1', ctx.keys.enterprise)).body.replacement_value).toBe(250000);
    const badRobot = await post('/v1/robot-models', { ...robot, code: 'TST-2', mass_kg: -1, colour: 'red' });
    expect(badRobot.status).toBe(422);
    expect(badRobot.body.errors.map((e: FieldProblem) => e.field).sort()).toEqual(['colour', 'mass_kg']);
    expect((await get('/v1/robot-models/TST-2')).status).toBe(404);
    const audit = await ctx.db('audit_events').whereIn('action', ['scenario_class.create', 'robot_model.create']);
    expect(audit).toHaveLength(2);
  });
});

describe('organizations', () => {
  it('admin creates; refs are unique; listing paginates with a cursor', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await post('/v1/organizations', { ref: `PG-${i}`, name: `保险公司 ${i}`, kind: 'insurer', province: 'Beijing' }, ctx.keys.admin);
      expect(r.status).toBe(201);
    }
    expect((await post('/v1/organizations', { ref: 'PG-1', name: 'x', kind: 'insurer' }, ctx.keys.admin)).status).toBe(409);
    expect((await post('/v1/organizations', { ref: 'PG-9', name: 'x', kind: 'insurer' }, ctx.keys.actuary)).status).toBe(403);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: request.Response = await get(`/v1/organizations?kind=insurer&limit=2${cursor ? `&cursor=${cursor}` : ''}`, ctx.keys.admin);
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.data.map((o: { ref: string }) => o.ref));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['PG-1', 'PG-2', 'PG-3', 'PG-4', 'PG-5']);
    const bad = await get('/v1/organizations?cursor=garbage', ctx.keys.admin);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('query.cursor');
    expect((await get('/v1/organizations/PG-3', ctx.keys.underwriter)).body.name).toBe('保险公司 3');
  });
});

describe('problem+json for bad requests', () => {
  it('unknown route → 404, wrong method → 405, malformed JSON → 400, wrong type → 415, too large → 413', async () => {
    const nf = await get('/v1/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(nf.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', title: expect.any(String), detail: expect.any(String), type: expect.stringContaining('route-not-found') });
    const mna = await request(ctx.baseUrl).put('/v1/organizations').set(bearer(ctx.keys.admin)).send({});
    expect(mna.status).toBe(405);
    expect(mna.headers.allow).toContain('GET');
    const mal = await request(ctx.baseUrl).post('/v1/organizations').set(bearer(ctx.keys.admin)).set('Content-Type', 'application/json').send('{"ref": ');
    expect(mal.status).toBe(400);
    expect(mal.body.code).toBe('MALFORMED_JSON');
    const type = await request(ctx.baseUrl).post('/v1/organizations').set(bearer(ctx.keys.admin)).set('Content-Type', 'text/plain').send('ref=x');
    expect(type.status).toBe(415);
    const big = await post('/v1/organizations', { ref: 'BIG', name: 'x'.repeat(10_000), kind: 'insurer' }, ctx.keys.admin);
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const missing = await post('/v1/organizations', { name: 'No ref' }, ctx.keys.admin);
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: FieldProblem) => e.field).sort()).toEqual(['kind', 'ref']);
    const q = await get('/v1/incidents?severity_level=9&colour=red');
    expect(q.status).toBe(422);
    expect(q.body.errors.map((e: FieldProblem) => e.field).sort()).toEqual(['query.colour', 'query.severity_level']);
    expect(nf.headers['x-request-id']).toBeTruthy();
    expect(nf.body.request_id).toBe(nf.headers['x-request-id']);
  });
});

describe('health and documentation', () => {
  it('serves /healthz, /readyz, /openapi.json (3.1) and /docs from installed assets', async () => {
    expect((await request(ctx.baseUrl).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(ctx.baseUrl).get('/readyz')).body).toEqual({ status: 'ready' });
    const doc = (await request(ctx.baseUrl).get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/imports/{kind}', '/v1/organizations', '/v1/incidents']));
    expect(doc.components.schemas.Problem).toBeTruthy();
    const html = await request(ctx.baseUrl).get('/docs');
    expect(html.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    const js = await request(ctx.baseUrl).get('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect(js.text.length).toBeGreaterThan(100_000);
  });

  it('GET / is the web console (or, before it is built, a 503 saying how), without a key', async () => {
    const r = await request(ctx.baseUrl).get('/');
    expect([200, 503]).toContain(r.status);
    expect(r.text).toMatch(r.status === 200 ? /<div id="app">/ : /npm run build/);
  });
});
