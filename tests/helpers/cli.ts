/**
 * Runs the CLI (bin/cli.ts) as a child process, as a user would, on a database of the test
 * file's own: a PGlite directory, or a PostgreSQL schema when TEST_DATABASE_URL is set (the CLI
 * gets a DATABASE_URL whose search_path is that schema). Only one process may open a PGlite
 * directory at a time: a test opens the database itself (`withDb`) only between CLI runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../db/connection.ts';
import { TEST_DATABASE_URL } from './context.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** The audit actor the CLI records for the user running the tests. */
export const CLI_ACTOR = `cli:${userInfo().username}`;

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/cli.ts'), ...args], {
      cwd: ROOT,
      // the CLI reads its configuration from the environment: no bootstrap admin key; PGlite unless `env` names a DATABASE_URL
      // eslint-disable-next-line no-restricted-properties -- the child inherits PATH & co.
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ROBORISK_ADMIN_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temp directory for a test file (its PGlite data dir, input files), removed by `remove()`. */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `roborisk-cli-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliDatabase {
  /** The CLI's environment for this database (ROBORISK_DATA_DIR or DATABASE_URL). */
  env: Record<string, string>;
  /** Where the CLI says it creates a new database, for PGlite; undefined on PostgreSQL. */
  dataDir?: string;
  /** Opens the database in this process for `fn`, and closes it again. */
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  remove(): Promise<void>;
}

/** A new, empty database for the CLI, in `dir`'s `data/` or in a PostgreSQL schema of its own. */
export async function cliDatabase(dir: string): Promise<CliDatabase> {
  const use = async <T>(db: Db, fn: (db: Db) => Promise<T>) => {
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  };
  if (TEST_DATABASE_URL) {
    const schema = `t_cli_${randomBytes(6).toString('hex')}`;
    await use(createDb({ databaseUrl: TEST_DATABASE_URL, poolMax: 1 }), (db) => db.raw(`create schema ${schema}`));
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      env: { DATABASE_URL: url.toString() },
      withDb: (fn) => use(createDb({ databaseUrl: TEST_DATABASE_URL!, schema }), fn),
      remove: () => use(createDb({ databaseUrl: TEST_DATABASE_URL!, poolMax: 1 }), (db) => db.raw(`drop schema ${schema} cascade`)).then(() => undefined),
    };
  }
  const dataDir = path.join(dir, 'data');
  return {
    env: { ROBORISK_DATA_DIR: dataDir },
    dataDir,
    withDb: (fn) => use(createDb({ dataDir }), fn),
    remove: async () => undefined, // inside `dir`
  };
}
