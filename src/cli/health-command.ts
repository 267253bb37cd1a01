import { UsageError } from './args';
import type { CliIO } from './main';

export async function runHealthCommand(_argv: readonly string[], _io: CliIO): Promise<number> {
  throw new UsageError('"health" is not available in this build yet');
}
