/**
 * Whole-book re-rating jobs (`POST /v1/rating-plans/{id}/impact`, services/impact.ts). A job runs
 * in the API process that accepted it, but its status, progress and result live here, so any
 * process behind the load balancer answers `GET /v1/impact-jobs/{id}` (the API stays stateless).
 * `heartbeat_at` is written with every batch: a running job whose heartbeat stops was abandoned
 * (its process ended) and is reported so.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('impact_jobs', (t) => {
    t.increments('id');
    t.integer('rating_plan_id').notNullable().references('id').inTable('rating_plans');
    t.date('period_from').notNullable();
    t.date('period_to').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.jsonb('result');
    t.text('error');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw("alter table impact_jobs add constraint impact_jobs_status check (status in ('running', 'done', 'failed'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('impact_jobs');
}
