import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvField, toCsv, DEPLOYMENT_COLUMNS, EXPOSURE_COLUMNS, INCIDENT_COLUMNS } from '../../seeds/csv.ts';
import { generateDemoHistory } from '../../seeds/generator.ts';

describe('csvField / toCsv (RFC 4180)', () => {
  it('quotes fields with comma, quote, CR or LF and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('深圳智造机器人有限公司')).toBe('深圳智造机器人有限公司');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(1234.5)).toBe('1234.5');
    expect(csvField(true)).toBe('true');
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Infinity)).toThrow(RangeError);
  });

  it('writes a header and CRLF-terminated records in the given column order', () => {
    const rows = [
      { b: 2, a: 'x,y', c: 'ignored' },
      { b: 3.25, a: 'q"q', c: '' },
    ];
    expect(toCsv(rows, ['a', 'b'])).toBe('a,b\r\n"x,y",2\r\n"q""q",3.25\r\n');
    expect(toCsv([], ['a'])).toBe('a\r\n');
    expect(() => toCsv(rows, [])).toThrow(RangeError);
  });

  it('round-trips arbitrary strings through a conforming parser (csv-parse)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ s: fc.string(), t: fc.string() }), { minLength: 1, maxLength: 20 }), (rows) => {
        const text = toCsv(rows, ['s', 't']);
        const back = parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
        expect(back).toEqual(rows);
      }),
    );
  });
});

describe('data-contract column lists', () => {
  const h = generateDemoHistory({ seed: 11, deployments: 30 });

  it('match the generated row fields in data-contract order', () => {
    expect([...DEPLOYMENT_COLUMNS]).toEqual(Object.keys(h.deployments[0]));
    expect([...EXPOSURE_COLUMNS]).toEqual(Object.keys(h.exposures[0]));
    expect([...INCIDENT_COLUMNS]).toEqual(Object.keys(h.incidents[0]));
    expect(DEPLOYMENT_COLUMNS.join(',')).toBe(
      'deployment_ref,organization_ref,province,scenario_class,robot_model,units,autonomy_level,start_date,end_date,integrator_ref',
    );
    expect(EXPOSURE_COLUMNS.join(',')).toBe('deployment_ref,period_start,period_end,operating_hours,task_cycles,protective_stops,near_misses,software_version,downtime_hours');
    expect(INCIDENT_COLUMNS.join(',')).toBe(
      'incident_ref,deployment_ref,occurred_at,reported_at,incident_type,severity_level,bodily_injury_count,robot_damage,third_party_property_damage,bodily_injury_cost,downtime_hours,business_interruption_cost,status,paid,case_reserve,currency',
    );
  });

  it('lets the demo history be written and parsed back value for value', () => {
    const cases = [
      [h.deployments, DEPLOYMENT_COLUMNS],
      [h.exposures, EXPOSURE_COLUMNS],
      [h.incidents, INCIDENT_COLUMNS],
    ] as const;
    for (const [rows, cols] of cases) {
      const text = toCsv(rows as readonly object[], cols as never);
      const back = parse(text, { columns: true }) as Record<string, string>[];
      expect(back).toHaveLength(rows.length);
      back.forEach((r, k) => {
        const orig = rows[k] as unknown as Record<string, unknown>;
        for (const c of cols) {
          const v = orig[c];
          if (typeof v === 'number') expect(Number(r[c])).toBe(v);
          else expect(r[c]).toBe(v === null ? '' : String(v)); // a running deployment has no end_date
        }
      });
    }
  });
});
