/**
 * `npm run openapi`: writes the console's API client types (web/src/api/schema.d.ts, generated
 * by openapi-typescript) from the OpenAPI document of the app itself: no server, no database.
 * `--check` writes nothing and exits 1 when the committed file differs from what the API
 * generates now (tests/web/contract.test.ts makes the same comparison in the suite).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CONTRACT_TYPES, generatedTypes } from './openapi-contract.ts';

const types = await generatedTypes();
let old = '';
try { old = readFileSync(CONTRACT_TYPES, 'utf8'); } catch { /* not written yet */ }
if (old === types) {
  console.error(`${CONTRACT_TYPES} is up to date`);
} else if (process.argv.includes('--check')) {
  console.error(`${CONTRACT_TYPES} is out of date: run npm run openapi`);
  process.exit(1);
} else {
  writeFileSync(CONTRACT_TYPES, types);
  console.error(`wrote ${CONTRACT_TYPES}`);
}
