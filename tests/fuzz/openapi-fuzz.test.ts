/**
 * Schema-driven fuzz of the whole API (issue 10). The operations come from the app's own
 * `/openapi.json`; for every operation × every role (admin, actuary, underwriter, enterprise,
 * regulator, and no key) fast-check generates requests from the operation's parameter and body
 * schemas (plus the schema examples and real records of the demo history, so that some requests
 * get deep) and applies hostile mutations: wrong types, huge numbers, NUL and lone surrogates,
 * impossible dates, non-canonical ids, malformed percent-encoding, extra fields, bad content
 * types, charsets and encodings, malformed and deeply nested JSON, garbage imports.
 *
 * Asserted for every answer: no 5xx; every 4xx is application/problem+json whose numeric
 * `status` equals the HTTP status; and no write on any rejected request (nor on any GET): a
 * fingerprint of the database — row counts of every table, the status of every versioned record
 * and quote, revocations, and the cache counters that statement triggers bump on every write to
 * the catalog and histories — is the same before and after.
 *
 * Deterministic (FUZZ_SEED, default fixed) and bounded: FUZZ_RUNS scales the number of requests
 * (1 → about 2,500 requests, well under 2 minutes on the 2-core machine; bench/README.md "Fuzz").
 */
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestContext } from '../helpers/context.ts';
import { problemViolation, rawRequest, type RawResponse } from '../helpers/raw-http.ts';
import type { OpenApiDocument, OpenApiSchema } from '../helpers/api-types.ts';
import { ROBOT_MODELS, SCENARIO_CLASSES } from '../../seeds/catalog.ts';
import { CONTRACT_COLUMNS } from '../../services/import-rows.ts';

// eslint-disable-next-line no-restricted-properties -- the test's own size switch
const SCALE = Number(process.env.FUZZ_RUNS ?? '1');
// eslint-disable-next-line no-restricted-properties -- the test's own seed switch
const SEED = Number(process.env.FUZZ_SEED ?? '20261129');
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

type Role = 'admin' | 'actuary' | 'underwriter' | 'enterprise' | 'regulator' | 'none';
const ROLES: Role[] = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator', 'none'];

/** The parts of the document this test reads beyond tests/helpers/api-types.ts. */
interface Schema extends OpenApiSchema {
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  default?: unknown;
}
interface Parameter { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }
interface Operation {
  method: string;
  path: string;
  roles: string[];
  parameters: Parameter[];
  body?: { types: string[]; schema?: Schema };
}

/** One request as sent, and the mutation that made it hostile (for the report). */
interface Req { method: string; path: string; headers: Record<string, string>; body?: Buffer | string; mutation: string }

let ctx: TestContext;
let doc: OpenApiDocument & { components: { schemas: Record<string, Schema> } };
const statuses = new Map<number, number>();
const mutations = new Map<string, number>();
const failures: string[] = [];
let sent = 0;
let rejectedWrites = 0;
let started = 0;

beforeAll(async () => {
  // No rate limits: after 20 bad keys the address would be locked out, and every later request
  // answered 429 before reaching its route (the limits have their own tests).
  ctx = await startTestApp({ AUTH_FAILURE_LIMIT: '0', KEY_RATE_LIMIT: '0' }, { demo: true });
  doc = (await rawRequest(ctx.baseUrl, 'GET', '/openapi.json')).json as typeof doc;
}, 240_000);

afterAll(async () => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const histogram = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
  console.log(`openapi fuzz: ${sent} requests in ${seconds} s (FUZZ_RUNS=${SCALE}, FUZZ_SEED=${SEED}); statuses ${JSON.stringify(histogram)}; 5xx: ${[...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)}; rejected write requests: ${rejectedWrites}; failures: ${failures.length}`);
  console.log(`openapi fuzz mutations: ${JSON.stringify(Object.fromEntries([...mutations].sort(([, a], [, b]) => b - a)))}`);
  await ctx?.close();
});

// --- the database fingerprint --------------------------------------------------------------------

const COUNTED = ['scenario_areas', 'scenario_classes', 'robot_models', 'coverages', 'organizations', 'api_keys', 'app_meta',
  'deployments', 'exposures', 'incidents', 'exposure_month_summary', 'model_versions', 'rulesets', 'rating_plans', 'quotes', 'bound_quote_lines'];

