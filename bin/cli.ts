/**
 * `npm run cli -- <command> …` (the package's `roborisk` command): the operator's tool on the
 * server's own database — API keys (the lost-key path), imports from disk, quotes with their
 * PDF, regulator statistics. It calls services/ directly (never the HTTP handlers) as a
 * principal of its own, audited as `cli:<OS user>`. The commands' code is loaded only when a
 * command runs, so `--help` and argument errors answer at once.
 */
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { COVERAGE_CODES, ROLES } from '../domain/index.ts';
import { EXIT, UsageError, report } from './cli/errors.ts';

const IMPORT_KINDS = ['deployments', 'exposures', 'incidents'] as const;

const DATABASE_HELP = `
Database: the server's own. PostgreSQL when DATABASE_URL is set, else the embedded PGlite
database in ROBORISK_DATA_DIR (default ./data). Each command first migrates it to the latest
version and, on a new database, sets it up as the server's first start does (ROBORISK_DEMO:
demo organizations, history, models and keys; the demo keys are printed then).
PGlite admits one process at a time: stop the server (npm start) before running a command on
the embedded database, and run one command at a time (or use PostgreSQL).

The CLI holds no API key: it acts in the role a command needs (admin for keys, actuary for
imports, underwriter or enterprise for quotes) and the audit trail records it as cli:<OS user>.

Exit codes: 0 done; 1 failed (invalid input rows or request, unknown reference: the field
errors are printed); 2 invalid arguments or configuration; 130 interrupted.`;

const EXAMPLES = `
Examples:
  npm run cli -- keys create --role actuary --label "pricing team"
  npm run seed:demo-files -- demo-data && npm run cli -- import all demo-data
  npm run cli -- quote request.json --organization ENT-001 --pdf quote.pdf
  npm run cli -- stats incident-rates --group-by scenario_area,period --period-unit year
  npm run cli -- scorecard --class manufacturing.assembly --by-software-version`;

type Commands = typeof import('./cli/commands.ts');

/** An action whose code is imported when it runs; UsageErrors exit 2 with the command's usage. */
const lazy =
  <K extends 'keysCreate' | 'keysList' | 'keysRevoke' | 'importFiles' | 'quote' | 'impact' | 'stats' | 'scorecard'>(name: K, ...fixed: unknown[]) =>
  async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const commands: Commands = await import('./cli/commands.ts');
    const fn = commands[name] as (...a: unknown[]) => Promise<void>;
    try {
      await fn(...fixed, ...args.slice(0, -1));
    } catch (e) {
      if (e instanceof UsageError) cmd.error(`error: ${e.message}`, { exitCode: EXIT.usage, code: 'roborisk.usage' });
      throw e;
    }
  };

const positiveInt = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`${name} must be a positive integer.`);
  return Number(v);
};

