/**
 * Identified units on policies and mid-term changes (issue 14 items 3 and 6,
 * docs/policy-changes.md). Needs `policies` (migration 20261204000100_policies).
 *
 * * `policy_units`: the insured robots of a policy by fleet line and serial number (canonical,
 *   domain/serial-number.ts), each with the days it is covered, `cover_from..cover_until`
 *   (inclusive): from inception or the endorsement that added it, to expiry, the day before the
 *   endorsement that removed it, or the day before a cancellation (until < from: never covered).
 *   A serial is on at most one live policy at a time, across all organizations (this service
 *   runs for one insurer): the trigger `policy_units_serial_live` refuses a unit whose cover
 *   overlaps another cover of the same serial, with SQLSTATE 23505 and the serial in the
 *   message. It takes a transaction advisory lock on the serial first, so two concurrent binds
 *   cannot both pass the check. (An exclusion constraint would need btree_gist, which is not
 *   available in every test schema.)
 * * `policy_changes`: every premium-bearing event of a policy — `bind` (seq 1, effective at
 *   inception), `endorsement`, `cancellation` — with its effective date, the full-term premium
 *   before and after, the premium charged (+) or returned (−) to the cent, the day counts and
 *   what changed; append-only, audited with it.
 * * `policy_premium_segments`: once a policy has changed, its premium per fleet line × coverage
 *   as piecewise-constant full-term premiums over date segments (`seg_start..seg_end`, term of
 *   `term_days`, earning annual_premium / term_days a day). The loss-ratio statistics read these
 *   instead of the quote's `bound_quote_lines` for a changed policy.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table policy_units (
    id serial primary key,
    policy_id integer not null references policies(id) on delete cascade,
    line integer not null,
    serial_number text not null,
    cover_from date not null,
    cover_until date not null,
    added_by_change integer not null,
    removed_by_change integer,
    constraint policy_units_values check (line >= 1 and cover_until >= cover_from - 1 and serial_number ~ '^[A-Z0-9][A-Z0-9._/-]{0,63}$')
  )`);
  await knex.raw('create index policy_units_serial on policy_units (serial_number, cover_from)');
  await knex.raw('create index policy_units_policy on policy_units (policy_id, line)');
  await knex.raw(`create function policy_units_serial_live() returns trigger language plpgsql as $$
    begin
      if new.cover_until < new.cover_from then
        return new;
      end if;
      perform pg_advisory_xact_lock(hashtext('policy_units:' || new.serial_number));
      if exists (select 1 from policy_units u
                 where u.serial_number = new.serial_number and u.id <> new.id and u.cover_until >= u.cover_from
                   and u.cover_from <= new.cover_until and new.cover_from <= u.cover_until) then
        raise exception using errcode = 'unique_violation', constraint = 'policy_units_serial_live',
          message = format('serial number %s is already on a live policy', new.serial_number);
      end if;
      return new;
    end $$`);
  await knex.raw(`create trigger policy_units_serial_live before insert or update of serial_number, cover_from, cover_until on policy_units
    for each row execute function policy_units_serial_live()`);

  await knex.raw(`create table policy_changes (
    policy_id integer not null references policies(id) on delete cascade,
    seq integer not null,
    kind text not null,
    effective_date date not null,
    term_days integer not null,
    remaining_days integer not null,
    annual_premium_before numeric(16, 2) not null,
    annual_premium_after numeric(16, 2) not null,
    premium numeric(16, 2) not null,
    details jsonb not null,
    reason text,
    actor text not null,
    created_at timestamptz not null default now(),
    primary key (policy_id, seq),
    constraint policy_changes_kind check (kind in ('bind', 'endorsement', 'cancellation')),
    constraint policy_changes_days check (term_days >= 1 and remaining_days between 0 and term_days)
  )`);

  await knex.raw(`create table policy_premium_segments (
    policy_id integer not null references policies(id) on delete cascade,
    quote_id integer not null references quotes(id),
    line integer not null,
    coverage text not null references coverages(code),
    organization_id integer not null references organizations(id),
    scenario_class_id integer not null references scenario_classes(id),
    seg_start date not null,
    seg_end date not null,
    term_days integer not null,
    annual_premium numeric(16, 2) not null,
    primary key (policy_id, line, coverage, seg_start),
    constraint policy_premium_segments_values check (seg_end >= seg_start and term_days >= 1 and annual_premium >= 0)
  )`);
  await knex.raw('create index policy_premium_segments_quote on policy_premium_segments (quote_id)');
  await knex.raw('create index policy_premium_segments_dates on policy_premium_segments (seg_start, seg_end)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('policy_premium_segments');
  await knex.schema.dropTable('policy_changes');
  await knex.raw('drop trigger if exists policy_units_serial_live on policy_units');
  await knex.schema.dropTable('policy_units');
  await knex.raw('drop function if exists policy_units_serial_live()');
}
