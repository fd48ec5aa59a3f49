/**
 * Reference catalog: scenario areas and classes, coverages, illustrative robot models and the
 * demo organizations (docs/architecture.md §4). Pure constant data; the database seeding code loads
 * it.
 *
 * Hazard attributes of the scenario classes are justified from /work/shared/research/domain.md
 * (§2 collaboration modes of ISO/TS 15066 and the ISO 13482 scope; §3 incident data; §4.6 the
 * frequency table per scenario area). Robot models and organizations are FICTIONAL: no real
 * brand, product or company is described.
 */
import type {
  CoverageCode,
  Environment,
  FormFactor,
  HumanProximity,
  LossLine,
  OrganizationKind,
  ScenarioAreaCode,
  ScenarioClassCode,
} from '../domain/enums.ts';

export interface ScenarioArea {
  code: ScenarioAreaCode;
  name: string;
  description: string;
}

export const SCENARIO_AREAS: readonly ScenarioArea[] = [
  { code: 'manufacturing', name: 'Production & manufacturing', description: 'Assembly lines, machine cells and quality stations in factories.' },
  { code: 'maintenance', name: 'Maintenance & inspection', description: 'Inspection rounds, equipment repair and cleaning in plants and utilities.' },
  { code: 'warehousing_logistics', name: 'Warehousing & logistics', description: 'Picking, palletizing and internal transport in warehouses and distribution centres.' },
  { code: 'healthcare_wellness', name: 'Healthcare & wellness', description: 'Elder care, rehabilitation assistance and hospital logistics.' },
  { code: 'safety_production', name: 'Safety production', description: 'Safety patrols and handling of hazardous materials in industrial sites.' },
  { code: 'emergency_rescue', name: 'Emergency rescue', description: 'Search, firefighting support and disaster relief.' },
];

export interface ScenarioClass {
  /** `<area>.<name>` */
  code: ScenarioClassCode;
  area: ScenarioAreaCode;
  name: string;
  human_proximity: HumanProximity;
  environment: Environment;
  vulnerable_people: boolean;
  description: string;
}

/*
 * Proximity follows the ISO/TS 15066 ladder in domain.md §2 (fenced/segregated < shared space
 * with speed & separation monitoring < collaborative power & force limiting < direct care
 * contact < unfenced public). Environment follows domain.md §4.6: factories are flat and
 * structured; maintenance rounds have stairs and outdoor terrain; safety production and
 * firefighting mean hazardous atmospheres; rescue means rubble, smoke and water. Vulnerable
 * people: elderly, patients and disaster victims (ISO 13482 scope, domain.md §2 and the
 * Chengdu elderly-spectator incident in §3.1).
 */
