import { z } from 'zod';
import * as catalog from '../../services/catalog.ts';
import { FORM_FACTORS, ROLES, SCENARIO_AREA_CODES } from '../../domain/index.ts';
import { RobotModel, ScenarioClass } from '../../domain/schemas/index.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { CodeParams, CoverageList, RobotModelList, ScenarioAreaList, ScenarioClassList } from '../schemas.ts';

const TAG = 'Catalog';
const everyone = ROLES;

export const catalogRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/scenario-areas', tag: TAG, roles: everyone, summary: 'List scenario areas',
    response: ScenarioAreaList,
    handler: async () => ({ data: await catalog.listScenarioAreas(db) }),
  }),
  defineRoute({
    method: 'get', path: '/v1/scenario-classes', tag: TAG, roles: everyone, summary: 'List scenario risk classes',
    query: z.strictObject({ area: z.enum(SCENARIO_AREA_CODES).optional() }),
    response: ScenarioClassList,
    handler: async ({ query }) => ({ data: await catalog.listScenarioClasses(db, query) }),
  }),
  defineRoute({
    method: 'get', path: '/v1/scenario-classes/:code', tag: TAG, roles: everyone, summary: 'One scenario class',
    params: CodeParams, response: ScenarioClass, errors: [404],
    handler: ({ params }) => catalog.getScenarioClass(db, params.code),
  }),
  defineRoute({
    method: 'post', path: '/v1/scenario-classes', tag: TAG, roles: ['actuary'], summary: 'Create a scenario class',
    body: ScenarioClass, status: 201, response: ScenarioClass, errors: [409],
    handler: ({ body, principal }) => catalog.createScenarioClass(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/robot-models', tag: TAG, roles: everyone, summary: 'List robot models',
    query: z.strictObject({ form_factor: z.enum(FORM_FACTORS).optional() }),
    response: RobotModelList,
    handler: async ({ query }) => ({ data: await catalog.listRobotModels(db, query) }),
  }),
  defineRoute({
    method: 'get', path: '/v1/robot-models/:code', tag: TAG, roles: everyone, summary: 'One robot model',
    params: CodeParams, response: RobotModel, errors: [404],
    handler: ({ params }) => catalog.getRobotModel(db, params.code),
  }),
  defineRoute({
    method: 'post', path: '/v1/robot-models', tag: TAG, roles: ['actuary'], summary: 'Create a robot model',
    body: RobotModel, status: 201, response: RobotModel, errors: [409],
    handler: ({ body, principal }) => catalog.createRobotModel(db, principal, body),
  }),
  defineRoute({
    method: 'get', path: '/v1/coverages', tag: TAG, roles: everyone, summary: 'List coverages',
    response: CoverageList,
    handler: async () => ({ data: await catalog.listCoverages(db) }),
  }),
];
