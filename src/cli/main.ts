/**
 * `dbhealth` command-line entry. Exit codes (the CLI contract in DESIGN.md): 0 nothing found,
 * 1 findings (or an unhealthy database), 2 usage or internal errors.
 */
import { runLintCommand } from './lint-command';
import { runHealthCommand } from './health-command';
import { runRunbookCommand } from './runbook-command';
import { UsageError } from './args';

const USAGE = `Usage:
  dbhealth lint [paths...] [--format text|json|sarif] [--rule name=off|info|warning|error]... [--include-tests]
                (tests, examples and benchmarks are skipped and scripts get a subset of rules
                 unless --include-tests is given)
  dbhealth health [--url URL] [--format text|json] [--watch] [--interval SECONDS]
  dbhealth runbook <action> [options]   (dbhealth runbook --help lists the actions)
  dbhealth --version`;

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await runLintCommand(rest, io);
      case 'health':
        return await runHealthCommand(rest, io);
      case 'runbook':
        return await runRunbookCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${DBHEALTH_VERSION}\n`);
        return EXIT_CLEAN;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT_USAGE : EXIT_CLEAN;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dbhealth: ${error.message}\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`dbhealth: internal error: ${message}\n`);
    return EXIT_USAGE;
  }
}

declare const DBHEALTH_VERSION: string;

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`dbhealth: internal error: ${String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
