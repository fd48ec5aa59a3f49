/**
 * The HTTP layer's guards around API keys and browsers (docs/architecture.md §6 "Security"):
 *
 * * keys never travel in URLs: a credential-looking query parameter is refused with 400, and
 *   URLs are redacted wherever they are written (request log, the problem's `instance`);
 * * authentication runs before the body is parsed, answers `Cache-Control: no-store`, and a
 *   client IP that keeps presenting bad keys is locked out for the rest of the window (429);
 * * each key has a request budget per window (429 with `Retry-After` beyond it);
 * * security headers (helmet) with a Content-Security-Policy that /docs (Swagger UI, served
 *   from this origin) still works under.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import { authenticate } from '../services/auth.ts';
import { appError } from '../services/errors.ts';
import type { Principal } from '../domain/index.ts';
import type { Config } from '../config/index.ts';
import type { AppDeps } from './deps.ts';

const REDACTED = '[redacted]';

/** Query parameter names that carry credentials, compared lower-case without `-` and `_`. */
const SECRET_PARAMS = new Set(['apikey', 'key', 'accesstoken', 'token', 'xapikey', 'authorization', 'bearer']);
const isSecretParam = (name: string) => SECRET_PARAMS.has(name.toLowerCase().replace(/[-_]/g, ''));

/** A key of this service (services/auth.ts `generateKey`), wherever it appears in a URL. */
const KEY_SHAPE = /rr_(?:admin|actuary|underwriter|enterprise|regulator)_[A-Za-z0-9_-]{20,}/g;
const looksLikeKey = (s: string) => s.search(KEY_SHAPE) >= 0;

/** Percent-decodes a query component; the raw text when it is malformed (this never throws). */
function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The query's parameters as raw `name=value` pieces with their decoded name and value. */
function queryPieces(url: string): { raw: string; name: string; value: string }[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url.slice(q + 1).split('&').map((raw) => {
    const eq = raw.indexOf('=');
    return { raw, name: decodeComponent(eq < 0 ? raw : raw.slice(0, eq)), value: decodeComponent(eq < 0 ? '' : raw.slice(eq + 1)) };
  });
}

/** The query parameters of `url` that carry a credential (by name, or a value shaped like a key). */
export function credentialParams(url: string): string[] {
  return queryPieces(url).filter((p) => isSecretParam(p.name) || looksLikeKey(p.value) || looksLikeKey(p.name)).map((p) => p.name);
}

/** `text` with anything shaped like a key of this service replaced (problem details echo input). */
export const redactKeys = (text: string): string => text.replace(KEY_SHAPE, REDACTED);

/**
 * `url` with the value of every credential parameter replaced by `[redacted]`, and anything
 * shaped like a key of this service (path included) too. For logs and problem details.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(KEY_SHAPE, REDACTED);
  if (q < 0) return path;
  const query = queryPieces(url).map(({ raw, name, value }) => {
    if (isSecretParam(name) || looksLikeKey(value) || looksLikeKey(name)) {
      const eq = raw.indexOf('=');
      return looksLikeKey(name) ? REDACTED : `${eq < 0 ? raw : raw.slice(0, eq)}=${REDACTED}`;
    }
    return raw.replace(KEY_SHAPE, REDACTED);
  });
  return `${path}?${query.join('&')}`;
}

const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'idempotency-key'];

/** A copy of a parsed query or params object with credential values redacted. */
function redactFields(o: unknown): unknown {
  if (!o || typeof o !== 'object') return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k,
    isSecretParam(k) || (typeof v === 'string' && looksLikeKey(v)) ? REDACTED : v]));
}

/**
 * pino-http serializer of the request: URL, query, params and secret headers redacted in a
 * copy (the request itself is untouched), whatever redaction the logger itself is set up with.
 */
export function redactRequestLog(r: Record<string, unknown>): Record<string, unknown> {
  const headers = { ...(r.headers as Record<string, unknown> | undefined) };
  for (const h of SECRET_HEADERS) if (headers[h] !== undefined) headers[h] = REDACTED;
  return {
    ...r,
    url: typeof r.url === 'string' ? redactUrl(r.url) : r.url,
    query: redactFields(r.query),
    params: redactFields(r.params),
    headers,
  };
}

