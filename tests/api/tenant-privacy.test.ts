/**
 * Tenant privacy by construction (issue 10, docs/architecture.md §6 "Tenant privacy"). On a
 * database where organizations share scenario classes — `manufacturing.assembly` shared by the
 * requester ORG-A with one other organization, `warehousing_logistics.picking` held by two other
 * organizations where ORG-A has no history, `maintenance.cleaning` shared by ORG-A with four
 * others — every other organization's figures are computed straight from the database (monthly
 * and total hours, incident and claim counts, rates per 1,000 h and per hour, protective stops,
 * claim amounts and their totals, organization, deployment, incident and quote refs, names,
 * premiums of their quotes). None of them may appear in anything the enterprise key of ORG-A
 * receives from any operation of /openapi.json — JSON bodies (number by number, and inside
 * strings), the CSV representation, the quote PDFs' text (pdftotext) and error responses — in any
 * of the formats a number is printed in (raw, rounded to 2 decimals, with thousands separators).
 * The matcher is shown to work on the underwriter's full worksheet, which must contain them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { pdfText } from '../helpers/pdf.ts';
import { DEFAULT_RULESET } from '../../rules/default-ruleset.ts';
import { nextPolicyYear } from '../../domain/calendar.ts';
import { worksheetHash } from '../../reports/quote-pdf.ts';
import type { HttpMethod, OpenApiDocument } from '../helpers/api-types.ts';

const PAIR = 'manufacturing.assembly'; // ORG-A and one other organization
const ABSENT = 'warehousing_logistics.picking'; // two other organizations, ORG-A has no history
const CROWD = 'maintenance.cleaning'; // ORG-A and four others
const MONTHS = ['2025-01', '2025-02', '2025-03'];
const LAST_DAY: Record<string, string> = { '2025-01': '31', '2025-02': '28', '2025-03': '31' };

const OTHERS = [
  { ref: 'OTH-ALPHA', name: 'Zhongshan Precision Automation Ltd', classes: [PAIR, CROWD] },
  { ref: 'OTH-BRAVO', name: '青岛海川机器人服务有限公司', classes: [ABSENT, CROWD] },
  { ref: 'OTH-CHARLIE', name: 'Charlie Care Robotics GmbH', classes: [ABSENT] },
  { ref: 'OTH-DELTA', name: 'Delta Facility Services Co.', classes: [CROWD] },
  { ref: 'ORG-B', name: 'Beta Logistics Co.', classes: [CROWD] },
];
const OWN = { ref: 'ORG-A', classes: [PAIR, CROWD] };

/** A seeded generator: the same history on every run. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}
const cents = (x: number) => Math.round(x * 100) / 100;
/**
 * The frequency model's only factor is autonomy, and each level pools at least three other
 * organizations (supervised: the two small classes; autonomous: the crowded one). A model level
 * fitted on one organization's exposure would carry its rate into every price of the level —
 * a property of the model, not of any view (docs/architecture.md §6).
 */
const autonomyOf = (cls: string) => (cls === CROWD ? 'autonomous' : 'supervised');
const deploymentRef = (org: string, cls: string) => `DEP-${org}-${cls.split('.')[1].toUpperCase()}`;

/**
 * The history: one deployment per organization and class, one exposure row per month. Other
 * organizations' figures are made distinctive so that a match cannot be a coincidence: hours
 * 5,000–9,000 with cents, incident counts 101–190 (in February), protective stops 301–399, losses
 * CNY 200,000–900,000 with cents. ORG-A's own figures are small.
 */
function history() {
  const rnd = lcg(20261129);
  const deployments: Record<string, unknown>[] = [];
  const exposures: Record<string, unknown>[] = [];
  const incidents: Record<string, unknown>[] = [];
  const add = (org: string, cls: string, own: boolean) => {
    const ref = deploymentRef(org, cls);
    deployments.push({ deployment_ref: ref, organization_ref: org, province: 'Jiangsu', scenario_class: cls, robot_model: 'LMD-W200', units: 5, autonomy_level: autonomyOf(cls), start_date: '2025-01-01' });
    MONTHS.forEach((m, mi) => {
      const hours = own ? cents(1200 + rnd() * 300) : cents(5000 + rnd() * 4000);
      exposures.push({
        deployment_ref: ref, period_start: `${m}-01`, period_end: `${m}-${LAST_DAY[m]}`, operating_hours: hours,
        protective_stops: own ? 0 : 301 + Math.floor(rnd() * 98), near_misses: 0,
      });
      const count = own ? 2 + (mi % 2) : mi === 1 ? 101 + Math.floor(rnd() * 90) : 0;
      for (let k = 0; k < count; k++) {
        const loss = () => (own ? cents(20_000 + rnd() * 70_000) : cents(200_000 + rnd() * 700_000));
        const rd = loss();
        const tp = loss();
        const day = String(1 + (k % 27)).padStart(2, '0');
        incidents.push({
          incident_ref: `INC-${ref}-${m}-${k}`, deployment_ref: ref, occurred_at: `${m}-${day}T10:00:00Z`, reported_at: `${m}-${day}T12:00:00Z`,
          incident_type: 'collision_property', severity_level: 3, robot_damage: rd, third_party_property_damage: tp,
          status: 'closed', paid: cents(rd + tp),
        });
      }
    });
  };
  for (const c of OWN.classes) add(OWN.ref, c, true);
  for (const o of OTHERS) for (const c of o.classes) add(o.ref, c, false);
  return { deployments, exposures, incidents };
}

