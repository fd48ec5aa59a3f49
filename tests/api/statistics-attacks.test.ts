/**
 * The two differencing attacks of issue 11, as regression tests on the demo history (its class
 * `emergency_rescue.firefighting_support` is run by one operator), plus the transparency and
 * audit trail of regulator queries (docs/disclosure-control.md):
 *
 * * by date range: two windows differing by one month — now refused (only whole calendar
 *   periods of the fixed structure are answerable), and the differences of aligned answers
 *   (a year or quarter less its published months) never give a withheld cell's value;
 * * by hierarchy: an area less its published classes, for every period, never gives the
 *   single-operator class's hours, incidents, claims or deployments (counts are published only
 *   over published cells, docs/disclosure-control.md §2), nor open claims through share_open;
 * * loss ratios by period level: a year less its three published quarters gave the fourth when
 *   each table was protected on its own; now the quarter of one insurer stays uncertain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { SIMULATION_DESIGN } from '../../seeds/true-parameters.ts';
import { lossRatios } from '../../services/statistics.ts';
import { disclosureRulesOf, suppress } from '../../services/disclosure.ts';
import { earnedPremiumCells, exposureGroups } from '../../db/repositories/statistics.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const get = (path: string) => request(ctx.baseUrl).get(path).set(bearer(ctx.keys.regulator));
const [[SOLO_CLASS]] = Object.entries(SIMULATION_DESIGN.single_operator_classes) as [string, string][];
const AREA = SOLO_CLASS.split('.')[0];

type Cell = Record<string, string | number | null> & { suppressed: string | null };
const cellsOf = async (path: string): Promise<Cell[]> => {
  const r = await get(path);
  expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
  return r.body.cells;
};
const sum = (cells: readonly Cell[], field: string) => cells.reduce((s, c) => s + Number(c[field]), 0);
const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

/** The true hours and incidents of the single-operator class per month, from the database. */
async function soloTruth(): Promise<Map<string, { hours: number; incidents: number }>> {
  const h = await ctx.db.raw(`select to_char(s.month, 'YYYY-MM') as m, sum(s.operating_hours)::float8 as h from exposure_month_summary s
    join scenario_classes c on c.id = s.scenario_class_id where c.code = ? group by 1`, [SOLO_CLASS]);
  const n = await ctx.db.raw(`select to_char(i.occurred_at at time zone 'UTC', 'YYYY-MM') as m, count(*)::int as n from incidents i
    join deployments d on d.id = i.deployment_id join scenario_classes c on c.id = d.scenario_class_id where c.code = ? group by 1`, [SOLO_CLASS]);
  const out = new Map<string, { hours: number; incidents: number }>();
  for (const r of h.rows) out.set(r.m, { hours: r.h, incidents: 0 });
  for (const r of n.rows) out.set(r.m, { hours: out.get(r.m)?.hours ?? 0, incidents: r.n });
  return out;
}

describe('attack 1: differencing two date windows', () => {
  it('a window that is not whole periods of the fixed structure is refused, naming from / to (rates and severity)', async () => {
    for (const route of ['incident-rates?', 'severity?coverage=third_party_liability&']) {
      const long = await get(`/v1/statistics/${route}group_by=scenario_class&from=2025-01-01&to=2026-01-31`);
      expect(long.status).toBe(422);
      expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['query.from']));
      const cut = await get(`/v1/statistics/${route}group_by=scenario_class,period&period_unit=quarter&from=2025-01-01&to=2025-11-30`);
      expect(cut.status).toBe(422);
      expect(cut.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.to']);
      const mid = await get(`/v1/statistics/${route}group_by=scenario_class,period&from=2025-01-15`);
      expect(mid.status).toBe(422);
      expect(mid.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.from']);
    }
    // whole periods are answered: one year, one quarter, one month without a period; aligned months with one
    for (const q of ['from=2025-01-01&to=2025-12-31', 'from=2025-04-01&to=2025-06-30', 'from=2026-01-01&to=2026-01-31', 'group_by=scenario_class,period&from=2025-02-01&to=2026-03-31']) {
      expect((await get(`/v1/statistics/incident-rates?${q}`)).status, q).toBe(200);
    }
    expect((await get('/v1/statistics/loss-ratios?group_by=scenario_area&from=2025-01-01&to=2025-06-30')).status).toBe(422);
    expect((await get('/v1/statistics/report.pdf?from=2025-01-01&to=2025-06-30')).status).toBe(422);
  });

  it('a year or quarter less its published months never gives a withheld month of the single-operator class', async () => {
    const truth = await soloTruth();
    const months = (await cellsOf(`/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=month`)).filter((c) => c.scenario_class === SOLO_CLASS);
    const quarters = (await cellsOf(`/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=quarter`)).filter((c) => c.scenario_class === SOLO_CLASS);
    const years = (await cellsOf(`/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=year`)).filter((c) => c.scenario_class === SOLO_CLASS);
    expect(months.length).toBeGreaterThan(10);
    // one organization: every cell of the class is withheld, at every level, in every window
    for (const c of [...months, ...quarters, ...years]) expect(c).toMatchObject({ suppressed: 'min_contributors', operating_hours: null, incidents: null });
    for (const y of ['2025', '2026']) {
      const one = await cellsOf(`/v1/statistics/incident-rates?group_by=scenario_class&from=${y}-01-01&to=${y}-12-31`);
      expect(one.find((c) => c.scenario_class === SOLO_CLASS)).toMatchObject({ suppressed: 'min_contributors', operating_hours: null });
    }
    expect(truth.size).toBeGreaterThan(10);
  });
});

