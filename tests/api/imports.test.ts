import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp({ IMPORT_BODY_LIMIT: '64kb' }); });
afterAll(async () => { await ctx?.close(); });

const DEP_HEADER = 'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date';
const EXP_HEADER = 'deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses';
const INC_HEADER = 'incident_ref,deployment_ref,occurred_at,reported_at,incident_type,severity_level,bodily_injury_count,robot_damage,third_party_property_damage,bodily_injury_cost,downtime_hours,business_interruption_cost,status,paid,case_reserve,currency';

let robot: string;
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const post = (kind: string, body: string, type = 'text/csv', key = ctx.keys.actuary) =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(key)).set('Content-Type', type).send(body);
const count = async (table: string) => Number((await ctx.db(table).count('* as n'))[0].n);

describe('POST /v1/imports/{kind}', () => {
  beforeAll(async () => {
    const r = await request(ctx.baseUrl).get('/v1/robot-models').set(bearer(ctx.keys.actuary));
    robot = r.body.data[0].code;
  });

  it('imports deployments, exposures and incidents from CSV, then re-import changes nothing', async () => {
    const deps = csv(
      DEP_HEADER,
      `IMP-D1,ORG-A,Guangdong,manufacturing.assembly,${robot},4,supervised,2025-01-01,2025-12-31`,
      `IMP-D2,ORG-B,Jiangsu,warehousing_logistics.picking,${robot},10,autonomous,2025-01-01,`,
    );
    const r1 = await post('deployments', deps);
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ kind: 'deployments', rows: 2, inserted: 2, updated: 0, unchanged: 0 });
    const r2 = await post('deployments', deps);
    expect(r2.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });

    const exps = csv(EXP_HEADER, 'IMP-D1,2025-01-01,2025-01-31,640.5,1200,4,1', 'IMP-D2,2025-01-01,2025-01-31,1500,3000,9,2');
    expect((await post('exposures', exps)).body).toMatchObject({ rows: 2, inserted: 2 });
    expect((await post('exposures', exps)).body).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });

    const incs = csv(
      INC_HEADER,
      'IMP-I1,IMP-D1,2025-01-10T08:30:00Z,2025-01-11T09:00:00Z,collision_property,2,0,15000.25,2000,0,6,1800,closed,18800.25,0,CNY',
      'IMP-I2,IMP-D2,2025-01-20T14:00:00+08:00,,fall,3,0,80000,0,0,24,7200,open,20000,67200,CNY',
    );
    expect((await post('incidents', incs)).body).toMatchObject({ rows: 2, inserted: 2 });
    expect((await post('incidents', incs)).body).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });

    const inc = await request(ctx.baseUrl).get('/v1/incidents/IMP-I2').set(bearer(ctx.keys.actuary));
    expect(inc.body.occurred_at).toBe('2025-01-20T06:00:00.000Z');
    expect(inc.body.case_reserve).toBe(67200);
    expect(inc.body.reported_at).toBeNull();
  });

  it('updates a changed row and audits the change', async () => {
    const before = await count('audit_events');
    const r = await post('exposures', csv(EXP_HEADER, 'IMP-D1,2025-01-01,2025-01-31,700,1200,4,1', 'IMP-D2,2025-01-01,2025-01-31,1500,3000,9,2'));
    expect(r.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const audit = await ctx.db('audit_events').where({ action: 'import.update', entity: 'exposure' }).orderBy('id', 'desc').first();
    expect(audit.entity_ref).toBe('IMP-D1@2025-01-01');
    expect(audit.before.operating_hours).toBe(640.5);
    expect(audit.after.operating_hours).toBe(700);
    expect(await count('audit_events')).toBe(before + 1);
  });

  it('accepts JSON arrays and NDJSON with the same field names', async () => {
    const rows = [
      { deployment_ref: 'IMP-D1', period_start: '2025-02-01', period_end: '2025-02-28', operating_hours: 600, task_cycles: 1000, protective_stops: 2, near_misses: 0 },
    ];
    expect((await post('exposures', JSON.stringify(rows), 'application/json')).body).toMatchObject({ inserted: 1 });
    const nd = JSON.stringify({ deployment_ref: 'IMP-D1', period_start: '2025-03-01', period_end: '2025-03-31', operating_hours: 610 }) + '\n';
    expect((await post('exposures', nd, 'application/x-ndjson')).body).toMatchObject({ inserted: 1 });
  });

  it('rejects a bad file listing every bad row, and writes nothing', async () => {
    const before = { d: await count('deployments'), e: await count('exposures'), a: await count('audit_events') };
    const bad = csv(
      EXP_HEADER,
      'IMP-D1,2025-04-01,2025-04-30,500,100,1,0', // good row: must not be written either
      'NOPE-1,2025-04-01,2025-04-30,500,100,1,0', // unknown deployment
      'IMP-D1,2025-05-01,2025-05-31,-3,100,1,0', // negative hours
      'IMP-D1,2025-13-01,2025-05-31,10,100,1,0', // bad date
      'IMP-D1,2025-04-01,2025-04-30,500,100,1,0', // duplicate of line 2
      'IMP-D1,2024-06-01,2024-06-30,500,100,1,0', // before the deployment started
      'IMP-D1,2025-07-01,2025-07-31,500,abc,1,0', // not a number
    );
    const r = await post('exposures', bad);
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('IMPORT_REJECTED');
    const pairs = r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`);
    expect(pairs).toEqual(['3:deployment_ref', '4:operating_hours', '5:period_start', '6:period_start', '7:period_start', '8:task_cycles']);
    expect(r.body.error_count).toBe(6);
    expect(r.body.errors.find((e: { line: number }) => e.line === 6).message).toMatch(/duplicate.*line 2/);
    expect({ d: await count('deployments'), e: await count('exposures'), a: await count('audit_events') }).toEqual(before);
  });

  it('rejects wrong enums, unknown references and duplicate refs in deployments', async () => {
    const r = await post('deployments', csv(
      DEP_HEADER,
      `IMP-D9,ORG-A,Guangdong,manufacturing.assembly,${robot},2,flying,2025-01-01,2025-12-31`,
      `IMP-D10,ORG-ZZ,Guangdong,manufacturing.assembly,${robot},2,supervised,2025-01-01,2025-12-31`,
      `IMP-D11,ORG-A,Guangdong,manufacturing.unknown,NO-ROBOT,2,supervised,2025-01-01,2025-12-31`,
      `IMP-D12,ORG-A,Guangdong,manufacturing.assembly,${robot},2,supervised,2025-06-01,2025-01-01`,
      `IMP-D13,ORG-A,Guangdong,manufacturing.assembly,${robot},2,supervised,2025-01-01,2025-12-31`,
      `IMP-D13,ORG-A,Guangdong,manufacturing.assembly,${robot},3,supervised,2025-01-01,2025-12-31`,
    ));
    expect(r.status).toBe(422);
    const pairs = r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`).sort();
    expect(pairs).toEqual(['2:autonomy_level', '3:organization_ref', '4:robot_model', '4:scenario_class', '5:end_date', '7:deployment_ref']);
    expect(await ctx.db('deployments').where('ref', 'like', 'IMP-D1_').count('* as n')).toEqual([{ n: 0 }]);
  });

  describe('lists every problem of a row at once (field errors and reference errors)', () => {
    const problemsOf = (r: request.Response) =>
      r.body.errors.map((e: { line: number; field: string; message: string }) => `${e.line}:${e.field}:${e.message}`);

    it('exposures: unknown deployment and negative hours; duplicate and bad number; dates out of order', async () => {
      const before = { e: await count('exposures'), a: await count('audit_events') };
      const r = await post('exposures', csv(
        EXP_HEADER,
        'NOPE,2025-01-01,2025-01-31,-5,,,', // unknown deployment + negative hours
        'IMP-D1,2025-08-01,2025-08-31,10,1,1,1',
        'IMP-D1,2025-08-01,2025-08-31,10,abc,1,1', // duplicate of line 3 + not a number
        'NOPE-2,2025-09-30,2025-09-01,x,1,1,1', // unknown deployment + not a number + period_end before period_start
      ));
      expect(r.status).toBe(422);
      const all = problemsOf(r);
      expect(all).toEqual([
        expect.stringMatching(/^2:operating_hours:/),
        "2:deployment_ref:unknown deployment 'NOPE'",
        expect.stringMatching(/^4:task_cycles:expected an integer/),
        expect.stringMatching(/^4:period_start:duplicate .*line 3/),
        expect.stringMatching(/^5:operating_hours:expected a number/),
        '5:period_end:period_end is before period_start',
        "5:deployment_ref:unknown deployment 'NOPE-2'",
      ]);
      expect(r.body.error_count).toBe(7);
      expect({ e: await count('exposures'), a: await count('audit_events') }).toEqual(before);
    });

    it('deployments: unknown organization, scenario class and robot model next to bad units and dates', async () => {
      const r = await post('deployments', csv(
        DEP_HEADER,
        'IMP-D20,ORG-ZZ,Guangdong,manufacturing.nowhere,NO-ROBOT,0,supervised,2025-06-01,2025-01-01',
      ));
      expect(r.status).toBe(422);
      expect(r.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['end_date', 'organization_ref', 'robot_model', 'scenario_class', 'units'],
      );
      expect(await ctx.db('deployments').where({ ref: 'IMP-D20' }).count('* as n')).toEqual([{ n: 0 }]);
    });

    it('incidents: unknown deployment next to a bad severity, a reserve on a closed incident, a duplicate ref', async () => {
      const r = await post('incidents', csv(
        INC_HEADER,
        'IMP-I20,NOPE,2025-02-10T08:30:00Z,,fall,9,0,0,0,0,0,0,closed,0,100,CNY',
        'IMP-I20,IMP-D1,2025-02-10T08:30:00Z,,fall,1,0,0,0,0,0,0,open,0,100,cny',
      ));
      expect(r.status).toBe(422);
      const pairs = r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`).sort();
      expect(pairs).toEqual(['2:case_reserve', '2:deployment_ref', '2:severity_level', '3:currency', '3:incident_ref']);
      expect(await ctx.db('incidents').where({ ref: 'IMP-I20' }).count('* as n')).toEqual([{ n: 0 }]);
    });
  });

  it('rejects a file with a missing or unknown column on line 1', async () => {
    const r = await post('exposures', csv('deployment_ref,period_start,operating_hours,colour', 'IMP-D1,2025-04-01,5,red'));
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 1, field: 'period_end' }),
      expect.objectContaining({ line: 1, field: 'colour' }),
    ]));
  });

  it('rejects incidents with bad types, severities and timestamps', async () => {
    const r = await post('incidents', csv(
      INC_HEADER,
      'IMP-I3,IMP-D1,2025-02-10T08:30:00Z,,exploded,2,0,0,0,0,0,0,closed,0,0,CNY',
      'IMP-I4,IMP-D1,2025-02-10T08:30:00Z,2025-02-09T08:30:00Z,fall,7,0,0,0,0,0,0,closed,0,0,CNY',
      'IMP-I5,IMP-D1,yesterday,,fall,1,0,0,0,0,0,0,closed,0,0,CNY',
      'IMP-I6,IMP-D1,2025-02-10,,fall,1,0,0,0,0,0,0,closed,0,100,CNY',
      'IMP-I7,IMP-D1,2025-02-10,,fall,1,0,0,0,0,0,0,closed,0,0',
    ));
    expect(r.status).toBe(422);
    const pairs = r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`).sort();
    expect(pairs).toEqual(['2:incident_type', '3:reported_at', '3:severity_level', '4:occurred_at', '5:case_reserve', '6:*']);
  });

  it('answers 415 for other content types, 413 over the body limit, 403 for other roles', async () => {
    expect((await post('exposures', 'x', 'text/plain')).status).toBe(415);
    const big = csv(EXP_HEADER, ...Array.from({ length: 3000 }, (_, i) => `IMP-D1,2025-04-01,2025-04-30,${i},1,1,1`));
    const r = await post('exposures', big);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await post('exposures', csv(EXP_HEADER), 'text/csv', ctx.keys.underwriter)).status).toBe(403);
    expect((await post('exposures', csv(EXP_HEADER), 'text/csv', ctx.keys.enterprise)).status).toBe(403);
    expect((await request(ctx.baseUrl).post('/v1/imports/claims').set(bearer(ctx.keys.actuary)).set('Content-Type', 'text/csv').send('a')).status).toBe(422);
  });

  it('rejects malformed JSON and NDJSON', async () => {
    const r = await post('exposures', '[{"deployment_ref": ', 'application/json');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('MALFORMED_JSON');
    const nd = await post('exposures', '{"deployment_ref":"IMP-D1"}\nnot json\n', 'application/x-ndjson');
    expect(nd.status).toBe(422);
    expect(nd.body.errors.map((e: { line: number }) => e.line)).toEqual(expect.arrayContaining([1, 2]));
  });
});
