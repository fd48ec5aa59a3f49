/** Requests of identified units and mid-term changes (docs/policy-changes.md). */
import { z } from 'zod';
import { fromNotAfterTo, FROM_AFTER_TO, isoDate, ref, text } from './common.ts';

const serialList = (description: string) => z.array(text.max(200)).min(1).max(10_000).meta({ description });
const lineNo = z.number().int().min(1).max(1000).meta({ description: 'Fleet line number (1 = the first line of the schedule)' });

/** Identified units per fleet line, given at bind or at acceptance. */
export const UnitsPerLine = z.array(z.strictObject({
  line: lineNo,
  serial_numbers: serialList('Serial numbers of the line’s units: exactly as many as the line has units; compared in canonical form (NFKC, trimmed, upper case)'),
})).max(1000).meta({ description: 'Identified units per fleet line (optional; lines not named stay unidentified)' });

export const BindUnits = z
  .strictObject({
    units: UnitsPerLine.optional(),
  })
  .meta({ id: 'BindUnits', description: 'Optional identified units given at bind (docs/policy-changes.md §3)', example: { units: [{ line: 1, serial_numbers: ['UB-W200-0001', 'UB-W200-0002'] }] } });
export type BindUnits = z.infer<typeof BindUnits>;

export const EndorsementLine = z
  .strictObject({
    line: lineNo,
    add_serial_numbers: serialList('Units to insure from the effective date (a line with identified units)').optional(),
    remove_serial_numbers: serialList('Insured units to remove from the effective date (a line with identified units)').optional(),
    add_units: z.number().int().min(1).max(100_000).optional().meta({ description: 'Units to add (a line without identified units)' }),
    remove_units: z.number().int().min(1).max(100_000).optional().meta({ description: 'Units to remove (a line without identified units)' }),
    identify_serial_numbers: serialList('Serial numbers of the units of a line bound without them: exactly as many as the line has units; the count and the premium do not change').optional(),
  })
  .refine((l) => l.add_serial_numbers || l.remove_serial_numbers || l.add_units !== undefined || l.remove_units !== undefined || l.identify_serial_numbers, { message: 'name a change: add/remove serial numbers or units, or identify the units' })
  .meta({ id: 'EndorsementLine', description: 'The change of one fleet line' });

export const Endorsement = z
  .strictObject({
    effective_date: isoDate.meta({ description: 'First day the changed schedule applies (within the policy period, not before the latest change)' }),
    reason: text.trim().min(1).max(2000).meta({ description: 'Why (audited, printed on the binder)' }),
    lines: z.array(EndorsementLine).min(1).max(1000).meta({ description: 'Changes per fleet line' }),
  })
  .meta({ id: 'Endorsement', description: 'Add or remove insured units mid-term (pro-rata premium, re-rated with the policy’s versions), or identify the units of a line bound without serial numbers', example: { effective_date: '2027-04-01', reason: 'Two more robots on the assembly line', lines: [{ line: 1, add_units: 2 }] } });
export type Endorsement = z.infer<typeof Endorsement>;

export const Cancellation = z
  .strictObject({
    effective_date: isoDate.meta({ description: 'First day without cover (the inception day cancels from the start: everything is returned)' }),
    reason: text.trim().min(1).max(2000).meta({ description: 'Why (audited, printed on the binder)' }),
  })
  .meta({ id: 'Cancellation', description: 'Cancel a live policy: an annual one with a pro-rata return premium; a pay-per-use one stops billing at the effective date', example: { effective_date: '2027-07-01', reason: 'Fleet sold' } });
export type Cancellation = z.infer<typeof Cancellation>;

export const UnitCheckQuery = z
  .strictObject({
    organization_ref: text.min(1).max(100).optional().meta({ description: 'Only this organization (an enterprise sees its own only)' }),
    from: isoDate.optional().meta({ description: 'Incidents on or after this day (UTC)' }),
    to: isoDate.optional().meta({ description: 'Incidents on or before this day (UTC)' }),
    flagged_only: z.enum(['true', 'false']).optional().transform((v) => v === 'true').meta({ description: 'Only flagged claims (a unit not on a live policy of the organization that day)' }),
    cursor: ref.optional().meta({ description: 'next_cursor of the previous page' }),
    limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Incidents per page (before flagged_only filtering)' }),
  })
  .refine(fromNotAfterTo, FROM_AFTER_TO)
  .meta({ id: 'UnitCheckQuery' });
export type UnitCheckQuery = z.infer<typeof UnitCheckQuery>;
