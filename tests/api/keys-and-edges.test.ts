/**
 * API keys at the edge (issue 10 §6): credentials in URLs refused and redacted, key expiry and
 * last use, no caching of authenticated answers, authentication before body parsing, security
 * headers, and the two rate limits.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { pino } from 'pino';
import { bearer, startTestApp, type TestContext } from '../helpers/context.ts';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../api/logger.ts';
import { loadConfig } from '../../config/index.ts';
import { issueKey } from '../../services/auth.ts';
import { touchApiKeyLastUsed } from '../../db/repositories/api-keys.ts';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); }, 120_000);
afterAll(async () => { await ctx?.close(); });

const api = () => request(ctx.baseUrl);

/** An app on the test database with its own configuration (its own rate-limit counters) and log lines. */
function appWith(env: Record<string, string>, logger = pino({ level: 'silent' })) {
  return createApp({ db: ctx.db, config: loadConfig({ LOG_LEVEL: 'silent', ROBORISK_DEMO: 'false', ...env }), logger });
}

function logSink() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
  return { lines, sink };
}
const flush = () => new Promise((r) => setTimeout(r, 30));

const keyRow = (id: number) => ctx.db('api_keys').where({ id }).first();

describe('credentials in the URL', () => {
  it.each(['api_key', 'apikey', 'key', 'access_token', 'token', 'API_KEY', 'api%5Fkey', 'Access-Token'])(
    '?%s=<key> is refused with 400 and the key is echoed nowhere',
    async (name) => {
      const key = ctx.keys.actuary;
      const r = await api().get(`/v1/coverages?limit=5&${name}=${key}`);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 400, code: 'CREDENTIALS_IN_URL' });
      expect(r.body.instance).toBe(`/v1/coverages?limit=5&${name}=[redacted]`);
      expect(r.text).not.toContain(key);
      expect(r.text).not.toContain(key.slice(12));
    },
  );

  it('is refused even with a valid Authorization header, and on public routes', async () => {
    const withHeader = await api().get(`/v1/coverages?token=whatever-secret-value`).set(bearer(ctx.keys.actuary));
    expect(withHeader.status).toBe(400);
    expect(withHeader.text).not.toContain('whatever-secret-value');
    const health = await api().get('/healthz?api_key=whatever-secret-value');
    expect(health.status).toBe(400);
    expect(health.body.instance).toBe('/healthz?api_key=[redacted]');
  });

  it('refuses and redacts a value shaped like a key under any name, and in the path', async () => {
    const key = ctx.keys.admin;
    const q = await api().get(`/v1/organizations?kind=${key}`);
    expect(q.status).toBe(400);
    expect(q.body.instance).toBe('/v1/organizations?kind=[redacted]');
    const p = await api().get(`/v1/organizations/${key}`).set(bearer(ctx.keys.admin));
    expect(p.status).toBe(404);
    expect(p.body.instance).toBe('/v1/organizations/[redacted]');
    expect(p.text).not.toContain(key);
  });

  it('leaves other parameters alone, malformed percent-encoding included', async () => {
    const r = await api().get('/v1/coverages?limit=5&monkey=1').set(bearer(ctx.keys.actuary));
    expect(r.status).not.toBe(400); // "monkey" is no credential (the route itself refuses the unknown field)
    const bad = await api().get('/v1/coverages?%ZZ=1&token=abc%ZZdef');
    expect(bad.status).toBe(400);
    expect(bad.body.instance).toBe('/v1/coverages?%ZZ=1&token=[redacted]');
  });

  it('writes neither the key in the URL nor the Authorization header to the log, whatever the logger redacts', async () => {
    for (const make of [(s: Writable) => createLogger('info', s), (s: Writable) => pino({ level: 'info' }, s)]) {
      const { lines, sink } = logSink();
      const app = appWith({ LOG_LEVEL: 'info' }, make(sink));
      const inQuery = ctx.keys.underwriter;
      const r1 = await request(app).get(`/v1/coverages?api_key=${inQuery}`).set('x-request-id', 'leak-1');
      expect(r1.status).toBe(400);
      const r2 = await request(app).get('/v1/coverages').set(bearer(ctx.keys.actuary)).set('x-request-id', 'leak-2');
      expect(r2.status).toBe(200);
      await flush();
      const entries = lines.map((l) => JSON.parse(l));
      const e1 = entries.find((e) => e.req?.id === 'leak-1');
      expect(e1.req.url).toBe('/v1/coverages?api_key=[redacted]');
      expect(e1.req.query?.api_key).toBe('[redacted]');
      const e2 = entries.find((e) => e.req?.id === 'leak-2');
      expect(e2.req.headers.authorization).toBe('[redacted]');
      const all = lines.join('\n');
      expect(all).not.toContain(inQuery);
      expect(all).not.toContain(ctx.keys.actuary);
    }
  });
});