describe('attack 2: an area less its published classes', () => {
  it('for every period level and window, never gives the single-operator class\'s hours or incidents', async () => {
    const truth = await soloTruth();
    const secrets = new Set<number>();
    const add = (v: number) => { if (v > 0) secrets.add(Math.round(v * 100) / 100); };
    const perPeriod = new Map<string, { hours: number; incidents: number }>();
    for (const [m, t] of truth) {
      for (const p of [m, quarterOf(m), m.slice(0, 4), '*']) {
        const o = perPeriod.get(p) ?? { hours: 0, incidents: 0 };
        o.hours += t.hours; o.incidents += t.incidents;
        perPeriod.set(p, o);
      }
    }
    for (const t of perPeriod.values()) add(t.hours);
    const derived: number[] = [];
    const queries: [string, string][] = [
      ['group_by=scenario_class', 'group_by=scenario_area'],
      ...['2025', '2026'].map((y): [string, string] => [`group_by=scenario_class&from=${y}-01-01&to=${y}-12-31`, `group_by=scenario_area&from=${y}-01-01&to=${y}-12-31`]),
      ...(['month', 'quarter', 'year'] as const).map((u): [string, string] => [`group_by=scenario_class,period&period_unit=${u}`, `group_by=scenario_area,period&period_unit=${u}`]),
    ];
    for (const [classes, areas] of queries) {
      const cls = await cellsOf(`/v1/statistics/incident-rates?${classes}`);
      const ars = await cellsOf(`/v1/statistics/incident-rates?${areas}`);
      for (const a of ars.filter((c) => c.scenario_area === AREA && c.suppressed === null)) {
        const inArea = cls.filter((c) => String(c.scenario_class).startsWith(`${AREA}.`) && c.period === a.period);
        const published = inArea.filter((c) => c.suppressed === null);
        expect(inArea.length - published.length, `${classes} ${a.period ?? ''}`).not.toBe(1); // never one withheld class alone in a published area
        derived.push(Math.round((Number(a.operating_hours) - sum(published, 'operating_hours')) * 100) / 100);
      }
    }
    expect(derived.length).toBeGreaterThan(0);
    for (const d of derived) expect(secrets.has(d), `area less published classes = ${d}, a withheld value`).toBe(false);
  });

  it('third-party liability claims of the single-operator class: not derivable from the area and its classes', async () => {
    const truth = (await ctx.db.raw(`select count(*)::int as n from incidents i join deployments d on d.id = i.deployment_id
      join scenario_classes c on c.id = d.scenario_class_id where c.code = ? and (i.third_party_property_damage + i.bodily_injury_cost) > 0`, [SOLO_CLASS])).rows[0].n;
    const cls = await cellsOf('/v1/statistics/severity?coverage=third_party_liability&group_by=scenario_class');
    const ars = await cellsOf('/v1/statistics/severity?coverage=third_party_liability&group_by=scenario_area');
    const solo = cls.find((c) => c.scenario_class === SOLO_CLASS);
    if (truth > 0) expect(solo).toMatchObject({ suppressed: 'min_contributors', claims: null, total_incurred: null, p99: null });
    const area = ars.find((c) => c.scenario_area === AREA);
    if (area?.suppressed === null) {
      const inArea = cls.filter((c) => String(c.scenario_class).startsWith(`${AREA}.`));
      const withheld = inArea.filter((c) => c.suppressed !== null);
      expect(withheld.length).not.toBe(1);
      const left = Number(area.claims) - sum(inArea.filter((c) => c.suppressed === null), 'claims');
      if (truth > 0) expect(left).toBeGreaterThan(truth);
    }
  });
});

