/**
 * Operating hours of deployments per calendar month from the imported exposures, for the premium
 * statements of pay-per-use policies. An exposure row may cover a month, a quarter or any part of
 * a year: its hours are spread evenly over its days exactly as the statistics and
 * `exposure_month_summary` spread them (db/repositories/exposure-spread.ts — the one spreading),
 * and only the days of the window asked for (a policy's days of cover) count.
 */
import type { Knex } from 'knex';
import { MAX_EXPOSURE_PERIOD_DAYS } from '../../domain/calendar.ts';
import { apportionedHoursSql, bucketEndSql, bucketsSql } from './exposure-spread.ts';

export interface DeploymentMonthHours {
  deployment_id: number;
  /** `YYYY-MM`. */
  month: string;
  /** Hours of the exposure rows' days that fall in the month and in the window. */
  hours: number;
  /** Exposure rows touching those days. */
  rows: number;
}

/**
 * Per deployment and calendar month, the operating hours of the exposure rows on the days
 * [from, to] (inclusive `YYYY-MM-DD`), each row's hours spread pro rata over its days. Months
 * without a row touching the window are absent (rows with 0 hours are present with 0).
 */
export async function deploymentMonthHours(q: Knex, deploymentIds: readonly number[], from: string, to: string): Promise<DeploymentMonthHours[]> {
  if (deploymentIds.length === 0) return [];
  // the window of month k: the month clipped to [from, to]; each row clipped to that window
  const ws = 'greatest(k.month, p.f)';
  const we = `least(${bucketEndSql('month', 'k.month::timestamp')}, p.t)`;
  const r = await q.raw(
    `with p as (select ?::date as f, ?::date as t, ?::int[] as ids)
     select e.deployment_id, to_char(k.month, 'YYYY-MM') as month,
            sum(${apportionedHoursSql('e', `greatest(e.period_start, ${ws})`, `least(e.period_end, ${we})`)}) as hours, count(*) as rows
     from p cross join lateral (select g::date as month from ${bucketsSql('month', 'p.f', 'p.t')} g) k
     join exposures e on e.deployment_id = any(p.ids)
       and e.period_start > k.month - ${MAX_EXPOSURE_PERIOD_DAYS} and e.period_start <= ${we} and e.period_end >= ${ws}
     group by 1, 2 order by 1, 2`,
    [from, to, [...deploymentIds]],
  );
  return r.rows.map((row: Record<string, unknown>) => ({
    deployment_id: Number(row.deployment_id), month: String(row.month), hours: Number(row.hours), rows: Number(row.rows),
  }));
}

/** A policy with what its statements need: its cover and schedule (endorsements replace it), and the plan's minimum premium. */
export interface BillingPolicyRow {
  id: number;
  policy_number: string;
  /** Stored status: live or cancelled. */
  status: string;
  basis: string;
  organization_id: number;
  organization_ref: string;
  organization_name: string;
  quote_ref: string;
  /**
   * Days of cover (inclusive): inception to expiry, ending the day before a cancellation's
   * effective date when that comes first.
   */
  period: { start: string; end: string };
  /** The policy term, inception to expiry (D, the denominator of every pro-rata share, whatever a cancellation cuts). */
  term: { start: string; end: string };
  schedule: {
    fleet: { robot_model: string; scenario_class: string; units: number; operating_hours_per_unit: number }[];
    premium: { lines: { line: number; coverage: string; gross_premium: number }[] };
  };
  /** The rating plan's minimum premium at quote time (the quote worksheet's plan loadings), CNY. */
  minimum_premium: number;
}

