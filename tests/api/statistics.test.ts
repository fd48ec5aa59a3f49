import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { ROLES } from '../../domain/index.ts';
import type { FieldProblem, HttpMethod, OpenApiDocument, OpenApiOperation } from '../helpers/api-types.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';
import { SIMULATION_DESIGN } from '../../seeds/true-parameters.ts';
import { COVERAGE_CODES } from '../../domain/index.ts';
import * as repo from '../../db/repositories/statistics.ts';
import type { StatDim, StatFilter } from '../../db/repositories/statistics.ts';
import { incidentCountsOf } from '../../services/incident-cube.ts';
import { buildSeverityTables } from '../../services/protected-tables.ts';
import { claimIndexOf, severityCellsOf, type SeverityAnswerDim } from '../../services/severity-claims.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';

/** The fields of a statistics cell these tests read. */
type StatsCell = { scenario_class: string; scenario_area: string; suppressed: string | null };

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({}, { demo: true }); }, 240_000);
afterAll(async () => { await ctx?.close(); });

const get = (path: string, key = ctx.keys.regulator) => request(ctx.baseUrl).get(path).set(bearer(key));

describe('incident rates', () => {
  it('per scenario area: hours and incidents match the database, with exact Poisson intervals', async () => {
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_area');
    expect(r.status).toBe(200);
    expect(r.body.cells).toHaveLength(6);
    const m = r.body.cells.find((c: { scenario_area?: string }) => c.scenario_area === 'maintenance');
    const db = await ctx.db.raw(`select count(*)::int as n from incidents i join deployments d on d.id = i.deployment_id join scenario_classes c on c.id = d.scenario_class_id where c.area = 'maintenance'`);
    const hours = await ctx.db.raw(`select sum(e.operating_hours) as h from exposures e join deployments d on d.id = e.deployment_id join scenario_classes c on c.id = d.scenario_class_id where c.area = 'maintenance'`);
    expect(m.incidents).toBe(db.rows[0].n);
    expect(m.operating_hours).toBeCloseTo(Number(hours.rows[0].h), 1);
    expect(m.rate_per_1000h).toBeCloseTo((1000 * m.incidents) / m.operating_hours, 5);
    expect(m.ci_low).toBeLessThan(m.rate_per_1000h);
    expect(m.ci_high).toBeGreaterThan(m.rate_per_1000h);
    expect(m.suppressed).toBeNull();
    expect(m.organizations).toBeGreaterThanOrEqual(3);
  });

  it('splits by incident type over the exposure group, with zero cells included, only where no withheld cell lies under the group', async () => {
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_area,incident_type');
    expect(r.body.cells).toHaveLength(6 * 14);
    const totals = (await get('/v1/statistics/incident-rates?group_by=scenario_area')).body.cells as { scenario_area: string; incidents: number | null; suppressed: string | null }[];
    const classes = (await get('/v1/statistics/incident-rates?group_by=scenario_class,period&period_unit=month')).body.cells as StatsCell[];
    let publishedAreas = 0;
    for (const total of totals) {
      const splits = r.body.cells.filter((c: { scenario_area?: string }) => c.scenario_area === total.scenario_area);
      // one verdict for the 14 splits of an area: published (summing to its incidents, over its hours) or all withheld
      expect(new Set(splits.map((c: StatsCell) => c.suppressed)).size, total.scenario_area).toBe(1);
      const anyWithheldBelow = classes.some((c) => c.scenario_class.startsWith(`${total.scenario_area}.`) && c.suppressed !== null);
      if (splits[0].suppressed === null) {
        publishedAreas += 1;
        expect(anyWithheldBelow, `${total.scenario_area}: splits published over a withheld class-month`).toBe(false);
        expect(splits.reduce((s: number, c: { incidents: number }) => s + c.incidents, 0)).toBe(total.incidents);
        expect(new Set(splits.map((c: { operating_hours: number }) => c.operating_hours)).size).toBe(1);
      } else {
        expect(splits.every((c: { incidents: number | null }) => c.incidents === null)).toBe(true);
        if (total.suppressed === null) expect(splits[0].suppressed).toBe('complementary');
      }
    }
    expect(publishedAreas).toBeGreaterThan(0);
  });

  it('answers CSV when asked', async () => {
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_area').set('Accept', 'text/csv');
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toBe('scenario_area,organizations,deployments,operating_hours,incidents,rate_per_1000h,ci_low,ci_high,suppressed');
    expect(lines).toHaveLength(7);
  });

  it('rejects unknown dimensions and bad dates naming the field', async () => {
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_area,organization_ref&from=2025-13-01');
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: FieldProblem) => e.field).sort()).toEqual(['query.from', 'query.group_by.1']);
  });
});

