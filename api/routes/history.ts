import { z } from 'zod';
import * as history from '../../services/history.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { Cursor, Deployment, DeploymentQuery, Exposure, Incident, IncidentQuery, Limit, RefParams, pageOf } from '../schemas.ts';

const readers = ['actuary', 'underwriter', 'enterprise'] as const;
const TAG = 'Validation histories';

export const historyRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/deployments', tag: TAG, roles: readers,
    summary: 'List deployments (scenario units); an enterprise key sees its own organization only',
    query: DeploymentQuery, response: pageOf(Deployment, 'DeploymentPage', 'deployments'),
    handler: ({ query, principal }) => history.listDeployments(db, principal, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/deployments/:ref', tag: TAG, roles: readers, summary: 'One deployment',
    params: RefParams, response: Deployment, errors: [404],
    handler: ({ params, principal }) => history.getDeployment(db, principal, params.ref),
  }),
  defineRoute({
    method: 'get', path: '/v1/deployments/:ref/exposures', tag: TAG, roles: readers, summary: "A deployment's exposure periods",
    params: RefParams, query: z.strictObject({ cursor: Cursor, limit: Limit }), response: pageOf(Exposure, 'ExposurePage', 'exposure periods'), errors: [404],
    handler: ({ params, query, principal }) => history.listExposures(db, principal, params.ref, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents', tag: TAG, roles: readers,
    summary: 'List incidents; an enterprise key sees its own organization only',
    query: IncidentQuery, response: pageOf(Incident, 'IncidentPage', 'incidents'),
    handler: ({ query, principal }) => history.listIncidents(db, principal, query),
  }),
  defineRoute({
    method: 'get', path: '/v1/incidents/:ref', tag: TAG, roles: readers, summary: 'One incident',
    params: RefParams, response: Incident, errors: [404],
    handler: ({ params, principal }) => history.getIncident(db, principal, params.ref),
  }),
];
