/**
 * Per-cell totals of the validation scorecard (docs/actuarial-method.md §10), aggregated in SQL
 * from `scorecard_deployment_summary` (db/repositories/scorecard-summary.ts: per deployment ×
 * software version, the exposure sums and the incidents, kept exact by the imports) — about one
 * row per deployment and version instead of every exposure row and incident —, joined to the
 * deployments and summed per cell and organization, and finally per cell with the number of
 * operating organizations and the largest one's share of hours (for disclosure control).
 *
 * By software version, an incident belongs to the version whose periods of its deployment span
 * its date (UTC; from the first period's start to the last one's end, so a gap between two
 * periods of one version belongs to it) — when versions alternate (a rollback), to the narrowest
 * such span; incidents outside every span, and periods without a version, fall in the version
 * `null` cell (with no hours when the deployment has no period without a version), so that the
 * versions of a cell add up to it (disclosure control protects one structure with versions).
 */
import type { Knex } from 'knex';
import { SCORECARD_SUMMARY } from './scorecard-summary.ts';

export type ScorecardLevel = 'scenario_class' | 'scenario_area';

export interface ScorecardQuery {
  level: ScorecardLevel;
  bySoftwareVersion: boolean;
  scenarioArea?: string;
  scenarioClass?: string;
  /** Only this organization's deployments (an enterprise's own view). */
  organizationId?: number;
}

export interface ScorecardTotals {
  robot_model: string;
  /** The class code, or the area code at level scenario_area. */
  group: string;
  scenario_area: string;
  software_version: string | null;
  deployments: number;
  organizations: number;
  maxShare: number;
  hours: number;
  taskCycles: number;
  protectiveStops: number;
  nearMisses: number;
  downtimeHours: number;
  downtimeReportedHours: number;
  incidents: number;
  severeIncidents: number;
  injuryIncidents: number;
}

/** One operating organization's hours and incidents in one class-level cell (for disclosure control). */
export interface ScorecardContribution {
  robot_model: string;
  scenario_class: string;
  software_version: string | null;
  organizationId: number;
  hours: number;
  incidents: number;
}

/** Per class-level cell and organization: what the cells are summed from, and the records disclosure control protects. */
export interface ScorecardOrgRow extends ScorecardContribution {
  scenario_area: string;
  deployments: number;
  taskCycles: number;
  protectiveStops: number;
  nearMisses: number;
  downtimeHours: number;
  downtimeReportedHours: number;
  severeIncidents: number;
  injuryIncidents: number;
}

/** One SQL pass: per robot model × scenario class [× version] × operating organization. */
export async function scorecardOrgRows(q: Knex, s: Omit<ScorecardQuery, 'level'>): Promise<ScorecardOrgRow[]> {
  const { sql, bindings } = scorecardSql({ ...s, level: 'scenario_class' });
  return orgRowsOf((await q.raw(`${sql} select * from eo`, bindings)).rows);
}

const orgRowsOf = (rows: Record<string, unknown>[]): ScorecardOrgRow[] =>
  rows.map((r) => ({
    robot_model: String(r.robot_model), scenario_class: String(r.grp), scenario_area: String(r.scenario_area),
    software_version: r.sv === null ? null : String(r.sv), organizationId: Number(r.organization_id),
    deployments: Number(r.deps), hours: Number(r.h), taskCycles: Number(r.cyc), protectiveStops: Number(r.ps), nearMisses: Number(r.nm),
    downtimeHours: Number(r.dt), downtimeReportedHours: Number(r.dth), incidents: Number(r.n), severeIncidents: Number(r.sev), injuryIncidents: Number(r.inj),
  }));

/**
 * Cell totals from the per-organization rows, at class or area level: an organization counts
 * once per cell (its hours in the classes of an area summed before the largest share is taken).
 */
