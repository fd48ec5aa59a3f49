/**
 * The console cannot drift from the API: its client types (web/src/api/schema.d.ts, committed,
 * type-checked by `npm run typecheck`) must be exactly what openapi-typescript generates from the
 * OpenAPI document of the app as it is now. After changing the API: `npm run openapi`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_TYPES, generatedTypes } from '../../scripts/openapi-contract.ts';

describe('console API client types', () => {
  it('match the OpenAPI document the app publishes (run `npm run openapi` after an API change)', async () => {
    const committed = readFileSync(CONTRACT_TYPES, 'utf8');
    const now = await generatedTypes();
    expect(committed === now, 'web/src/api/schema.d.ts is stale: run npm run openapi').toBe(true);
    expect(now).toContain('"/v1/me"');
  }, 60_000);
});
