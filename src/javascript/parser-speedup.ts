/**
 * Keeps the typescript-eslint parser linear on files with many exported declarations.
 *
 * typescript-estree, converting TypeScript's tree to ESTree, looks up the token after each `export`
 * (or `export default`) modifier and after each list of type arguments or parameters
 * (`findNextToken(previous, ast, ast)`). That search starts at the file's root and walks its
 * top-level statements in order, so each lookup costs as much as the statements before it: a file
 * with n exported declarations costs O(n²). On a generated 4 MB TypeScript file that was a quarter
 * of the whole lint, and the share grows with the file.
 *
 * The token sought lies inside the smallest node that encloses the previous token (a modifier's
 * declaration, the call or type reference a type-argument list belongs to), so the same search is
 * started there; when it finds nothing, the original search from the root runs, so the answer is
 * always the one typescript-estree would give. `test/unit/javascript/parser-speedup.test.ts`
 * compares the parser's output with and without this on files of every declaration kind.
 *
 * The function is reached through the module's exports object, which the converter reads at every
 * call (`(0, node_utils_1.findNextToken)(...)`); if a later version of the parser changes that
 * shape, `installParserSpeedup` leaves the parser as it is (slower on such files, never wrong).
 * Decision record: docs/decisions/linear-analysis.md.
 */
import type * as ts from 'typescript';

type FindNextToken = (previous: ts.TextRange, parent: ts.Node, ast: ts.SourceFile) => ts.Node | undefined;

interface NodeUtilities {
  findNextToken: FindNextToken;
}

const INSTALLED = Symbol.for('dbhealth.parserSpeedup');

/** The parser's own helper module: not a public entry of the package (its `exports` map hides `dist/`), so reached by file. */
function parserNodeUtilities(): NodeUtilities | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file path, resolved by the bundler and by Node alike to the module the parser loads
    return require('../../node_modules/@typescript-eslint/typescript-estree/dist/node-utils.js') as NodeUtilities;
  } catch {
    return undefined;
  }
}

/** The smallest node around `previous` (a token or a node list) that encloses it with room after it. */
function enclosingNode(previous: ts.TextRange): ts.Node | undefined {
  let node: ts.Node | undefined = 'kind' in previous ? (previous as ts.Node).parent : (previous as ts.NodeArray<ts.Node>)[0]?.parent;
  while (node && !(node.pos <= previous.pos && node.end > previous.end)) node = node.parent;
  return node;
}

/** Wraps `findNextToken` so a search from the root starts at the enclosing node. Returns whether it is in place. */
export function installParserSpeedup(utilities: NodeUtilities | undefined = parserNodeUtilities()): boolean {
  if (!utilities || typeof utilities.findNextToken !== 'function') return false;
  const current = utilities.findNextToken as FindNextToken & { [INSTALLED]?: true };
  if (current[INSTALLED]) return true;
  const original = current;
  const faster: FindNextToken & { [INSTALLED]?: true } = (previous, parent, ast) => {
    if (parent === ast) {
      const start = enclosingNode(previous);
      if (start && start !== ast) {
        const found = original(previous, start, ast);
        if (found) return found;
      }
    }
    return original(previous, parent, ast);
  };
  faster[INSTALLED] = true;
  try {
    utilities.findNextToken = faster;
  } catch {
    return false;
  }
  return utilities.findNextToken === faster;
}
