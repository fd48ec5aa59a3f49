/**
 * Quote PDF rendering (reports/quote-pdf.ts): median time and memory to render a 3-line quote
 * (target < 25 ms warm) and a 500-line fleet quote, on real quotes priced by the demo database
 * (PGlite in a temp dir: bootstrap with the demo history, models, rule set and rating plan).
 * Pricing and database work are done before timing; only `renderQuotePdf` is timed.
 *   npm run bench -- quote-pdf          RUNS=400 npm run bench -- quote-pdf
 */
import { nextPolicyYear } from '../domain/calendar.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb } from '../db/connection.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { createQuote, getQuote, getWorksheet } from '../services/quotes.ts';
import { getOrganization } from '../services/organizations.ts';
import { disclosureRulesOf } from '../services/disclosure.ts';
import { loadConfig } from '../config/index.ts';
import { listRobotModels, listScenarioClasses } from '../services/catalog.ts';
import type { Principal } from '../domain/index.ts';
import type { QuoteRequest } from '../domain/schemas/index.ts';
import { renderQuotePdf, type QuotePdfInput, type QuoteView, type QuoteWorksheet } from '../reports/quote-pdf.ts';

const RUNS = Number(process.env.RUNS ?? 200);
const RUNS_BIG = Number(process.env.RUNS_BIG ?? 30);
const ORG_REF = 'ENT-001';
const DATE = new Date('2026-11-23T00:00:00Z');
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number) => (b / 1048576).toFixed(1);

const coverages: QuoteRequest['coverages'] = [
  { coverage: 'robot_damage', deductible: 5000, per_occurrence_limit: 1_000_000 },
  { coverage: 'third_party_liability', deductible: 2000, per_occurrence_limit: 5_000_000, aggregate_limit: 10_000_000 },
  { coverage: 'business_interruption', deductible: 0, per_occurrence_limit: 200_000 },
];
const small: QuoteRequest = {
  basis: 'annual', period: nextPolicyYear(), coverages,
  fleet: [
    { robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: { force_speed_limiting: true } },
    { robot_model: 'PES-B700', scenario_class: 'warehousing_logistics.picking', units: 5, autonomy_level: 'autonomous', operating_hours_per_unit: 6500, safety: {} },
    { robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.transport', units: 8, autonomy_level: 'teleoperated', operating_hours_per_unit: 3000, safety: { operator_training_hours: 8 } },
  ],
};
const MODELS = ['LMD-B100', 'LMD-B300', 'LMD-W200', 'PES-M150'];
const CLASSES = ['manufacturing.assembly', 'warehousing_logistics.picking', 'manufacturing.machine_tending', 'warehousing_logistics.transport'];
const big: QuoteRequest = {
  basis: 'annual', period: nextPolicyYear(), coverages,
  fleet: Array.from({ length: 500 }, (_, i) => ({
    robot_model: MODELS[i % 4], scenario_class: CLASSES[(i >> 2) % 4], units: 1 + (i % 7), autonomy_level: 'supervised' as const, operating_hours_per_unit: 1000 + i, safety: {},
  })),
};

function stats(ts: number[]) {
  const s = [...ts].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), min: s[0] };
}

async function timeRenders(label: string, input: QuotePdfInput, runs: number) {
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  const first = await renderQuotePdf(input);
  const cold = performance.now() - t;
  const ts: number[] = [];
  let heapPeak = 0;
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await renderQuotePdf(input);
    ts.push(performance.now() - t);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  gc?.();
  const retained = process.memoryUsage().heapUsed - heap0;
  const warm = stats(ts.slice(Math.floor(runs / 5))); // the first fifth warms the JIT
  const pages = (first.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  console.log(`${label}: ${pages} pages, ${first.length.toLocaleString('en')} bytes; first render ${cold.toFixed(1)} ms; warm (n=${runs - Math.floor(runs / 5)}) median ${warm.median.toFixed(1)} ms, p95 ${warm.p95.toFixed(1)} ms, min ${warm.min.toFixed(1)} ms; heap peak ${mib(heapPeak)} MiB, retained after GC ${mib(retained)} MiB`);
  return { warm, cold, bytes: first.length };
}

const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-bench-quote-pdf-'));
const db = createDb({ dataDir: dir });
try {
  let t = performance.now();
  await bootstrap(db, { demo: true });
  const org = await db('organizations').where({ ref: ORG_REF }).first();
  const p: Principal = { keyId: 0, role: 'enterprise', organizationId: org.id, organizationRef: ORG_REF, label: 'bench' };
  const organization = await getOrganization(db, p, ORG_REF);
  const robotModels = Object.fromEntries((await listRobotModels(db, {})).map((m: { code: string; name: string; manufacturer: string }) => [m.code, m]));
  const scenarioClasses = Object.fromEntries((await listScenarioClasses(db, {})).map((c: { code: string; name: string; area: string }) => [c.code, c]));
  console.log(`setup (demo bootstrap) ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const inputOf = async (req: QuoteRequest): Promise<QuotePdfInput> => {
    t = performance.now();
    const { quote } = await createQuote(db, p, req, undefined);
    const priced = performance.now() - t;
    const q = (await getQuote(db, p, quote.ref)) as unknown as QuoteView;
    const w = (await getWorksheet(db, p, quote.ref, disclosureRulesOf(loadConfig(process.env)))) as unknown as QuoteWorksheet;
    console.log(`priced ${req.fleet.length}-line quote ${q.ref} (${q.status}) in ${priced.toFixed(0)} ms`);
    return { quote: q, worksheet: w, organization, robotModels, scenarioClasses, creationDate: DATE };
  };
  const smallInput = await inputOf(small);
  const bigInput = await inputOf(big);
  console.log(`Node.js ${process.version}, ${process.arch}; organization ${organization.ref} "${organization.name}"`);
  gc?.();
  const rss0 = process.memoryUsage().rss;
  const s = await timeRenders('3-line quote', smallInput, RUNS);
  const b = await timeRenders('500-line quote', bigInput, RUNS_BIG);
  await timeRenders('3-line quote, Helvetica fallback (no CJK font)', { ...smallInput, fonts: false }, RUNS);
  gc?.();
  console.log(`RSS before rendering ${mib(rss0)} MiB, after ${mib(process.memoryUsage().rss)} MiB; peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB (whole process, incl. PGlite and the demo data)`);
  console.log(`target 3-line warm median < 25 ms: ${s.warm.median < 25 ? 'met' : 'NOT met'} (${s.warm.median.toFixed(1)} ms); 500-line median ${b.warm.median.toFixed(0)} ms`);
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
