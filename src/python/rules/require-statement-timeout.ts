import type { Fix } from '../../engine/types';
import type { PythonRule } from '../rule';
import { addKeywordArgument, calleeText, engineUrl, libpqStringHasKey, literalDictKeys } from './common';

export const requireStatementTimeout: PythonRule = {
  name: 'require-statement-timeout',
  check(file, report) {
    for (const { call, factory, table, args } of file.factoryCalls()) {
      if (args.hasSplat) continue;
      if (factory.produces === 'pool' && factory.statementTimeout?.keyword === 'command_timeout') {
        // asyncpg: command_timeout defaults to None (no limit).
        if (args.keywords.has('command_timeout')) continue;
        const edit = addKeywordArgument(file, args, 'command_timeout=60');
        const suggestions: Fix[] = edit ? [{ title: 'Add command_timeout=60', edits: [edit] }] : [];
        report({ at: call, message: `\`${calleeText(file, call)}()\` has no command_timeout: a stuck query holds its pooled connection forever. Pass command_timeout=<seconds>.`, suggestions });
        continue;
      }
      if (factory.produces === 'pool' && factory.statementTimeout?.keyword === 'options') {
        if (table.library === 'psycopg2') {
          if (args.keywords.has('options')) continue;
          const dsnNode = args.positional[factory.dsnPosition ?? 2] ?? args.keywords.get('dsn');
          if (dsnNode === undefined) continue; // connection built from keywords we cannot all see
          const dsn = file.stringValue(dsnNode);
          if (dsn === undefined || libpqStringHasKey(dsn, 'options')) continue;
          const edit = addKeywordArgument(file, args, 'options="-c statement_timeout=30000"');
          const suggestions: Fix[] = edit ? [{ title: 'Add options="-c statement_timeout=30000"', edits: [edit] }] : [];
          report({ at: call, message: `\`${calleeText(file, call)}()\` sets no statement_timeout: a stuck query holds its pooled connection forever. Pass options="-c statement_timeout=<ms>".`, suggestions });
        } else {
          // psycopg_pool: connection options travel in kwargs={...}.
          const kwargs = args.keywords.get('kwargs');
          const keys = kwargs ? literalDictKeys(file, kwargs) : new Map();
          if (!keys || keys.has('options')) continue;
          const conninfo = file.stringValue(args.positional[0] ?? args.keywords.get('conninfo'));
          if (conninfo === undefined || libpqStringHasKey(conninfo, 'options')) continue;
          report({ at: call, message: `\`${calleeText(file, call)}()\` sets no statement_timeout: a stuck query holds its pooled connection forever. Pass kwargs={"options": "-c statement_timeout=<ms>"}.` });
        }
        continue;
      }
      if (factory.produces === 'engine') {
        const url = engineUrl(file, args);
        if (!url || url.database !== 'postgresql' || url.query.has('options')) continue;
        const connectArgs = args.keywords.get('connect_args');
        if (connectArgs) {
          const keys = literalDictKeys(file, connectArgs);
          if (!keys || keys.has('options') || keys.has('command_timeout') || keys.has('server_settings')) continue;
        }
        const setting = url.driver === 'asyncpg' ? 'connect_args={"command_timeout": <seconds>}' : 'connect_args={"options": "-c statement_timeout=<ms>"}';
        report({ at: call, message: `\`${calleeText(file, call)}()\` sets no statement timeout for its pooled connections: a stuck query holds one forever. Pass ${setting}.` });
      }
    }
  },
};
