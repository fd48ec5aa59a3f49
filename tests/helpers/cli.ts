/**
 * Runs the CLI (bin/cli.ts) as a child process, as a user would, on a PGlite directory of the
 * test's own. Only one process may open a PGlite directory at a time: a test opens the database
 * itself (`withDb`) only between CLI runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '../../db/connection.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** The audit actor the CLI records for the user running the tests. */
export const CLI_ACTOR = `cli:${userInfo().username}`;

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/cli.ts'), ...args], {
      cwd: ROOT,
      // the CLI reads its configuration from the environment: PGlite only, no bootstrap admin key
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

/** Opens the PGlite directory in this process for `fn`, and closes it again. */
export async function withDb<T>(dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}
