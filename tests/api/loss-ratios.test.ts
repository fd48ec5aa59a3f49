/**
 * GET /v1/statistics/loss-ratios on small histories built here: earned premium of bound quotes
 * pro rata temporis, incurred losses of the insured deployments counted once per incident and
 * coverage. Bound quotes are written as the quote service stores them (request and result JSON,
 * status `bound`); the path through POST /v1/quotes and /bind is covered in statistics.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { lossRatios as lossRatiosService } from '../../services/statistics.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';

type Coverage = 'robot_damage' | 'third_party_liability' | 'business_interruption';
interface Line { scenario_class: string; robot_model?: string; gross: Partial<Record<Coverage, number>> }

let quoteNo = 0;

/** A bound quote of `org` for [start, end] with these fleet lines and gross premiums per line and coverage. */
async function bindQuote(c: TestContext, org: string, start: string, end: string, lines: Line[], status: 'bound' | 'quoted' = 'bound') {
  const { id: organization_id } = await c.db('organizations').where({ ref: org }).first('id');
  const coverages = [...new Set(lines.flatMap((l) => Object.keys(l.gross)))] as Coverage[];
  const premiumLines = lines.flatMap((l, i) => coverages.map((cov) => ({ line: i + 1, coverage: cov, gross_premium: l.gross[cov] ?? 0 })));
  const total = Math.round(premiumLines.reduce((s, l) => s + l.gross_premium, 0) * 100) / 100;
  const ref = `Q-TEST-${++quoteNo}`;
  const requestBody = {
    organization_ref: org, basis: 'annual', period: { start, end },
    fleet: lines.map((l) => ({ robot_model: l.robot_model ?? 'LMD-B300', scenario_class: l.scenario_class, units: 2, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: {} })),
    coverages: coverages.map((cov) => ({ coverage: cov, deductible: 0, per_occurrence_limit: 1_000_000 })),
  };
  const result = { decision: 'quoted', reasons: [], premium: { currency: 'CNY', lines: premiumLines, total: { gross_premium: total } } };
  await c.db('quotes').insert({
    ref, organization_id, request: JSON.stringify(requestBody), request_hash: ref, decision: 'quoted', status,
    gross_premium: total, result: JSON.stringify(result), worksheet: '{}', versions: '{}',
    valid_until: new Date('2030-01-01T00:00:00Z'), created_by: 'test', decided_at: new Date(), bound_at: status === 'bound' ? new Date() : null,
  });
  return ref;
}

