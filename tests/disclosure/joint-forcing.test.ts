/**
 * The rate ↔ scorecard exchange of `buildRateAndScorecard` (docs/disclosure-control.md §3.6, step
 * 4) on a constructed history where one round is not enough: in manufacturing.assembly the robot
 * model PES-W300 is run by two organizations (42 % of the class's hours each) and LMD-B300 by three
 * (16 % together). The statistics publish the class (five operators, none above 75 %, the p % rule
 * met), so the scorecard's class margin (*, assembly, *) is fixed published; PES-W300 is withheld
 * (two operators), and the class total bounds it above by 100 / 84 = 119 % of its value, below
 * the +20 % the protection level asks, whatever model cell the scorecard withholds beside it. The
 * exchange must then withhold the class's all-time rate cell and protect both structures again,
 * after which no scorecard cell is `unprotected` and an attacker's LP over both structures'
 * published cells (tied by the class identities) leaves every withheld cell its ±20 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { buildRateAndScorecard } from '../../services/protected-tables.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';
import { cellId, TOTAL } from '../../services/linked-tables.ts';
import { feasibleIntervals, protects, type Equation } from '../../services/lp-audit.ts';

const ASSEMBLY = 'manufacturing.assembly';
const TENDING = 'manufacturing.machine_tending';
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
/** [deployment, organization, class, robot model, hours per month, incidents per month] */
const PLAN: [string, string, string, string, number, number][] = [
  ['JF-W1', 'ORG-A', ASSEMBLY, 'PES-W300', 4200, 2],
  ['JF-W2', 'ORG-B', ASSEMBLY, 'PES-W300', 4200, 2],
  ['JF-B1', 'ORG-C', ASSEMBLY, 'LMD-B300', 534, 1],
  ['JF-B2', 'ORG-D', ASSEMBLY, 'LMD-B300', 533, 0],
  ['JF-B3', 'ORG-E', ASSEMBLY, 'LMD-B300', 533, 0],
  ['JF-T1', 'ORG-C', TENDING, 'LMD-B300', 3000, 1],
  ['JF-T2', 'ORG-D', TENDING, 'LMD-B300', 3000, 1],
  ['JF-T3', 'ORG-E', TENDING, 'LMD-B300', 3000, 1],
  ['JF-T4', 'ORG-F', TENDING, 'LMD-B300', 3000, 1],
  ['JF-U1', 'ORG-F', TENDING, 'LMD-W200', 2000, 1],
  ['JF-U2', 'ORG-G', TENDING, 'LMD-W200', 2000, 1],
  ['JF-U3', 'ORG-A', TENDING, 'LMD-W200', 2000, 1],
];
const PROTECTION = 0.2;

let ctx: TestContext;
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const post = (kind: string, body: string) =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);
const last = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)), 0)).toISOString().slice(0, 10);

beforeAll(async () => {
  ctx = await startTestApp();
  for (const ref of ['ORG-D', 'ORG-E', 'ORG-F', 'ORG-G']) await ctx.db('organizations').insert({ ref, name: `Test ${ref}`, kind: 'enterprise', province: 'Hubei' });
  expect((await post('deployments', csv(
    'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date',
    ...PLAN.map(([d, o, c, m]) => `${d},${o},${c},${m},2,supervised,2025-01-01`),
  ))).status).toBe(200);
  expect((await post('exposures', csv(
    'deployment_ref,period_start,period_end,operating_hours,protective_stops,near_misses,software_version,downtime_hours',
    ...PLAN.flatMap(([d, , , , h]) => MONTHS.map((m) => `${d},${m}-01,${last(m)},${h},0,0,1.0,0`)),
  ))).status).toBe(200);
  const inc = PLAN.flatMap(([d, , , , , n]) => MONTHS.flatMap((m) => Array.from({ length: n }, (_, i) => `${d}-${m}-${i},${d},${m}-10T08:00:00Z,fall,1,closed`)));
  expect((await post('incidents', csv('incident_ref,deployment_ref,occurred_at,incident_type,severity_level,status', ...inc))).status).toBe(200);
}, 120_000);
afterAll(async () => { await ctx?.close(); });

const inGroup = (g: string, cls: string) => g === TOTAL || g === cls || g === cls.split('.')[0];
const monthIn = (p: string, m: string) => p === TOTAL || p === m || p === m.slice(0, 4) || p === `${m.slice(0, 4)}-Q${Math.floor((Number(m.slice(5)) - 1) / 3) + 1}`;