/** Everything a write would change, in one query: counts, statuses, revocations, cache counters. */
async function fingerprint(): Promise<string> {
  const agg = (table: string, expr: string) => `(select md5(coalesce(string_agg(${expr}, ',' order by id), '')) from ${table})`;
  const sql = `select ${COUNTED.map((t) => `(select count(*) from ${t}) as "${t}"`).join(', ')},
    ${agg('model_versions', "id || ':' || status")} as mv, ${agg('rulesets', "id || ':' || status")} as rs,
    ${agg('rating_plans', "id || ':' || status")} as rp, ${agg('quotes', "id || ':' || status")} as q,
    ${agg('api_keys', "id || ':' || coalesce(revoked_at::text, '-')")} as k,
    -- every statistics GET is audited by design (services/statistics.ts auditStatisticsQuery): not a write of the request's
    (select count(*) from audit_events where action <> 'statistics.query') as audit_events,
    (select string_agg(t::text, ',') from (select * from cache_versions order by 1) t) as cv`;
  const r = await ctx.db.raw(sql) as { rows: Record<string, unknown>[] };
  return JSON.stringify(r.rows[0]);
}

// --- pools of real values (so that some generated requests reach records) -------------------------

interface Pools { deployments: string[]; incidents: string[]; organizations: string[]; quotes: string[]; ids: Record<string, number[]>; fuzzKeyIds: number[] }
let pools: Pools;
/** Ids of the keys this test authenticates with: never revoked by a generated DELETE. */
let ownKeyIds: Set<number>;

async function loadPools(): Promise<Pools> {
  const col = async (table: string, column: string, limit = 40) => (await ctx.db(table).select(column).orderBy('id').limit(limit)).map((r: Record<string, unknown>) => r[column]);
  const ent = await ctx.db('deployments as d').join('organizations as o', 'o.id', 'd.organization_id').where('o.ref', 'ORG-A').select('d.ref').limit(5);
  return {
    deployments: [...(await col('deployments', 'ref', 30)) as string[], ...ent.map((r: { ref: string }) => r.ref)],
    incidents: (await col('incidents', 'ref', 30)) as string[],
    organizations: (await col('organizations', 'ref', 40)) as string[],
    quotes: (await ctx.db('quotes').select('ref').orderBy('id', 'desc').limit(30)).map((r: { ref: string }) => r.ref),
    ids: {
      models: (await col('model_versions', 'id')) as number[],
      rulesets: (await col('rulesets', 'id')) as number[],
      'rating-plans': (await col('rating_plans', 'id')) as number[],
    },
    fuzzKeyIds: ((await ctx.db('api_keys').select('id').orderBy('id')).map((r: { id: number }) => r.id)).filter((id: number) => !ownKeyIds.has(id)),
  };
}

// --- operations of the document --------------------------------------------------------------------

function operationsOf(d: typeof doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(d.paths)) {
    for (const [method, raw] of Object.entries(item as Record<string, unknown>)) {
      const op = raw as { 'x-roles': string[]; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
      const content = op.requestBody?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        roles: op['x-roles'],
        parameters: op.parameters ?? [],
        body: content ? { types: Object.keys(content), schema: content['application/json']?.schema } : undefined,
      });
    }
  }
  // the public routes outside the document
  for (const path of ['/healthz', '/openapi.json', '/docs', '/']) ops.push({ method: 'GET', path, roles: [...ROLES], parameters: [] });
  return ops;
}

// --- values from schemas ---------------------------------------------------------------------------

const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]) : s);
const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dates = fc.integer({ min: -800, max: 500 }).map((d) => isoDay(Date.now() + d * DAY));

/** Realistic values by field name: catalog codes, organizations, records of the demo. */
function hinted(name: string): fc.Arbitrary<unknown> | undefined {
  switch (name) {
    case 'robot_model': return fc.constantFrom(...ROBOT_MODELS.map((m) => m.code));
    case 'scenario_class': return fc.constantFrom(...SCENARIO_CLASSES.map((c) => c.code));
    case 'organization_ref': return fc.constantFrom(...pools.organizations, 'ENT-001', 'ORG-A', 'ORG-B', 'NOPE');
    case 'deployment_ref': return fc.constantFrom(...pools.deployments, 'NOPE');
    case 'frequency_model_id': case 'severity_model_id': return fc.constantFrom(...pools.ids.models, 999);
    case 'ruleset_id': return fc.constantFrom(...pools.ids.rulesets, 999);
    case 'start': case 'end': case 'from': case 'to': return dates;
    default: return undefined;
  }
}

