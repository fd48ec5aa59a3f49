/**
 * Quotes (docs/actuarial-method.md §8, docs/architecture.md §6): gather the rating inputs, price,
 * store the worksheet and the versions used; idempotency by key; the decision of a referral.
 * Acceptance, binding and policies: services/policies.ts (docs/policy-lifecycle.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/quotes.ts';
import * as modeling from '../db/repositories/modeling.ts';
import { getModelVersions } from '../db/repositories/model-versions.ts';
import { getVersion } from '../db/repositories/versioned.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { getRobotModel, getScenarioClass } from '../db/repositories/catalog.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import * as subjectivityRepo from '../db/repositories/subjectivities.ts';
import { getPolicyByQuoteId } from '../db/repositories/policies.ts';
import type { Ruleset } from '../rules/types.ts';
import { canonicalJson } from '../reports/canonical-json.ts';
import { addDays, dayOf } from '../domain/calendar.ts';
import { classVerdicts, scorecardRulesetInForce } from './scorecard.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, INCIDENT_TYPES, type CoverageCode, type Principal, type QuoteStatus, type SeverityFamily, type SubjectivityDeadline } from '../domain/index.ts';
import type { FrequencyModelRequest, QuoteDecision, QuoteRequest, RatingPlanRequest } from '../domain/schemas/index.ts';
import {
  PRICING_ENGINE, rate, type CredibilityInput, type FrequencyModelSnapshot, type RatingInputs, type RatingResult,
  type SeverityModelName, type SeverityModelSnapshot,
} from './pricing.ts';
import { decodeCursor } from './pagination.ts';
import type { DisclosureRules } from './disclosure.ts';
import { worksheetFor, type FullWorksheetView, type StoredWorksheet, type WorksheetView } from './worksheet-view.ts';
import { page } from './organizations.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newRef = () => `Q-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex').toUpperCase()}`;

const CLAIM_TYPES = INCIDENT_TYPES.filter((t) => t !== 'near_miss');

async function organizationFor(db: Db, p: Principal, request: QuoteRequest) {
  if (p.role === 'enterprise') {
    if (request.organization_ref && request.organization_ref !== p.organizationRef) {
      throw appError('FORBIDDEN', 'an enterprise key quotes for its own organization only');
    }
    return { id: p.organizationId!, ref: p.organizationRef! };
  }
  if (!request.organization_ref) {
    throw appError('VALIDATION_FAILED', 'an underwriter quotes on behalf of an organization: give organization_ref', { errors: [{ field: 'organization_ref', message: 'required for role underwriter' }] });
  }
  const org = await getOrganizationByRef(db, request.organization_ref);
  if (!org) throw appError('UNKNOWN_REFERENCE', `organization '${request.organization_ref}' not found`, { errors: [{ field: 'organization_ref', message: 'unknown organization' }] });
  return { id: org.id, ref: org.ref };
}

function frequencySnapshot(m: { id: number; spec: Record<string, unknown>; result: Record<string, unknown> }): FrequencyModelSnapshot {
  const r = m.result as { theta: number | null; terms: { factor: string | null; level: string | null; estimate: number }[]; base_levels: Record<string, string> };
  const spec = m.spec as FrequencyModelRequest;
  return {
    id: m.id, family: spec.family, theta: r.theta, factors: spec.factors,
    terms: r.terms.map((t) => ({ factor: t.factor, level: t.level, estimate: t.estimate })), base_levels: r.base_levels,
  };
}

function severitySnapshot(m: { id: number; result: Record<string, unknown> }): SeverityModelSnapshot {
  const best = (m.result as { best: { distribution: SeverityModelName; params: Record<string, number>; body?: SeverityFamily } | null }).best;
  if (!best) throw appError('CONFLICT', `severity model ${m.id} has no successful fit`);
  return { id: m.id, distribution: best.distribution, params: best.params, ...(best.body ? { body: best.body } : {}) };
}

type MonthCell = { organizationId: number; month: string; incidents: number; hours: number };
type ClassExperienceRow = Awaited<ReturnType<typeof modeling.experienceByClass>>[number];
type PlanRow = { id: number; name: string; version: number; body: RatingPlanRequest };
type RulesetRow = { id: number; name: string; version: number; body: Ruleset };
type ModelRow = Awaited<ReturnType<typeof getModelVersions>>[number];
type ClassRow = NonNullable<Awaited<ReturnType<typeof getScenarioClass>>>;
type RobotRow = NonNullable<Awaited<ReturnType<typeof getRobotModel>>>;

/**
 * In-process caches of the rating inputs, per database handle. The API stays stateless: what is
 * cached is either immutable once created (rating plan, rule set and model versions, looked up
 * by id — a change is a new version with a new id) or valid only while a counter in the database
 * is unchanged (catalog rows by code; experience and credibility inputs), and the counters are
 * read on every quote (`modeling.ratingContext`, bumped by triggers, migration
 * 20261123000500_cache_versions). Entries are promises so that concurrent misses share one
 * query; a failed query is not cached. Cached values are deep-frozen: rating never mutates them.
 */