describe('key expiry and last use', () => {
  it('issues a key with expires_at (in the future only) and lists it', async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const r = await api().post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'actuary', label: 'expiring', expires_at: expires });
    expect(r.status).toBe(201);
    expect(r.body.expires_at).toBe(expires);
    expect(r.body.last_used_at).toBeNull();
    const listed = (await api().get('/v1/api-keys').set(bearer(ctx.keys.admin))).body.data.find((k: { id: number }) => k.id === r.body.id);
    expect(listed).toMatchObject({ expires_at: expires, last_used_at: null });
    expect(listed.key).toBeUndefined();

    for (const bad of [new Date(Date.now() - 1000).toISOString(), '2027-02-30T00:00:00Z', '2027-01-01', 'tomorrow', '2027-01-01T00:00:00']) {
      const b = await api().post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'actuary', expires_at: bad });
      expect(b.status, bad).toBe(422);
      expect(b.body.errors.map((e: { field: string }) => e.field), bad).toContain('expires_at');
    }
  });

  it('an expired key is refused with 401 like a revoked one', async () => {
    const issued = await issueKey(ctx.db, 'system', { role: 'actuary', expires_at: new Date(Date.now() + 60_000) });
    expect((await api().get('/v1/coverages').set(bearer(issued.key))).status).toBe(200);
    await ctx.db('api_keys').where({ id: issued.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const r = await api().get('/v1/coverages').set(bearer(issued.key));
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  it('records the last use at most once a minute per key, not on every request', async () => {
    const issued = await issueKey(ctx.db, 'system', { role: 'actuary' });
    expect((await keyRow(issued.id)).last_used_at).toBeNull();
    const before = Date.now();
    expect((await api().get('/v1/coverages').set(bearer(issued.key))).status).toBe(200);
    const first = new Date((await keyRow(issued.id)).last_used_at).getTime();
    expect(first).toBeGreaterThanOrEqual(before - 5_000);
    // within the minute, further requests write nothing (the row is left as we set it)
    const old = new Date('2000-01-01T00:00:00Z');
    await ctx.db('api_keys').where({ id: issued.id }).update({ last_used_at: old });
    await Promise.all([1, 2, 3, 4, 5].map(() => api().get('/v1/coverages').set(bearer(issued.key)).expect(200)));
    expect(new Date((await keyRow(issued.id)).last_used_at).getTime()).toBe(old.getTime());
  });

  it('the conditional update writes only when the recorded use is older than the interval', async () => {
    const issued = await issueKey(ctx.db, 'system', { role: 'regulator' });
    expect(await touchApiKeyLastUsed(ctx.db, issued.id, 60)).toBe(true);
    expect(await touchApiKeyLastUsed(ctx.db, issued.id, 60)).toBe(false);
    await ctx.db('api_keys').where({ id: issued.id }).update({ last_used_at: new Date(Date.now() - 120_000) });
    const racers = await Promise.all([1, 2, 3, 4].map(() => touchApiKeyLastUsed(ctx.db, issued.id, 60)));
    expect(racers.filter(Boolean)).toHaveLength(1);
  });
});

describe('caching, body parsing and headers', () => {
  it('answers Cache-Control: no-store to authenticated requests, the new key above all', async () => {
    const issued = await api().post('/v1/api-keys').set(bearer(ctx.keys.admin)).send({ role: 'underwriter' });
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect((await api().get('/v1/api-keys').set(bearer(ctx.keys.admin))).headers['cache-control']).toBe('no-store');
    expect((await api().get('/v1/coverages').set(bearer('rr_admin_not-a-real-key-at-all-0000'))).headers['cache-control']).toBe('no-store');
  });

  it('authenticates before parsing the body: a stranger\'s malformed body is 401, a key holder\'s 400', async () => {
    const post = () => api().post('/v1/organizations').set('Content-Type', 'application/json');
    const none = await post().send('{"ref": oops');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const unknown = await post().set(bearer('rr_admin_not-a-real-key-at-all-0001')).send('{"ref": oops');
    expect(unknown.status).toBe(401);
    const known = await post().set(bearer(ctx.keys.admin)).send('{"ref": oops');
    expect(known.status).toBe(400);
    expect(known.body.code).toBe('MALFORMED_JSON');
    // routes that need no key are unaffected
    expect((await api().get('/healthz')).status).toBe(200);
    expect((await api().get('/openapi.json')).status).toBe(200);
  });

  it('sends security headers on API answers and problems alike', async () => {
    for (const r of [await api().get('/v1/coverages').set(bearer(ctx.keys.actuary)), await api().get('/v1/nowhere')]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('lets a browser show an inline PDF (no object-src \'none\'), still refusing framing by others', async () => {
    const r = await api().get('/v1/statistics/report.pdf').set(bearer(ctx.keys.regulator));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-security-policy']).toBe("frame-ancestors 'self'");
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('serves /docs without inline script, so the CSP can forbid it', async () => {
    const page = await api().get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/docs\//);
      expect(body.trim()).toBe('');
    }
    const init = await api().get('/docs/init.js');
    expect(init.status).toBe(200);
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain("url: '/openapi.json'");
    expect((await api().get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('locks an address out after AUTH_FAILURE_LIMIT failed authentications, right guesses included', async () => {
    const app = appWith({ AUTH_FAILURE_LIMIT: '3', KEY_RATE_LIMIT: '0' });
    // good requests in flight never count as failures
    const good = await Promise.all(Array.from({ length: 12 }, () => request(app).get('/v1/coverages').set(bearer(ctx.keys.actuary))));
    expect(good.map((r) => r.status)).toEqual(Array(12).fill(200));
    // requests with no key at all are not authentication attempts
    for (let i = 0; i < 5; i++) expect((await request(app).get('/v1/coverages')).status).toBe(401);

    for (let i = 0; i < 3; i++) {
      const r = await request(app).get('/v1/coverages').set(bearer(`rr_admin_guess-number-${i}-0000000000`));
      expect(r.status).toBe(401);
    }
    const locked = await request(app).get('/v1/coverages').set(bearer('rr_admin_guess-number-3-0000000000'));
    expect(locked.status).toBe(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retry = Number(locked.headers['retry-after']);
    expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
    // a right key from a locked-out address gains nothing
    expect((await request(app).get('/v1/coverages').set(bearer(ctx.keys.actuary))).status).toBe(429);
    // routes that need no key still answer
    expect((await request(app).get('/healthz')).status).toBe(200);
    // another app (another process) has its own counters
    expect((await request(appWith({})).get('/v1/coverages').set(bearer(ctx.keys.actuary))).status).toBe(200);
  });

  it('limits the requests of each key to KEY_RATE_LIMIT per window', async () => {
    const app = appWith({ KEY_RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '120' });
    for (let i = 0; i < 5; i++) {
      const r = await request(app).get('/v1/coverages').set(bearer(ctx.keys.underwriter));
      expect(r.status).toBe(200);
      expect(r.headers.ratelimit).toMatch(new RegExp(`remaining=${4 - i}\\b`));
    }
    const over = await request(app).get('/v1/coverages').set(bearer(ctx.keys.underwriter));
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retry = Number(over.headers['retry-after']);
    expect(retry >= 1 && retry <= 120).toBe(true);
    // other keys have budgets of their own; requests without a key are not counted
    expect((await request(app).get('/v1/coverages').set(bearer(ctx.keys.actuary))).status).toBe(200);
    expect((await request(app).get('/v1/coverages')).status).toBe(401);
  });

  it('reads its limits from the configuration (validated, frozen)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ AUTH_FAILURE_LIMIT: 20, KEY_RATE_LIMIT: 20_000, RATE_LIMIT_WINDOW_SECONDS: 60 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(() => loadConfig({ KEY_RATE_LIMIT: '-1' })).toThrow(/KEY_RATE_LIMIT/);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
  });
});
