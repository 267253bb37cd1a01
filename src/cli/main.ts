/**
 * `dbhealth` command-line entry. Exit codes: src/cli/exit-codes.ts (also printed by --help).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { runLintCommand } from './lint-command';
import { runHealthCommand } from './health-command';
import { runRunbookCommand } from './runbook-command';
import { UsageError } from './args';
import { EXIT_CLEAN, EXIT_CODES_HELP, EXIT_USAGE } from './exit-codes';
import { ANALYSIS_STACK_MB } from '../engine/limits';

export { EXIT_CLEAN, EXIT_FOUND, EXIT_NOT_ANALYSED, EXIT_USAGE } from './exit-codes';

const USAGE = `Usage:
  dbhealth lint [paths...] [--format text|json|sarif] [--rule name=off|info|warning|error]... [--include-tests]
                [--automation-id ID]
                (tests, examples and benchmarks are skipped and scripts get a subset of rules
                 unless --include-tests is given; --automation-id sets SARIF's automationDetails.id)
  dbhealth health [--url URL] [--format text|json] [--watch] [--interval SECONDS]
  dbhealth runbook <action> [options]   (dbhealth runbook --help lists the actions)
  dbhealth --version

${EXIT_CODES_HELP}`;

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

/**
 * A writer that hands its sink whole lines only, each in one call: text without a line break waits
 * for the rest of its line. (`--watch` reports state changes as they happen; a line must never reach
 * a log reader in pieces between other lines.) `flush` writes what is left at the end.
 */
export function wholeLines(sink: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = '';
  return {
    write(text) {
      pending += text;
      const end = pending.lastIndexOf('\n');
      if (end === -1) return;
      sink(pending.slice(0, end + 1));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (pending) sink(pending);
      pending = '';
    },
  };
}

/** The process's own streams and environment; stderr goes out in whole lines, each in one write. */
function processIO(): CliIO & { flush: () => void } {
  const stderr = wholeLines((text) => process.stderr.write(text));
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: stderr.write,
    env: process.env,
    cwd: process.cwd(),
    flush: stderr.flush,
  };
}

function runAsProgram(argv: readonly string[]): void {
  const io = processIO();
  runCli(argv, io).then(
    (code) => {
      io.flush();
      process.exitCode = code;
      parentPort?.postMessage({ exitCode: code });
    },
    (error: unknown) => {
      process.stderr.write(`dbhealth: internal error: ${String(error)}\n`);
      process.exitCode = EXIT_USAGE;
      parentPort?.postMessage({ exitCode: EXIT_USAGE });
    },
  );
}

if (require.main === module) {
  const argv = isMainThread ? process.argv.slice(2) : (workerData as { argv: string[] }).argv;
  // From source (`tsx src/cli/main.ts`) a worker cannot load TypeScript: lint on this thread there.
  if (isMainThread && argv[0] === 'lint' && !__filename.endsWith('.ts')) {
    // Linting runs on a thread with the analysis stack, so that the nesting limit, not the main
    // thread's stack, decides which files are analysed (src/engine/limits.ts). Its output goes to
    // this process's streams; its exit code comes back as a message.
    const worker = new Worker(__filename, { workerData: { argv }, resourceLimits: { stackSizeMb: ANALYSIS_STACK_MB } });
    let exitCode: number | undefined;
    worker.on('message', (message: { exitCode: number }) => (exitCode = message.exitCode));
    worker.on('error', (error) => {
      process.stderr.write(`dbhealth: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      exitCode = EXIT_USAGE;
    });
    worker.on('exit', () => (process.exitCode = exitCode ?? EXIT_USAGE));
  } else {
    runAsProgram(argv);
  }
}
