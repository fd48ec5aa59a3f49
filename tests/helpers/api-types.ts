/** Types of what the API answers, for tests: the published document and response bodies. */
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The parts of /openapi.json the tests read. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: boolean | OpenApiSchema;
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  example?: unknown;
}
export interface OpenApiOperation {
  'x-roles': string[];
  responses: Record<string, { description: string; content?: Record<string, { schema: OpenApiSchema }> }>;
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
}
export interface OpenApiDocument {
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** Every operation of the document as [path, method, operation]. */
export const operationsOf = (doc: OpenApiDocument): [string, HttpMethod, OpenApiOperation][] =>
  Object.entries(doc.paths).flatMap(([path, item]) => (Object.entries(item) as [HttpMethod, OpenApiOperation][]).map(([m, op]): [string, HttpMethod, OpenApiOperation] => [path, m, op]));

/** A value as JSON carries it: dates are ISO strings. */
export type Jsonify<T> = T extends Date ? string
  : T extends readonly (infer U)[] ? Jsonify<U>[]
    : T extends object ? { [K in keyof T]: Jsonify<T[K]> }
      : T;

/** The JSON body a response schema describes. */
export type JsonOf<S extends z.ZodType> = Jsonify<z.input<S>>;

/** A field error of a problem+json body. */
export interface FieldProblem { line?: number; field: string; message: string }
