/**
 * Identified units in the validation history (issue 14 item 3, docs/policy-changes.md §3):
 * a deployment may name its robots (`serial_numbers`, canonical form of domain/serial-number.ts,
 * at most `units` of them) and an incident the robot involved (`serial_number`). Both optional
 * and null when a file omits them (like `integrator_ref`), so every earlier file and row stays
 * valid. GIN on the deployments' serials and a b-tree on the incidents' serial: claims and
 * policies look units up by serial.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table deployments add column serial_numbers text[]');
  await knex.raw(`alter table deployments add constraint deployments_serials check (
    serial_numbers is null or (cardinality(serial_numbers) between 1 and units and array_position(serial_numbers, null) is null))`);
  await knex.raw('create index deployments_serial_numbers on deployments using gin (serial_numbers)');
  await knex.raw('alter table incidents add column serial_number text');
  await knex.raw('create index incidents_serial_number on incidents (serial_number) where serial_number is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists incidents_serial_number');
  await knex.raw('alter table incidents drop column serial_number');
  await knex.raw('drop index if exists deployments_serial_numbers');
  await knex.raw('alter table deployments drop constraint deployments_serials');
  await knex.raw('alter table deployments drop column serial_numbers');
}
