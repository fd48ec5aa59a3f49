/**
 * Nothing waits on the database without end, on either store (docs/architecture.md §10): while
 * every pooled connection is busy — PGlite's single in-process connection, or all of PostgreSQL's
 * pool — a call gets 503 DATABASE_UNAVAILABLE with Retry-After after DB_ACQUIRE_TIMEOUT_MS and
 * `/readyz` 503 after READY_TIMEOUT_MS; both answer normally again once a connection is free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { isPglite } from '../../db/connection.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp({ DB_ACQUIRE_TIMEOUT_MS: '1500', READY_TIMEOUT_MS: '500' });
});
afterAll(async () => { await ctx?.close(); });

describe('waiting for a pooled connection', () => {
  it('is bounded: 503 with Retry-After while every connection is held, 200 once one is free', async () => {
    const pool = ctx.db.client.pool as unknown as { max: number; numUsed(): number };
    const size = isPglite(ctx.db) ? 1 : pool.max;
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const holders = Array.from({ length: size }, () => ctx.db.transaction(async (trx) => {
      await trx.raw('select 1');
      await held;
    }));
    while (pool.numUsed() < size) await new Promise((r) => setTimeout(r, 10));
    try {
      let started = Date.now();
      const call = await request(ctx.baseUrl).get('/v1/scenario-classes').set(bearer(ctx.keys.actuary));
      const callMs = Date.now() - started;
      expect(call.status).toBe(503);
      expect(call.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(call.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(Number(call.headers['retry-after'])).toBeGreaterThan(0);
      expect(callMs).toBeGreaterThanOrEqual(1400);
      expect(callMs).toBeLessThan(5000);

      started = Date.now();
      const ready = await request(ctx.baseUrl).get('/readyz');
      const readyMs = Date.now() - started;
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBeDefined();
      expect(readyMs).toBeLessThan(2000);
    } finally {
      release();
      await Promise.all(holders);
    }
    expect((await request(ctx.baseUrl).get('/readyz')).status).toBe(200);
    expect((await request(ctx.baseUrl).get('/v1/scenario-classes').set(bearer(ctx.keys.actuary))).status).toBe(200);
  });
});
