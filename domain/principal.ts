/** Roles and the calling principal, resolved from an API key. */

export const ROLES = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key. Enterprise principals are bound to one organization. */
export interface Principal {
  keyId: number;
  role: Role;
  organizationId: number | null;
  organizationRef: string | null;
  label: string | null;
}

/** Audit actor name of a principal. */
export const actorOf = (p: Principal | 'system'): string => (p === 'system' ? 'system' : `api_key:${p.keyId}`);
