import type { Knex } from 'knex';
import type { CoverageCode, Environment, FormFactor, HumanProximity, LossLine, ScenarioAreaCode } from '../../domain/index.ts';

export interface ScenarioClassRow {
  code: string;
  area: ScenarioAreaCode;
  name: string;
  human_proximity: HumanProximity;
  environment: Environment;
  vulnerable_people: boolean;
  description: string | null;
}
export interface RobotModelRow {
  code: string;
  manufacturer: string;
  name: string;
  form_factor: FormFactor;
  mass_kg: number;
  payload_kg: number;
  max_speed_mps: number;
  replacement_value: number;
  certifications: Record<string, boolean>;
  illustrative: boolean;
}
export interface CoverageRow {
  code: CoverageCode;
  name: string;
  description: string;
  loss_lines: LossLine[];
}
export interface ScenarioAreaRow { code: ScenarioAreaCode; name: string }

const CLASS_COLS = ['code', 'area', 'name', 'human_proximity', 'environment', 'vulnerable_people', 'description'];
const ROBOT_COLS = ['code', 'manufacturer', 'name', 'form_factor', 'mass_kg', 'payload_kg', 'max_speed_mps',
  'replacement_value', 'certifications', 'illustrative'];

export const listScenarioAreas = (q: Knex): Promise<ScenarioAreaRow[]> => q('scenario_areas').select('code', 'name').orderBy('code');

export async function upsertScenarioAreas(q: Knex | Knex.Transaction, rows: ScenarioAreaRow[]) {
  if (rows.length) await q('scenario_areas').insert(rows).onConflict('code').merge();
}

export async function listScenarioClasses(q: Knex, filter: { area?: string } = {}): Promise<ScenarioClassRow[]> {
  return q('scenario_classes').select(CLASS_COLS)
    .modify((b) => { if (filter.area) b.where('area', filter.area); })
    .orderBy('code');
}

export async function getScenarioClass(q: Knex | Knex.Transaction, code: string): Promise<ScenarioClassRow | undefined> {
  return q('scenario_classes').select(CLASS_COLS).where({ code }).first();
}

/** Inserts; returns false when the code exists already. */
export async function insertScenarioClass(q: Knex | Knex.Transaction, row: ScenarioClassRow): Promise<boolean> {
  const r = await q('scenario_classes').insert(row).onConflict('code').ignore().returning('id');
  return r.length > 0;
}

export async function upsertScenarioClasses(q: Knex | Knex.Transaction, rows: ScenarioClassRow[]) {
  if (rows.length) await q('scenario_classes').insert(rows).onConflict('code').merge();
}

const robotOut = (r: RobotModelRow) => r;

export async function listRobotModels(q: Knex, filter: { form_factor?: string } = {}): Promise<RobotModelRow[]> {
  const rows = await q('robot_models').select(ROBOT_COLS)
    .modify((b) => { if (filter.form_factor) b.where('form_factor', filter.form_factor); })
    .orderBy('code');
  return rows.map(robotOut);
}

export async function getRobotModel(q: Knex | Knex.Transaction, code: string): Promise<RobotModelRow | undefined> {
  return q('robot_models').select(ROBOT_COLS).where({ code }).first();
}

const robotIn = (r: RobotModelRow) => ({ ...r, certifications: JSON.stringify(r.certifications) });

export async function insertRobotModel(q: Knex | Knex.Transaction, row: RobotModelRow): Promise<boolean> {
  const r = await q('robot_models').insert(robotIn(row)).onConflict('code').ignore().returning('id');
  return r.length > 0;
}

export async function upsertRobotModels(q: Knex | Knex.Transaction, rows: RobotModelRow[]) {
  if (rows.length) await q('robot_models').insert(rows.map(robotIn)).onConflict('code').merge();
}

export async function listCoverages(q: Knex): Promise<CoverageRow[]> {
  return q('coverages').select('code', 'name', 'description', 'loss_lines').orderBy('code');
}

export async function upsertCoverages(q: Knex | Knex.Transaction, rows: CoverageRow[]) {
  if (rows.length) {
    await q('coverages').insert(rows.map((r) => ({ ...r, loss_lines: JSON.stringify(r.loss_lines) })))
      .onConflict('code').merge();
  }
}
