/** Organizations and API keys (docs/architecture.md §4, §6). */
import { z } from 'zod';
import { ORGANIZATION_KINDS } from '../enums.ts';
import { ROLES } from '../principal.ts';
import { isoDateTime, ref, text } from './common.ts';

export const NewOrganization = z
  .strictObject({
    ref: ref.meta({ description: 'Organization reference (the data contract’s organization_ref)' }),
    name: text.trim().min(1).max(300).meta({ description: 'Legal or display name' }),
    kind: z.enum(ORGANIZATION_KINDS).meta({ description: 'Kind of organization' }),
    province: text.trim().max(100).nullable().default(null).meta({ description: 'Province of registration' }),
  })
  .meta({ id: 'NewOrganization', description: 'An organization to create', example: { ref: 'ORG-EXAMPLE', name: 'Example Robotics Co.', kind: 'enterprise', province: 'Guangdong' } });
export type NewOrganization = z.infer<typeof NewOrganization>;

export const NewApiKey = z
  .strictObject({
    role: z.enum(ROLES).meta({ description: 'Role of the key' }),
    organization_ref: ref.nullable().optional().meta({ description: 'Organization the key acts for (required for role enterprise)' }),
    label: text.max(200).nullable().optional().meta({ description: 'Free-text label (who holds the key)' }),
    expires_at: isoDateTime.nullable().optional()
      .meta({ description: 'When the key stops working (ISO 8601 timestamp with offset, in the future); never when absent' }),
  })
  .meta({ id: 'NewApiKey', description: 'An API key to issue', example: { role: 'underwriter', label: 'underwriting desk' } });
export type NewApiKey = z.infer<typeof NewApiKey>;