/** A value of a JSON Schema (mostly valid: bounded numbers, pattern-matching strings, required fields). */
function valueOf(schema: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const hint = hinted(name);
  if (hint) return hint;
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueOf(a, name, depth + 1)));
  if (s.allOf) return fc.tuple(...s.allOf.map((a) => valueOf(a, name, depth + 1))).map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === 'object')));
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => valueOf({ ...s, type: t }, name, depth + 1)));
  switch (type[0]) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'integer': case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (type[0] === 'integer' ? 1 : 1e-9) : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (type[0] === 'integer' ? 1 : 1e-9) : Math.max(min + 1, 1e6));
      return type[0] === 'integer'
        ? fc.integer({ min: Math.max(Math.ceil(min), -(2 ** 31)), max: Math.min(Math.floor(max), 2 ** 31) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string': {
      if (s.format === 'date-time') return dates.map((d) => `${d}T00:00:00Z`);
      if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return dates;
      const max = Math.min(s.maxLength ?? 40, 40);
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern), { maxLength: max }).filter((x) => x.length >= (s.minLength ?? 0) && x.length <= (s.maxLength ?? Infinity));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.max(max, s.minLength ?? 0), unit: 'grapheme' });
    }
    case 'array': {
      const items = s.items ?? {};
      return fc.array(valueOf(items, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    }
    case 'object': {
      if (depth > 6) return fc.constant({});
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) shape[k] = valueOf(v, k, depth + 1);
      const rec = fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) });
      const extra = typeof s.additionalProperties === 'object'
        ? fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), valueOf(s.additionalProperties, '', depth + 1), { maxKeys: 3 })
        : fc.constant({});
      return fc.tuple(rec, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

// --- hostile values ----------------------------------------------------------------------------------

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const deepJson = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const HOSTILE_VALUES: unknown[] = [
  NUL, '\u0000', LONE, '\udfff', '\udc00\ud800', '', ' ', 'x'.repeat(5000), '2025-02-30', '0000-01-01', '2025-13-45', '2025-02-28T25:61:00Z',
  '0x10', '1e1', '01', '+1', '-1', '2147483648', 'NaN', 'Infinity', '__proto__', "'; drop table quotes; --", '深圳', '😀',
  0, -1, 1.5, 2147483647, 2147483648, 4294967296, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324,
  null, true, false, [], {}, [1, 'a'], { a: 1 }, JSON.parse(deepJson(80)),
];
const HOSTILE_PATH = ['0x10', '1e1', '01', '+1', '%201%20', '%2B1', '2147483648', '99999999999', '-1', '0', '1.0', '%ZZ', '%', '%E0%A4%A', '%00', 'a%00b',
  '%ED%A0%80', '%C0%AF', 'a%2Fb', '..', '%2E%2E', 'x'.repeat(3000), 'Q-20260101-0000000G', 'ENT-001%00', '%EF%BC%91'];
const HOSTILE_QUERY = ['%00', 'a%00b', '%ZZ', '%', '%ED%A0%80', '2025-02-30', '0000-01-01', '2025-13-01', '2025-00-00', '2025-02-28T25%3A00%3A00Z', '1e999', '0x10', '-1', '', '%20', 'x'.repeat(3000),
  Buffer.from('id:2147483648').toString('base64url'), Buffer.from('id:-1').toString('base64url'), Buffer.from('id:01').toString('base64url'), 'true', '%5B%5D'];
const CONTENT_TYPES = ['text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=koi8-r',
  'multipart/form-data; boundary=x', '', 'application/x-www-form-urlencoded', 'application/json;;;', 'application/problem+json', 'text/csv', 'application/x-ndjson', '*/*'];
const RAW_BODIES = ['{', '[1,2', '{"a":1,"a":2}', '\ufeff{}', 'null', '"str"', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}',
  '', ' ', 'garbage', '{"a":"\\ud800"}', '{"a\\u0000":1}', deepJson(50_000), '[]', '{}'];
