// A small, strict reader of `.env` files: only `KEY=value` lines, `export KEY=value`, comments and
// single/double quotes. No variable expansion and no command substitution, on purpose: the file is
// workspace content and must never make the extension run or resolve anything.

/** Returns the variables of a .env text; later lines win, as in the common dotenv loaders. */
export function parseDotenv(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const withoutExport = line.startsWith('export ') ? line.slice('export '.length).trimStart() : line;
    const equals = withoutExport.indexOf('=');
    if (equals <= 0) continue;
    const key = withoutExport.slice(0, equals).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) continue;
    variables.set(key, unquote(withoutExport.slice(equals + 1).trim()));
  }
  return variables;
}

function unquote(value: string): string {
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    // Double quotes allow \" and \n escapes; single quotes are literal to the closing quote.
    let end = 1;
    while (end < value.length && value[end] !== quote) end += quote === '"' && value[end] === '\\' ? 2 : 1;
    if (end < value.length) {
      const inner = value.slice(1, end);
      return quote === '"' ? inner.replace(/\\(["\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped)) : inner;
    }
  }
  // Unquoted: a ` #` starts a comment.
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}
