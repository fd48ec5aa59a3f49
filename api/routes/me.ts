import { z } from 'zod';
import { whoAmI } from '../../services/me.ts';
import { ROLES } from '../../domain/index.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';

export const Me = z
  .strictObject({
    role: z.enum(ROLES).meta({ description: 'Role of the key' }),
    label: z.string().nullable().meta({ description: 'Free-text label of the key' }),
    organization: z
      .strictObject({
        ref: z.string().meta({ description: 'Organization reference' }),
        name: z.string().meta({ description: 'Organization name' }),
        kind: z.string().meta({ description: 'enterprise, insurer, regulator or manufacturer' }),
      })
      .nullable()
      .meta({ description: 'The organization the key acts for (null: not bound to one)' }),
    may: z
      .array(z.strictObject({
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).meta({ description: 'HTTP method' }),
        path: z.string().meta({ description: 'OpenAPI path template' }),
        summary: z.string().meta({ description: 'What the route does' }),
      }).meta({ description: 'A route the key may call' }))
      .meta({ description: "The routes this key's role may call" }),
  })
  .meta({ id: 'Me', description: 'The calling API key: role, organization and what it may do' });

/** `GET /v1/me`; `routes()` are all the application's routes (this one included), whose roles it reports. */
export const meRoutes = ({ db }: AppDeps, routes: () => readonly Route[]): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/me', tag: 'API keys', roles: ROLES,
    summary: 'The calling key: its role, its organization and the routes it may call',
    response: Me,
    handler: async ({ principal }) => ({
      ...(await whoAmI(db, principal)),
      may: routes()
        .filter((r) => r.roles !== 'public' && r.roles.includes(principal.role))
        .map((r) => ({ method: r.method.toUpperCase() as Uppercase<Route['method']>, path: r.path.replace(/:(\w+)/g, '{$1}'), summary: r.summary })),
    }),
  }),
];
