/**
 * What each CLI command does: parse and check its arguments, open the database, call services/
 * (never the HTTP handlers), print the outcome. Loaded only when a command runs.
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { issueKey, listKeys, revokeKey } from '../../services/auth.ts';
import { importHistory, IMPORT_KINDS, type ImportFormat, type ImportResult } from '../../services/imports.ts';
import { createQuote } from '../../services/quotes.ts';
import { getImpact, impactCsv, startImpact } from '../../services/impact.ts';
import { quotePdf } from '../../services/quote-document.ts';
import { disclosureRulesOf } from '../../services/disclosure.ts';
import { incidentRates, lossRatios, severityStatistics } from '../../services/statistics.ts';
import { AppError, type FieldError } from '../../services/errors.ts';
// Request schemas of the HTTP API: the CLI validates its inputs exactly as the routes do.
import { QuoteRequest } from '../../domain/schemas/index.ts';
import { cellsToCsv } from '../../api/routes/statistics.ts';
import { LossRatioQuery, RatesQuery, SeverityQuery } from '../../api/schemas-statistics.ts';
import { ScorecardQuery } from '../../api/schemas-scorecard.ts';
import { scorecardCsvRows } from '../../api/routes/scorecards.ts';
import { scorecardFor, scorecardPdf } from '../../services/scorecard.ts';
import type { Principal, Role } from '../../domain/index.ts';
import { withDatabase, type CliContext } from './database.ts';
import { InputError, Interrupted, UsageError } from './errors.ts';
import { ByteProgress } from './progress.ts';
import { money, num, table, type Align } from './output.ts';

type ImportKind = (typeof IMPORT_KINDS)[number];

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const note = (s: string) => process.stderr.write(`${s}\n`);
const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d ?? '').slice(0, 10));

/** zod issues as field errors: the dotted path of the field (`fleet.0.units`). */
function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => {
    const at = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') return { field: at ? `${at}.${i.keys.join(',')}` : i.keys.join(','), message: `unknown field(s): ${i.keys.join(', ')}` };
    return { field: at || '(request)', message: i.message };
  });
}

/** A file argument that must exist (a usage error naming the argument otherwise). */
function existingFile(arg: string, file: string): string {
  if (!existsSync(file)) throw new UsageError(`${arg} '${file}': no such file`);
  if (!statSync(file).isFile()) throw new UsageError(`${arg} '${file}' is not a file`);
  return file;
}

// ---------------------------------------------------------------------------------------- keys

export async function keysCreate(opts: { role: Role; organization?: string; label?: string; expiresAt?: string }) {
  if (opts.role === 'enterprise' && !opts.organization) throw new UsageError("option '--organization <ref>' is required with --role enterprise (an enterprise key belongs to one organization)");
  await withDatabase(async (ctx) => {
    const k = await issueKey(ctx.db, await ctx.as('admin'), { role: opts.role, organization_ref: opts.organization ?? null, label: opts.label ?? null, expires_at: opts.expiresAt ?? null });
    const about = [k.role, k.organization_ref && `organization ${k.organization_ref}`, k.label && `label "${k.label}"`, k.expires_at && `expires ${k.expires_at.toISOString()}`].filter(Boolean).join(', ');
    note(`API key ${k.id} issued (${about}). It is shown only now and stored as a hash; use it as "Authorization: Bearer <key>":`);
    out(k.key);
  });
}

export async function keysList() {
  await withDatabase(async (ctx) => {
    const keys = await listKeys(ctx.db);
    if (keys.length === 0) {
      out('no API keys');
      return;
    }
    const rows = keys.map((k) => [String(k.id), `${k.key_prefix}…`, k.role, k.organization_ref ?? '', k.label ?? '', day(k.created_at), keyStatus(k)]);
    out(table(['id', 'prefix', 'role', 'organization', 'label', 'created', 'status'], rows, ['r']));
  });
}

/** `active`, `active until <day>`, `expired <day>` or `revoked <day>`. */
function keyStatus(k: { revoked_at: Date | null; expires_at: Date | null }): string {
  if (k.revoked_at) return `revoked ${day(k.revoked_at)}`;
  if (!k.expires_at) return 'active';
  return k.expires_at.getTime() > Date.now() ? `active until ${day(k.expires_at)}` : `expired ${day(k.expires_at)}`;
}

export async function keysRevoke(id: number) {
  await withDatabase(async (ctx) => {
    const k = await revokeKey(ctx.db, await ctx.as('admin'), id);
    out(`API key ${k.id} (${k.role}${k.label ? `, "${k.label}"` : ''}) revoked`);
  });
}

