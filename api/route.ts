/**
 * The endpoint factory. One declaration per route: the same zod schemas validate the request,
 * type the handler and generate the OpenAPI document, and the route's roles are enforced before
 * the handler runs.
 *
 * `defineRoute` is generic in the route's params, query, body and response schemas: the handler
 * receives `z.output` of each request schema (`undefined` where the route declares none) and
 * must return `z.input` of the response schema (dates may be `Date`s: JSON renders them as ISO
 * strings). `defineFileRoute` is the same for binary responses (PDF). Both return a type-erased
 * {@link Route} for the application's route list.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { appError, type FieldError } from '../services/errors.ts';
import type { Principal, Role } from '../domain/index.ts';
import { WellFormed } from '../domain/schemas/index.ts';
import { ProblemSchema } from './schemas.ts';
import { allowInlineDocumentViewer } from './security.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Awaitable<T> = T | Promise<T>;

/** Path and query schemas are objects (one property per parameter). */
export type ParamSchema = z.ZodObject;
type OptionalParams = ParamSchema | undefined;
type OptionalBody = z.ZodType | undefined;

/** The parsed value of an optional request schema: `undefined` when the route declares none. */
export type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  /** The request: headers, and the raw body of routes that stream it (imports). */
  req: Request;
  /** Answers with another documented success status (see `alsoReturns`) instead of the route's `status`. */
  setStatus(status: number): void;
}

interface RouteCommon<P extends OptionalParams, Q extends OptionalParams, B extends OptionalBody> {
  method: Method;
  /** Express path, e.g. `/v1/organizations/:ref`. */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed; `public` routes need no key. */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  /** JSON body schema (content type application/json is required). */
  body?: B;
  /** The body may be left out altogether (no content): it is then validated as `{}`. */
  optionalBody?: boolean;
  /** Other request content types, documented only (the handler reads the stream). */
  rawBody?: Record<string, { description: string }>;
  /** Success status (default 200). */
  status?: number;
  /** Other success statuses with the same body, set by the handler with `setStatus`. */
  alsoReturns?: Record<number, string>;
  responseDescription?: string;
  /** Extra documented error statuses beyond the common ones. */
  errors?: number[];
}

/** A route answering JSON described by `response`. */
export interface JsonRouteDef<P extends OptionalParams, Q extends OptionalParams, B extends OptionalBody, R extends z.ZodType> extends RouteCommon<P, Q, B> {
  response: R;
  /** Other representations of the same result, chosen by the Accept header (JSON stays the default). */
  alternatives?: Record<string, { description: string; render: (result: z.input<R>) => { body: string; filename: string } }>;
  handler: (ctx: HandlerContext<Parsed<P>, Parsed<Q>, Parsed<B>>) => Awaitable<NoInfer<z.input<R>>>;
}

/** A file the handler produced (sent inline with its file name). */
export interface FileResult { data: Buffer; filename: string }

/** A route answering a binary document of media type `produces`. */
export interface FileRouteDef<P extends OptionalParams, Q extends OptionalParams, B extends OptionalBody> extends RouteCommon<P, Q, B> {
  produces: string;
  handler: (ctx: HandlerContext<Parsed<P>, Parsed<Q>, Parsed<B>>) => Awaitable<FileResult>;
}

/** A declared route with its types erased: what the application mounts. */
export interface Route {
  readonly method: Method;
  readonly path: string;
  /** Roles allowed (`public`: no key needed), and what the route does: for `GET /v1/me`. */
  readonly roles: readonly Role[] | 'public';
  readonly summary: string;
  mount(router: Router, registry: OpenAPIRegistry): void;
}

/** zod issues → field errors naming the field (dotted path, prefixed by where it was). */
export function fieldErrors(where: string, error: z.ZodError): FieldError[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    const field = i.code === 'unrecognized_keys' ? (path ? `${path}.${i.keys.join(',')}` : i.keys.join(',')) : path || `(${where})`;
    const message = i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message;
    return { field: where === 'body' ? field : `${where}.${field}`, message };
  });
}

/**
 * Parses one request part. Every string in it (keys too) must first be well-formed text — no NUL,
 * no lone surrogate, bounded nesting (domain/schemas/common.ts WellFormed) — so nothing the
 * database or the audit trail would choke on gets past the edge, whatever the part's own schema.
 */
