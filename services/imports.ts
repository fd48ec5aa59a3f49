/**
 * Import of validation histories (docs/architecture.md §5): CSV, JSON arrays or NDJSON, streamed
 * record by record, validated row by row, staged in batches and written all-or-nothing.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { CsvError, parse as parseCsv } from 'csv-parse';
import type { Db } from '../db/connection.ts';
import { runImport, STAGE_COLUMNS, type ImportCounts, type ImportKind, type RowProblem } from '../db/repositories/imports.ts';
import { AppError, appError } from './errors.ts';
import { CONTRACT_COLUMNS, OPTIONAL_COLUMNS, ROW_SCHEMAS, rowProblems } from './import-rows.ts';
import { actorOf, type Principal } from '../domain/index.ts';

export type ImportFormat = 'csv' | 'json' | 'ndjson';
export const IMPORT_KINDS: ImportKind[] = ['deployments', 'exposures', 'incidents'];

interface SourceRecord { line: number; values: Record<string, unknown> }

const BATCH = 5000;

/** CSV records with their physical line numbers (the header is line 1). */
async function* csvRecords(input: Readable, kind: ImportKind, problems: ProblemSink): AsyncGenerator<SourceRecord> {
  const parser = input.pipe(
    parseCsv({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  input.on('error', (e) => parser.destroy(e));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim().toLowerCase());
        checkHeader(kind, header, info.lines, problems);
        if (problems.count > 0) return;
        continue;
      }
      if (record.length !== header.length) {
        problems.add({ line: info.lines, field: '*', message: `expected ${header.length} fields, found ${record.length}` });
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) values[header[i]] = record[i];
      yield { line: info.lines, values };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // every parser error is the client's file (not only codes starting CSV_: INVALID_OPENING_QUOTE has none)
    if (e instanceof CsvError) {
      const lines = (e as CsvError & { lines?: number }).lines;
      throw appError('MALFORMED_CSV', `CSV could not be parsed near line ${lines ?? '?'}: ${e.message}`);
    }
    throw e;
  }
  if (!header) problems.add({ line: 1, field: '*', message: 'the file is empty: a header row is required' });
}

function checkHeader(kind: ImportKind, header: string[], line: number, problems: ProblemSink) {
  const known = new Set(CONTRACT_COLUMNS[kind]);
  const optional = new Set(OPTIONAL_COLUMNS[kind]);
  const seen = new Set<string>();
  for (const h of header) {
    if (!known.has(h)) problems.add({ line, field: h, message: `unknown column '${h}'` });
    else if (seen.has(h)) problems.add({ line, field: h, message: `column '${h}' appears twice` });
    seen.add(h);
  }
  for (const c of CONTRACT_COLUMNS[kind]) {
    if (!seen.has(c) && !optional.has(c)) problems.add({ line, field: c, message: `missing column '${c}'` });
  }
}

/** NDJSON: one JSON object per line; `line` is the physical line. */
async function* ndjsonRecords(input: Readable, problems: ProblemSink): AsyncGenerator<SourceRecord> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      problems.add({ line, field: '*', message: 'not valid JSON' });
      continue;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      problems.add({ line, field: '*', message: 'expected a JSON object' });
      continue;
    }
    yield { line, values: v as Record<string, unknown> };
  }
}

/** JSON array (parsed whole, within the import body limit); `line` is the 1-based element number. */
async function* jsonRecords(input: Readable, problems: ProblemSink): AsyncGenerator<SourceRecord> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(c as Buffer);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw appError('MALFORMED_JSON', `body is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw appError('VALIDATION_FAILED', 'expected a JSON array of records', { errors: [{ field: '(body)', message: 'expected an array' }] });
  for (let i = 0; i < doc.length; i++) {
    const v = doc[i];
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      problems.add({ line: i + 1, field: '*', message: 'expected a JSON object' });
      continue;
    }
    yield { line: i + 1, values: v as Record<string, unknown> };
  }
}

class ProblemSink {
  readonly list: RowProblem[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(p: RowProblem) {
    this.count++;
    if (this.list.length < this.max) this.list.push(p);
  }
}

/** A parsed field as staged: lists (a deployment's serial numbers, which hold no spaces) as one space-separated text. */
const stageValue = (v: unknown) => (Array.isArray(v) ? v.join(' ') : v ?? null);

export interface ImportResult extends ImportCounts { kind: ImportKind; rows: number }

/**
 * Imports one file. Throws AppError IMPORT_REJECTED (422) listing every bad row
 * (`line`, `field`, `message`; at most `maxErrors`, with the total) and writes nothing then.
 */
export async function importHistory(
  db: Db,
  principal: Principal | 'system',
  kind: ImportKind,
  format: ImportFormat,
  input: Readable,
  maxErrors: number,
): Promise<ImportResult> {
  const problems = new ProblemSink(maxErrors);
  const schema = ROW_SCHEMAS[kind];
  const columns = STAGE_COLUMNS[kind].map((c) => c.name);
  let rows = 0;

  const outcome = await runImport(db, kind, actorOf(principal), maxErrors, async (session) => {
    const records =
      format === 'csv' ? csvRecords(input, kind, problems) : format === 'ndjson' ? ndjsonRecords(input, problems) : jsonRecords(input, problems);
    let line: number[] = [];
    let values: unknown[][] = columns.map(() => []);
    // One batch in flight while the next is parsed: the database and the parser overlap.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (line.length === 0) return;
      await inFlight;
      inFlight = session.stage({ line, values });
      inFlight.catch(() => undefined); // awaited at the next flush or at the end
      line = [];
      values = columns.map(() => []);
    };
    for await (const rec of records) {
      rows++;
      const parsed = schema.safeParse(rec.values);
      let row: Record<string, unknown>;
      if (parsed.success) row = parsed.data as Record<string, unknown>;
      else {
        // a bad row: every problem of it, field by field; its good fields are staged too
        const checked = rowProblems(kind, rec.values);
        for (const p of checked.problems) problems.add({ line: rec.line, ...p });
        row = checked.row;
      }
      // Every row is staged even when the file already has bad rows (a bad row with its good
      // fields only), so that reference and duplicate checks report every problem in one answer.
      line.push(rec.line);
      for (let i = 0; i < columns.length; i++) values[i].push(stageValue(row[columns[i]]));
      if (line.length >= BATCH) await flush();
    }
    await flush();
    await inFlight;
    return { problems: problems.list, problemCount: problems.count };
  });

  if (!outcome.ok) {
    throw appError('IMPORT_REJECTED', `${outcome.problemCount} problem(s) in the ${kind} file; nothing was written`, {
      errors: outcome.problems,
      extra: { error_count: outcome.problemCount, truncated: outcome.problemCount > outcome.problems.length },
    });
  }
  return { kind, rows, ...outcome.counts };
}
