import type { Knex } from 'knex';
import type { AutonomyLevel, IncidentStatus, IncidentType, ScenarioAreaCode } from '../../domain/index.ts';

/** Restricts reads to one organization (enterprise keys); null = all. */
export interface Scope { organizationId: number | null }

export interface DeploymentFilter {
  organization_ref?: string;
  scenario_area?: string;
  scenario_class?: string;
  robot_model?: string;
  autonomy_level?: string;
  province?: string;
  afterId?: number;
  limit: number;
}

export interface DeploymentRow {
  id: number;
  deployment_ref: string;
  organization_ref: string;
  province: string | null;
  scenario_class: string;
  scenario_area: ScenarioAreaCode;
  robot_model: string;
  units: number;
  autonomy_level: AutonomyLevel;
  /** YYYY-MM-DD */
  start_date: string;
  end_date: string | null;
  /** The robots it names by serial number (migration 20261204100100); null when not reported. */
  serial_numbers: string[] | null;
}

export interface ExposureRow {
  id: number;
  deployment_ref: string;
  period_start: string;
  period_end: string;
  operating_hours: number;
  task_cycles: number;
  protective_stops: number;
  near_misses: number;
}

export interface IncidentRow {
  id: number;
  incident_ref: string;
  deployment_ref: string;
  organization_ref: string;
  scenario_class: string;
  scenario_area: ScenarioAreaCode;
  occurred_at: Date;
  reported_at: Date | null;
  incident_type: IncidentType;
  severity_level: number;
  bodily_injury_count: number;
  robot_damage: number;
  third_party_property_damage: number;
  bodily_injury_cost: number;
  downtime_hours: number;
  business_interruption_cost: number;
  status: IncidentStatus;
  paid: number;
  case_reserve: number;
  currency: string;
  /** The robot involved, by serial number; null when not reported. */
  serial_number: string | null;
}

const deploymentSelect = (q: Knex) =>
  q('deployments as d')
    .join('organizations as o', 'o.id', 'd.organization_id')
    .join('scenario_classes as c', 'c.id', 'd.scenario_class_id')
    .join('robot_models as r', 'r.id', 'd.robot_model_id')
    .select(
      'd.id', 'd.ref as deployment_ref', 'o.ref as organization_ref', 'd.province', 'c.code as scenario_class',
      'c.area as scenario_area', 'r.code as robot_model', 'd.units', 'd.autonomy_level', 'd.start_date', 'd.end_date', 'd.serial_numbers',
    );

export async function listDeployments(q: Knex, scope: Scope, f: DeploymentFilter): Promise<DeploymentRow[]> {
  return deploymentSelect(q)
    .modify((b) => {
      if (scope.organizationId != null) b.where('d.organization_id', scope.organizationId);
      if (f.organization_ref) b.where('o.ref', f.organization_ref);
      if (f.scenario_area) b.where('c.area', f.scenario_area);
      if (f.scenario_class) b.where('c.code', f.scenario_class);
      if (f.robot_model) b.where('r.code', f.robot_model);
      if (f.autonomy_level) b.where('d.autonomy_level', f.autonomy_level);
      if (f.province) b.where('d.province', f.province);
      if (f.afterId) b.where('d.id', '>', f.afterId);
    })
    .orderBy('d.id')
    .limit(f.limit);
}

export async function getDeployment(q: Knex, scope: Scope, ref: string): Promise<DeploymentRow | undefined> {
  return deploymentSelect(q)
    .where('d.ref', ref)
    .modify((b) => { if (scope.organizationId != null) b.where('d.organization_id', scope.organizationId); })
    .first();
}

export async function listExposures(q: Knex, deploymentId: number, f: { afterId?: number; limit: number }): Promise<ExposureRow[]> {
  return q('exposures as e')
    .join('deployments as d', 'd.id', 'e.deployment_id')
    .select('e.id', 'd.ref as deployment_ref', 'e.period_start', 'e.period_end', 'e.operating_hours', 'e.task_cycles',
      'e.protective_stops', 'e.near_misses')
    .where('e.deployment_id', deploymentId)
    .modify((b) => { if (f.afterId) b.where('e.id', '>', f.afterId); })
    .orderBy('e.id')
    .limit(f.limit);
}

export interface IncidentFilter {
  deployment_ref?: string;
  organization_ref?: string;
  scenario_area?: string;
  scenario_class?: string;
  incident_type?: string;
  severity_level?: number;
  min_severity?: number;
  status?: string;
  occurred_from?: string;
  occurred_to?: string;
  afterId?: number;
  limit: number;
}

export const INCIDENT_MONEY_COLUMNS = [
  'robot_damage', 'third_party_property_damage', 'bodily_injury_cost', 'business_interruption_cost', 'paid', 'case_reserve',
] as const;

const incidentSelect = (q: Knex) =>
  q('incidents as i')
    .join('deployments as d', 'd.id', 'i.deployment_id')
    .join('organizations as o', 'o.id', 'd.organization_id')
    .join('scenario_classes as c', 'c.id', 'd.scenario_class_id')
    .select(
      'i.id', 'i.ref as incident_ref', 'd.ref as deployment_ref', 'o.ref as organization_ref', 'c.code as scenario_class',
      'c.area as scenario_area', 'i.occurred_at', 'i.reported_at', 'i.incident_type', 'i.severity_level',
      'i.bodily_injury_count', 'i.robot_damage', 'i.third_party_property_damage', 'i.bodily_injury_cost',
      'i.downtime_hours', 'i.business_interruption_cost', 'i.status', 'i.paid', 'i.case_reserve', 'i.currency', 'i.serial_number',
    );

export async function listIncidents(q: Knex, scope: Scope, f: IncidentFilter): Promise<IncidentRow[]> {
  return incidentSelect(q)
    .modify((b) => {
      if (scope.organizationId != null) b.where('d.organization_id', scope.organizationId);
      if (f.deployment_ref) b.where('d.ref', f.deployment_ref);
      if (f.organization_ref) b.where('o.ref', f.organization_ref);
      if (f.scenario_area) b.where('c.area', f.scenario_area);
      if (f.scenario_class) b.where('c.code', f.scenario_class);
      if (f.incident_type) b.where('i.incident_type', f.incident_type);
      if (f.severity_level != null) b.where('i.severity_level', f.severity_level);
      if (f.min_severity != null) b.where('i.severity_level', '>=', f.min_severity);
      if (f.status) b.where('i.status', f.status);
      if (f.occurred_from) b.where('i.occurred_at', '>=', f.occurred_from);
      if (f.occurred_to) b.where('i.occurred_at', '<', f.occurred_to);
      if (f.afterId) b.where('i.id', '>', f.afterId);
    })
    .orderBy('i.id')
    .limit(f.limit);
}

export async function getIncident(q: Knex, scope: Scope, ref: string): Promise<IncidentRow | undefined> {
  return incidentSelect(q)
    .where('i.ref', ref)
    .modify((b) => { if (scope.organizationId != null) b.where('d.organization_id', scope.organizationId); })
    .first();
}

export async function historyCounts(q: Knex) {
  const [d, e, i] = await Promise.all([
    q('deployments').count<{ n: number }[]>('* as n'),
    q('exposures').count<{ n: number }[]>('* as n'),
    q('incidents').count<{ n: number }[]>('* as n'),
  ]);
  return { deployments: Number(d[0].n), exposures: Number(e[0].n), incidents: Number(i[0].n) };
}
