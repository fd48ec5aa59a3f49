/**
 * The history of a policy's mid-term changes as every view shows it (docs/policy-changes.md):
 * the changes (the bind is change 1, synthesized from the policy until the first change writes
 * it), the premium in force and the insured units. Imports nothing of services/policies.ts,
 * whose policy view includes it.
 */
import type { Db } from '../db/connection.ts';
import type * as policyRepo from '../db/repositories/policies.ts';
import * as changesRepo from '../db/repositories/policy-changes.ts';
import * as unitsRepo from '../db/repositories/policy-units.ts';
import type { FleetLine } from '../domain/schemas/index.ts';
import { termDays } from '../models/premium/pro-rata.ts';
import { toCents } from '../models/premium/rounding.ts';
import type { RatingResult } from './pricing.ts';

/** A policy's schedule as bind stores it (services/policies.ts scheduleOf): the quote's fleet, coverages and premium. */
export type Schedule = { fleet: FleetLine[]; coverages: unknown[]; premium: RatingResult['premium']; pay_per_use: RatingResult['pay_per_use'] };
export const scheduleOf = (r: policyRepo.PolicyRow) => r.schedule as unknown as Schedule;

/** Per fleet line of a schedule: units, expected hours (units × hours per unit) and gross premium (all coverages, summed in cents). */
export interface ScheduleLine { line: number; units: number; expected_hours: number; gross_premium: number }
export function scheduleLines(fleet: readonly FleetLine[], premium: RatingResult['premium']): ScheduleLine[] {
  return fleet.map((f, i) => ({
    line: i + 1, units: f.units, expected_hours: f.units * f.operating_hours_per_unit,
    gross_premium: premium.lines.filter((l) => l.line === i + 1).reduce((a, l) => a + toCents(Number(l.gross_premium)), 0) / 100,
  }));
}

/** The changes of a policy, with the bind as change 1 (written when the first change is made, or synthesized from the policy). */
export function bindChange(r: policyRepo.PolicyRow): changesRepo.NewPolicyChange {
  const g = Number(scheduleOf(r).premium.total.gross_premium);
  const D = termDays({ start: r.inception_date, end: r.expiry_date });
  return {
    policy_id: r.id, seq: 1, kind: 'bind', effective_date: r.inception_date, term_days: D, remaining_days: D,
    annual_premium_before: 0, annual_premium_after: g, premium: g, reason: null, actor: r.bound_by,
    // the schedule as bound: the statements of a pay-per-use policy bill each stretch of days at its own rate
    details: { quote_ref: r.quote_ref, schedule_lines: scheduleLines(scheduleOf(r).fleet, scheduleOf(r).premium) },
  };
}

export async function changesOf(q: Db, r: policyRepo.PolicyRow): Promise<changesRepo.NewPolicyChange[]> {
  const stored = await changesRepo.listChanges(q, r.id);
  return stored.length ? stored : [bindChange(r)];
}

/** A change as the API shows it. */
const changeView = (c: changesRepo.NewPolicyChange & { created_at?: Date }) => ({
  seq: c.seq, kind: c.kind, effective_date: c.effective_date, term_days: c.term_days, remaining_days: c.remaining_days,
  annual_premium_before: Number(c.annual_premium_before), annual_premium_after: Number(c.annual_premium_after), premium: Number(c.premium),
  details: c.details, reason: c.reason, actor: c.actor, created_at: c.created_at ?? null,
});

/**
 * What the mid-term changes made of a policy: every change (bind first), the full-term premium
 * in force, the premium written (charged − returned) and its insured units with their cover.
 */
export async function changesView(db: Db, r: policyRepo.PolicyRow) {
  const [history, units] = await Promise.all([changesOf(db, r), unitsRepo.unitsOfPolicy(db, r.id)]);
  const cents = history.reduce((s, c) => s + toCents(Number(c.premium)), 0);
  return {
    changes: history.map(changeView),
    premium_in_force: {
      annual_premium: Number(history[history.length - 1].annual_premium_after),
      written_premium: cents / 100,
    },
    units: units.map((u) => ({ line: u.line, serial_number: u.serial_number, cover_from: u.cover_from, cover_until: u.cover_until })),
  };
}
