/**
 * The optional scorecard columns of the data contract (docs/architecture.md §5): exposures'
 * software_version and downtime_hours, deployments' integrator_ref — stored when given, null
 * when omitted (files without them import as before), validated, and part of the upsert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => { await ctx?.close(); });

const csv = (...lines: string[]) => lines.join('\n') + '\n';
const post = (kind: string, body: string) =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send(body);

describe('scorecard columns in imports', () => {
  it('stores integrator_ref, software_version and downtime_hours, and null when a file omits them', async () => {
    const robot = (await request(ctx.baseUrl).get('/v1/robot-models').set(bearer(ctx.keys.actuary))).body.data[0].code as string;
    expect((await post('deployments', csv(
      'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,integrator_ref',
      `SC-D1,ORG-A,manufacturing.assembly,${robot},2,supervised,2025-01-01,INT-9`,
      `SC-D2,ORG-B,manufacturing.assembly,${robot},2,supervised,2025-01-01,`,
    ))).status).toBe(200);
    const r = await post('exposures', csv(
      'deployment_ref,period_start,period_end,operating_hours,software_version,downtime_hours',
      'SC-D1,2025-01-01,2025-01-31,100,1.4.2,3.5',
      'SC-D1,2025-02-01,2025-03-31,200,2.0,0',
      'SC-D2,2025-01-01,2025-01-31,100,,',
    ));
    expect(r.status).toBe(200);
    // an old-format file (no new columns) still imports
    expect((await post('exposures', csv('deployment_ref,period_start,period_end,operating_hours', 'SC-D2,2025-02-01,2025-02-28,90'))).status).toBe(200);
    const rows = await ctx.db('exposures as e').join('deployments as d', 'd.id', 'e.deployment_id')
      .whereIn('d.ref', ['SC-D1', 'SC-D2']).orderBy(['d.ref', 'e.period_start'])
      .select('d.ref', 'd.integrator_ref', 'e.period_start', 'e.software_version', 'e.downtime_hours');
    expect(rows.map((x) => [x.ref, x.integrator_ref, x.software_version, x.downtime_hours])).toEqual([
      ['SC-D1', 'INT-9', '1.4.2', 3.5],
      ['SC-D1', 'INT-9', '2.0', 0],
      ['SC-D2', null, null, null],
      ['SC-D2', null, null, null],
    ]);
    // a changed software version is an update of the row
    const again = await post('exposures', csv('deployment_ref,period_start,period_end,operating_hours,software_version,downtime_hours', 'SC-D1,2025-01-01,2025-01-31,100,1.4.3,3.5'));
    expect(again.body).toMatchObject({ updated: 1, inserted: 0 });
  });

  it('rejects a negative or non-numeric downtime and an over-long software version, naming the field', async () => {
    const r = await post('exposures', csv(
      'deployment_ref,period_start,period_end,operating_hours,software_version,downtime_hours',
      'SC-D1,2025-04-01,2025-04-30,100,1.0,-2',
      'SC-D1,2025-05-01,2025-05-31,100,1.0,abc',
      `SC-D1,2025-06-01,2025-06-30,100,${'v'.repeat(101)},1`,
    ));
    expect(r.status).toBe(422);
    const fields = (r.body.errors as { line: number; field: string }[]).map((e) => `${e.line}:${e.field}`).sort();
    expect(fields).toEqual(['2:downtime_hours', '3:downtime_hours', '4:software_version']);
  });
});
