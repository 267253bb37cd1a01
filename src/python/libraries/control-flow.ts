/**
 * Calls after which nothing in the function runs. `raises`: the call always raises (the path leaves
 * by an exception, so whatever the function holds must be released in a `finally`); `exits`: the
 * process ends (nothing is leaked, no transaction stays open).
 * Sources: flask.abort and werkzeug.exceptions.abort raise HTTPException
 * (https://flask.palletsprojects.com/en/stable/api/#flask.abort); flask_restful.abort raises
 * (https://flask-restful.readthedocs.io/en/latest/api.html#flask_restful.abort); sys.exit raises
 * SystemExit, which ends the process unless caught; os._exit and os.abort end it at once.
 */
export const NEVER_RETURNING_CALLS: Readonly<Record<string, 'raises' | 'exits'>> = {
  'sys.exit': 'exits',
  'os._exit': 'exits',
  'os.abort': 'exits',
  'builtins.exit': 'exits',
  'builtins.quit': 'exits',
  'flask.abort': 'raises',
  'werkzeug.exceptions.abort': 'raises',
  'werkzeug.abort': 'raises',
  'flask_restful.abort': 'raises',
  'flask_restx.abort': 'raises',
  'flask_smorest.abort': 'raises',
  'quart.abort': 'raises',
  'pytest.fail': 'raises',
  'pytest.skip': 'raises',
  'pytest.exit': 'exits',
};

/** Return annotations that say a function never returns (typing.NoReturn, typing.Never). */
export const NEVER_RETURNING_ANNOTATIONS: ReadonlySet<string> = new Set([
  'typing.NoReturn', 'typing.Never', 'typing_extensions.NoReturn', 'typing_extensions.Never', 'NoReturn', 'Never',
]);

/** Builtins that end the process when not shadowed by a local name. */
export const EXITING_BUILTINS: ReadonlySet<string> = new Set(['exit', 'quit']);
