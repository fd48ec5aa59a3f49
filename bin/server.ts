/** `npm start`: configuration from the environment, database, first-start bootstrap, HTTP server. */
import { loadConfig, ConfigError } from '../config/index.ts';
import { createDb } from '../db/connection.ts';
import { bootstrap } from '../services/bootstrap.ts';
import { createApp } from '../api/app.ts';
import { createLogger } from '../api/logger.ts';

let config;
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

const db = createDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.ROBORISK_DATA_DIR });
const started = Date.now();
const boot = await bootstrap(db, { demo: config.ROBORISK_DEMO, adminKey: config.ROBORISK_ADMIN_KEY });
const app = createApp({ db, config, logger });
const server = app.listen(config.PORT, config.HOST, () => {
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

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close(async () => {
    await db.destroy();
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
