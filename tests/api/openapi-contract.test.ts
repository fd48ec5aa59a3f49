/**
 * Contract test of /openapi.json: a scripted tour calls every operation of the published
 * document at least once (with a role allowed to call it) on the demo history, and every 2xx
 * JSON body must validate against the operation's published response schema (Ajv, JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1). The set of operations called must equal the set in the
 * document, so a route without a tour step fails here. The document itself must name every 2xx
 * JSON response schema, describe every field, and never publish a bare `{type: object}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { DEFAULT_SCORECARD_RULESET } from '../../rules/default-scorecard-ruleset.ts';
import { DEFAULT_RULESET } from '../../rules/default-ruleset.ts';

import type { HttpMethod as Method, OpenApiDocument, OpenApiOperation as Operation, OpenApiSchema as Schema } from '../helpers/api-types.ts';

const addFormats = formats.default;

let ctx: TestContext;
let doc: OpenApiDocument;
let ajv: Ajv2020;
const exercised = new Set<string>();
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
  ctx = await startTestApp({}, { demo: true });
  doc = (await request(ctx.baseUrl).get('/openapi.json')).body as OpenApiDocument;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // the whole document as one schema resource: `#/components/schemas/…` refs resolve inside it
  ajv.addSchema(doc, 'openapi.json');
}, 240_000);
afterAll(async () => { await ctx?.close(); });

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => (Object.keys(item) as Method[]).map((m) => `${m.toUpperCase()} ${path}`));
const component = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];

/** Validates a 2xx body against the response schema the document publishes for it. */
function validateResponse(method: Method, path: string, status: number, body: unknown) {
  const key = `${method} ${path} ${status}`;
  const content = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json'];
  expect(content, `${key}: no JSON response documented`).toBeDefined();
  const validate = validators.get(key)
    ?? ajv.compile({ $ref: `openapi.json#/${pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')}` });
  validators.set(key, validate);
  const ok = validate(body);
  expect(ok, `${key}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`).toBe(true);
}

interface Call { key: string; body?: unknown; query?: Record<string, string>; headers?: Record<string, string>; type?: string; expect?: number }

/**
 * Calls an operation of the document (`path` as published, `{param}` filled from `params`),
 * expects a 2xx answer and checks it against the published response.
 */
async function call<T = Record<string, unknown>>(method: Method, path: string, params: Record<string, string | number>, c: Call): Promise<T> {
  exercised.add(`${method.toUpperCase()} ${path}`);
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  let req = request(ctx.baseUrl)[method](url).set(bearer(c.key)).set(c.headers ?? {});
  if (c.query) req = req.query(c.query);
  if (c.type) req = req.set('Content-Type', c.type);
  const res = c.body === undefined ? await req : await req.send(c.body as object);
  const what = `${method.toUpperCase()} ${url}: ${String(res.text ?? '').slice(0, 500)}`;
  expect(res.status, what).toBe(c.expect ?? res.status);
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);
  const type = String(res.headers['content-type'] ?? '');
  const documented = doc.paths[path]?.[method]?.responses[String(res.status)]?.content ?? {};
  if (documented['application/json']) {
    expect(type).toMatch(/^application\/json/);
    validateResponse(method, path, res.status, res.body);
  } else {
    const media = Object.keys(documented);
    expect(media.some((m) => type.startsWith(m)), `${url}: ${type} not among ${media.join(', ')}`).toBe(true);
  }
  return res.body as T;
}

const example = (ref: string) => component(ref).example;
const CSV = {
  deployments: 'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n'
    + 'CT-DEP-1,ORG-C,Zhejiang,manufacturing.assembly,LMD-B300,2,supervised,2025-01-01,\n',
  exposures: 'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses\n'
    + 'CT-DEP-1,2025-01-01,2025-01-31,300,1000,3,0\n',
  incidents: 'incident_ref,deployment_ref,occurred_at,reported_at,incident_type,severity_level,bodily_injury_count,robot_damage,third_party_property_damage,bodily_injury_cost,downtime_hours,business_interruption_cost,status,paid,case_reserve,currency\n'
    + 'CT-INC-1,CT-DEP-1,2025-01-10T10:00:00Z,2025-01-11T09:00:00Z,fall,1,0,1200,0,0,2,0,closed,1200,0,CNY\n',
};

