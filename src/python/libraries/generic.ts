import { PYTHON_CHECKOUT_VOCABULARY } from '../../engine/libraries/evidence';
import type { LibraryTable, MethodSpec } from './types';

/**
 * A pool or connection whose library is not known here: it came from a helper or another module
 * whose facts name no library, or only the way the code uses it gives it away. Its methods are the
 * shared checkout vocabulary; it has no options, so no option rule ever judges it.
 */
export const genericTable: LibraryTable = {
  library: 'unknown',
  database: 'any',
  docs: [],
  factories: [],
  methods: [
    ...PYTHON_CHECKOUT_VOCABULARY.map((word): MethodSpec => ({
      on: 'pool',
      name: word.acquire,
      kind: 'acquire',
      produces: 'connection',
      release: word.releases.map((release) => (release.on === 'owner' ? { kind: 'owner-method' as const, name: release.method } : { kind: 'method' as const, name: release.method })),
      // Only `getconn()` is never a context manager (psycopg2, psycopg_pool): the others release on `with`.
      withReleases: word.acquire !== 'getconn',
    })),
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
  ],
  exceptions: { base: [], transient: [], permanent: [] },
};