export function totalsFromOrgRows(rows: readonly ScorecardOrgRow[], level: ScorecardLevel): ScorecardTotals[] {
  const cells = new Map<string, { t: ScorecardTotals; orgHours: Map<number, number> }>();
  for (const r of rows) {
    const group = level === 'scenario_class' ? r.scenario_class : r.scenario_area;
    const k = `${r.robot_model}\u0000${group}\u0000${r.software_version ?? ''}`;
    let c = cells.get(k);
    if (!c) {
      c = { orgHours: new Map(), t: {
        robot_model: r.robot_model, group, scenario_area: r.scenario_area, software_version: r.software_version, deployments: 0, organizations: 0,
        maxShare: 0, hours: 0, taskCycles: 0, protectiveStops: 0, nearMisses: 0, downtimeHours: 0, downtimeReportedHours: 0, incidents: 0,
        severeIncidents: 0, injuryIncidents: 0,
      } };
      cells.set(k, c);
    }
    const t = c.t;
    t.deployments += r.deployments; t.hours += r.hours; t.taskCycles += r.taskCycles; t.protectiveStops += r.protectiveStops;
    t.nearMisses += r.nearMisses; t.downtimeHours += r.downtimeHours; t.downtimeReportedHours += r.downtimeReportedHours;
    t.incidents += r.incidents; t.severeIncidents += r.severeIncidents; t.injuryIncidents += r.injuryIncidents;
    c.orgHours.set(r.organizationId, (c.orgHours.get(r.organizationId) ?? 0) + r.hours);
  }
  const out = [...cells.values()].map(({ t, orgHours }) => ({
    ...t, organizations: orgHours.size, maxShare: t.hours > 0 ? Math.max(...orgHours.values()) / t.hours : 0,
  }));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.group, b.group) || cmp(a.robot_model, b.robot_model) || cmp(a.software_version ?? '', b.software_version ?? ''));
}

export async function scorecardTotals(q: Knex, s: ScorecardQuery): Promise<ScorecardTotals[]> {
  return totalsFromOrgRows(await scorecardOrgRows(q, s), s.level);
}

/** Per-cell-and-organization rows computed from the raw rows, not the summary (reference for tests and the bench; module doc). */
export async function scorecardOrgRowsFromRawRows(q: Knex, s: Omit<ScorecardQuery, 'level'>): Promise<ScorecardOrgRow[]> {
  const { sql, bindings } = rawScorecardSql({ ...s, level: 'scenario_class' });
  return orgRowsOf((await q.raw(`${sql} select * from eo`, bindings)).rows);
}

/** The CTEs down to `eo` (per cell and organization), and their bindings: from `scorecard_deployment_summary`. */
function scorecardSql(s: ScorecardQuery): { sql: string; bindings: Knex.RawBinding[] } {
  const v = s.bySoftwareVersion;
  const b: Knex.RawBinding[] = [];
  // deployment filters, applied before aggregating (the deployments table is small)
  const dw: string[] = [];
  if (s.scenarioArea) { dw.push('c.area = ?'); b.push(s.scenarioArea); }
  if (s.scenarioClass) { dw.push('c.code = ?'); b.push(s.scenarioClass); }
  if (s.organizationId !== undefined) { dw.push('d.organization_id = ?'); b.push(s.organizationId); }
  const depFilter = dw.length ? `where ${dw.join(' and ')}` : '';
  // by version: the summary rows of deployments with exposure (an incident outside every version's span
  // counts in the version-null cell, with no hours when the deployment has no unversioned period: so the
  // versions of a cell add up to the cell); else per deployment with exposure, all its incidents
  const ed = v
    ? `select s.deployment_id, s.software_version as sv, s.operating_hours as h, s.task_cycles as cyc, s.protective_stops as ps,
        s.near_misses as nm, s.downtime_hours as dt, s.downtime_reported_hours as dth, s.incidents as n, s.severe_incidents as sev,
        s.injury_incidents as inj
      from ${SCORECARD_SUMMARY} s join dd on dd.id = s.deployment_id
      where s.exposure_rows > 0 or exists (select 1 from ${SCORECARD_SUMMARY} x where x.deployment_id = s.deployment_id and x.exposure_rows > 0)`
    : `select s.deployment_id, null::text as sv, sum(s.operating_hours) as h, sum(s.task_cycles) as cyc, sum(s.protective_stops) as ps,
        sum(s.near_misses) as nm, sum(s.downtime_hours) as dt, sum(s.downtime_reported_hours) as dth, sum(s.incidents) as n,
        sum(s.severe_incidents) as sev, sum(s.injury_incidents) as inj
      from ${SCORECARD_SUMMARY} s join dd on dd.id = s.deployment_id
      group by s.deployment_id having sum(s.exposure_rows) > 0`;
  const sql = `
    with dd as (
      select d.id, d.organization_id, r.code as robot_model, c.code as scenario_class, c.area as scenario_area
      from deployments d join robot_models r on r.id = d.robot_model_id join scenario_classes c on c.id = d.scenario_class_id
      ${depFilter}
    ),
    ed as (${ed}),
    eo as (
      select dd.robot_model, dd.${s.level} as grp, min(dd.scenario_area) as scenario_area, ed.sv, dd.organization_id,
        count(*) as deps, sum(ed.h) as h, sum(ed.cyc) as cyc, sum(ed.ps) as ps, sum(ed.nm) as nm, sum(ed.dt) as dt, sum(ed.dth) as dth,
        sum(ed.n) as n, sum(ed.sev) as sev, sum(ed.inj) as inj
      from ed join dd on dd.id = ed.deployment_id
      group by 1, 2, 4, 5
    )`;
  return { sql, bindings: b };
}

