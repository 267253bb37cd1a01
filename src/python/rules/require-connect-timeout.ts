import type { Fix } from '../../engine/types';
import { SUGGESTED_TIMEOUT_SECONDS } from '../../engine/libraries/evidence';
import type { PythonRule } from '../rule';
import { addKeywordArgument, calleeText, engineUrl, libpqStringHasKey, literalDictKeys } from './common';

/** A bound that fails fast on a dead host yet tolerates a slow handshake (the shared suggestion). */
const SUGGESTED_CONNECT_TIMEOUT_SECONDS = SUGGESTED_TIMEOUT_SECONDS.connect;

/** SQLAlchemy drivers whose connect waits without limit by default, and the connect_args key that bounds them. */
const ENGINE_DRIVER_TIMEOUT: Readonly<Record<string, string>> = {
  psycopg2: 'connect_timeout',
  mysqldb: 'connect_timeout',
  mysqlconnector: 'connection_timeout',
};

export const requireConnectTimeout: PythonRule = {
  name: 'require-connect-timeout',
  check(file, report) {
    for (const { call, factory, args } of file.factoryCalls()) {
      if (args.hasSplat) continue; // options we cannot see may set it
      if (factory.produces === 'engine') {
        const url = engineUrl(file, args);
        const key = url ? ENGINE_DRIVER_TIMEOUT[url.driver] : undefined;
        if (!url || !key || url.query.has(key)) continue;
        const connectArgs = args.keywords.get('connect_args');
        if (connectArgs) {
          const keys = literalDictKeys(file, connectArgs);
          if (!keys || keys.has(key)) continue;
          report({ at: call, message: `\`${calleeText(file, call)}()\` for ${url.driver} connects with no timeout: add "${key}" to connect_args (the driver waits indefinitely by default).` });
          continue;
        }
        const edit = addKeywordArgument(file, args, `connect_args={"${key}": ${SUGGESTED_CONNECT_TIMEOUT_SECONDS}}`);
        const suggestion: Fix | undefined = edit ? { title: `Add connect_args={"${key}": ${SUGGESTED_CONNECT_TIMEOUT_SECONDS}}`, edits: [edit] } : undefined;
        report({ at: call, message: `\`${calleeText(file, call)}()\` for ${url.driver} connects with no timeout: pass connect_args={"${key}": ...} (the driver waits indefinitely by default).`, suggestions: suggestion ? [suggestion] : [] });
        continue;
      }
      const option = factory.connectTimeout;
      if (!option || option.defaultSeconds !== null) continue;
      const aliases = option.keyword === 'connection_timeout' ? ['connection_timeout', 'connect_timeout'] : [option.keyword];
      if (aliases.some((k) => args.keywords.has(k))) continue;
      // An asynchronous (non-blocking) libpq connection: connect_timeout does not apply to it
      // (https://www.postgresql.org/docs/current/libpq-connect.html, PQconnectPoll); the caller polls.
      const asynchronous = args.keywords.get('async_') ?? args.keywords.get('async');
      if (asynchronous && file.text(asynchronous) !== 'False') continue;
      if (factory.dsnConnectTimeoutKey) {
        const dsnNode = args.positional[factory.dsnPosition ?? 0] ?? factory.dsnKeywords?.map((k) => args.keywords.get(k)).find(Boolean);
        if (dsnNode) {
          const dsn = file.stringValue(dsnNode);
          if (dsn === undefined || libpqStringHasKey(dsn, factory.dsnConnectTimeoutKey)) continue; // built elsewhere: may carry it
        }
      }
      const edit = addKeywordArgument(file, args, `${option.keyword}=${SUGGESTED_CONNECT_TIMEOUT_SECONDS}`);
      const suggestion: Fix | undefined = edit ? { title: `Add ${option.keyword}=${SUGGESTED_CONNECT_TIMEOUT_SECONDS}`, edits: [edit] } : undefined;
      report({
        at: call,
        message: `\`${calleeText(file, call)}()\` has no ${option.keyword}: by default it waits without limit when the server is unreachable. Pass ${option.keyword}=<seconds>.`,
        suggestions: suggestion ? [suggestion] : [],
      });
    }
  },
};
