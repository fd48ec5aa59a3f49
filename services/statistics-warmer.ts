/**
 * Builds the regulator statistics' caches (services/protected-tables.ts: the rate and scorecard
 * structures, the severity structures and claim indexes of every coverage, the incident cube, the
 * loss-ratio structure) in the background whenever the data they depend on changes, so that the
 * first regulator query after an import, a bind or an endorsement finds them built instead of
 * paying the build (seconds on a large history: bench/README.md). It polls the `cache_versions`
 * counters (one small query per interval), which every writer bumps — this instance's requests,
 * another instance's, the CLI — and builds at most once per change, after the writes have settled
 * for one interval. Errors are logged and retried at the next change; a build never fails a request.
 * Started by the server (bin/server.ts), not by `createApp`: tests build on demand.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/connection.ts';
import { lossRatioDataVersion } from '../db/repositories/statistics.ts';
import { COVERAGE_CODES } from '../domain/index.ts';
import type { DisclosureRules } from './disclosure.ts';
import { incidentCube, lossRatioStructure, rateAndScorecardStructures, severityTables } from './protected-tables.ts';

export interface StatisticsWarmer {
  /** No build starts afterwards; one in progress runs on (and fails quietly once the database is closed). */
  stop(): void;
  /** Resolves when the caches are built for the current data (tests, operations). */
  settled(): Promise<void>;
}

/** Every cache a regulator route reads, built for the current data. */
export async function warmStatistics(db: Db, rules: DisclosureRules): Promise<void> {
  await rateAndScorecardStructures(db, rules);
  for (const c of COVERAGE_CODES) await severityTables(db, c, rules);
  await incidentCube(db, rules);
  await lossRatioStructure(db, rules);
}

export function startStatisticsWarmer(db: Db, rules: DisclosureRules, opts: { intervalMs: number; logger: Logger }): StatisticsWarmer {
  let stopped = false;
  let built: string | null = null;
  let seen: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    const version = await lossRatioDataVersion(db);
    // a change seen this tick is built next tick if nothing else changed meanwhile (imports often come in series)
    if (version !== built && version === seen) {
      const t = Date.now();
      await warmStatistics(db, rules);
      built = version;
      opts.logger.info({ version, ms: Date.now() - t }, 'statistics caches built');
    }
    seen = version;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().catch((err: unknown) => { if (!stopped) opts.logger.warn({ err }, 'statistics caches not built'); }).finally(schedule);
    }, opts.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    async settled() {
      while (!stopped && built !== (await lossRatioDataVersion(db))) await new Promise((r) => setTimeout(r, opts.intervalMs / 2));
    },
  };
}
