/**
 * Database faults as problems (docs/architecture.md §10): a database that is down, frozen,
 * overloaded or too slow for a statement is a temporary condition of the service, answered 503
 * with `Retry-After` — not a 500, which would say the request hit a bug. A statement timeout is
 * 503 too (not 504: this service is no gateway), with its own code, since retrying the same
 * request will only help once the database is less loaded.
 */
import { classifyDbFault } from '../db/faults.ts';
import { AppError } from './errors.ts';

/** Seconds a client should wait before retrying after a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** The problem for `err` when it is a database fault; undefined otherwise. */
export function databaseFault(err: unknown): AppError | undefined {
  switch (classifyDbFault(err)) {
    case 'unavailable':
      return new AppError('DATABASE_UNAVAILABLE', 'the database is not reachable or not answering; retry later');
    case 'timeout':
      return new AppError('DATABASE_TIMEOUT', 'the database did not finish this request within its time limit; retry later');
    default:
      return undefined;
  }
}
