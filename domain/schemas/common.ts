/**
 * Building blocks of the request schemas, each declared once: ids, text, references, dates,
 * periods. Every id, free text and date a request carries goes through one of these.
 */
import { z } from 'zod';
import { isCalendarDate, parseTimestamp } from '../calendar.ts';
import { CANONICAL_ID, cursorId, MAX_ID, parseId } from '../ids.ts';
import { jsonFlaws, textFlaw } from '../text.ts';

/** A record id in a JSON body: a positive int4 (domain/ids.ts). */
export const Id = z.number().int().min(1).max(MAX_ID);

/**
 * A record id in a path: canonical digits only (`16`, never `0x10`, `016`, `1e1`, `+16`), at most
 * 2147483647, parsed to a number. Published as an integer parameter.
 */
export const IdParam = z.string()
  .regex(CANONICAL_ID, { message: 'an id: digits without sign, leading zero, spaces or exponent', abort: true })
  .refine((s) => parseId(s) !== undefined, `an id is at most ${MAX_ID}`)
  .transform(Number)
  .meta({ type: 'integer', minimum: 1, maximum: MAX_ID, description: 'Record id (decimal digits, no leading zero)' });

/** A page cursor: exactly a `next_cursor` this API returned (its id within int4). */
export const CursorParam = z.string().max(200)
  .refine((s) => cursorId(s) !== undefined, 'not a cursor returned by this API');

/** The one refinement of free text: no NUL character, no lone surrogate (domain/text.ts). */
export const text = z.string().superRefine((s, ctx) => {
  const flaw = textFlaw(s);
  if (flaw) ctx.addIssue({ code: 'custom', message: flaw, abort: true });
});

/**
 * Any parsed request part (JSON body, query, path parameters): every string and key well formed
 * text, nesting at most MAX_JSON_DEPTH deep. Checked at the edge before the part's own schema,
 * so that text in loose parts (rule sets) and unknown fields is refused too.
 */
export const WellFormed = z.unknown().superRefine((v, ctx) => {
  for (const f of jsonFlaws(v)) ctx.addIssue({ code: 'custom', path: f.path, message: f.message });
});

const REF = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** A client-chosen reference (`*_ref`, codes): letters, digits and `. _ : -`. */
export const ref = z.string().trim().min(1).max(100).regex(REF, 'letters, digits and . _ : - only');

/** A reference in a path: exactly as stored, untrimmed (`/v1/organizations/%20ORG-A` names nothing). */
export const RefParam = z.string().min(1).max(100).regex(REF, 'letters, digits and . _ : - only');

/** A calendar date `YYYY-MM-DD` (domain/calendar.ts isCalendarDate: 2027-02-30 and year 0000 are not). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD', abort: true }).refine(isCalendarDate, 'not a calendar date (e.g. 2027-02-30)');

/** An ISO 8601 date or timestamp (offset optional: UTC), parsed to ISO UTC; the day must be of the calendar. */
export const isoTimestamp = z.string().max(40).transform((s, ctx) => {
  const iso = parseTimestamp(s);
  if (iso === undefined) ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 date or timestamp of the calendar (e.g. 2027-02-30)' });
  return iso ?? s;
}).meta({ type: 'string', description: 'ISO 8601 date or timestamp (UTC when no offset)' });

/** An ISO 8601 date-time with an offset (RFC 3339), on a day of the calendar. */
export const isoDateTime = z.iso.datetime({ offset: true, abort: true }).refine((s) => isCalendarDate(s.slice(0, 10)), 'not a day of the calendar');

/** The rule of every `from`/`to` pair of days: either may be open, `from` is not after `to`. */
export const fromNotAfterTo = (p: { from?: string; to?: string }) => !p.from || !p.to || p.from <= p.to;
export const FROM_AFTER_TO = { message: 'from is after to', path: ['to'] };

/** An optional date range (both ends inclusive, either open). */
export const Period = z.strictObject({
  from: isoDate.optional().meta({ description: 'First day (inclusive); open when absent' }),
  to: isoDate.optional().meta({ description: 'Last day (inclusive); open when absent' }),
})
  .refine(fromNotAfterTo, FROM_AFTER_TO)
  .meta({ id: 'Period', description: 'Date range of the data used (both ends inclusive, either open)' });
export type Period = z.infer<typeof Period>;
