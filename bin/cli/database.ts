/**
 * The database a CLI command works on: the server's own (config/: DATABASE_URL, else PGlite in
 * ROBORISK_DATA_DIR), brought to the same state the server's start brings it to (migrations,
 * catalog, first-start demo data and keys), closed when the command ends, also on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../config/index.ts';
import { createDb, type Db } from '../../db/connection.ts';
import { timeoutsFrom } from '../../db/timeouts.ts';
import { bootstrap } from '../../services/bootstrap.ts';
import { cliPrincipal } from '../../services/auth.ts';
import type { Principal, Role } from '../../domain/index.ts';
import { Interrupted } from './errors.ts';

export interface CliContext {
  db: Db;
  config: Config;
  /** The CLI acting in `role` (audited as `cli:<OS user>`); enterprise needs an organization. */
  as(role: Role, organizationRef?: string): Promise<Principal>;
  /** Registers what to cancel on Ctrl-C (e.g. destroy the stream being imported); returns the unregister function. */
  onInterrupt(cancel: () => void): () => void;
}

/** The OS user running the CLI: the audit trail's `cli:<operator>`. */
function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

const note = (s: string) => process.stderr.write(`${s}\n`);

/** Opens the database, runs `fn`, closes the database (the command's outcome is `fn`'s). */
export async function withDatabase<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const pglite = !config.DATABASE_URL;
  const fresh = pglite && !existsSync(path.join(config.ROBORISK_DATA_DIR, 'PG_VERSION'));
  if (fresh) {
    note(`new database in ${config.ROBORISK_DATA_DIR}: creating it${config.ROBORISK_DEMO ? ' with the demo history and fitted models (this takes a little while)' : ''}…`);
  }

  const cancels = new Set<() => void>();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    note('interrupt: rolling back and closing the database (Ctrl-C again to quit at once, which may damage an embedded database)');
    for (const c of cancels) c();
  };
  process.on('SIGINT', onSigint);

  const timeouts = timeoutsFrom(config);
  const db = createDb(pglite ? { dataDir: config.ROBORISK_DATA_DIR, timeouts } : { databaseUrl: config.DATABASE_URL, timeouts });
  try {
    const boot = await bootstrap(db, { demo: config.ROBORISK_DEMO, demoPolicies: true, adminKey: config.ROBORISK_ADMIN_KEY });
    if (boot.firstStart) {
      if (boot.demoHistory) {
        note(`demo history loaded: ${boot.demoHistory.deployments} deployments, ${boot.demoHistory.exposures} exposure periods, ${boot.demoHistory.incidents} incidents`);
      }
      const keys = Object.entries(boot.demoKeys);
      if (keys.length) {
        note('demo API keys (shown once, stored hashed; the server will not print them again):');
        for (const [role, key] of keys) note(`  ${role.padEnd(12)} ${key}`);
      }
    }
    const operator = operatorName();
    const ctx: CliContext = {
      db,
      config,
      as: (role, organizationRef) => cliPrincipal(db, role, operator, organizationRef),
      onInterrupt: (cancel) => {
        cancels.add(cancel);
        return () => cancels.delete(cancel);
      },
    };
    return await fn(ctx);
  } catch (e) {
    if (interrupted && !(e instanceof Interrupted)) throw new Interrupted('nothing of the interrupted step was written');
    throw e;
  } finally {
    await db.destroy();
    process.off('SIGINT', onSigint);
  }
}