let ctx: TestContext;
let doc: OpenApiDocument;
let ajv: Ajv2020;
const api = () => request(ctx.baseUrl);
const quoteRequest = (classes: string[]) => ({
  basis: 'annual', period: nextPolicyYear(),
  fleet: classes.map((c) => ({ robot_model: 'LMD-W200', scenario_class: c, units: 5, autonomy_level: autonomyOf(c), operating_hours_per_unit: 2000, safety: {} })),
  coverages: [
    { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 200_000 },
    { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 2_000_000 },
  ],
});

async function post(key: string, path: string, body: unknown, status = 201) {
  const r = await api().post(path).set(bearer(key)).send(body as object);
  expect(r.status, `${path}: ${r.text.slice(0, 400)}`).toBe(status);
  return r.body as Record<string, unknown> & { id: number; ref: string };
}

/** The rating set-up an actuary would make: Poisson frequency by autonomy and the severity fits per coverage, default rules, a plan with credibility. */
async function pricingSetup() {
  const actuary = ctx.keys.actuary;
  const coverages: Record<string, { frequency_model_id: number; severity_model_id: number }> = {};
  for (const coverage of ['robot_damage', 'third_party_liability']) {
    const f = await post(actuary, '/v1/models/frequency', { coverage, factors: ['autonomy_level'], family: 'poisson' });
    const s = await post(actuary, '/v1/models/severity', { coverage, distributions: ['lognormal', 'gamma'] });
    await post(actuary, `/v1/models/${f.id}/activate`, undefined, 200);
    await post(actuary, `/v1/models/${s.id}/activate`, undefined, 200);
    coverages[coverage] = { frequency_model_id: f.id, severity_model_id: s.id };
  }
  // the default rules, and two that read the class figures (one against a fact): their traces must not carry them where withheld
  const classRules = [
    { name: 'load_known_class_rate', conditions: { all: [{ fact: 'class_incident_rate_per_1000h', operator: 'greaterThan', value: 0 }] }, event: { type: 'load', params: { reason: 'class rate known', factor: 1.01 } } },
    { name: 'discount_below_class_rate', conditions: { all: [{ fact: 'org_incident_rate_per_1000h', operator: 'lessThan', value: { fact: 'class_incident_rate_per_1000h' } }] }, event: { type: 'discount', params: { reason: 'own rate below the class', factor: 0.99 } } },
  ];
  const rs = await post(actuary, '/v1/rulesets', { ...DEFAULT_RULESET, name: 'privacy-rules', rules: [...DEFAULT_RULESET.rules, ...classRules] });
  await post(actuary, `/v1/rulesets/${rs.id}/activate`, {}, 200);
  const plan = await post(actuary, '/v1/rating-plans', {
    name: 'privacy', coverages, ruleset_id: rs.id, experience_credibility: true,
    loadings: { expense: 0.12, commission: 0.1, profit: 0.05, cost_of_capital: 0.06, tax: 0.06, minimum_premium: 1000 },
  });
  await post(actuary, `/v1/rating-plans/${plan.id}/activate`, {}, 200);
}

// ------------------------------------------------------------------------------------------
// Other organizations' figures, from the database

interface Secrets {
  /** Refs and names (matched as substrings, whitespace-normalised). */
  strings: Map<string, string>;
  /** Number renderings → what they are. */
  numbers: Map<string, string>;
  /** Non-integer values (rates, hours, amounts), sorted, for JSON numbers that differ by round-off only. */
  values: { x: number; what: string }[];
}

const sigDigits = (s: string) => s.replace(/[^0-9]/g, '').replace(/^0+/, '').length;

