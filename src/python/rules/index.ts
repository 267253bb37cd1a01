import type { PythonRule } from '../rule';
import { noLeakedConnection } from './no-leaked-connection';

/** Every Python rule, in catalogue order. */
export const PYTHON_RULES: readonly PythonRule[] = [noLeakedConnection];
