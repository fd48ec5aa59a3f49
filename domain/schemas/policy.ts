/** Requests of the policy lifecycle (docs/policy-lifecycle.md): subjectivity updates, acceptance, policy queries. */
import { z } from 'zod';
import { SUBJECTIVITY_DEADLINES } from '../enums.ts';
import { text } from './common.ts';
import { UnitsPerLine } from './policy-changes.ts';

export const NewSubjectivity = z
  .strictObject({
    text: text.trim().min(1).max(2000).meta({ description: 'The condition, as printed on the quote and the binder' }),
    required_before: z.enum(SUBJECTIVITY_DEADLINES).default('bind').meta({ description: 'bind: binding is refused while open; inception: to meet before cover starts; none: no deadline' }),
  })
  .meta({ id: 'NewSubjectivity', description: 'A subjectivity an underwriter imposes with a decision' });
export type NewSubjectivity = z.infer<typeof NewSubjectivity>;

/**
 * A change to one subjectivity. An underwriter closes it (`status` satisfied or waived, with a
 * `note`); the insured enterprise may only attach its evidence note (`evidence_note`).
 */
export const SubjectivityUpdate = z
  .strictObject({
    status: z.enum(['satisfied', 'waived']).optional().meta({ description: 'Underwriters only: the subjectivity is met, or waived' }),
    note: text.trim().min(1).max(4000).optional().meta({ description: 'Underwriters only, required with status: why (audited)' }),
    evidence_note: text.trim().min(1).max(4000).optional().meta({ description: 'The evidence the insured offers (e.g. "signed safety-officer roster attached to e-mail of 3 Dec"); enterprise or underwriter' }),
  })
  .refine((u) => u.status !== undefined || u.evidence_note !== undefined, { message: 'give status (with note) or evidence_note' })
  .refine((u) => (u.status === undefined) === (u.note === undefined), { message: 'status and note go together', path: ['note'] })
  .meta({
    id: 'SubjectivityUpdate',
    description: 'Close a subjectivity (underwriter) or attach evidence to it (insured enterprise)',
    example: { status: 'satisfied', note: 'Written confirmation of the safety officer roster received' },
  });
export type SubjectivityUpdate = z.infer<typeof SubjectivityUpdate>;

export const QuoteAcceptance = z
  .strictObject({
    note: text.trim().min(1).max(4000).optional().meta({ description: 'Optional note of the insured (audited)' }),
    units: UnitsPerLine.optional().meta({ description: 'Serial numbers per fleet line, as at bind: recorded with the policy when the acceptance binds it, else kept for the underwriter’s bind' }),
  })
  .meta({ id: 'QuoteAcceptance', description: 'The insured accepts its quoted quote', example: {} });
export type QuoteAcceptance = z.infer<typeof QuoteAcceptance>;