describe('attack 2b: the counts beside the protected measures', () => {
  const PROTECTION = 0.2; // the default DISCLOSURE_PROTECTION
  /** The true deployments of the single-operator class per period (month, quarter, year, `*`), read without disclosure control. */
  async function soloDeployments(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const unit of ['month', 'quarter', 'year'] as const) {
      for (const g of await exposureGroups(ctx.db, ['scenario_class', 'period'], { unit })) if (g.key.scenario_class === SOLO_CLASS) out.set(g.key.period, g.deployments);
    }
    for (const g of await exposureGroups(ctx.db, ['scenario_class'], { unit: 'month' })) if (g.key.scenario_class === SOLO_CLASS) out.set('*', g.deployments);
    return out;
  }

  it('area deployments less the published classes\' deployments never give the single-operator class\'s deployments (nor within ±20 %)', async () => {
    const truth = await soloDeployments();
    expect(truth.size).toBeGreaterThan(10);
    const queries: [string, string, string][] = [
      ['group_by=scenario_class', 'group_by=scenario_area', '*'],
      ...['2025', '2026'].map((y): [string, string, string] => [`group_by=scenario_class&from=${y}-01-01&to=${y}-12-31`, `group_by=scenario_area&from=${y}-01-01&to=${y}-12-31`, y]),
      ...(['month', 'quarter', 'year'] as const).map((u): [string, string, string] => [`group_by=scenario_class,period&period_unit=${u}`, `group_by=scenario_area,period&period_unit=${u}`, '']),
    ];
    let areasOverSolo = 0;
    for (const [classes, areas, window] of queries) {
      const cls = await cellsOf(`/v1/statistics/incident-rates?${classes}`);
      const ars = await cellsOf(`/v1/statistics/incident-rates?${areas}`);
      for (const c of cls.filter((x) => x.scenario_class === SOLO_CLASS)) expect(c).toMatchObject({ organizations: null, deployments: null });
      for (const a of ars.filter((c) => c.scenario_area === AREA && c.suppressed === null)) {
        const period = (a.period as string | undefined) ?? window;
        const solo = truth.get(period) ?? 0;
        if (solo === 0) continue;
        areasOverSolo += 1;
        const inArea = cls.filter((c) => String(c.scenario_class).startsWith(`${AREA}.`) && (c.period ?? window) === period);
        // the class is withheld here, so the area publishes no counts at all (before, the area less its published classes gave
        // the class's deployments plus emergency_rescue.search's, 1.5–3 × the class's: bounded, and narrowable with the
        // inequalities over time of the attacker audit)
        expect(inArea.some((c) => c.suppressed !== null)).toBe(true);
        expect(a, `${areas} ${period}`).toMatchObject({ organizations: null, deployments: null });
        if (a.deployments === null) continue;
        const derived = Number(a.deployments) - sum(inArea.filter((c) => c.deployments !== null), 'deployments');
        expect(Math.abs(derived - solo), `${areas} ${period}: area less published classes = ${derived} deployments, the class has ${solo}`).toBeGreaterThan(PROTECTION * solo);
      }
    }
    // the area is published over the class's periods: the check above met real cells
    expect(areasOverSolo).toBeGreaterThan(0);
  });

  it('severity: a published cell over a withheld one publishes no share_open (open claims are additive)', async () => {
    let over = 0;
    for (const coverage of ['robot_damage', 'third_party_liability', 'business_interruption']) {
      const cls = await cellsOf(`/v1/statistics/severity?coverage=${coverage}&group_by=scenario_class`);
      for (const [q, inside] of [
        ['group_by=scenario_area', (a: Cell, c: Cell) => String(c.scenario_class).startsWith(`${a.scenario_area}.`)],
        ['group_by=', () => true],
      ] as const) {
        for (const a of (await cellsOf(`/v1/statistics/severity?coverage=${coverage}&${q}`)).filter((x) => x.suppressed === null)) {
          if (!cls.some((c) => inside(a, c) && c.suppressed !== null)) continue;
          over += 1;
          expect(a, `${coverage} ${q}: ${JSON.stringify(a)}`).toMatchObject({ share_open: null });
          expect(a.claims).not.toBeNull(); // the protected measures stay published
        }
      }
    }
    expect(over).toBeGreaterThan(0);
  });
});