interface QuoteCaches {
  plans: Map<number, Promise<PlanRow | undefined>>;
  rulesets: Map<number, Promise<RulesetRow | undefined>>;
  models: Map<number, ModelRow>;
  catalogVersion: number;
  classes: Map<string, Promise<ClassRow | undefined>>;
  robots: Map<string, Promise<RobotRow | undefined>>;
  historyVersion: number;
  experience: Map<string, Promise<ClassExperienceRow[]>>;
  months: Map<string, Promise<MonthCell[]>>;
  /** Scorecard verdicts per `<scorecard rule set id>|<class>` (valid while the history is unchanged). */
  verdicts: Map<string, Promise<Record<string, string>>>;
}

const cachesByDb = new WeakMap<Db, QuoteCaches>();
/** Bound on the entries of each version-keyed cache (organizations × class sets, classes × coverages). */
const MAX_ENTRIES = 5000;

function cachesFor(db: Db, ctx: modeling.RatingContext): QuoteCaches {
  let c = cachesByDb.get(db);
  if (!c) {
    c = { plans: new Map(), rulesets: new Map(), models: new Map(), catalogVersion: ctx.catalogVersion, classes: new Map(), robots: new Map(), historyVersion: ctx.historyVersion, experience: new Map(), months: new Map(), verdicts: new Map() };
    cachesByDb.set(db, c);
  }
  if (c.catalogVersion !== ctx.catalogVersion) {
    c.catalogVersion = ctx.catalogVersion;
    c.classes = new Map();
    c.robots = new Map();
  }
  if (c.historyVersion !== ctx.historyVersion) {
    c.historyVersion = ctx.historyVersion;
    c.experience = new Map();
    c.months = new Map();
    c.verdicts = new Map();
  }
  return c;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as Record<string, unknown>)) deepFreeze(x);
  }
  return v;
}

/** The cached value of `key`, else `load()` (stored while it is pending; dropped if it fails). */
function cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let p = map.get(key);
  if (!p) {
    if (map.size >= MAX_ENTRIES) map.clear();
    p = load().then(deepFreeze);
    map.set(key, p);
    p.catch(() => { if (map.get(key) === p) map.delete(key); });
  }
  return p;
}

/** Monthly Bühlmann–Straub input for one class and coverage, with the organization's row. */
function credibilityInput(cells: readonly MonthCell[], orgId: number): CredibilityInput {
  const orgs = [...new Set(cells.map((c) => c.organizationId))];
  const months = [...new Set(cells.map((c) => c.month))].sort();
  const ratios = orgs.map((): (number | null)[] => months.map(() => null));
  const weights = orgs.map(() => months.map(() => 0));
  for (const c of cells) {
    const i = orgs.indexOf(c.organizationId);
    const j = months.indexOf(c.month);
    if (c.hours > 0) { ratios[i][j] = (c.incidents * 1000) / c.hours; weights[i][j] = c.hours; }
  }
  return { ratios, weights, row: orgs.indexOf(orgId) };
}