/**
 * The same CTEs computed from the raw exposure rows and incidents, without the summary (the
 * computation the summary replaced): the reference the tests and the bench compare it with.
 */
function rawScorecardSql(s: ScorecardQuery): { sql: string; bindings: Knex.RawBinding[] } {
  const v = s.bySoftwareVersion;
  const b: Knex.RawBinding[] = [];
  // deployment filters, applied before aggregating (the deployments table is small)
  const dw: string[] = [];
  if (s.scenarioArea) { dw.push('c.area = ?'); b.push(s.scenarioArea); }
  if (s.scenarioClass) { dw.push('c.code = ?'); b.push(s.scenarioClass); }
  if (s.organizationId !== undefined) { dw.push('d.organization_id = ?'); b.push(s.organizationId); }
  const depFilter = dw.length ? `where ${dw.join(' and ')}` : '';
  const filtered = dw.length > 0;
  const sql = `
    with dd as (
      select d.id, d.organization_id, r.code as robot_model, c.code as scenario_class, c.area as scenario_area
      from deployments d join robot_models r on r.id = d.robot_model_id join scenario_classes c on c.id = d.scenario_class_id
      ${depFilter}
    ),
    ed as (
      select e.deployment_id, ${v ? 'e.software_version' : 'null::text'} as sv, sum(e.operating_hours) as h, sum(e.task_cycles) as cyc,
        sum(e.protective_stops) as ps, sum(e.near_misses) as nm, coalesce(sum(e.downtime_hours), 0) as dt,
        coalesce(sum(e.operating_hours) filter (where e.downtime_hours is not null), 0) as dth
        ${v ? ', min(e.period_start) as first_day, max(e.period_end) as last_day' : ''}
      from exposures e ${filtered ? 'where e.deployment_id in (select id from dd)' : ''}
      group by 1, 2
    ),
    iv as (
      ${v
    ? `select distinct on (i.id) i.deployment_id, r.sv, i.severity_level, i.bodily_injury_count
      from incidents i left join ed r on r.deployment_id = i.deployment_id
        and (i.occurred_at at time zone 'UTC')::date between r.first_day and r.last_day
      ${filtered ? 'where i.deployment_id in (select id from dd)' : ''}
      order by i.id, r.last_day - r.first_day, r.sv`
    : `select i.deployment_id, null::text as sv, i.severity_level, i.bodily_injury_count
      from incidents i ${filtered ? 'where i.deployment_id in (select id from dd)' : ''}`}
    ),
    idd as (
      select deployment_id, sv, count(*) as n, count(*) filter (where severity_level >= 3) as sev,
        count(*) filter (where bodily_injury_count > 0) as inj
      from iv
      group by 1, 2
    ),
    eo as (
      select dd.robot_model, dd.${s.level} as grp, min(dd.scenario_area) as scenario_area, ${v ? 'ed.sv' : 'null::text'} as sv, dd.organization_id,
        count(*) as deps, sum(ed.h) as h, sum(ed.cyc) as cyc, sum(ed.ps) as ps, sum(ed.nm) as nm, sum(ed.dt) as dt, sum(ed.dth) as dth,
        coalesce(sum(idd.n), 0) as n, coalesce(sum(idd.sev), 0) as sev, coalesce(sum(idd.inj), 0) as inj
      from (
        select * from ed
        union all -- incidents outside every span of a deployment with exposure but no unversioned period
        select idd.deployment_id, idd.sv, 0, 0, 0, 0, 0, 0${v ? ', null::date, null::date' : ''} from idd
        where exists (select 1 from ed x where x.deployment_id = idd.deployment_id)
          and not exists (select 1 from ed x where x.deployment_id = idd.deployment_id and x.sv is not distinct from idd.sv)
      ) ed join dd on dd.id = ed.deployment_id
      left join idd on idd.deployment_id = ed.deployment_id and idd.sv is not distinct from ed.sv
      group by 1, 2, 4, 5
    )`;
  return { sql, bindings: b };
}
