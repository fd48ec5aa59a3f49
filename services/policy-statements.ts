/**
 * Pay-per-use policies that bill (issue 14 item 5, docs/policy-statements.md): fleet lines linked
 * to the insured's deployments, usage declarations, and the premium statement of a calendar month
 * (hours × the line's rate, with the plan's minimum premium) as JSON, CSV and PDF.
 *
 * Access: an enterprise sees and declares for its own organization's policies only (any other
 * policy number is 404, as if it did not exist); underwriters see all and alone link deployments
 * (unlinking would lower the insured's bill).
 */
import type { Db } from '../db/connection.ts';
import * as repo from '../db/repositories/policy-usage.ts';
import { recordAudit } from '../db/repositories/audit.ts';
import { actorOf, type Principal } from '../domain/index.ts';
import { dayOf } from '../domain/calendar.ts';
import {
  SOURCE_RULE, type LineDeployments, type PolicyStatement, type UsageDeclaration,
} from '../domain/schemas/policy-usage.ts';
import { billedHours, buildStatement, monthWindow, periodMonths, roundHours } from '../models/premium/usage-statement.ts';
import { toCents } from '../models/premium/rounding.ts';
import * as changesRepo from '../db/repositories/policy-changes.ts';
import type { FleetLine } from '../domain/schemas/index.ts';
import { scheduleLines, type ScheduleLine } from './policy-history.ts';
import type { RatingResult } from './pricing.ts';
import { renderStatementPdf } from '../reports/statement-pdf.ts';
import { statementCsv } from '../reports/statement-csv.ts';
import { appError, notFound } from './errors.ts';

const scopeId = (p: Principal) => (p.role === 'enterprise' ? (p.organizationId ?? -1) : null);

async function findPolicy(db: Db, p: Principal, policyNumber: string): Promise<repo.BillingPolicyRow> {
  const pol = await repo.getBillingPolicy(db, policyNumber, scopeId(p));
  if (!pol) throw notFound('policy', policyNumber);
  return pol;
}

function requirePayPerUse(pol: repo.BillingPolicyRow): void {
  if (pol.basis !== 'pay_per_use') {
    throw appError('CONFLICT', `policy ${pol.policy_number} has an annual premium: it has no usage or premium statements (pay-per-use policies only)`);
  }
}

/** The month's days of cover; null when none (also when a cancellation at inception left the policy no day of cover). */
const coverOf = (pol: repo.BillingPolicyRow, month: string) => (pol.period.end < pol.period.start ? null : monthWindow(pol.period, month));
const coverMonths = (pol: repo.BillingPolicyRow) => (pol.period.end < pol.period.start ? [] : periodMonths(pol.period));

const fieldError = (field: string, message: string) => appError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });

/** A line's schedule from `from` on: units, full-term expected hours and gross premium. */
interface LineSchedule { from: string; units: number; expected_hours: number; gross_premium: number }

/**
 * The schedules of each fleet line over the policy term: as bound (from inception), then one per
 * endorsement from its effective date (docs/policy-statements.md "Changes during the period"),
 * read from the schedule lines the changes record; a policy never changed has its schedule.
 */
async function lineSchedules(db: Db, pol: repo.BillingPolicyRow): Promise<Map<number, LineSchedule[]>> {
  const stored = await changesRepo.listChanges(db, pol.id);
  const out = new Map<number, LineSchedule[]>();
  const push = (from: string, lines: readonly ScheduleLine[]) => {
    for (const l of lines) {
      const list = out.get(l.line) ?? [];
      if (list.length && list[list.length - 1].from === from) list.pop(); // a later change the same day wins
      list.push({ from, units: l.units, expected_hours: l.expected_hours, gross_premium: l.gross_premium });
      out.set(l.line, list);
    }
  };
  const recorded = stored.filter((c) => c.kind !== 'cancellation' && Array.isArray(c.details.schedule_lines));
  if (recorded.length && recorded[0].kind === 'bind') {
    for (const c of recorded) push(c.effective_date, c.details.schedule_lines as ScheduleLine[]);
  } else {
    push(pol.term.start, scheduleLines(pol.schedule.fleet as FleetLine[], pol.schedule.premium as RatingResult['premium']));
  }
  return out;
}

const linesView = (links: repo.LinkedDeployment[], fleetLines: number) => Array.from({ length: fleetLines }, (_, i) => ({
  line: i + 1,
  deployments: links.filter((l) => l.line === i + 1).map((l) => ({ deployment_ref: l.deployment_ref, units: l.units, linked_by: l.linked_by, linked_at: l.linked_at })),
}));