export const SCENARIO_CLASSES: readonly ScenarioClass[] = [
  // Humanoids on assembly lines work next to line workers (PFL collaboration).
  { code: 'manufacturing.assembly', area: 'manufacturing', name: 'Assembly', human_proximity: 'collaborative', environment: 'structured', vulnerable_people: false, description: 'Parts kitting and assembly at line workstations alongside workers.' },
  // Machine tending happens inside guarded cells.
  { code: 'manufacturing.machine_tending', area: 'manufacturing', name: 'Machine tending', human_proximity: 'segregated', environment: 'structured', vulnerable_people: false, description: 'Loading and unloading CNC machines and presses inside guarded cells.' },
  // Welding cells are fenced (arc flash, fumes); the robot feeds and fixes parts.
  { code: 'manufacturing.welding_support', area: 'manufacturing', name: 'Welding support', human_proximity: 'segregated', environment: 'structured', vulnerable_people: false, description: 'Fixturing, feeding and handling parts for welding cells.' },
  { code: 'manufacturing.quality_inspection', area: 'manufacturing', name: 'Quality inspection', human_proximity: 'shared_space', environment: 'structured', vulnerable_people: false, description: 'Visual and gauge inspection at end-of-line stations in shared aisles.' },
  // Inspection rounds: stairs, outdoor utilities (domain.md §4.6 maintenance row).
  { code: 'maintenance.inspection', area: 'maintenance', name: 'Inspection rounds', human_proximity: 'shared_space', environment: 'unstructured', vulnerable_people: false, description: 'Instrument reading and thermal/acoustic inspection rounds in plants, substations and tunnels.' },
  { code: 'maintenance.equipment_repair', area: 'maintenance', name: 'Equipment repair', human_proximity: 'collaborative', environment: 'semi_structured', vulnerable_people: false, description: 'Assisting technicians with part exchange and repair work (tool and part handover).' },
  // Cleaning rounds in stations, malls and office towers run among the public.
  { code: 'maintenance.cleaning', area: 'maintenance', name: 'Facility cleaning', human_proximity: 'public', environment: 'semi_structured', vulnerable_people: false, description: 'Cleaning of public facilities (stations, malls, office towers) and equipment surfaces during opening hours.' },
  // Warehousing: totes and mixed traffic (domain.md §4.6).
  { code: 'warehousing_logistics.picking', area: 'warehousing_logistics', name: 'Picking', human_proximity: 'shared_space', environment: 'semi_structured', vulnerable_people: false, description: 'Each and tote picking in aisles shared with pickers and forklifts.' },
  { code: 'warehousing_logistics.palletizing', area: 'warehousing_logistics', name: 'Palletizing', human_proximity: 'segregated', environment: 'structured', vulnerable_people: false, description: 'Building and breaking pallets in fenced end-of-line zones.' },
  { code: 'warehousing_logistics.transport', area: 'warehousing_logistics', name: 'Internal transport', human_proximity: 'shared_space', environment: 'semi_structured', vulnerable_people: false, description: 'Moving totes and carts between zones through mixed traffic.' },
  // Elder care: direct physical contact with vulnerable people, low speed (domain.md §4.6 healthcare row).
  { code: 'healthcare_wellness.elder_care', area: 'healthcare_wellness', name: 'Elder care', human_proximity: 'care_contact', environment: 'semi_structured', vulnerable_people: true, description: 'Assisting elderly residents (fetching, mobility support, companionship) in care homes.' },
  { code: 'healthcare_wellness.rehabilitation_assist', area: 'healthcare_wellness', name: 'Rehabilitation assistance', human_proximity: 'care_contact', environment: 'structured', vulnerable_people: true, description: 'Guided exercise and gait support for patients in rehabilitation wards.' },
  // Hospital corridors are open to patients and visitors.
  { code: 'healthcare_wellness.hospital_logistics', area: 'healthcare_wellness', name: 'Hospital logistics', human_proximity: 'public', environment: 'semi_structured', vulnerable_people: true, description: 'Delivering medicines, specimens and linen through hospital corridors and lifts.' },
  // Patrols: hazardous areas (domain.md §4.6 safety production row), staff present.
  { code: 'safety_production.patrol', area: 'safety_production', name: 'Safety patrol', human_proximity: 'shared_space', environment: 'hazardous', vulnerable_people: false, description: 'Gas, leak and intrusion patrols in chemical plants, mines and energy sites.' },
  { code: 'safety_production.hazardous_handling', area: 'safety_production', name: 'Hazardous handling', human_proximity: 'segregated', environment: 'hazardous', vulnerable_people: false, description: 'Handling toxic, explosive or radioactive materials in exclusion zones.' },
  // Rescue: rubble, smoke, water; victims are vulnerable members of the public.
  { code: 'emergency_rescue.search', area: 'emergency_rescue', name: 'Search', human_proximity: 'public', environment: 'unstructured', vulnerable_people: true, description: 'Searching collapsed structures and open terrain for victims.' },
  // Firefighting robots work ahead of crews inside the exclusion zone.
  { code: 'emergency_rescue.firefighting_support', area: 'emergency_rescue', name: 'Firefighting support', human_proximity: 'segregated', environment: 'hazardous', vulnerable_people: false, description: 'Hose handling, reconnaissance and cooling ahead of fire crews inside the exclusion zone.' },
  { code: 'emergency_rescue.disaster_relief', area: 'emergency_rescue', name: 'Disaster relief', human_proximity: 'public', environment: 'unstructured', vulnerable_people: true, description: 'Carrying supplies and clearing debris among affected residents after floods and earthquakes.' },
];

export interface Coverage {
  code: CoverageCode;
  name: string;
  description: string;
  /** Incident loss lines whose sum is the coverage's loss (docs/architecture.md §4). */
  loss_lines: readonly LossLine[];
}

