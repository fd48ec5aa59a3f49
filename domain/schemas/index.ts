/**
 * Request schemas shared by the HTTP layer (validation, OpenAPI) and the services (types): each
 * schema and its inferred type share a name. Imports zod and nothing of the project but domain/.
 */
export * from './common.ts';
export * from './catalog.ts';
export * from './parties.ts';
export * from './models.ts';
export * from './rating.ts';
export * from './quote.ts';
export * from './policy.ts';
