/**
 * GET /v1/scorecards on a hand-made history: the numbers of a cell (exact intervals, class rate,
 * empirical-Bayes shrinkage), the verdict with its fired rules and facts, who sees what
 * (actuary, regulator under disclosure control, enterprise against the market), CSV, and the
 * versioned insurability rule sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { ratePer1000Hours } from '../../models/statistics/index.ts';
import { cellPosterior, fitGammaPrior } from '../../models/scorecard/index.ts';

let ctx: TestContext;
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const post = (kind: string, body: string, c: TestContext = ctx) =>
  request(c.baseUrl).post(`/v1/imports/${kind}`).set(bearer(c.keys.actuary)).set('Content-Type', 'text/csv').send(body);
const get = (key: string, query = '') => request(ctx.baseUrl).get(`/v1/scorecards${query}`).set(bearer(key));

const CLASS = 'manufacturing.assembly';
/** [deployment, organization, robot model, hours, incidents, severe incidents] */
const PLAN: [string, string, string, number, number, number][] = [
  ['SC-X1', 'ORG-A', 'LMD-B300', 10_000, 8, 1],
  ['SC-X2', 'ORG-B', 'LMD-B300', 10_000, 6, 0],
  ['SC-X3', 'ORG-C', 'LMD-B300', 10_000, 4, 0],
  ['SC-X4', 'ORG-D', 'LMD-B300', 10_000, 2, 0],
  ['SC-Y1', 'ORG-A', 'PES-B700', 20_000, 3, 0],
  ['SC-Y2', 'ORG-B', 'PES-B700', 5_000, 1, 0],
  ['SC-Y3', 'ORG-C', 'PES-B700', 5_000, 1, 1],
  ['SC-Z1', 'ORG-D', 'LMD-W500', 10_000, 30, 2],
];
const cell = (model: string) => {
  const rows = PLAN.filter((p) => p[2] === model);
  return { hours: rows.reduce((s, r) => s + r[3], 0), incidents: rows.reduce((s, r) => s + r[4], 0), orgs: new Set(rows.map((r) => r[1])).size };
};

/** Imports PLAN into an app (ORG-A/B/C exist in every test app; ORG-D is added). */
async function load(c: TestContext) {
  const post = (kind: string, body: string) => postTo(kind, body, c);
  await c.db('organizations').insert({ ref: 'ORG-D', name: 'Delta Robotics', kind: 'enterprise', province: 'Hubei' });
  expect((await post('deployments', csv(
    'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date',
    ...PLAN.map(([d, o, m]) => `${d},${o},${CLASS},${m},2,supervised,2025-01-01`),
  ))).status).toBe(200);
  expect((await post('exposures', csv(
    'deployment_ref,period_start,period_end,operating_hours,protective_stops,near_misses,software_version,downtime_hours',
    ...PLAN.map(([d, , , h]) => `${d},2025-01-01,2025-06-30,${h},${h / 100},${h / 1000},1.0,${h / 500}`),
  ))).status).toBe(200);
  const inc: string[] = [];
  for (const [d, , , , n, severe] of PLAN) {
    for (let i = 0; i < n; i++) inc.push(`${d}-I${i},${d},2025-0${1 + (i % 6)}-10T08:00:00Z,fall,${i < severe ? 3 : 0},closed`);
  }
  expect((await post('incidents', csv('incident_ref,deployment_ref,occurred_at,incident_type,severity_level,status', ...inc))).status).toBe(200);
}
const postTo = post;

beforeAll(async () => {
  ctx = await startTestApp();
  await load(ctx);
});
afterAll(async () => { await ctx?.close(); });

