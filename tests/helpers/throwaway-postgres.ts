/**
 * A PostgreSQL server of a test's own, to stop and freeze: `initdb` + `pg_ctl` of this machine's
 * PostgreSQL (15 preferred) in a temp dir, on its own port. Both refuse to run as root, so as root
 * they run as the `postgres` user, which then owns the temp dir.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The bin directory of an installed PostgreSQL with initdb and pg_ctl, or undefined. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a))) : [];
  return versions.map((v) => path.join(root, v, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl')));
}

/** Why the throwaway server cannot run here, or undefined when it can. */
export function throwawayPostgresUnavailable(): string | undefined {
  if (!findPostgresBin()) return 'no PostgreSQL initdb/pg_ctl under /usr/lib/postgresql/*/bin';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
    } catch {
      return 'running as root and there is no postgres user to run initdb as';
    }
  }
  return undefined;
}

const portFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

/** A free port in [from, to]; starts at a random place, so parallel runs and retries differ. */
export async function freePort(from: number, to: number): Promise<number> {
  const span = to - from + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    if (await portFree(port)) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export interface ThrowawayPostgres {
  url: string;
  port: number;
  /** `pg_ctl start` (waits until it accepts connections). */
  start(): void;
  /** `pg_ctl stop -m immediate`: every backend killed at once, like a crash. */
  stop(): void;
  /** SIGSTOP the postmaster and every backend: the server keeps its sockets but answers nothing. */
  freeze(): void;
  /** SIGCONT what `freeze` stopped. */
  thaw(): void;
  /** Stops the server and removes its directory. */
  destroy(): void;
}

export async function startThrowawayPostgres(portRange: [number, number]): Promise<ThrowawayPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('no PostgreSQL binaries');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
    return execFileSync(cmd, argv, { stdio: 'pipe', timeout: 60_000 }).toString();
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort(...portRange);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = () => { run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']); };
  const stop = () => { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); };
  let frozen: number[] = [];
  const postmaster = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = (pid: number) => {
    try {
      return execFileSync('pgrep', ['-P', String(pid)]).toString().split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const thaw = () => {
    for (const pid of [...frozen].reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch { /* gone */ }
    }
    frozen = [];
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    freeze() {
      const pm = postmaster();
      process.kill(pm, 'SIGSTOP'); // first, so that it forks nothing new
      frozen = [pm, ...children(pm)];
      for (const pid of frozen.slice(1)) process.kill(pid, 'SIGSTOP');
    },
    thaw,
    destroy() {
      thaw();
      try {
        stop();
      } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
