/**
 * Time limits of the database (docs/architecture.md §10). A request must never wait on the
 * database without end: connecting, waiting for a pooled connection, each statement and a
 * transaction left idle all have a limit, and a database that does not answer at all (stopped
 * network, SIGSTOP) is given up by the client itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { Config } from '../config/index.ts';

export interface DbTimeouts {
  /** TCP connect + PostgreSQL start-up. */
  connectMs: number;
  /** One statement (server side `statement_timeout`). */
  statementMs: number;
  /** One statement of an import or a migration (`withLongStatements`). */
  longStatementMs: number;
  /** A transaction that waits on the client (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
  /** Waiting for a free pooled connection. */
  acquireMs: number;
}

export const timeoutsFrom = (c: Config): DbTimeouts => ({
  connectMs: c.DB_CONNECT_TIMEOUT_MS,
  statementMs: c.DB_STATEMENT_TIMEOUT_MS,
  longStatementMs: c.DB_LONG_STATEMENT_TIMEOUT_MS,
  idleInTransactionMs: c.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  acquireMs: c.DB_ACQUIRE_TIMEOUT_MS,
});

/** The configuration's defaults: the one place they are written down is config/index.ts. */
export const DEFAULT_TIMEOUTS: DbTimeouts = timeoutsFrom(Config.parse({}));

/**
 * How much longer than the server's statement timeout the client waits for an answer. A live
 * server cancels a slow statement itself (SQLSTATE 57014) before this, so the client's own timer
 * fires only when the server does not answer at all.
 */
export const CLIENT_GRACE_MS = 2_000;

const longScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` under the long limits of imports and migrations: every query issued from it (its
 * async context) gets `longStatementMs` on the client side. The server-side limits of a
 * transaction are lifted by `relaxTransaction` inside it.
 */
export const withLongStatements = <T>(work: () => Promise<T>): Promise<T> => longScope.run(true, work);

/** The client-side wait for one query issued now. */
export const clientQueryTimeout = (t: DbTimeouts) => (longScope.getStore() ? t.longStatementMs : t.statementMs) + CLIENT_GRACE_MS;

/** Lifts the server-side limits of the transaction `trx` (PostgreSQL) to the long ones, for the rest of it. */
export async function relaxTransaction(trx: Knex.Transaction, t: DbTimeouts): Promise<void> {
  await trx.raw(`set local statement_timeout = ${Math.trunc(t.longStatementMs)}`);
  await trx.raw(`set local idle_in_transaction_session_timeout = ${Math.trunc(t.longStatementMs)}`);
}

// knex's PostgreSQL dialect, to extend (knex-pglite extends it the same way).
const PgDialect = createRequire(import.meta.url)('knex/lib/dialects/postgres/index.js') as typeof Knex.Client;

/**
 * knex's PostgreSQL client with a client-side read timeout on every query (node-postgres
 * `query_timeout`): the statement limit of the current scope plus CLIENT_GRACE_MS. A query that
 * passes its own `query_timeout` in `.options()` (the readiness ping) keeps it.
 */
export function timedPgClient(t: DbTimeouts): typeof Knex.Client {
  return class TimedPgClient extends PgDialect {
    override query(connection: unknown, obj: unknown) {
      const q = (typeof obj === 'string' ? { sql: obj } : obj) as { options?: Record<string, unknown> };
      q.options = { query_timeout: clientQueryTimeout(t), ...q.options };
      return super.query(connection, q);
    }
  };
}

/**
 * Pool check of a pg connection before it is handed out: one whose last query the client gave up
 * on (still waiting for the server's answer) or whose socket failed is dropped, not reused.
 */
export function isReusable(connection: unknown): boolean {
  const c = connection as { readyForQuery?: boolean; __knex__disposed?: unknown };
  return c.readyForQuery === true && !c.__knex__disposed;
}
