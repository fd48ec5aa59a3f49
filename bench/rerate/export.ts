/**
 * Exports the worksheets of three example quotes for re-rating by hand in R (bench/r/rerate.R,
 * bench/README.md "Re-rating by hand in R").
 *
 * Bootstraps a fresh demo database in a temp dir (PGlite; the first-start bootstrap: demo history,
 * fitted and activated models, default rule set, demo rating plan), creates one quote per request
 * file under bench/rerate/requests/ through the quote service — as the demo enterprise (ENT-001)
 * when the request names no organization, else as an underwriter on its behalf — and writes
 * tests/fixtures/rerating/<name>.worksheet.json: the request file, the quote (its result) and its
 * full worksheet (GET /v1/quotes/{ref}/worksheet as an underwriter sees it). Deterministic up to the quote refs and dates:
 * the demo history is seeded and the fits are exact.
 *
 *   npx tsx bench/rerate/export.ts
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../../db/connection.ts';
import { bootstrap } from '../../services/bootstrap.ts';
import { authenticate, issueKey } from '../../services/auth.ts';
import { createQuote, getQuote, getWorksheet } from '../../services/quotes.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import { loadConfig } from '../../config/index.ts';
import { QuoteRequest } from '../../domain/schemas/index.ts';
import { nextPolicyYear, termYears } from '../../domain/calendar.ts';
import { DEMO_ORGANIZATIONS } from '../../seeds/catalog.ts';
import type { Principal } from '../../domain/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const requestDir = path.join(root, 'bench', 'rerate', 'requests');
const outDir = path.join(root, 'tests', 'fixtures', 'rerating');

/** What each example shows (written into its worksheet file). */
const DESCRIPTIONS: Record<string, string> = {
  'readme-example': 'The README example: 10 × LMD-B300 in manufacturing.assembly, supervised, 4,000 h each, safety officer; robot damage d 5,000 u 300,000; third-party liability d 2,000 u 2,000,000, aggregate 5,000,000.',
  'multi-line-fleet': 'Three lines over two scenario areas (manufacturing.assembly, maintenance.cleaning), all three coverages, quoted for ENT-012 by an underwriter; rule loadings fire (autonomous heavy fast robot in a public area on TPL, continuous operation on robot damage, force/speed limiting discount on TPL).',
  'aggregate-limit-binds': 'The README fleet with a robot-damage aggregate limit of CNY 50,000, which binds (P(S > L) ≈ 0.2 on the calibrated demo).',
};

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-rerate-'));
  const db = createDb({ dataDir: dir });
  try {
    const t0 = Date.now();
    await bootstrap(db, { demo: true });
    console.log(`demo database bootstrapped in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dir})`);
    const enterpriseRef = DEMO_ORGANIZATIONS.find((o) => o.kind === 'enterprise')!.ref;
    const principalOf = async (role: 'enterprise' | 'underwriter') => {
      const { key } = await issueKey(db, 'system', { role, organization_ref: role === 'enterprise' ? enterpriseRef : null, label: 'rerate export' });
      return (await authenticate(db, key)) as Principal;
    };
    const enterprise = await principalOf('enterprise');
    const underwriter = await principalOf('underwriter');
    mkdirSync(outDir, { recursive: true });
    const files = readdirSync(requestDir).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const name = file.replace(/\.json$/, '');
      const raw = JSON.parse(readFileSync(path.join(requestDir, file), 'utf8')) as unknown;
      // the stored period is only a shape: cover is quoted from the first of next month, same term
      const request = QuoteRequest.parse(raw);
      request.period = nextPolicyYear(new Date(), Math.round(termYears(request.period)));
      const principal = request.organization_ref ? underwriter : enterprise;
      const { quote } = await createQuote(db, principal, request, undefined);
      const fresh = await getQuote(db, principal, quote.ref);
      // the whole worksheet (its inputs are what R re-rates): an underwriter's view of the quote
      const worksheet = await getWorksheet(db, underwriter, quote.ref, disclosureRulesOf(loadConfig(process.env)));
      const out = {
        name,
        description: DESCRIPTIONS[name] ?? null,
        request_file: `bench/rerate/requests/${file}`,
        quoted_by: principal.role,
        quote: fresh,
        worksheet,
      };
      const target = path.join(outDir, `${name}.worksheet.json`);
      writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
      const q = fresh as unknown as { decision: string; premium: { total: { gross_premium: number } } };
      console.log(`${name}: quote ${quote.ref} ${q.decision}, gross premium CNY ${q.premium.total.gross_premium} → ${path.relative(root, target)}`);
    }
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