describe('disclosure control on real queries', () => {
  it('at first start, the demo\'s single-operator class is suppressed, with a partner in its area', async () => {
    const [[cls, operator]] = Object.entries(SIMULATION_DESIGN.single_operator_classes);
    const demo = generateDemoHistory();
    expect(new Set(demo.deployments.filter((d) => d.scenario_class === cls).map((d) => d.organization_ref))).toEqual(new Set([operator]));
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_class&period_unit=year');
    expect(r.status).toBe(200);
    expect(r.body.cells.find((c: StatsCell) => c.scenario_class === cls)).toMatchObject({ suppressed: 'min_contributors', operating_hours: null, incidents: null });
    const area = cls.split('.')[0];
    const inArea = r.body.cells.filter((c: StatsCell) => c.scenario_class.startsWith(`${area}.`));
    expect(inArea.filter((c: StatsCell) => c.suppressed === 'complementary').length).toBeGreaterThanOrEqual(1);
    // the area itself has enough organizations and is published
    const areas = await get('/v1/statistics/incident-rates?group_by=scenario_area&period_unit=year');
    expect(areas.body.cells.find((c: StatsCell) => c.scenario_area === area).suppressed).toBeNull();
  });

  it('suppresses a class served by a single organization, and its complement, and never leaks values', async () => {
    // ORG-C alone runs a new scenario class: its cells must be suppressed.
    await request(ctx.baseUrl).post('/v1/scenario-classes').set(bearer(ctx.keys.actuary)).send({ code: 'manufacturing.painting', area: 'manufacturing', name: 'Painting', human_proximity: 'segregated', environment: 'structured', vulnerable_people: false });
    const put = (kind: string, body: string) => request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);
    expect((await put('deployments', 'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\nSOLO-1,ORG-C,manufacturing.painting,LMD-B300,3,supervised,2025-01-01,2025-12-31\n')).status).toBe(200);
    expect((await put('exposures', 'deployment_ref,period_start,period_end,operating_hours\nSOLO-1,2025-01-01,2025-01-31,900\n')).status).toBe(200);
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_class&period_unit=year');
    const solo = r.body.cells.find((c: { scenario_class?: string }) => c.scenario_class === 'manufacturing.painting');
    expect(solo).toMatchObject({ suppressed: 'min_contributors', operating_hours: null, incidents: null, rate_per_1000h: null, organizations: null });
    // a partner in the same area: otherwise the area total minus the published classes reveals it
    const complementary = r.body.cells.filter((c: { suppressed: string | null; scenario_class: string }) => c.suppressed === 'complementary' && c.scenario_class.startsWith('manufacturing.'));
    expect(complementary.length).toBeGreaterThanOrEqual(1);
    for (const c of complementary) expect(c.operating_hours).toBeNull();
    // and no area has exactly one suppressed class
    const perArea = new Map<string, number>();
    for (const c of r.body.cells) if (c.suppressed) perArea.set(c.scenario_class.split('.')[0], (perArea.get(c.scenario_class.split('.')[0]) ?? 0) + 1);
    for (const n of perArea.values()) expect(n).toBeGreaterThanOrEqual(2);
  });

  it('suppresses a cell dominated by one organization', async () => {
    const put = (kind: string, body: string) => request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);
    await put('deployments', [
      'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
      'DOM-A,ORG-A,manufacturing.painting,LMD-B300,3,supervised,2030-01-01,2030-12-31',
      'DOM-B,ORG-B,manufacturing.painting,LMD-B300,3,supervised,2030-01-01,2030-12-31',
      'DOM-C,ORG-C,manufacturing.painting,LMD-B300,3,supervised,2030-01-01,2030-12-31',
    ].join('\n'));
    await put('exposures', ['deployment_ref,period_start,period_end,operating_hours', 'DOM-A,2030-01-01,2030-01-31,8000', 'DOM-B,2030-01-01,2030-01-31,100', 'DOM-C,2030-01-01,2030-01-31,100'].join('\n'));
    const r = await get('/v1/statistics/incident-rates?group_by=scenario_class&from=2030-01-01&to=2030-12-31');
    expect(r.body.cells).toHaveLength(1);
    expect(r.body.cells[0]).toMatchObject({ suppressed: 'dominance', operating_hours: null });
  });

  it('severity statistics per coverage are disclosure-controlled too', async () => {
    const r = await get('/v1/statistics/severity?coverage=robot_damage&group_by=scenario_area,severity_level&period_unit=year');
    expect(r.status).toBe(200);
    const byArea = await get('/v1/statistics/severity?coverage=robot_damage&group_by=period&period_unit=year');
    for (const c of [...r.body.cells, ...byArea.body.cells]) {
      if (c.suppressed) expect(c.claims).toBeNull();
      else {
        expect(c.claims).toBeGreaterThan(0);
        // a quantile needs enough claims on each side of it (DISCLOSURE_QUANTILE_TAIL, 5)
        expect(c.median === null).toBe(c.claims < 10);
        expect(c.p90 === null).toBe(c.claims * 0.1 < 5);
        expect(c.p99 === null).toBe(c.claims * 0.01 < 5);
        if (c.p90 !== null) expect(c.median).toBeLessThanOrEqual(c.p90);
        if (c.p99 !== null) expect(c.p90).toBeLessThanOrEqual(c.p99);
      }
    }
    expect(byArea.body.cells.some((c: { suppressed: string | null }) => c.suppressed === null)).toBe(true);
  });

  it('a regulator never obtains organization-level rows from any route', async () => {
    const doc = (await request(ctx.baseUrl).get('/openapi.json')).body as OpenApiDocument;
    const orgRefs = (await ctx.db('organizations').pluck('ref')) as string[];
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as [HttpMethod, OpenApiOperation][]) {
        const code = p.startsWith('/v1/robot-models') ? 'LMD-B300' : 'manufacturing.assembly';
        const path = p.replace(/\{(\w+)\}/g, (_m, n) => (n === 'kind' ? 'exposures' : n === 'id' ? '1' : n === 'ref' ? orgRefs[0] : n === 'code' ? code : 'x'));
        const url = path.startsWith('/v1/statistics/severity') ? `${path}?coverage=robot_damage&group_by=scenario_class,period,severity_level` : path.endsWith('.pdf') ? path : path.startsWith('/v1/statistics/loss') ? `${path}?group_by=scenario_area,period` : path.startsWith('/v1/statistics') ? `${path}?group_by=scenario_class,period` : path;
        const r = await request(ctx.baseUrl)[method](url).set(bearer(ctx.keys.regulator));
        if (!op['x-roles'].includes('regulator')) {
          expect(r.status, `${method} ${path}`).toBe(403);
          continue;
        }
        expect(r.status, `${method} ${path}`).toBe(200);
        const text = JSON.stringify(r.body);
        expect(text).not.toMatch(/organization_ref|organization_id|deployment_ref|incident_ref/);
        for (const ref of orgRefs) expect(text.includes(`"${ref}"`), `${path} leaks ${ref}`).toBe(false);
      }
    }
    expect(ROLES).toContain('regulator');
  });
});