/** The fleet lines of a pay-per-use policy with their linked deployments. */
export async function policyLineDeployments(db: Db, p: Principal, policyNumber: string) {
  const pol = await findPolicy(db, p, policyNumber);
  requirePayPerUse(pol);
  return { policy_number: pol.policy_number, lines: linesView(await repo.linkedDeployments(db, pol.id), pol.schedule.fleet.length) };
}

/**
 * Replaces the deployments of fleet line `line` (underwriter). Each must be a deployment of the
 * insured organization (unknown and other organizations' deployments are refused alike, naming
 * the field), of the line's robot model and scenario class (the rate was priced for them), not
 * on another line of the policy, and not on another policy that is not cancelled and whose
 * period overlaps (hours are billed once). Audited; refused requests write nothing.
 */
export async function setLineDeployments(db: Db, p: Principal, policyNumber: string, line: number, body: LineDeployments) {
  const pol = await findPolicy(db, p, policyNumber);
  requirePayPerUse(pol);
  if (pol.status === 'cancelled') throw appError('CONFLICT', `policy ${pol.policy_number} is cancelled: its lines cannot be changed`);
  const fleet = pol.schedule.fleet;
  if (!(line >= 1 && line <= fleet.length)) throw fieldError('path.line', `policy ${pol.policy_number} has fleet lines 1 to ${fleet.length}`);
  return db.transaction(async (trx) => {
    const found = await repo.deploymentsOf(trx, pol.organization_id, body.deployment_refs);
    const byRef = new Map(found.map((d) => [d.ref, d]));
    const unknown = body.deployment_refs.map((ref, i) => ({ ref, i })).filter((x) => !byRef.has(x.ref));
    if (unknown.length) {
      const errors = unknown.map((x) => ({ field: `deployment_refs.${x.i}`, message: `no deployment '${x.ref}' of the insured organization ${pol.organization_ref}` }));
      throw appError('UNKNOWN_REFERENCE', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
    }
    const ids = body.deployment_refs.map((r) => byRef.get(r)!.id);
    // concurrent links of the same deployment queue here, so the checks below see each other's links
    await repo.lockDeployments(trx, ids);
    const mismatched = await trx('deployments as d').join('scenario_classes as c', 'c.id', 'd.scenario_class_id').join('robot_models as m', 'm.id', 'd.robot_model_id')
      .whereIn('d.id', ids).select('d.ref', 'c.code as scenario_class', 'm.code as robot_model');
    const want = fleet[line - 1];
    const wrong = (mismatched as { ref: string; scenario_class: string; robot_model: string }[])
      .filter((d) => d.scenario_class !== want.scenario_class || d.robot_model !== want.robot_model);
    if (wrong.length) {
      const errors = wrong.map((d) => ({
        field: `deployment_refs.${body.deployment_refs.indexOf(d.ref)}`,
        message: `deployment '${d.ref}' runs ${d.robot_model} in ${d.scenario_class}; line ${line} insures ${want.robot_model} in ${want.scenario_class}`,
      }));
      throw appError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
    }
    const before = await repo.linkedDeployments(trx, pol.id);
    const elsewhere = before.filter((l) => l.line !== line && ids.includes(l.deployment_id));
    if (elsewhere.length) {
      throw appError('CONFLICT', elsewhere.map((l) => `deployment '${l.deployment_ref}' is already on line ${l.line} of policy ${pol.policy_number}`).join('; '));
    }
    const clash = await repo.conflictingLinks(trx, pol.id, ids, pol.period.start, pol.period.end);
    if (clash.length) {
      throw appError('CONFLICT', clash.map((c) => `deployment '${c.deployment_ref}' is billed by policy ${c.policy_number}, whose period overlaps`).join('; '));
    }
    await repo.replaceLineDeployments(trx, pol.id, line, ids, actorOf(p));
    await recordAudit(trx, {
      actor: actorOf(p), action: 'policy.line_deployments', entity: 'policy', entity_ref: pol.policy_number,
      before: { line, deployment_refs: before.filter((l) => l.line === line).map((l) => l.deployment_ref) },
      after: { line, deployment_refs: body.deployment_refs },
    });
    return { policy_number: pol.policy_number, lines: linesView(await repo.linkedDeployments(trx, pol.id), fleet.length) };
  });
}

/**
 * Records a usage declaration (the insured's enterprise key, or an underwriter): the month must
 * have days of cover and have begun, the deployment must be linked to the policy, and the hours
 * at most units × 24 h × the month's days of cover. Audited.
 */
export async function declareUsage(db: Db, p: Principal, policyNumber: string, body: UsageDeclaration, now = new Date()) {
  const pol = await findPolicy(db, p, policyNumber);
  requirePayPerUse(pol);
  const w = coverOf(pol, body.month);
  if (!w) throw fieldError('month', `${body.month} is outside the policy period ${pol.period.start} to ${pol.period.end}`);
  if (w.from > dayOf(now)) throw fieldError('month', `the cover of ${body.month} has not begun (first day ${w.from}): usage is declared once it runs`);
  const links = await repo.linkedDeployments(db, pol.id);
  const link = links.find((l) => l.deployment_ref === body.deployment_ref);
  if (!link) throw fieldError('deployment_ref', `deployment '${body.deployment_ref}' is not linked to a fleet line of policy ${pol.policy_number}`);
  const most = link.units * 24 * w.days;
  if (body.operating_hours > most) throw fieldError('operating_hours', `at most ${most} h: ${link.units} units × 24 h × ${w.days} days of cover in ${body.month}`);
  const role = p.role === 'underwriter' ? 'underwriter' : 'enterprise';
  return db.transaction(async (trx) => {
    const d = await repo.insertDeclaration(trx, {
      policy_id: pol.id, deployment_id: link.deployment_id, month: body.month, operating_hours: roundHours(body.operating_hours),
      declared_by: actorOf(p), declared_role: role, note: body.note ?? null,
    });
    await recordAudit(trx, {
      actor: actorOf(p), action: 'policy.usage_declared', entity: 'policy', entity_ref: pol.policy_number,
      after: { month: body.month, deployment_ref: body.deployment_ref, operating_hours: d.operating_hours, role, note: d.note },
    });
    return {
      policy_number: pol.policy_number, month: d.month, deployment_ref: body.deployment_ref, operating_hours: d.operating_hours,
      declared_by: d.declared_by, declared_role: d.declared_role, declared_at: new Date(d.declared_at).toISOString(), note: d.note,
    };
  });
}

const declaredView = (d: repo.DeclarationRow | undefined) => (d ? {
  operating_hours: d.operating_hours, declared_by: d.declared_by, declared_role: d.declared_role,
  declared_at: new Date(d.declared_at).toISOString(), note: d.note,
} : null);

/** The statements of `months` (each with days of cover), computed from one usage query. */
async function computeStatements(db: Db, pol: repo.BillingPolicyRow, months: string[], now: Date): Promise<PolicyStatement[]> {
  if (months.length === 0) return [];
  const period = pol.period;
  const links = await repo.linkedDeployments(db, pol.id);
  const first = monthWindow(period, months[0])!;
  const last = monthWindow(period, months[months.length - 1])!;
  const usage = await repo.deploymentMonthHours(db, links.map((l) => l.deployment_id), first.from, last.to);
  const declarations = await repo.latestDeclarations(db, pol.id, months[0], months[months.length - 1]);
  const key = (deploymentId: number, month: string) => `${deploymentId}|${month}`;
  const imported = new Map(usage.map((u) => [key(u.deployment_id, u.month), u.hours]));
  const declared = new Map(declarations.map((d) => [`${key(d.deployment_id, d.month)}|${d.declared_role}`, d]));
  const schedules = await lineSchedules(db, pol);
  const today = dayOf(now);
  return months.map((month) => {
    const lines = pol.schedule.fleet.map((f, i) => {
      const line = i + 1;
      const deployments = links.filter((l) => l.line === line).map((l) => {
        const byEnterprise = declared.get(`${key(l.deployment_id, month)}|enterprise`);
        const byUnderwriter = declared.get(`${key(l.deployment_id, month)}|underwriter`);
        const imp = imported.get(key(l.deployment_id, month));
        const figures = { imported: imp ?? null, declaredByEnterprise: byEnterprise?.operating_hours ?? null, declaredByUnderwriter: byUnderwriter?.operating_hours ?? null };
        const billed = billedHours(figures);
        return {
          deployment_ref: l.deployment_ref, imported_hours: imp === undefined ? null : roundHours(imp),
          declared_by_enterprise: declaredView(byEnterprise), declared_by_underwriter: declaredView(byUnderwriter),
          billed_hours: billed.hours, source: billed.source, declared: figures.declaredByUnderwriter ?? figures.declaredByEnterprise,
        };
      });
      return { f, line, deployments };
    });
    const s = buildStatement({
      period: pol.term, coverEnd: period.end, month, minimumPremium: pol.minimum_premium,
      lines: lines.map((l) => {
        const [bound, ...changes] = schedules.get(l.line)!;
        return {
          line: l.line, grossPremium: bound.gross_premium, expectedHours: bound.expected_hours,
          changes: changes.map((c) => ({ from: c.from, grossPremium: c.gross_premium, expectedHours: c.expected_hours })),
          billedHours: l.deployments.reduce((a, d) => a + toCents(d.billed_hours), 0) / 100,
        };
      }),
    });
    let anyDeclared = false;
    let declaredCents = 0;
    const statementLines = lines.map((l, i) => {
      const sl = s.lines[i];
      // the line as scheduled on the month's last day of cover
      const inForce = schedules.get(l.line)!.filter((x) => x.from <= s.to).at(-1)!;
      const decl = l.deployments.filter((d) => d.declared !== null);
      const declaredHours = decl.length ? decl.reduce((a, d) => a + toCents(roundHours(d.declared!)), 0) / 100 : null;
      if (declaredHours !== null) { anyDeclared = true; declaredCents += toCents(declaredHours); }
      return {
        line: l.line, robot_model: l.f.robot_model, scenario_class: l.f.scenario_class, units: inForce.units,
        line_gross_premium: inForce.gross_premium, line_expected_hours: inForce.expected_hours,
        rate_per_operating_hour: sl.rate,
        rates: sl.pieces.map((x) => ({ from: x.from, to: x.to, days: x.days, line_gross_premium: x.grossPremium, line_expected_hours: x.expectedHours, rate_per_operating_hour: x.rate })), expected_hours: sl.expectedHours, declared_hours: declaredHours,
        declared_minus_expected: declaredHours === null ? null : (toCents(declaredHours) - toCents(sl.expectedHours)) / 100,
        billed_hours: sl.billedHours, billed_minus_expected: sl.hoursVariance, amount: sl.amount, expected_amount: sl.expectedAmount,
        deployments: l.deployments.map(({ declared: _declared, ...d }) => d),
      };
    });
    return {
      policy_number: pol.policy_number, quote_ref: pol.quote_ref, organization: { ref: pol.organization_ref, name: pol.organization_name },
      period: { start: period.start, end: period.end }, month, from: s.from, to: s.to, days: s.days, period_days: s.periodDays,
      status: s.to >= today ? 'provisional' : 'final', currency: 'CNY', lines: statementLines,
      expected_hours: s.expectedHours, declared_hours: anyDeclared ? declaredCents / 100 : null, billed_hours: s.billedHours,
      subtotal: s.subtotal, minimum_premium: s.minimumPremium, minimum_premium_adjustment: s.minimumAdjustment, total: s.total,
      source_rule: SOURCE_RULE, generated_at: now.toISOString(),
    } satisfies PolicyStatement;
  });
}

/** The premium statement of `month` (`YYYY-MM`); a month without days of cover is refused naming `month`. */
export async function policyStatement(db: Db, p: Principal, policyNumber: string, month: string, now = new Date()): Promise<PolicyStatement> {
  const pol = await findPolicy(db, p, policyNumber);
  requirePayPerUse(pol);
  if (!coverOf(pol, month)) {
    throw fieldError('month', `${month} is outside the policy period ${pol.period.start} to ${pol.period.end}`);
  }
  return (await computeStatements(db, pol, [month], now))[0];
}

/** Every month of the policy whose cover has begun, with its totals (provisional while it runs). */
export async function listPolicyStatements(db: Db, p: Principal, policyNumber: string, now = new Date()) {
  const pol = await findPolicy(db, p, policyNumber);
  requirePayPerUse(pol);
  const today = dayOf(now);
  const months = coverMonths(pol).filter((m) => coverOf(pol, m)!.from <= today);
  const all = await computeStatements(db, pol, months, now);
  return {
    policy_number: pol.policy_number,
    data: all.map((s) => ({ month: s.month, from: s.from, to: s.to, status: s.status, expected_hours: s.expected_hours, billed_hours: s.billed_hours, total: s.total })),
  };
}

/** The statement as CSV text. */
export async function policyStatementCsv(db: Db, p: Principal, policyNumber: string, month: string, now = new Date()): Promise<string> {
  return statementCsv(await policyStatement(db, p, policyNumber, month, now));
}

/** The statement as a PDF; with `creationDate` the bytes are deterministic (and the statement is computed as of that instant). */
export async function policyStatementPdf(db: Db, p: Principal, policyNumber: string, month: string, creationDate?: Date): Promise<Buffer> {
  const statement = await policyStatement(db, p, policyNumber, month, creationDate ?? new Date());
  return renderStatementPdf({ statement, creationDate });
}
