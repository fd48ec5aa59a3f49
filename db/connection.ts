import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { DEFAULT_TIMEOUTS, isReusable, relaxTransaction, timedPgClient, withLongStatements, type DbTimeouts } from './timeouts.ts';

// Both drivers return the same JavaScript types: int8 and numeric as numbers (our counts and
// money stay far below 2^53), `date` as the ISO string 'YYYY-MM-DD' (no time-zone shift).
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const toNumber = (v: string) => Number(v);
const asIs = (v: string) => v;
pg.types.setTypeParser(OID.INT8, toNumber);
pg.types.setTypeParser(OID.NUMERIC, toNumber);
pg.types.setTypeParser(OID.DATE, asIs);
const pgliteParsers = { [OID.INT8]: toNumber, [OID.NUMERIC]: toNumber, [OID.DATE]: asIs };

export type Db = Knex;

export interface DbOptions {
  /** PostgreSQL connection string; when absent an embedded PGlite database is opened. */
  databaseUrl?: string;
  /** PGlite data directory; `undefined` with no databaseUrl means in-memory. */
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate themselves in a schema of their own). */
  schema?: string;
  poolMax?: number;
  /** Time limits (config/index.ts defaults when absent). */
  timeouts?: DbTimeouts;
  /**
   * Where knex's own warnings go (e.g. each failed attempt to connect while the database is
   * down, which the HTTP layer already logs as a 503); the console when absent.
   */
  onWarning?: (message: string) => void;
}

const timeoutsByDb = new WeakMap<Db, DbTimeouts>();
/** The time limits `db` was opened with. */
export const timeoutsOf = (db: Db): DbTimeouts => timeoutsByDb.get(db) ?? DEFAULT_TIMEOUTS;

/** Opens the database: PostgreSQL through `pg` when a URL is given, else embedded PGlite. */
export function createDb(opts: DbOptions): Db {
  const t = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl, t, opts) : openPglite(t, opts);
  timeoutsByDb.set(db, t);
  return db;
}

/**
 * PostgreSQL with every limit of `t` (docs/architecture.md §10): connect timeout, server-side
 * statement and idle-in-transaction timeouts, a client-side read timeout a little longer than
 * the statement timeout (a server that does not answer at all), TCP keep-alive, and a bounded
 * wait for a pooled connection.
 */
function openPostgres(url: string, t: DbTimeouts, opts: DbOptions): Db {
  return knexFactory({
    client: timedPgClient(t),
    connection: {
      connectionString: url,
      connectionTimeoutMillis: t.connectMs,
      statement_timeout: t.statementMs,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
    searchPath: opts.schema ? [opts.schema] : undefined,
    acquireConnectionTimeout: t.acquireMs,
    pool: { min: 0, max: opts.poolMax ?? 10, validate: isReusable },
    ...(opts.onWarning ? { log: { warn: opts.onWarning } } : {}),
  } as Knex.Config);
}

/**
 * Embedded PGlite: one in-process connection, so only the wait for it needs a limit — from the
 * moment the database is open (opening it, seconds on a loaded machine, is not that wait).
 */
function openPglite(t: DbTimeouts, opts: DbOptions): Db {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: opts.dataDir, parsers: pgliteParsers });
  class OpenedPgLite extends ClientPgLite {
    override async acquireConnection() {
      await pglite.waitReady;
      return super.acquireConnection();
    }
  }
  return knexFactory({
    client: OpenedPgLite,
    dialect: 'postgres',
    connection: () => ({ pglite }),
    acquireConnectionTimeout: t.acquireMs,
    ...(opts.onWarning ? { log: { warn: opts.onWarning } } : {}),
  } as unknown as Knex.Config);
}

/**
 * Runs `work` in a transaction with the long limits of imports: server side for the
 * transaction (PostgreSQL), client side for each of its queries.
 */
export function longTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return withLongStatements(() => db.transaction(async (trx) => {
    if (!isPglite(db)) await relaxTransaction(trx, timeoutsOf(db));
    return work(trx);
  }));
}

export const isPglite = (db: Db): boolean => db.client instanceof ClientPgLite;

/**
 * `true` when the database answers `select 1` within `timeoutMs` (the readiness probe). The
 * wait for a pooled connection counts too; a query the client gave up on leaves its connection
 * to be dropped by the pool.
 */
export async function ping(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const query = isPglite(db) ? db.raw('select 1') : db.raw('select 1').options({ query_timeout: timeoutMs });
  const answered = query.then(() => true, () => false);
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
