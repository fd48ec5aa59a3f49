import type { Db } from '../db/connection.ts';
import { upsertCoverages, upsertRobotModels, upsertScenarioAreas, upsertScenarioClasses } from '../db/repositories/catalog.ts';
import { COVERAGES, ROBOT_MODELS, SCENARIO_AREAS, SCENARIO_CLASSES } from '../seeds/catalog.ts';

/** Upserts the reference catalog (scenario areas and classes, robot models, coverages). */
export async function loadCatalog(db: Db): Promise<void> {
  await db.transaction(async (trx) => {
    await upsertScenarioAreas(trx, SCENARIO_AREAS.map((a) => ({ code: a.code, name: a.name })));
    await upsertScenarioClasses(trx, SCENARIO_CLASSES.map((c) => ({
      code: c.code, area: c.area, name: c.name, human_proximity: c.human_proximity, environment: c.environment,
      vulnerable_people: c.vulnerable_people, description: c.description,
    })));
    await upsertRobotModels(trx, ROBOT_MODELS.map((m) => ({
      code: m.code, manufacturer: m.manufacturer, name: m.name, form_factor: m.form_factor, mass_kg: m.mass_kg,
      payload_kg: m.payload_kg, max_speed_mps: m.max_speed_mps, replacement_value: m.replacement_value,
      certifications: m.certifications, illustrative: m.illustrative,
    })));
    await upsertCoverages(trx, COVERAGES.map((c) => ({ code: c.code, name: c.name, description: c.description, loss_lines: [...c.loss_lines] })));
  });
}

