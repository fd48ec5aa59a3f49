/**
 * Mid-term changes of a policy (issue 14 item 6, docs/policy-changes.md): endorsements adding or
 * removing units, re-rated with the policy's stored inputs and versions (the quote's worksheet,
 * like `rerateQuote`), charged pro rata for the remaining days; cancellation with the pro-rata
 * return premium. Underwriters only. Each change is one transaction that locks the policy,
 * appends to `policy_changes`, updates the units, the premium segments the loss ratios read and
 * the policy's schedule, and records an audit event.
 */
import type { Db } from '../db/connection.ts';
import * as quoteRepo from '../db/repositories/quotes.ts';
import * as policyRepo from '../db/repositories/policies.ts';
import * as changesRepo from '../db/repositories/policy-changes.ts';
import * as unitsRepo from '../db/repositories/policy-units.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { addDays, dayOf } from '../domain/calendar.ts';
import { canonicalSerial } from '../domain/serial-number.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import type { FleetLine } from '../domain/schemas/index.ts';
import type { Cancellation, Endorsement } from '../domain/schemas/policy-changes.ts';
import { cancellationReturn, endorsementCharge, termDays, type PremiumPiece } from '../models/premium/pro-rata.ts';
import { roundCents, toCents } from '../models/premium/rounding.ts';
import { appError, type FieldError } from './errors.ts';
import { rate, type RatingInputs, type RatingResult } from './pricing.ts';
import { findPolicyRow, policyStatusOf } from './policies.ts';
import { changesOf, changesView, scheduleLines, scheduleOf, type Schedule } from './policy-history.ts';
import { serialConflict, uniqueSerialViolation } from './policy-unit-bind.ts';

type Trx = Db;

const fail = (errors: FieldError[]) => {
  throw appError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
};

/** Locks the policy and checks it can change on `effective` (live, inside its period, not before the latest change). */
async function lockForChange(trx: Trx, policyId: number, effective: string, what: string) {
  await changesRepo.lockPolicy(trx, policyId);
  const r = (await policyRepo.getPolicyById(trx, policyId))!;
  if (r.status !== 'live') {
    throw appError('CONFLICT', `policy ${r.policy_number} is ${r.status}: it cannot be ${what}`, { extra: { policy_status: r.status } });
  }
  if (effective < r.inception_date || effective > r.expiry_date) {
    fail([{ field: 'effective_date', message: `must be within the policy period ${r.inception_date}..${r.expiry_date}` }]);
  }
  const history = await changesOf(trx, r);
  const latest = history[history.length - 1].effective_date;
  if (effective < latest) {
    throw appError('CONFLICT', `policy ${r.policy_number} has a change effective ${latest}: changes apply in date order, so this one cannot be effective ${effective}`, { extra: { policy_status: r.status } });
  }
  return { r, history, schedule: scheduleOf(r) };
}

/** The premium per line × coverage of a schedule's premium, for the loss-ratio segments. */
const segmentLines = (fleet: readonly FleetLine[], premium: RatingResult['premium']): changesRepo.SegmentLine[] =>
  premium.lines.map((l) => ({ line: l.line, coverage: l.coverage, scenario_class: fleet[l.line - 1].scenario_class, annual_premium: roundCents(l.gross_premium) }));

/** Writes change 1 (bind) and the bind-time premium segments when the policy changes for the first time. */
async function startHistory(trx: Trx, r: policyRepo.PolicyRow, history: readonly changesRepo.NewPolicyChange[], schedule: Schedule) {
  if (history.length === 1 && history[0].kind === 'bind' && !(await changesRepo.listChanges(trx, r.id)).length) {
    await changesRepo.insertChange(trx, history[0]);
  }
  if (!(await changesRepo.hasSegments(trx, r.id))) {
    await changesRepo.createSegments(trx, {
      policy_id: r.id, quote_id: r.quote_id, organization_id: r.organization_id, start: r.inception_date, end: r.expiry_date,
      term_days: termDays({ start: r.inception_date, end: r.expiry_date }),
    }, segmentLines(schedule.fleet, schedule.premium));
  }
}

