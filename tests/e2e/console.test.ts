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

  /** Elder care without a safety officer: the rules refer it and impose a subjectivity required before binding. */
  const careRequest = () => ({
    ...baseQuoteRequest(),
    fleet: [{ robot_model: 'LMD-B300', scenario_class: 'healthcare_wellness.elder_care', units: 3, autonomy_level: 'supervised' as const, operating_hours_per_unit: 3000, safety: {} }],
  });
  let careRef = '';

  it('enterprise: accepts its quoted quote (bound at once on the demo plan), opens the policy with its schedule and downloads the binder; adds evidence to a subjectivity', async () => {
    const quoted = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(baseQuoteRequest());
    expect(quoted.body.status).toBe('quoted');
    const ref = quoted.body.ref as string;
    const page = await signIn(ctx.keys.enterprise);
    await page.evaluate((r) => { location.hash = `#/quotes/${r}`; }, ref);
    await page.getByRole('button', { name: 'Accept the quote' }).waitFor();
    await check(page, 'enterprise-quote-accept');
    await page.getByRole('button', { name: 'Accept the quote' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Quote ${ref} bound`);
    const api = (await request(ctx.baseUrl).get(`/v1/quotes/${ref}`).set(bearer(ctx.keys.enterprise))).body;
    expect(api.status).toBe('bound');
    const no = api.policy_number as string;
    expect(await page.locator('.notice').textContent()).toContain(no);

    await page.locator('.notice').getByRole('link', { name: no }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Policy ${no} live`);
    const policy = (await request(ctx.baseUrl).get(`/v1/policies/${no}`).set(bearer(ctx.keys.enterprise))).body;
    const gross = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY' }).format(policy.gross_premium);
    expect(await page.locator('.total strong').textContent()).toBe(gross);
    const schedule = page.locator('.card', { has: page.getByRole('heading', { name: 'Schedule' }) });
    expect(await schedule.locator('tbody tr').count()).toBe(policy.schedule.fleet.length + policy.schedule.coverages.length);
    expect(await page.locator('main').textContent()).toContain('Bind');
    await check(page, 'enterprise-policy');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download binder PDF' }).click()]);
    expect(readFileSync(await dl.path()).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('navigation').getByRole('link', { name: 'Our policies' }).click();
    await expect.poll(() => page.locator(`a[href="#/policies/${no}"]`).count()).toBe(1);
    await check(page, 'enterprise-policies');

    // a referred quote with the rules' safety-officer subjectivity: the insured offers its evidence
    const care = await request(ctx.baseUrl).post('/v1/quotes').set(bearer(ctx.keys.enterprise)).send(careRequest());
    expect(care.body.status).toBe('referred');
    careRef = care.body.ref;
    await page.evaluate((r) => { location.hash = `#/quotes/${r}`; }, careRef);
    await page.getByLabel('Evidence for #1').waitFor();
    expect(await page.getByRole('button', { name: 'Accept the quote' }).count()).toBe(0); // referred: nothing to accept yet
    await page.getByLabel('Evidence for #1').fill('Roster of safety officers (王芳, 李强) sent by e-mail');
    await page.getByRole('button', { name: 'Add evidence note' }).click();
    await expect.poll(() => page.locator('li.subjectivity').first().textContent()).toContain('Evidence: Roster of safety officers (王芳, 李强)');
    await check(page, 'enterprise-subjectivity-evidence');
    const stored = (await request(ctx.baseUrl).get(`/v1/quotes/${careRef}/subjectivities`).set(bearer(ctx.keys.enterprise))).body;
    expect(stored[0]).toMatchObject({ status: 'open', evidence_note: 'Roster of safety officers (王芳, 李强) sent by e-mail' });
    await page.close();
  }, 240_000);

  it('underwriter: the bind gate’s 409 names the open subjectivity; satisfies it with a note, binds the referral, and gets the endorsement’s field error next to the field', async () => {
    expect(careRef).not.toBe('');
    const page = await signIn(ctx.keys.underwriter);
    await page.evaluate((r) => { location.hash = `#/quotes/${r}`; }, careRef);
    await page.getByLabel(/^Note \(your reasons/).fill('Care home with trained staff; within appetite.');
    await page.getByRole('button', { name: 'Quote it' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/quoted$/);
    await page.getByRole('button', { name: 'Bind this quote' }).click();
    await expect.poll(() => page.locator('.error-box').count()).toBe(1);
    const refusal = await page.locator('.error-box').textContent();
    expect(refusal).toContain('Not bound');
    expect(refusal).toContain('open subjectivity #1: A designated safety officer');
    expect(refusal).toContain('safety officer');
    await check(page, 'underwriter-bind-refused');

    await page.getByLabel('Note on #1 (why it is met or waived)').fill('Roster checked against the care home’s staffing plan');
    await page.getByRole('button', { name: 'Mark #1 satisfied' }).click();
    await expect.poll(() => page.locator('li.subjectivity .status').first().textContent()).toBe('satisfied');
    await page.getByRole('button', { name: 'Bind this quote' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/bound$/);
    const q = (await request(ctx.baseUrl).get(`/v1/quotes/${careRef}`).set(bearer(ctx.keys.underwriter))).body;
    expect(q.status).toBe('bound');
    expect(q.subjectivity_details[0]).toMatchObject({ status: 'satisfied', note: 'Roster checked against the care home’s staffing plan' });

    await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).click();
    await expect.poll(() => page.locator(`a[href="#/policies/${q.policy_number}"]`).count()).toBe(1);
    await check(page, 'underwriter-policies');
    await page.locator(`a[href="#/policies/${q.policy_number}"]`).click();
    await page.getByRole('heading', { name: 'Endorsement' }).waitFor();
    // no reason: the API's message stands next to the reason, nothing is written
    await page.locator('#end-date').fill(q.request.period.start);
    await page.getByRole('button', { name: 'Endorse' }).click();
    await expect.poll(() => page.locator('#end-reason-error').count()).toBe(1);
    expect(await page.locator('#end-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await request(ctx.baseUrl).get(`/v1/policies/${q.policy_number}`).set(bearer(ctx.keys.underwriter))).body.changes).toHaveLength(1);
    await page.locator('#end-reason').fill('Two more robots on the ward');
    await page.locator('#end-count').fill('2');
    await page.getByRole('button', { name: 'Endorse' }).click();
    await expect.poll(() => page.locator('.notice').count()).toBe(1);
    await expect.poll(() => page.locator('main').textContent()).toContain('line 1: 3 → 5 units');
    await check(page, 'underwriter-policy');
    await page.close();
  }, 240_000);

  it('enterprise: reads the monthly statements of a pay-per-use policy (expected vs declared hours), declares usage and downloads a month as CSV', async () => {
    const uw = (m: 'get' | 'post' | 'put', p: string) => request(ctx.baseUrl)[m](p).set(bearer(ctx.keys.underwriter));
    const now = new Date();
    const first = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const start = day(first(-3)), end = day(new Date(first(9).getTime() - 86_400_000));
    const deps = await request(ctx.baseUrl).post('/v1/imports/deployments').set(bearer(ctx.keys.actuary)).set('content-type', 'text/csv')
      .send(`deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date\nE2E-PPU-1,${ctx.orgA},Guangdong,manufacturing.assembly,LMD-B300,10,supervised,${start},\n`);
    expect(deps.status, JSON.stringify(deps.body)).toBe(200);
    const q = await uw('post', '/v1/quotes').send({
      ...baseQuoteRequest(), organization_ref: ctx.orgA, basis: 'pay_per_use', period: { start, end },
      backdating: { reason: 'On risk since the start of the period; usage reported monthly' },
      fleet: [{ robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: { safety_officer_on_site: true } }],
    });
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    if (q.body.status === 'referred') expect((await uw('post', `/v1/quotes/${q.body.ref}/decision`).send({ decision: 'quoted', note: 'backdated pay-per-use' })).status).toBe(200);
    const bound = await uw('post', `/v1/quotes/${q.body.ref}/bind`).send({});
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    const no = bound.body.policy_number as string;
    expect((await uw('put', `/v1/policies/${no}/lines/1/deployments`).send({ deployment_refs: ['E2E-PPU-1'] })).status).toBe(200);

    const page = await signIn(ctx.keys.enterprise);
    await page.evaluate((n) => { location.hash = `#/policies/${n}`; }, no);
    await page.getByRole('link', { name: 'Monthly statements and usage' }).click();
    const list = (await request(ctx.baseUrl).get(`/v1/policies/${no}/statements`).set(bearer(ctx.keys.enterprise))).body.data as { month: string; status: string }[];
    expect(list.length).toBeGreaterThanOrEqual(4);
    const table = page.locator('table').first();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(list.length);
    expect(await table.locator('tbody tr').first().textContent()).toContain('final');
    expect(await table.locator('tbody tr').last().textContent()).toContain('provisional');
    await check(page, 'enterprise-statements');

    // declare 1,234.5 h for the second month: the table shows it as declared, and it is billed
    const month = list[1].month;
    await page.getByLabel('Month').selectOption(month);
    await page.getByLabel('Operating hours').fill('1234.5');
    await page.getByRole('button', { name: 'Declare usage' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain(`Declared 1,234.5 h for E2E-PPU-1 in ${month}`);
    const row = table.locator('tbody tr', { hasText: month });
    await expect.poll(() => row.locator('td[data-label="Declared hours"]').textContent()).toBe('1,234.5');
    const statement = (await request(ctx.baseUrl).get(`/v1/policies/${no}/statements/${month}`).set(bearer(ctx.keys.enterprise))).body;
    expect(statement.billed_hours).toBe(1234.5);
    const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY' }).format(statement.total);
    expect(await row.locator('td[data-label="Amount"]').textContent()).toContain(amount);
    // too many hours for the month: the API's message next to the hours field
    await page.getByLabel('Operating hours').fill('99999999');
    await page.getByRole('button', { name: 'Declare usage' }).click();
    await expect.poll(() => page.locator('#use-hours-error').count()).toBe(1);
    await check(page, 'enterprise-statements-declared');

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `CSV of ${month}` }).click()]);
    expect(dl.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await dl.path(), 'utf8');
    expect(csv).toContain('E2E-PPU-1');
    expect(csv).toMatch(/1234\.50?\b/);
    await page.close();
  }, 240_000);

  it('actuary: uploads an import and sees its bad line with the message; a good file reports its counts; runs a re-rating impact report', async () => {
    const page = await signIn(ctx.keys.actuary);
    await page.getByRole('navigation').getByRole('link', { name: 'Imports' }).click();
    await page.getByLabel('What the file holds').waitFor();
    await check(page, 'actuary-imports');
    await page.getByLabel('What the file holds').selectOption('exposures');
    await page.locator('#imp-file').setInputFiles({ name: 'bad-exposures.csv', mimeType: 'text/csv', buffer: Buffer.from('deployment_ref,period_start,period_end,operating_hours\nE2E-PPU-1,2026-02-01,2026-01-31,100\n') });
    await page.getByRole('button', { name: 'Import' }).click();
    // every problem of the line is listed with its line number and field
    const bad = page.locator('table.bad-lines tbody tr');
    await expect.poll(() => bad.count()).toBeGreaterThan(0);
    const rows = await bad.allTextContents();
    expect(rows.every((r) => r.startsWith('2'))).toBe(true);
    expect(rows).toContain('2period_endperiod_end is before period_start');
    expect(await page.locator('.error-box').textContent()).toContain('nothing was written');
    await check(page, 'actuary-import-rejected');
    await page.getByLabel('What the file holds').selectOption('deployments');
    await page.locator('#imp-file').setInputFiles({ name: 'deployments.csv', mimeType: 'text/csv', buffer: Buffer.from(`deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date\nE2E-IMP-1,${ctx.orgA},Guangdong,manufacturing.assembly,LMD-B300,4,supervised,2026-01-01,\n`) });
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/^1 rows of deployments in [\d.]+ s: 1 new, 0 changed \(audited\), 0 unchanged\.$/);
    expect((await request(ctx.baseUrl).get('/v1/deployments/E2E-IMP-1').set(bearer(ctx.keys.actuary))).status).toBe(200);
    // a larger file on a throttled upload (256 KB/s): the page shows the bytes sent, then the server's verdict
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    const big = 'deployment_ref,period_start,period_end,operating_hours\n' + 'E2E-NO-SUCH-DEPLOYMENT,2026-01-01,2026-01-31,100\n'.repeat(24_000);
    await page.getByLabel('What the file holds').selectOption('exposures');
    await page.locator('#imp-file').setInputFiles({ name: 'big-exposures.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
    await page.getByRole('button', { name: 'Import' }).click();
    const sending = page.getByRole('progressbar', { name: 'Sending big-exposures.csv' });
    await expect.poll(async () => Number((await sending.getAttribute('value').catch(() => null)) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('[role=status]').textContent()).toMatch(/Sending: [\d.]+ (KB|MB) of 1\.[0-9] MB \(\d+ %\)/);
    await expect.poll(() => page.locator('.error-box').textContent(), { timeout: 60_000 }).toContain('big-exposures.csv was not imported');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await page.getByRole('navigation').getByRole('link', { name: 'Re-rating impact' }).click();
    await page.getByRole('button', { name: 'Run the impact report' }).click();
    await page.waitForURL(/#\/impact\/\d+/);
    const id = Number(/#\/impact\/(\d+)/.exec(page.url())?.[1]);
    await expect.poll(() => page.locator('.card h2 .status').textContent(), { timeout: 120_000 }).toBe('done');
    const job = (await request(ctx.baseUrl).get(`/v1/impact-jobs/${id}`).set(bearer(ctx.keys.actuary))).body;
    expect(job.result.quotes).toBeGreaterThan(0);
    expect(await page.locator('main').textContent()).toContain(`${job.result.quotes} quotes in the period: ${job.result.rerated} re-rated`);
    const byClass = page.locator('table', { has: page.locator('caption', { hasText: 'Premium by scenario class' }) });
    expect(await byClass.locator('tbody tr').count()).toBe(Object.keys(job.result.by_scenario_class).length);
    await check(page, 'actuary-impact');
    await page.close();
  }, 300_000);

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
    // the scorecard's secondary measures withheld by disclosure control read "withheld", never blank or 0 (demo: every cell)
    const scorecard = (await request(ctx.baseUrl).get('/v1/scorecards').set(bearer(ctx.keys.regulator))).body;
    const secondary = scorecard.cells.filter((c: { secondary_withheld: boolean }) => c.secondary_withheld).length;
    expect(secondary).toBeGreaterThan(0);
    const scorecardCard = page.locator('.card', { has: page.getByRole('heading', { name: 'Validation scorecard' }) });
    await scorecardCard.locator('tbody tr').first().waitFor();
    expect(await scorecardCard.locator('td[data-label="Severity ≥ 3"]', { hasText: 'withheld' }).count()).toBe(secondary);
    // a published cell whose open claims are withheld (a protected cell lies within it) shows the badge, not 0 %
    const countsWithheld = severity.cells.filter((c: { suppressed: string | null; share_open: number | null }) => !c.suppressed && c.share_open === null).length;
    expect(severity.disclosure.counts_withheld).toBe(countsWithheld);
    expect(await severityCard.locator('td[data-label="Share open"] .protected').count()).toBe(countsWithheld);

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
