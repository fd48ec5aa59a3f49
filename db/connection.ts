import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

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
}

/** Opens the database: PostgreSQL through `pg` when a URL is given, else embedded PGlite. */
export function createDb(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    return knexFactory({
      client: 'pg',
      connection: opts.databaseUrl,
      searchPath: opts.schema ? [opts.schema] : undefined,
      pool: { min: 0, max: opts.poolMax ?? 10 },
    });
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: opts.dataDir, parsers: pgliteParsers });
  return knexFactory({
    client: ClientPgLite as unknown as Knex.Config['client'],
    dialect: 'postgres',
    connection: () => ({ pglite }),
  } as unknown as Knex.Config);
}

export const isPglite = (db: Db): boolean => db.client.config.client !== 'pg';

/** `true` when the database answers. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
