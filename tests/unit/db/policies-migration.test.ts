/**
 * Migration 20261204000100_policies on existing data: every stored quote gets its rules'
 * subjectivities; those of bound quotes are recorded as waived by `system`, and each bound quote
 * gets one policy, numbered in the order the quotes were bound. Rolling it back restores the
 * quote statuses (accepted → quoted). The schema refuses impossible rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../helpers/context.ts';
import { migrateDownOne, migrateLatest, migrationNames } from '../../../db/migrate.ts';

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(async () => { await t?.close(); });

const quote = (ref: string, orgId: number, status: string, subjectivities: string[], boundAt: Date | null) => ({
  ref, organization_id: orgId, request: JSON.stringify({ basis: 'annual', period: { start: '2026-01-01', end: '2026-12-31' }, fleet: [], coverages: [] }),
  request_hash: 'h', decision: status === 'bound' ? 'quoted' : status, status, gross_premium: 1234.5,
  result: JSON.stringify({ decision: 'quoted', subjectivities, premium: { currency: 'CNY', lines: [] }, pay_per_use: {} }),
  worksheet: '{}', versions: JSON.stringify({ rating_plan: { id: 1, name: 'p', version: 1 } }), valid_until: new Date('2030-01-01'),
  created_by: 'test', bound_at: boundAt,
});

describe('migration 20261204000100_policies', () => {
  it('backfills subjectivities and policies of stored quotes, and rolls back', async () => {
    expect(migrationNames().at(-1)).toBe('20261204000100_policies');
    await migrateLatest(t.db);
    await migrateDownOne(t.db);
    const [{ id: org }] = await t.db('organizations').insert({ ref: 'O1', name: 'o', kind: 'enterprise' }).returning('id');
    await t.db('quotes').insert([
      quote('Q-1', org, 'bound', ['A before binding', 'B'], new Date('2025-06-02T00:00:00Z')),
      quote('Q-2', org, 'quoted', ['C'], null),
      quote('Q-3', org, 'bound', [], new Date('2025-06-01T00:00:00Z')),
    ]);
    expect(await migrateLatest(t.db)).toEqual(['20261204000100_policies']);

    const subs = await t.db('quote_subjectivities as s').join('quotes as q', 'q.id', 's.quote_id')
      .select('q.ref', 's.seq', 's.text', 's.status', 's.required_before', 's.actor', 's.source').orderBy(['q.ref', 's.seq']);
    expect(subs).toEqual([
      { ref: 'Q-1', seq: 1, text: 'A before binding', status: 'waived', required_before: 'bind', actor: 'system', source: 'rules' },
      { ref: 'Q-1', seq: 2, text: 'B', status: 'waived', required_before: 'bind', actor: 'system', source: 'rules' },
      { ref: 'Q-2', seq: 1, text: 'C', status: 'open', required_before: 'bind', actor: null, source: 'rules' },
    ]);
    const policies = await t.db('policies as p').join('quotes as q', 'q.id', 'p.quote_id')
      .select('q.ref', 'p.policy_number', 'p.bind_mode', 'p.status', 'p.gross_premium', 'p.basis', t.db.raw('p.inception_date::text as inception'), t.db.raw('p.expiry_date::text as expiry')).orderBy('p.id');
    // numbered in bind order: Q-3 was bound first
    expect(policies).toEqual([
      { ref: 'Q-3', policy_number: 'RR-P-2025-000001', bind_mode: 'migration', status: 'live', gross_premium: 1234.5, basis: 'annual', inception: '2026-01-01', expiry: '2026-12-31' },
      { ref: 'Q-1', policy_number: 'RR-P-2025-000002', bind_mode: 'migration', status: 'live', gross_premium: 1234.5, basis: 'annual', inception: '2026-01-01', expiry: '2026-12-31' },
    ]);

    // the schema refuses impossible rows
    const q2 = (await t.db('quotes').where({ ref: 'Q-2' }).first('id')).id;
    const q1 = (await t.db('quotes').where({ ref: 'Q-1' }).first('id')).id;
    await expect(t.db('quote_subjectivities').insert({ quote_id: q2, seq: 2, text: 'x', source: 'rules', status: 'satisfied', created_by: 't' })).rejects.toThrow(/quote_subjectivities_closed/);
    await expect(t.db('quote_subjectivities').insert({ quote_id: q2, seq: 2, text: 'x', source: 'rules', required_before: 'later', created_by: 't' })).rejects.toThrow(/required_before/);
    await expect(t.db('policies').insert({
      policy_number: 'RR-P-2025-000009', quote_id: q1, organization_id: org, basis: 'annual', inception_date: '2026-01-01', expiry_date: '2026-12-31',
      gross_premium: 1, schedule: '{}', versions: '{}', bind_mode: 'underwriter', bound_at: new Date(), bound_by: 't',
    })).rejects.toThrow(/quote_id|unique/);
    await expect(t.db('quotes').where({ ref: 'Q-2' }).update({ status: 'pending' })).rejects.toThrow(/quotes_status_check/);

    // accepted quotes fall back to quoted when the migration is rolled back
    await t.db('quotes').where({ ref: 'Q-2' }).update({ status: 'accepted' });
    await migrateDownOne(t.db);
    expect((await t.db('quotes').where({ ref: 'Q-2' }).first('status')).status).toBe('quoted');
    expect(await migrateLatest(t.db)).toEqual(['20261204000100_policies']);
  });
});
