/**
 * The web console in a real browser (Debian's chromium via playwright-core) against a real
 * server with the demo data: each role signs in and completes its main task; axe-core checks
 * every page (no serious or critical violation); every page is photographed at 1280 px and
 * 390 px into a temp dir (printed; CI keeps it as an artefact, nothing is committed).
 *
 * Runs on the embedded database only (the browser tests the console, not the database): skipped
 * when TEST_DATABASE_URL is set, with SKIP_BROWSER_TESTS=1 (.ci/run's Node.js 24 suite), and when
 * /usr/bin/chromium is missing (.ci/run installs it).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, TEST_DATABASE_URL, bearer, type TestContext } from '../helpers/context.ts';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { hasChromium, launch, type Launched, type Page } from './browser.ts';

// eslint-disable-next-line no-restricted-properties -- the test harness reads its own switch
const SKIP = process.env.SKIP_BROWSER_TESTS === '1';
const run = !TEST_DATABASE_URL && !SKIP && hasChromium();
if (!TEST_DATABASE_URL && !SKIP && !hasChromium()) console.warn('console e2e skipped: /usr/bin/chromium is missing (apt-get install -y chromium)');

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = mkdtempSync(path.join(tmpdir(), 'roborisk-console-shots-'));

let ctx: TestContext;
let browser: Launched;

describe.skipIf(!run)('web console in headless Chromium', () => {
  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--web-only', '--if-stale'], { stdio: 'inherit' });
    expect(built.status).toBe(0);
    [ctx, browser] = await Promise.all([startTestApp({}, { demo: true }), launch()]);
    console.log(`console screenshots: ${SHOTS}`);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const pageErrors = new WeakMap<Page, string[]>();
  /** A tab that records script errors (the browser's own note of a 4xx answer is not one: the page shows those). */
  async function newPage(): Promise<Page> {
    const page = await browser.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of 4')) errors.push(m.text()); });
    pageErrors.set(page, errors);
    return page;
  }

  /** A fresh tab signed in with `key` (typed into the form, as a user would). */
  async function signIn(key: string): Promise<Page> {
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${ctx.baseUrl}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
    return page;
  }

  /** Waits for every loading state to end; then at 1280 px and 390 px: axe (serious/critical fail) and a screenshot. */
  async function check(page: Page, name: string) {
    await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 60_000 });
    await page.evaluate(AXE);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } })
          .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad, `${name} at ${width} px: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
      // nothing wider than the window at 390 px: the page itself never scrolls sideways
      if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors.get(page)).toEqual([]);
  }

  it('sign-in: refuses an unknown key next to the field, keeps a good one out of the URL and out of persistent storage', async () => {
    const page = await newPage();
    await page.goto(`${ctx.baseUrl}/`);
    await check(page, 'sign-in');
    await page.getByLabel('API key').fill('rr_enterprise_not-a-real-key-at-all-000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#api-key-error').textContent()).toContain('not accepted');
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('API key').fill(ctx.keys.enterprise);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.top').waitFor();
    expect(page.url()).not.toContain(ctx.keys.enterprise);
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('roborisk.apiKey'), local: JSON.stringify(localStorage), cookies: document.cookie }));
    expect(stored).toEqual({ session: ctx.keys.enterprise, local: '{}', cookies: '' });
    // a reload keeps the session; signing out forgets the key
    await page.reload();
    await page.locator('header.top').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('roborisk.apiKey'))).toBeNull();
    await page.close();
  }, 120_000);

  it('enterprise: sees its organization in Chinese, gets field errors from the API, requests a quote and downloads its PDF', async () => {
    const page = await signIn(ctx.keys.enterprise);
    // the organization's Chinese name, in a face that has the glyphs
    await expect.poll(() => page.locator('header .org').textContent()).toBe('深圳测试机器人有限公司');
    expect(await page.evaluate(async () => { await document.fonts.ready; return document.fonts.check('16px "Roborisk Hans"', '深圳测试'); })).toBe(true);
    await page.getByRole('navigation').getByRole('link', { name: 'Your access' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBeGreaterThan(5);
    await check(page, 'enterprise-access');

    await page.getByRole('navigation').getByRole('link', { name: 'New quote' }).click();
    await page.getByLabel('Robots').waitFor();
    await check(page, 'enterprise-quote-builder');
    // invalid: no robots and a limit of 0 → the API's messages appear under those two fields
    await page.getByLabel('Robots').fill('0');
    await page.locator('#c-robot_damage-lim').fill('0');
    await page.getByRole('button', { name: 'Get the quote' }).click();
    await expect.poll(() => page.locator('#l0-units-error').textContent()).toMatch(/>=\s*1|at least|too small/i);
    expect(await page.locator('#c-robot_damage-lim-error').textContent()).toMatch(/>=\s*1|at least|too small/i);
    expect(await page.getByLabel('Robots').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'enterprise-quote-builder-errors');

    await page.getByLabel('Robots').fill('10');
    await page.locator('#c-robot_damage-lim').fill('300000');
    await page.getByRole('button', { name: 'Get the quote' }).click();
    await page.waitForURL(/#\/quotes\/Q-/);
    const ref = /#\/quotes\/(Q-[\w-]+)/.exec(page.url())?.[1] as string;
    // the decision and the premium as the API computed them, the premium in yuan
    const api = (await request(ctx.baseUrl).get(`/v1/quotes/${ref}`).set(bearer(ctx.keys.enterprise))).body;
    expect(['quoted', 'referred']).toContain(api.status);
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Quote ${ref} ${api.status}`);
    for (const reason of api.reasons) expect(await page.locator('main').textContent()).toContain(reason);
    const gross = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY' }).format(api.premium.total.gross_premium);
    await expect.poll(() => page.locator('.total strong').textContent()).toBe(gross);
    expect(gross).toMatch(/^CN¥[\d,]+\.\d\d$/);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(api.premium.lines.length);
    await check(page, 'enterprise-quote');

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(dl.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await dl.path();
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('navigation').getByRole('link', { name: 'Our quotes' }).click();
    await expect.poll(() => page.locator(`a[href="#/quotes/${ref}"]`).count()).toBe(1);
    await check(page, 'enterprise-quotes');
    await page.close();
  }, 240_000);

  it('underwriter: works the referral queue, reads the fired rule with its facts, decides with a note and binds', async () => {
    const body = baseQuoteRequest();
    body.fleet[0].units = 250; // above the delegated authority: referred
    const referred = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(body);
    expect(referred.body.status).toBe('referred');
    const ref = referred.body.ref as string;

    const page = await signIn(ctx.keys.underwriter);
    await expect.poll(() => page.locator(`a[href="#/quotes/${ref}"]`).count()).toBe(1);
    await check(page, 'underwriter-referrals');
    await page.locator(`a[href="#/quotes/${ref}"]`).click();
    await expect.poll(() => page.locator('code', { hasText: 'refer_large_fleet' }).count()).toBe(1);
    const units = body.fleet.reduce((n, l) => n + l.units, 0);
    expect(await page.locator('main').textContent()).toContain(`total_units = ${units} greaterThan 200 ✓`);
    await check(page, 'underwriter-referral');

    // no note: the API's message stands under the note
    await page.getByRole('button', { name: 'Quote it' }).click();
    await expect.poll(() => page.locator('#decision-note-error').count()).toBe(1);
    await page.getByLabel(/^Note/).fill('Fleet-wide firmware controls seen on site; within appetite.');
    await page.getByRole('button', { name: 'Quote it' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/quoted$/);
    await page.getByRole('button', { name: 'Bind this quote' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/bound$/);
    await check(page, 'underwriter-bound');
    const stored = (await request(ctx.baseUrl).get(`/v1/quotes/${ref}`).set(bearer(ctx.keys.underwriter))).body;
    expect(stored.status).toBe('bound');
    expect(stored.decision_note).toContain('firmware');
    await page.close();
  }, 240_000);

  it('actuary: fits a frequency model, reads its relativities with intervals, and activates it', async () => {
    const page = await signIn(ctx.keys.actuary);
    await page.getByRole('heading', { name: 'All versions' }).waitFor();
    await check(page, 'actuary-models');
    await page.getByLabel('Coverage').selectOption('business_interruption');
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForURL(/#\/models\/\d+/, { timeout: 120_000 });
    const id = Number(/#\/models\/(\d+)/.exec(page.url())?.[1]);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 60_000 }).toMatch(/candidate$/);
    // one bar (and whisker) per non-base level, labelled by factor and level
    const m = (await request(ctx.baseUrl).get(`/v1/models/${id}`).set(bearer(ctx.keys.actuary))).body;
    const label = await page.locator('svg.chart').first().getAttribute('aria-label') as string;
    const terms = m.terms.filter((x: { factor: string | null }) => x.factor);
    expect(label.split(';').length).toBe(terms.length);
    expect(label.match(/95% CI/g)?.length).toBe(terms.length);
    await check(page, 'actuary-model');
    await page.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/active$/);
    expect((await request(ctx.baseUrl).get(`/v1/models/${id}`).set(bearer(ctx.keys.actuary))).body.status).toBe('active');
    await page.getByRole('navigation').getByRole('link', { name: 'Rules & rating plans' }).click();
    await page.getByRole('heading', { name: 'Rule sets' }).waitFor();
    await check(page, 'actuary-rules');
    await page.close();
  }, 300_000);

  it('regulator: reads the dashboard with protected cells marked, and exports CSV', async () => {
    const page = await signIn(ctx.keys.regulator);
    await page.getByRole('heading', { name: 'Risk dashboard' }).waitFor();
    await check(page, 'regulator-dashboard');
    // the chart shows every published area, and protected cells are marked, never blank or zero
    const rates = (await request(ctx.baseUrl).get('/v1/statistics/incident-rates').set(bearer(ctx.keys.regulator))).body;
    const label = await page.locator('svg.chart').first().getAttribute('aria-label');
    expect(label?.split(';').length).toBe(rates.cells.length);
    const severity = (await request(ctx.baseUrl).get('/v1/statistics/severity?coverage=robot_damage').set(bearer(ctx.keys.regulator))).body;
    const withheld = severity.cells.filter((c: { suppressed: string | null }) => c.suppressed).length;
    const severityCard = page.locator('.card', { has: page.getByRole('heading', { name: 'Claim severity by scenario area' }) });
    expect(await severityCard.locator('tr.protected-cell').count()).toBe(withheld);

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).first().click()]);
    const csv = readFileSync(await dl.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^scenario_area,organizations,/);
    expect(csv.trim().split('\r\n').length).toBe(rates.cells.length + 1);
    // the regulator has no quote pages
    await page.evaluate(() => { location.hash = '#/quotes'; });
    await expect.poll(() => page.locator('h1').textContent()).toBe('Page not found');
    await page.close();
  }, 240_000);
});
