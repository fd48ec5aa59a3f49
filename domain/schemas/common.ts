/** Building blocks of the request and response schemas: references, dates, periods. */
import { z } from 'zod';
import { isCalendarDate } from '../calendar.ts';

/** A client-chosen reference (`*_ref`, codes): letters, digits and `. _ : -`. */
export const ref = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** A calendar date `YYYY-MM-DD`. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date (e.g. 2027-02-30)');

/** An optional date range (both ends inclusive, either open). */
export const Period = z.strictObject({
  from: isoDate.optional().meta({ description: 'First day (inclusive); open when absent' }),
  to: isoDate.optional().meta({ description: 'Last day (inclusive); open when absent' }),
})
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'from is after to', path: ['to'] })
  .meta({ id: 'Period', description: 'Date range of the data used (both ends inclusive, either open)' });
export type Period = z.infer<typeof Period>;
