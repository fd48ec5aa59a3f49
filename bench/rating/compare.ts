/**
 * The rating engine against the previous one on the recorded comparison set
 * (bench/rating/requests.ts), in the same process: premiums (worst relative difference of the
 * total gross premium, of every line × coverage gross premium and of the total risk margin)
 * and CPU time per quote (process.cpuUsage: the machine is shared, wall-clock time is not) of `rate()` for each engine, cold (empty transform
 * cache) and warm.
 *   npx tsx bench/rating/compare.ts            COUNT=300 npx tsx bench/rating/compare.ts
 */
import { clearLatticeCache, latticeCacheStats } from '../../models/premium/index.ts';
import { rate, type RatingInputs } from '../../services/pricing.ts';
import { fixtureInputs, variedInputs } from './requests.ts';

const COUNT = Number(process.env.COUNT ?? 200);
const requests = [...fixtureInputs(), ...variedInputs(COUNT)];
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

type Premium = ReturnType<typeof rate>['result']['premium'];
function priceAll(engine: 'current' | 'previous') {
  const out: (Premium | null)[] = [];
  const t = process.cpuUsage();
  for (const r of requests) {
    try { out.push(rate(r as RatingInputs, { engine }).result.premium); } catch { out.push(null); }
  }
  const used = process.cpuUsage(t);
  return { premiums: out, msPerQuote: (used.user + used.system) / 1000 / requests.length };
}

// warm the code paths of both engines (JIT), then time each with an empty transform cache (cold) and again (warm)
for (const r of requests.slice(0, 6)) { rate(r, { engine: 'previous' }); rate(r); }
clearLatticeCache();
const previousCold = priceAll('previous');
const previous = priceAll('previous');
clearLatticeCache();
const cold = priceAll('current');
const warm = priceAll('current');

let worstTotal = 0;
let worstLine = 0;
let worstMargin = 0;
let failed = 0;
previous.premiums.forEach((p, i) => {
  const c = warm.premiums[i];
  if (!p || !c) { if (p !== c) failed++; return; }
  worstTotal = Math.max(worstTotal, rel(c.total.gross_premium, p.total.gross_premium));
  worstMargin = Math.max(worstMargin, rel(c.total.risk_margin, p.total.risk_margin));
  p.lines.forEach((l, k) => { worstLine = Math.max(worstLine, rel(c.lines[k].gross_premium, l.gross_premium)); });
});
console.log(JSON.stringify({
  requests: requests.length,
  worst_relative_difference: { total_gross_premium: worstTotal, line_gross_premium: worstLine, total_risk_margin: worstMargin },
  requests_priced_by_one_engine_only: failed,
  cpu_ms_per_quote: { previous_cold_cache: +previousCold.msPerQuote.toFixed(2), previous_warm_cache: +previous.msPerQuote.toFixed(2), current_cold_cache: +cold.msPerQuote.toFixed(2), current_warm_cache: +warm.msPerQuote.toFixed(2) },
  ratio_previous_to_current_warm: +(previous.msPerQuote / warm.msPerQuote).toFixed(2),
  cache: latticeCacheStats(),
}, null, 1));
