/** `npm start`: configuration from the environment, database, first-start bootstrap, HTTP server. */
import { loadConfig, ConfigError, type Config } from '../config/index.ts';
import { createDb } from '../db/connection.ts';
import { timeoutsFrom } from '../db/timeouts.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { createApp } from '../api/app.ts';
import { createLogger } from '../api/logger.ts';
import { createDrainableServer } from '../api/drain.ts';

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
const db = createDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL, timeouts, onWarning } : { dataDir: config.ROBORISK_DATA_DIR, timeouts, onWarning });
const started = Date.now();
const boot = await bootstrap(db, { demo: config.ROBORISK_DEMO, adminKey: config.ROBORISK_ADMIN_KEY });
const app = createApp({ db, config, logger });
const web = createDrainableServer(app);
const server = web.server.listen(config.PORT, config.HOST, () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const base = `http://localhost:${port}`;
  const store = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL (PGlite) in ${config.ROBORISK_DATA_DIR}`;
  const lines = [
    '',
    `roborisk listening on ${base}  (database: ${store}; ready in ${Date.now() - started} ms)`,
    `  API docs:  ${base}/docs    OpenAPI: ${base}/openapi.json`,
  ];
  if (boot.demoHistory) {
    lines.push(`  demo history loaded: ${boot.demoHistory.deployments} deployments, ${boot.demoHistory.exposures} exposure periods, ${boot.demoHistory.incidents} incidents`);
  }
  if (Object.keys(boot.demoKeys).length) {
    lines.push('  demo API keys (shown once, stored hashed; use "Authorization: Bearer <key>"):');
    for (const [role, key] of Object.entries(boot.demoKeys)) lines.push(`    ${role.padEnd(12)} ${key}`);
  }
  console.log(lines.join('\n') + '\n');
});

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
  await db.destroy();
  logger.info({ ms: Date.now() - started, drained }, 'shut down');
  process.exit(drained ? 0 : 1);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
