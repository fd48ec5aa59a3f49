/**
 * Bulk import of validation histories (docs/architecture.md §5): rows are staged in a temporary
 * table in batches (one `INSERT … SELECT FROM unnest(arrays)` per batch: one bind parameter per
 * column, whatever the batch size), references and in-file duplicates are checked in SQL, then one
 * upsert per file writes them. Everything happens in one transaction: any error rolls it all
 * back, so a rejected file writes nothing. Exposure and deployment imports also keep
 * `exposure_month_summary` exact in that transaction, and exposure and incident imports
 * `scorecard_deployment_summary` (they are their only writers).
 */
import type { Knex } from 'knex';
import { longTransaction, type Db } from '../connection.ts';
import { MAX_EXPOSURE_PERIOD_DAYS } from '../../domain/calendar.ts';
import { apportionedHoursSql, bucketEndSql, bucketsSql } from './exposure-spread.ts';
import { refreshScorecardSummary } from './scorecard-summary.ts';

export type ImportKind = 'deployments' | 'exposures' | 'incidents';

export interface RowProblem { line: number; field: string; message: string }
export interface ImportCounts { inserted: number; updated: number; unchanged: number }

interface Column { name: string; pgType: string }

const cols = (spec: string): Column[] =>
  spec.trim().split(/\s*,\s*/).map((c) => {
    const [name, pgType] = c.split(/\s+/);
    return { name, pgType };
  });

/** Staging columns per kind, in the order the service hands values over (after `line`). */
export const STAGE_COLUMNS: Record<ImportKind, Column[]> = {
  deployments: cols(`deployment_ref text, organization_ref text, province text, scenario_class text, robot_model text,
    units int4, autonomy_level text, start_date date, end_date date, integrator_ref text, serial_numbers text`),
  exposures: cols(`deployment_ref text, period_start date, period_end date, operating_hours float8, task_cycles int8,
    protective_stops int4, near_misses int4, software_version text, downtime_hours float8`),
  incidents: cols(`incident_ref text, deployment_ref text, occurred_at timestamptz, reported_at timestamptz,
    incident_type text, severity_level int2, bodily_injury_count int4, robot_damage numeric,
    third_party_property_damage numeric, bodily_injury_cost numeric, downtime_hours float8,
    business_interruption_cost numeric, status text, paid numeric, case_reserve numeric, currency text, serial_number text`),
};

/** A batch of staged rows, column-major: `line` plus one array per column of STAGE_COLUMNS[kind]. */
export interface StageBatch { line: number[]; values: unknown[][] }

export interface ImportSession {
  stage(batch: StageBatch): Promise<void>;
}

const STAGE = (kind: ImportKind) => `import_stage_${kind}`;

async function createStage(trx: Knex.Transaction, kind: ImportKind) {
  const defs = STAGE_COLUMNS[kind].map((c) => `${c.name} ${c.pgType}`).join(', ');
  await trx.raw(`create temporary table ${STAGE(kind)} (line int4 not null, ${defs}) on commit drop`);
}

async function stageBatch(trx: Knex.Transaction, kind: ImportKind, b: StageBatch) {
  if (b.line.length === 0) return;
  const columns = STAGE_COLUMNS[kind];
  const names = ['line', ...columns.map((c) => c.name)].join(', ');
  const arrays = ['?::int4[]', ...columns.map((c) => `?::${c.pgType}[]`)].join(', ');
  await trx.raw(`insert into ${STAGE(kind)} (${names}) select * from unnest(${arrays})`, [b.line, ...b.values] as Knex.RawBinding[]);
}

type Check = { field: string; sql: string };