/** The ways a number may be printed: raw, 1–3 decimals, thousands separators (with and without decimals). */
function renderings(x: number): string[] {
  const out = new Set<string>([String(x)]);
  if (!Number.isInteger(x)) {
    // 2 decimals as asked; 1 and 3 as the quote PDF prints facts (reports/quote-pdf.ts factValue)
    for (const d of [1, 2, 3]) {
      out.add(x.toFixed(d));
      out.add(x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
    }
    out.add(x.toLocaleString('en-US', { maximumFractionDigits: 6 }));
  } else {
    out.add(x.toLocaleString('en-US'));
    out.add(x.toFixed(2));
    out.add(x.toLocaleString('en-US', { minimumFractionDigits: 2 }));
  }
  // fewer than 3 significant digits could be anything (a 0, a small count): not a usable marker
  return [...out].filter((s) => sigDigits(s) >= 3);
}

async function secretsFromDatabase(): Promise<Secrets> {
  const db = ctx.db;
  const strings = new Map<string, string>();
  const numbers = new Map<string, string>();
  const values: { x: number; what: string }[] = [];
  const addNumber = (x: number, what: string) => {
    for (const r of renderings(Number(x))) if (!numbers.has(r)) numbers.set(r, what);
    if (!Number.isInteger(Number(x)) && sigDigits(String(x)) >= 5) values.push({ x: Number(x), what });
  };
  const others = `o.ref <> 'ORG-A'`;
  const orgs = (await db.raw(`select o.ref, o.name from organizations o where ${others}`)).rows as { ref: string; name: string }[];
  for (const o of orgs) { strings.set(o.ref, `organization ref ${o.ref}`); strings.set(o.name, `name of ${o.ref}`); }
  const deps = (await db.raw(`select d.ref from deployments d join organizations o on o.id = d.organization_id where ${others}`)).rows as { ref: string }[];
  for (const d of deps) strings.set(d.ref, `deployment ref ${d.ref}`);
  const incs = (await db.raw(`select i.ref, i.robot_damage, i.third_party_property_damage, i.paid from incidents i
    join deployments d on d.id = i.deployment_id join organizations o on o.id = d.organization_id where ${others}`)).rows as { ref: string; robot_damage: number; third_party_property_damage: number; paid: number }[];
  for (const i of incs) {
    strings.set(i.ref, `incident ref ${i.ref}`);
    addNumber(i.robot_damage, `robot damage of ${i.ref}`);
    addNumber(i.third_party_property_damage, `third-party damage of ${i.ref}`);
    addNumber(i.paid, `paid of ${i.ref}`);
  }
  // per organization × class × month, per organization × class and per organization
  const claims = `count(i.id) filter (where i.incident_type <> 'near_miss')`;
  const grouped = async (keys: string, label: (r: Record<string, string>) => string) => {
    const rows = (await db.raw(`
      with e as (select d.organization_id, d.scenario_class_id, ${keys.includes('month') ? `to_char(x.period_start, 'YYYY-MM') as month,` : ''}
                        sum(x.operating_hours) as hours, sum(x.protective_stops) as stops
                 from exposures x join deployments d on d.id = x.deployment_id group by 1, 2${keys.includes('month') ? ', 3' : ''}),
           n as (select d.organization_id, d.scenario_class_id, ${keys.includes('month') ? `to_char(i.occurred_at at time zone 'UTC', 'YYYY-MM') as month,` : ''}
                        ${claims} as incidents, sum(i.robot_damage) as rd, sum(i.third_party_property_damage) as tp, sum(i.paid) as paid
                 from incidents i join deployments d on d.id = i.deployment_id group by 1, 2${keys.includes('month') ? ', 3' : ''})
      select o.ref as org, c.code as class, ${keys.includes('month') ? 'e.month,' : ''} e.hours, e.stops,
             coalesce(n.incidents, 0) as incidents, coalesce(n.rd, 0) as rd, coalesce(n.tp, 0) as tp, coalesce(n.paid, 0) as paid
      from e join organizations o on o.id = e.organization_id join scenario_classes c on c.id = e.scenario_class_id
      left join n on n.organization_id = e.organization_id and n.scenario_class_id = e.scenario_class_id ${keys.includes('month') ? 'and n.month = e.month' : ''}
      where ${others}`)).rows as Record<string, string>[];
    for (const r of rows) {
      const what = label(r);
      const hours = Number(r.hours);
      const incidents = Number(r.incidents);
      addNumber(hours, `hours of ${what}`);
      addNumber(Number(r.stops), `protective stops of ${what}`);
      addNumber(incidents, `incidents of ${what}`);
      addNumber(Number(r.rd), `robot damage total of ${what}`);
      addNumber(Number(r.tp), `third-party damage total of ${what}`);
      addNumber(Number(r.paid), `paid total of ${what}`);
      if (hours > 0 && incidents > 0) {
        addNumber((incidents * 1000) / hours, `rate per 1,000 h of ${what}`);
        addNumber(incidents / hours, `rate per hour of ${what}`);
      }
    }
    return rows;
  };
  const monthly = await grouped('month', (r) => `${r.org} in ${r.class} ${r.month}`);
  expect(monthly.length).toBe(OTHERS.reduce((s, o) => s + o.classes.length, 0) * MONTHS.length);
  await grouped('class', (r) => `${r.org} in ${r.class}`);
  const perOrg = (await db.raw(`select o.ref, sum(x.operating_hours) as hours from exposures x join deployments d on d.id = x.deployment_id
    join organizations o on o.id = d.organization_id where ${others} group by o.ref`)).rows as { ref: string; hours: number }[];
  for (const r of perOrg) addNumber(Number(r.hours), `hours of ${r.ref}`);
  const perOrgIncidents = (await db.raw(`select o.ref, count(*) as n, sum(i.paid) as paid from incidents i join deployments d on d.id = i.deployment_id
    join organizations o on o.id = d.organization_id where ${others} group by o.ref`)).rows as { ref: string; n: number; paid: number }[];
  for (const r of perOrgIncidents) { addNumber(Number(r.n), `incidents of ${r.ref}`); addNumber(Number(r.paid), `paid of ${r.ref}`); }
  // a class with fewer than 3 other organizations: its totals minus ORG-A's own are one or two organizations' figures
  const classes = (await db.raw(`
    select c.code, count(distinct d.organization_id) filter (where ${others}) as others, sum(x.operating_hours) as hours,
           (select count(*) from incidents i join deployments d2 on d2.id = i.deployment_id where d2.scenario_class_id = c.id) as incidents,
           sum(x.operating_hours) filter (where o.ref = 'ORG-A') as own_hours,
           (select count(*) from incidents i join deployments d2 on d2.id = i.deployment_id join organizations o2 on o2.id = d2.organization_id
             where d2.scenario_class_id = c.id and o2.ref = 'ORG-A') as own_incidents
    from exposures x join deployments d on d.id = x.deployment_id join organizations o on o.id = d.organization_id
    join scenario_classes c on c.id = d.scenario_class_id group by c.id, c.code`)).rows as { code: string; others: number; hours: number; incidents: number; own_hours: number | null; own_incidents: number }[];
  expect(classes.map((c) => [c.code, Number(c.others)]).sort()).toEqual([[PAIR, 1], [CROWD, 4], [ABSENT, 2]].sort());
  for (const c of classes.filter((x) => Number(x.others) < 3)) {
    const rate = (Number(c.incidents) * 1000) / Number(c.hours);
    addNumber(Number(c.hours), `class hours of ${c.code}`);
    addNumber(Number(c.incidents), `class incidents of ${c.code}`);
    addNumber(rate, `class rate per 1,000 h of ${c.code}`);
    if (c.own_hours) addNumber(((Number(c.own_incidents) * 1000) / Number(c.own_hours)) / rate, `own-to-class rate ratio in ${c.code}`);
  }
  const quotes = (await db.raw(`select q.ref, q.gross_premium from quotes q join organizations o on o.id = q.organization_id where ${others}`)).rows as { ref: string; gross_premium: number }[];
  expect(quotes.length).toBeGreaterThan(0);
  for (const q of quotes) { strings.set(q.ref, `quote ref ${q.ref}`); addNumber(Number(q.gross_premium), `gross premium of ${q.ref}`); }
  const policies = (await db.raw(`select p.policy_number from policies p join organizations o on o.id = p.organization_id where ${others}`)).rows as { policy_number: string }[];
  for (const p of policies) strings.set(p.policy_number, `policy number ${p.policy_number}`);
  // anything ORG-A owns is its own, even if equal by chance
  const own = (await db.raw(`select x.operating_hours from exposures x join deployments d on d.id = x.deployment_id join organizations o on o.id = d.organization_id where o.ref = 'ORG-A'`)).rows as { operating_hours: number }[];
  for (const r of own) for (const s of renderings(Number(r.operating_hours))) numbers.delete(s);
  values.sort((a, b) => a.x - b.x);
  return { strings, numbers, values };
}

// ------------------------------------------------------------------------------------------
// The matcher

const norm = (s: string) => s.replace(/\s+/g, ' ');
/** Number tokens of a text: with thousands separators, plain, and the comma-separated parts. */
const NUMBER_TOKEN = /(?<![A-Za-z0-9_.])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![A-Za-z0-9_]|\.\d)/g;

