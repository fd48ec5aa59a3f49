/**
 * The statistics warmer (services/statistics-warmer.ts): after a change of the data settles it
 * builds every regulator cache once, so the next regulator query reuses them; it builds again
 * after the next change, and never after `stop()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { startStatisticsWarmer, type StatisticsWarmer } from '../../services/statistics-warmer.ts';
import { DEFAULT_DISCLOSURE_RULES } from '../../services/disclosure.ts';
import { lossRatioStructure, rateAndScorecardStructures, severityTables } from '../../services/protected-tables.ts';
import { lossRatioDataVersion } from '../../db/repositories/statistics.ts';

let ctx: TestContext;
let warmer: StatisticsWarmer | undefined;
const logs: { msg: string; version?: string }[] = [];
const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { logs.push(JSON.parse(String(chunk))); done(); } }));
const built = () => logs.filter((l) => l.msg === 'statistics caches built').map((l) => l.version);

beforeAll(async () => { ctx = await startTestApp(); }, 120_000);
afterAll(async () => { warmer?.stop(); await ctx?.close(); });

const put = (kind: string, body: string) =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);

async function history(hours: number) {
  let dep = 'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,end_date\n';
  let exp = 'deployment_ref,period_start,period_end,operating_hours\n';
  let inc = 'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,robot_damage,third_party_property_damage,status,paid\n';
  ['ORG-A', 'ORG-B', 'ORG-C'].forEach((org, o) => {
    dep += `W-${o},${org},manufacturing.assembly,LMD-B300,2,supervised,2025-01-01,\n`;
    for (let m = 1; m <= 6; m++) exp += `W-${o},2025-0${m}-01,2025-0${m}-${new Date(Date.UTC(2025, m, 0)).getUTCDate()},${hours + o}\n`;
    inc += `WI-${o},W-${o},2025-03-1${o}T10:00:00Z,collision_property,2,${1000 * (o + 1)},0,closed,${1000 * (o + 1)}\n`;
  });
  for (const [kind, body] of [["deployments", dep], ["exposures", exp], ["incidents", inc]] as const) {
    const r = await put(kind, body);
    expect(r.status, JSON.stringify(r.body).slice(0, 600)).toBe(200);
  }
}

describe('statistics warmer', () => {
  it('builds the caches once a change settles, again after the next change, never after stop()', async () => {
    await history(100);
    warmer = startStatisticsWarmer(ctx.db, DEFAULT_DISCLOSURE_RULES, { intervalMs: 100, logger });
    await warmer.settled();
    const v1 = await lossRatioDataVersion(ctx.db);
    expect(built()).toEqual([v1]);
    // the caches a regulator query reads are those the warmer built: settled promises, no rebuild
    const [rates, severity, loss] = [rateAndScorecardStructures(ctx.db, DEFAULT_DISCLOSURE_RULES), severityTables(ctx.db, 'robot_damage', DEFAULT_DISCLOSURE_RULES), lossRatioStructure(ctx.db, DEFAULT_DISCLOSURE_RULES)];
    expect(await rateAndScorecardStructures(ctx.db, DEFAULT_DISCLOSURE_RULES)).toBe(await rates);
    expect((await severity).claims.cells.length).toBeGreaterThan(0);
    expect(await lossRatioStructure(ctx.db, DEFAULT_DISCLOSURE_RULES)).toBe(await loss);
    const r = await request(ctx.baseUrl).get('/v1/statistics/incident-rates?group_by=scenario_class').set(bearer(ctx.keys.regulator));
    expect(r.status).toBe(200);
    expect(built()).toEqual([v1]);

    await history(120);
    await warmer.settled();
    const v2 = await lossRatioDataVersion(ctx.db);
    expect(v2).not.toBe(v1);
    expect(built()).toEqual([v1, v2]);
    expect(await rateAndScorecardStructures(ctx.db, DEFAULT_DISCLOSURE_RULES)).not.toBe(await rates);

    warmer.stop();
    await history(140);
    await new Promise((res) => setTimeout(res, 500));
    expect(built()).toEqual([v1, v2]);
  }, 120_000);
});
