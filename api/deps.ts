import type { Logger } from 'pino';
import type { Db } from '../db/connection.ts';
import type { Config } from '../config/index.ts';

/** What the HTTP layer needs from the outside; tests build their own. */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** The built web console (default dist/web/ of the repository). */
  consoleDir?: string;
}
