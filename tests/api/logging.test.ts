import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { openTestDb, type TestDb } from '../helpers/context.ts';
import { migrateLatest } from '../../db/migrate.ts';
import { issueKey } from '../../services/auth.ts';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../api/logger.ts';
import { loadConfig } from '../../config/index.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); await migrateLatest(t.db); });
afterAll(async () => { await t?.close(); });

describe('request logging', () => {
  it('logs every request with its request id and never the API key', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
    const app = createApp({ db: t.db, config: loadConfig({ LOG_LEVEL: 'info' }), logger: createLogger('info', sink) });
    const { key } = await issueKey(t.db, 'system', { role: 'admin' });
    const r = await request(app).post('/v1/api-keys').set('Authorization', `Bearer ${key}`).set('x-request-id', 'req-test-123').send({ role: 'actuary' });
    expect(r.status).toBe(201);
    await new Promise((res) => setTimeout(res, 20));
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.req?.id === 'req-test-123');
    expect(entry).toBeTruthy();
    expect(entry.res.statusCode).toBe(201);
    expect(entry.req.headers.authorization).toBe('[redacted]');
    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(r.body.key);
  });
});