/** Canonical serials of a request list, each bad one named by its field. */
function canonicalList(list: readonly string[] | undefined, field: string, errors: FieldError[]): string[] {
  const out: string[] = [];
  for (const [k, raw] of (list ?? []).entries()) {
    const c = canonicalSerial(raw);
    if ('error' in c) errors.push({ field: `${field}.${k}`, message: c.error });
    else if (out.includes(c.serial)) errors.push({ field: `${field}.${k}`, message: `serial number ${c.serial} appears twice` });
    else out.push(c.serial);
  }
  return out;
}

interface LinePlan { line: number; units_before: number; units_after: number; added: string[]; removed: string[]; identified?: string[] }

/** Re-rates the schedule with `fleet` from the quote's stored inputs and versions. @throws CONFLICT without stored inputs or when the rules decline. */
async function rerate(trx: Trx, r: policyRepo.PolicyRow, fleet: FleetLine[]) {
  const quote = (await quoteRepo.getQuote(trx, r.quote_ref, null))!;
  const ws = (await quoteRepo.getWorksheet(trx, quote.id)) as { inputs?: RatingInputs } | null;
  if (!ws?.inputs) {
    throw appError('CONFLICT', `policy ${r.policy_number} has no stored rating inputs (quote ${r.quote_ref}): it cannot be re-rated for an endorsement`, { extra: { policy_status: r.status } });
  }
  const { result } = rate({ ...ws.inputs, request: { ...ws.inputs.request, fleet } });
  if (result.decision === 'declined') {
    throw appError('CONFLICT', `the rules decline the endorsed schedule: ${result.reasons.join('; ')}`, { extra: { policy_status: r.status } });
  }
  return result as Pick<RatingResult, 'premium' | 'pay_per_use' | 'reasons'> & { decision: RatingResult['decision'] | null };
}

/**
 * An underwriter's endorsement: adds or removes units on fleet lines from `effective_date`.
 * A line with identified units changes by serial numbers (added serials must not be on a live
 * policy over the rest of the period: 409 naming them); a line without, by unit counts. The
 * schedule is re-rated with the quote's stored inputs and versions; the premium of the change is
 * (new − old full-term premium) × remaining days / term days, to the cent.
 * @throws CONFLICT for a cancelled policy, a change before the latest one, a serial on a live
 *   policy, or a schedule the rules decline; VALIDATION_FAILED naming the field.
 */
