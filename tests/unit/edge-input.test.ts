/**
 * The building blocks of input validation at the edge (domain/ids.ts, domain/text.ts,
 * domain/calendar.ts and the schemas of domain/schemas/common.ts): one spelling per id, text the
 * database can store, dates of the calendar.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cursorId, encodeCursor, MAX_ID, parseId } from '../../domain/ids.ts';
import { jsonFlaws, MAX_JSON_DEPTH, textFlaw } from '../../domain/text.ts';
import { isCalendarDate, parseTimestamp } from '../../domain/calendar.ts';
import { Id, IdParam, isoDate, isoDateTime, isoTimestamp, text, WellFormed } from '../../domain/schemas/common.ts';

describe('ids', () => {
  it('only the canonical decimal spelling within int4 names an id', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('16')).toBe(16);
    expect(parseId(String(MAX_ID))).toBe(MAX_ID);
    for (const s of ['0x10', '1e1', '01', '+1', ' 1 ', '1 ', '-1', '0', '1.0', '１', '2147483648', '9999999999', '99999999999', '', '1_0', 'Infinity', 'NaN']) {
      expect(parseId(s), s).toBeUndefined();
    }
  });

  it('the path schema and the body schema agree on the range', () => {
    expect(IdParam.parse('2147483647')).toBe(MAX_ID);
    expect(IdParam.safeParse('2147483648').success).toBe(false);
    expect(IdParam.safeParse('0x10').success).toBe(false);
    expect(Id.safeParse(MAX_ID).success).toBe(true);
    expect(Id.safeParse(MAX_ID + 1).success).toBe(false);
    expect(Id.safeParse(0).success).toBe(false);
    expect(Id.safeParse(1.5).success).toBe(false);
  });

  it('a cursor round-trips; ids beyond int4, other texts and re-encodings are not cursors', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_ID }), (id) => cursorId(encodeCursor(id)) === id));
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    expect(cursorId(b64('id:2147483648'))).toBeUndefined();
    expect(cursorId(b64('id:01'))).toBeUndefined();
    expect(cursorId(b64('id:0x10'))).toBeUndefined();
    expect(cursorId(b64('id:1\n'))).toBeUndefined();
    expect(cursorId('garbage')).toBeUndefined();
    expect(cursorId(`${encodeCursor(5)}=`)).toBeUndefined(); // base64 would ignore the padding
    expect(cursorId(`${encodeCursor(5)}!`)).toBeUndefined(); // … and stray characters
  });
});

describe('text', () => {
  it('refuses NUL and lone surrogates, accepts any other Unicode', () => {
    expect(textFlaw('a\u0000b')).toMatch(/NUL/);
    expect(textFlaw('a\ud800b')).toMatch(/surrogate/);
    expect(textFlaw('a\udc00')).toMatch(/surrogate/);
    expect(textFlaw('\udc00\ud800')).toMatch(/surrogate/); // a low before a high is no pair
    expect(textFlaw('深圳 😀 \u0001 \uFFFF')).toBeNull();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => textFlaw(s) === null || s.includes('\u0000')));
    expect(text.safeParse('ok').success).toBe(true);
    expect(text.min(3).safeParse('a\u0000').error?.issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/NUL/)]));
  });

  it('finds every flawed string and key of a JSON value, with its path', () => {
    const flaws = jsonFlaws({ a: ['ok', 'x\u0000'], 'k\ud800': 1, b: { c: 'y\udfff' } });
    expect(flaws).toEqual(expect.arrayContaining([
      { path: ['a', 1], message: expect.stringMatching(/NUL/) },
      { path: [], message: expect.stringMatching(/field name .*surrogate/) },
      { path: ['b', 'c'], message: expect.stringMatching(/surrogate/) },
    ]));
    expect(jsonFlaws({ a: [1, 'fine', { b: null }] })).toEqual([]);
  });

  it('refuses nesting beyond MAX_JSON_DEPTH without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonFlaws(deep)).toEqual([{ path: expect.any(Array), message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { k: ok };
    expect(WellFormed.safeParse(ok).success).toBe(true);
  });
});

describe('dates', () => {
  it('a calendar date exists in the calendar, year 0000 excluded', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-02-30')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('0001-01-01')).toBe(true);
    expect(isoDate.safeParse('2025-02-30').success).toBe(false);
    expect(isoDate.safeParse('2025-2-3').error?.issues).toHaveLength(1);
  });

  it('timestamps: one parser for queries and imports, yielding ISO UTC', () => {
    expect(parseTimestamp('2025-03-01')).toBe('2025-03-01T00:00:00.000Z');
    expect(parseTimestamp('2025-03-01 10:30')).toBe('2025-03-01T10:30:00.000Z');
    expect(parseTimestamp('2025-03-01T10:30:00+08:00')).toBe('2025-03-01T02:30:00.000Z');
    for (const s of ['2025-02-30', '2025-02-28T25:00:00Z', '2025-02-28T10:61', '2025-01-01T00:00:00+99:99', '0000-01-01', '2025-01-01T', 'yesterday', '2025-01-01T10']) {
      expect(parseTimestamp(s), s).toBeUndefined();
    }
    expect(isoTimestamp.safeParse('2025-02-30T00:00:00Z').success).toBe(false);
    expect(isoTimestamp.parse('2025-01-01T08:00:00+08:00')).toBe('2025-01-01T00:00:00.000Z');
    expect(isoDateTime.safeParse('0000-01-01T00:00:00Z').success).toBe(false);
    expect(isoDateTime.safeParse('2025-02-30T00:00:00Z').success).toBe(false);
    expect(isoDateTime.safeParse('2025-03-01T00:00:00Z').success).toBe(true);
  });
});
