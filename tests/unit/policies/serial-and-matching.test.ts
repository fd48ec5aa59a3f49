/** Serial numbers (domain/serial-number.ts) and matching incidents to insured units (services/unit-matching.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalSerial, parseSerialList } from '../../../domain/serial-number.ts';
import { matchIncidentToUnit, type UnitCover } from '../../../services/unit-matching.ts';

describe('serial numbers', () => {
  it('one canonical form: case, surrounding space and full-width forms name the same robot', () => {
    expect(canonicalSerial(' ab-0001 ')).toEqual({ serial: 'AB-0001' });
    expect(canonicalSerial('ＡＢ－０００１')).toEqual({ serial: 'AB-0001' }); // NFKC: full-width letters, digits, hyphen
    expect(canonicalSerial('ub.h1/2027_77')).toEqual({ serial: 'UB.H1/2027_77' });
  });

  it('refuses empty, too long, inner spaces, leading punctuation and other characters', () => {
    for (const bad of ['', '   ', 'AB 1', '-AB1', 'AB#1', 'ä1', 'A'.repeat(65), 'AB\u00001', '序列1']) {
      expect('error' in canonicalSerial(bad), bad).toBe(true);
    }
    expect(canonicalSerial('A'.repeat(64))).toEqual({ serial: 'A'.repeat(64) });
  });

  it('a list from one cell (; | or spaces) or an array, with every bad entry and duplicate named', () => {
    expect(parseSerialList('a-1; a-2 |A-3  a-4')).toEqual({ serials: ['A-1', 'A-2', 'A-3', 'A-4'], problems: [] });
    expect(parseSerialList(['x1', 'X1', '#'])).toEqual({ serials: ['X1'], problems: ['serial X1 appears twice', "serial 3 ('#'): a serial number is letters A-Z, digits and - _ . / (starting with a letter or digit), without spaces"] });
  });

  it('canonical form is idempotent and never longer than 64 characters (fast-check)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), (s) => {
      const c = canonicalSerial(s);
      if ('serial' in c) {
        expect(canonicalSerial(c.serial)).toEqual(c);
        expect(c.serial.length).toBeLessThanOrEqual(64);
        expect(c.serial).toMatch(/^[A-Z0-9][A-Z0-9._/-]*$/);
      }
    }), { numRuns: 1000 });
  });
});

const cover = (serial: string, org: number, policy: string, from: string, until: string, line = 1): UnitCover => ({ serial_number: serial, organization_id: org, policy_number: policy, line, from, until });

describe('matching an incident to an insured unit', () => {
  const covers = [
    cover('A-1', 1, 'P-1', '2027-01-01', '2027-12-31'),
    cover('A-2', 1, 'P-1', '2027-01-01', '2027-06-30', 2), // removed by endorsement from 2027-07-01
    cover('B-1', 2, 'P-2', '2027-01-01', '2027-12-31'),
  ];
  const inc = (serial: string | null, day: string, org = 1, deployment: string[] | null = ['A-1', 'A-2']) => ({ organization_id: org, day, serial_number: serial, deployment_serials: deployment });

  it('a unit on a live policy of the organization that day is insured (policy and line named)', () => {
    expect(matchIncidentToUnit(inc('A-1', '2027-03-01'), covers, true)).toEqual({
      status: 'insured', flagged: false, policy_number: 'P-1', line: 1, serial_not_in_deployment: false, insured_by_other_organization: false,
    });
  });

  it('a unit removed by endorsement, before inception or after expiry is flagged not on a live policy', () => {
    for (const [s, d] of [['A-2', '2027-07-01'], ['A-1', '2026-12-31'], ['A-1', '2028-01-01'], ['Z-9', '2027-03-01']] as const) {
      const m = matchIncidentToUnit(inc(s, d), covers, true);
      expect(m.status, `${s} ${d}`).toBe('not_on_live_policy');
      expect(m.flagged).toBe(true);
    }
    expect(matchIncidentToUnit(inc('A-2', '2027-06-30'), covers, true).status).toBe('insured');
  });

  it("a claim on another organization's insured unit: flagged; only a view of every organization learns who insures it", () => {
    const all = matchIncidentToUnit(inc('B-1', '2027-03-01', 1, null), covers, true);
    expect(all).toMatchObject({ status: 'not_on_live_policy', flagged: true, insured_by_other_organization: true, policy_number: null });
    const own = matchIncidentToUnit(inc('B-1', '2027-03-01', 1, null), covers, false);
    expect(own).toMatchObject({ status: 'not_on_live_policy', flagged: true, insured_by_other_organization: false });
  });

  it('a serial its deployment does not name is flagged even when insured; an incident naming no unit is unidentified', () => {
    expect(matchIncidentToUnit(inc('A-1', '2027-03-01', 1, ['X-1']), covers, true)).toMatchObject({ status: 'insured', flagged: true, serial_not_in_deployment: true });
    expect(matchIncidentToUnit(inc(null, '2027-03-01'), covers, true)).toMatchObject({ status: 'unidentified', flagged: false });
  });

  it('insured exactly when an own cover contains the day (fast-check against a direct count)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((k) => `2027-01-${String((k % 28) + 1).padStart(2, '0')}`);
    const cv = fc.record({ serial: fc.constantFrom('S1', 'S2'), org: fc.constantFrom(1, 2), from: day, until: day })
      .map((c) => cover(c.serial, c.org, `P-${c.org}`, c.from, c.until));
    fc.assert(fc.property(fc.array(cv, { maxLength: 6 }), fc.constantFrom('S1', 'S2'), day, fc.constantFrom(1, 2), (cs, s, d, org) => {
      const m = matchIncidentToUnit(inc(s, d, org, null), cs, true);
      const own = cs.some((c) => c.serial_number === s && c.organization_id === org && c.from <= d && d <= c.until);
      expect(m.status).toBe(own ? 'insured' : 'not_on_live_policy');
      expect(m.insured_by_other_organization).toBe(cs.some((c) => c.serial_number === s && c.organization_id !== org && c.from <= d && d <= c.until));
    }), { numRuns: 500 });
  });
});
