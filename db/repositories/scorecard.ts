/**
 * Per-cell totals of the validation scorecard (docs/actuarial-method.md §10), aggregated in SQL:
 * exposures are summed per deployment (and software version) first — one pass over the
 * exposure rows, no join —, incidents likewise, then joined to the few deployments and summed
 * per cell and organization, and finally per cell with the number of operating organizations
 * and the largest one's share of hours (for disclosure control).
 *
 * By software version, an incident belongs to the version whose periods of its deployment span
 * its date (UTC; from the first period's start to the last one's end, so a gap between two
 * periods of one version belongs to it) — when versions alternate (a rollback), to the narrowest
 * such span; incidents outside every span, and periods without a version, fall in the version
 * `null` cell. (The spans come with the per-deployment sums: no per-incident probe, no window
 * over the exposure rows.)
 */
import type { Knex } from 'knex';

export type ScorecardLevel = 'scenario_class' | 'scenario_area';

export interface ScorecardQuery {
  level: ScorecardLevel;
  bySoftwareVersion: boolean;
  scenarioArea?: string;
  scenarioClass?: string;
  robotModel?: string;
  softwareVersion?: string;
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
  const res = await q.raw(`${sql} select * from eo`, bindings);
  return (res.rows as Record<string, unknown>[]).map((r) => ({
    robot_model: String(r.robot_model), scenario_class: String(r.grp), scenario_area: String(r.scenario_area),
    software_version: r.sv === null ? null : String(r.sv), organizationId: Number(r.organization_id),
    deployments: Number(r.deps), hours: Number(r.h), taskCycles: Number(r.cyc), protectiveStops: Number(r.ps), nearMisses: Number(r.nm),
    downtimeHours: Number(r.dt), downtimeReportedHours: Number(r.dth), incidents: Number(r.n), severeIncidents: Number(r.sev), injuryIncidents: Number(r.inj),
  }));
}

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

/** The CTEs down to `eo` (per cell and organization), and their bindings. */
function scorecardSql(s: ScorecardQuery): { sql: string; bindings: Knex.RawBinding[] } {
  const v = s.bySoftwareVersion;
  const b: Knex.RawBinding[] = [];
  // deployment filters, applied before aggregating (the deployments table is small)
  const dw: string[] = [];
  if (s.scenarioArea) { dw.push('c.area = ?'); b.push(s.scenarioArea); }
  if (s.scenarioClass) { dw.push('c.code = ?'); b.push(s.scenarioClass); }
  if (s.robotModel) { dw.push('r.code = ?'); b.push(s.robotModel); }
  if (s.organizationId !== undefined) { dw.push('d.organization_id = ?'); b.push(s.organizationId); }
  const depFilter = dw.length ? `where ${dw.join(' and ')}` : '';
  const filtered = dw.length > 0;
  const versionFilter = s.softwareVersion !== undefined;
  const eb: Knex.RawBinding[] = [];
  const ib: Knex.RawBinding[] = [];
  if (s.softwareVersion !== undefined) { eb.push(s.softwareVersion); ib.push(s.softwareVersion); }
  const sv = v || versionFilter;
  const sql = `
    with dd as (
      select d.id, d.organization_id, r.code as robot_model, c.code as scenario_class, c.area as scenario_area
      from deployments d join robot_models r on r.id = d.robot_model_id join scenario_classes c on c.id = d.scenario_class_id
      ${depFilter}
    ),
    ed as (
      select e.deployment_id, ${sv ? 'e.software_version' : 'null::text'} as sv, sum(e.operating_hours) as h, sum(e.task_cycles) as cyc,
        sum(e.protective_stops) as ps, sum(e.near_misses) as nm, coalesce(sum(e.downtime_hours), 0) as dt,
        coalesce(sum(e.operating_hours) filter (where e.downtime_hours is not null), 0) as dth
        ${sv ? ', min(e.period_start) as first_day, max(e.period_end) as last_day' : ''}
      from exposures e ${filtered ? 'where e.deployment_id in (select id from dd)' : ''}
      ${versionFilter ? `${filtered ? 'and' : 'where'} e.software_version is not distinct from ?` : ''}
      group by 1, 2
    ),
    iv as (
      ${sv
    ? `select distinct on (i.id) i.deployment_id, r.sv, i.severity_level, i.bodily_injury_count
      from incidents i left join ed r on r.deployment_id = i.deployment_id
        and (i.occurred_at at time zone 'UTC')::date between r.first_day and r.last_day
      ${filtered ? 'where i.deployment_id in (select id from dd)' : ''}
      order by i.id, r.last_day - r.first_day`
    : `select i.deployment_id, null::text as sv, i.severity_level, i.bodily_injury_count
      from incidents i ${filtered ? 'where i.deployment_id in (select id from dd)' : ''}`}
    ),
    idd as (
      select deployment_id, sv, count(*) as n, count(*) filter (where severity_level >= 3) as sev,
        count(*) filter (where bodily_injury_count > 0) as inj
      from iv ${versionFilter ? 'where sv is not distinct from ?' : ''}
      group by 1, 2
    ),
    eo as (
      select dd.robot_model, dd.${s.level} as grp, min(dd.scenario_area) as scenario_area, ${v ? 'ed.sv' : 'null::text'} as sv, dd.organization_id,
        count(*) as deps, sum(ed.h) as h, sum(ed.cyc) as cyc, sum(ed.ps) as ps, sum(ed.nm) as nm, sum(ed.dt) as dt, sum(ed.dth) as dth,
        coalesce(sum(idd.n), 0) as n, coalesce(sum(idd.sev), 0) as sev, coalesce(sum(idd.inj), 0) as inj
      from ed join dd on dd.id = ed.deployment_id
      left join idd on idd.deployment_id = ed.deployment_id and idd.sv is not distinct from ed.sv
      group by 1, 2, 4, 5
    )`;
  return { sql, bindings: [...b, ...eb, ...ib] };
}
