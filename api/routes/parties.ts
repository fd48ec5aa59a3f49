import { z } from 'zod';
import * as orgs from '../../services/organizations.ts';
import * as auth from '../../services/auth.ts';
import { ORGANIZATION_KINDS } from '../../domain/index.ts';
import { NewApiKey, NewOrganization } from '../../domain/schemas/index.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { ApiKeyInfo, ApiKeyList, Cursor, IdParams, IssuedApiKey, Limit, Organization, RefParams, pageOf } from '../schemas.ts';

export const partyRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/organizations', tag: 'Organizations', roles: ['admin', 'actuary', 'underwriter', 'enterprise'],
    summary: 'List organizations (an enterprise key sees its own only)',
    query: z.strictObject({ kind: z.enum(ORGANIZATION_KINDS).optional(), cursor: Cursor, limit: Limit }),
    response: pageOf(Organization, 'OrganizationPage', 'organizations'),
    handler: ({ query, principal }) => orgs.listOrganizations(db, principal, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/organizations/:ref', tag: 'Organizations', roles: ['admin', 'actuary', 'underwriter', 'enterprise'],
    summary: 'One organization', params: RefParams, response: Organization, errors: [404],
    handler: ({ params, principal }) => orgs.getOrganization(db, principal, params.ref),
  }),
  defineRoute({
    method: 'post', path: '/v1/organizations', tag: 'Organizations', roles: ['admin'], summary: 'Create an organization',
    body: NewOrganization, status: 201, response: Organization, errors: [409],
    handler: ({ body, principal }) => orgs.createOrganization(db, principal, body),
  }),
  defineRoute({
    method: 'post', path: '/v1/api-keys', tag: 'API keys', roles: ['admin'],
    summary: 'Issue an API key for a role (and organization); the key is returned once',
    body: NewApiKey, status: 201, response: IssuedApiKey,
    handler: ({ body, principal }) => auth.issueKey(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/api-keys', tag: 'API keys', roles: ['admin'], summary: 'List API keys (never the keys themselves)',
    response: ApiKeyList,
    handler: async () => ({ data: (await auth.listKeys(db)).map(({ organization_id: _o, ...k }) => k) }),
  }),
  defineRoute({
    method: 'delete', path: '/v1/api-keys/:id', tag: 'API keys', roles: ['admin'], summary: 'Revoke an API key',
    params: IdParams, response: ApiKeyInfo, errors: [404],
    handler: async ({ params, principal }) => {
      const { organization_id: _o, ...k } = await auth.revokeKey(db, principal, params.id);
      return k;
    },
  }),
];
