/**
 * The express application factory. Everything it needs comes in `deps`, so tests start it on
 * port 0 against a database of their own.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { AppError, appError } from '../services/errors.ts';
import { databaseFault, RETRY_AFTER_SECONDS } from '../services/database-faults.ts';
import { ping } from '../db/connection.ts';
import type { AppDeps } from './deps.ts';
import type { Route } from './route.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { partyRoutes } from './routes/parties.ts';
import { historyRoutes } from './routes/history.ts';
import { importRoutes } from './routes/imports.ts';
import { pricingRoutes } from './routes/pricing.ts';
import { impactRoutes } from './routes/impact.ts';
import { statisticsRoutes } from './routes/statistics.ts';
import { scorecardRoutes } from './routes/scorecards.ts';
import { documentRoutes } from './routes/documents.ts';
import { auditRoutes } from './routes/audit.ts';
import { policyRoutes } from './routes/policies.ts';
import { policyChangeRoutes } from './routes/policy-changes.ts';
import { policyStatementRoutes } from './routes/policy-statements.ts';
import { meRoutes } from './routes/me.ts';
import { consoleRouter } from './console.ts';
import { docsHtml, docsInitScript } from './docs.ts';
import { authenticateKey, keyRateLimit, redactKeys, redactRequestLog, redactUrl, refuseCredentialsInUrl, securityHeaders } from './security.ts';

const PROBLEM_BASE = 'https://roborisk.dev/problems/';

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', false);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: { req: redactRequestLog },
    }),
  );
  app.use(securityHeaders());
  app.use(refuseCredentialsInUrl);

  // Health first: no key needed.
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const ok = await ping(deps.db, deps.config.READY_TIMEOUT_MS);
    if (!ok) throw appError('SERVICE_UNAVAILABLE', 'database not reachable');
    res.json({ status: 'ready' });
  });

  // Resolve the API key (if any; each route decides whether it needs one), then its rate limit.
  app.use(authenticateKey(deps));
  app.use(keyRateLimit(deps.config));

  // JSON bodies of authenticated requests (after authentication: no parsing for strangers),
  // everywhere but imports, which stream their own body.
  const json = express.json({ limit: deps.config.JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use((req, res, next) => {
    // a stranger's body is never parsed, only read and dropped — to its end before the answer:
    // a connection closed while the client still sends is reset, and the reset makes the client's
    // system drop the answer it has not read yet (the longer the answer, e.g. /openapi.json, the likelier)
    if (!res.locals.principal) {
      if (req.readableEnded) return next();
      req.once('end', () => next());
      req.resume();
      return;
    }
    return req.path.startsWith('/v1/imports/') ? next() : json(req, res, next);
  });

  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'API key' });
  const router = express.Router();
  const routes: Route[] = [
    ...catalogRoutes(deps), ...partyRoutes(deps), ...historyRoutes(deps), ...importRoutes(deps), ...pricingRoutes(deps), ...policyRoutes(deps), ...policyChangeRoutes(deps), ...policyStatementRoutes(deps), ...documentRoutes(deps), ...statisticsRoutes(deps), ...impactRoutes(deps), ...scorecardRoutes(deps), ...auditRoutes(deps),
  ];
  routes.push(...meRoutes(deps, () => routes));
  for (const r of routes) r.mount(router, registry);
  app.use(router);

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'roborisk API',
      version: '0.1.0',
      description: 'Underwriting and actuarial analytics for humanoid robots at work. Errors are RFC 9457 application/problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
  });
  app.locals.openapi = document;
  app.get('/openapi.json', (_req, res) => { res.json(document); });

  const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (_req, res) => { res.type('html').send(docsHtml); });
  app.get('/docs/init.js', (_req, res) => { res.type('text/javascript').send(docsInitScript); });
  // the web console at the root (web/, built into dist/web/)
  app.use(consoleRouter(deps.consoleDir));
  app.use('/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1h' }));

  // Known path, other method → 405; anything else → 404.
  const known = routes.map((r) => ({ method: r.method.toUpperCase(), re: new RegExp(`^${r.path.replace(/:(\w+)/g, '[^/]+')}/?$`) }));
  app.use((req) => {
    const allowed = known.filter((k) => k.re.test(req.path)).map((k) => k.method);
    if (allowed.length) throw appError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${[...new Set(allowed)].join(', ')}`, { extra: { allow: [...new Set(allowed)] } });
    throw appError('ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toAppError(err);
    if (e.status >= 500) req.log?.error({ err }, 'request failed');
    const { allow, ...extra } = (e.extra ?? {}) as Record<string, unknown>;
    if (Array.isArray(allow)) res.setHeader('Allow', allow.join(', '));
    if (e.code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer');
    if (e.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(e.status).type('application/problem+json').send(redactKeys(JSON.stringify({
      ...extra, // first: an extra field never replaces a standard one (`status` is the HTTP status)
      type: `${PROBLEM_BASE}${e.code.toLowerCase().replace(/_/g, '-')}`,
      title: e.title,
      status: e.status,
      detail: e.message,
      instance: redactUrl(req.originalUrl),
      code: e.code,
      request_id: String(req.id ?? ''),
      ...(e.errors ? { errors: e.errors } : {}),
    })));
  });

  return app;
}

/** Maps body-parser, database faults and other known errors to AppErrors; anything unknown is a 500. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // the router could not percent-decode a path parameter (`/v1/deployments/%ZZ`)
  if (err instanceof URIError) return appError('MALFORMED_REQUEST', 'the path is not valid percent-encoding');
  const e = err as { type?: string; status?: number; message?: string; code?: string };
  if (e?.type === 'entity.parse.failed') return appError('MALFORMED_JSON', `body is not valid JSON: ${e.message}`);
  if (e?.type === 'entity.too.large') return appError('PAYLOAD_TOO_LARGE', 'the body exceeds the size limit');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return appError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported encoding');
  if (e?.type === 'request.aborted') return appError('MALFORMED_JSON', 'the request was aborted');
  // any other client error of the body parser: a corrupt or truncated gzip, deflate or br body
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return appError('MALFORMED_REQUEST', `the body could not be read: ${e.message ?? 'invalid'}`);
  const fault = databaseFault(err);
  if (fault) return fault;
  return new AppError('INTERNAL_ERROR', 'an unexpected error occurred; it has been logged');
}
