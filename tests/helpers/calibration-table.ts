/**
 * Prints the seeds/README.md "Calibration" table: `npx tsx tests/helpers/calibration-table.ts`
 * (bootstraps a demo database in a temporary directory, ≈ 1 min).
 */
import { startTestApp } from './context.ts';
import { calibrationTable, priceCalibrationFleets } from './calibration.ts';

const ctx = await startTestApp({}, { demo: true });
try {
  const rows = await priceCalibrationFleets(ctx.baseUrl, ctx.keys.underwriter, 'ORG-C');
  console.log(calibrationTable(rows));
  for (const r of rows) console.log(r.name, JSON.stringify(r.expectedClaims));
} finally {
  await ctx.close();
}