describe('incident splits from the incident cube', () => {
  // the cube (services/incident-cube.ts) against PostgreSQL's grouping of the incidents themselves
  const DIMS: StatDim[][] = [['incident_type'], ['scenario_area', 'severity_level'], ['scenario_class', 'incident_type'], ['scenario_class', 'period', 'incident_type'],
    ['scenario_area', 'period', 'severity_level'], ['period', 'incident_type', 'severity_level'], ['scenario_class'], []];
  const WINDOWS: StatFilter[] = [{ unit: 'month' }, { unit: 'quarter' }, { unit: 'year' }, { from: '2025-01-01', to: '2025-12-31', unit: 'year' },
    { from: '2025-02-01', to: '2025-02-28', unit: 'month' }, { from: '2025-04-01', unit: 'quarter' }, { to: '2025-06-30', unit: 'month' }];
  it('every cell equals the SQL count, at every dimension set and whole-month window', async () => {
    const cube = { rows: await repo.incidentCubeRows(ctx.db) };
    const sorted = (cells: { key: Record<string, string>; incidents: number }[]) => cells.map((c) => [JSON.stringify(c.key), c.incidents] as const).sort(([a], [b]) => (a < b ? -1 : 1));
    let compared = 0;
    for (const dims of DIMS) {
      for (const f of WINDOWS) {
        const [mine, sql] = [incidentCountsOf(cube, dims, f), await repo.incidentCounts(ctx.db, dims, f)];
        expect(sorted(mine)).toEqual(sorted(sql));
        compared += mine.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(() => incidentCountsOf(cube, [], { from: '2025-02-02', unit: 'month' })).toThrow(/whole calendar months/);
  });
});

describe('severity figures from the claim index', () => {
  // the claim index (services/severity-claims.ts) against PostgreSQL's own aggregates over the incidents
  // (count, sum, avg, percentile_cont = R type 7): an independent implementation of the same figures
  const DIMS: SeverityAnswerDim[][] = [[], ['scenario_area'], ['scenario_class'], ['scenario_area', 'severity_level'], ['scenario_class', 'period'], ['period', 'severity_level']];
  const WINDOWS: { from?: string; to?: string; unit: 'quarter' | 'year' }[] = [
    { unit: 'year' }, { unit: 'quarter' }, { from: '2025-01-01', to: '2025-12-31', unit: 'year' }, { from: '2025-04-01', to: '2025-06-30', unit: 'quarter' },
  ];
  it.each(COVERAGE_CODES)('%s: every cell equals the SQL aggregates, at every dimension set and whole-quarter window', async (coverage) => {
    const { claims } = await buildSeverityTables(ctx.db, coverage, DEFAULT_DISCLOSURE_RULES);
    let compared = 0;
    for (const dims of DIMS) {
      for (const f of WINDOWS) {
        if (f.from && dims.includes('period')) continue;
        const [mine, sql] = [severityCellsOf(claims, dims, f), await repo.severityCells(ctx.db, coverage, dims, f)];
        expect(mine.map((c) => c.key)).toEqual(sql.map((c) => c.key));
        mine.forEach((c, i) => {
          const s = sql[i];
          expect([c.claims, c.open]).toEqual([s.claims, s.open]);
          for (const k of ['total', 'mean', 'p50', 'p90', 'p99'] as const) expect(Math.abs(c[k] - s[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s[k])));
        });
        compared += mine.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('a hand-worked cell: amounts 1, 2, 3, 4, 100 give median 3, p90 61.6 and p99 96.16 (type 7)', () => {
    const row = (incurred: number, open: boolean) => ({ scenario_class: 'logistics.picking', quarter: '2025-Q2', severity_level: '2', organization_id: 1, incurred, open });
    const index = claimIndexOf([row(100, false), row(3, true), row(1, false), row(4, false), row(2, true)]);
    const [c] = severityCellsOf(index, ['scenario_area'], { unit: 'year' });
    expect(c).toMatchObject({ key: { scenario_area: 'logistics' }, claims: 5, open: 2, total: 110, mean: 22, p50: 3 });
    expect(c.p90).toBeCloseTo(61.6, 10);
    expect(c.p99).toBeCloseTo(96.16, 10);
    expect(severityCellsOf(index, [], { from: '2025-07-01', to: '2025-09-30', unit: 'quarter' })).toEqual([]);
    expect(() => severityCellsOf(index, [], { from: '2025-05-01', unit: 'quarter' })).toThrow(/whole calendar quarters/);
  });
});

describe('loss ratios', () => {
  it('earned premium of bound quotes against incurred losses of the insured deployments', async () => {
    // three demo organizations with history in one area, quoted and bound for 2025
    const rows = await ctx.db.raw(`select o.ref, min(c.code) as cls from deployments d join organizations o on o.id = d.organization_id
      join scenario_classes c on c.id = d.scenario_class_id where c.area = 'warehousing_logistics' group by o.ref order by o.ref limit 3`);
    expect(rows.rows).toHaveLength(3);
    let gross = 0;
    for (const { ref, cls } of rows.rows) {
      const q = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.underwriter)).send({
        organization_ref: ref, basis: 'annual', period: { start: '2025-01-01', end: '2025-12-31' },
        backdating: { reason: 'Loss ratios of 2025: cover placed retroactively for the test' },
        fleet: [{ robot_model: 'LMD-W200', scenario_class: cls, units: 5, autonomy_level: 'supervised', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } }],
        coverages: [{ coverage: 'robot_damage', deductible: 0, per_occurrence_limit: 260_000 }],
      });
      expect(q.status).toBe(201);
      if (q.body.status === 'referred') await request(ctx.baseUrl).post(`/v1/quotes/${q.body.ref}/decision`).set(bearer(ctx.keys.underwriter)).send({ decision: 'quoted', note: 'ok' });
      expect((await request(ctx.baseUrl).post(`/v1/quotes/${q.body.ref}/bind`).set(bearer(ctx.keys.underwriter))).status).toBe(200);
      gross += q.body.premium.total.gross_premium;
    }
    const r = await get('/v1/statistics/loss-ratios?group_by=scenario_area&period_unit=year');
    expect(r.status).toBe(200);
    const cell = r.body.cells.find((c: { scenario_area?: string }) => c.scenario_area === 'warehousing_logistics');
    expect(cell.suppressed).toBeNull();
    expect(cell.organizations).toBe(3);
    expect(cell.earned_premium).toBeCloseTo(gross, 1);
    const incurred = await ctx.db.raw(`select coalesce(sum(case when i.status = 'open' and (i.robot_damage + i.third_party_property_damage + i.bodily_injury_cost + i.business_interruption_cost) > 0 and (i.paid + i.case_reserve) > 0
        then i.robot_damage * (i.paid + i.case_reserve) / (i.robot_damage + i.third_party_property_damage + i.bodily_injury_cost + i.business_interruption_cost) else i.robot_damage end), 0)::float8 as s
      from incidents i join deployments d on d.id = i.deployment_id join organizations o on o.id = d.organization_id join scenario_classes c on c.id = d.scenario_class_id
      where (o.ref, c.code) in (${rows.rows.map(() => '(?, ?)').join(', ')}) and i.occurred_at >= '2025-01-01' and i.occurred_at < '2026-01-01'`,
    rows.rows.flatMap((x: { ref: string; cls: string }) => [x.ref, x.cls]));
    expect(cell.incurred_losses).toBeCloseTo(incurred.rows[0].s, 1);
    expect(cell.loss_ratio).toBeCloseTo(cell.incurred_losses / cell.earned_premium, 3);
  });
});
