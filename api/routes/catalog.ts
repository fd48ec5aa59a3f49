import { z } from 'zod';
import * as catalog from '../../services/catalog.ts';
import { FORM_FACTORS, ROLES, SCENARIO_AREA_CODES } from '../../domain/index.ts';
import type { AppDeps } from '../deps.ts';
import type { RouteSpec } from '../route.ts';
import { CodeParams, Coverage, RobotModel, ScenarioArea, ScenarioClass } from '../schemas.ts';

const TAG = 'Catalog';
const everyone = ROLES;

export const catalogRoutes = ({ db }: AppDeps): RouteSpec<any, any, any>[] => [
  {
    method: 'get', path: '/v1/scenario-areas', tag: TAG, roles: everyone, summary: 'List scenario areas',
    response: z.object({ data: z.array(ScenarioArea) }),
    handler: async () => ({ data: await catalog.listScenarioAreas(db) }),
  },
  {
    method: 'get', path: '/v1/scenario-classes', tag: TAG, roles: everyone, summary: 'List scenario risk classes',
    query: z.strictObject({ area: z.enum(SCENARIO_AREA_CODES).optional() }),
    response: z.object({ data: z.array(ScenarioClass) }),
    handler: async ({ query }) => ({ data: await catalog.listScenarioClasses(db, query) }),
  },
  {
    method: 'get', path: '/v1/scenario-classes/:code', tag: TAG, roles: everyone, summary: 'One scenario class',
    params: CodeParams, response: ScenarioClass, errors: [404],
    handler: ({ params }) => catalog.getScenarioClass(db, params.code),
  },
  {
    method: 'post', path: '/v1/scenario-classes', tag: TAG, roles: ['actuary'], summary: 'Create a scenario class',
    body: ScenarioClass, status: 201, response: ScenarioClass, errors: [409],
    handler: ({ body, principal }) => catalog.createScenarioClass(db, principal, body),
  },
  {
    method: 'get', path: '/v1/robot-models', tag: TAG, roles: everyone, summary: 'List robot models',
    query: z.strictObject({ form_factor: z.enum(FORM_FACTORS).optional() }),
    response: z.object({ data: z.array(RobotModel) }),
    handler: async ({ query }) => ({ data: await catalog.listRobotModels(db, query) }),
  },
  {
    method: 'get', path: '/v1/robot-models/:code', tag: TAG, roles: everyone, summary: 'One robot model',
    params: CodeParams, response: RobotModel, errors: [404],
    handler: ({ params }) => catalog.getRobotModel(db, params.code),
  },
  {
    method: 'post', path: '/v1/robot-models', tag: TAG, roles: ['actuary'], summary: 'Create a robot model',
    body: RobotModel, status: 201, response: RobotModel, errors: [409],
    handler: ({ body, principal }) => catalog.createRobotModel(db, principal, body),
  },
  {
    method: 'get', path: '/v1/coverages', tag: TAG, roles: everyone, summary: 'List coverages',
    response: z.object({ data: z.array(Coverage) }),
    handler: async () => ({ data: await catalog.listCoverages(db) }),
  },
];