describe('GET /v1/scorecards (actuary, underwriter)', () => {
  it('gives every cell with exact intervals, the class rate and the empirical-Bayes credibility rate', async () => {
    const r = await get(ctx.keys.actuary);
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('full');
    const cells = r.body.cells as Record<string, number & string>[];
    expect(cells.map((c) => c.robot_model).sort()).toEqual(['LMD-B300', 'LMD-W500', 'PES-B700']);
    const x = cells.find((c) => c.robot_model === 'LMD-B300')!;
    const ci = ratePer1000Hours(20, 40_000);
    expect(x).toMatchObject({ scenario_class: CLASS, scenario_area: 'manufacturing', deployments: 4, organizations: 4, operating_hours: 40_000, incidents: 20, severe_incidents: 1 });
    expect(x.incident_rate_per_1000h).toBeCloseTo(0.5, 6);
    expect(x.ci_low).toBeCloseTo(ci.lower, 6);
    expect(x.ci_high).toBeCloseTo(ci.upper, 6);
    expect(x.mean_hours_between_incidents).toBeCloseTo(2000, 4);
    expect(x.protective_stops_per_1000h).toBeCloseTo(10, 6);
    expect(x.downtime_per_1000h).toBeCloseTo(2, 6);
    expect(x.class_rate_per_1000h).toBeCloseTo((55 / 80_000) * 1000, 6);
    const prior = fitGammaPrior(['LMD-B300', 'PES-B700', 'LMD-W500'].map((m) => ({ count: cell(m).incidents, exposure: cell(m).hours / 1000 })));
    expect(prior.shape).not.toBeNull();
    const post = cellPosterior({ count: 20, exposure: 40 }, prior);
    expect(x.credibility).toBeCloseTo(post.credibility, 6);
    expect(x.credibility_rate_per_1000h).toBeCloseTo(post.rate, 6);
    // shrunk toward the class: between the observed rate and the class rate
    expect(x.credibility_rate_per_1000h).toBeGreaterThan(0.5);
    expect(x.credibility_rate_per_1000h).toBeLessThan(x.class_rate_per_1000h);
    const pBest = cells.reduce((s, c) => s + Number(c.p_best), 0);
    expect(pBest).toBeCloseTo(1, 5);
    const y = cells.find((c) => c.robot_model === 'PES-B700')!;
    expect(y.rank_in_class).toBe(1); // 5 in 30,000 h: the lowest credibility rate
    expect(y.p_best).toBeGreaterThan(x.p_best);
  });

  it('gives each cell a verdict with the fired rules, their fact values and the hours still needed', async () => {
    const r = await get(ctx.keys.underwriter);
    const x = (r.body.cells as { robot_model: string; verdict: string; fired_rules: { rule: string; facts: Record<string, number> }[]; hours_still_needed: number; lf_credibility: number; credibility_rate_per_1000h: number }[])
      .find((c) => c.robot_model === 'LMD-B300')!;
    expect(x.verdict).toBe('not_yet_insurable');
    expect(x.lf_credibility).toBeCloseTo(Math.sqrt(20 / ((1.6448536269514722 / 0.1) ** 2)), 6);
    const fired = x.fired_rules.find((f) => f.rule === 'too_little_exposure')!;
    expect(fired.facts).toEqual({ incidents: 20 });
    expect(x.hours_still_needed).toBeCloseTo(((1.6448536269514722 / 0.1) ** 2 / x.credibility_rate_per_1000h) * 1000 - 40_000, 0);
    expect(r.body.ruleset).toMatchObject({ id: null, name: 'roborisk-scorecard-default' });
  });

  it('splits by software version, rolls up to the area, filters, and answers CSV', async () => {
    const v = await get(ctx.keys.actuary, '?by_software_version=true&robot_model=LMD-B300');
    expect(v.body.cells).toHaveLength(1);
    expect(v.body.cells[0]).toMatchObject({ software_version: '1.0', incidents: 20 });
    const a = await get(ctx.keys.actuary, '?level=scenario_area');
    expect(a.body.cells.every((c: { scenario_class: string | null; scenario_area: string }) => c.scenario_class === null && c.scenario_area === 'manufacturing')).toBe(true);
    const c = await request(ctx.baseUrl).get('/v1/scorecards?verdict=not_yet_insurable').set(bearer(ctx.keys.actuary)).set('Accept', 'text/csv');
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toMatch(/text\/csv/);
    const lines = c.text.trim().split('\r\n');
    expect(lines[0].split(',')).toEqual(expect.arrayContaining(['robot_model', 'scenario_class', 'incident_rate_per_1000h', 'ci_low', 'ci_high', 'verdict', 'fired_rules', 'p_best']));
    // LMD-B300 and PES-B700 lack exposure; LMD-W500 (2 severe of 30) is beyond the severity appetite
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['LMD-B300', 'PES-B700']);
    const all = (await get(ctx.keys.actuary)).body.cells as { robot_model: string; verdict: string }[];
    expect(all.find((x) => x.robot_model === 'LMD-W500')!.verdict).toBe('not_insurable');
    expect((await get(ctx.keys.admin)).status).toBe(403);
    expect((await get(ctx.keys.actuary, '?level=province')).status).toBe(422);
  });
});

