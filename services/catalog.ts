import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/catalog.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { appError, notFound } from './errors.ts';
import { actorOf, type Principal } from '../domain/index.ts';

export const listScenarioAreas = (db: Db) => repo.listScenarioAreas(db);
export const listScenarioClasses = (db: Db, f: { area?: string }) => repo.listScenarioClasses(db, f);
export const listRobotModels = (db: Db, f: { form_factor?: string }) => repo.listRobotModels(db, f);
export const listCoverages = (db: Db) => repo.listCoverages(db);

export async function getScenarioClass(db: Db, code: string) {
  const r = await repo.getScenarioClass(db, code);
  if (!r) throw notFound('scenario class', code);
  return r;
}

export async function getRobotModel(db: Db, code: string) {
  const r = await repo.getRobotModel(db, code);
  if (!r) throw notFound('robot model', code);
  return r;
}

export async function createScenarioClass(db: Db, by: Principal, c: repo.ScenarioClassRow) {
  const areas = await repo.listScenarioAreas(db);
  if (!areas.some((a: { code: string }) => a.code === c.area)) {
    throw appError('UNKNOWN_REFERENCE', `scenario area '${c.area}' not found`, { errors: [{ field: 'area', message: 'unknown scenario area' }] });
  }
  if (!c.code.startsWith(`${c.area}.`)) {
    throw appError('VALIDATION_FAILED', `code must be '<area>.<name>'`, { errors: [{ field: 'code', message: `must start with '${c.area}.'` }] });
  }
  return db.transaction(async (trx) => {
    if (!(await repo.insertScenarioClass(trx, c))) throw appError('ALREADY_EXISTS', `scenario class '${c.code}' exists already`);
    await recordAudit(trx, { actor: actorOf(by), action: 'scenario_class.create', entity: 'scenario_class', entity_ref: c.code, after: c });
    return (await repo.getScenarioClass(trx, c.code))!;
  });
}

export async function createRobotModel(db: Db, by: Principal, m: repo.RobotModelRow) {
  return db.transaction(async (trx) => {
    if (!(await repo.insertRobotModel(trx, m))) throw appError('ALREADY_EXISTS', `robot model '${m.code}' exists already`);
    await recordAudit(trx, { actor: actorOf(by), action: 'robot_model.create', entity: 'robot_model', entity_ref: m.code, after: m });
    return (await repo.getRobotModel(trx, m.code))!;
  });
}
