/** `npm start`: configuration from the environment, database, first-start bootstrap, HTTP server. */
import { loadConfig, ConfigError, type Config } from '../config/index.ts';
import { createDb } from '../db/connection.ts';
import { timeoutsFrom } from '../db/timeouts.ts';
import { bootstrap, type BootstrapResult } from '../services/bootstrap.ts';
import { createApp } from '../api/app.ts';
import { createLogger } from '../api/logger.ts';
import { createDrainableServer } from '../api/drain.ts';
import { startStatisticsWarmer } from '../services/statistics-warmer.ts';
import { disclosureRulesOf } from '../services/disclosure.ts';
import { isClusterWorker, runPrimary } from './cluster.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}

const logger = createLogger(config.LOG_LEVEL);

const timeouts = timeoutsFrom(config);
const onWarning = (message: string) => logger.debug({ knex: message }, 'database warning');

// WEB_CONCURRENCY > 1: this process bootstraps the database once, then forks the workers that
// serve (bin/cluster.ts); each worker runs the rest of this file and its own graceful shutdown
if (config.WEB_CONCURRENCY > 1 && !isClusterWorker()) {
  const db0 = createDb({ databaseUrl: config.DATABASE_URL as string, timeouts, onWarning });
  const started0 = Date.now();
  const boot0 = await bootstrap(db0, { demo: config.ROBORISK_DEMO, demoPolicies: true, adminKey: config.ROBORISK_ADMIN_KEY });
  await db0.destroy();
  await runPrimary({ workers: config.WEB_CONCURRENCY, graceMs: config.SHUTDOWN_GRACE_MS, logger, onListening: ({ port }) => console.log(banner(port, boot0, started0)) });
}

const db = createDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL, timeouts, onWarning } : { dataDir: config.ROBORISK_DATA_DIR, timeouts, onWarning });
const started = Date.now();
const boot = isClusterWorker() ? { demoKeys: {} } : await bootstrap(db, { demo: config.ROBORISK_DEMO, demoPolicies: true, adminKey: config.ROBORISK_ADMIN_KEY });
const app = createApp({ db, config, logger });
const warmer = config.STATISTICS_WARM_INTERVAL_MS > 0 ? startStatisticsWarmer(db, disclosureRulesOf(config), { intervalMs: config.STATISTICS_WARM_INTERVAL_MS, logger }) : null;
const web = createDrainableServer(app);
const server = web.server.listen(config.PORT, config.HOST, () => {
  const addr = server.address();
  // a cluster worker stays quiet: the primary prints the banner once
  if (!isClusterWorker()) console.log(banner(typeof addr === 'object' && addr ? addr.port : config.PORT, boot, started));
});

function banner(port: number, boot: Pick<BootstrapResult, 'demoHistory' | 'demoKeys'>, since: number): string {
  const base = `http://localhost:${port}`;
  const store = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL (PGlite) in ${config.ROBORISK_DATA_DIR}`;
  const processes = config.WEB_CONCURRENCY > 1 ? `; ${config.WEB_CONCURRENCY} processes` : '';
  const lines = [
    '',
    `roborisk listening on ${base}  (database: ${store}${processes}; ready in ${Date.now() - since} ms)`,
    `  API docs:  ${base}/docs    OpenAPI: ${base}/openapi.json`,
  ];
  if (boot.demoHistory) {
    lines.push(`  demo history loaded: ${boot.demoHistory.deployments} deployments, ${boot.demoHistory.exposures} exposure periods, ${boot.demoHistory.incidents} incidents`);
  }
  if (Object.keys(boot.demoKeys).length) {
    lines.push('  demo API keys (shown once, stored hashed; use "Authorization: Bearer <key>"):');
    for (const [role, key] of Object.entries(boot.demoKeys)) lines.push(`    ${role.padEnd(12)} ${key}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * SIGTERM / SIGINT (docs/architecture.md §10): drain the HTTP server (no new connections, requests
 * in flight finish, keep-alive sockets close), then close the database; exit 0 when both were
 * done within SHUTDOWN_GRACE_MS, else 1. A repeated signal changes nothing (npm forwards the one
 * it gets to this process, so one `kill` of the process group arrives twice).
 */
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const grace = config.SHUTDOWN_GRACE_MS;
  const started = Date.now();
  logger.info({ signal, grace_ms: grace }, 'shutting down: draining requests');
  const force = setTimeout(() => {
    logger.error({ grace_ms: grace }, 'shutdown: grace period over, exiting');
    process.exit(1);
  }, grace);
  force.unref();
  // the database gets the last quarter of the grace period (at most 2 s) to close
  const drained = await web.drain(grace - Math.min(2_000, grace / 4));
  if (!drained) logger.warn('shutdown: requests still running at the end of the drain were cut');
  warmer?.stop();
  await db.destroy();
  logger.info({ ms: Date.now() - started, drained }, 'shut down');
  process.exit(drained ? 0 : 1);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