/** Model versions by id: immutable once created (activation changes only their status). */
async function modelVersionsById(db: Db, caches: QuoteCaches, ids: number[]): Promise<Map<number, ModelRow>> {
  const missing = [...new Set(ids)].filter((id) => !caches.models.has(id));
  if (missing.length) for (const m of await getModelVersions(db, missing)) caches.models.set(m.id, deepFreeze(m));
  return new Map(ids.filter((id) => caches.models.has(id)).map((id) => [id, caches.models.get(id) as ModelRow]));
}

/**
 * Gathers every input of the price (catalog, experience, plan, models, rules). On a warm cache
 * this is one round trip (`modeling.ratingContext`); the values are the same as the queries'.
 */
async function gatherInputs(db: Db, org: { id: number; ref: string }, request: QuoteRequest, now: Date): Promise<RatingInputs> {
  const ctx = await modeling.ratingContext(db, now);
  if (ctx.planId === null) throw appError('CONFLICT', 'no rating plan is in force: an actuary must activate one');
  const caches = cachesFor(db, ctx);
  const planId = ctx.planId;
  const plan = await cached(caches.plans, planId, async () => {
    const r = await getVersion(db, 'rating_plans', planId);
    return r && { id: r.id, name: r.name, version: r.version, body: r.body as RatingPlanRequest };
  });
  if (!plan) throw appError('CONFLICT', 'no rating plan is in force: an actuary must activate one');
  const body = plan.body;
  const errors: { field: string; message: string }[] = [];
  const scenario_classes: RatingInputs['scenario_classes'] = {};
  const robot_models: RatingInputs['robot_models'] = {};
  const lookups = request.fleet.map((line) => Promise.all([
    cached(caches.classes, line.scenario_class, () => getScenarioClass(db, line.scenario_class)),
    cached(caches.robots, line.robot_model, () => getRobotModel(db, line.robot_model)),
  ]));
  for (const [i, line] of request.fleet.entries()) {
    const [sc, rm] = await lookups[i];
    if (!sc) errors.push({ field: `fleet.${i}.scenario_class`, message: `unknown scenario class '${line.scenario_class}'` });
    else scenario_classes[sc.code] = { code: sc.code, area: sc.area, human_proximity: sc.human_proximity, environment: sc.environment, vulnerable_people: sc.vulnerable_people };
    if (!rm) errors.push({ field: `fleet.${i}.robot_model`, message: `unknown robot model '${line.robot_model}'` });
    else robot_models[rm.code] = { code: rm.code, form_factor: rm.form_factor, mass_kg: rm.mass_kg, payload_kg: rm.payload_kg, max_speed_mps: rm.max_speed_mps, replacement_value: rm.replacement_value, certifications: { ...rm.certifications } };
  }
  for (const [i, c] of request.coverages.entries()) {
    if (!body.coverages[c.coverage]) errors.push({ field: `coverages.${i}.coverage`, message: `not priced by rating plan ${plan.name} v${plan.version}` });
  }
  if (errors.length) throw appError('VALIDATION_FAILED', `the request cannot be rated: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { errors });

  const classes = Object.keys(scenario_classes);
  // every coverage of the request is priced by the plan (checked above)
  const planned = (c: CoverageCode) => body.coverages[c]!;
  const rulesetP = cached(caches.rulesets, body.ruleset_id, async () => {
    const r = await getVersion(db, 'rulesets', body.ruleset_id);
    return r && { id: r.id, name: r.name, version: r.version, body: r.body as Ruleset };
  });
  const ids = request.coverages.flatMap((c) => [planned(c.coverage).frequency_model_id, planned(c.coverage).severity_model_id]);
  const modelsP = modelVersionsById(db, caches, ids);
  const expP = cached(caches.experience, `${org.id}|${classes.join('\u0000')}`, () => modeling.experienceByClass(db, org.id, classes, { incidentTypes: CLAIM_TYPES }));
  const monthsP = body.experience_credibility
    ? request.coverages.map((c) => classes.map((cls) => cached(caches.months, `${cls}\u0000${c.coverage}`, () => modeling.organizationMonths(db, cls, { coverage: c.coverage }, {}))))
    : [];
  // the scorecard verdict of each line's robot model × class (docs/actuarial-method.md §10)
  const verdictsP = scorecardRulesetInForce(db, now).then(({ ref, ruleset }) =>
    Promise.all(classes.map((cls) => cached(caches.verdicts, `${ref.id ?? 'default'}|${cls}`, () => classVerdicts(db, cls, ruleset)))));
  const [rs, byId, exp, months, verdicts] = await Promise.all([rulesetP, modelsP, expP, Promise.all(monthsP.map((p) => Promise.all(p))), verdictsP]);
  const scorecard_verdicts: Record<string, string | null> = {};
  for (const line of request.fleet) {
    scorecard_verdicts[`${line.robot_model}|${line.scenario_class}`] = verdicts[classes.indexOf(line.scenario_class)][line.robot_model] ?? null;
  }
  if (!rs) throw appError('CONFLICT', `rule set ${body.ruleset_id} of the rating plan is missing`);
  const models: RatingInputs['models'] = {};
  for (const c of request.coverages) {
    const ref = planned(c.coverage);
    models[c.coverage] = { frequency: frequencySnapshot(byId.get(ref.frequency_model_id)!), severity: severitySnapshot(byId.get(ref.severity_model_id)!) };
  }
  const experience: RatingInputs['experience'] = Object.fromEntries(classes.map((c) => {
    const e = exp.find((x) => x.scenario_class === c);
    if (!e) return [c, null];
    const { scenario_class: _cls, ...rest } = e;
    return [c, rest];
  }));
  const credibility: RatingInputs['credibility'] = {};
  if (body.experience_credibility) {
    request.coverages.forEach((c, ci) => {
      credibility[c.coverage] = Object.fromEntries(classes.map((cls, k) => [cls, credibilityInput(months[ci][k], org.id)]));
    });
  }
  return {
    request, organization_ref: org.ref, scenario_classes, robot_models, experience, credibility,
    plan: { id: plan.id, name: plan.name, version: plan.version, body },
    ruleset: { id: rs.id, name: rs.name, version: rs.version, body: rs.body },
    models,
    scorecard_verdicts,
  };
}

const versionsOf = (inputs: RatingInputs) => ({
  pricing_engine: PRICING_ENGINE,
  rating_plan: { id: inputs.plan.id, name: inputs.plan.name, version: inputs.plan.version },
  ruleset: { id: inputs.ruleset.id, name: inputs.ruleset.name, version: inputs.ruleset.version },
  models: Object.fromEntries(Object.entries(inputs.models).map(([c, m]) => [c, { frequency: m.frequency.id, severity: m.severity.id }])),
});

export type QuoteVersions = ReturnType<typeof versionsOf>;

/** The status a quote shows at `now`: quoted, referred or accepted past its validity is expired (docs/policy-lifecycle.md §2). */
export const statusOf = (q: repo.QuoteRow, now: Date): QuoteStatus =>
  ((q.status === 'quoted' || q.status === 'referred' || q.status === 'accepted') && q.valid_until <= now ? 'expired' : q.status);

/** What a quote's view adds to the stored row: its subjectivities and, once bound, its policy number. */
export interface QuoteExtras {
  subjectivities: readonly subjectivityRepo.SubjectivityRow[];
  policyNumber: string | null;
}

/**
 * A stored quote (its result, request and versions are what createQuote stored). `decision` is
 * the current underwriting decision (the column: the rules', or an underwriter's on a referral),
 * `rules_decision` the rules' (of the result); docs/policy-lifecycle.md §1.
 */
function view(q: repo.QuoteRow, now: Date, extras: QuoteExtras) {
  const result = q.result as RatingResult;
  return {
    ref: q.ref, organization_ref: q.organization_ref, status: statusOf(q, now),
    ...result,
    decision: q.decision, rules_decision: result.decision,
    subjectivities: extras.subjectivities.map((x) => x.text),
    subjectivity_details: extras.subjectivities.map(subjectivityView),
    request: q.request as QuoteRequest, versions: q.versions as QuoteVersions, valid_until: q.valid_until, decision_note: q.decision_note,
    created_at: q.created_at, decided_at: q.decided_at, accepted_at: q.accepted_at, bound_at: q.bound_at, policy_number: extras.policyNumber,
  };
}
export type QuoteView = ReturnType<typeof view>;

/** The API view of one subjectivity (docs/policy-lifecycle.md §3). */
export const subjectivityView = (x: subjectivityRepo.SubjectivityRow) => ({
  id: x.seq, text: x.text, source: x.source, required_before: x.required_before, status: x.status,
  actor: x.actor, at: x.at, note: x.note, evidence_note: x.evidence_note, evidence_by: x.evidence_by, evidence_at: x.evidence_at,
  created_at: x.created_at,
});
export type SubjectivityView = ReturnType<typeof subjectivityView>;

/** The view of a stored quote with its subjectivities and policy number read from the database. */
export async function quoteView(db: Db, q: repo.QuoteRow, now: Date): Promise<QuoteView> {
  const [subjectivities, policy] = await Promise.all([
    subjectivityRepo.listSubjectivities(db, q.id),
    q.status === 'bound' ? getPolicyByQuoteId(db, q.id) : Promise.resolve(undefined),
  ]);
  return view(q, now, { subjectivities, policyNumber: policy?.policy_number ?? null });
}

/** The deadline of each of the rules' subjectivities: the earliest any fired `require` rule gives it (default bind). */
function rulesSubjectivities(result: RatingResult, fired: readonly { event_type: string; params: Record<string, unknown> }[]): subjectivityRepo.NewSubjectivityRow[] {
  const order: SubjectivityDeadline[] = ['bind', 'inception', 'none'];
  const deadline = new Map<string, SubjectivityDeadline>();
  for (const f of fired) {
    if (f.event_type !== 'require' || typeof f.params.text !== 'string') continue;
    const d = (f.params.required_before as SubjectivityDeadline | undefined) ?? 'bind';
    const prev = deadline.get(f.params.text);
    if (prev === undefined || order.indexOf(d) < order.indexOf(prev)) deadline.set(f.params.text, d);
  }
  return result.subjectivities.map((text) => ({ text, source: 'rules' as const, required_before: deadline.get(text) ?? 'bind' }));
}

/**
 * A quote covers a period that starts today or later, and within a year: a period in the past
 * would sell cover for losses that may already be known. An underwriter may backdate explicitly
 * (`backdating.reason`, kept in the request, the worksheet and the audit trail); nobody else can.
 * Throws VALIDATION_FAILED naming the field.
 */
function checkPolicyPeriod(p: Principal, request: QuoteRequest, now: Date): void {
  const today = dayOf(now);
  const latest = addDays(today, 365);
  const fail = (field: string, message: string) => { throw appError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] }); };
  if (request.backdating && p.role !== 'underwriter') fail('backdating', 'only an underwriter may backdate cover');
  if (request.period.start < today && !request.backdating) fail('period.start', `cover cannot start before today (${today}); an underwriter may backdate it with backdating.reason`);
  if (request.backdating && request.period.start >= today) fail('backdating', `the period does not start before today (${today}): nothing to backdate`);
  if (request.period.start > latest) fail('period.start', `cover must start within a year (by ${latest})`);
}

export async function createQuote(db: Db, p: Principal, request: QuoteRequest, idempotencyKey: string | undefined, now = new Date()) {
  checkPolicyPeriod(p, request, now);
  const org = await organizationFor(db, p, request);
  const hash = sha256(canonicalJson({ ...request, organization_ref: org.ref }));
  if (idempotencyKey) {
    const prior = await repo.findByIdempotencyKey(db, org.id, idempotencyKey);
    if (prior) return replay(db, prior, hash, now);
  }
  const inputs = await gatherInputs(db, org, request, now);
  const { result, worksheet } = rate(inputs);
  const validDays = inputs.plan.body.quote_validity_days;
  const subjectivities = rulesSubjectivities(result, worksheet.rules.fired as unknown as { event_type: string; params: Record<string, unknown> }[]);
  const row = await repo.insertQuoteAudited(db, {
    ref: newRef(), organization_id: org.id, request: { ...request, organization_ref: org.ref }, request_hash: hash,
    idempotency_key: idempotencyKey ?? null, decision: result.decision, status: result.decision,
    gross_premium: result.premium.total.gross_premium, result, worksheet: { quote_request_hash: hash, ...worksheet },
    versions: versionsOf(inputs), valid_until: new Date(now.getTime() + validDays * 86_400_000), created_by: actorOf(p),
  }, org.ref, {
    actor: actorOf(p),
    after: {
      status: result.decision, gross_premium: result.premium.total.gross_premium, ...(request.backdating ? { backdated_from: request.period.start, backdating_reason: request.backdating.reason } : {}),
      ...(subjectivities.length ? { subjectivities } : {}),
    },
  }, subjectivities);
  if (!row) {
    // a concurrent request with the same key won the race: answer with its quote
    const prior = await repo.findByIdempotencyKey(db, org.id, idempotencyKey!);
    return replay(db, prior!, hash, now);
  }
  const created = subjectivities.map((x, i): subjectivityRepo.SubjectivityRow => ({
    quote_id: row.id, seq: i + 1, ...x, status: 'open', actor: null, at: null, note: null,
    evidence_note: null, evidence_by: null, evidence_at: null, created_by: row.created_by, created_at: row.created_at,
  }));
  return { created: true, quote: view(row, now, { subjectivities: created, policyNumber: null }) };
}

async function replay(db: Db, prior: repo.QuoteRow, hash: string, now: Date) {
  if (prior.request_hash !== hash) {
    throw appError('VALIDATION_FAILED', 'this Idempotency-Key was used with a different request body', { errors: [{ field: 'Idempotency-Key', message: `already used for quote ${prior.ref} with another body` }] });
  }
  return { created: false, quote: await quoteView(db, prior, now) };
}

/** The organization an enterprise key is confined to; null (every organization) for insurer roles. */
export const scopeId = (p: Principal) => (p.role === 'enterprise' ? p.organizationId : null);

/** The stored quote `ref` as `p` may see it: another organization's quote is NOT_FOUND, like an unknown one. */
export async function findQuote(db: Db, p: Principal, ref: string) {
  const q = await repo.getQuote(db, ref, scopeId(p));
  if (!q) throw notFound('quote', ref);
  return q;
}

export async function getQuote(db: Db, p: Principal, ref: string, now = new Date()) {
  return quoteView(db, await findQuote(db, p, ref), now);
}

/**
 * The worksheet of a quote as `p` may see it (services/worksheet-view.ts): whole for underwriters
 * and actuaries; an enterprise gets its own inputs and the resulting factors, with class-level
 * figures only where `disclosure` lets them out (docs/architecture.md §6).
 */
export async function getWorksheet(db: Db, p: Principal, ref: string, disclosure: DisclosureRules): Promise<WorksheetView> {
  const q = await findQuote(db, p, ref);
  const stored: FullWorksheetView = { ref: q.ref, ...(await repo.getWorksheet(db, q.id) as StoredWorksheet) };
  return worksheetFor(stored, p, disclosure);
}

export async function listQuotes(db: Db, p: Principal, f: { status?: QuoteStatus; cursor?: string; limit: number }, now = new Date()) {
  await repo.expireQuotes(db, now);
  const rows = await repo.listQuotes(db, { organizationId: scopeId(p), status: f.status, afterId: decodeCursor(f.cursor), limit: f.limit + 1 });
  return page(rows, f.limit, (r) => ({
    ref: r.ref, organization_ref: r.organization_ref, status: statusOf(r, now), decision: r.decision, gross_premium: r.gross_premium, valid_until: r.valid_until, created_at: r.created_at,
  }));
}

/** Throws CONFLICT naming the quote's current status (read afresh: a concurrent call may have moved it). */
export async function stateError(db: Db, q: repo.QuoteRow, action: string, now: Date): Promise<never> {
  const fresh = (await repo.getQuote(db, q.ref, null))!;
  const status = statusOf(fresh, now);
  throw appError('CONFLICT', `quote ${q.ref} is ${status}: it cannot be ${action}`, { extra: { quote_status: status } });
}

/**
 * An underwriter's decision on a referred quote: `decision` becomes the underwriter's, the rules'
 * stays `rules_decision`; a `quoted` decision may impose subjectivities (docs/policy-lifecycle.md §2–3).
 */
export async function decideQuote(db: Db, p: Principal, ref: string, d: QuoteDecision, now = new Date()) {
  const q = await findQuote(db, p, ref);
  const actor = actorOf(p);
  const ok = await db.transaction(async (trx) => {
    const moved = await repo.transition(trx, q.id, ['referred'], { status: d.decision, decision: d.decision, decision_note: d.note, decided_at: now, decided_by: actor }, now);
    if (!moved) return false;
    await recordAudit(trx, { actor, action: 'quote.decide', entity: 'quote', entity_ref: ref, before: { status: 'referred', decision: q.decision }, after: { status: d.decision, decision: d.decision, note: d.note } });
    const added = await subjectivityRepo.appendSubjectivities(trx, q.id, (d.subjectivities ?? []).map((x) => ({ ...x, source: 'underwriter' as const })), actor, now);
    for (const x of added) {
      await recordAudit(trx, { actor, action: 'subjectivity.create', entity: 'quote_subjectivity', entity_ref: `${ref}/${x.seq}`, after: { text: x.text, required_before: x.required_before, source: x.source } });
    }
    return true;
  });
  if (!ok) await stateError(db, q, `decided (only a referred, unexpired quote can be)`, now);
  return getQuote(db, p, ref, now);
}

/** Re-prices the stored inputs with the stored versions: the same premium to the cent. */
export async function rerateQuote(db: Db, p: Principal, ref: string) {
  const q = await findQuote(db, p, ref);
  const ws = (await repo.getWorksheet(db, q.id)) as { inputs: RatingInputs };
  const { result } = rate(ws.inputs);
  const stored = q.result as RatingResult;
  const original = stored.premium.total.gross_premium;
  return {
    ref: q.ref,
    versions: q.versions as QuoteVersions,
    original_gross_premium: original,
    rerated_gross_premium: result.premium.total.gross_premium,
    identical: original === result.premium.total.gross_premium && canonicalJson(stored.premium) === canonicalJson(result.premium),
    premium: result.premium,
  };
}

/**
 * The plan-dependent rating inputs of a rating plan version (any status: a candidate too): the
 * plan, its rule set and a snapshot of every coverage's models, as `gatherInputs` would store
 * them. Used by whole-book re-rating (services/impact.ts), which keeps each stored quote's
 * request, catalog rows and experience and swaps in these.
 * @throws NOT_FOUND for an unknown plan; CONFLICT when its rule set or a model is missing.
 */
export async function planRatingInputs(db: Db, planId: number): Promise<Pick<RatingInputs, 'plan' | 'ruleset' | 'models'>> {
  const r = await getVersion(db, 'rating_plans', planId);
  if (!r) throw notFound('rating plan', String(planId));
  const body = r.body as RatingPlanRequest;
  const rs = await getVersion(db, 'rulesets', body.ruleset_id);
  if (!rs) throw appError('CONFLICT', `rule set ${body.ruleset_id} of rating plan ${planId} is missing`);
  const refs = Object.entries(body.coverages).flatMap(([c, m]) => (m ? [[c, m] as const] : []));
  const rows = new Map((await getModelVersions(db, refs.flatMap(([, m]) => [m.frequency_model_id, m.severity_model_id]))).map((m) => [m.id, m as ModelRow]));
  const models: RatingInputs['models'] = {};
  for (const [c, m] of refs) {
    const f = rows.get(m.frequency_model_id);
    const s = rows.get(m.severity_model_id);
    if (!f || !s) throw appError('CONFLICT', `a model of coverage ${c} of rating plan ${planId} is missing`);
    models[c as CoverageCode] = { frequency: frequencySnapshot(f), severity: severitySnapshot(s) };
  }
  return {
    plan: { id: r.id, name: r.name, version: r.version, body },
    ruleset: { id: rs.id, name: rs.name, version: rs.version, body: rs.body as Ruleset },
    models,
  };
}
