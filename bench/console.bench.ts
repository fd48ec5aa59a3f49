/**
 * The web console's first load in headless Chromium (Debian's package, playwright-core) on
 * localhost, against Swagger UI (/docs, the page `/` led to before) in the same run:
 *   * first contentful paint (Performance API `paint` entry) of the sign-in page and of /docs;
 *   * first meaningful paint of the regulator's dashboard: from navigation start until its first
 *     chart is drawn (a key already in the tab's session, as after a reload);
 * a fresh page (cold memory cache, warm HTTP cache cleared per run: new browser profile) each run,
 * 7 runs; and the JavaScript and CSS the console loads, gzipped (zlib level 9).
 *   npm run bench -- console
 */
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startTestApp } from '../tests/helpers/context.ts';
import { hasChromium, launch } from '../tests/e2e/browser.ts';

if (!hasChromium()) {
  console.log('console benchmark skipped: /usr/bin/chromium is missing (apt-get install -y chromium)');
  process.exit(0);
}
const built = spawnSync(process.execPath, ['scripts/build.mjs', '--web-only', '--if-stale'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

const assets = path.join('dist', 'web', 'assets');
let js = 0, jsGz = 0, css = 0, cssGz = 0;
for (const f of readdirSync(assets)) {
  const b = readFileSync(path.join(assets, f));
  const gz = gzipSync(b, { level: 9 }).length;
  if (f.endsWith('.js')) { js += b.length; jsGz += gz; }
  if (f.endsWith('.css')) { css += b.length; cssGz += gz; }
}
console.log(`bundle: JavaScript ${(js / 1024).toFixed(1)} KiB (${(jsGz / 1024).toFixed(1)} KiB gzipped), CSS ${(css / 1024).toFixed(1)} KiB (${(cssGz / 1024).toFixed(1)} KiB gzipped)`);

const RUNS = 7;
const ctx = await startTestApp({}, { demo: true });
const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
const samples: Record<string, number[]> = { 'console sign-in FCP': [], 'console dashboard first chart': [], 'Swagger UI /docs FCP': [] };
try {
  for (let i = 0; i < RUNS; i++) {
    const l = await launch();
    try {
      const page = await l.browser.newPage();
      await page.goto(`${ctx.baseUrl}/`, { waitUntil: 'load' });
      await page.locator('#api-key').waitFor();
      samples['console sign-in FCP'].push(await page.evaluate(fcp));

      const docs = await l.browser.newPage();
      await docs.goto(`${ctx.baseUrl}/docs`, { waitUntil: 'load' });
      await docs.locator('.swagger-ui .info').waitFor({ timeout: 60_000 });
      samples['Swagger UI /docs FCP'].push(await docs.evaluate(fcp));

      const dash = await l.browser.newPage();
      await dash.addInitScript((key) => sessionStorage.setItem('roborisk.apiKey', key), ctx.keys.regulator);
      await dash.goto(`${ctx.baseUrl}/#/dashboard`);
      await dash.locator('svg.chart').first().waitFor({ timeout: 60_000 });
      samples['console dashboard first chart'].push(await dash.evaluate(() => performance.now()));
    } finally {
      await l.close();
    }
  }
} finally {
  await ctx.close();
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, range ${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)} ms (${s.length} runs)`;
};
for (const [name, xs] of Object.entries(samples)) console.log(`${name}: ${fmt(xs)}`);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`ratio console sign-in FCP / Swagger UI FCP: ${(med(samples['console sign-in FCP']) / med(samples['Swagger UI /docs FCP'])).toFixed(2)}`);
console.log(`load average (1, 5, 15 min): ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