describe('the OpenAPI document', () => {
  it('names every 2xx JSON response schema, describes every field and publishes no bare object', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const walk = (s: Schema, at: string) => {
      if (s.$ref) {
        if (seen.has(s.$ref)) return;
        seen.add(s.$ref);
        const target = component(s.$ref);
        if (!target.description) problems.push(`${s.$ref}: no description`);
        walk(target, s.$ref.replace('#/components/schemas/', ''));
        return;
      }
      const types = ([] as string[]).concat(s.type ?? []);
      const freeForm = s.additionalProperties === undefined || s.additionalProperties === true
        || (typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length === 0);
      if (types.includes('object') && !s.properties && freeForm) problems.push(`${at}: bare object`);
      if (types.includes('object') && !s.properties && !freeForm && !s.description) problems.push(`${at}: map without description`);
      for (const [name, p] of Object.entries(s.properties ?? {})) {
        if (!p.$ref && !p.description) problems.push(`${at}.${name}: no description`);
        walk(p, `${at}.${name}`);
      }
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}{}`);
      if (s.items) walk(s.items, `${at}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf'] as const) s[k]?.forEach((x, i) => walk(x, `${at}|${i}`));
    };
    let named = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as [Method, Operation][]) {
        for (const [status, r] of Object.entries(op.responses)) {
          const schema = r.content?.['application/json']?.schema;
          if (!status.startsWith('2') || !schema) continue;
          if (schema.$ref) named++; else problems.push(`${method} ${path} ${status}: response schema has no name`);
          walk(schema, `${method} ${path} ${status}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(named).toBeGreaterThanOrEqual(43);
  });

  it('every example is valid against its own schema', () => {
    const withExamples = Object.entries(doc.components.schemas).filter(([, s]) => s.example !== undefined);
    expect(withExamples.map(([n]) => n)).toContain('QuoteRequest');
    for (const [name, s] of withExamples) {
      const validate = ajv.compile({ $ref: `openapi.json#/${pointer('components', 'schemas', name)}` });
      expect(validate(s.example), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});

describe('a tour of every operation', () => {
  it('answers every operation of the document as published', async () => {
    const { admin, actuary, underwriter, enterprise, regulator } = ctx.keys;

    // catalog
    await call('get', '/v1/scenario-areas', {}, { key: enterprise });
    await call('get', '/v1/scenario-classes', {}, { key: regulator, query: { area: 'manufacturing' } });
    await call('get', '/v1/scenario-classes/{code}', { code: 'manufacturing.assembly' }, { key: underwriter });
    await call('post', '/v1/scenario-classes', {}, { key: actuary, expect: 201, body: example('ScenarioClass') });
    await call('get', '/v1/robot-models', {}, { key: admin });
    await call('get', '/v1/robot-models/{code}', { code: 'LMD-B300' }, { key: actuary });
    await call('post', '/v1/robot-models', {}, { key: actuary, expect: 201, body: example('RobotModel') });
    await call('get', '/v1/coverages', {}, { key: regulator });

    // organizations and keys
    await call('get', '/v1/organizations', {}, { key: admin });
    await call('get', '/v1/organizations/{ref}', { ref: 'ORG-A' }, { key: enterprise });
    await call('post', '/v1/organizations', {}, { key: admin, expect: 201, body: example('NewOrganization') });
    await call('post', '/v1/api-keys', {}, { key: admin, expect: 201, body: example('NewApiKey') });
    const issued = await call<{ id: number }>('post', '/v1/api-keys', {}, { key: admin, expect: 201, body: { role: 'enterprise', organization_ref: 'ORG-C', label: 'contract test', expires_at: '2099-01-01T00:00:00Z' } });
    await call('get', '/v1/api-keys', {}, { key: admin });
    await call('get', '/v1/me', {}, { key: enterprise });
    await call('get', '/v1/me', {}, { key: regulator });
    await call('delete', '/v1/api-keys/{id}', { id: issued.id }, { key: admin });
    const trail = await call<{ data: unknown[] }>('get', '/v1/audit-events', {}, { key: admin, query: { entity: 'api_key', entity_ref: String(issued.id) } });
    expect(trail.data).toHaveLength(2);

    // imports (CSV of each kind), then the histories
    for (const kind of ['deployments', 'exposures', 'incidents'] as const) {
      await call('post', '/v1/imports/{kind}', { kind }, { key: actuary, type: 'text/csv', body: CSV[kind] });
    }
    const deployments = await call<{ data: { deployment_ref: string }[] }>('get', '/v1/deployments', {}, { key: actuary, query: { limit: '5' } });
    await call('get', '/v1/deployments/{ref}', { ref: 'CT-DEP-1' }, { key: underwriter });
    await call('get', '/v1/deployments/{ref}/exposures', { ref: deployments.data[0].deployment_ref }, { key: actuary });
    await call('get', '/v1/incidents', {}, { key: enterprise, query: { limit: '5' } });
    await call('get', '/v1/incidents/{ref}', { ref: 'CT-INC-1' }, { key: actuary });

    // rule sets and rating plans: the published example plan, with the model versions the demo
    // start fitted and activated (their ids depend on which fits converged)
    const active = await call<{ data: { plan: { coverages: Record<string, unknown> } }[] }>('get', '/v1/rating-plans', {}, { key: underwriter, query: { status: 'active' } });
    const examplePlan = example('RatingPlanRequest') as { coverages: Record<string, unknown> };
    const plan = await call<{ id: number }>('post', '/v1/rating-plans', {}, { key: actuary, expect: 201, body: {
      ...examplePlan, coverages: Object.fromEntries(Object.keys(examplePlan.coverages).map((c) => [c, active.data[0].plan.coverages[c]])),
    } });
    await call('get', '/v1/rating-plans/{id}', { id: plan.id }, { key: actuary });
    const job = await call<{ id: number }>('post', '/v1/rating-plans/{id}/impact', { id: plan.id }, { key: actuary, expect: 202, body: example('ImpactRequest') });
    await call('get', '/v1/impact-jobs/{jobId}', { jobId: job.id }, { key: actuary });
    await call('post', '/v1/rating-plans/{id}/activate', { id: plan.id }, { key: actuary, body: { effective_from: '2099-01-01T00:00:00Z' } });
    await call('post', '/v1/rulesets', {}, { key: actuary, expect: 201, body: example('RulesetUpload') });
    const ruleset = await call<{ id: number }>('post', '/v1/rulesets', {}, { key: actuary, expect: 201, body: { ...DEFAULT_RULESET, name: 'contract-test' } });
    await call('get', '/v1/rulesets', {}, { key: underwriter });
    await call('get', '/v1/rulesets/{id}', { id: ruleset.id }, { key: actuary });
    await call('post', '/v1/rulesets/{id}/activate', { id: ruleset.id }, { key: actuary, body: example('Activation') });

    // quotes: the published example is quoted; a referral is decided; bound, re-rated, printed
    const quoteExample = example('QuoteRequest') as Record<string, unknown>;
    const q = await call<{ ref: string; status: string }>('post', '/v1/quotes', {}, { key: enterprise, expect: 201, body: quoteExample, headers: { 'Idempotency-Key': 'contract-test-0001' } });
    expect(q.status).toBe('quoted');
    await call('post', '/v1/quotes', {}, { key: enterprise, expect: 200, body: quoteExample, headers: { 'Idempotency-Key': 'contract-test-0001' } });
    await call('get', '/v1/quotes', {}, { key: underwriter });
    await call('get', '/v1/quotes/{ref}', { ref: q.ref }, { key: enterprise });
    await call('get', '/v1/quotes/{ref}/worksheet', { ref: q.ref }, { key: enterprise });
    await call('post', '/v1/quotes/{ref}/bind', { ref: q.ref }, { key: underwriter });
    await call('post', '/v1/quotes/{ref}/rerate', { ref: q.ref }, { key: underwriter });
    await call('get', '/v1/quotes/{ref}/pdf', { ref: q.ref }, { key: enterprise });
    const referred = await call<{ ref: string; status: string }>('post', '/v1/quotes', {}, {
      key: underwriter, expect: 201,
      body: { ...quoteExample, organization_ref: 'ORG-B', fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised', operating_hours_per_unit: 3000 }] },
    });
    expect(referred.status).toBe('referred');
    await call('post', '/v1/quotes/{ref}/decision', { ref: referred.ref }, { key: underwriter, body: example('QuoteDecision') });
    await call('get', '/v1/quotes/{ref}/worksheet', { ref: referred.ref }, { key: underwriter });

    // subjectivities, acceptance (the demo plan binds at once), policies and the binder
    const subjectivities = await call<{ id: number; status: string }[]>('get', '/v1/quotes/{ref}/subjectivities', { ref: referred.ref }, { key: underwriter });
    expect(subjectivities.map((x) => x.status)).toEqual(['open']);
    await call('post', '/v1/quotes/{ref}/subjectivities/{id}', { ref: referred.ref, id: subjectivities[0].id }, { key: underwriter, body: example('SubjectivityUpdate') });
    const accepted = await call<{ ref: string }>('post', '/v1/quotes', {}, { key: enterprise, expect: 201, body: quoteExample });
    const bound = await call<{ status: string; policy_number: string }>('post', '/v1/quotes/{ref}/accept', { ref: accepted.ref }, { key: enterprise, body: example('QuoteAcceptance') });
    expect(bound.status).toBe('bound');
    await call('get', '/v1/policies', {}, { key: actuary });
    await call('get', '/v1/policies/{no}', { no: bound.policy_number }, { key: enterprise });
    await call('get', '/v1/policies/{no}/document', { no: bound.policy_number }, { key: underwriter });

    // identified units and mid-term changes (docs/policy-changes.md): the published examples, dated inside the policy
    const policy = await call<{ period: { start: string } }>('get', '/v1/policies/{no}', { no: bound.policy_number }, { key: underwriter });
    await call('post', '/v1/policies/{no}/endorsements', { no: bound.policy_number }, { key: underwriter, expect: 201, body: { ...example('Endorsement') as object, effective_date: policy.period.start } });
    await call('get', '/v1/policies/{no}/changes', { no: bound.policy_number }, { key: enterprise });
    await call('get', '/v1/policies/{no}/claims', { no: bound.policy_number }, { key: enterprise });
    await call('get', '/v1/unit-checks', {}, { key: underwriter, query: { flagged_only: 'true' } });
    await call('post', '/v1/policies/{no}/cancellation', { no: bound.policy_number }, { key: underwriter, body: { ...example('Cancellation') as object, effective_date: policy.period.start } });

    // models: fit (the published examples), list, read both kinds, activate, report
    const frequency = await call<{ id: number }>('post', '/v1/models/frequency', {}, { key: actuary, expect: 201, body: example('FrequencyModelRequest') });
    await call('post', '/v1/models/frequency', {}, {
      key: actuary, expect: 201,
      body: { incident_types: ['fall', 'collision_person'], factors: ['scenario_area', 'near_miss_band'], family: 'negative_binomial' },
    });
    const severity = await call<{ id: number }>('post', '/v1/models/severity', {}, { key: actuary, expect: 201, body: { coverage: 'third_party_liability', threshold: 20_000 } });
    await call('post', '/v1/models/severity', {}, { key: actuary, expect: 201, body: example('SeverityModelRequest') });
    await call('get', '/v1/models', {}, { key: underwriter });
    await call('get', '/v1/models/{id}', { id: frequency.id }, { key: actuary });
    await call('get', '/v1/models/{id}', { id: severity.id }, { key: underwriter });
    await call('post', '/v1/models/{id}/activate', { id: frequency.id }, { key: actuary });
    await call('get', '/v1/models/{id}/report.pdf', { id: severity.id }, { key: actuary });

    // statistics (JSON, every dimension once) and the report
    await call('get', '/v1/statistics/incident-rates', {}, { key: regulator, query: { group_by: 'scenario_area,incident_type,severity_level' } });
    await call('get', '/v1/statistics/incident-rates', {}, { key: regulator, query: { group_by: 'scenario_class,period', period_unit: 'quarter' } });
    await call('get', '/v1/statistics/incident-rates', {}, { key: actuary, query: { group_by: '' } });
    await call('get', '/v1/statistics/severity', {}, { key: regulator, query: { coverage: 'robot_damage', group_by: 'scenario_area,period', period_unit: 'year' } });
    await call('get', '/v1/statistics/loss-ratios', {}, { key: regulator });
    await call('get', '/v1/statistics/report.pdf', {}, { key: regulator, query: { creation_date: '2026-01-01T00:00:00Z' } });

    // the validation scorecard: every view, a rule set version put in force
    await call('get', '/v1/scorecards', {}, { key: actuary, query: { by_software_version: 'true' } });
    await call('get', '/v1/scorecards', {}, { key: regulator, query: { level: 'scenario_area' } });
    await call('get', '/v1/scorecards', {}, { key: enterprise });
    await call('get', '/v1/scorecards/report.pdf', {}, { key: regulator, query: { creation_date: '2026-01-01T00:00:00Z' } });
    const scorecardRules = await call<{ id: number }>('post', '/v1/scorecard-rulesets', {}, { key: actuary, expect: 201, body: { ...DEFAULT_SCORECARD_RULESET, name: 'contract-test' } });
    await call('post', '/v1/scorecard-rulesets/{id}/activate', { id: scorecardRules.id }, { key: actuary });

    // pay-per-use billing (docs/policy-statements.md): a policy backdated to last month, its line
    // linked to ORG-C's CT-DEP-1, a usage declaration, the statements
    const prev = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1));
    const ppuStart = prev.toISOString().slice(0, 10);
    const ppuEnd = new Date(Date.UTC(prev.getUTCFullYear() + 1, prev.getUTCMonth(), 0)).toISOString().slice(0, 10);
    const ppu = await call<{ ref: string; status: string }>('post', '/v1/quotes', {}, { key: underwriter, expect: 201, body: {
      ...quoteExample, basis: 'pay_per_use', organization_ref: 'ORG-C', period: { start: ppuStart, end: ppuEnd }, backdating: { reason: 'contract test: cover since last month' },
    } });
    if (ppu.status === 'referred') await call('post', '/v1/quotes/{ref}/decision', { ref: ppu.ref }, { key: underwriter, body: example('QuoteDecision') });
    await call('post', '/v1/quotes/{ref}/bind', { ref: ppu.ref }, { key: underwriter });
    const ppuNo = (await call<{ policy_number: string }>('get', '/v1/quotes/{ref}', { ref: ppu.ref }, { key: underwriter })).policy_number;
    const month = ppuStart.slice(0, 7);
    await call('put', '/v1/policies/{no}/lines/{line}/deployments', { no: ppuNo, line: 1 }, { key: underwriter, body: { deployment_refs: ['CT-DEP-1'] } });
    await call('get', '/v1/policies/{no}/lines', { no: ppuNo }, { key: actuary });
    await call('post', '/v1/policies/{no}/usage', { no: ppuNo }, { key: underwriter, expect: 201, body: { ...(example('UsageDeclaration') as object), month, deployment_ref: 'CT-DEP-1' } });
    // a pay-per-use endorsement mid-month (issue 14 item 6): the month's statement is split at its date
    await call('post', '/v1/policies/{no}/endorsements', { no: ppuNo }, { key: underwriter, expect: 201, body: { ...example('Endorsement') as object, effective_date: `${month}-15` } });
    await call('get', '/v1/policies/{no}/statements', { no: ppuNo }, { key: underwriter });
    await call('get', '/v1/policies/{no}/statements/{month}', { no: ppuNo, month }, { key: underwriter });
    await call('get', '/v1/policies/{no}/statements/{month}/pdf', { no: ppuNo, month }, { key: underwriter, query: { creation_date: '2026-01-01T00:00:00Z' } });

    expect([...exercised].sort()).toEqual(operations().sort());
  }, 240_000);
});