describe('the rate ↔ scorecard exchange (JOINT_ROUNDS)', () => {
  it('withholds the class margin that pins a withheld model, and leaves every withheld cell of both structures protected', async () => {
    const joint = await buildRateAndScorecard(ctx.db, DEFAULT_DISCLOSURE_RULES);
    const withheldOf = (cs: Map<string, { status: unknown; internal?: boolean }>) => [...cs.values()].filter((c) => c.status !== null && !c.internal).length;
    console.log(`joint protection: ${joint.rounds} round(s), forced ${JSON.stringify(joint.forced)}; rates ${withheldOf(joint.rates.cells)} of ${joint.rates.cells.size} withheld, scorecard ${withheldOf(joint.scorecard.cells)} of ${joint.scorecard.cells.size}`);
    expect(joint.rounds).toBeGreaterThanOrEqual(2);
    expect(joint.forced).toContain(cellId([ASSEMBLY, TOTAL]));
    expect(joint.scorecard.unprotected).toEqual([]);
    expect(joint.rates.lpAudited).toBe(true);
    expect(joint.scorecard.lpAudited).toBe(true);
    expect(joint.scorecard.cells.get(cellId(['PES-W300', ASSEMBLY, '1.0']))!.status).toBe('min_contributors');
    expect(joint.rates.cells.get(cellId([ASSEMBLY, TOTAL]))!.status).not.toBeNull();

    // the attacker: unknowns class × month (rates) and model × class × version (scorecard), each
    // structure's published cells, and per class and measure the identity that ties them
    const rateFinest = [...new Set(PLAN.map((p) => p[2]))].flatMap((cls) => MONTHS.map((m) => ({ cls, m })));
    const scoreFinest = [...new Set(PLAN.map((p) => `${p[3]}|${p[2]}`))].map((k) => ({ model: k.split('|')[0], cls: k.split('|')[1], v: '1.0' }));
    const R = rateFinest.length;
    const truth = (i: number, k: number) => {
      const rows = i < R ? PLAN.filter((p) => p[2] === rateFinest[i].cls) : PLAN.filter((p) => p[3] === scoreFinest[i - R].model && p[2] === scoreFinest[i - R].cls);
      return rows.reduce((s, p) => s + (k === 0 ? p[4] : p[5]), 0) * (i < R ? 1 : MONTHS.length);
    };
    const rateMembers = ([g, p]: readonly string[]) => rateFinest.flatMap((f, i) => (inGroup(g, f.cls) && monthIn(p, f.m) ? [i] : []));
    const scoreMembers = ([m, g, v]: readonly string[]) => scoreFinest.flatMap((f, i) => ((m === TOTAL || m === f.model) && inGroup(g, f.cls) && (v === TOTAL || v === f.v) ? [R + i] : []));
    const cells = [
      ...[...joint.rates.cells.values()].map((c) => ({ c, members: rateMembers(c.values) })),
      ...[...joint.scorecard.cells.values()].filter((c) => !c.internal).map((c) => ({ c, members: scoreMembers(c.values) })),
    ];
    const failures: string[] = [];
    for (let k = 0; k < 2; k++) {
      // the structures' figures are the plan's
      for (const { c, members } of cells) {
        const t = members.reduce((s, i) => s + truth(i, k), 0);
        if (Math.abs(t - c.measures[k]) > 1e-6) failures.push(`${c.values.join('|')}: measure ${k} ${c.measures[k]}, plan ${t}`);
      }
      const equations: Equation[] = cells.filter(({ c }) => c.status === null).map(({ c, members }) => ({ cells: members, value: c.measures[k], tolerance: 0 }));
      for (const cls of new Set(PLAN.map((p) => p[2]))) {
        const r = rateMembers([cls, TOTAL]);
        const s = scoreMembers([TOTAL, cls, TOTAL]);
        equations.push({ cells: [...r, ...s], coefs: [...r.map(() => 1), ...s.map(() => -1)], value: 0, tolerance: 0 });
      }
      const withheld = cells.filter(({ c }) => c.status !== null);
      const intervals = await feasibleIntervals(equations, withheld.map((w) => w.members));
      intervals.forEach((iv, i) => {
        const v = withheld[i].members.reduce((s, j) => s + truth(j, k), 0);
        if (!protects(iv, v, PROTECTION, 1e-6)) failures.push(`${withheld[i].c.values.join('|')} measure ${k} = ${v}: [${iv.lo}, ${iv.hi}]`);
      });
    }
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
  }, 120_000);
});