export const COVERAGES: readonly Coverage[] = [
  { code: 'robot_damage', name: 'Robot damage (own damage)', description: 'Accidental damage to or total loss of the insured robot, incl. falls, electrical and cyber-caused damage, capped at replacement value.', loss_lines: ['robot_damage'] },
  { code: 'third_party_liability', name: 'Third-party liability', description: 'Legal liability for damage to third-party property and bodily injury to third parties caused by the robot.', loss_lines: ['third_party_property_damage', 'bodily_injury_cost'] },
  { code: 'business_interruption', name: 'Business interruption', description: 'Loss of service (downtime) of the robot after an incident, indemnified per hour of lost service.', loss_lines: ['business_interruption_cost'] },
];

export interface RobotModel {
  code: string;
  manufacturer: string;
  /** Reference of the manufacturer in DEMO_ORGANIZATIONS. */
  manufacturer_ref: string;
  name: string;
  form_factor: FormFactor;
  mass_kg: number;
  payload_kg: number;
  max_speed_mps: number;
  /** Replacement value per unit, CNY. */
  replacement_value: number;
  /** Safety certification flags. */
  certifications: Record<string, boolean>;
  /** IEC 60529 ingress protection, e.g. 'IP54'. */
  ip_rating: string;
  /** Always true: fictional model for demonstration, no real product. */
  illustrative: true;
}

const MAKER_A = 'Lumen Dynamics Robotics Co. (illustrative)';
const MAKER_B = 'Pingshan Embodied Systems Co. (illustrative)';

function certs(c: Partial<Record<'iso_10218' | 'iso_13482' | 'iso_ts_15066' | 'ce_machinery' | 'iec_62443' | 'atex', boolean>>): Record<string, boolean> {
  return {
    iso_10218: c.iso_10218 ?? false,
    iso_13482: c.iso_13482 ?? false,
    iso_ts_15066: c.iso_ts_15066 ?? false,
    ce_machinery: c.ce_machinery ?? false,
    iec_62443: c.iec_62443 ?? false,
    atex: c.atex ?? false,
  };
}

/*
 * Replacement values follow domain.md §4.1: tiers entry (CNY 40–150k), mid (150–450k), full-size
 * industrial (450k–1.5M); median of the book about CNY 250–400k. Masses and speeds follow the
 * humanoid figures in domain.md §2–§3 (≈ 35–90 kg, walking ≈ 1.5 m/s). ISO 10218 applies to
 * industrial manipulators only, ISO 13482 to personal care robots (domain.md §2).
 */