/** SQL checks that need the database or the whole file; each returns (line, message). */
const CHECKS: Record<ImportKind, Check[]> = {
  deployments: [
    dupCheck('deployments', 'deployment_ref', ['deployment_ref']),
    refCheck('deployments', 'organization_ref', 'organizations', 'ref', 'organization'),
    refCheck('deployments', 'scenario_class', 'scenario_classes', 'code', 'scenario class'),
    refCheck('deployments', 'robot_model', 'robot_models', 'code', 'robot model'),
  ],
  exposures: [
    dupCheck('exposures', 'period_start', ['deployment_ref', 'period_start']),
    refCheck('exposures', 'deployment_ref', 'deployments', 'ref', 'deployment'),
    {
      field: 'period_start',
      sql: `select s.line, 'period ' || coalesce(s.period_start::text, '…') || '..' || coalesce(s.period_end::text, '…') || ' is outside the deployment''s dates '
              || d.start_date || '..' || coalesce(d.end_date::text, 'open') as message
            from ${STAGE('exposures')} s join deployments d on d.ref = s.deployment_ref
            where s.period_start < d.start_date or (d.end_date is not null and s.period_end > d.end_date)`,
    },
    {
      // periods of one deployment never overlap (docs/architecture.md §5): within the file, every
      // line whose period meets that of a line with another start (lines with the same start are
      // duplicates, reported above): sorted by start, the next later start or the latest end of
      // the earlier starts falls inside it …
      field: 'period_start',
      sql: `select w.line, 'period ' || w.period_start || '..' || w.period_end || ' overlaps another period of deployment '
              || w.deployment_ref || ' in this file' as message
            from (select s.line, s.deployment_ref, s.period_start, s.period_end,
                    min(s.period_start) over (o range between interval '1 day' following and unbounded following) as next_start,
                    max(s.period_end) over (o range between unbounded preceding and interval '1 day' preceding) as prev_end
                  from ${STAGE('exposures')} s
                  where s.deployment_ref is not null and s.period_start is not null and s.period_end is not null
                  window o as (partition by s.deployment_ref order by s.period_start)) w
            where w.next_start <= w.period_end or w.prev_end >= w.period_start`,
    },
    {
      // … and against the stored periods the file does not replace (a stored row with the same
      // start is replaced by the line); stored periods are at most MAX_EXPOSURE_PERIOD_DAYS long
      field: 'period_start',
      sql: `select distinct on (s.line) s.line, 'period ' || s.period_start || '..' || s.period_end || ' overlaps the stored period '
              || t.period_start || '..' || t.period_end || ' of deployment ' || s.deployment_ref as message
            from ${STAGE('exposures')} s join deployments d on d.ref = s.deployment_ref
            join exposures t on t.deployment_id = d.id and t.period_start <= s.period_end and t.period_end >= s.period_start
              and t.period_start > s.period_start - ${MAX_EXPOSURE_PERIOD_DAYS} and t.period_start <> s.period_start
            where not exists (select 1 from ${STAGE('exposures')} r where r.deployment_ref = s.deployment_ref and r.period_start = t.period_start)
            order by s.line, t.period_start`,
    },
  ],
  incidents: [
    dupCheck('incidents', 'incident_ref', ['incident_ref']),
    refCheck('incidents', 'deployment_ref', 'deployments', 'ref', 'deployment'),
    {
      field: 'occurred_at',
      sql: `select s.line, 'occurred ' || s.occurred_at::date || ', outside the deployment''s dates '
              || d.start_date || '..' || coalesce(d.end_date::text, 'open') as message
            from ${STAGE('incidents')} s join deployments d on d.ref = s.deployment_ref
            where s.occurred_at::date < d.start_date or (d.end_date is not null and s.occurred_at::date > d.end_date)`,
    },
  ],
};

function dupCheck(kind: ImportKind, field: string, key: string[]): Check {
  const k = key.join(', ');
  return {
    field,
    sql: `select line, 'duplicate ${key.join(' + ')} in this file (first on line ' || first_line || ')' as message
          from (select line, min(line) over (partition by ${k}) as first_line from ${STAGE(kind)}
                where ${key.map((c) => `${c} is not null`).join(' and ')}) x
          where line > first_line`,
  };
}

function refCheck(kind: ImportKind, field: string, table: string, key: string, what: string): Check {
  return {
    field,
    sql: `select s.line, 'unknown ${what} ''' || s.${field} || '''' as message
          from ${STAGE(kind)} s left join ${table} t on t.${key} = s.${field}
          where s.${field} is not null and t.${key} is null`,
  };
}

/** Upsert SQL per kind: `src` resolves references to ids; `cmp` lists the compared columns. */
interface Upsert { src: string; table: string; key: string[]; cmp: string[]; entity: string; entityRef: string }

