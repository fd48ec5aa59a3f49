import type { Knex } from 'knex';

export async function getMeta<T>(q: Knex | Knex.Transaction, key: string): Promise<T | undefined> {
  const r = await q('app_meta').where({ key }).first();
  return r ? (r.value as T) : undefined;
}

export async function setMeta(q: Knex | Knex.Transaction, key: string, value: unknown): Promise<void> {
  await q('app_meta').insert({ key, value: JSON.stringify(value) }).onConflict('key').merge();
}
