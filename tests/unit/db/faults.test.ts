import { describe, expect, it } from 'vitest';
import { classifyDbFault } from '../../../db/faults.ts';

/** A pg DatabaseError as node-postgres builds it: message plus SQLSTATE `code`. */
const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database faults (db/faults.ts)', () => {
  it('a database that cannot be reached or stops answering is unavailable', () => {
    const unavailable = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }),
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'all addresses failed'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
      new Error('timeout expired'),
      new Error('Query read timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
      new Error('Unable to acquire a connection'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006'), pgError('08001'), pgError('08P01'),
      pgError('53300', 'sorry, too many clients already'),
    ];
    for (const e of unavailable) expect(classifyDbFault(e), e.message).toBe('unavailable');
  });

  it('a statement, lock or idle transaction past its limit is a timeout', () => {
    expect(classifyDbFault(pgError('57014', 'canceling statement due to statement timeout'))).toBe('timeout');
    expect(classifyDbFault(pgError('55P03', 'canceling statement due to lock timeout'))).toBe('timeout');
    expect(classifyDbFault(pgError('25P03', 'terminating connection due to idle-in-transaction timeout'))).toBe('timeout');
  });

  it('errors of the request or of the code are not faults of the database', () => {
    const others: unknown[] = [
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('22P02', 'invalid input syntax for type integer'),
      pgError('42P01', 'relation does not exist'),
      pgError('40P01', 'deadlock detected'),
      Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      'a string', undefined, null, 42,
    ];
    for (const e of others) expect(classifyDbFault(e), String(e)).toBeUndefined();
  });
});