const UPSERTS: Record<ImportKind, Upsert> = {
  deployments: {
    src: `select s.deployment_ref as ref, o.id as organization_id, c.id as scenario_class_id, r.id as robot_model_id,
            s.units, s.autonomy_level, s.province, s.start_date, s.end_date, s.integrator_ref,
            string_to_array(s.serial_numbers, ' ') as serial_numbers
          from ${STAGE('deployments')} s join organizations o on o.ref = s.organization_ref
          join scenario_classes c on c.code = s.scenario_class join robot_models r on r.code = s.robot_model`,
    table: 'deployments',
    key: ['ref'],
    cmp: ['organization_id', 'scenario_class_id', 'robot_model_id', 'units', 'autonomy_level', 'province', 'start_date', 'end_date', 'integrator_ref', 'serial_numbers'],
    entity: 'deployment',
    entityRef: 'src.ref',
  },
  exposures: {
    src: `select d.id as deployment_id, s.deployment_ref, s.period_start, s.period_end, s.operating_hours, s.task_cycles,
            s.protective_stops, s.near_misses, s.software_version, s.downtime_hours
          from ${STAGE('exposures')} s join deployments d on d.ref = s.deployment_ref`,
    table: 'exposures',
    key: ['deployment_id', 'period_start'],
    cmp: ['period_end', 'operating_hours', 'task_cycles', 'protective_stops', 'near_misses', 'software_version', 'downtime_hours'],
    entity: 'exposure',
    entityRef: `src.deployment_ref || '@' || src.period_start`,
  },
  incidents: {
    src: `select s.incident_ref as ref, d.id as deployment_id, s.occurred_at, s.reported_at, s.incident_type,
            s.severity_level, s.bodily_injury_count, s.robot_damage, s.third_party_property_damage, s.bodily_injury_cost,
            s.downtime_hours, s.business_interruption_cost, s.status, s.paid, s.case_reserve, s.currency, s.serial_number
          from ${STAGE('incidents')} s join deployments d on d.ref = s.deployment_ref`,
    table: 'incidents',
    key: ['ref'],
    cmp: ['deployment_id', 'occurred_at', 'reported_at', 'incident_type', 'severity_level', 'bodily_injury_count',
      'robot_damage', 'third_party_property_damage', 'bodily_injury_cost', 'downtime_hours',
      'business_interruption_cost', 'status', 'paid', 'case_reserve', 'currency', 'serial_number'],
    entity: 'incident',
    entityRef: 'src.ref',
  },
};

const hasUpdatedAt: Record<ImportKind, boolean> = { deployments: true, exposures: false, incidents: true };

/**
 * Maintenance of `exposure_month_summary` (migrations 20261123000600, 20261201000100): the
 * (month, scenario class, organization) keys an import touches — every month a written row
 * covers, before and after the write — are collected in a temporary table, then their summary
 * rows are deleted and recomputed from the raw exposures, in the import's transaction. A row's
 * hours are spread over the months it covers as `exposure-spread.ts` says. The counts of
 * deployments whose first month with hours in a quarter / year / ever is the key's month
 * (migration 20261205000100) depend on a deployment's earlier months too: a changed deployment
 * adds, before and after the write, the first month with hours of each of its quarters (which
 * holds the first of its year and of its history) to the keys.
 */
const SUMMARY_KEYS = 'import_summary_keys';
/** The first day (date) of every month that the rows of alias `e` cover, as a lateral subquery `alias(month)`. */
const MONTHS_OF = (e: string, alias: string) =>
  `cross join lateral (select g::date as month from ${bucketsSql('month', `${e}.period_start`, `${e}.period_end`)} g) ${alias}`;
/**
 * Above this many (touched key × deployment of its organization and class) pairs the recompute
 * scans the exposures of the touched pairs once instead of probing the index per key and deployment.
 */
export const summaryRefresh = { probeMax: 20_000 };

async function createSummaryKeys(trx: Knex.Transaction) {
  await trx.raw(`create temporary table ${SUMMARY_KEYS} (month date not null, scenario_class_id int4 not null,
    organization_id int4 not null, primary key (month, scenario_class_id, organization_id)) on commit drop`);
}

const CHANGED_DEPLOYMENTS = 'import_changed_deployments';
/** Adds to the keys, per deployment of CHANGED_DEPLOYMENTS, the first month with hours of each quarter it has hours in (as its exposures stand now). */
async function addQuarterFirstKeys(trx: Knex.Transaction) {
  await trx.raw(
    `insert into ${SUMMARY_KEYS} (month, scenario_class_id, organization_id)
     select distinct x.month, d.scenario_class_id, d.organization_id
     from (select e.deployment_id, min(m.month) as month
           from exposures e join ${CHANGED_DEPLOYMENTS} c on c.id = e.deployment_id ${MONTHS_OF('e', 'm')}
           where e.operating_hours > 0 group by e.deployment_id, date_trunc('quarter', m.month)) x
     join deployments d on d.id = x.deployment_id
     on conflict do nothing`,
  );
}

