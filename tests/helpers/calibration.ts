/**
 * Calibration of the demo history to the market (seeds/README.md "Calibration"): representative
 * fleets priced by the demo rating plan on a fresh demo database, as gross premium per
 * robot-year and as a share of the robots' replacement value. Used by
 * tests/api/calibration.test.ts (bands) and by `npx tsx tests/helpers/calibration-table.ts`
 * (the README table).
 */
import { nextPolicyYear } from '../../domain/calendar.ts';
import request from 'supertest';
import { robotModel } from '../../seeds/catalog.ts';
import { bearer } from './context.ts';

export interface CalibrationFleet {
  /** Short label for the table. */
  name: string;
  robot_model: string;
  scenario_class: string;
  units: number;
  autonomy_level: 'teleoperated' | 'supervised' | 'autonomous';
  operating_hours_per_unit: number;
  safety: { teleoperation_fallback?: boolean; force_speed_limiting?: boolean; safety_officer_on_site?: boolean; operator_training_hours?: number };
  /** Own-damage limit; default the robot's replacement value. */
  robot_damage_limit?: number;
}

/** Own damage deductible 5,000 (limit: the robot's value unless stated); TPL 2,000 / 2M per occurrence / 5M aggregate; BI 5,000 / 500k. */
export const CALIBRATION_COVERAGES = {
  robot_damage: { deductible: 5_000 },
  third_party_liability: { deductible: 2_000, per_occurrence_limit: 2_000_000, aggregate_limit: 5_000_000 },
  business_interruption: { deductible: 5_000, per_occurrence_limit: 500_000 },
} as const;

/** The README example (README.md "Price a fleet"): the fleet the calibration test holds in a band. */
export const README_EXAMPLE: CalibrationFleet = {
  name: 'assembly (README example)', robot_model: 'LMD-B300', scenario_class: 'manufacturing.assembly', units: 10,
  autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: { safety_officer_on_site: true }, robot_damage_limit: 300_000,
};

