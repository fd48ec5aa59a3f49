/** Roles and the calling principal, resolved from an API key. */

export const ROLES = ['admin', 'actuary', 'underwriter', 'enterprise', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling: resolved from an API key, or the command-line tool (bin/cli.ts), which opens
 * the database directly and holds no key. Enterprise principals are bound to one organization.
 */
export interface Principal {
  /** The API key that authenticated the call; null for the command-line tool. */
  keyId: number | null;
  role: Role;
  organizationId: number | null;
  organizationRef: string | null;
  label: string | null;
  /** Who ran the command-line tool (OS user name); with no key, audited as `cli:<operator>`. */
  operator?: string;
}

/** Audit actor name of a principal: `api_key:<id>`, `cli:<operator>` or `system`. */
export const actorOf = (p: Principal | 'system'): string =>
  p === 'system' ? 'system' : p.keyId !== null ? `api_key:${p.keyId}` : `cli:${p.operator ?? 'unknown'}`;