/** What of `secrets` occurs in a text (strings sent in the request itself excluded: an echo is no leak). */
function leaksInText(text: string, secrets: Secrets, sent: string, numbersToo = true): string[] {
  const found: string[] = [];
  const t = norm(text);
  for (const [s, what] of secrets.strings) if (!sent.includes(s) && t.includes(norm(s))) found.push(`${what}: "${s}"`);
  if (numbersToo) {
    for (const m of t.matchAll(NUMBER_TOKEN)) {
      const tok = m[0];
      for (const candidate of new Set([tok, tok.replace(/,/g, '')])) {
        const what = secrets.numbers.get(candidate);
        if (what) found.push(`${what}: ${tok} in …${t.slice(Math.max(0, m.index - 60), m.index + tok.length + 20)}…`);
      }
    }
  }
  return found;
}

/** The entry of a sorted list nearest to v. */
function nearest(xs: { x: number; what: string }[], v: number) {
  let lo = 0;
  let hi = xs.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid].x < v) lo = mid + 1; else hi = mid;
  }
  return lo > 0 && Math.abs(xs[lo - 1].x - v) < Math.abs(xs[lo].x - v) ? xs[lo - 1] : xs[lo];
}

/** What of `secrets` occurs in a JSON value: every number (raw, or as printed with 2 decimals) and every string. */
function leaksInJson(value: unknown, secrets: Secrets, sent: string, path = '$'): string[] {
  if (typeof value === 'number') {
    const exact = secrets.numbers.get(String(value));
    // printed with 2 decimals (up to the round-off of a sum), or the same value up to round-off
    const rounded = Math.abs(value - Number(value.toFixed(2))) < 1e-7 ? secrets.numbers.get(value.toFixed(2)) : undefined;
    const near = nearest(secrets.values, value);
    const close = near && Math.abs(near.x - value) <= 1e-9 * Math.abs(near.x) ? near.what : undefined;
    const what = exact ?? rounded ?? close;
    return what ? [`${what}: ${value} at ${path}`] : [];
  }
  if (typeof value === 'string') return leaksInText(value, secrets, sent).map((l) => `${l} at ${path}`);
  if (Array.isArray(value)) return value.flatMap((v, i) => leaksInJson(v, secrets, sent, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...leaksInText(k, secrets, sent).map((l) => `${l} (key) at ${path}`), ...leaksInJson(v, secrets, sent, `${path}.${k}`)]);
  }
  return [];
}