export async function endorsePolicy(db: Db, p: Principal, policyNumber: string, body: Endorsement, now = new Date()) {
  const found = await findPolicyRow(db, p, policyNumber);
  const actor = actorOf(p);
  const E = body.effective_date;
  try {
    await db.transaction(async (trx) => {
      const { r, history, schedule } = await lockForChange(trx, found.id, E, 'endorsed');
      const units = await unitsRepo.unitsOfPolicy(trx, r.id);
      const fleet = schedule.fleet.map((l) => ({ ...l }));
      const errors: FieldError[] = [];
      const plans: LinePlan[] = [];
      const seenLines = new Set<number>();
      for (const [i, c] of body.lines.entries()) {
        const f = `lines.${i}`;
        if (c.line > fleet.length) { errors.push({ field: `${f}.line`, message: `the policy has ${fleet.length} fleet line(s)` }); continue; }
        if (seenLines.has(c.line)) { errors.push({ field: `${f}.line`, message: `line ${c.line} appears twice` }); continue; }
        seenLines.add(c.line);
        const onLine = units.filter((u) => u.line === c.line);
        const liveOnLine = onLine.filter((u) => u.cover_from <= E && u.cover_until >= E).map((u) => u.serial_number);
        const identified = onLine.length > 0;
        if (c.identify_serial_numbers) {
          const before = fleet[c.line - 1].units;
          if (c.add_serial_numbers || c.remove_serial_numbers || c.add_units !== undefined || c.remove_units !== undefined) {
            errors.push({ field: `${f}.identify_serial_numbers`, message: 'identify the units of a line in an endorsement of its own: no units added or removed with it' });
          } else if (identified) {
            errors.push({ field: `${f}.identify_serial_numbers`, message: `line ${c.line} has identified units already: add or remove them by serial number` });
          } else if (c.identify_serial_numbers.length !== before) {
            errors.push({ field: `${f}.identify_serial_numbers`, message: `line ${c.line} insures ${before} unit(s): give exactly that many serial numbers (got ${c.identify_serial_numbers.length})` });
          }
          const named = canonicalList(c.identify_serial_numbers, `${f}.identify_serial_numbers`, errors);
          plans.push({ line: c.line, units_before: before, units_after: before, added: named, removed: [], identified: named });
          continue;
        }
        const added = canonicalList(c.add_serial_numbers, `${f}.add_serial_numbers`, errors);
        const removed = canonicalList(c.remove_serial_numbers, `${f}.remove_serial_numbers`, errors);
        if (identified && (c.add_units !== undefined || c.remove_units !== undefined)) {
          errors.push({ field: `${f}.add_units`, message: `line ${c.line} has identified units: add or remove them by serial number` });
          continue;
        }
        if (!identified && (added.length || removed.length)) {
          errors.push({ field: `${f}.add_serial_numbers`, message: `line ${c.line} has no identified units: change it by add_units / remove_units` });
          continue;
        }
        for (const [k, s] of removed.entries()) {
          if (!liveOnLine.includes(s)) errors.push({ field: `${f}.remove_serial_numbers.${k}`, message: `${s} is not an insured unit of line ${c.line} on ${E}` });
        }
        for (const [k, s] of added.entries()) {
          if (liveOnLine.includes(s)) errors.push({ field: `${f}.add_serial_numbers.${k}`, message: `${s} is already insured on line ${c.line}` });
        }
        const before = fleet[c.line - 1].units;
        const after = identified ? before + added.length - removed.length : before + (c.add_units ?? 0) - (c.remove_units ?? 0);
        if (after < 1) errors.push({ field: f, message: `line ${c.line} would have ${after} units: keep at least one (or cancel the policy)` });
        else if (after > 100_000) errors.push({ field: f, message: `line ${c.line} would have ${after} units: at most 100,000` });
        fleet[c.line - 1].units = after;
        plans.push({ line: c.line, units_before: before, units_after: after, added, removed });
      }
      if (errors.length) fail(errors);

      // added serials must be free over the rest of the period (on this policy's other lines too)
      const allAdded = plans.flatMap((x) => x.added);
      const twice = allAdded.filter((x, k) => allAdded.indexOf(x) !== k);
      if (twice.length) fail([{ field: 'lines', message: `serial number ${twice[0]} is named on two lines` }]);
      const taken = [
        ...await unitsRepo.serialsOnLivePolicies(trx, allAdded, E, r.expiry_date, r.id),
        ...units.filter((u) => allAdded.includes(u.serial_number) && u.cover_until >= E && !plans.some((x) => x.line === u.line && x.removed.includes(u.serial_number))).map((u) => u.serial_number),
      ];
      if (taken.length) throw serialConflict([...new Set(taken)].sort());

      const last = history[history.length - 1];
      const beforeCents = toCents(Number(last.annual_premium_after));
      // identifying units changes no count: the schedule and its premium stay; otherwise re-rate
      const result = plans.every((x) => x.units_after === x.units_before)
        ? { decision: null, reasons: [] as string[], premium: schedule.premium, pay_per_use: schedule.pay_per_use }
        : await rerate(trx, r, fleet);
      const afterCents = result.decision === null ? beforeCents : toCents(result.premium.total.gross_premium);
      const charge = endorsementCharge({ start: r.inception_date, end: r.expiry_date }, E, beforeCents, afterCents);

      await startHistory(trx, r, history, schedule);
      const seq = last.seq + 1;
      await changesRepo.insertChange(trx, {
        policy_id: r.id, seq, kind: 'endorsement', effective_date: E, term_days: charge.term_days, remaining_days: charge.remaining_days,
        annual_premium_before: beforeCents / 100, annual_premium_after: afterCents / 100, premium: charge.premium_cents / 100,
        details: {
          lines: plans, schedule_lines: scheduleLines(fleet, result.premium), rerated_decision: result.decision, rerated_reasons: result.reasons,
          premium_lines: result.premium.lines.map((l) => ({ line: l.line, coverage: l.coverage, gross_premium: l.gross_premium })),
          // a pay-per-use policy is billed by its statements: the change's premium is the change of its expected premium
          ...(r.basis === 'pay_per_use' ? { billing: 'statements', rates_after: scheduleLines(fleet, result.premium).map((l) => ({ line: l.line, rate_per_operating_hour: l.gross_premium / l.expected_hours })) } : {}),
        },
        reason: body.reason, actor,
      });
      for (const x of plans) {
        if (x.removed.length) await unitsRepo.endUnitCovers(trx, r.id, x.line, x.removed, addDays(E, -1), seq);
      }
      await unitsRepo.insertUnits(trx, plans.flatMap((x) => x.added.map((serial_number) => ({
        policy_id: r.id, line: x.line, serial_number, cover_from: E, cover_until: r.expiry_date, added_by_change: seq,
      }))));
      // an identification re-rates nothing: the loss ratios' premium segments stay as they are
      if (result.decision !== null) await changesRepo.splitSegments(trx, { policy_id: r.id, quote_id: r.quote_id, organization_id: r.organization_id, end: r.expiry_date, term_days: charge.term_days }, E, segmentLines(fleet, result.premium));
      await changesRepo.updateSchedule(trx, r.id, { ...schedule, fleet, premium: result.premium, pay_per_use: result.pay_per_use });
      await recordAudit(trx, {
        actor, action: 'policy.endorse', entity: 'policy', entity_ref: r.policy_number,
        before: { annual_premium: beforeCents / 100, lines: plans.map((x) => ({ line: x.line, units: x.units_before })) },
        after: { change: seq, effective_date: E, annual_premium: afterCents / 100, premium: charge.premium_cents / 100, lines: plans, reason: body.reason },
      });
    });
  } catch (e) {
    throw uniqueSerialViolation(e) ?? e;
  }
  return policyChanges(db, p, policyNumber, now);
}