const ACCEPTS = ['text/csv', 'application/pdf', 'text/html', '*/*;q=0', 'application/json;q=0', 'application/xml', 'image/png, */*;q=0.1'];
const IDEMPOTENCY_KEYS = ['short', 'x'.repeat(300), 'fuzz-idempotency-0001', 'fuzz-idempotency-0001', 'with spaces in it', 'ünïcödé-key-1234'];
const AUTHS = ['Bearer short', 'Basic YWRtaW46YWRtaW4=', 'Bearer ', `Bearer ${'x'.repeat(300)}`, 'bearer rr_admin_nonexistentnonexistentnonexistent', 'Token abc'];

type Encoding = 'gzip' | 'gzip-corrupt' | 'gzip-truncated' | 'br' | 'br-garbage' | 'deflate-garbage' | 'zstd' | 'gzip, br' | 'x-zip';
const ENCODINGS: Encoding[] = ['gzip', 'gzip-corrupt', 'gzip-truncated', 'br', 'br-garbage', 'deflate-garbage', 'zstd', 'gzip, br', 'x-zip'];
function encode(e: Encoding, body: Buffer): { header: string; body: Buffer } {
  switch (e) {
    case 'gzip': return { header: 'gzip', body: gzipSync(body) };
    case 'gzip-corrupt': { const g = gzipSync(body); g[g.length >> 1] ^= 0xff; g[10] ^= 0x55; return { header: 'gzip', body: g }; }
    case 'gzip-truncated': { const g = gzipSync(body); return { header: 'gzip', body: g.subarray(0, Math.max(3, g.length >> 1)) }; }
    case 'br': return { header: 'br', body: brotliCompressSync(body) };
    case 'br-garbage': return { header: 'br', body };
    case 'deflate-garbage': return { header: 'deflate', body: Buffer.concat([Buffer.from([0x78, 0x9c, 0xff]), body]) };
    default: return { header: e, body };
  }
}

// --- import bodies ---------------------------------------------------------------------------------

const IMPORT_KINDS = ['deployments', 'exposures', 'incidents'] as const;
type ImportKind = (typeof IMPORT_KINDS)[number];

/** A row of an import file, mostly plausible (real references), some fields hostile. */
function importRow(kind: ImportKind): fc.Arbitrary<Record<string, unknown>> {
  const ref = fc.stringMatching(/^FZ-[A-Z0-9]{1,8}$/);
  const day = fc.integer({ min: -700, max: -30 }).map((d) => isoDay(Date.now() + d * DAY));
  const maybeHostile = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_VALUES.filter((v) => typeof v !== 'object')) });
  switch (kind) {
    case 'deployments': return fc.record({
      deployment_ref: maybeHostile(ref), organization_ref: maybeHostile(fc.constantFrom(...pools.organizations)), province: maybeHostile(fc.constantFrom('Guangdong', '')),
      scenario_class: maybeHostile(fc.constantFrom(...SCENARIO_CLASSES.map((c) => c.code))), robot_model: maybeHostile(fc.constantFrom(...ROBOT_MODELS.map((m) => m.code))),
      units: maybeHostile(fc.integer({ min: 1, max: 50 })), autonomy_level: maybeHostile(fc.constantFrom('supervised', 'autonomous', 'teleoperated')),
      start_date: maybeHostile(day), end_date: maybeHostile(fc.constantFrom('', isoDay(Date.now()))),
    });
    case 'exposures': return fc.record({
      deployment_ref: maybeHostile(fc.constantFrom(...pools.deployments)), period_start: maybeHostile(day), period_end: maybeHostile(day),
      operating_hours: maybeHostile(fc.integer({ min: 0, max: 5000 })), task_cycles: maybeHostile(fc.nat(1e6)), protective_stops: maybeHostile(fc.nat(100)), near_misses: maybeHostile(fc.nat(10)),
    });
    case 'incidents': return fc.record({
      incident_ref: maybeHostile(ref), deployment_ref: maybeHostile(fc.constantFrom(...pools.deployments)), occurred_at: maybeHostile(day.map((d) => `${d}T10:00:00Z`)),
      incident_type: maybeHostile(fc.constantFrom('fall', 'collision_property', 'near_miss')), severity_level: maybeHostile(fc.integer({ min: 0, max: 5 })),
      robot_damage: maybeHostile(fc.nat(100_000)), status: maybeHostile(fc.constantFrom('open', 'closed')), paid: maybeHostile(fc.nat(100_000)),
    });
  }
}