// -------------------------------------------------------------------------------------- import

const FORMAT_OF_EXTENSION: Record<string, ImportFormat> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

export async function importFiles(kind: ImportKind | 'all', target: string, opts: { format?: ImportFormat }) {
  let plan: { kind: ImportKind; file: string; format: ImportFormat }[];
  if (kind === 'all') {
    if (opts.format) throw new UsageError("option '--format' applies to one file: import all reads deployments.csv, exposures.csv and incidents.csv");
    if (!existsSync(target) || !statSync(target).isDirectory()) throw new UsageError(`<path> '${target}' is not a directory (import all reads deployments.csv, exposures.csv and incidents.csv from it)`);
    plan = IMPORT_KINDS.map((k) => ({ kind: k, file: path.join(target, `${k}.csv`), format: 'csv' as const }));
    const missing = plan.filter((p) => !existsSync(p.file)).map((p) => p.file);
    if (missing.length) throw new UsageError(`<path> '${target}' lacks ${missing.map((m) => path.basename(m)).join(', ')}`);
  } else {
    const file = existingFile('<path>', target);
    const format = opts.format ?? FORMAT_OF_EXTENSION[path.extname(file).toLowerCase()];
    if (!format) throw new UsageError(`cannot tell the format of '${file}' from its extension: give --format csv, json or ndjson`);
    plan = [{ kind, file, format }];
  }

  await withDatabase(async (ctx) => {
    const actuary = await ctx.as('actuary');
    for (const [i, step] of plan.entries()) {
      let r: ImportResult;
      try {
        r = await importOne(ctx, actuary, step.kind, step.file, step.format);
      } catch (e) {
        if (plan.length > 1 && (e instanceof AppError || e instanceof Interrupted)) {
          const done = plan.slice(0, i).map((p) => path.basename(p.file));
          const left = plan.slice(i + 1).map((p) => path.basename(p.file));
          note(`import all stopped at ${path.basename(step.file)}${done.length ? `; imported above: ${done.join(', ')}` : ''}${left.length ? `; not attempted: ${left.join(', ')}` : ''}`);
        }
        // name the file in the message: "<file>: 3 problem(s) in the exposures file; nothing was written"
        if (e instanceof AppError) throw new AppError(e.code, `${step.file}: ${e.message}`, { errors: e.errors, extra: e.extra });
        throw e;
      }
      out(`${r.kind.padEnd(11)}  ${step.file}: ${r.rows} row${r.rows === 1 ? '' : 's'}: inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}`);
    }
  });
}

async function importOne(ctx: CliContext, principal: Principal, kind: ImportKind, file: string, format: ImportFormat) {
  const progress = new ByteProgress(path.basename(file), statSync(file).size);
  const meter = progress.meter();
  const source = createReadStream(file);
  source.on('error', (e) => meter.destroy(e));
  source.pipe(meter);
  const cancel = ctx.onInterrupt(() => meter.destroy(new Interrupted(`${file}: import stopped, nothing of it was written`)));
  try {
    // the same service function, with the same all-or-nothing validation, as POST /v1/imports
    return await importHistory(ctx.db, principal, kind, format, meter, ctx.config.IMPORT_MAX_ERRORS);
  } finally {
    cancel();
    progress.stop();
    source.destroy();
  }
}

// --------------------------------------------------------------------------------------- quote

export async function quote(file: string, opts: { organization?: string; pdf?: string; as: 'underwriter' | 'enterprise' }) {
  existingFile('<request.json>', file);
  if (opts.pdf && !existsSync(path.dirname(path.resolve(opts.pdf)))) throw new UsageError(`option '--pdf': the folder of '${opts.pdf}' does not exist`);
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InputError(`${file}: expected a JSON object (the body of POST /v1/quotes)`);
  const inFile = (body as { organization_ref?: unknown }).organization_ref;
  if (opts.organization !== undefined) {
    if (inFile !== undefined && inFile !== opts.organization) {
      throw new UsageError(`option '--organization ${opts.organization}' contradicts organization_ref '${String(inFile)}' in ${file}`);
    }
    body = { ...body, organization_ref: opts.organization };
  }
  const parsed = QuoteRequest.safeParse(body);
  if (!parsed.success) throw new InputError(`${file}: the quote request is invalid`, zodFieldErrors(parsed.error));
  const request = parsed.data;
  if (!request.organization_ref) {
    throw new UsageError(`option '--organization <ref>' is required (or organization_ref in ${file}): ${opts.as === 'enterprise' ? 'an enterprise quotes for its own organization' : 'an underwriter quotes on behalf of an organization'}`);
  }

  await withDatabase(async (ctx) => {
    const principal = await ctx.as(opts.as, opts.as === 'enterprise' ? request.organization_ref : undefined);
    const { quote: q } = await createQuote(ctx.db, principal, request, undefined);
    printQuote(q as unknown as QuoteView);
    if (opts.pdf) {
      const pdf = await quotePdf(ctx.db, principal, q.ref, disclosureRulesOf(ctx.config));
      writeFileSync(opts.pdf, pdf);
      out(`PDF        ${opts.pdf} (${pdf.length.toLocaleString('en-US')} bytes)`);
    }
  });
}