export const CALIBRATION_FLEETS: CalibrationFleet[] = [
  README_EXAMPLE,
  { name: 'quality inspection', robot_model: 'LMD-W500', scenario_class: 'manufacturing.quality_inspection', units: 6, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: {} },
  { name: 'machine tending', robot_model: 'PES-B700', scenario_class: 'manufacturing.machine_tending', units: 8, autonomy_level: 'autonomous', operating_hours_per_unit: 4000, safety: {} },
  { name: 'picking', robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.picking', units: 20, autonomy_level: 'supervised', operating_hours_per_unit: 4000, safety: {} },
  { name: 'palletizing', robot_model: 'PES-M150', scenario_class: 'warehousing_logistics.palletizing', units: 12, autonomy_level: 'autonomous', operating_hours_per_unit: 6000, safety: {} },
  { name: 'internal transport', robot_model: 'LMD-W200', scenario_class: 'warehousing_logistics.transport', units: 20, autonomy_level: 'autonomous', operating_hours_per_unit: 4000, safety: {} },
  { name: 'inspection rounds', robot_model: 'LMD-Q40', scenario_class: 'maintenance.inspection', units: 4, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: {} },
  { name: 'safety patrol', robot_model: 'PES-Q60', scenario_class: 'safety_production.patrol', units: 3, autonomy_level: 'autonomous', operating_hours_per_unit: 4000, safety: {} },
  { name: 'elder care', robot_model: 'PES-W300', scenario_class: 'healthcare_wellness.elder_care', units: 4, autonomy_level: 'supervised', operating_hours_per_unit: 2000, safety: { safety_officer_on_site: true } },
  { name: 'hospital logistics', robot_model: 'PES-W300', scenario_class: 'healthcare_wellness.hospital_logistics', units: 8, autonomy_level: 'autonomous', operating_hours_per_unit: 3000, safety: { safety_officer_on_site: true } },
  { name: 'rescue search', robot_model: 'PES-Q60', scenario_class: 'emergency_rescue.search', units: 2, autonomy_level: 'teleoperated', operating_hours_per_unit: 1200, safety: { teleoperation_fallback: true, operator_training_hours: 40 } },
  { name: 'disaster relief', robot_model: 'PES-Q60', scenario_class: 'emergency_rescue.disaster_relief', units: 2, autonomy_level: 'teleoperated', operating_hours_per_unit: 1200, safety: { teleoperation_fallback: true, operator_training_hours: 40 } },
];

export interface CalibrationRow {
  name: string;
  fleet: CalibrationFleet;
  replacementValue: number;
  decision: string;
  /** Gross premium per robot-year of own damage + TPL, and with BI added. */
  grossPerRobotYear: number;
  shareOfValue: number;
  byCoverage: Record<string, number>;
  biPerRobotYear: number;
  expectedClaims: Record<string, number>;
}

/** An annual quote request for one fleet line (2027 calendar year), with or without BI. */
export function calibrationRequest(f: CalibrationFleet, organizationRef: string, withBi: boolean) {
  const value = robotModel(f.robot_model).replacement_value;
  const { robot_model, scenario_class, units, autonomy_level, operating_hours_per_unit, safety } = f;
  return {
    organization_ref: organizationRef,
    basis: 'annual' as const,
    period: nextPolicyYear(),
    fleet: [{ robot_model, scenario_class, units, autonomy_level, operating_hours_per_unit, safety }],
    coverages: [
      { coverage: 'robot_damage', deductible: CALIBRATION_COVERAGES.robot_damage.deductible, per_occurrence_limit: f.robot_damage_limit ?? value },
      { coverage: 'third_party_liability', ...CALIBRATION_COVERAGES.third_party_liability },
      ...(withBi ? [{ coverage: 'business_interruption', ...CALIBRATION_COVERAGES.business_interruption }] : []),
    ],
  };
}

/**
 * Prices every fleet twice (own damage + TPL; and with BI) through POST /v1/quotes as an
 * underwriter on behalf of `organizationRef` (an organization without history: no experience
 * adjustment), on a one-year term.
 */
export async function priceCalibrationFleets(baseUrl: string, underwriterKey: string, organizationRef: string, fleets = CALIBRATION_FLEETS): Promise<CalibrationRow[]> {
  const rows: CalibrationRow[] = [];
  for (const f of fleets) {
    const quote = async (withBi: boolean) => {
      const r = await request(baseUrl).post('/v1/quotes').set(bearer(underwriterKey)).send(calibrationRequest(f, organizationRef, withBi));
      if (r.status !== 201) throw new Error(`${f.name}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { decision: string; premium: { total: { gross_premium: number }; coverages: Record<string, { gross_premium: number }>; lines: { coverage: string; expected_claims: number }[] } };
    };
    const base = await quote(false);
    const withBi = await quote(true);
    const value = robotModel(f.robot_model).replacement_value;
    const perRobot = (x: number) => x / f.units;
    rows.push({
      name: f.name, fleet: f, replacementValue: value, decision: base.decision,
      grossPerRobotYear: perRobot(base.premium.total.gross_premium),
      shareOfValue: perRobot(base.premium.total.gross_premium) / value,
      byCoverage: Object.fromEntries(Object.entries(base.premium.coverages).map(([c, v]) => [c, perRobot(v.gross_premium)])),
      biPerRobotYear: perRobot(withBi.premium.total.gross_premium - base.premium.total.gross_premium),
      expectedClaims: Object.fromEntries(withBi.premium.lines.map((l) => [l.coverage, l.expected_claims])),
    });
  }
  return rows;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** The seeds/README.md "Calibration" table (markdown). */
export function calibrationTable(rows: CalibrationRow[]): string {
  const lines = [
    '| fleet | robot (value CNY) | units × h/unit/yr | autonomy | own damage /robot-yr | TPL /robot-yr | **OD + TPL /robot-yr** | **% of value** | OD + TPL /1,000 h | + BI /robot-yr |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const f = r.fleet;
    lines.push(`| ${r.name}${r.decision === 'quoted' ? '' : ` (${r.decision})`} | ${f.robot_model} (${fmt(r.replacementValue)}) | ${f.units} × ${fmt(f.operating_hours_per_unit)} | ${f.autonomy_level} | `
      + `${fmt(r.byCoverage.robot_damage)} | ${fmt(r.byCoverage.third_party_liability)} | **${fmt(r.grossPerRobotYear)}** | **${(100 * r.shareOfValue).toFixed(1)} %** | ${fmt((1000 * r.grossPerRobotYear) / f.operating_hours_per_unit)} | ${fmt(r.biPerRobotYear)} |`);
  }
  return lines.join('\n');
}