const csvField = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** An import body in one of the three formats, or garbage bytes. */
function importBody(kind: ImportKind): fc.Arbitrary<{ type: string; body: Buffer; mutation: string }> {
  const rows = fc.array(importRow(kind), { minLength: 0, maxLength: 6 });
  return fc.oneof(
    rows.map((rs) => {
      const cols = rs[0] ? Object.keys(rs[0]) : CONTRACT_COLUMNS[kind];
      return { type: 'text/csv', body: Buffer.from([cols.join(','), ...rs.map((r) => cols.map((c) => csvField(r[c])).join(','))].join('\n') + '\n'), mutation: 'import-csv' };
    }),
    rows.map((rs) => ({ type: 'application/x-ndjson', body: Buffer.from(rs.map((r) => JSON.stringify(r)).join('\n')), mutation: 'import-ndjson' })),
    rows.map((rs) => ({ type: 'application/json', body: Buffer.from(JSON.stringify(rs)), mutation: 'import-json' })),
    fc.tuple(fc.constantFrom('text/csv', 'application/x-ndjson', 'application/json'), fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.boolean())
      .map(([type, bytes, withHeader]) => ({
        type,
        body: Buffer.concat([withHeader ? Buffer.from(`${CONTRACT_COLUMNS[kind].join(',')}\n`) : Buffer.alloc(0), Buffer.from(bytes.map((b) => [0x22, 0x2c, 0x0a, 0x0d, 0x00, 0x7b][b % 29] ?? b))]),
        mutation: 'import-garbage',
      })),
    fc.constantFrom(
      { type: 'text/csv', body: Buffer.from(`${CONTRACT_COLUMNS[kind].join(',')},extra\u0000col\n`), mutation: 'import-header-nul' },
      { type: 'text/csv', body: Buffer.from('a,b"c\n"d'), mutation: 'import-csv-quote' },
      { type: 'application/json', body: Buffer.from(deepJson(20_000)), mutation: 'import-deep-json' },
      { type: 'application/json', body: Buffer.from('{"not":"an array"}'), mutation: 'import-json-object' },
    ),
  );
}

// --- leaf mutation of a JSON body ------------------------------------------------------------------

/** Paths of every value in a JSON document (objects and arrays too). */
function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}
function setAt(root: unknown, path: (string | number)[], value: unknown, op: 'set' | 'delete' | 'extra'): unknown {
  if (path.length === 0) return op === 'set' ? value : root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (op === 'set') node[last] = value;
  else if (op === 'delete') { if (Array.isArray(node)) node.splice(Number(last), 1); else delete node[last]; } else if (node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) (node[last] as Record<string, unknown>).unexpected_field = value;
  return copy;
}

// --- building requests -------------------------------------------------------------------------------

function authHeader(role: Role): Record<string, string> {
  return role === 'none' ? {} : { Authorization: `Bearer ${ctx.keys[role]}` };
}

/** A plausible value of a path parameter of `op`. */
function pathValue(op: Operation, p: Parameter): fc.Arbitrary<string> {
  const base = op.path.split('/')[2];
  if (p.name === 'id') {
    const pool = base === 'api-keys' ? [...pools.fuzzKeyIds, 999_999] : pools.ids[base] ?? [1];
    // the keys this test authenticates with are never revoked (every later request would be a 401)
    const any = fc.integer({ min: 1, max: 2_147_483_647 }).filter((n) => base !== 'api-keys' || !ownKeyIds.has(n));
    return fc.oneof(fc.constantFrom(...pool.map(String)), any.map(String));
  }
  if (p.name === 'ref' && base === 'quotes') return fc.constantFrom(...pools.quotes, 'Q-20260101-0A1B2C3D');
  if (p.name === 'ref' && base === 'deployments') return fc.constantFrom(...pools.deployments, 'NOPE');
  if (p.name === 'ref' && base === 'incidents') return fc.constantFrom(...pools.incidents, 'NOPE');
  if (p.name === 'ref') return fc.constantFrom(...pools.organizations, 'NOPE');
  if (p.name === 'code' && base === 'robot-models') return fc.constantFrom(...ROBOT_MODELS.map((m) => m.code), 'NOPE');
  if (p.name === 'code') return fc.constantFrom(...SCENARIO_CLASSES.map((c) => c.code), 'nope.nope');
  return valueOf(p.schema, p.name).map((v) => encodeURIComponent(String(v)));
}