interface QuoteView {
  ref: string;
  organization_ref: string;
  status: string;
  decision: string;
  reasons: string[];
  valid_until: Date | string;
  premium: { currency: string; coverages: Record<string, { gross_premium: number }>; total: { gross_premium: number } };
  pay_per_use: { rate_per_operating_hour: number | null };
  subjectivities: string[];
  request: { basis: string };
}

function printQuote(q: QuoteView) {
  const lines = [
    `quote      ${q.ref}`,
    `insured    ${q.organization_ref}`,
    `decision   ${q.decision}${q.status !== q.decision ? ` (status ${q.status})` : ''}, valid until ${day(q.valid_until)}`,
  ];
  for (const r of q.reasons ?? []) lines.push(`  reason   ${r}`);
  out(lines.join('\n'));
  if (q.decision === 'declined') {
    out('premium    none: a declined quote carries no premium to accept');
  } else {
    const rows = Object.entries(q.premium.coverages).map(([c, p]) => [c, money(p.gross_premium)]);
    rows.push(['total', money(q.premium.total.gross_premium)]);
    out(table(['coverage', `gross premium (${q.premium.currency})`], rows, ['l', 'r']));
    if (q.request.basis === 'pay_per_use' && q.pay_per_use.rate_per_operating_hour !== null) {
      out(`pay per use: ${money(q.pay_per_use.rate_per_operating_hour)} ${q.premium.currency} per operating hour`);
    }
  }
  for (const s of q.subjectivities ?? []) out(`subject to ${s}`);
}

// --------------------------------------------------------------------------------------- stats

export type StatsKind = 'incident-rates' | 'severity' | 'loss-ratios';
export interface StatsOptions { groupBy?: string; from?: string; to?: string; periodUnit?: string; coverage?: string; csv?: boolean }

const OPTION_OF: Record<string, string> = { group_by: '--group-by', from: '--from', to: '--to', period_unit: '--period-unit', coverage: '--coverage' };
const TITLES: Record<StatsKind, string> = {
  'incident-rates': 'Incident rates per 1,000 operating hours (exact Poisson 95% intervals)',
  severity: 'Claim severity',
  'loss-ratios': 'Loss ratios: incurred losses over earned premium of bound quotes',
};

/** The count fields of each statistic, published only over published cells (the others are protected by the suppression itself). */
const COUNT_FIELDS: Record<StatsKind, string> = { 'incident-rates': 'organizations, deployments', severity: 'share_open', 'loss-ratios': 'organizations' };

/** The route's own zod schema checks the options (the query of GET /v1/statistics/…). */
function statsQuery<S extends z.ZodType>(schema: S, opts: StatsOptions): z.infer<S> {
  const raw = Object.fromEntries(Object.entries({ group_by: opts.groupBy, from: opts.from, to: opts.to, period_unit: opts.periodUnit, coverage: opts.coverage }).filter(([, v]) => v !== undefined));
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new UsageError(r.error.issues.map((i) => `option '${OPTION_OF[String(i.path[0])] ?? String(i.path[0])}': ${i.message}`).join('; '));
  }
  return r.data;
}

