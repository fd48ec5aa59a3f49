/** The reference catalog: scenario risk classes and robot models (docs/architecture.md §4). */
import { z } from 'zod';
import { ENVIRONMENTS, FORM_FACTORS, HUMAN_PROXIMITIES, SCENARIO_AREA_CODES } from '../enums.ts';
import { ref, text } from './common.ts';

export const ScenarioClass = z
  .strictObject({
    code: z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, "'<area>.<name>' in lower snake case").meta({ description: "Class code '<area>.<name>', e.g. manufacturing.assembly" }),
    area: z.enum(SCENARIO_AREA_CODES).meta({ description: 'Scenario area the class belongs to (the prefix of its code)' }),
    name: text.min(1).max(200).meta({ description: 'Display name' }),
    human_proximity: z.enum(HUMAN_PROXIMITIES).meta({ description: 'How close people are to the robot (ISO/TS 15066 ladder)' }),
    environment: z.enum(ENVIRONMENTS).meta({ description: 'Operating environment' }),
    vulnerable_people: z.boolean().meta({ description: 'Whether the class involves vulnerable people (elderly, patients, disaster victims)' }),
    description: text.max(2000).nullable().default(null).meta({ description: 'Free-text description of the scenario' }),
  })
  .meta({
    id: 'ScenarioClass',
    description: 'A scenario risk class: where and how robots work',
    example: {
      code: 'manufacturing.painting', area: 'manufacturing', name: 'Spray painting', human_proximity: 'segregated', environment: 'structured',
      vulnerable_people: false, description: 'Painting cells behind guarding',
    },
  });
export type ScenarioClass = z.infer<typeof ScenarioClass>;

export const RobotModel = z
  .strictObject({
    code: ref.meta({ description: 'Robot model code' }),
    manufacturer: text.min(1).max(200).meta({ description: 'Manufacturer name' }),
    name: text.min(1).max(200).meta({ description: 'Model name' }),
    form_factor: z.enum(FORM_FACTORS).meta({ description: 'Form factor (locomotion and fall class)' }),
    mass_kg: z.number().positive().max(10_000).meta({ description: 'Mass of one robot, kg' }),
    payload_kg: z.number().nonnegative().max(10_000).meta({ description: 'Rated payload, kg' }),
    max_speed_mps: z.number().positive().max(50).meta({ description: 'Maximum speed, m/s' }),
    replacement_value: z.number().positive().max(1e10).meta({ description: 'Replacement value of one robot, CNY' }),
    certifications: z.record(z.string().regex(/^[a-z0-9_]+$/), z.boolean()).default({})
      .meta({ description: 'Safety certification flags by standard (iso_10218, iso_13482, iso_ts_15066, ce_machinery, iec_62443, atex): true when held' }),
    illustrative: z.boolean().default(false).meta({ description: 'True for illustrative catalog entries (not a real product)' }),
  })
  .meta({
    id: 'RobotModel',
    description: 'A robot model of the catalog',
    example: {
      code: 'ACME-H1', manufacturer: 'Acme Robotics', name: 'H1', form_factor: 'biped', mass_kg: 62, payload_kg: 12, max_speed_mps: 1.8,
      replacement_value: 380_000, certifications: { iso_13482: true, ce_machinery: true }, illustrative: true,
    },
  });
export type RobotModel = z.infer<typeof RobotModel>;