interface Answer { method: string; url: string; sent: string; status: number; type: string; body: Buffer }

const binary = (req: request.Test) => req.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

/** Every leak in one answer, by its media type. */
function leaksIn(a: Answer, secrets: Secrets, opts: { numbers: boolean }): string[] {
  const where = (l: string) => `${a.method} ${a.url} → ${a.status} ${a.type}: ${l}`;
  if (a.type.startsWith('application/pdf')) return leaksInText(pdfText(a.body), secrets, a.sent, opts.numbers).map(where);
  const text = a.body.toString('utf8');
  if (/json/.test(a.type) && opts.numbers) return leaksInJson(JSON.parse(text), secrets, a.sent).map(where);
  return leaksInText(text, secrets, a.sent, opts.numbers).map(where);
}

// ------------------------------------------------------------------------------------------

const answers: Answer[] = [];
let secrets: Secrets;
let ownQuotes: string[];
let otherQuote: string;
/** A policy of ORG-A and one of another organization (bound by an underwriter). */
let ownPolicy: string;
let otherPolicy: string;
const validators = new Map<string, ValidateFunction>();
const schemaOf = (name: string) => {
  let v = validators.get(name);
  if (!v) { v = ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` }); validators.set(name, v); }
  return v;
};

async function ask(method: HttpMethod, url: string, key: string, opts: { body?: unknown; accept?: string } = {}): Promise<Answer> {
  let req = binary(api()[method](url).set(bearer(key)));
  if (opts.accept) req = req.set('Accept', opts.accept);
  const r = opts.body === undefined ? await req : await req.send(opts.body as object);
  const a = { method: method.toUpperCase(), url, sent: `${url} ${JSON.stringify(opts.body ?? null)}`, status: r.status, type: String(r.headers['content-type'] ?? ''), body: r.body as Buffer };
  answers.push(a);
  return a;
}
const json = (a: Answer) => JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  ctx = await startTestApp();
  const admin = ctx.keys.admin;
  for (const o of OTHERS) if (!o.ref.startsWith('ORG-')) await post(admin, '/v1/organizations', { ref: o.ref, name: o.name, kind: 'enterprise', province: 'Shandong' });
  const h = history();
  for (const kind of ['deployments', 'exposures', 'incidents'] as const) await post(ctx.keys.actuary, `/v1/imports/${kind}`, h[kind], 200);
  await pricingSetup();
  doc = (await api().get('/openapi.json')).body as OpenApiDocument;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
  // another organization's quote, by an underwriter
  otherQuote = (await post(ctx.keys.underwriter, '/v1/quotes', { ...quoteRequest([ABSENT, CROWD]), organization_ref: 'OTH-BRAVO' })).ref;
  const bind = async (organization_ref: string) => {
    // a robot model without history here (no scorecard verdict); a referral is quoted and its subjectivities met
    // another fleet size per organization: equal requests would price equally (a false match of their premium in ours)
    const fleet = [{ robot_model: 'LMD-B300', scenario_class: PAIR, units: organization_ref === 'ORG-A' ? 5 : 7, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: { safety_officer_on_site: true } }];
    const q = await post(ctx.keys.underwriter, '/v1/quotes', { ...quoteRequest([PAIR]), fleet, organization_ref });
    const uw = (path: string, body?: object) => api().post(path).set(bearer(ctx.keys.underwriter)).send(body);
    if (q.status === 'referred') await uw(`/v1/quotes/${q.ref}/decision`, { decision: 'quoted', note: 'test' });
    for (const x of q.subjectivity_details as { id: number }[]) await uw(`/v1/quotes/${q.ref}/subjectivities/${x.id}`, { status: 'waived', note: 'test' });
    const b = await uw(`/v1/quotes/${q.ref}/bind`);
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    return b.body.policy_number as string;
  };
  otherPolicy = await bind('OTH-BRAVO');
  ownPolicy = await bind('ORG-A');
  secrets = await secretsFromDatabase();
  // ORG-A's quotes: three classes, and the class where it has no history alone
  const e = ctx.keys.enterprise;
  ownQuotes = [];
  for (const classes of [[PAIR, ABSENT, CROWD], [ABSENT]]) {
    const a = await ask('post', '/v1/quotes', e, { body: quoteRequest(classes) });
    expect(a.status).toBe(201);
    ownQuotes.push(String(json(a).ref));
  }
}, 300_000);
afterAll(async () => { await ctx?.close(); });

describe('an enterprise key never receives another organization’s data', () => {
  it('the underwriter’s full worksheet holds the other organizations’ rows (the matcher finds them)', async () => {
    const e = ctx.keys.enterprise;
    const q = json(await ask('post', '/v1/quotes', e, { body: quoteRequest([PAIR, ABSENT, CROWD]) }));
    const full = await binary(api().get(`/v1/quotes/${String(q.ref)}/worksheet`).set(bearer(ctx.keys.underwriter)));
    expect(full.status).toBe(200);
    const body = JSON.parse((full.body as Buffer).toString('utf8')) as { inputs: { credibility: Record<string, Record<string, { weights: number[][] }>> } };
    expect(schemaOf('QuoteWorksheet')(body), ajv.errorsText(schemaOf('QuoteWorksheet').errors)).toBe(true);
    expect(body.inputs.credibility.robot_damage[PAIR].weights).toHaveLength(2);
    const found = leaksInJson(body, secrets, '');
    // every other organization's monthly hours in the three classes are in the Bühlmann–Straub tables
    expect(found.filter((l) => l.startsWith('hours of ') && / in .* 2025-0\d/.test(l)).length).toBeGreaterThanOrEqual(OTHERS.reduce((s, o) => s + o.classes.length, 0) * MONTHS.length);
    expect(found.some((l) => l.startsWith('rate per 1,000 h of OTH-ALPHA in manufacturing.assembly 2025-02'))).toBe(true);
    // and the underwriter re-rates from the stored worksheet to the cent
    const rr = await api().post(`/v1/quotes/${String(q.ref)}/rerate`).set(bearer(ctx.keys.underwriter));
    expect(rr.status).toBe(200);
    expect(rr.body.identical).toBe(true);
  });

  it('the enterprise worksheet: own inputs and factors, strict schema, class figures only in the class with four others', async () => {
    const e = ctx.keys.enterprise;
    const ws = json(await ask('get', `/v1/quotes/${ownQuotes[0]}/worksheet`, e)) as {
      view: string; class_figures: Record<string, { shown: boolean }>; inputs: Record<string, unknown> & { experience: Record<string, unknown>; credibility: Record<string, Record<string, { hours: number[] } | null>> };
      lines: { scenario_class: string; facts: Record<string, unknown>; coverages: { credibility: Record<string, unknown> }[] }[];
    };
    const validate = schemaOf('EnterpriseQuoteWorksheet');
    expect(validate(ws), ajv.errorsText(validate.errors)).toBe(true);
    // the strict schema rejects what the full worksheet adds: the class totals, another row
    const tampered = structuredClone(ws) as unknown as { inputs: { experience: Record<string, Record<string, number>> } };
    tampered.inputs.experience[PAIR].class_operating_hours = 1;
    expect(validate(tampered)).toBe(false);
    expect(ws.view).toBe('enterprise');
    expect(Object.keys(ws.inputs).sort()).toEqual(['credibility', 'experience', 'organization_ref', 'request', 'robot_models', 'scenario_classes']);
    expect(ws.class_figures).toMatchObject({ [PAIR]: { shown: false }, [ABSENT]: { shown: false }, [CROWD]: { shown: true } });
    const line = (cls: string) => ws.lines.find((l) => l.scenario_class === cls)!;
    // two organizations, ORG-A one of them: the adjustment and the own rate, no Z / collective mean / k / count
    expect(Object.keys(line(PAIR).coverages[0].credibility).sort()).toEqual(['adjustment', 'own_rate_per_1000h', 'withheld']);
    expect(line(PAIR).facts).not.toHaveProperty('class_incident_rate_per_1000h');
    expect(line(PAIR).facts.org_operating_hours).toBeGreaterThan(0);
    // no history there: no adjustment, and no class facts
    expect(line(ABSENT).coverages[0].credibility).toEqual({ adjustment: 1, note: 'no own experience in the class' });
    expect(ws.inputs.experience[ABSENT]).toEqual({ org_operating_hours: 0, org_incidents: 0, org_protective_stops: 0, org_near_misses: 0 });
    expect(ws.inputs.credibility.robot_damage[ABSENT]).toBeNull();
    // five organizations, none dominant: the class figures explain the price
    expect(line(CROWD).coverages[0].credibility).toMatchObject({ organizations: 5, credibility_factor: expect.any(Number), class_rate_per_1000h: expect.any(Number) });
    expect(line(CROWD).facts.class_incident_rate_per_1000h).toEqual(expect.any(Number));
    // the own credibility row is ORG-A's own monthly hours
    const ownHours = (await ctx.db.raw(`select x.operating_hours from exposures x join deployments d on d.id = x.deployment_id where d.ref = ? order by x.period_start`, [deploymentRef('ORG-A', PAIR)])).rows.map((r: { operating_hours: number }) => Number(r.operating_hours));
    expect(ws.inputs.credibility.robot_damage[PAIR]!.hours).toEqual(ownHours);
  });

  it('nothing of theirs in any answer of any operation: JSON, CSV, PDF, errors', async () => {
    const e = ctx.keys.enterprise;
    const own = { deployment: deploymentRef('ORG-A', PAIR), incident: `INC-${deploymentRef('ORG-A', PAIR)}-2025-01-0` };
    const other = { deployment: deploymentRef('OTH-ALPHA', PAIR), incident: `INC-${deploymentRef('OTH-ALPHA', PAIR)}-2025-02-0` };
    const fill = (path: string, v: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(v[k] ?? '1'));
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => (Object.keys(item) as HttpMethod[]).map((method) => ({ path, method, roles: item[method]!['x-roles'] ?? [] })));
    const publicAnswers: Answer[] = [];
    const schemaProblems: string[] = [];
    let allowedOps = 0;
    for (const { path, method, roles } of ops) {
      const allowed = roles.length === 0 || roles.includes('enterprise');
      if (!allowed) {
        // forbidden to the role: 403 (the body is checked like every other)
        const a = await ask(method, fill(path, { ref: other.deployment, code: PAIR, id: '1', kind: 'deployments' }), e, { body: method === 'get' || method === 'delete' ? undefined : {} });
        expect(a.status, `${method} ${path}`).toBe(403);
        continue;
      }
      allowedOps++;
      if (roles.length === 0) { publicAnswers.push(await ask(method, path, e)); answers.pop(); continue; }
      if (method !== 'get') continue; // POST /v1/quotes: the quotes above and the refusals below
      // pay-per-use lines and statements: the own policy here is annual (409 by design), so only
      // another organization's policy and an unknown number are asked, and both must answer 404
      const variants: Record<string, string>[] = /\{no\}\/(lines|statements)/.test(path) ? [{ no: otherPolicy, month: '2025-01' }, { no: 'RR-P-2099-999999', month: '2025-01' }]
        : path.includes('/quotes/')
          ? [...ownQuotes, otherQuote].map((ref) => ({ ref }))
        : path.includes('/policies/') ? [{ no: ownPolicy }, { no: otherPolicy }]
        : path.includes('/deployments/') ? [{ ref: own.deployment }, { ref: other.deployment }]
          : path.includes('/incidents/') ? [{ ref: own.incident }, { ref: other.incident }]
            : path.includes('/organizations/') ? [{ ref: 'ORG-A' }, { ref: 'OTH-ALPHA' }]
              : path.includes('{code}') ? [{ code: path.includes('robot') ? 'LMD-W200' : PAIR }] : [{}];
      const queries = path === '/v1/deployments' || path === '/v1/incidents'
        ? ['', `?scenario_class=${PAIR}`, `?scenario_class=${ABSENT}`, '?organization_ref=OTH-ALPHA', '?limit=1', ...(path === '/v1/incidents' ? [`?deployment_ref=${other.deployment}`] : [])]
        : path === '/v1/organizations' || path === '/v1/quotes' ? ['', '?limit=1'] : [''];
      for (const v of variants) {
        for (const q of queries) {
          const url = fill(path, v) + q;
          const a = await ask('get', url, e);
          const mine = !Object.values(v).some((x) => x === other.deployment || x === other.incident || x === otherQuote || x === otherPolicy || x === 'RR-P-2099-999999' || x === 'OTH-ALPHA');
          expect(a.status, `GET ${url}: ${a.body.toString('utf8').slice(0, 300)}`).toBe(mine ? 200 : 404);
          if (!a.type.startsWith('application/pdf')) await ask('get', url, e, { accept: 'text/csv' });
          if (path.endsWith('/worksheet') && mine && !schemaOf('EnterpriseQuoteWorksheet')(json(a))) {
            schemaProblems.push(`GET ${url}: not an EnterpriseQuoteWorksheet: ${ajv.errorsText(schemaOf('EnterpriseQuoteWorksheet').errors)}`);
          }
          if (path.endsWith('/pdf') && mine) expect(a.type).toMatch(/^application\/pdf/);
        }
      }
    }
    expect(allowedOps).toBeGreaterThanOrEqual(15);
    // refusals and errors of the enterprise's own write
    expect((await ask('post', '/v1/quotes', e, { body: { ...quoteRequest([PAIR]), organization_ref: 'OTH-ALPHA' } })).status).toBe(403);
    expect((await ask('post', '/v1/quotes', e, { body: { ...quoteRequest([PAIR]), fleet: [] } })).status).toBe(422);
    expect((await ask('post', `/v1/quotes/${otherQuote}/rerate`, e)).status).toBe(403);

    // another organization's record answers exactly as a record that does not exist
    const normalise = (a: Answer, ref: string) => a.body.toString('utf8').replaceAll(ref, '<ref>').replace(/"(instance|request_id|requestId)":"[^"]*"/g, '"$1":"…"');
    for (const [path, ref, ghost] of [['/v1/deployments/', other.deployment, 'DEP-NOWHERE-1'], ['/v1/incidents/', other.incident, 'INC-NOWHERE-1'], ['/v1/quotes/', otherQuote, 'Q-20250101-DEADBEEF'], ['/v1/policies/', otherPolicy, 'RR-P-2099-999999'], ['/v1/organizations/', 'OTH-ALPHA', 'ORG-NOWHERE']]) {
      const theirs = await ask('get', path + ref, e);
      const none = await ask('get', path + ghost, e);
      expect(normalise(theirs, ref)).toBe(normalise(none, ghost));
    }

    expect(answers.filter((a) => a.type.startsWith('application/pdf')).length).toBeGreaterThanOrEqual(2);
    // every GET was asked for text/csv as well (no enterprise route has a CSV form today: they answer JSON, checked like any)
    expect(answers.length).toBeGreaterThan(60);
    const leaks = answers.flatMap((a) => leaksIn(a, secrets, { numbers: true }));
    // public routes do not depend on the data: their refs and names are checked, their numbers are the schema's
    leaks.push(...publicAnswers.flatMap((a) => leaksIn(a, secrets, { numbers: false })));
    expect([...schemaProblems, ...leaks]).toEqual([]);
  });

  it('the PDF of a quote prints from the enterprise view (its worksheet hash is that view’s)', async () => {
    const e = ctx.keys.enterprise;
    const ws = await api().get(`/v1/quotes/${ownQuotes[0]}/worksheet`).set(bearer(e));
    const pdf = await binary(api().get(`/v1/quotes/${ownQuotes[0]}/pdf`).set(bearer(e)));
    expect(pdfText(pdf.body as Buffer).replace(/\s+/g, '')).toContain(worksheetHash(ws.body));
  });
});
