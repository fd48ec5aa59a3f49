/**
 * Serial numbers given at bind (docs/policy-changes.md §3): checked against the schedule, then
 * recorded as the policy's insured units in the bind transaction, unique across live policies.
 * Imports nothing of services/policies.ts (which calls it), so there is no import cycle.
 */
import type { Db } from '../db/connection.ts';
import * as unitsRepo from '../db/repositories/policy-units.ts';
import type * as policyRepo from '../db/repositories/policies.ts';
import { canonicalSerial } from '../domain/serial-number.ts';
import type { FleetLine } from '../domain/schemas/index.ts';
import type { BindUnits } from '../domain/schemas/policy-changes.ts';
import { AppError, appError, type FieldError } from './errors.ts';

/** 409 naming the serials already on a live policy (never which policy or organization). */
export const serialConflict = (serials: readonly string[]) => appError(
  'CONFLICT',
  `serial number${serials.length === 1 ? '' : 's'} ${serials.join(', ')} ${serials.length === 1 ? 'is' : 'are'} already on a live policy`,
  { extra: { serial_numbers: [...serials] } },
);

/** The 409 for the trigger `policy_units_serial_live` (a concurrent bind won), else undefined. */
export function uniqueSerialViolation(e: unknown): AppError | undefined {
  const err = e as { code?: unknown; message?: unknown; constraint?: unknown } | null;
  if (!err || err.code !== '23505' || typeof err.message !== 'string') return undefined;
  const m = /serial number (\S+) is already on a live policy/.exec(err.message);
  return m ? serialConflict([m[1]]) : undefined;
}

/**
 * Checks a bind request's serial numbers against the schedule: every line named once, as many
 * serials as the line has units, each canonical and unique in the request. Returns the units
 * per line (canonical). @throws VALIDATION_FAILED naming the field.
 */
export function checkBindUnits(fleet: readonly FleetLine[], body: BindUnits | undefined): { line: number; serials: string[] }[] {
  if (!body?.units?.length) return [];
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const out: { line: number; serials: string[] }[] = [];
  for (const [i, u] of body.units.entries()) {
    const f = `units.${i}`;
    if (u.line > fleet.length) { errors.push({ field: `${f}.line`, message: `the quote has ${fleet.length} fleet line(s)` }); continue; }
    if (out.some((x) => x.line === u.line)) { errors.push({ field: `${f}.line`, message: `line ${u.line} appears twice` }); continue; }
    if (u.serial_numbers.length !== fleet[u.line - 1].units) {
      errors.push({ field: `${f}.serial_numbers`, message: `line ${u.line} insures ${fleet[u.line - 1].units} unit(s): give exactly that many serial numbers (got ${u.serial_numbers.length})` });
    }
    const serials: string[] = [];
    for (const [k, raw] of u.serial_numbers.entries()) {
      const c = canonicalSerial(raw);
      if ('error' in c) { errors.push({ field: `${f}.serial_numbers.${k}`, message: c.error }); continue; }
      const where = seen.get(c.serial);
      if (where) { errors.push({ field: `${f}.serial_numbers.${k}`, message: `serial number ${c.serial} is also given at ${where}` }); continue; }
      seen.set(c.serial, `${f}.serial_numbers.${k}`);
      serials.push(c.serial);
    }
    out.push({ line: u.line, serials });
  }
  if (errors.length) throw appError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  return out;
}

/** 409 naming the serials of `lines` already on a live policy over from..until (nothing else is checked). */
export async function checkUnitsFree(trx: Db, lines: readonly { line: number; serials: string[] }[], from: string, until: string): Promise<void> {
  const taken = await unitsRepo.serialsOnLivePolicies(trx, lines.flatMap((l) => l.serials), from, until);
  if (taken.length) throw serialConflict(taken);
}

/**
 * In the bind transaction: records the insured units of the new policy, covered over its whole
 * period. @throws CONFLICT (409) naming the serials already on a live policy over that period.
 */
export async function attachUnitsAtBind(trx: Db, policy: Pick<policyRepo.PolicyRow, 'id' | 'inception_date' | 'expiry_date'>, lines: readonly { line: number; serials: string[] }[]): Promise<void> {
  const all = lines.flatMap((l) => l.serials);
  if (!all.length) return;
  const taken = await unitsRepo.serialsOnLivePolicies(trx, all, policy.inception_date, policy.expiry_date, policy.id);
  if (taken.length) throw serialConflict(taken);
  try {
    await unitsRepo.insertUnits(trx, lines.flatMap((l) => l.serials.map((serial_number) => ({
      policy_id: policy.id, line: l.line, serial_number, cover_from: policy.inception_date, cover_until: policy.expiry_date, added_by_change: 1,
    }))));
  } catch (e) {
    throw uniqueSerialViolation(e) ?? e;
  }
}