export async function stats(kind: StatsKind, opts: StatsOptions) {
  const query =
    kind === 'incident-rates' ? statsQuery(RatesQuery, opts) : kind === 'severity' ? statsQuery(SeverityQuery, opts) : statsQuery(LossRatioQuery, opts);
  await withDatabase(async (ctx) => {
    const rules = disclosureRulesOf(ctx.config);
    const t: { group_by: string[]; period_unit: string; from: string | null; to: string | null; cells: Record<string, unknown>[]; disclosure: { counts_withheld: number } } =
      kind === 'incident-rates'
        ? await incidentRates(ctx.db, query as z.infer<typeof RatesQuery>, rules)
        : kind === 'severity'
          ? await severityStatistics(ctx.db, (query as z.infer<typeof SeverityQuery>).coverage, query as z.infer<typeof SeverityQuery>, rules)
          : await lossRatios(ctx.db, query as z.infer<typeof LossRatioQuery>, rules);
    if (opts.csv) {
      process.stdout.write(cellsToCsv(t.cells));
      return;
    }
    const coverage = kind === 'severity' ? `, coverage ${(query as z.infer<typeof SeverityQuery>).coverage}` : '';
    const range = t.from || t.to ? `, ${t.from ?? '…'} to ${t.to ?? '…'}` : '';
    out(`${TITLES[kind]}${coverage}, by ${t.group_by.join(' × ')}${t.group_by.includes('period') ? ` (${t.period_unit})` : ''}${range}`);
    out(`disclosure control: a cell needs at least ${rules.minContributors} organizations and none above ${Math.round(rules.dominance * 100)}% of it; suppressed cells show no value`);
    if (t.cells.length === 0) {
      out('no data');
      return;
    }
    out(statsTable(t.group_by, t.cells));
    const suppressed = t.cells.filter((c) => c.suppressed).length;
    out(`${t.cells.length} cells, ${suppressed} suppressed`);
    // a withheld count prints as "—", never 0: say why (docs/disclosure-control.md §2)
    if (t.disclosure.counts_withheld > 0) {
      out(`${t.disclosure.counts_withheld} published cell(s) with counts withheld (— in ${COUNT_FIELDS[kind]}): part of each lies inside a suppressed cell, and counts are published only where no part does`);
    }
  });
}

/** The cells as an aligned table: the dimensions, the values, then the disclosure status. */
export function statsTable(dims: string[], cells: Record<string, unknown>[]): string {
  const cols = [...new Set(cells.flatMap((c) => Object.keys(c)))].filter((k) => k !== 'suppressed' && !dims.includes(k));
  const head = [...dims, ...cols, 'disclosure'];
  const align: Align[] = [...dims.map(() => 'l' as const), ...cols.map(() => 'r' as const), 'l'];
  const rows = cells.map((c) => {
    const hidden = Boolean(c.suppressed);
    const values = cols.map((k) => {
      const v = c[k];
      if (hidden) return '';
      if (v === null || v === undefined) return '—';
      return typeof v === 'number' ? num(v) : String(v);
    });
    return [...dims.map((d) => String(c[d] ?? '')), ...values, hidden ? `suppressed (${String(c.suppressed)})` : 'published'];
  });
  return table(head, rows, align);
}

// ----------------------------------------------------------------------------------- scorecard

export interface ScorecardOptions {
  level?: string; bySoftwareVersion?: boolean; area?: string; class?: string; robotModel?: string; softwareVersion?: string;
  verdict?: string; as?: string; csv?: boolean; pdf?: string;
}

const SCORECARD_OPTION_OF: Record<string, string> = {
  level: '--level', scenario_area: '--area', scenario_class: '--class', robot_model: '--robot-model', software_version: '--software-version', verdict: '--verdict',
};

/** The validation scorecard as GET /v1/scorecards answers it (`--as regulator`: the disclosure-controlled view). */
export async function scorecard(opts: ScorecardOptions) {
  const raw = Object.fromEntries(Object.entries({
    level: opts.level, by_software_version: opts.bySoftwareVersion ? 'true' : undefined, scenario_area: opts.area, scenario_class: opts.class,
    robot_model: opts.robotModel, software_version: opts.softwareVersion, verdict: opts.verdict,
  }).filter(([, v]) => v !== undefined));
  const parsed = ScorecardQuery.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `option '${SCORECARD_OPTION_OF[String(i.path[0])] ?? String(i.path[0])}': ${i.message}`).join('; '));
  const role: Role = opts.as === 'regulator' ? 'regulator' : 'actuary';
  await withDatabase(async (ctx) => {
    const rules = disclosureRulesOf(ctx.config);
    const principal = await ctx.as(role);
    if (opts.pdf) {
      writeFileSync(opts.pdf, await scorecardPdf(ctx.db, principal, parsed.data, rules));
      note(`scorecard report written to ${opts.pdf}`);
      return;
    }
    const s = await scorecardFor(ctx.db, principal, parsed.data, rules);
    if (s.view === 'enterprise') return;
    if (opts.csv) {
      process.stdout.write(cellsToCsv(scorecardCsvRows(s.cells)));
      return;
    }
    out(`Validation scorecard by robot model × ${s.level === 'scenario_class' ? 'scenario class' : 'scenario area'}${s.by_software_version ? ' × software version' : ''} (${s.view} view; rule set ${s.ruleset.name} ${s.ruleset.version ?? ''})`);
    if (s.cells.length === 0) { out('no data'); return; }
    const r3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));
    out(table(
      ['class/area', 'robot model', 'sw', 'orgs', 'hours', 'incidents', 'rate/1000h', '95% CI', 'credibility rate', 'P(best)', 'verdict', 'needs'],
      s.cells.map((c) => [
        c.scenario_class ?? c.scenario_area, c.robot_model, c.software_version ?? '', c.organizations === null ? 'withheld' : num(c.organizations), num(Math.round(c.operating_hours)), num(c.incidents),
        r3(c.incident_rate_per_1000h), `${r3(c.ci_low)}–${r3(c.ci_high)}`, r3(c.credibility_rate_per_1000h), c.p_best === null ? '—' : `${(100 * c.p_best).toFixed(1)}%`,
        c.verdict, c.verdict === 'not_yet_insurable' && c.hours_still_needed !== null ? `${num(Math.round(c.hours_still_needed))} h more` : c.conditions.join(' '),
      ]),
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ));
    const counts = ['insurable', 'insurable_with_conditions', 'not_yet_insurable', 'not_insurable'].map((v) => `${v} ${s.cells.filter((c) => c.verdict === v).length}`);
    out(`${s.cells.length} cells: ${counts.join(', ')}${s.view === 'regulator' ? `; ${s.suppressed.length} withheld by disclosure control` : ''}`);
    const secondary = s.cells.filter((c) => 'secondary_withheld' in c && c.secondary_withheld).length;
    if (secondary) out(`${secondary} published cells with their secondary measures (organizations, deployments, severe and injury incidents, stops, near misses, downtime) withheld: their class or area has a withheld cell`);
  });
}

