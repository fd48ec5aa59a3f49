/** The CLI's help and argument errors: no database is opened for either. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

const tmp = tempDir('usage');
const dataDir = path.join(tmp.dir, 'data');
const env = { ROBORISK_DATA_DIR: dataDir, ROBORISK_DEMO: 'false' };
afterAll(() => tmp.remove());

const COMMANDS = [
  [], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['import'], ['quote'],
  ['stats'], ['stats', 'incident-rates'], ['stats', 'severity'], ['stats', 'loss-ratios'], ['scorecard'],
];

describe('CLI help', () => {
  it('the top-level --help lists every command and says PGlite admits one process at a time', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code).toBe(0);
    for (const c of ['keys', 'import', 'quote', 'stats', 'scorecard']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toContain('PGlite admits one process at a time');
    expect(r.stdout).toContain('cli:<OS user>');
  });

  it('every command has a --help that exits 0', async () => {
    const runs = await Promise.all(COMMANDS.map((c) => runCli([...c, '--help'], env)));
    runs.forEach((r, i) => {
      expect(r.code, COMMANDS[i].join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: roborisk ${COMMANDS[i].join(' ')}`.trimEnd());
      expect(r.stderr).toBe('');
    });
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('CLI argument errors: exit 2, the argument named, then the usage', () => {
  const cases: [string[], RegExp][] = [
    [[], /Usage: roborisk <command>/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['keys', 'create'], /required option '--role <role>' not specified/],
    [['keys', 'create', '--role', 'boss'], /'--role <role>' argument 'boss' is invalid/],
    [['keys', 'create', '--role', 'enterprise'], /'--organization <ref>' is required with --role enterprise/],
    [['keys', 'revoke', 'seven'], /value 'seven' is invalid for argument 'id'/],
    [['keys', 'list', '--all'], /unknown option '--all'/],
    [['import', 'claims', 'x.csv'], /value 'claims' is invalid for argument 'kind'/],
    [['import', 'exposures'], /missing required argument 'path'/],
    [['import', 'exposures', 'no-such-file.csv'], /<path> 'no-such-file.csv': no such file/],
    [['import', 'exposures', 'package.json', '--format', 'xml'], /'--format <format>' argument 'xml' is invalid/],
    [['import', 'exposures', 'README.md'], /cannot tell the format of 'README.md'.*--format/],
    [['import', 'all', 'tests'], /<path> 'tests' lacks deployments.csv, exposures.csv, incidents.csv/],
    [['quote', 'package.json', '--as', 'regulator'], /'--as <role>' argument 'regulator' is invalid/],
    [['stats', 'severity'], /required option '--coverage <coverage>' not specified/],
    [['stats', 'incident-rates', '--group-by', 'province'], /option '--group-by': /],
    [['stats', 'incident-rates', '--from', '2025-02-30x'], /option '--from': /],
    [['stats', 'loss-ratios', '--group-by', 'incident_type'], /option '--group-by': /],
  ];
  it.each(cases)('roborisk %j', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: roborisk/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });
});