/** The policy numbered `policyNumber`, of organization `organizationId` when given (else any). */
export async function getBillingPolicy(q: Knex, policyNumber: string, organizationId: number | null): Promise<BillingPolicyRow | undefined> {
  const r = await q.raw(
    `select p.id, p.policy_number, p.status, p.basis, p.organization_id, o.ref as organization_ref, o.name as organization_name, qu.ref as quote_ref,
            to_char(p.inception_date, 'YYYY-MM-DD') as start,
            to_char(least(p.expiry_date, p.cancellation_effective_date - 1), 'YYYY-MM-DD') as "end",
            to_char(p.expiry_date, 'YYYY-MM-DD') as expiry,
            p.schedule, coalesce((qu.worksheet #>> '{plan,loadings,minimum_premium}')::float8, 0) as minimum_premium
     from policies p join quotes qu on qu.id = p.quote_id join organizations o on o.id = p.organization_id
     where p.policy_number = ? and (?::int is null or p.organization_id = ?::int)`,
    [policyNumber, organizationId, organizationId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const { start, end, expiry, ...rest } = row;
  return { ...rest, id: Number(row.id), organization_id: Number(row.organization_id), minimum_premium: Number(row.minimum_premium), period: { start, end }, term: { start, end: expiry } };
}

export interface LinkedDeployment { line: number; deployment_id: number; deployment_ref: string; units: number; linked_by: string; linked_at: Date }

/** The deployments linked to the lines of a policy, by line and deployment reference. */
export async function linkedDeployments(q: Knex | Knex.Transaction, policyId: number): Promise<LinkedDeployment[]> {
  const rows = await q('policy_line_deployments as l').join('deployments as d', 'd.id', 'l.deployment_id')
    .where('l.policy_id', policyId).orderBy([{ column: 'l.line' }, { column: 'd.ref' }])
    .select('l.line', 'l.deployment_id', 'd.ref as deployment_ref', 'd.units', 'l.linked_by', 'l.linked_at');
  return rows.map((r: LinkedDeployment) => ({ ...r, line: Number(r.line), deployment_id: Number(r.deployment_id), units: Number(r.units) }));
}

/** Deployments of an organization by reference (others are absent). */
export async function deploymentsOf(q: Knex | Knex.Transaction, organizationId: number, refs: readonly string[]): Promise<{ id: number; ref: string; units: number }[]> {
  if (refs.length === 0) return [];
  const rows = await q('deployments').where('organization_id', organizationId).whereIn('ref', [...refs]).select('id', 'ref', 'units');
  return rows.map((r: { id: number; ref: string; units: number }) => ({ id: Number(r.id), ref: r.ref, units: Number(r.units) }));
}

/**
 * Links of these deployments to the lines of OTHER policies that are not cancelled and whose
 * cover (their quote's period) overlaps [start, end]: a deployment's hours are billed once.
 */
export async function conflictingLinks(q: Knex | Knex.Transaction, policyId: number, deploymentIds: readonly number[], start: string, end: string): Promise<{ deployment_ref: string; policy_number: string }[]> {
  if (deploymentIds.length === 0) return [];
  const r = await q.raw(
    `select d.ref as deployment_ref, p.policy_number
     from policy_line_deployments l join policies p on p.id = l.policy_id join deployments d on d.id = l.deployment_id
     where l.deployment_id = any(?::int[]) and l.policy_id <> ? and p.status <> 'cancelled'
       and p.inception_date <= ?::date and p.expiry_date >= ?::date
     order by d.ref`,
    [[...deploymentIds], policyId, end, start],
  );
  return r.rows;
}

/** Locks deployment rows (in id order) until the end of the transaction. */
export async function lockDeployments(trx: Knex.Transaction, ids: readonly number[]): Promise<void> {
  if (ids.length) await trx('deployments').whereIn('id', [...ids]).orderBy('id').forUpdate().select('id');
}

/** Replaces the deployments of one line of a policy. */
export async function replaceLineDeployments(trx: Knex.Transaction, policyId: number, line: number, deploymentIds: readonly number[], actor: string): Promise<void> {
  await trx('policy_line_deployments').where({ policy_id: policyId, line }).delete();
  if (deploymentIds.length) {
    await trx('policy_line_deployments').insert(deploymentIds.map((id) => ({ policy_id: policyId, line, deployment_id: id, linked_by: actor })));
  }
}

export interface DeclarationRow {
  id: number; deployment_id: number; month: string; operating_hours: number; declared_by: string;
  declared_role: 'enterprise' | 'underwriter'; declared_at: Date; note: string | null;
}

export async function insertDeclaration(trx: Knex.Transaction, d: Omit<DeclarationRow, 'id' | 'declared_at' | 'month'> & { policy_id: number; month: string }): Promise<DeclarationRow> {
  const [row] = await trx('policy_usage_declarations').insert({ ...d, month: `${d.month}-01` })
    .returning(['id', 'deployment_id', trx.raw(`to_char(month, 'YYYY-MM') as month`), 'operating_hours', 'declared_by', 'declared_role', 'declared_at', 'note']);
  return { ...row, id: Number(row.id), operating_hours: Number(row.operating_hours) };
}

/** The latest declaration of each party per deployment and month of a policy, months within [from, to] (`YYYY-MM`). */
export async function latestDeclarations(q: Knex, policyId: number, fromMonth: string, toMonth: string): Promise<DeclarationRow[]> {
  const r = await q.raw(
    `select distinct on (deployment_id, month, declared_role) id, deployment_id, to_char(month, 'YYYY-MM') as month, operating_hours,
            declared_by, declared_role, declared_at, note
     from policy_usage_declarations
     where policy_id = ? and month between ?::date and ?::date
     order by deployment_id, month, declared_role, declared_at desc, id desc`,
    [policyId, `${fromMonth}-01`, `${toMonth}-01`],
  );
  return r.rows.map((row: DeclarationRow) => ({ ...row, id: Number(row.id), deployment_id: Number(row.deployment_id), operating_hours: Number(row.operating_hours) }));
}