/** Hours of row `e` within month `m` (a date column): the row clipped to the month, spread pro rata. */
const MONTH_PIECE = (e: string, m: string) =>
  apportionedHoursSql(e, `greatest(${e}.period_start, ${m})`, `least(${e}.period_end, ${bucketEndSql('month', `${m}::timestamp`)})`);

async function refreshSummary(trx: Knex.Transaction) {
  if (!(await trx.raw(`select exists (select 1 from ${SUMMARY_KEYS}) as any`)).rows[0].any) return;
  await trx.raw(`analyze ${SUMMARY_KEYS}`);
  // index probes needed by the probe path: one per touched key and deployment of its (organization, class)
  const probes = Number((await trx.raw(
    `select count(*) as n from ${SUMMARY_KEYS} k
     join deployments d on d.organization_id = k.organization_id and d.scenario_class_id = k.scenario_class_id`,
  )).rows[0].n);
  await trx.raw(
    `delete from exposure_month_summary s using ${SUMMARY_KEYS} k
     where s.month = k.month and s.scenario_class_id = k.scenario_class_id and s.organization_id = k.organization_id`,
  );
  const columns = 'month, scenario_class_id, organization_id, operating_hours, deployments, exposure_rows, first_in_quarter, first_in_year, first_ever';
  // a deployment's month is the first with hours of its quarter / year / history when its previous day (month) with
  // hours, `prev` (null if none), is before the quarter / the year; `any` whether it had hours before at all
  const firsts = (prev: string, month: string, any: string) => [
    `count(*) filter (where ${prev} is null or ${prev} < date_trunc('quarter', ${month}))`,
    `count(*) filter (where ${prev} is null or ${prev} < date_trunc('year', ${month}))`,
    `count(*) filter (where not ${any})`,
  ].join(', ');
  // few pairs: per key, its deployments' rows touching that month through the (deployment_id, period_start)
  // index (a row starts at most MAX_EXPOSURE_PERIOD_DAYS before the month it touches); the last day with
  // hours in the key's year before the month (the latest end of a row with hours starting before it) and
  // whether any row with hours starts before it give the firsts
  const probe = `select k.month, k.scenario_class_id, k.organization_id, sum(x.h), count(*), sum(x.n), ${firsts('y.last_end', 'k.month', 'y.earlier')}
     from ${SUMMARY_KEYS} k join deployments d on d.organization_id = k.organization_id and d.scenario_class_id = k.scenario_class_id
     cross join lateral (
       select sum(${MONTH_PIECE('e', 'k.month')}) as h, count(*) as n from exposures e
       where e.deployment_id = d.id and e.period_start > k.month - ${MAX_EXPOSURE_PERIOD_DAYS}
         and e.period_start <= ${bucketEndSql('month', 'k.month::timestamp')} and e.period_end >= k.month
         and e.operating_hours > 0
     ) x
     cross join lateral (
       select max(e.period_end) as last_end,
              exists (select 1 from exposures p where p.deployment_id = d.id and p.period_start < k.month and p.operating_hours > 0) as earlier
       from exposures e
       where e.deployment_id = d.id and e.period_start < k.month and e.period_start > date_trunc('year', k.month)::date - ${MAX_EXPOSURE_PERIOD_DAYS}
         and e.operating_hours > 0
     ) y
     where x.h > 0
     group by 1, 2, 3`;
  // many pairs: one pass over the exposures of the touched (organization, class) pairs, per deployment and month first
  const scan = `with pd as (
       select e.deployment_id, m.month, sum(${MONTH_PIECE('e', 'm.month')}) as h, count(*) as n
       from exposures e join deployments d on d.id = e.deployment_id ${MONTHS_OF('e', 'm')}
       where e.operating_hours > 0 and (d.organization_id, d.scenario_class_id) in (select organization_id, scenario_class_id from ${SUMMARY_KEYS})
       group by 1, 2
     ), pp as (
       select pd.*, lag(pd.month) over (partition by pd.deployment_id order by pd.month) as prev from pd where pd.h > 0
     )
     select pp.month, d.scenario_class_id, d.organization_id, sum(pp.h), count(*), sum(pp.n), ${firsts('pp.prev', 'pp.month', '(pp.prev is not null)')}
     from pp join deployments d on d.id = pp.deployment_id
     join ${SUMMARY_KEYS} k on k.month = pp.month and k.scenario_class_id = d.scenario_class_id and k.organization_id = d.organization_id
     group by 1, 2, 3`;
  await trx.raw(`insert into exposure_month_summary (${columns}) ${probes <= summaryRefresh.probeMax ? probe : scan}`);
}

