/** The binder / certificate PDF of a policy (docs/policy-lifecycle.md §7). */
import type { Db } from '../db/connection.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { listRobotModels, listScenarioClasses } from '../db/repositories/catalog.ts';
import { renderPolicyPdf, type InsurerBlock } from '../reports/policy-pdf.ts';
import type { Principal } from '../domain/index.ts';
import { getPolicy } from './policies.ts';

export type { InsurerBlock } from '../reports/policy-pdf.ts';

/** The insurer block of the configuration. */
export const insurerOf = (c: { INSURER_NAME: string; INSURER_LICENCE: string; INSURER_ADDRESS: string; INSURER_CLAIMS_CONTACT: string; POLICY_GOVERNING_LAW: string }): InsurerBlock => ({
  name: c.INSURER_NAME, licence: c.INSURER_LICENCE, address: c.INSURER_ADDRESS, claimsContact: c.INSURER_CLAIMS_CONTACT, governingLaw: c.POLICY_GOVERNING_LAW,
});

/** Same access rules as the policy (an enterprise: its own only, else NOT_FOUND). */
export async function policyPdf(db: Db, p: Principal, policyNumber: string, insurer: InsurerBlock, creationDate?: Date): Promise<Buffer> {
  const policy = await getPolicy(db, p, policyNumber);
  const org = (await getOrganizationByRef(db, policy.organization_ref))!;
  const [robots, classes] = await Promise.all([listRobotModels(db), listScenarioClasses(db)]);
  return renderPolicyPdf({
    policy,
    organization: { ref: org.ref, name: org.name, province: org.province },
    insurer,
    robotModels: Object.fromEntries(robots.map((r) => [r.code, { name: r.name, manufacturer: r.manufacturer }])),
    scenarioClasses: Object.fromEntries(classes.map((c) => [c.code, { name: c.name }])),
    creationDate,
  });
}
