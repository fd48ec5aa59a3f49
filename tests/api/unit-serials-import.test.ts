/**
 * Identified units in the data contract (docs/architecture.md §5, docs/policy-changes.md §3):
 * deployments' optional `serial_numbers` and incidents' optional `serial_number` — canonical
 * form, validated with the field named, null when omitted (older files import as before).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => { await ctx?.close(); });

const csv = (...lines: string[]) => lines.join('\n') + '\n';
const post = (kind: string, body: string, type = 'text/csv') =>
  request(ctx.baseUrl).post(`/v1/imports/${kind}`).set(bearer(ctx.keys.actuary)).set('Content-Type', type).send(body);

describe('serial numbers in imports', () => {
  it('stores a deployment\'s serials (CSV cell or JSON array) and an incident\'s serial in canonical form; null when omitted', async () => {
    expect((await post('deployments', csv(
      'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,serial_numbers',
      'SN-D1,ORG-A,manufacturing.assembly,LMD-B300,3,supervised,2025-01-01,ub-001; ub-002|UB-003',
      'SN-D2,ORG-A,manufacturing.assembly,LMD-B300,2,supervised,2025-01-01,',
    ))).status).toBe(200);
    const json = await post('deployments', JSON.stringify([{
      deployment_ref: 'SN-D3', organization_ref: 'ORG-B', scenario_class: 'manufacturing.assembly', robot_model: 'LMD-B300', units: 2, autonomy_level: 'supervised', start_date: '2025-01-01', serial_numbers: ['x-9', 'x-10'],
    }]), 'application/json');
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    // an old-format file still imports
    expect((await post('deployments', csv('deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date', 'SN-D4,ORG-A,manufacturing.assembly,LMD-B300,1,supervised,2025-01-01'))).status).toBe(200);
    const deps = await ctx.db('deployments').whereIn('ref', ['SN-D1', 'SN-D2', 'SN-D3', 'SN-D4']).orderBy('ref').select('ref', 'serial_numbers');
    expect(deps.map((d) => [d.ref, d.serial_numbers])).toEqual([['SN-D1', ['UB-001', 'UB-002', 'UB-003']], ['SN-D2', null], ['SN-D3', ['X-9', 'X-10']], ['SN-D4', null]]);

    expect((await post('incidents', csv(
      'incident_ref,deployment_ref,occurred_at,incident_type,severity_level,status,serial_number',
      'SN-I1,SN-D1,2025-03-01T10:00:00Z,fall,1,closed, ub-002 ',
      'SN-I2,SN-D1,2025-03-02T10:00:00Z,fall,1,closed,',
    ))).status).toBe(200);
    const inc = await ctx.db('incidents').whereIn('ref', ['SN-I1', 'SN-I2']).orderBy('ref').select('ref', 'serial_number');
    expect(inc.map((i) => [i.ref, i.serial_number])).toEqual([['SN-I1', 'UB-002'], ['SN-I2', null]]);

    // the same file again changes nothing; a changed list is an audited update
    const same = await post('deployments', csv('deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,serial_numbers', 'SN-D1,ORG-A,manufacturing.assembly,LMD-B300,3,supervised,2025-01-01,UB-001;UB-002;UB-003'));
    expect(same.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const changed = await post('deployments', csv('deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,serial_numbers', 'SN-D1,ORG-A,manufacturing.assembly,LMD-B300,3,supervised,2025-01-01,UB-001;UB-002;UB-004'));
    expect(changed.body).toMatchObject({ updated: 1 });
    const audit = await ctx.db('audit_events').where({ action: 'import.update', entity: 'deployment', entity_ref: 'SN-D1' }).orderBy('id', 'desc').first();
    expect(audit.after.serial_numbers).toEqual(['UB-001', 'UB-002', 'UB-004']);
  });

  it('rejects bad serials, duplicates and more serials than units, naming line and field; writes nothing', async () => {
    const r = await post('deployments', csv(
      'deployment_ref,organization_ref,scenario_class,robot_model,units,autonomy_level,start_date,serial_numbers',
      'SN-E1,ORG-A,manufacturing.assembly,LMD-B300,1,supervised,2025-01-01,A-1;A-2',
      'SN-E2,ORG-A,manufacturing.assembly,LMD-B300,2,supervised,2025-01-01,A-1;a-1',
      'SN-E3,ORG-A,manufacturing.assembly,LMD-B300,2,supervised,2025-01-01,#bad',
    ));
    expect(r.status).toBe(422);
    const fields = (r.body.errors as { line: number; field: string }[]).map((e) => `${e.line}:${e.field}`).sort();
    expect(fields).toEqual(['2:serial_numbers', '3:serial_numbers', '4:serial_numbers']);
    const inc = await post('incidents', csv('incident_ref,deployment_ref,occurred_at,incident_type,severity_level,status,serial_number', 'SN-E4,SN-D1,2025-03-01T10:00:00Z,fall,1,closed,a b'));
    expect(inc.status).toBe(422);
    expect(inc.body.errors).toEqual([{ line: 2, field: 'serial_number', message: expect.stringContaining('without spaces') }]);
    expect(await ctx.db('deployments').whereIn('ref', ['SN-E1', 'SN-E2', 'SN-E3']).count('* as n').first()).toEqual({ n: 0 });
  });
});
