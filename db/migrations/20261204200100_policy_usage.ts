/**
 * Pay-per-use policies (issue 14 item 5, docs/policy-statements.md): the deployments whose
 * imported operating hours a fleet line of a policy bills, and usage declarations (append-only:
 * every declaration is kept with who and when; the latest of each party counts).
 * Needs `policies` (migration 20261204000100).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table policy_line_deployments (
    policy_id integer not null references policies(id) on delete cascade,
    line integer not null,
    deployment_id integer not null references deployments(id),
    linked_by text not null,
    linked_at timestamptz not null default now(),
    primary key (policy_id, deployment_id),
    constraint policy_line_deployments_line check (line >= 1)
  )`);
  await knex.raw('create index policy_line_deployments_deployment on policy_line_deployments (deployment_id)');
  await knex.raw(`create table policy_usage_declarations (
    id bigserial primary key,
    policy_id integer not null references policies(id) on delete cascade,
    deployment_id integer not null references deployments(id),
    month date not null,
    operating_hours numeric(14, 2) not null,
    declared_by text not null,
    declared_role text not null,
    declared_at timestamptz not null default now(),
    note text,
    constraint policy_usage_declarations_month check (extract(day from month) = 1),
    constraint policy_usage_declarations_values check (operating_hours >= 0 and declared_role in ('enterprise', 'underwriter'))
  )`);
  await knex.raw(`create index policy_usage_declarations_latest
    on policy_usage_declarations (policy_id, deployment_id, month, declared_role, declared_at desc, id desc)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('policy_usage_declarations');
  await knex.schema.dropTable('policy_line_deployments');
}