const importCsv = async (c: TestContext, kind: string, rows: string[]) => {
  const r = await request(c.baseUrl).post(`/v1/imports/${kind}`).set(bearer(c.keys.actuary)).set('Content-Type', 'text/csv').send(`${rows.join('\n')}\n`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

const INCIDENT_HEADER = 'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,robot_damage,third_party_property_damage,bodily_injury_cost,business_interruption_cost,status,paid,case_reserve';

/** Deployments from 2018 of the three test organizations. */
const DEPLOYMENTS = [
  'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date',
  'A-ASM-1,ORG-A,manufacturing.assembly,LMD-B300,2,supervised,2018-01-01,',
  'A-ASM-2,ORG-A,manufacturing.assembly,LMD-W200,2,supervised,2018-01-01,',
  'A-PICK,ORG-A,warehousing_logistics.picking,LMD-W200,2,supervised,2018-01-01,',
  'A-TRANS,ORG-A,warehousing_logistics.transport,LMD-W200,2,supervised,2018-01-01,',
  'A-PAL,ORG-A,warehousing_logistics.palletizing,LMD-W200,2,supervised,2018-01-01,',
  'B-ASM,ORG-B,manufacturing.assembly,LMD-B300,2,supervised,2018-01-01,',
  'B-PICK,ORG-B,warehousing_logistics.picking,LMD-W200,2,supervised,2018-01-01,',
  'C-ASM,ORG-C,manufacturing.assembly,LMD-B300,2,supervised,2018-01-01,',
  'C-PICK,ORG-C,warehousing_logistics.picking,LMD-W200,2,supervised,2018-01-01,',
  'C-PAL,ORG-C,warehousing_logistics.palletizing,LMD-W200,2,supervised,2018-01-01,',
];

/** A loss-ratio cell as the API publishes it. */
interface LossRatioCellView { scenario_area: string; period: string; organizations: number; earned_premium: number; incurred_losses: number; loss_ratio: number; suppressed: string | null }
// (suppressed cells carry nulls; these tests read published cells, or check `suppressed` first)

const lossRatios = async (c: TestContext, query: string) => {
  const r = await request(c.baseUrl).get(`/v1/statistics/loss-ratios?${query}`).set(bearer(c.keys.regulator));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.cells as LossRatioCellView[];
};

/**
 * The statistics service itself, for windows the API refuses (not whole periods of the fixed
 * structure, docs/disclosure-control.md §2) but whose clipping rules the service still defines.
 */
const clippedLossRatios = async (c: TestContext, query: string) => {
  const q = Object.fromEntries(new URLSearchParams(query));
  const t = await lossRatiosService(c.db, {
    group_by: (q.group_by ? q.group_by.split(',') : []) as ('scenario_area' | 'period')[], from: q.from, to: q.to, period_unit: (q.period_unit ?? 'year') as 'month' | 'quarter' | 'year',
  }, disclosureRulesOf(c.config));
  return t.cells as LossRatioCellView[];
};

const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

describe('loss ratios: counting rules (disclosure control off: one organization may form a cell, no p % rule)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp({ DISCLOSURE_MIN_CONTRIBUTORS: '1', DISCLOSURE_DOMINANCE: '1', DISCLOSURE_P_PERCENT: '0' });
    await importCsv(ctx, 'deployments', DEPLOYMENTS);
  });
  afterAll(async () => { await ctx?.close(); });

  it('two fleet lines of one organization in the same scenario class: each incident is counted once', async () => {
    await bindQuote(ctx, 'ORG-A', '2021-01-01', '2021-12-31', [
      { scenario_class: 'manufacturing.assembly', robot_model: 'LMD-B300', gross: { robot_damage: 1000 } },
      { scenario_class: 'manufacturing.assembly', robot_model: 'LMD-W200', gross: { robot_damage: 3000 } },
    ]);
    await importCsv(ctx, 'incidents', [INCIDENT_HEADER, 'I1-1,A-ASM-1,2021-03-10T08:00:00Z,fall,2,2000,0,0,0,closed,2000,0']);
    const cells = await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=year&from=2021-01-01&to=2021-12-31');
    expect(cells).toEqual([{
      scenario_area: 'manufacturing', period: '2021', organizations: 1, earned_premium: 4000, incurred_losses: 2000, loss_ratio: 0.5, suppressed: null,
    }]);
  });

  it('a bound quote whose policy period lies outside from/to contributes nothing', async () => {
    await bindQuote(ctx, 'ORG-B', '2019-01-01', '2019-12-31', [{ scenario_class: 'manufacturing.assembly', gross: { robot_damage: 5000 } }]);
    await bindQuote(ctx, 'ORG-C', '2020-01-01', '2020-12-31', [{ scenario_class: 'manufacturing.assembly', gross: { robot_damage: 1200 } }]);
    await importCsv(ctx, 'incidents', [INCIDENT_HEADER,
      'I2-1,B-ASM,2019-05-05T08:00:00Z,fall,2,700,0,0,0,closed,700,0',
      'I2-2,B-ASM,2020-05-05T08:00:00Z,fall,2,800,0,0,0,closed,800,0', // in range, but ORG-B's policy ended in 2019
      'I2-3,C-ASM,2020-06-06T08:00:00Z,fall,2,300,0,0,0,closed,300,0',
    ]);
    expect(await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=year&from=2020-01-01&to=2020-12-31')).toEqual([{
      scenario_area: 'manufacturing', period: '2020', organizations: 1, earned_premium: 1200, incurred_losses: 300, loss_ratio: 0.25, suppressed: null,
    }]);
    expect(await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=month&from=2018-01-01&to=2018-12-31')).toEqual([]);
    expect(await clippedLossRatios(ctx, 'group_by=scenario_area&from=2018-06-01&to=2018-12-31')).toEqual([]);
    expect(await clippedLossRatios(ctx, 'group_by=scenario_area,period&period_unit=month&from=2020-08-20&to=2020-08-10')).toEqual([]); // from after to
    // the API answers whole periods only
    const refused = await request(ctx.baseUrl).get('/v1/statistics/loss-ratios?group_by=scenario_area&from=2018-06-01&to=2018-12-31').set(bearer(ctx.keys.regulator));
    expect(refused.status).toBe(422);
    expect(await lossRatios(ctx, 'group_by=&from=2018-01-01&to=2018-12-31')).toEqual([]); // the grand total of nothing
  });

  it('earns premium pro rata temporis: 184/365 of a 2025-07-01..2026-06-30 policy in 2025; months and quarters add up to the year', async () => {
    const G = 5000 + 7345.67;
    await bindQuote(ctx, 'ORG-C', '2025-07-01', '2026-06-30', [{ scenario_class: 'warehousing_logistics.picking', gross: { robot_damage: 5000, third_party_liability: 7345.67 } }]);
    const range = 'from=2025-01-01&to=2026-12-31';
    const years = await lossRatios(ctx, `group_by=scenario_area,period&period_unit=year&${range}`);
    expect(years.map((c) => [c.scenario_area, c.period, c.earned_premium, c.organizations])).toEqual([
      ['warehousing_logistics', '2025', round2((G * 184) / 365), 1],
      ['warehousing_logistics', '2026', round2((G * 181) / 365), 1],
    ]);
    expect(years.every((c) => c.incurred_losses === 0 && c.loss_ratio === 0)).toBe(true);

    const months = await lossRatios(ctx, `group_by=scenario_area,period&period_unit=month&${range}`);
    const DAYS: Record<string, number> = {
      '2025-07': 31, '2025-08': 31, '2025-09': 30, '2025-10': 31, '2025-11': 30, '2025-12': 31,
      '2026-01': 31, '2026-02': 28, '2026-03': 31, '2026-04': 30, '2026-05': 31, '2026-06': 30,
    };
    expect(months.map((c) => c.period)).toEqual(Object.keys(DAYS));
    for (const c of months) expect(c.earned_premium, c.period).toBe(round2((G * DAYS[c.period]) / 365));
    for (const y of years) {
      const sum = months.filter((c) => c.period.startsWith(y.period)).reduce((s, c) => s + c.earned_premium, 0);
      expect(Math.abs(sum - y.earned_premium)).toBeLessThanOrEqual(0.005 * 6);
    }
    const quarters = await lossRatios(ctx, `group_by=period&period_unit=quarter&${range}`);
    expect(quarters.map((c) => [c.period, c.earned_premium])).toEqual([
      ['2025-Q3', round2((G * 92) / 365)], ['2025-Q4', round2((G * 92) / 365)], ['2026-Q1', round2((G * 90) / 365)], ['2026-Q2', round2((G * 91) / 365)],
    ]);
    // clipped to from/to inside a month: 2025-08-15..2025-08-31 is 17 days
    expect(await clippedLossRatios(ctx, 'group_by=scenario_area,period&period_unit=month&from=2025-08-15&to=2025-08-31')).toEqual([{
      scenario_area: 'warehousing_logistics', period: '2025-08', organizations: 1, earned_premium: round2((G * 17) / 365), incurred_losses: 0, loss_ratio: 0, suppressed: null,
    }]);
  });

  it('two bound policies of one organization overlapping in time and class: an incident counts once per coverage, under whichever policy covers it', async () => {
    // P1: 2022 robot damage; P2: 2022-07-01..2023-06-30 robot damage + third-party liability
    await bindQuote(ctx, 'ORG-B', '2022-01-01', '2022-12-31', [{ scenario_class: 'warehousing_logistics.picking', gross: { robot_damage: 2000 } }]);
    await bindQuote(ctx, 'ORG-B', '2022-07-01', '2023-06-30', [{ scenario_class: 'warehousing_logistics.picking', gross: { robot_damage: 1460, third_party_liability: 2190 } }]);
    await importCsv(ctx, 'incidents', [INCIDENT_HEADER,
      'I4-1,B-PICK,2022-03-01T08:00:00Z,collision_property,2,300,700,0,0,closed,1000,0', // P1 only: robot damage 300
      'I4-2,B-PICK,2022-08-05T08:00:00Z,collision_property,2,1000,500,0,0,closed,1500,0', // P1 and P2: robot damage 1000 once + liability 500
    ]);
    const [cell] = await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=year&from=2022-01-01&to=2022-12-31');
    expect(cell).toEqual({
      scenario_area: 'warehousing_logistics', period: '2022', organizations: 1,
      earned_premium: 2000 + 1840, incurred_losses: 300 + 1000 + 500, loss_ratio: round4(1800 / 3840), suppressed: null,
    });
  });

  it('a quote counts from the moment it is bound; a quote that expired unbound never', async () => {
    const ref = await bindQuote(ctx, 'ORG-A', '2023-01-01', '2023-12-31', [{ scenario_class: 'manufacturing.assembly', gross: { robot_damage: 730 } }], 'quoted');
    const expired = await bindQuote(ctx, 'ORG-C', '2023-01-01', '2023-12-31', [{ scenario_class: 'manufacturing.assembly', gross: { robot_damage: 9999 } }], 'quoted');
    await ctx.db('quotes').where({ ref: expired }).update({ status: 'expired' });
    await importCsv(ctx, 'incidents', [INCIDENT_HEADER, 'I5-1,A-ASM-2,2023-02-01T08:00:00Z,fall,2,73,0,0,0,closed,73,0']);
    // (ORG-B's 2022-07..2023-06 policy of the overlap test earns in warehousing & logistics)
    const manufacturing = async () => (await clippedLossRatios(ctx, 'group_by=scenario_area,period&period_unit=year&from=2023-01-01&to=2023-06-30'))
      .filter((c) => c.scenario_area === 'manufacturing');
    expect(await manufacturing()).toEqual([]);
    await ctx.db('quotes').where({ ref }).update({ status: 'bound', bound_at: new Date() });
    // 2023-01-01..2023-06-30 is 181 days: 730 × 181 / 365 = 362
    expect(await manufacturing()).toEqual([{
      scenario_area: 'manufacturing', period: '2023', organizations: 1, earned_premium: 362, incurred_losses: 73, loss_ratio: round4(73 / 362), suppressed: null,
    }]);
  });
});