const encodeQueryValue = (v: unknown) => encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v));

/** Every way a request of `op` is generated: a plausible request, then at most one hostile mutation. */
function requestsOf(op: Operation, role: Role): fc.Arbitrary<Req> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(op, p)])) as Record<string, fc.Arbitrary<string>>);
  const queryArb = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueOf(p.schema, p.name).map(encodeQueryValue)])) as Record<string, fc.Arbitrary<string>>, { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  const isImport = op.path === '/v1/imports/{kind}';
  const jsonSchema = op.body?.schema;
  const example = jsonSchema ? (resolve(jsonSchema) as { example?: unknown }).example : undefined;
  const bodyArb: fc.Arbitrary<unknown> = jsonSchema
    ? (example !== undefined ? fc.oneof(fc.constant(example), valueOf(jsonSchema)) : valueOf(jsonSchema))
    : fc.constant(undefined);
  const importArb = isImport ? fc.constantFrom(...IMPORT_KINDS).chain((kind) => importBody(kind).map((b) => ({ kind, ...b }))) : fc.constant(undefined);

  const mutation = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('path' as const), value: fc.constantFrom(...HOSTILE_PATH), which: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('query' as const), value: fc.constantFrom(...HOSTILE_QUERY), which: fc.nat(), dup: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('leaf' as const), value: fc.constantFrom(...HOSTILE_VALUES), which: fc.nat(), op: fc.constantFrom('set' as const, 'set' as const, 'delete' as const, 'extra' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: fc.constantFrom(...RAW_BODIES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('content-type' as const), value: fc.constantFrom(...CONTENT_TYPES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('encoding' as const), value: fc.constantFrom(...ENCODINGS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('accept' as const), value: fc.constantFrom(...ACCEPTS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('auth' as const), value: fc.constantFrom(...AUTHS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('idempotency' as const), value: fc.constantFrom(...IDEMPOTENCY_KEYS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const) }) },
  );

  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, imported: importArb, m: mutation }).map(({ path, query, body, imported, m }): Req => {
    const headers: Record<string, string> = { ...authHeader(role) };
    let label: string = m.kind;
    // path
    const names = Object.keys(path);
    if (m.kind === 'path' && names.length > 0) path[names[m.which % names.length]] = m.value;
    if (isImport && imported && m.kind !== 'path') path.kind = imported.kind;
    let url = op.path.replace(/\{(\w+)\}/g, (_, n: string) => path[n] ?? 'x');
    if (m.kind === 'path' && names.length === 0) url += `/${m.value}`;
    // query
    const q = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${v}`);
    if (m.kind === 'query') {
      const key = queryParams.length > 0 ? queryParams[m.which % queryParams.length].name : 'unexpected';
      q.push(`${key}=${m.value}`);
      if (m.dup) q.push(`${key}=${m.value}`);
      else if (queryParams.length > 0) label = 'query-value';
    }
    if (q.length) url += `?${q.join('&')}`;
    // body
    let bytes: Buffer | undefined;
    if (isImport && imported) {
      headers['Content-Type'] = imported.type;
      bytes = imported.body;
      label = m.kind === 'none' ? imported.mutation : label;
    } else if (op.body || m.kind === 'raw' || m.kind === 'leaf' || m.kind === 'huge') {
      let value: unknown = body ?? {};
      if (m.kind === 'leaf') {
        const paths = pathsOf(value);
        value = setAt(value, paths[m.which % paths.length], m.value, m.op);
        label = `leaf-${m.op}`;
      }
      headers['Content-Type'] = 'application/json';
      bytes = m.kind === 'raw' ? Buffer.from(m.value) : m.kind === 'huge' ? Buffer.from(JSON.stringify({ pad: 'x'.repeat(1_100_000) })) : Buffer.from(JSON.stringify(value));
    }
    if (m.kind === 'content-type') {
      if (m.value === '') delete headers['Content-Type'];
      else headers['Content-Type'] = m.value;
      bytes ??= Buffer.from('{}');
    }
    if (m.kind === 'encoding') {
      const e = encode(m.value, bytes ?? Buffer.from('{}'));
      headers['Content-Encoding'] = e.header;
      bytes = e.body;
      headers['Content-Type'] ??= 'application/json';
      label = `encoding-${m.value}`;
    }
    if (m.kind === 'accept') headers.Accept = m.value;
    if (m.kind === 'auth') headers.Authorization = m.value;
    if (m.kind === 'idempotency') headers['Idempotency-Key'] = m.value;
    return { method: op.method, path: url, headers, body: bytes, mutation: label };
  });
}

// --- the run ----------------------------------------------------------------------------------------

const describeReq = (req: Req, role: Role, status: number) => `${role} ${req.method} ${req.path.slice(0, 200)} [${req.mutation}] → ${status}`;

function check(req: Req, r: RawResponse, op: Operation, role: Role) {
  const where = describeReq(req, role, r.status);
  if (r.status >= 500) failures.push(`${where}: ${r.text.slice(0, 200)}; request headers ${JSON.stringify(req.headers)}, body ${String(req.body ?? '').slice(0, 1500)}`);
  const violation = problemViolation(r);
  if (violation) failures.push(`${where}: not a problem (${violation})`);
  if (r.status < 400 && !op.roles.includes(role)) failures.push(`${where}: a role outside ${op.roles.join(',')} succeeded`);
  // a hostile path value never names a record by id, nor anything once percent-decoded (spaces, NUL, slashes…)
  if (r.status < 400 && req.mutation === 'path' && (op.path.includes('{id}') || /%(?!EF%BC%91)/.test(req.path.split('?')[0]))) failures.push(`${where}: a hostile path parameter resolved`);
}

describe('schema-driven fuzz of /openapi.json', () => {
  it('every operation × every role × hostile input: no 5xx, problem+json 4xx with numeric status, no write on a rejected request', async () => {
    started = Date.now();
    ownKeyIds = new Set((await ctx.db('api_keys').select('id')).map((r: { id: number }) => r.id));
    // a few quotes, so that quote references reach records
    for (let i = 0; i < 2; i++) {
      const example = (resolve(doc.components.schemas.QuoteRequest) as { example: unknown }).example;
      await rawRequest(ctx.baseUrl, 'POST', '/v1/quotes', { ...authHeader('enterprise'), 'Content-Type': 'application/json' }, JSON.stringify(example));
    }
    const ops = operationsOf(doc);
    // The fingerprint is taken around every request that may write; GETs (which never write)
    // are checked in runs: the state before the next write, or at the end, must be unchanged.
    let state = await fingerprint();
    let gets: string[] = [];
    const settleGets = async () => {
      if (gets.length === 0) return;
      const now = await fingerprint();
      if (now !== state) failures.push(`the database changed during these GETs: ${gets.join(' | ')}`);
      state = now;
      gets = [];
    };
    let seed = SEED;
    for (const op of ops) {
      pools = await loadPools();
      for (const role of ROLES) {
        const n = runs(op.roles.includes(role) ? 14 : 3);
        for (const req of fc.sample(requestsOf(op, role), { numRuns: n, seed: seed++ })) {
          if (req.method !== 'GET') await settleGets();
          const r = await rawRequest(ctx.baseUrl, req.method, req.path, req.headers, req.body);
          sent++;
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          mutations.set(req.mutation, (mutations.get(req.mutation) ?? 0) + 1);
          check(req, r, op, role);
          if (req.method === 'GET') {
            gets.push(describeReq(req, role, r.status));
            continue;
          }
          const after = await fingerprint();
          if (r.status >= 400) rejectedWrites++;
          if (r.status >= 400 && after !== state) failures.push(`${describeReq(req, role, r.status)}: the database changed on a rejected request`);
          state = after;
        }
      }
      await settleGets();
    }
    expect(failures.slice(0, 30), `${failures.length} failures`).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  }, 600_000);
});
