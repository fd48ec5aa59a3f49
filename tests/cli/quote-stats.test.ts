/**
 * `roborisk quote` and `roborisk stats` on a demo database. The first command sets it up as the
 * server's first start does (demo history, fitted models, rating plan, demo keys printed once).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseQuoteRequest } from '../helpers/quote-request.ts';
import { pdfText } from '../helpers/pdf.ts';
import { CLI_ACTOR, cliDatabase, runCli, tempDir, type CliDatabase, type CliRun } from '../helpers/cli.ts';

const tmp = tempDir('quote');
let store: CliDatabase;
let env: Record<string, string>;
const requestFile = path.join(tmp.dir, 'request.json');
let first: CliRun;

beforeAll(async () => {
  store = await cliDatabase(tmp.dir);
  env = { ...store.env, ROBORISK_DEMO: 'true' };
  writeFileSync(requestFile, JSON.stringify(baseQuoteRequest(), null, 2));
  first = await runCli(['keys', 'list'], env, 240_000);
}, 240_000);
afterAll(async () => {
  await store?.remove();
  tmp.remove();
});

describe('a new database', () => {
  it('the first command sets it up with the demo and prints the demo keys once', () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('demo history loaded');
    expect(first.stderr).toMatch(/demo API keys[^\n]*\n\s+admin\s+rr_admin_\S+/);
    expect(first.stdout).toMatch(/demo enterprise/);
  });
});

describe('roborisk quote', () => {
  it('prices a JSON request: ref, decision, gross premium per coverage and total; writes the PDF; audited as the CLI', async () => {
    const pdf = path.join(tmp.dir, 'quote.pdf');
    const r = await runCli(['quote', requestFile, '--organization', 'ENT-001', '--pdf', pdf], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ref = /^quote\s+(Q-\d{8}-[0-9A-F]{8})$/m.exec(r.stdout)?.[1];
    expect(ref).toBeDefined();
    expect(r.stdout).toMatch(/^insured\s+ENT-001$/m);
    expect(r.stdout).toMatch(/^decision\s+quoted, valid until \d{4}-\d{2}-\d{2}$/m);
    for (const c of ['robot_damage', 'third_party_liability', 'business_interruption', 'total']) {
      expect(r.stdout).toMatch(new RegExp(`^${c}\\s+[\\d,]+\\.\\d{2}$`, 'm'));
    }
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await store.withDb(async (db) => {
      const q = await db('quotes').where({ ref }).first();
      expect(q.created_by).toBe(CLI_ACTOR);
      const total = /^total\s+([\d,.]+)$/m.exec(r.stdout)![1];
      expect(Number(total.replace(/,/g, ''))).toBeCloseTo(q.gross_premium, 2);
      const audit = await db('audit_events').where({ action: 'quote.create', entity_ref: ref }).first();
      expect(audit.actor).toBe(CLI_ACTOR);
    });
  });

  it('--as enterprise quotes for its own organization', async () => {
    const r = await runCli(['quote', requestFile, '--organization', 'ENT-001', '--as', 'enterprise'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^insured\s+ENT-001$/m);
  });

  it('an invalid request: exit 1 with the field errors, as POST /v1/quotes names them', async () => {
    const bad = path.join(tmp.dir, 'bad.json');
    const req: { fleet: { units: unknown }[]; basis: unknown; colour?: string } = baseQuoteRequest();
    req.fleet[0].units = 0;
    req.basis = 'weekly';
    req.colour = 'red';
    writeFileSync(bad, JSON.stringify(req));
    const r = await runCli(['quote', bad, '--organization', 'ENT-001'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${bad}: the quote request is invalid`);
    expect(r.stderr).toMatch(/^\s+basis\s+/m);
    expect(r.stderr).toMatch(/^\s+fleet\.0\.units\s+/m);
    expect(r.stderr).toMatch(/^\s+colour\s+unknown field\(s\): colour$/m);
    expect(r.stdout).toBe('');
  });
});

describe('roborisk stats', () => {
  it('incident-rates: an aligned table of the published cells', async () => {
    const r = await runCli(['stats', 'incident-rates'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Incident rates per 1,000 operating hours .*, by scenario_area$/);
    const header = lines.findIndex((l) => l.startsWith('scenario_area'));
    expect(lines[header]).toMatch(/^scenario_area\s+organizations\s+deployments\s+operating_hours\s+incidents\s+rate_per_1000h\s+ci_low\s+ci_high\s+disclosure$/);
    expect(lines[header + 1]).toMatch(/^-+( +-+)+$/);
    const end = lines.findIndex((l) => /^\d+ cells, /.test(l));
    const rows = lines.slice(header + 2, end);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row).toMatch(/^[a-z_]+\s+(\d+|—)\s+(\d+|—)\s+[\d,.]+\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+published$/);
    }
    expect(new Set(rows.map((r) => r.indexOf('published'))).size).toBe(1); // aligned columns
    expect(lines[end]).toBe('6 cells, 0 suppressed');
    // counts over a withheld cell print as —, never 0, with a note: emergency rescue holds the single-operator class
    const withheld = rows.filter((r) => r.includes('—'));
    expect(withheld.find((r) => r.startsWith('emergency_rescue '))).toMatch(/^emergency_rescue\s+—\s+—\s/);
    expect(lines[end + 1]).toBe(`${withheld.length} published cell(s) with counts withheld (— in organizations, deployments): part of each lies inside a suppressed cell, and counts are published only where no part does`);
  });

  it('severity: suppressed cells show no value, only the reason', async () => {
    const r = await runCli(['stats', 'severity', '--coverage', 'robot_damage', '--from', '2025-01-01', '--to', '2025-12-31'],
      { ...env, DISCLOSURE_MIN_CONTRIBUTORS: '1000' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Claim severity, coverage robot_damage, by scenario_area, 2025-01-01 to 2025-12-31$/);
    expect(lines[1]).toContain('at least 1000 organizations');
    const rows = lines.slice(lines.findIndex((l) => l.startsWith('scenario_area')) + 2, -1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[a-z_]+\s+suppressed \(min_contributors\)$/);
    expect(lines.at(-1)).toBe(`${rows.length} cells, ${rows.length} suppressed`);
  });
});

describe('roborisk scorecard', () => {
  it('prints the scorecard of a class with rates, intervals, credibility rates, P(best) and verdicts; CSV; the PDF', async () => {
    const r = await runCli(['scorecard', '--class', 'manufacturing.assembly', '--by-software-version'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Validation scorecard by robot model × scenario class × software version \(full view; rule set roborisk-scorecard-default/);
    expect(lines[1]).toMatch(/^class\/area\s+robot model\s+sw\s+orgs\s+hours\s+incidents\s+rate\/1000h\s+95% CI\s+credibility rate\s+P\(best\)\s+verdict/);
    const rows = lines.slice(3, -1);
    expect(rows.some((l) => /^manufacturing\.assembly\s+LMD-W200\s+2\.0\s/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ cells: insurable \d+, insurable_with_conditions \d+, not_yet_insurable \d+, not_insurable \d+$/);
    const csv = await runCli(['scorecard', '--class', 'manufacturing.assembly', '--csv'], env);
    expect(csv.stdout.split('\r\n')[0]).toContain('robot_model,scenario_class,scenario_area,software_version');
    const pdf = path.join(tmp.dir, 'scorecard.pdf');
    const p = await runCli(['scorecard', '--as', 'regulator', '--pdf', pdf], env);
    expect(p.code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // the regulator's view: every demo class has a withheld robot model or version, so the published cells' secondary
    // measures (operators, severity mix) are withheld (docs/disclosure-control.md §2) and printed as such, not as 0 or blank
    const text = pdfText(readFileSync(pdf));
    expect(text).toMatch(/show their secondary measures[\s\S]*as withheld/);
    const reg = await runCli(['scorecard', '--as', 'regulator'], env);
    expect(reg.code).toBe(0);
    const regRows = reg.stdout.trimEnd().split('\n').slice(3, -2);
    expect(regRows.length).toBeGreaterThan(0);
    for (const l of regRows) expect(l).toMatch(/^\S+\s+\S+\s+withheld\s/); // class, model, orgs (no version column values)
    expect(reg.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ published cells with their secondary measures .* withheld/);
    const regCsv = await runCli(['scorecard', '--as', 'regulator', '--csv'], env);
    const [head, first] = regCsv.stdout.split('\r\n');
    expect(first.split(',')[head.split(',').indexOf('severe_share')]).toBe('withheld');
    const bad = await runCli(['scorecard', '--level', 'province'], env);
    expect(bad.code).toBe(2);
  });
});

describe('roborisk impact', () => {
  it('re-rates the quotes of today under the plan in force: unchanged premiums, progress on stderr, CSV written', async () => {
    const planId = await store.withDb(async (db) => (await db('rating_plans').where({ status: 'active' }).first()).id as number);
    const today = new Date().toISOString().slice(0, 10);
    const csv = path.join(tmp.dir, 'impact.csv');
    const r = await runCli(['impact', String(planId), '--from', today, '--to', today, '--csv', csv], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/re-rating \[#+\] \d+ of \d+ quotes/);
    const n = Number(/: (\d+) re-rated, 0 failed/.exec(r.stdout)?.[1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(r.stdout).toMatch(/decisions changed: 0/);
    expect(r.stdout).toMatch(/\(0\.00 %\)/);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe('section,key,quotes,old_premium,new_premium,change,relative_change');
    const bad = await runCli(['impact', 'x', '--from', today, '--to', today], env);
    expect(bad.code).toBe(2);
  });
});