describe('loss ratios: a hand-computed scenario under the default disclosure rules', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    expect(ctx.config.DISCLOSURE_MIN_CONTRIBUTORS).toBe(3);
    await importCsv(ctx, 'deployments', DEPLOYMENTS);
  });
  afterAll(async () => { await ctx?.close(); });

  it('three insurers in warehousing & logistics in 2024: earned 10,570.00, incurred 3,150.00, loss ratio 0.298', async () => {
    // ORG-A: leap year 2024 (366 days), two lines in picking and one in transport, robot damage + business interruption
    await bindQuote(ctx, 'ORG-A', '2024-01-01', '2024-12-31', [
      { scenario_class: 'warehousing_logistics.picking', robot_model: 'LMD-W200', gross: { robot_damage: 2000, business_interruption: 400 } },
      { scenario_class: 'warehousing_logistics.picking', robot_model: 'LMD-B300', gross: { robot_damage: 1000, business_interruption: 260 } },
      { scenario_class: 'warehousing_logistics.transport', gross: { robot_damage: 2000, business_interruption: 340 } },
    ]);
    // ORG-B: 2024-04-01..2025-03-31 (365 days), 275 of them in 2024: 3,650 × 275 / 365 = 2,750
    await bindQuote(ctx, 'ORG-B', '2024-04-01', '2025-03-31', [{ scenario_class: 'warehousing_logistics.picking', gross: { robot_damage: 3650 } }]);
    // ORG-C: 2024-01-01..2024-06-30 (182 days), liability only
    await bindQuote(ctx, 'ORG-C', '2024-01-01', '2024-06-30', [{ scenario_class: 'warehousing_logistics.palletizing', gross: { third_party_liability: 1820 } }]);
    // ORG-B's policy runs into 2025-Q1: alone there, its 2025 premium would be the all-time cell less 2024, and the
    // linked structure would withhold 2024 as its partner; ORG-A and ORG-C insure 2025-Q1 too (90 days, 900 each)
    await bindQuote(ctx, 'ORG-A', '2025-01-01', '2025-03-31', [{ scenario_class: 'warehousing_logistics.transport', gross: { robot_damage: 900 } }]);
    await bindQuote(ctx, 'ORG-C', '2025-01-01', '2025-03-31', [{ scenario_class: 'warehousing_logistics.palletizing', gross: { robot_damage: 900 } }]);
    await importCsv(ctx, 'incidents', [INCIDENT_HEADER,
      'H-1,A-PICK,2024-02-10T08:00:00Z,collision_property,2,1200,400,0,300,closed,1900,0', // RD 1,200 + BI 300 (liability not bought): 1,500
      'H-2,A-TRANS,2024-09-01T08:00:00Z,fall,2,800,0,0,200,open,100,400', // open: paid + reserve 500, RD 400 + BI 100: 500
      'H-3,A-PAL,2024-05-01T08:00:00Z,fall,3,5000,0,0,0,closed,5000,0', // ORG-A did not insure palletizing: 0
      'H-4,B-PICK,2024-03-15T08:00:00Z,fall,2,700,0,0,0,closed,700,0', // before ORG-B's policy: 0
      'H-5,B-PICK,2024-06-01T08:00:00Z,fall,2,900,0,0,0,closed,900,0', // 900
      'H-6,C-PAL,2024-07-15T08:00:00Z,collision_person,2,0,0,1000,0,closed,1000,0', // after ORG-C's policy: 0
      'H-7,C-PAL,2024-02-02T08:00:00Z,collision_property,2,100,250,0,0,closed,350,0', // liability 250 (robot damage not bought)
      'H-8,C-PICK,2024-02-02T08:00:00Z,fall,2,100,250,0,0,closed,350,0', // ORG-C did not insure picking: 0
    ]);
    // the year is published (3 insured), its count of insured organizations is not: months of 2024 with fewer than 3
    // insured (ORG-C's cover ends in June) are withheld beneath it, and counts are published only over published
    // cells (docs/disclosure-control.md §2) — 3 less the published months' insured would bound a withheld month's
    const months = await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=month&from=2024-01-01&to=2024-12-31');
    expect(months.filter((c) => c.suppressed !== null).length).toBeGreaterThan(0);
    const cells = await lossRatios(ctx, 'group_by=scenario_area,period&period_unit=year&from=2024-01-01&to=2024-12-31');
    expect(cells).toEqual([{
      scenario_area: 'warehousing_logistics', period: '2024', organizations: null,
      earned_premium: 6000 + 2750 + 1820, incurred_losses: 1500 + 500 + 900 + 250, loss_ratio: round4(3150 / 10570), suppressed: null,
    }]);
    expect(cells[0].loss_ratio).toBe(0.298);
    // the same total without the period dimension, and as the grand total
    expect(await lossRatios(ctx, 'group_by=scenario_area&period_unit=year&from=2024-01-01&to=2024-12-31')).toEqual([{
      scenario_area: 'warehousing_logistics', organizations: null, earned_premium: 10570, incurred_losses: 3150, loss_ratio: 0.298, suppressed: null,
    }]);
    expect(await lossRatios(ctx, 'group_by=&from=2024-01-01&to=2024-12-31')).toEqual([{
      organizations: null, earned_premium: 10570, incurred_losses: 3150, loss_ratio: 0.298, suppressed: null,
    }]);
  });
});