function validate<S extends OptionalBody>(schema: S | undefined, value: unknown, where: string): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const clean = WellFormed.safeParse(value);
  const r = clean.success ? schema.safeParse(value) : clean;
  if (!r.success) {
    const errors = fieldErrors(where, r.error);
    throw appError('VALIDATION_FAILED', `invalid ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { errors });
  }
  return r.data as Parsed<S>;
}

/** Whether the request carries a body (RFC 9110: a Transfer-Encoding, or a Content-Length above 0). */
const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const openapiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

const COMMON_ERRORS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing or unknown API key',
  403: 'The key\'s role may not use this route',
  404: 'Not found',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Validation failed (every field named)',
  429: 'Too many requests or failed authentications (see Retry-After)',
};

type SuccessContent = NonNullable<ResponseConfig['content']>;

function makeRoute<P extends OptionalParams, Q extends OptionalParams, B extends OptionalBody, Out>(
  spec: RouteCommon<P, Q, B>,
  content: SuccessContent,
  handler: (ctx: HandlerContext<Parsed<P>, Parsed<Q>, Parsed<B>>) => Awaitable<Out>,
  send: (req: Request, res: Response, status: number, out: Out) => void,
): Route {
  const status = spec.status ?? 200;
  const mount = (router: Router, registry: OpenAPIRegistry) => {
    const problem = { 'application/problem+json': { schema: ProblemSchema } };
    const errorStatuses = new Set<number>([422, ...(spec.roles === 'public' ? [] : [400, 401, 403, 429]), ...(spec.body ? [400, 413, 415] : []), ...(spec.errors ?? [])]);
    const responses: RouteConfig['responses'] = { [status]: { description: spec.responseDescription ?? 'OK', content } };
    for (const [s, description] of Object.entries(spec.alsoReturns ?? {})) responses[s] = { description, content };
    for (const s of errorStatuses) responses[s] = { description: COMMON_ERRORS[s] ?? 'Error', content: problem };
    const requestBody = spec.body
      ? { content: { 'application/json': { schema: spec.body } }, required: !spec.optionalBody }
      : spec.rawBody
        ? { content: Object.fromEntries(Object.entries(spec.rawBody).map(([ct, d]) => [ct, { schema: { type: 'string' as const, description: d.description } }])), required: true }
        : undefined;
    registry.registerPath({
      method: spec.method,
      path: openapiPath(spec.path),
      summary: spec.summary,
      tags: [spec.tag],
      description: spec.roles === 'public' ? 'No authentication.' : `Roles: ${spec.roles.join(', ')}.`,
      security: spec.roles === 'public' ? [] : [{ bearerAuth: [] }],
      'x-roles': spec.roles === 'public' ? [] : [...spec.roles],
      request: { params: spec.params, query: spec.query, body: requestBody },
      responses,
    });

    const allowed = new Set([status, ...Object.keys(spec.alsoReturns ?? {}).map(Number)]);
    router[spec.method](spec.path, async (req: Request, res: Response) => {
      const principal = res.locals.principal as Principal | undefined;
      if (spec.roles !== 'public') {
        if (!principal) throw appError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
        if (!spec.roles.includes(principal.role)) {
          throw appError('FORBIDDEN', `role '${principal.role}' may not ${spec.method.toUpperCase()} ${spec.path}`);
        }
      }
      // no body at all (no content) where the route allows it: the body is `{}`
      const absent = spec.optionalBody === true && !hasBody(req);
      if (spec.body && !absent && !req.is('application/json')) {
        throw appError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got ${req.headers['content-type'] ?? 'none'})`);
      }
      let answer = status;
      const out = await handler({
        params: validate(spec.params, req.params, 'path'),
        query: validate(spec.query, req.query, 'query'),
        body: validate(spec.body, absent ? {} : req.body, 'body'),
        principal: principal as Principal,
        req,
        setStatus: (s) => {
          if (!allowed.has(s)) throw new Error(`${spec.method} ${spec.path} does not document status ${s}`);
          answer = s;
        },
      });
      send(req, res, answer, out);
    });
  };
  return { method: spec.method, path: spec.path, roles: spec.roles, summary: spec.summary, mount };
}

/** A JSON route: the handler's inputs are typed by the request schemas, its result by the response schema. */
export function defineRoute<
  P extends OptionalParams = undefined,
  Q extends OptionalParams = undefined,
  B extends OptionalBody = undefined,
  R extends z.ZodType = z.ZodType,
>(def: JsonRouteDef<P, Q, B, R>): Route {
  const { response, alternatives = {}, handler, ...spec } = def;
  const content: SuccessContent = { 'application/json': { schema: response } };
  for (const [type, alt] of Object.entries(alternatives)) content[type] = { schema: { type: 'string', description: alt.description } };
  const types = ['application/json', ...Object.keys(alternatives)];
  return makeRoute(spec, content, handler, (req, res, status, out: z.input<R>) => {
    const type = req.accepts(types);
    const alt = type && type !== 'application/json' ? alternatives[type] : undefined;
    if (alt) {
      const { body, filename } = alt.render(out);
      res.status(status).type(type as string).attachment(filename).send(body);
    } else {
      res.status(status).json(out);
    }
  });
}

/** A route answering a binary document (e.g. a PDF) the handler renders. */
export function defineFileRoute<
  P extends OptionalParams = undefined,
  Q extends OptionalParams = undefined,
  B extends OptionalBody = undefined,
>(def: FileRouteDef<P, Q, B>): Route {
  const { produces, handler, ...spec } = def;
  const content: SuccessContent = { [produces]: { schema: { type: 'string', format: 'binary' } } };
  return makeRoute(spec, content, handler, (_req, res, status, out: FileResult) => {
    res.status(status).type(produces).setHeader('Content-Disposition', `inline; filename="${out.filename}"`);
    allowInlineDocumentViewer(res);
    res.send(out.data);
  });
}
