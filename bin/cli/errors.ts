/**
 * The CLI's expected failures and their exit codes: 0 done, 1 failed (invalid input, rejected
 * rows, unknown references: the field errors are printed), 2 invalid arguments or configuration
 * (the message names the argument, then the command's usage), 130 interrupted. Only an
 * unexpected fault prints a stack trace.
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../../config/index.ts';
import { AppError, type FieldError } from '../../services/errors.ts';
import { table } from './output.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** An invalid argument or option: exit 2, the message naming it, then the command's usage. */
export class UsageError extends Error {}

/** An input that does not validate (a request file, …): exit 1 with the field errors. */
export class InputError extends Error {
  constructor(message: string, readonly errors: FieldError[] = []) {
    super(message);
  }
}

/** Ctrl-C during a command: whatever was in flight was rolled back. */
export class Interrupted extends Error {}

/** Field errors as an aligned list (with the line column when the errors have lines). */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  if (errors.length === 0) return '';
  const withLines = errors.some((e) => e.line !== undefined);
  const rows = errors.map((e) => (withLines ? [e.line === undefined ? '' : String(e.line), e.field, e.message] : [e.field, e.message]));
  const head = withLines ? ['line', 'field', 'message'] : ['field', 'message'];
  return table(head, rows, withLines ? ['r', 'l', 'l'] : ['l', 'l'], '  ');
}

/** Prints an error (commander has printed its own) and returns the exit code. */
export function report(e: unknown, err: NodeJS.WritableStream = process.stderr): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (e instanceof ConfigError) {
    err.write(`error: ${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof Interrupted) {
    err.write(`interrupted: ${e.message}\n`);
    return EXIT.interrupted;
  }
  if (e instanceof InputError || e instanceof AppError) {
    err.write(`error: ${e.message}\n`);
    const errors = e.errors ?? [];
    if (errors.length) err.write(formatFieldErrors(errors));
    const total = e instanceof AppError ? (e.extra?.error_count as number | undefined) : undefined;
    if (total !== undefined && total > errors.length) {
      err.write(`  … ${total - errors.length} more not listed (${total} in all; IMPORT_MAX_ERRORS lists at most ${errors.length})\n`);
    }
    return EXIT.failed;
  }
  err.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.failed;
}
