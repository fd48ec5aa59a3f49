import path from 'node:path';
import { z } from 'zod';

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'a size such as 512kb, 50mb or 1gb')
  .transform((s) => {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(s)!;
    const unit = (m[2] ?? 'b').toLowerCase();
    const mult = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit as 'b' | 'kb' | 'mb' | 'gb'];
    return Math.floor(Number(m[1]) * mult);
  });

/** A duration in whole milliseconds, at least 1. */
const millis = z.coerce.number().int().min(1).max(2 ** 31 - 1);

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  DATABASE_URL: z.string().url().optional(),
  ROBORISK_DATA_DIR: z.string().default('./data'),
  /** Time limits of the database and of shutdown, in ms (docs/architecture.md §10, Operations). */
  DB_CONNECT_TIMEOUT_MS: millis.default(2_000),
  DB_STATEMENT_TIMEOUT_MS: millis.default(30_000),
  /** Statements of imports and migrations, which may run long on big files and histories. */
  DB_LONG_STATEMENT_TIMEOUT_MS: millis.default(600_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: millis.default(60_000),
  /** Longest wait for a free pooled connection before a request is answered 503. */
  DB_ACQUIRE_TIMEOUT_MS: millis.default(10_000),
  /** `/readyz` answers 503 when the database has not answered `select 1` within this. */
  READY_TIMEOUT_MS: millis.default(1_000),
  /** After SIGTERM: most time given to in-flight requests and closing the database. */
  SHUTDOWN_GRACE_MS: millis.default(10_000),
  /** The server builds the regulator statistics' caches this long after a change of the data settles (services/statistics-warmer.ts). 0: on the first query instead. */
  STATISTICS_WARM_INTERVAL_MS: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(5_000),
  /** Registered as an admin key at first start when set (bootstrap for scripts). */
  ROBORISK_ADMIN_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** Failed authentications (a key sent but malformed, unknown, revoked or expired) per client IP and window; then 429. 0: no limit. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** Requests per API key and window; then 429. Generous by default (a guard against runaway clients). 0: no limit. */
  KEY_RATE_LIMIT: z.coerce.number().int().min(0).default(20_000),
  /** Window of both rate limits, in seconds. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Seed demo organizations, keys and a demo validation history at first start. */
  ROBORISK_DEMO: boolish.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Body limit of ordinary JSON requests. */
  JSON_BODY_LIMIT: byteSize.default(1024 * 1024),
  /** Body limit of imports (CSV and NDJSON stream; JSON arrays are parsed whole). */
  IMPORT_BODY_LIMIT: byteSize.default(512 * 1024 ** 2),
  /** At most this many bad rows are listed in an import's 422 (the total is always given). */
  IMPORT_MAX_ERRORS: z.coerce.number().int().min(1).default(10_000),
  /** Disclosure control of regulator statistics: a cell needs at least this many organizations… */
  DISCLOSURE_MIN_CONTRIBUTORS: z.coerce.number().int().min(1).default(3),
  /** …and no organization may contribute more than this share of it. */
  DISCLOSURE_DOMINANCE: z.coerce.number().gt(0).max(1).default(0.75),
  /** …nor the n largest together (the (n, k) dominance rule: n of DISCLOSURE_DOMINANCE_N, k of DISCLOSURE_DOMINANCE; 1 or 2)… */
  DISCLOSURE_DOMINANCE_N: z.coerce.number().int().min(1).max(2).default(1),
  /** …and the rest of a cell, beyond its two largest organizations, must be at least this share of the largest (p % rule). */
  DISCLOSURE_P_PERCENT: z.coerce.number().min(0).max(1).default(0.1),
  /** Protection level: a withheld value may not be derivable from published figures within this share of itself. */
  DISCLOSURE_PROTECTION: z.coerce.number().min(0).max(1).default(0.2),
  /** A severity quantile is published only with at least this many claims on each side of it. */
  DISCLOSURE_QUANTILE_TAIL: z.coerce.number().int().min(1).default(5),
  /** The insurer printed on binders and certificates (docs/policy-lifecycle.md §7): name, licence, address, claims contact, governing law. */
  INSURER_NAME: z.string().min(1).max(200).default('Roborisk Demonstration Insurer (not a licensed insurer)'),
  INSURER_LICENCE: z.string().min(1).max(200).default('Licence number not configured (set INSURER_LICENCE)'),
  INSURER_ADDRESS: z.string().min(1).max(500).default('Address not configured (set INSURER_ADDRESS)'),
  INSURER_CLAIMS_CONTACT: z.string().min(1).max(500).default('claims@insurer.invalid — set INSURER_CLAIMS_CONTACT'),
  POLICY_GOVERNING_LAW: z.string().min(1).max(1000).default('[Governing law and jurisdiction: to be stated by the insurer before issue]'),
  /** Server processes on the port (node:cluster; bin/cluster.ts): one per core. > 1 needs DATABASE_URL (PGlite admits one process). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
}).refine((c) => c.WEB_CONCURRENCY === 1 || c.DATABASE_URL !== undefined, {
  path: ['WEB_CONCURRENCY'], message: 'more than one process needs DATABASE_URL (the embedded PGlite database admits one process)',
});
export type Config = Readonly<z.infer<typeof Config>>;

export class ConfigError extends Error {}

/** Parses the environment once; the result is frozen. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Config.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = { ...parsed.data, ROBORISK_DATA_DIR: path.resolve(parsed.data.ROBORISK_DATA_DIR) };
  return Object.freeze(cfg);
}