function buildProgram(): Command {
  const program = new Command('roborisk')
    .description("roborisk on the command line: API keys, imports, quotes and statistics on the server's database")
    .usage('<command> [options]')
    .exitOverride()
    .addHelpText('after', `${DATABASE_HELP}\n${EXAMPLES}\n\nEach command has its own --help.`);

  // ------------------------------------------------------------------------------------ keys
  const keys = program
    .command('keys')
    .summary('API keys: create, list, revoke')
    .description('API keys: create (the lost-key path: demo keys are printed only once), list, revoke')
    .usage('<create|list|revoke> [options]');
  keys
    .command('create')
    .description('issue an API key and print it once (it is stored only as a hash); the key alone goes to stdout')
    .addOption(new Option('--role <role>', 'role of the key').choices(ROLES).makeOptionMandatory())
    .option('--organization <ref>', 'organization the key belongs to (required for role enterprise)')
    .option('--label <text>', 'label shown in key listings')
    .option('--expires-at <time>', 'when the key stops working (ISO 8601 timestamp with offset, in the future); never by default')
    .addHelpText('after', '\nExample:\n  npm run cli -- keys create --role enterprise --organization ENT-001 --label "fleet manager" --expires-at 2027-06-30T00:00:00Z')
    .action(lazy('keysCreate'));
  keys.command('list').description('list API keys: id, prefix, role, organization, label, created, status').action(lazy('keysList'));
  keys
    .command('revoke')
    .description('revoke an API key (requests with it are refused from now on)')
    .argument('<id>', 'id of the key (see keys list)', positiveInt('<id>'))
    .action(lazy('keysRevoke'));

  // ---------------------------------------------------------------------------------- import
  program
    .command('import')
    .summary('import deployments, exposures or incidents from disk (all-or-nothing)')
    .description('import a validation-history file from disk, as POST /v1/imports does: all-or-nothing, idempotent by *_ref')
    .addArgument(new Argument('<kind>', 'what the file holds; all: a directory with deployments.csv, exposures.csv, incidents.csv').choices([...IMPORT_KINDS, 'all']))
    .argument('<path>', 'the file (for all: the directory)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension .csv, .json, .ndjson or .jsonl)').choices(['csv', 'json', 'ndjson']))
    .addHelpText('after', `
Files follow the data contract (docs/architecture.md §5): CSV with a header row, a JSON array of records,
or NDJSON. Reading shows a progress bar on stderr (plain lines when stderr is not a terminal).
A bad row rejects the whole file: every bad row is printed (line, field, message), nothing is
written, and the exit code is 1. On success: rows inserted, updated (audited) and unchanged.
import all imports the three files in that order, each all-or-nothing, and stops at the first
rejected file.

Examples:
  npm run cli -- import exposures exposures.ndjson
  npm run cli -- import all demo-data`)
    .action(lazy('importFiles'));

  // ----------------------------------------------------------------------------------- quote
  program
    .command('quote')
    .summary('price a quote request from a JSON file, optionally write its PDF')
    .description('price a quote request (a JSON file, the body of POST /v1/quotes) and print its ref, decision and premium')
    .argument('<request.json>', 'the quote request (validated as POST /v1/quotes validates it)')
    .option('--organization <ref>', 'organization quoted for (sets organization_ref; required unless the file has it)')
    .option('--pdf <file>', 'also write the quote document (PDF) to this file')
    .addOption(new Option('--as <role>', 'act as an underwriter (on behalf of the organization) or as the enterprise itself').choices(['underwriter', 'enterprise']).default('underwriter'))
    .addHelpText('after', `
The quote is stored like any other (GET /v1/quotes/<ref>), priced with the rating plan in force;
the decision is quoted, referred (an underwriter decides) or declined, with the reasons.
Example request: see "Price a fleet" in README.md.

Example:
  npm run cli -- quote request.json --organization ENT-001 --pdf quote.pdf`)
    .action(lazy('quote'));

  // ----------------------------------------------------------------------------------- impact
  program
    .command('impact')
    .summary('re-rate the stored quotes of a period under a candidate rating plan (dislocation report)')
    .description('re-rate the quotes created from --from to --to under rating plan <plan-id> (any status) and print how premiums and decisions would move; as POST /v1/rating-plans/{id}/impact')
    .argument('<plan-id>', 'the candidate rating plan id')
    .requiredOption('--from <date>', 'first creation day of the quotes (YYYY-MM-DD, UTC)')
    .requiredOption('--to <date>', 'last creation day (YYYY-MM-DD, UTC, inclusive)')
    .option('--csv <file>', 'also write the report as CSV to this file')
    .option('--json', 'print the job and its report as JSON instead of tables')
    .addHelpText('after', `
Progress is drawn on stderr. The job is stored (GET /v1/impact-jobs/<id> shows it too).

Example:
  npm run cli -- impact 7 --from 2026-01-01 --to 2026-12-31 --csv impact.csv`)
    .action(lazy('impact'));

  // ----------------------------------------------------------------------------------- stats
  const stats = program
    .command('stats')
    .summary('regulator statistics as a text table (disclosure-controlled)')
    .description('regulator statistics as a text table, disclosure-controlled as GET /v1/statistics/… (suppressed cells show no value)')
    .usage('<incident-rates|severity|loss-ratios> [options]');
  const common = (c: Command, dims: string, dflt: string, unit: string, units = ['month', 'quarter', 'year']) =>
    c
      .option('--group-by <dims>', `comma-separated dimensions among ${dims} (default ${dflt})`)
      .option('--from <date>', 'first day, YYYY-MM-DD: the first day of a period (docs/disclosure-control.md §2)')
      .option('--to <date>', 'last day, YYYY-MM-DD: the last day of a period')
      .addOption(new Option('--period-unit <unit>', `unit of the period dimension (default ${unit})`).choices(units))
      .option('--csv', 'print CSV instead of the table (as Accept: text/csv)');
  const ALL_DIMS = 'scenario_area, scenario_class, period, incident_type, severity_level';
  common(stats.command('incident-rates').description('incident rates per 1,000 operating hours with exact Poisson 95% intervals'), ALL_DIMS, 'scenario_area', 'month')
    .action(lazy('stats', 'incident-rates'));
  common(
    stats
      .command('severity')
      .description("claim severity of a coverage: claims, mean, median, 90/99% quantiles, total incurred, share open")
      .addOption(new Option('--coverage <coverage>', 'the coverage').choices(COVERAGE_CODES).makeOptionMandatory()),
    'scenario_area, scenario_class, period, severity_level', 'scenario_area', 'year', ['quarter', 'year'],
  ).action(lazy('stats', 'severity'));
  common(stats.command('loss-ratios').description('incurred losses over earned premium of bound quotes'), 'scenario_area, period', 'scenario_area,period', 'year')
    .action(lazy('stats', 'loss-ratios'));

  // ------------------------------------------------------------------------------- scorecard
  program
    .command('scorecard')
    .summary('validation scorecard: robot model × class, rates with CIs, credibility, P(best), verdicts')
    .description('the validation scorecard as GET /v1/scorecards (actuary view by default; --as regulator for the disclosure-controlled one)')
    .addOption(new Option('--level <level>', 'cells per scenario class or area (default scenario_class)').choices(['scenario_class', 'scenario_area']))
    .option('--by-software-version', 'split the cells by software version')
    .option('--area <area>', 'only this scenario area')
    .option('--class <class>', 'only this scenario class')
    .option('--robot-model <code>', 'only this robot model (shrinkage still uses its whole class)')
    .option('--software-version <version>', 'only this software version')
    .addOption(new Option('--verdict <verdict>', 'only cells with this verdict').choices(['insurable', 'insurable_with_conditions', 'not_yet_insurable', 'not_insurable']))
    .addOption(new Option('--as <role>', 'view (default actuary)').choices(['actuary', 'regulator']))
    .option('--csv', 'print CSV instead of the table (as Accept: text/csv)')
    .option('--pdf <file>', 'write the scorecard report PDF instead')
    .action(lazy('scorecard'));

  // after an error: the message, then the command's usage line (not the whole help)
  const walk = (c: Command, names: string[]) => {
    const path = [...names, c.name()];
    c.helpCommand(false).showHelpAfterError(`Usage: ${path.join(' ')} ${c.usage()}\nRun "${path.join(' ')} --help" for more.`);
    for (const sub of c.commands) walk(sub, path);
  };
  walk(program, []);
  return program;
}

// A reader that goes away (`… | head`) must not crash the command before it closes the database.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.exitCode = report(e);
}
