/**
 * Several server processes on one port (node:cluster, `WEB_CONCURRENCY` > 1): Node.js runs
 * JavaScript on one core per process, and rating is CPU-bound (bench/README.md "Quotes"), so
 * one process per core. The API is stateless (every cache is checked against the database's
 * counters, impact jobs live in `impact_jobs`), so workers need no coordination; the primary
 * only bootstraps the database once, forks, re-forks a worker that dies, and on SIGTERM / SIGINT
 * passes the signal to every worker, whose own graceful shutdown drains its requests, and exits
 * when all have exited (1 if any exited non-zero or the grace period ran out).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

export interface PrimaryOptions {
  workers: number;
  /** Longest wait for the workers after a signal before the primary exits 1. */
  graceMs: number;
  logger: Logger;
  /** Called once, when the first worker listens (the primary prints the banner). */
  onListening: (address: { port: number }) => void;
}

/** True in a process forked by {@link runPrimary}. */
export const isClusterWorker = () => cluster.isWorker;

/** Forks the workers and supervises them; never returns (the process exits with the workers). */
export async function runPrimary(o: PrimaryOptions): Promise<never> {
  let stopping = false;
  let failed = false;
  let announced = false;
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('listening', (addr) => {
      if (!announced) { announced = true; o.onListening({ port: addr.port }); }
    });
    return w;
  };
  for (let i = 0; i < o.workers; i++) fork();
  cluster.on('exit', (w, code, signal) => {
    if (code !== 0) failed = true;
    if (!stopping) {
      o.logger.error({ pid: w.process.pid, code, signal }, 'worker exited: forking another');
      fork();
      return;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    o.logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'shutting down: signalling the workers');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => {
      o.logger.error({ grace_ms: o.graceMs }, 'shutdown: workers still running at the end of the grace period');
      process.exit(1);
    }, o.graceMs + 1_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return new Promise<never>(() => undefined);
}
