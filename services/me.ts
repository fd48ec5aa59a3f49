/**
 * Who a key is: its role, label and the organization it acts for. What the role may do is the
 * HTTP layer's list of routes (api/routes/me.ts), since only it knows the routes.
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/organizations.ts';
import type { Principal } from '../domain/index.ts';

export interface WhoAmI {
  role: Principal['role'];
  label: string | null;
  organization: { ref: string; name: string; kind: string } | null;
}

/** The calling key's identity; the organization only ever the key's own. */
export async function whoAmI(db: Db, p: Principal): Promise<WhoAmI> {
  const org = p.organizationId !== null ? await repo.getOrganizationById(db, p.organizationId) : undefined;
  return {
    role: p.role,
    label: p.label,
    organization: org ? { ref: org.ref, name: org.name, kind: org.kind } : null,
  };
}
