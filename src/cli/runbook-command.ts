import { UsageError } from './args';
import type { CliIO } from './main';

export async function runRunbookCommand(_argv: readonly string[], _io: CliIO): Promise<number> {
  throw new UsageError('"runbook" is not available in this build yet');
}