describe('attack 3: loss ratios, a year less its published quarters', () => {
  const underwriter = (path: string, body: unknown) => request(ctx.baseUrl).post(path).set(bearer(ctx.keys.underwriter)).send(body as object);

  it('four insurers bind 2025 in one area, three cancel from October: the fourth\'s Q4 premium and losses are not the year less Q1–Q3', async () => {
    // an area whose classes four demo enterprises run, with the class and model each runs there
    const runs = (await ctx.db.raw(`select c.area, o.ref, min(c.code) as scenario_class, min(m.code) as robot_model
      from deployments d join robot_models m on m.id = d.robot_model_id join organizations o on o.id = d.organization_id join scenario_classes c on c.id = d.scenario_class_id
      where o.ref like 'ENT-%' group by c.area, o.ref order by c.area, o.ref`)).rows as { area: string; ref: string; scenario_class: string; robot_model: string }[];
    const areas = [...new Set(runs.map((r) => r.area))].filter((a) => runs.filter((r) => r.area === a).length >= 5);
    let area = '';
    let policies: string[] = [];
    // four insurers of one area whose 2025 quotes bind (a referred quote is quoted by the underwriter; an open subjectivity skips the insurer)
    for (const a of areas) {
      policies = [];
      for (const r of runs.filter((x) => x.area === a)) {
        const q = await underwriter('/v1/quotes', {
          organization_ref: r.ref, basis: 'annual', period: { start: '2025-01-01', end: '2025-12-31' }, backdating: { reason: 'differencing regression test' },
          fleet: [{ robot_model: r.robot_model, scenario_class: r.scenario_class, units: 5, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } }],
          coverages: [{ coverage: 'robot_damage', deductible: 1000, per_occurrence_limit: 1_000_000 }, { coverage: 'third_party_liability', deductible: 1000, per_occurrence_limit: 1_000_000 }],
        });
        expect(q.status, JSON.stringify(q.body)).toBe(201);
        if (q.body.status === 'referred') expect((await underwriter(`/v1/quotes/${q.body.ref}/decision`, { decision: 'quoted', note: 'regression test' })).status).toBe(200);
        else if (q.body.status !== 'quoted') continue;
        const b = await underwriter(`/v1/quotes/${q.body.ref}/bind`, {});
        if (b.status === 409) continue;
        expect(b.status, JSON.stringify(b.body)).toBe(200);
        policies.push(b.body.policy_number);
        if (policies.length === 4) break;
      }
      if (policies.length === 4) { area = a; break; }
      for (const p of policies) expect((await underwriter(`/v1/policies/${p}/cancellation`, { effective_date: '2025-01-01', reason: 'not enough insurers in the area' })).status).toBe(200);
    }
    expect(area).not.toBe('');
    for (const p of policies.slice(0, 3)) expect((await underwriter(`/v1/policies/${p}/cancellation`, { effective_date: '2025-10-01', reason: 'programme ended' })).status).toBe(200);

    // the true Q4 of the area: the fourth insurer's alone (disclosure control off, straight from the service)
    const open = { ...disclosureRulesOf(ctx.config), minContributors: 1, dominance: 1, pPercent: 0 };
    const truth = (await lossRatios(ctx.db, { group_by: ['scenario_area', 'period'], period_unit: 'quarter', from: '2025-10-01', to: '2025-12-31' }, open)).cells
      .find((c) => c.scenario_area === area)!;
    expect(truth).toMatchObject({ organizations: 1, suppressed: null });
    expect(truth.earned_premium).toBeGreaterThan(0);

    const year = (await cellsOf('/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=year&from=2025-01-01&to=2025-12-31')).find((c) => c.scenario_area === area)!;
    const quarters = (await cellsOf('/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=quarter&from=2025-01-01&to=2025-12-31')).filter((c) => c.scenario_area === area);
    expect(quarters.map((c) => c.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(quarters[3]).toMatchObject({ suppressed: 'min_contributors', earned_premium: null, incurred_losses: null, loss_ratio: null });
    if (year.suppressed === null) {
      // the year is published: a second quarter is withheld with Q4, and the difference is not Q4's value within the protection level
      const published = quarters.filter((c) => c.suppressed === null);
      expect(published.length).toBeLessThan(3);
      for (const [field, v] of [['earned_premium', Number(truth.earned_premium)], ['incurred_losses', Number(truth.incurred_losses)]] as const) {
        const left = Number(year[field]) - sum(published, field);
        expect(left, field).toBeGreaterThanOrEqual(1.2 * v - 0.01 * quarters.length);
      }
    }
    // each quarter asked alone (a window of one quarter, no period dimension) is the same cell with the same status
    const ends = ['03-31', '06-30', '09-30', '12-31'];
    for (const [k, end] of ends.entries()) {
      const from = `2025-${String(3 * k + 1).padStart(2, '0')}-01`;
      const c = (await cellsOf(`/v1/statistics/loss-ratios?group_by=scenario_area&from=${from}&to=2025-${end}`)).find((x) => x.scenario_area === area)!;
      expect(c.suppressed, from).toBe(quarters[k].suppressed);
    }
    // protected per response (the earlier method), those four answers and the year's gave Q4 exactly: the attack was real
    const oldRules = disclosureRulesOf(ctx.config);
    const perTable = async (from: string, to: string) => {
      const cells = (await earnedPremiumCells(ctx.db, ['scenario_area'], { from, to, unit: 'year' }));
      const verdict = suppress(cells.map((c) => ({ key: c.key, contributors: c.organizations, magnitude: c.earned, maxShare: c.maxShare })), ['scenario_area'], oldRules);
      const i = cells.findIndex((c) => c.key.scenario_area === area);
      return { earned: cells[i].earned, published: verdict[i] === undefined };
    };
    const oldYear = await perTable('2025-01-01', '2025-12-31');
    const oldQuarters = await Promise.all(ends.map((end, k) => perTable(`2025-${String(3 * k + 1).padStart(2, '0')}-01`, `2025-${end}`)));
    expect(oldQuarters.map((q) => q.published)).toEqual([true, true, true, false]);
    expect(oldYear.published).toBe(true);
    expect(oldYear.earned - oldQuarters.slice(0, 3).reduce((a, q) => a + q.earned, 0)).toBeCloseTo(Number(truth.earned_premium), 1);
    // the same through the monthly table: October–December of the area never all published with the quarter's year
    const months = (await cellsOf('/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=month&from=2025-10-01&to=2025-12-31')).filter((c) => c.scenario_area === area);
    expect(months.every((c) => c.suppressed !== null)).toBe(true);
    const r = await get('/v1/statistics/loss-ratios?group_by=scenario_area,period&period_unit=quarter');
    expect(r.body.disclosure.method).toBe('linked_tables');
  }, 180_000);
});

describe('transparency and audit', () => {
  it('a response names the rules and counts the withheld cells, without any parameter', async () => {
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=quarter');
    expect(Object.keys(r.body.disclosure).sort()).toEqual(['by_reason', 'counts_withheld', 'method', 'protected_cells', 'rules']);
    expect(r.body.disclosure.method).toBe('linked_tables');
    expect(r.body.disclosure.rules).toEqual(['min_contributors', 'dominance', 'p_percent', 'complementary']);
    const withheld = r.body.cells.filter((c: Cell) => c.suppressed !== null).length;
    expect(withheld).toBeGreaterThan(0);
    expect(r.body.disclosure.protected_cells).toBe(withheld);
    expect(Object.values(r.body.disclosure.by_reason as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(withheld);
    const text = JSON.stringify(r.body.disclosure);
    expect(text).not.toMatch(/0\.75|0\.2\b|0\.1\b|"min_contributors":3\b/);
    const s = await get('/v1/statistics/severity?coverage=robot_damage&group_by=scenario_area');
    expect(s.body.disclosure.rules).toContain('quantile_tail');
    expect(typeof s.body.disclosure.quantiles_withheld).toBe('number');
  });

  it('every statistics query is written to audit_events: who, what, when', async () => {
    const before = Number((await ctx.db('audit_events').where({ action: 'statistics.query' }).count('* as n'))[0].n);
    await get('/v1/statistics/incident-rates?group_by=scenario_area,period&period_unit=year');
    await request(ctx.baseUrl).get('/v1/statistics/severity?coverage=robot_damage&group_by=severity_level').set(bearer(ctx.keys.actuary));
    const rows = await ctx.db('audit_events').where({ action: 'statistics.query' }).orderBy('id', 'desc').limit(2);
    expect(Number((await ctx.db('audit_events').where({ action: 'statistics.query' }).count('* as n'))[0].n)).toBe(before + 2);
    const [sev, rates] = rows;
    expect(rates.entity_ref).toBe('incident-rates');
    expect(sev.entity_ref).toBe('severity');
    expect(rates.actor).toMatch(/^api_key:\d+$/);
    expect(rates.actor).not.toBe(sev.actor); // regulator and actuary keys
    const after = typeof rates.after === 'string' ? JSON.parse(rates.after) : rates.after;
    expect(after.query).toMatchObject({ group_by: ['scenario_area', 'period'], period_unit: 'year' });
    expect(after.cells).toBeGreaterThan(0);
    expect(rates.created_at).toBeTruthy();
  });
});