export const ROBOT_MODELS: readonly RobotModel[] = [
  { code: 'LMD-B100', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Stride 100 (entry biped)', form_factor: 'biped', mass_kg: 35, payload_kg: 3, max_speed_mps: 2.0, replacement_value: 120_000, certifications: certs({ ce_machinery: true }), ip_rating: 'IP20', illustrative: true },
  { code: 'LMD-B300', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Stride 300 (mid-size biped)', form_factor: 'biped', mass_kg: 60, payload_kg: 10, max_speed_mps: 1.5, replacement_value: 350_000, certifications: certs({ ce_machinery: true, iso_ts_15066: true }), ip_rating: 'IP54', illustrative: true },
  { code: 'PES-B700', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'Forge 700 (industrial biped)', form_factor: 'biped', mass_kg: 75, payload_kg: 15, max_speed_mps: 1.2, replacement_value: 780_000, certifications: certs({ iso_10218: true, iso_ts_15066: true, ce_machinery: true, iec_62443: true }), ip_rating: 'IP54', illustrative: true },
  { code: 'PES-B900', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'Forge 900 (heavy-duty biped)', form_factor: 'biped', mass_kg: 85, payload_kg: 20, max_speed_mps: 1.5, replacement_value: 1_100_000, certifications: certs({ iso_10218: true, iso_ts_15066: true, ce_machinery: true, iec_62443: true }), ip_rating: 'IP65', illustrative: true },
  { code: 'LMD-W200', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Glide 200 (wheeled humanoid)', form_factor: 'wheeled_humanoid', mass_kg: 70, payload_kg: 8, max_speed_mps: 1.5, replacement_value: 260_000, certifications: certs({ ce_machinery: true, iso_ts_15066: true }), ip_rating: 'IP44', illustrative: true },
  { code: 'LMD-W500', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Glide 500 (dual-arm wheeled humanoid)', form_factor: 'wheeled_humanoid', mass_kg: 90, payload_kg: 15, max_speed_mps: 2.0, replacement_value: 480_000, certifications: certs({ iso_10218: true, iso_ts_15066: true, ce_machinery: true, iec_62443: true }), ip_rating: 'IP54', illustrative: true },
  { code: 'PES-W300', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'CareMate 300 (care humanoid)', form_factor: 'wheeled_humanoid', mass_kg: 65, payload_kg: 5, max_speed_mps: 1.0, replacement_value: 320_000, certifications: certs({ iso_13482: true, iso_ts_15066: true, ce_machinery: true }), ip_rating: 'IP44', illustrative: true },
  { code: 'PES-M150', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'Reach 150 (mobile manipulator)', form_factor: 'mobile_manipulator', mass_kg: 150, payload_kg: 15, max_speed_mps: 1.5, replacement_value: 220_000, certifications: certs({ iso_10218: true, iso_ts_15066: true, ce_machinery: true }), ip_rating: 'IP54', illustrative: true },
  { code: 'LMD-M400', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Haul 400 (heavy mobile manipulator)', form_factor: 'mobile_manipulator', mass_kg: 250, payload_kg: 35, max_speed_mps: 1.2, replacement_value: 450_000, certifications: certs({ iso_10218: true, ce_machinery: true, iec_62443: true }), ip_rating: 'IP54', illustrative: true },
  { code: 'PES-M600', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'Shield 600 (explosion-protected manipulator)', form_factor: 'mobile_manipulator', mass_kg: 300, payload_kg: 50, max_speed_mps: 1.0, replacement_value: 620_000, certifications: certs({ iso_10218: true, ce_machinery: true, atex: true }), ip_rating: 'IP67', illustrative: true },
  { code: 'LMD-Q40', manufacturer: MAKER_A, manufacturer_ref: 'MFR-001', name: 'Scout Q40 (quadruped)', form_factor: 'quadruped', mass_kg: 40, payload_kg: 12, max_speed_mps: 3.0, replacement_value: 150_000, certifications: certs({ ce_machinery: true }), ip_rating: 'IP67', illustrative: true },
  { code: 'PES-Q60', manufacturer: MAKER_B, manufacturer_ref: 'MFR-002', name: 'Ranger Q60 (quadruped with arm, ex-protected)', form_factor: 'quadruped', mass_kg: 60, payload_kg: 20, max_speed_mps: 2.5, replacement_value: 380_000, certifications: certs({ ce_machinery: true, atex: true, iec_62443: true }), ip_rating: 'IP67', illustrative: true },
];

/**
 * Form factors suited to each scenario class (used by the generator to pick a compatible
 * robot model): quadrupeds for rough terrain (inspection, patrol, rescue), wheeled humanoids
 * for flat floors (logistics, care), mobile manipulators for heavy handling.
 */
export const CLASS_FORM_FACTORS: Readonly<Record<ScenarioClassCode, readonly FormFactor[]>> = {
  'manufacturing.assembly': ['biped', 'wheeled_humanoid', 'mobile_manipulator'],
  'manufacturing.machine_tending': ['wheeled_humanoid', 'mobile_manipulator', 'biped'],
  'manufacturing.welding_support': ['mobile_manipulator', 'wheeled_humanoid'],
  'manufacturing.quality_inspection': ['biped', 'wheeled_humanoid', 'mobile_manipulator'],
  'maintenance.inspection': ['quadruped', 'biped'],
  'maintenance.equipment_repair': ['biped', 'mobile_manipulator'],
  'maintenance.cleaning': ['wheeled_humanoid', 'mobile_manipulator'],
  'warehousing_logistics.picking': ['wheeled_humanoid', 'mobile_manipulator', 'biped'],
  'warehousing_logistics.palletizing': ['mobile_manipulator', 'wheeled_humanoid'],
  'warehousing_logistics.transport': ['wheeled_humanoid', 'mobile_manipulator', 'biped'],
  'healthcare_wellness.elder_care': ['wheeled_humanoid'],
  'healthcare_wellness.rehabilitation_assist': ['wheeled_humanoid', 'biped'],
  'healthcare_wellness.hospital_logistics': ['wheeled_humanoid', 'mobile_manipulator'],
  'safety_production.patrol': ['quadruped', 'biped'],
  'safety_production.hazardous_handling': ['mobile_manipulator', 'quadruped'],
  'emergency_rescue.search': ['quadruped', 'biped'],
  'emergency_rescue.firefighting_support': ['quadruped'],
  'emergency_rescue.disaster_relief': ['quadruped', 'biped'],
};

export interface Organization {
  ref: string;
  name: string;
  kind: OrganizationKind;
  /** Province-level division in pinyin, e.g. 'Guangdong'. */
  province: string;
}

/**
 * Demo organizations. ALL FICTIONAL (names invented for the demo; any resemblance to a real
 * company is unintended). Several names are Chinese so that reports exercise CJK rendering.
 */
export const DEMO_ORGANIZATIONS: readonly Organization[] = [
  { ref: 'ENT-001', name: '深圳智造机器人有限公司', kind: 'enterprise', province: 'Guangdong' },
  { ref: 'ENT-002', name: 'Pearl Delta Precision Assembly Co.', kind: 'enterprise', province: 'Guangdong' },
  { ref: 'ENT-003', name: '苏州精工自动化有限公司', kind: 'enterprise', province: 'Jiangsu' },
  { ref: 'ENT-004', name: 'Yangtze Motor Components Ltd.', kind: 'enterprise', province: 'Jiangsu' },
  { ref: 'ENT-005', name: 'Ningbo Harbour Metalworks Co.', kind: 'enterprise', province: 'Zhejiang' },
  { ref: 'ENT-006', name: 'Hefei New Energy Vehicle Works', kind: 'enterprise', province: 'Anhui' },
  { ref: 'ENT-007', name: 'Chongqing Mountain City Electronics', kind: 'enterprise', province: 'Chongqing' },
  { ref: 'ENT-008', name: '天津滨海重工装备有限公司', kind: 'enterprise', province: 'Tianjin' },
  { ref: 'ENT-009', name: 'North Grid Substation Services Co.', kind: 'enterprise', province: 'Hebei' },
  { ref: 'ENT-010', name: 'Jinan Plant Maintenance Group', kind: 'enterprise', province: 'Shandong' },
  { ref: 'ENT-011', name: '西安轨道交通运维有限公司', kind: 'enterprise', province: 'Shaanxi' },
  { ref: 'ENT-012', name: 'Liaoning Heavy Equipment Service Co.', kind: 'enterprise', province: 'Liaoning' },
  { ref: 'ENT-013', name: 'Shanghai Facility Care Solutions', kind: 'enterprise', province: 'Shanghai' },
  { ref: 'ENT-014', name: '武汉仓储物流股份有限公司', kind: 'enterprise', province: 'Hubei' },
  { ref: 'ENT-015', name: 'Hangzhou E-Commerce Fulfilment Co.', kind: 'enterprise', province: 'Zhejiang' },
  { ref: 'ENT-016', name: 'Zhengzhou Central Distribution Hub', kind: 'enterprise', province: 'Henan' },
  { ref: 'ENT-017', name: 'Guangzhou Cold Chain Logistics', kind: 'enterprise', province: 'Guangdong' },
  { ref: 'ENT-018', name: 'Xiamen Port Container Services', kind: 'enterprise', province: 'Fujian' },
  { ref: 'ENT-019', name: 'Chengdu West Logistics Park Co.', kind: 'enterprise', province: 'Sichuan' },
  { ref: 'ENT-020', name: '杭州康养服务集团', kind: 'enterprise', province: 'Zhejiang' },
  { ref: 'ENT-021', name: 'Beijing Silver Age Care Homes', kind: 'enterprise', province: 'Beijing' },
  { ref: 'ENT-022', name: 'Changsha Rehabilitation Hospital Services', kind: 'enterprise', province: 'Hunan' },
  { ref: 'ENT-023', name: 'Nanjing Medical Logistics Co.', kind: 'enterprise', province: 'Jiangsu' },
  { ref: 'ENT-024', name: '上海智慧医院后勤服务有限公司', kind: 'enterprise', province: 'Shanghai' },
  { ref: 'ENT-025', name: 'Shandong Petrochemical Safety Services', kind: 'enterprise', province: 'Shandong' },
  { ref: 'ENT-026', name: 'Shanxi Coal Mine Patrol Co.', kind: 'enterprise', province: 'Shanxi' },
  { ref: 'ENT-027', name: '内蒙古能源安全巡检有限公司', kind: 'enterprise', province: 'Inner Mongolia' },
  { ref: 'ENT-028', name: 'Hubei Chemical Park Hazmat Handling', kind: 'enterprise', province: 'Hubei' },
  { ref: 'ENT-029', name: '成都应急救援装备有限公司', kind: 'enterprise', province: 'Sichuan' },
  { ref: 'ENT-030', name: 'Yunnan Mountain Rescue Technology', kind: 'enterprise', province: 'Yunnan' },
  { ref: 'ENT-031', name: 'Guangxi Flood Relief Robotics Centre', kind: 'enterprise', province: 'Guangxi' },
  { ref: 'ENT-032', name: 'Jilin Industrial Fire Response Co.', kind: 'enterprise', province: 'Jilin' },
  { ref: 'ENT-033', name: 'Suzhou Robot-as-a-Service Leasing Co.', kind: 'enterprise', province: 'Jiangsu' },
  { ref: 'ENT-034', name: '广东具身智能租赁服务有限公司', kind: 'enterprise', province: 'Guangdong' },
  { ref: 'INS-001', name: 'Pearl River Property & Casualty Insurance Co. (demo)', kind: 'insurer', province: 'Guangdong' },
  { ref: 'INS-002', name: '东岳财产保险股份有限公司（示例）', kind: 'insurer', province: 'Shanghai' },
  { ref: 'REG-001', name: 'Provincial Bureau of Industry and Information Technology (demo)', kind: 'regulator', province: 'Beijing' },
  { ref: 'MFR-001', name: 'Lumen Dynamics Robotics Co. (illustrative)', kind: 'manufacturer', province: 'Guangdong' },
  { ref: 'MFR-002', name: 'Pingshan Embodied Systems Co. (illustrative)', kind: 'manufacturer', province: 'Zhejiang' },
];

/**
 * Generator-only hint: the scenario areas each demo enterprise mostly operates in (an
 * enterprise gets deployments in its focus areas with higher probability, occasionally
 * elsewhere). Not part of the organization record. RaaS lessors (ENT-033/034) span areas.
 */
export const ORGANIZATION_FOCUS: Readonly<Record<string, readonly ScenarioAreaCode[]>> = {
  'ENT-001': ['manufacturing', 'warehousing_logistics'],
  'ENT-002': ['manufacturing'],
  'ENT-003': ['manufacturing'],
  'ENT-004': ['manufacturing', 'maintenance'],
  'ENT-005': ['manufacturing'],
  'ENT-006': ['manufacturing', 'warehousing_logistics'],
  'ENT-007': ['manufacturing'],
  'ENT-008': ['manufacturing', 'maintenance'],
  'ENT-009': ['maintenance', 'safety_production'],
  'ENT-010': ['maintenance'],
  'ENT-011': ['maintenance'],
  'ENT-012': ['maintenance', 'manufacturing'],
  'ENT-013': ['maintenance', 'healthcare_wellness'],
  'ENT-014': ['warehousing_logistics'],
  'ENT-015': ['warehousing_logistics'],
  'ENT-016': ['warehousing_logistics'],
  'ENT-017': ['warehousing_logistics'],
  'ENT-018': ['warehousing_logistics', 'safety_production'],
  'ENT-019': ['warehousing_logistics'],
  'ENT-020': ['healthcare_wellness'],
  'ENT-021': ['healthcare_wellness'],
  'ENT-022': ['healthcare_wellness'],
  'ENT-023': ['healthcare_wellness', 'warehousing_logistics'],
  'ENT-024': ['healthcare_wellness'],
  'ENT-025': ['safety_production'],
  'ENT-026': ['safety_production', 'emergency_rescue'],
  'ENT-027': ['safety_production', 'maintenance'],
  'ENT-028': ['safety_production'],
  'ENT-029': ['emergency_rescue'],
  'ENT-030': ['emergency_rescue'],
  'ENT-031': ['emergency_rescue'],
  'ENT-032': ['emergency_rescue', 'safety_production'],
  'ENT-033': ['manufacturing', 'warehousing_logistics', 'maintenance', 'healthcare_wellness'],
  'ENT-034': ['manufacturing', 'warehousing_logistics', 'healthcare_wellness', 'safety_production'],
};

/** Looks up a scenario class by code. Throws Error when the code is unknown. */
export function scenarioClass(code: string): ScenarioClass {
  const c = SCENARIO_CLASSES.find((x) => x.code === code);
  if (!c) throw new Error(`unknown scenario class '${code}'`);
  return c;
}

/** Looks up a robot model by code. Throws Error when the code is unknown. */
export function robotModel(code: string): RobotModel {
  const m = ROBOT_MODELS.find((x) => x.code === code);
  if (!m) throw new Error(`unknown robot model '${code}'`);
  return m;
}