/** Refuses (400) any request with a credential in its query string, before anything else reads it. */
export const refuseCredentialsInUrl: RequestHandler = (req, _res, next) => {
  const found = credentialParams(req.originalUrl);
  if (!found.length) return next();
  throw appError('CREDENTIALS_IN_URL',
    `credentials are not accepted in the URL (URLs end up in logs, histories and caches): send the key as "Authorization: Bearer <key>", and treat a key sent this way as exposed`,
    { errors: [...new Set(found)].map((f) => ({ field: `query.${isSecretParam(f) ? f : REDACTED}`, message: 'credentials may not be sent in the query string' })) });
};

/** Security headers on every response; the CSP admits exactly what /docs needs from this origin. */
export const securityHeaders = (): RequestHandler => helmet({
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      // Swagger UI sets style attributes at run time
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      // the service is often reached over plain HTTP (localhost, behind a TLS proxy): do not upgrade
      'upgrade-insecure-requests': null,
    },
  },
  frameguard: { action: 'deny' },
});

/**
 * Headers of a document shown inline (PDF): Chrome's built-in viewer embeds the document in a
 * synthetic page that the API's CSP (`object-src 'none'`, `frame-ancestors 'none'`) would blank
 * (crbug.com/271452). A PDF runs no script in this origin, so only framing by others stays forbidden.
 */
export function allowInlineDocumentViewer(res: Response): void {
  res.setHeader('Content-Security-Policy', "frame-ancestors 'self'");
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
}

const seconds = (resetTime: Date | undefined, windowMs: number) =>
  Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));

/**
 * Counts failed authentications per client IP in express-rate-limit's MemoryStore. Not its
 * middleware: that counts every request and un-counts the good ones when they finish, so a
 * client with many requests in flight would be locked out; here only failures count, and a
 * locked-out IP is refused before its key is looked at, so a right guess gains nothing.
 */
function failedAuthentications(config: Config) {
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const limit = config.AUTH_FAILURE_LIMIT;
  const store = new MemoryStore();
  store.init({ windowMs } as Options);
  const client = (req: Request) => `auth-failure:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
  return {
    /** Throws RATE_LIMITED (with Retry-After) while this client is locked out. */
    async refuseIfLockedOut(req: Request, res: Response): Promise<void> {
      if (!limit) return;
      const info = await store.get(client(req));
      if (!info || info.totalHits < limit) return;
      res.setHeader('Retry-After', String(seconds(info.resetTime, windowMs)));
      throw appError('RATE_LIMITED', `too many failed authentications from this address (${limit} in ${config.RATE_LIMIT_WINDOW_SECONDS} s); retry after the Retry-After seconds`);
    },
    async count(req: Request): Promise<void> {
      if (limit) await store.increment(client(req));
    },
  };
}

/**
 * Resolves the API key of a request that sends one (each route decides whether it needs one).
 * A bad key is 401 (and counts against the client's address); the answer is never cached.
 */
export function authenticateKey(deps: AppDeps): RequestHandler {
  const failures = failedAuthentications(deps.config);
  return async (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization;
    if (h === undefined) return next();
    res.setHeader('Cache-Control', 'no-store');
    await failures.refuseIfLockedOut(req, res);
    const m = /^Bearer\s+(\S{16,200})$/i.exec(h);
    const principal = m ? await authenticate(deps.db, m[1]) : undefined;
    if (!principal) {
      await failures.count(req);
      throw appError('UNAUTHENTICATED', m ? 'unknown, revoked or expired API key' : 'the Authorization header must be "Bearer <key>"');
    }
    res.locals.principal = principal;
    next();
  };
}

/** The request budget of each key per window (KEY_RATE_LIMIT; 0 = none): 429 + Retry-After beyond it. */
export function keyRateLimit(config: Config): RequestHandler {
  if (!config.KEY_RATE_LIMIT) return (_req, _res, next) => next();
  const window = config.RATE_LIMIT_WINDOW_SECONDS;
  return rateLimit({
    windowMs: window * 1000,
    limit: config.KEY_RATE_LIMIT,
    skip: (_req, res) => !res.locals.principal,
    keyGenerator: (_req, res) => `key:${(res.locals.principal as Principal).keyId}`,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => next(appError('RATE_LIMITED',
      `more than ${options.limit} requests in ${window} s with this API key; retry after the Retry-After seconds`)),
    // keyed by API key, not by address: the proxy and IP checks do not apply
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, forwardedHeader: false },
  });
}