/**
 * Maintenance of `scorecard_deployment_summary` (db/repositories/scorecard-summary.ts): the
 * deployments whose exposures or incidents an import changes (for a moved incident, its old and
 * its new deployment) are collected before the write, and their rows recomputed after it.
 */
const SCORECARD_DEPLOYMENTS = 'import_scorecard_deployments';

async function collectScorecardDeployments(trx: Knex.Transaction, kind: 'exposures' | 'incidents', src: string, on: string, tCmp: string, sCmp: string) {
  await trx.raw(`create temporary table ${SCORECARD_DEPLOYMENTS} (deployment_id int4 primary key) on commit drop`);
  const table = kind;
  await trx.raw(
    `with src as (${src}), changed as (
       select src.deployment_id as new_id, t.deployment_id as old_id
       from src left join ${table} t on ${on} where t.deployment_id is null or ${tCmp} is distinct from ${sCmp}
     )
     insert into ${SCORECARD_DEPLOYMENTS} (deployment_id)
     select new_id from changed union select old_id from changed where old_id is not null`,
  );
}

const refreshScorecardDeployments = async (trx: Knex.Transaction) => {
  await trx.raw(`analyze ${SCORECARD_DEPLOYMENTS}`);
  await refreshScorecardSummary(trx, `select deployment_id from ${SCORECARD_DEPLOYMENTS}`);
};

async function upsert(trx: Knex.Transaction, kind: ImportKind, actor: string): Promise<ImportCounts> {
  const u = UPSERTS[kind];
  const on = u.key.map((k) => `t.${k} = src.${k}`).join(' and ');
  const tCmp = `(${u.cmp.map((c) => `t.${c}`).join(', ')})`;
  const sCmp = `(${u.cmp.map((c) => `src.${c}`).join(', ')})`;
  const jsonOf = (alias: string) => `jsonb_build_object(${u.cmp.map((c) => `'${c}', ${alias}.${c}`).join(', ')})`;

  const counts = await trx.raw(
    `with src as (${u.src})
     select count(*) filter (where t.${u.key[0]} is null) as inserted,
            count(*) filter (where t.${u.key[0]} is not null and ${tCmp} is distinct from ${sCmp}) as updated,
            count(*) as total
     from src left join ${u.table} t on ${on}`,
  );
  const { inserted, updated, total } = counts.rows[0];

  if (Number(updated) > 0) {
    await trx.raw(
      `with src as (${u.src})
       insert into audit_events (actor, action, entity, entity_ref, before, after)
       select ?, 'import.update', '${u.entity}', ${u.entityRef}, ${jsonOf('t')}, ${jsonOf('src')}
       from src join ${u.table} t on ${on} where ${tCmp} is distinct from ${sCmp}`,
      [actor],
    );
  }
  if (Number(inserted) + Number(updated) > 0) {
    const insertCols = [...u.key, ...u.cmp];
    const set = [...u.cmp.map((c) => `${c} = excluded.${c}`), ...(hasUpdatedAt[kind] ? ['updated_at = now()'] : [])];
    const tbl = u.table;
    const write = `insert into ${tbl} (${insertCols.join(', ')}) select ${insertCols.join(', ')} from src
       on conflict (${u.key.join(', ')}) do update set ${set.join(', ')}
       where (${u.cmp.map((c) => `${tbl}.${c}`).join(', ')}) is distinct from (${u.cmp.map((c) => `excluded.${c}`).join(', ')})`;
    if (kind === 'exposures' || kind === 'incidents') await collectScorecardDeployments(trx, kind, u.src, on, tCmp, sCmp);
    if (kind === 'exposures') {
      // the summary keys of the rows about to change: the months of their stored and their new periods
      await createSummaryKeys(trx);
      await trx.raw(`create temporary table ${CHANGED_DEPLOYMENTS} (id int4 primary key) on commit drop`);
      await trx.raw(
        `with src as (${u.src}), changed as (
           select src.deployment_id, src.period_start, src.period_end, t.period_end as old_end
           from src left join ${tbl} t on ${on} where t.deployment_id is null or ${tCmp} is distinct from ${sCmp}
         ), periods as (
           select deployment_id, period_start, period_end from changed
           union all
           select deployment_id, period_start, old_end from changed where old_end is not null
         ), deps as (
           insert into ${CHANGED_DEPLOYMENTS} (id) select distinct deployment_id from changed
         )
         insert into ${SUMMARY_KEYS} (month, scenario_class_id, organization_id)
         select distinct m.month, d.scenario_class_id, d.organization_id
         from periods p join deployments d on d.id = p.deployment_id ${MONTHS_OF('p', 'm')}`,
      );
      await trx.raw(`analyze ${CHANGED_DEPLOYMENTS}`);
      await addQuarterFirstKeys(trx);
      await trx.raw(`with src as (${u.src}) ${write}`);
      await addQuarterFirstKeys(trx);
      await refreshSummary(trx);
      await refreshScorecardDeployments(trx);
    } else if (kind === 'deployments') {
      // months of deployments that change organization or scenario class, under the old and the new keys
      await createSummaryKeys(trx);
      await trx.raw(
        `with src as (${u.src}), moved as (
           select t.id, t.organization_id as old_org, t.scenario_class_id as old_class,
                  src.organization_id as new_org, src.scenario_class_id as new_class
           from src join deployments t on t.ref = src.ref
           where (t.organization_id, t.scenario_class_id) is distinct from (src.organization_id, src.scenario_class_id)
         ), m as (
           select distinct e.deployment_id, mo.month
           from moved join exposures e on e.deployment_id = moved.id ${MONTHS_OF('e', 'mo')} where e.operating_hours > 0
         )
         insert into ${SUMMARY_KEYS} (month, scenario_class_id, organization_id)
         select m.month, moved.old_class, moved.old_org from m join moved on moved.id = m.deployment_id
         union
         select m.month, moved.new_class, moved.new_org from m join moved on moved.id = m.deployment_id`,
      );
      await trx.raw(`with src as (${u.src}) ${write}`);
      await refreshSummary(trx);
    } else {
      await trx.raw(`with src as (${u.src}) ${write}`);
      await refreshScorecardDeployments(trx);
    }
  }
  return { inserted: Number(inserted), updated: Number(updated), unchanged: Number(total) - Number(inserted) - Number(updated) };
}

