/**
 * Compile-time test of the endpoint factory: `npm run typecheck` checks this file (it is never
 * run). Handlers see the types inferred from their route's schemas and must return the response
 * schema's type, so each `@ts-expect-error` below marks a typo that does not compile — if one of
 * them compiled, tsc would report the unused directive. (TypeScript does not flag extra
 * properties of a returned object; undocumented response fields fail the contract test instead:
 * the response schemas are strict.)
 */
import { z } from 'zod';
import { defineFileRoute, defineRoute, type Route } from '../../api/route.ts';
import { IdParams } from '../../api/schemas.ts';
import { QuoteRequest } from '../../domain/schemas/index.ts';

const Priced = z.object({ id: z.number(), units: z.number(), created_at: z.date() });
const Query = z.strictObject({ limit: z.coerce.number().int().default(10) });

export const typedRoutes: Route[] = [
  defineRoute({
    method: 'post', path: '/v1/typed/:id', tag: 'Types', summary: 'inputs are typed', roles: ['underwriter'],
    params: IdParams, query: Query, body: QuoteRequest, response: Priced,
    handler: ({ params, query, body }) => {
      // @ts-expect-error a mistyped body field
      void body.fleeet;
      // @ts-expect-error a mistyped path parameter
      void params.idd;
      // @ts-expect-error a mistyped query parameter
      void query.limt;
      // @ts-expect-error a path parameter is coerced to a number, not a string
      const asText: string = params.id;
      // @ts-expect-error autonomy levels are an enumeration, not any string
      const level: 'manual' = body.fleet[0].autonomy_level;
      void asText; void level;
      const limit: number = query.limit; // the default applied: never undefined
      return { id: params.id + limit, units: body.fleet.reduce((s, l) => s + l.units, 0), created_at: new Date() };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/typed', tag: 'Types', summary: 'no params declared', roles: ['actuary'], response: Priced,
    handler: ({ params }) => {
      // @ts-expect-error a route without a params schema has no params
      void params.id;
      return { id: 1, units: 2, created_at: new Date() };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/typed/wrong-type', tag: 'Types', summary: 'result checked', roles: ['actuary'], response: Priced,
    handler: () => ({
      // @ts-expect-error the response's id is a number
      id: 'one',
      units: 2,
      created_at: new Date(),
    }),
  }),
  defineRoute({
    method: 'get', path: '/v1/typed/missing', tag: 'Types', summary: 'result checked', roles: ['actuary'], response: Priced,
    // @ts-expect-error units is missing from the result
    handler: async () => {
      const partial = { id: 1, created_at: new Date() };
      return partial;
    },
  }),
  defineFileRoute({
    method: 'get', path: '/v1/typed/:id/file.pdf', tag: 'Types', summary: 'files', roles: ['actuary'], params: IdParams, produces: 'application/pdf',
    // @ts-expect-error a file route returns { data, filename }
    handler: ({ params }) => `report-${params.id}.pdf`,
  }),
];
