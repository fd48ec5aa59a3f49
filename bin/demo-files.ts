/** `npm run seed:demo-files [-- DIR]`: writes the demo validation history as the three contract CSVs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoHistoryCsv } from '../services/bootstrap.ts';

const dir = path.resolve(process.argv[2] ?? 'demo-data');
mkdirSync(dir, { recursive: true });
const files = demoHistoryCsv();
for (const [kind, csv] of Object.entries(files)) {
  const file = path.join(dir, `${kind}.csv`);
  writeFileSync(file, csv);
  console.log(`${file}  ${csv.split('\n').length - 2} rows`);
}
