/**
 * Policies and subjectivities (issue 14, docs/policy-lifecycle.md).
 *
 * * `quotes` gains the `accepted` status (an enterprise accepted a quoted quote; an underwriter
 *   binds it, or it was bound automatically) and who accepted / decided it and when. The column
 *   `decision` is the current underwriting decision (the rules', replaced by an underwriter's on
 *   a referral); the rules' own decision stays in `result.decision`.
 * * `quote_subjectivities`: each condition of a quote with a life. Created from the rules'
 *   subjectivities when the quote is stored and from an underwriter's decision; `seq` (1, 2, …
 *   per quote) is the id in the API. `status` open → satisfied | waived by an underwriter, with
 *   who (`actor`), when (`at`) and why (`note`); the insured may attach an evidence note.
 * * `policies`: one per bound quote (quote_id unique: two binds at once make one policy), with
 *   the policy number RR-P-<year bound, UTC>-<6+ digits of policy_number_seq>, the period, basis,
 *   gross premium and a schedule snapshot (fleet, coverages, premium lines) taken at bind, so
 *   mid-term changes (endorsements) can replace it without touching the quote.
 *
 * Existing data: each stored quote gets its rules' subjectivities (`required_before` bind); those
 * of quotes already bound are recorded as waived by `system` (bound before subjectivities were
 * tracked), and each bound quote gets its policy, numbered in the order the quotes were bound.
 */
import type { Knex } from 'knex';

const SUBJECTIVITY_STATUSES = "'open', 'satisfied', 'waived'";
const REQUIRED_BEFORE = "'bind', 'inception', 'none'";

/** The policy number of a policy bound at `boundAt` (SQL expression; draws the next sequence value). */
export const POLICY_NUMBER_SQL = (boundAt: string) =>
  `'RR-P-' || to_char(${boundAt} at time zone 'UTC', 'YYYY') || '-' || (select lpad(n::text, greatest(6, length(n::text)), '0') from (select nextval('policy_number_seq') as n) s)`;

export async function up(knex: Knex): Promise<void> {
  // quotes: the lifecycle gains `accepted`; the status check created by knex has a generated name
  const checks = await knex.raw(`select conname from pg_constraint where conrelid = 'quotes'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%status%'`);
  for (const r of checks.rows as { conname: string }[]) await knex.raw('alter table quotes drop constraint ??', [r.conname]);
  await knex.raw(`alter table quotes add constraint quotes_status_check check (status in ('quoted', 'referred', 'declined', 'accepted', 'bound', 'expired'))`);
  await knex.schema.alterTable('quotes', (t) => {
    t.timestamp('accepted_at', { useTz: true });
    t.text('accepted_by');
    t.text('decided_by');
  });

  await knex.raw(`create table quote_subjectivities (
    quote_id integer not null references quotes(id) on delete cascade,
    seq integer not null,
    text text not null,
    source text not null,
    required_before text not null default 'bind',
    status text not null default 'open',
    actor text,
    at timestamptz,
    note text,
    evidence_note text,
    evidence_by text,
    evidence_at timestamptz,
    created_by text not null,
    created_at timestamptz not null default now(),
    primary key (quote_id, seq),
    constraint quote_subjectivities_seq check (seq >= 1),
    constraint quote_subjectivities_source check (source in ('rules', 'underwriter')),
    constraint quote_subjectivities_required_before check (required_before in (${REQUIRED_BEFORE})),
    constraint quote_subjectivities_status check (status in (${SUBJECTIVITY_STATUSES})),
    -- a closed subjectivity says who closed it, when and why
    constraint quote_subjectivities_closed check (status = 'open' or (actor is not null and at is not null and note is not null)),
    constraint quote_subjectivities_evidence check ((evidence_note is null) = (evidence_by is null) and (evidence_note is null) = (evidence_at is null))
  )`);

  await knex.raw('create sequence policy_number_seq');
  await knex.raw(`create table policies (
    id serial primary key,
    policy_number text not null unique,
    quote_id integer not null unique references quotes(id),
    organization_id integer not null references organizations(id),
    status text not null default 'live',
    basis text not null,
    inception_date date not null,
    expiry_date date not null,
    currency text not null default 'CNY',
    gross_premium numeric(16, 2) not null,
    schedule jsonb not null,
    versions jsonb not null,
    bind_mode text not null,
    bound_at timestamptz not null,
    bound_by text not null,
    cancelled_at timestamptz,
    cancelled_by text,
    cancellation_effective_date date,
    cancellation_reason text,
    created_at timestamptz not null default now(),
    constraint policies_status check (status in ('live', 'cancelled', 'expired')),
    constraint policies_basis check (basis in ('annual', 'pay_per_use')),
    constraint policies_bind_mode check (bind_mode in ('underwriter', 'auto_on_acceptance', 'migration')),
    constraint policies_period check (expiry_date >= inception_date),
    constraint policies_premium check (gross_premium >= 0),
    constraint policies_cancelled check ((status = 'cancelled') = (cancelled_at is not null))
  )`);
  await knex.raw('create index policies_organization on policies (organization_id, id)');

  // existing quotes: the rules' subjectivities; those of bound quotes were bound past them
  await knex.raw(`insert into quote_subjectivities (quote_id, seq, text, source, required_before, status, actor, at, note, created_by, created_at)
    select q.id, s.ord, s.txt, 'rules', 'bind',
           case when q.status = 'bound' then 'waived' else 'open' end,
           case when q.status = 'bound' then 'system' end,
           case when q.status = 'bound' then coalesce(q.bound_at, now()) end,
           case when q.status = 'bound' then 'bound before subjectivities were tracked (migration 20261204000100_policies)' end,
           q.created_by, q.created_at
    from quotes q cross join lateral jsonb_array_elements_text(coalesce(q.result -> 'subjectivities', '[]'::jsonb)) with ordinality as s(txt, ord)`);
  // existing bound quotes: their policies, numbered in the order they were bound
  const bound = await knex.raw(`select id from quotes where status = 'bound' order by coalesce(bound_at, created_at), id`);
  for (const { id } of bound.rows as { id: number }[]) {
    await knex.raw(`insert into policies (policy_number, quote_id, organization_id, basis, inception_date, expiry_date, gross_premium, schedule, versions, bind_mode, bound_at, bound_by)
      select ${POLICY_NUMBER_SQL('coalesce(q.bound_at, q.created_at)')}, q.id, q.organization_id, q.request ->> 'basis',
             (q.request #>> '{period,start}')::date, (q.request #>> '{period,end}')::date, q.gross_premium,
             jsonb_build_object('fleet', q.request -> 'fleet', 'coverages', q.request -> 'coverages', 'premium', q.result -> 'premium', 'pay_per_use', q.result -> 'pay_per_use'),
             q.versions, 'migration', coalesce(q.bound_at, q.created_at), 'system'
      from quotes q where q.id = ?`, [id]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('policies');
  await knex.raw('drop sequence if exists policy_number_seq');
  await knex.schema.dropTable('quote_subjectivities');
  await knex.schema.alterTable('quotes', (t) => {
    t.dropColumn('accepted_at');
    t.dropColumn('accepted_by');
    t.dropColumn('decided_by');
  });
  await knex.raw('alter table quotes drop constraint quotes_status_check');
  // accepted quotes fall back to quoted (the status before acceptance)
  await knex.raw(`update quotes set status = 'quoted' where status = 'accepted'`);
  await knex.raw(`alter table quotes add constraint quotes_status_check check (status in ('quoted', 'referred', 'declined', 'bound', 'expired'))`);
}