describe('GET /v1/scorecards (regulator, enterprise)', () => {
  it('shows the regulator only cells that pass disclosure control, computed from the published cells alone', async () => {
    const r = await get(ctx.keys.regulator);
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('regulator');
    // the rules by name and the counts withheld, never the thresholds (docs/disclosure-control.md §4)
    expect(r.body.disclosure).toMatchObject({ method: 'linked_tables', rules: ['min_contributors', 'dominance', 'p_percent', 'complementary'], protected_cells: 2 });
    expect(JSON.stringify(r.body.disclosure)).not.toMatch(/0\.75|"min_contributors":3/);
    // LMD-W500: one operator → primary; its partner in the class margin must hide ±20% of its 30
    // incidents as well as of its hours, so LMD-B300 (20 incidents), not PES-B700 (5), is withheld
    expect(r.body.suppressed.map((s: { robot_model: string; suppressed: string }) => [s.robot_model, s.suppressed]).sort())
      .toEqual([['LMD-B300', 'complementary'], ['LMD-W500', 'min_contributors']]);
    expect(r.body.cells).toHaveLength(1);
    const x = r.body.cells[0];
    expect(x.robot_model).toBe('PES-B700');
    // nothing of the withheld cells leaks into the published one: its class is itself
    expect(x.class_rate_per_1000h).toBeCloseTo(5 / 30, 6);
    expect(x.credibility_rate_per_1000h).toBeCloseTo(5 / 30, 6);
    expect(JSON.stringify(r.body)).not.toContain('ORG-');
  });

  it('withholds the secondary measures of a published cell whose class has a withheld cell; an actuary sees them', async () => {
    // PES-B700's class also holds the withheld LMD-W500 and LMD-B300: the class's severe count (published by the
    // statistics) less PES-B700's would be theirs, so its organizations, severe incidents, stops… are null
    const r = await get(ctx.keys.regulator);
    const x = r.body.cells[0];
    expect(x.secondary_withheld).toBe(true);
    for (const f of ['deployments', 'organizations', 'task_cycles', 'severe_incidents', 'injury_incidents', 'severe_share', 'protective_stops_per_1000h', 'near_misses_per_1000h', 'downtime_per_1000h']) {
      expect(x[f], f).toBeNull();
    }
    expect(x).toMatchObject({ operating_hours: 30_000, incidents: 5 }); // hours and incidents stay (audited by the LP)
    for (const f of x.fired_rules as { facts: Record<string, unknown> }[]) {
      for (const k of ['severe_share', 'severe_incidents', 'stops_to_class_ratio', 'near_misses_to_class_ratio', 'protective_stops_per_1000h', 'organizations', 'deployments']) {
        if (k in f.facts) expect(f.facts[k], k).toBeNull();
      }
    }
    const csvText = (await get(ctx.keys.regulator).set('Accept', 'text/csv')).text.trim().split('\r\n');
    const head = csvText[0].split(',');
    expect(csvText[1].split(',')[head.indexOf('severe_incidents')]).toBe('withheld');
    expect(csvText[1].split(',')[head.indexOf('organizations')]).toBe('withheld');
    // the actuary's cell: the plan's figures (3 operators, 1 severe incident of 5, 300 stops over 30,000 h), same verdict
    const a = (await get(ctx.keys.actuary)).body.cells.find((c: { robot_model: string }) => c.robot_model === 'PES-B700');
    expect(a).toMatchObject({ organizations: 3, deployments: 3, severe_incidents: 1, severe_share: 0.2, protective_stops_per_1000h: 10, verdict: x.verdict });
    expect(a.secondary_withheld).toBeUndefined();
    // the enterprise's market block withholds them too
    const e = (await get(ctx.keys.enterprise)).body.cells.find((c: { robot_model: string }) => c.robot_model === 'PES-B700');
    expect(e.market).toMatchObject({ incidents: 5, organizations: null, severe_share: null, protective_stops_per_1000h: null, secondary_withheld: true });
  });

  it('publishes the secondary measures of a class with no withheld cell', async () => {
    // rules that withhold nothing: every cell of the class is published, so its figures are the actuary's
    const open = await startTestApp({ DISCLOSURE_MIN_CONTRIBUTORS: '1', DISCLOSURE_DOMINANCE: '1', DISCLOSURE_P_PERCENT: '0' });
    try {
      await load(open);
      const r = await request(open.baseUrl).get('/v1/scorecards').set(bearer(open.keys.regulator));
      expect(r.body.suppressed).toEqual([]);
      const w = r.body.cells.find((c: { robot_model: string }) => c.robot_model === 'LMD-W500');
      // LMD-W500: one operator, 10,000 h, 30 incidents of which 2 severe, 100 stops and 10 near misses
      expect(w).toMatchObject({ secondary_withheld: false, organizations: 1, deployments: 1, severe_incidents: 2, protective_stops_per_1000h: 10, near_misses_per_1000h: 1 });
      expect(w.severe_share).toBeCloseTo(2 / 30, 6);
    } finally { await open.close(); }
  });

  it('publishes nothing but suppressed keys when the minimum of operators is above every cell', async () => {
    const strict = await startTestApp({ DISCLOSURE_MIN_CONTRIBUTORS: '5' });
    try {
      const r = await request(strict.baseUrl).get('/v1/scorecards').set(bearer(strict.keys.regulator));
      expect(r.status).toBe(200);
      expect(r.body.cells).toEqual([]);
    } finally { await strict.close(); }
  });

  it('shows an enterprise its own cells against the published market cell of the same model × class', async () => {
    const r = await get(ctx.keys.enterprise); // ORG-A
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('enterprise');
    expect(r.body.organization_ref).toBe('ORG-A');
    const own = r.body.cells as { robot_model: string; operating_hours: number; incidents: number; market: { incidents: number; organizations: number } | null }[];
    expect(own.map((c) => [c.robot_model, c.operating_hours, c.incidents]).sort()).toEqual([['LMD-B300', 10_000, 8], ['PES-B700', 20_000, 3]]);
    expect(own.find((c) => c.robot_model === 'PES-B700')!.market).toMatchObject({ incidents: 5, organizations: null }); // secondary withheld (class not clean)
    expect(own.find((c) => c.robot_model === 'LMD-B300')!.market).toBeNull(); // withheld for the market
    const b = await get(ctx.keyB, '?robot_model=LMD-W500');
    expect(b.body.cells).toEqual([]); // ORG-B runs no LMD-W500
  });
});

