/**
 * Regression tests of hostile input (issue 10): each class of request that once answered 500 or
 * resolved a record it should not. Every answer here is a 4xx application/problem+json whose
 * numeric `status` equals the HTTP status and that names the field, and nothing is written.
 * Requests go out byte for byte (tests/helpers/raw-http.ts), so paths are not re-encoded.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestContext } from '../helpers/context.ts';
import { problemViolation, rawRequest, type RawResponse } from '../helpers/raw-http.ts';
import { DEFAULT_RULESET } from '../../rules/default-ruleset.ts';

let ctx: TestContext;
let rulesetId: number;
beforeAll(async () => {
  ctx = await startTestApp();
  const r = await send('POST', '/v1/rulesets', 'actuary', { ...DEFAULT_RULESET, name: 'hostile-rules' });
  expect(r.status).toBe(201);
  rulesetId = (r.json as { id: number }).id;
});
afterAll(async () => { await ctx?.close(); });

type Who = 'admin' | 'actuary' | 'underwriter' | 'enterprise' | 'regulator' | 'none';
const auth = (who: Who): Record<string, string> => (who === 'none' ? {} : { Authorization: `Bearer ${ctx.keys[who]}` });

/** A request as `who`; an object body goes as JSON, a string or buffer as given. */
function send(method: string, path: string, who: Who, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const json = body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
  const h = { ...auth(who), ...(json ? { 'Content-Type': 'application/json' } : {}), ...headers };
  return rawRequest(ctx.baseUrl, method, path, h, json ? JSON.stringify(body) : (body as string | Buffer | undefined));
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

interface Problem { status: number; code: string; errors?: { field: string; message: string; line?: number }[] }

/** Asserts a problem answer of `status` (one of `status`) and returns it. */
function problem(r: RawResponse, status: number | number[]): Problem {
  expect([status].flat(), r.text.slice(0, 400)).toContain(r.status);
  expect(problemViolation(r)).toBeNull();
  return r.json as Problem;
}
const fields = (p: Problem) => (p.errors ?? []).map((e) => e.field);

const TABLES = ['organizations', 'api_keys', 'scenario_classes', 'robot_models', 'deployments', 'exposures', 'incidents', 'model_versions', 'rulesets', 'rating_plans', 'quotes', 'audit_events'];
/** Row counts of the main tables and the state of the records that change in place. */
async function fingerprint(): Promise<string> {
  const counts = await Promise.all(TABLES.map(async (t) => `${t}:${(await ctx.db(t).count('* as n'))[0].n}`));
  const keys = await ctx.db('api_keys').select('id', 'revoked_at').orderBy('id');
  const versions = await ctx.db('rulesets').select('id', 'status').orderBy('id');
  return JSON.stringify({ counts, keys, versions });
}

describe('malformed percent-encoding in a path', () => {
  it('is a 400 problem, with or without a key, on every kind of path parameter', async () => {
    for (const path of ['/v1/deployments/%ZZ', '/v1/rulesets/%', '/v1/quotes/%E0%A4%A/pdf', '/v1/scenario-classes/%ED%A0%80', '/v1/imports/%C0%AF']) {
      for (const who of ['none', 'actuary'] as const) {
        const p = problem(await send('GET', path, who), 400);
        expect(p.code).toBe('MALFORMED_REQUEST');
      }
    }
    problem(await send('POST', '/v1/imports/%ZZ', 'actuary', 'x', { 'Content-Type': 'text/csv' }), 400);
  });
});

describe('ids: one canonical spelling within int4', () => {
  const nonCanonical = ['0x10', '1e1', '01', '+1', '%201%20', '%2B1', '1.0', '-1', '0', '2147483648', '99999999999', '%EF%BC%91' /* fullwidth 1 */];

  it('GET by a non-canonical or too large id is a 422 naming path.id, never a record or a 500', async () => {
    expect((await send('GET', `/v1/rulesets/${rulesetId}`, 'actuary')).status).toBe(200);
    for (const id of [...nonCanonical, encodeURIComponent(`0${rulesetId}`)]) {
      for (const base of ['/v1/rulesets', '/v1/rating-plans', '/v1/models']) {
        const p = problem(await send('GET', `${base}/${id}`, 'actuary'), 422);
        expect(fields(p)).toEqual(['path.id']);
      }
    }
    expect((await send('GET', '/v1/rating-plans/2147483647', 'actuary')).status).toBe(404);
    problem(await send('GET', '/v1/models/2147483648/report.pdf', 'actuary'), 422);
  });

  it('POST …/activate and DELETE /v1/api-keys/{id} with a non-canonical id do not act', async () => {
    const before = await fingerprint();
    for (const id of nonCanonical) {
      problem(await send('POST', `/v1/rating-plans/${id}/activate`, 'actuary', {}), 422);
      problem(await send('POST', `/v1/rulesets/${id}/activate`, 'actuary', {}), 422);
      problem(await send('POST', `/v1/models/${id}/activate`, 'actuary'), 422);
      problem(await send('DELETE', `/v1/api-keys/${id}`, 'admin'), 422);
    }
    // `01` once revoked key 1: the bootstrap admin key
    problem(await send('DELETE', '/v1/api-keys/01', 'admin'), 422);
    problem(await send('POST', `/v1/rulesets/0${rulesetId}/activate`, 'actuary', {}), 422);
    expect(await fingerprint()).toBe(before);
    expect((await send('GET', '/v1/api-keys', 'admin')).status).toBe(200);
  });

  it('ids in JSON bodies are int4 too (a plan naming rule set 2147483648 is a 422, not a 500)', async () => {
    const plan = {
      name: 'p', coverages: { robot_damage: { frequency_model_id: 2147483648, severity_model_id: 1 } }, ruleset_id: 2147483648,
      loadings: { expense: 0.1, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 0 },
    };
    const p = problem(await send('POST', '/v1/rating-plans', 'actuary', plan), 422);
    expect(fields(p)).toEqual(expect.arrayContaining(['ruleset_id', 'coverages.robot_damage.frequency_model_id']));
  });

  it('a cursor is exactly one this API issued, with an id within int4; others are a 422 naming query.cursor', async () => {
    for (let i = 0; i < 3; i++) expect((await send('POST', '/v1/organizations', 'admin', { ref: `CUR-${i}`, name: `cursor ${i}`, kind: 'insurer' })).status).toBe(201);
    const first = (await send('GET', '/v1/organizations?limit=2', 'admin')).json as { next_cursor: string };
    expect(first.next_cursor).toEqual(expect.any(String));
    expect((await send('GET', `/v1/organizations?limit=2&cursor=${first.next_cursor}`, 'admin')).status).toBe(200);
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const cursor of [b64('id:2147483648'), b64('id:99999999999999'), b64('id:01'), b64('id:0x10'), `${first.next_cursor}%3D`, 'garbage', '%00']) {
      for (const path of ['/v1/organizations', '/v1/rulesets', '/v1/deployments', '/v1/incidents']) {
        const p = problem(await send('GET', `${path}?cursor=${cursor}`, path === '/v1/organizations' ? 'admin' : 'actuary'), 422);
        expect(fields(p)).toEqual(['query.cursor']);
      }
    }
  });
});

