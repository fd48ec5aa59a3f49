import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { pino } from 'pino';
import { openTestDb, type TestDb } from '../helpers/context.ts';
import { bootstrap } from '../../services/bootstrap.ts';
import { createApp } from '../../api/app.ts';
import { loadConfig } from '../../config/index.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t?.close(); });

describe('first start', () => {
  it('migrates, seeds the catalog and the demo history, and issues one demo key per role — once', async () => {
    const adminKey = 'bootstrap-admin-key-0123456789';
    const first = await bootstrap(t.db, { demo: true, adminKey });
    expect(first.firstStart).toBe(true);
    expect(first.migrations.length).toBeGreaterThan(0);
    expect(Object.keys(first.demoKeys).sort()).toEqual(['actuary', 'admin', 'enterprise', 'regulator', 'underwriter']);

    const demo = generateDemoHistory();
    expect(first.demoHistory).toEqual({ deployments: demo.deployments.length, exposures: demo.exposures.length, incidents: demo.incidents.length });
    const n = async (tb: string) => Number((await t.db(tb).count('* as n'))[0].n);
    expect(await n('deployments')).toBe(demo.deployments.length);
    expect(await n('exposures')).toBe(demo.exposures.length);
    expect(await n('incidents')).toBe(demo.incidents.length);
    expect(demo.deployments.length).toBeGreaterThanOrEqual(300);
    expect(await n('organizations')).toBeGreaterThanOrEqual(30);

    const second = await bootstrap(t.db, { demo: true, adminKey });
    expect(second).toMatchObject({ firstStart: false, migrations: [], demoKeys: {} });
    expect(await n('incidents')).toBe(demo.incidents.length);
    expect(await n('api_keys')).toBe(6);

    const app = createApp({ db: t.db, config: loadConfig({ LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }) });
    const ent = await request(app).get('/v1/deployments?limit=1000').set('Authorization', `Bearer ${first.demoKeys.enterprise}`);
    expect(ent.status).toBe(200);
    const own = new Set(ent.body.data.map((d: { organization_ref: string }) => d.organization_ref));
    expect(own.size).toBe(1);
    const admin = await request(app).get('/v1/api-keys').set('Authorization', `Bearer ${adminKey}`);
    expect(admin.status).toBe(200);
  });
});