/**
 * Runs one import in a transaction. `fill` stages the rows and returns the row-level problems
 * it found (a bad row is staged with its bad fields null: the checks skip nulls, so they report
 * that row's other problems too); the reference checks run next. With any problem the transaction rolls back and
 * the problems are returned (sorted by line, at most `maxProblems`, with the total count).
 */
export async function runImport(
  db: Db,
  kind: ImportKind,
  actor: string,
  maxProblems: number,
  fill: (session: ImportSession) => Promise<{ problems: RowProblem[]; problemCount: number }>,
): Promise<{ ok: true; counts: ImportCounts } | { ok: false; problems: RowProblem[]; problemCount: number }> {
  const ROLLBACK = Symbol('rollback');
  let rejected: { problems: RowProblem[]; problemCount: number } | undefined;
  try {
    // a big file's upsert may run for minutes, and the transaction waits on the upload between batches
    const counts = await longTransaction(db, async (trx) => {
      await trx.raw(`set local time zone 'UTC'`);
      await createStage(trx, kind);
      const own = await fill({ stage: (b) => stageBatch(trx, kind, b) });
      const problems = [...own.problems];
      let problemCount = own.problemCount;
      for (const check of CHECKS[kind]) {
        const r = await trx.raw(`select line, message, count(*) over () as total from (${check.sql}) x order by line limit ?`, [maxProblems]);
        problemCount += r.rows.length ? Number(r.rows[0].total) : 0;
        for (const row of r.rows) problems.push({ line: row.line, field: check.field, message: row.message });
      }
      if (problemCount > 0) {
        problems.sort((a, b) => a.line - b.line);
        rejected = { problems: problems.slice(0, maxProblems), problemCount };
        throw ROLLBACK;
      }
      return upsert(trx, kind, actor);
    });
    return { ok: true, counts };
  } catch (e) {
    if (e === ROLLBACK && rejected) return { ok: false, ...rejected };
    throw e;
  }
}