describe('NUL characters and lone surrogates are refused at the edge, naming the field', () => {
  it('in JSON bodies: values, nested values and field names', async () => {
    const before = await fingerprint();
    const nul = problem(await send('POST', '/v1/organizations', 'admin', { ref: 'NUL-1', name: 'a\u0000b', kind: 'enterprise' }), 422);
    expect(fields(nul)).toEqual(['name']);
    expect(nul.errors![0].message).toMatch(/NUL/);
    // JSON.parse accepts "\ud800": the audit insert used to fail on it
    const lone = problem(await send('POST', '/v1/organizations', 'admin', '{"ref":"SUR-1","name":"a\\ud800b","kind":"enterprise"}', JSON_TYPE), 422);
    expect(fields(lone)).toEqual(['name']);
    expect(lone.errors![0].message).toMatch(/surrogate/);
    const key = problem(await send('POST', '/v1/organizations', 'admin', '{"ref":"KEY-1","name":"n","kind":"enterprise","x\\u0000":1}', JSON_TYPE), 422);
    expect(key.errors![0].message).toMatch(/field name/);
    const rules = structuredClone(DEFAULT_RULESET) as unknown as { name: string; rules: { event: { params: Record<string, unknown> } }[] };
    rules.name = 'nul-rules';
    rules.rules[0].event.params.reason = 'x\u0000y';
    const deep = problem(await send('POST', '/v1/rulesets', 'actuary', rules), 422);
    expect(fields(deep)).toEqual(['rules.0.event.params.reason']);
    const lateLone = problem(await send('POST', '/v1/api-keys', 'admin', '{"role":"actuary","label":"\\udfff"}', JSON_TYPE), 422);
    expect(fields(lateLone)).toEqual(['label']);
    expect(await fingerprint()).toBe(before);
  });

  it('in query strings and path parameters', async () => {
    expect(fields(problem(await send('GET', '/v1/deployments?province=a%00b', 'actuary'), 422))).toEqual(['query.province']);
    expect(fields(problem(await send('GET', '/v1/rulesets?name=%00', 'actuary'), 422))).toEqual(['query.name']);
    expect(fields(problem(await send('GET', '/v1/incidents?scenario_class=x%00', 'underwriter'), 422))).toEqual(['query.scenario_class']);
    expect(fields(problem(await send('GET', '/v1/deployments/a%00b', 'actuary'), 422))).toEqual(['path.ref']);
    expect(fields(problem(await send('GET', '/v1/scenario-classes/a%00b', 'regulator'), 422))).toEqual(['path.code']);
  });

  it('JSON nested beyond 64 levels is a 422, not a stack overflow', async () => {
    const deep = `{"name":"deep","rules":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const p = problem(await send('POST', '/v1/rulesets', 'actuary', deep, { 'Content-Type': 'application/json' }), 422);
    expect(p.errors![0].message).toMatch(/nested deeper/);
  });

  it('in CSV, JSON and NDJSON import rows: 422 with line and field, nothing written', async () => {
    const before = await fingerprint();
    const header = 'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date';
    const robot = ((await send('GET', '/v1/robot-models', 'actuary')).json as { data: { code: string }[] }).data[0].code;
    const row = (ref: string, province = 'Guangdong') => ({ deployment_ref: ref, organization_ref: 'ORG-A', province, scenario_class: 'manufacturing.assembly', robot_model: robot, units: 1, autonomy_level: 'supervised', start_date: '2025-01-01' });
    const csvRow = (r: ReturnType<typeof row>) => Object.values(r).join(',');

    const csv = problem(await send('POST', '/v1/imports/deployments', 'actuary', `${header}\n${csvRow(row('OK-1'))}\n${csvRow(row('D\u00001'))}\n${csvRow(row('OK-2', 'Guang\u0000dong'))}\n`, { 'Content-Type': 'text/csv' }), 422);
    expect(csv.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 3, field: 'deployment_ref', message: expect.stringMatching(/NUL/) }),
      expect.objectContaining({ line: 4, field: 'province', message: expect.stringMatching(/NUL/) }),
    ]));
    const ndjson = `${JSON.stringify(row('OK-3'))}\n${JSON.stringify(row('D\u00002'))}\n`;
    const nd = problem(await send('POST', '/v1/imports/deployments', 'actuary', ndjson, { 'Content-Type': 'application/x-ndjson' }), 422);
    expect(nd.errors).toEqual([expect.objectContaining({ line: 2, field: 'deployment_ref' })]);
    const array = `[${JSON.stringify(row('OK-4'))},${JSON.stringify(row('D-3')).replace('D-3', 'D\\ud8003')}]`;
    const js = problem(await send('POST', '/v1/imports/deployments', 'actuary', array, { 'Content-Type': 'application/json' }), 422);
    expect(js.errors).toEqual([expect.objectContaining({ line: 2, field: 'deployment_ref', message: expect.stringMatching(/surrogate/) })]);
    const header0 = problem(await send('POST', '/v1/imports/deployments', 'actuary', `${header},x\u0000\n`, { 'Content-Type': 'text/csv' }), 422);
    expect(header0.errors![0].line).toBe(1);
    expect(await fingerprint()).toBe(before);
  });
});

describe('impossible calendar dates', () => {
  it('statistics from/to, incident occurred_from/to, activations and PDF creation dates: 422 naming the field', async () => {
    for (const path of ['incident-rates?', 'loss-ratios?', 'severity?coverage=robot_damage&', 'report.pdf?']) {
      for (const [param, value] of [['from', '2025-02-30'], ['to', '2025-13-01'], ['from', '0000-01-01'], ['to', '2025-2-3']]) {
        const r = await send('GET', `/v1/statistics/${path}${param}=${value}`, 'regulator');
        // (the window rules of the statistics may name the other end too)
        expect(fields(problem(r, 422))).toContain(`query.${param}`);
      }
    }
    for (const value of ['2025-02-30', '2025-02-28T25:00:00Z', '2025-02-29T00:00:00Z', '0000-01-01', '2025-01-01T00:00:00%2B99:99', '2025-01-01T10']) {
      expect(fields(problem(await send('GET', `/v1/incidents?occurred_from=${value}`, 'actuary'), 422))).toEqual(['query.occurred_from']);
      expect(fields(problem(await send('GET', `/v1/incidents?occurred_to=${value}`, 'underwriter'), 422))).toEqual(['query.occurred_to']);
    }
    for (const path of ['incident-rates?', 'loss-ratios?', 'severity?coverage=robot_damage&', 'report.pdf?']) {
      expect(fields(problem(await send('GET', `/v1/statistics/${path}from=2025-02-01&to=2025-01-31`, 'actuary'), 422))).toContain('query.to');
    }
    expect((await send('GET', '/v1/incidents?occurred_from=2024-02-29T23:00:00%2B08:00', 'actuary')).status).toBe(200);
    expect((await send('GET', '/v1/statistics/report.pdf?creation_date=2025-02-30T00:00:00Z', 'regulator')).status).toBe(422);
    const before = await fingerprint();
    for (const at of ['2025-02-30T00:00:00Z', '0000-01-01T00:00:00Z']) {
      expect(fields(problem(await send('POST', `/v1/rulesets/${rulesetId}/activate`, 'actuary', { effective_from: at }), 422))).toEqual(['effective_from']);
    }
    expect(await fingerprint()).toBe(before);
  });
});

describe('content encodings and garbage bodies', () => {
  const org = JSON.stringify({ ref: 'ENC-1', name: 'encoded', kind: 'insurer' });
  const json = { 'Content-Type': 'application/json' };

  it('corrupt or truncated gzip, garbage br or deflate: 400 problem; unknown encodings 415; nothing written', async () => {
    const before = await fingerprint();
    const bodies: [string, Buffer][] = [
      ['gzip', Buffer.from('not gzip at all')],
      ['gzip', gzipSync(org).subarray(0, 15)],
      ['br', Buffer.from(org)],
      ['deflate', Buffer.from([0x78, 0x9c, 0xff, 0xff, 0x00])],
    ];
    for (const [encoding, body] of bodies) {
      expect(problem(await send('POST', '/v1/organizations', 'admin', body, { ...json, 'Content-Encoding': encoding }), 400).code).toBe('MALFORMED_REQUEST');
    }
    for (const encoding of ['compress', 'gzip, br', 'x-unknown']) {
      problem(await send('POST', '/v1/organizations', 'admin', Buffer.from(org), { ...json, 'Content-Encoding': encoding }), 415);
    }
    problem(await send('POST', '/v1/organizations', 'admin', Buffer.from(org), { 'Content-Type': 'application/json; charset=koi8-r' }), 415);
    expect(await fingerprint()).toBe(before);
    // a well-formed gzip body is read
    expect((await send('POST', '/v1/organizations', 'admin', gzipSync(org), { ...json, 'Content-Encoding': 'gzip' })).status).toBe(201);
  });

  it('imports take an uncompressed body: any Content-Encoding is a 415', async () => {
    const before = await fingerprint();
    for (const encoding of ['gzip', 'br', 'deflate']) {
      problem(await send('POST', '/v1/imports/deployments', 'actuary', gzipSync('deployment_ref\n'), { 'Content-Type': 'text/csv', 'Content-Encoding': encoding }), 415);
    }
    expect(await fingerprint()).toBe(before);
  });

  it('binary garbage as a CSV, JSON or NDJSON import is a 4xx problem (the CSV parser\'s errors included), nothing written', async () => {
    const before = await fingerprint();
    const header = Buffer.from('deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date\n');
    // quotes, commas and line breaks among random bytes reach every branch of the parser
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a.map((b) => [0x22, 0x2c, 0x0a, 0x0d, 0x00][b % 23] ?? b)));
    const samples = fc.sample(fc.tuple(fc.boolean(), garbage), { numRuns: 40, seed: 20261129 });
    // INVALID_OPENING_QUOTE is a csv-parse error without the CSV_ prefix: it once escaped as a 500
    samples.push([true, Buffer.from('a,b"c\n')]);
    for (const [withHeader, bytes] of samples) {
      const body = withHeader ? Buffer.concat([header, bytes]) : bytes;
      for (const type of ['text/csv', 'application/x-ndjson', 'application/json']) {
        problem(await send('POST', '/v1/imports/deployments', 'actuary', body, { 'Content-Type': type }), [400, 422]);
      }
    }
    const quote = problem(await send('POST', '/v1/imports/deployments', 'actuary', Buffer.concat([header, Buffer.from('a,b"c\n')]), { 'Content-Type': 'text/csv' }), 400);
    expect(quote.code).toBe('MALFORMED_CSV');
    expect(await fingerprint()).toBe(before);
  });
});

describe('numbers the pricing engine cannot use', () => {
  it('limits of a quote are at least CNY 1 (a limit of 5e-323 once failed in the aggregate lattice with a 500)', async () => {
    const coverage = { coverage: 'third_party_liability', deductible: 2e-212, per_occurrence_limit: 5e-323, aggregate_limit: 1e-300, coinsurance: 1e-9 };
    const body = {
      basis: 'annual', period: { start: '2099-01-01', end: '2099-12-31' }, coverages: [coverage],
      fleet: [{ robot_model: 'X', scenario_class: 'manufacturing.assembly', units: 1, autonomy_level: 'supervised', operating_hours_per_unit: 100 }],
    };
    const p = problem(await send('POST', '/v1/quotes', 'enterprise', body), 422);
    expect(fields(p)).toEqual(expect.arrayContaining(['coverages.0.per_occurrence_limit', 'coverages.0.aggregate_limit']));
  });
});