describe('scorecard insurability rule sets', () => {
  it('refuses an invalid rule set naming the path, stores and activates a valid one that then decides the verdicts', async () => {
    const bad = await request(ctx.baseUrl).post('/v1/scorecard-rulesets').set(bearer(ctx.keys.actuary)).send({
      name: 'bad', rules: [{ name: 'r', conditions: { all: [{ fact: 'no_such_fact', operator: 'equal', value: 1 }] }, event: { type: 'verdict', params: { verdict: 'insurable', reason: 'x' } } }],
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain('rules[0].conditions.all[0].fact');
    const wrongEvent = await request(ctx.baseUrl).post('/v1/scorecard-rulesets').set(bearer(ctx.keys.actuary)).send({
      name: 'bad', rules: [{ name: 'r', conditions: { all: [{ fact: 'incidents', operator: 'greaterThan', value: 1 }] }, event: { type: 'decline', params: { reason: 'x' } } }],
    });
    expect(wrongEvent.status).toBe(422);
    expect((await request(ctx.baseUrl).post('/v1/scorecard-rulesets').set(bearer(ctx.keys.underwriter)).send({ name: 'x', rules: [] })).status).toBe(403);

    const good = await request(ctx.baseUrl).post('/v1/scorecard-rulesets').set(bearer(ctx.keys.actuary)).send({
      name: 'strict-severity', version: '2',
      rules: [
        { name: 'severe', conditions: { all: [{ fact: 'severe_share', operator: 'greaterThan', value: 0.06 }] }, event: { type: 'verdict', params: { verdict: 'not_insurable', reason: 'severe share above 6%' } } },
        { name: 'stops', conditions: { all: [{ fact: 'protective_stops_per_1000h', operator: 'greaterThanInclusive', value: 10 }] }, event: { type: 'verdict', params: { verdict: 'insurable_with_conditions', reason: 'stops', condition: 'Send stop logs monthly.' } } },
      ],
    });
    expect(good.status).toBe(201);
    expect(good.body.status).toBe('draft');
    expect((await get(ctx.keys.actuary)).body.ruleset.id).toBeNull(); // a draft decides nothing
    const act = await request(ctx.baseUrl).post(`/v1/scorecard-rulesets/${good.body.id}/activate`).set(bearer(ctx.keys.actuary));
    expect(act.status).toBe(200);
    const r = await get(ctx.keys.actuary);
    expect(r.body.ruleset).toMatchObject({ id: good.body.id, name: 'strict-severity' });
    const byModel = Object.fromEntries((r.body.cells as { robot_model: string; verdict: string; conditions: string[] }[]).map((c) => [c.robot_model, c]));
    expect(byModel['PES-B700'].verdict).toBe('not_insurable'); // 1 severe of 5 incidents
    expect(byModel['LMD-B300']).toMatchObject({ verdict: 'insurable_with_conditions', conditions: ['Send stop logs monthly.'] }); // 1 of 20 = 5%
    // the underwriting rule set in force is untouched by a scorecard rule set
    expect(await ctx.db('rulesets').count('* as n').then((x) => Number(x[0].n))).toBe(0);
  });
});