// ----------------------------------------------------------------------------------- impact

/** Whole-book re-rating under a candidate plan (services/impact.ts), with progress on stderr. */
export async function impact(planId: string, opts: { from: string; to: string; csv?: string; json?: boolean }) {
  const id = Number(planId);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`argument '<plan-id>': a rating plan id (positive integer), got '${planId}'`);
  for (const [name, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`option '${name}': a date YYYY-MM-DD, got '${v}'`);
  }
  if (opts.csv && !existsSync(path.dirname(path.resolve(opts.csv)))) throw new UsageError(`option '--csv': the folder of '${opts.csv}' does not exist`);
  await withDatabase(async (ctx) => {
    const principal = await ctx.as('actuary');
    const tty = process.stderr.isTTY === true;
    const started = Date.now();
    let lastDraw = 0;
    const draw = (done: number, total: number) => {
      const now = Date.now();
      if (tty && now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const share = total > 0 ? done / total : 1;
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      const line = `re-rating [${bar}] ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} quotes, ${((now - started) / 1000).toFixed(1)} s`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    };
    const { job, finished } = await startImpact(ctx.db, principal, id, { from: opts.from, to: opts.to }, draw);
    await finished;
    if (tty) process.stderr.write('\n');
    const done = await getImpact(ctx.db, job.id);
    if (done.status !== 'done' || !done.result) throw new InputError(`impact job ${job.id} ${done.status}: ${done.error ?? ''}`);
    if (opts.csv) writeFileSync(opts.csv, impactCsv(done.result));
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
      return;
    }
    const r = done.result;
    const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
    process.stdout.write(`impact job ${done.id}: rating plan ${id}, quotes created ${opts.from} … ${opts.to}: ${r.rerated} re-rated, ${r.failed} failed, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`total gross premium ${money(r.total.old_premium)} → ${money(r.total.new_premium)} (${pct(r.total.relative_change)})\n`);
    process.stdout.write(`change per quote: ${Object.entries(r.change.percentiles).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n`);
    process.stdout.write(`decisions changed: ${r.decisions.changed} (${Object.entries(r.decisions.transitions).map(([k, n]) => `${k} ${n}`).join(', ')})\n\n`);
    const rows = (m: Record<string, { quotes: number; old_premium: number; new_premium: number; relative_change: number | null }>) =>
      Object.entries(m).map(([k, s]) => [k, String(s.quotes), money(s.old_premium), money(s.new_premium), pct(s.relative_change)]);
    process.stdout.write(table(['coverage', 'quotes', 'old', 'new', 'change'], rows(r.by_coverage), ['l', 'r', 'r', 'r', 'r']));
    process.stdout.write('\n');
    process.stdout.write(table(['scenario class', 'quotes', 'old', 'new', 'change'], rows(r.by_scenario_class), ['l', 'r', 'r', 'r', 'r']));
    if (opts.csv) process.stdout.write(`\nCSV written to ${opts.csv}\n`);
  });
}
