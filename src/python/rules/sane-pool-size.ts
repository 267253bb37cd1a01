import { DEFAULT_SERVER_CONNECTION_BUDGET } from '../../engine/libraries/evidence';
import type { PythonRule } from '../rule';
import type { PyNode } from '../tree';
import { engineUrl } from './common';

/** What a default server grants ordinary users, shared with the JS rules (src/engine/libraries/evidence.ts). */
const DEFAULT_MAX_CONNECTIONS = DEFAULT_SERVER_CONNECTION_BUDGET;

export const sanePoolSize: PythonRule = {
  name: 'sane-pool-size',
  check(file, report) {
    for (const { call, factory, table, args } of file.factoryCalls()) {
      if (factory.produces !== 'pool' && factory.produces !== 'engine') continue;
      const read = (option: typeof factory.minSize): { node?: PyNode; value?: number; computed: boolean } => {
        if (!option) return { computed: false };
        const node = (option.position !== undefined ? args.positional[option.position] : undefined) ?? args.keywords.get(option.keyword);
        if (!node) return { value: option.defaultValue, computed: false };
        const value = file.numberValue(node);
        return { node, value, computed: value === undefined };
      };
      const min = read(factory.minSize);
      const max = read(factory.maxSize);
      if (factory.produces === 'engine') {
        // SQLAlchemy: up to pool_size + max_overflow connections; max_overflow=-1 removes the bound.
        if (min.computed || max.computed || args.keywords.has('poolclass')) continue;
        if (max.value === -1) {
          report({ at: max.node ?? call, message: 'max_overflow=-1 lets the pool open connections without limit: under load it exhausts the server\'s max_connections. Set a bounded max_overflow.' });
          continue;
        }
        if (min.value !== undefined && min.value < 0) {
          report({ at: min.node ?? call, message: `pool_size=${min.value} is not a valid pool size: use a positive number.` });
          continue;
        }
        const url = engineUrl(file, args, { partial: true });
        const limit = url && url.database !== 'other' ? DEFAULT_MAX_CONNECTIONS[url.database] : undefined;
        const total = (min.value ?? 0) + (max.value ?? 0);
        if (limit !== undefined && total > limit) {
          report({ at: (max.node ?? min.node)!, message: `pool_size + max_overflow = ${total} connections from one process is more than a default ${url!.database === 'postgresql' ? 'PostgreSQL' : 'MySQL'} server grants ordinary users (${limit} connections). Size the pool to what the server grants.` });
        }
        continue;
      }
      if (min.computed || max.computed) continue;
      const hardLimit = factory.maxSize?.hardLimit;
      if (max.value !== undefined && hardLimit !== undefined && max.value > hardLimit) {
        report({ at: max.node ?? call, message: `${factory.maxSize!.keyword}=${max.value} exceeds ${table.library}'s limit of ${hardLimit}: creating the pool raises an error.` });
        continue;
      }
      if (max.value !== undefined && max.value < 1 && max.node) {
        report({ at: max.node, message: `${factory.maxSize!.keyword}=${max.value} leaves the pool no connection to hand out: use at least 1.` });
        continue;
      }
      if (min.value !== undefined && max.value !== undefined && min.value > max.value) {
        report({ at: (min.node ?? max.node ?? call), message: `${factory.minSize!.keyword}=${min.value} is greater than ${factory.maxSize!.keyword}=${max.value}${max.node ? '' : ' (its default)'}: the pool cannot be created or cannot keep its minimum.` });
        continue;
      }
      const limit = table.database === 'postgresql' || table.database === 'mysql' ? DEFAULT_MAX_CONNECTIONS[table.database] : undefined;
      if (limit !== undefined && max.value !== undefined && max.value > limit && max.node) {
        report({ at: max.node, message: `${factory.maxSize!.keyword}=${max.value} from one process is more than a default ${table.database === 'postgresql' ? 'PostgreSQL' : 'MySQL'} server grants ordinary users (${limit} connections).` });
      }
    }
  },
};