/**
 * An underwriter cancels a live annual policy from `effective_date` (the first day without
 * cover; the inception day returns everything): return premium = written − earned
 * (models/premium/pro-rata.ts `cancellationReturn`). Units' covers and premium segments end the
 * day before.
 */
export async function cancelPolicy(db: Db, p: Principal, policyNumber: string, body: Cancellation, now = new Date()) {
  const found = await findPolicyRow(db, p, policyNumber);
  const actor = actorOf(p);
  const C = body.effective_date;
  await db.transaction(async (trx) => {
    const { r, history, schedule } = await lockForChange(trx, found.id, C, 'cancelled');
    const period = { start: r.inception_date, end: r.expiry_date };
    const pieces: PremiumPiece[] = history.map((c) => ({
      effective: c.effective_date,
      annual_change_cents: toCents(Number(c.annual_premium_after)) - toCents(Number(c.annual_premium_before)),
      written_cents: toCents(Number(c.premium)),
    }));
    const ret = cancellationReturn(period, C, pieces);
    const last = history[history.length - 1];
    await startHistory(trx, r, history, schedule);
    const seq = last.seq + 1;
    await changesRepo.insertChange(trx, {
      policy_id: r.id, seq, kind: 'cancellation', effective_date: C, term_days: ret.term_days, remaining_days: ret.term_days - ret.covered_days,
      annual_premium_before: Number(last.annual_premium_after), annual_premium_after: 0, premium: -ret.return_cents / 100,
      details: { covered_days: ret.covered_days, written_premium: ret.written_cents / 100, earned_premium: ret.earned_cents / 100, return_premium: ret.return_cents / 100 },
      reason: body.reason, actor,
    });
    await unitsRepo.truncateCovers(trx, r.id, addDays(C, -1), seq);
    await changesRepo.truncateSegments(trx, r.id, C);
    if ((await changesRepo.markCancelled(trx, r.id, { at: now, by: actor, effective: C, reason: body.reason })) !== 1) {
      throw appError('CONFLICT', `policy ${r.policy_number} changed meanwhile`);
    }
    await recordAudit(trx, {
      actor, action: 'policy.cancel', entity: 'policy', entity_ref: r.policy_number,
      before: { status: 'live', annual_premium: Number(last.annual_premium_after) },
      after: { status: 'cancelled', change: seq, effective_date: C, return_premium: ret.return_cents / 100, earned_premium: ret.earned_cents / 100, reason: body.reason },
    });
  });
  return policyChanges(db, p, policyNumber, now);
}

/** The changes view of a policy `p` may see (NOT_FOUND for another organization's). */
export async function policyChanges(db: Db, p: Principal, policyNumber: string, now = new Date()) {
  const r = await findPolicyRow(db, p, policyNumber);
  return { policy_number: r.policy_number, status: policyStatusOf(r, dayOf(now)), ...(await changesView(db, r)) };
}
