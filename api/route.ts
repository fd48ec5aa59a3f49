/**
 * One declaration per route: the same zod schemas validate the request and generate the
 * OpenAPI document, and the route's roles are enforced before the handler runs.
 */
import type { Request, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { appError, type FieldError } from '../services/errors.ts';
import type { Principal, Role } from '../domain/index.ts';
import { ProblemSchema } from './schemas.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  req: Request;
  res: Response;
}

export interface RouteSpec<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject, B extends ZodType = ZodType> {
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
  /** Other request content types, documented only (the handler reads the stream). */
  rawBody?: Record<string, { description: string }>;
  status?: number;
  response?: ZodType;
  /** Non-JSON response media type (e.g. application/pdf); the handler sends the body itself. */
  produces?: string;
  responseDescription?: string;
  /** Extra documented error statuses beyond the common ones. */
  errors?: number[];
  handler: (ctx: HandlerContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => unknown | Promise<unknown>;
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

function validate<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> | undefined {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) {
    const errors = fieldErrors(where, r.error);
    throw appError('VALIDATION_FAILED', `invalid ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { errors });
  }
  return r.data;
}

const openapiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

const COMMON_ERRORS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing or unknown API key',
  403: 'The key\'s role may not use this route',
  404: 'Not found',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Validation failed (every field named)',
};

export function mountRoute(router: Router, registry: OpenAPIRegistry, spec: RouteSpec<any, any, any>) {
  const problem = { 'application/problem+json': { schema: ProblemSchema } };
  const errorStatuses = new Set<number>([422, ...(spec.roles === 'public' ? [] : [401, 403]), ...(spec.body ? [400, 413, 415] : []), ...(spec.errors ?? [])]);
  const responses: RouteConfig['responses'] = {
    [spec.status ?? 200]: {
      description: spec.responseDescription ?? 'OK',
      ...(spec.produces
        ? { content: { [spec.produces]: { schema: { type: 'string' as const, format: 'binary' } } } }
        : spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
    },
  };
  for (const s of errorStatuses) responses[s] = { description: COMMON_ERRORS[s] ?? 'Error', content: problem };
  const requestBody = spec.body
    ? { content: { 'application/json': { schema: spec.body } }, required: true }
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

  router[spec.method](spec.path, async (req: Request, res: Response) => {
    const principal = res.locals.principal as Principal | undefined;
    if (spec.roles !== 'public') {
      if (!principal) throw appError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
      if (!spec.roles.includes(principal.role)) {
        throw appError('FORBIDDEN', `role '${principal.role}' may not ${spec.method.toUpperCase()} ${spec.path}`);
      }
    }
    if (spec.body) {
      if (!req.is('application/json')) {
        throw appError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got ${req.headers['content-type'] ?? 'none'})`);
      }
    }
    const params = validate(spec.params, req.params, 'path');
    const query = validate(spec.query, req.query, 'query');
    const body = validate(spec.body, req.body, 'body');
    const result = await spec.handler({ params, query, body, principal: principal as Principal, req, res });
    if (res.headersSent) return;
    res.status(spec.status ?? 200).json(result);
  });
}
