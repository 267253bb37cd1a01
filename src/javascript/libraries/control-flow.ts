/**
 * Calls after which nothing in the function runs: `exits` ends the process (nothing is leaked, no
 * transaction stays open). Node's `process.exit()` and `process.abort()` never return
 * (https://nodejs.org/api/process.html#processexitcode). Functions typed `never` and helpers whose
 * body always throws are found from the code itself.
 */
export const NEVER_RETURNING_CALLS: Readonly<Record<string, 'raises' | 'exits'>> = {
  'process.exit': 'exits',
  'process.abort': 'exits',
};
