/**
 * Re-analysing only the top-level statement an edit touched, for Python.
 *
 * tree-sitter re-parses an edit incrementally, but the tree copy, the file model and the rules
 * still cost ~30 ms on a 2,000-line file. The rules judge a function from its own body plus a few
 * file-wide facts: the imports (anywhere in the file), module-level names, `self.<attribute>`
 * objects (assigned anywhere), `global` declarations and what functions assign to those names. So
 * after a whole-file lint this module records each top-level statement's findings and the
 * file-wide facts it contributes; on the next
 * edit it analyses a *reduced copy* of the new text — the edited statement, all module-level code,
 * every definition that contributes a file-wide fact, all else blanked to spaces so offsets and
 * lines stay put — takes the edited statement's findings from it and keeps every other statement's.
 *
 * Exact under conditions checked on every edit (otherwise the whole file is linted):
 * - the change lies inside one function body, and the file parsed without errors before and the
 *   copy after (so every unchanged statement parses as it did; an unclosed bracket or string shows
 *   up as an error or as statements at unexpected offsets);
 * - the edited statement contributes the same file-wide facts before and after, so nothing any
 *   other statement reads has changed;
 * - suppression comments in blanked statements act only on lines inside their own statement, and
 *   those of the edited statement only inside it.
 * test/unit/python/incremental.test.ts compares the result with whole-file lints.
 */
import type { Finding } from '../engine/types';
import { keptStatementsInPlace, locateBodyEdit, reducedText, shiftFinding, shiftSpan, spanAt, type LocatedEdit } from '../engine/reanalysis';
import { factsKey } from '../engine/project/facts';
import type { PythonFile } from './model';
import type { SourceText } from './source';
import { field, type PyNode } from './tree';

type Range = readonly [number, number];

const PYTHON_LINE_BREAKS = { unicodeSeparators: false };

export interface PyStatementRecord {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
  /** Bodies (blocks) of its outermost functions. */
  readonly bodies: readonly Range[];
  /** The file-wide facts it contributes (imports, `global`, `self.<attribute>` objects), as one comparable string. */
  readonly contributes: string;
  /** Module-level code, or a definition that contributes facts: kept in every reduced copy. */
  readonly alwaysKept: boolean;
  /** Lines its suppression comments may act on. */
  readonly directiveLines: readonly number[];
  readonly findings: readonly Finding[];
}

export interface PyFileRecord {
  readonly text: string;
  readonly statements: readonly PyStatementRecord[];
  /** Findings outside every statement: the next edit lints the whole file. */
  readonly wholeFileOnly: boolean;
}

const DEFINITIONS = new Set(['function_definition', 'class_definition', 'decorated_definition']);

function outermostFunctionBodies(node: PyNode): Range[] {
  const found: Range[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'function_definition') {
      const body = current.children.find((child) => child.field === 'body');
      if (body) found.push([body.start, body.end]);
      continue;
    }
    for (const child of current.children) stack.push(child);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/** The top-level statements of a module: its children, without the comments between them. */
export function topLevelStatements(root: PyNode): PyNode[] {
  return root.children.filter((child) => child.type !== 'comment');
}

/** Whether any of the texts names `name` as a word (a call of the helper, an import of it). */
function mentionsIn(texts: readonly string[], name: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`);
  return texts.some((text) => word.test(text));
}

/**
 * What each statement contributes to the file-wide facts, from the analysed file. `mentionedOutside`
 * says whether statements other than the one at an index name a function (for the reduced copy,
 * whose other statements are blanked, it reads the whole new text).
 */
function contributions(file: PythonFile, statements: readonly PyNode[], imports: readonly PyNode[], mentionedOutside?: (name: string, index: number) => boolean): string[] {
  const parts: string[][] = statements.map(() => []);
  const add = (offset: number, fact: string) => {
    const index = spanAt(statements, offset);
    if (index !== -1) parts[index].push(fact);
  };
  for (const node of imports) add(node.start, `import ${file.text(node)}`);
  for (const scope of file.scopes) {
    const declarations = file.nodesIn(scope, ['global_statement']);
    for (const node of declarations) add(node.start, `global ${file.text(node)}`);
    if (scope.isModule || declarations.length === 0) continue;
    // What a function assigns to a name it declares `global` is what the module's name holds for
    // every other statement (`global pool; pool = await asyncpg.create_pool(...)`).
    const names = file.globalNames(scope);
    for (const node of file.nodesIn(scope, ['assignment'])) {
      const left = field(node, 'left');
      if (left?.type === 'identifier' && names.has(file.text(left))) add(node.start, `global assignment ${file.text(node)}`);
    }
  }
  file.collectAll();
  for (const [node, write] of file.selfAttributeWrites) {
    add(node.start, `self.${write.attribute}=${write.binding.role}:${write.binding.table.library}:${file.text(write.binding.call)}`);
  }
  for (const [node, write] of file.attributeWrites) {
    add(node.start, `.${write.attribute}=${write.binding.role}:${write.binding.table.library}:${file.text(write.binding.call)}`);
  }
  // What each function and class does with connections: other statements' rules read it when they
  // name it (a helper they call). A name no other statement mentions cannot change their findings
  // (the check is on the text, so it errs towards keeping the facts).
  const mentioned = mentionedOutside ?? ((name: string, index: number) => mentionsIn(statements.filter((_, i) => i !== index).map((st) => file.text(st)), name));
  for (const [name, fn] of file.functionsByName) {
    const facts = file.functionFacts(fn);
    if (Object.keys(facts).length > 0 && mentioned(name, spanAt(statements, fn.start))) add(fn.start, `def ${name}=${factsKey(facts)}`);
  }
  for (const [name, cls] of file.classesByName) {
    const facts = file.classFacts(cls);
    if (Object.keys(facts.attributes).length + Object.keys(facts.methods).length > 0 && mentioned(name, spanAt(statements, cls.start))) add(cls.start, `class ${name}=${factsKey(facts)}`);
  }
  return parts.map((facts) => facts.join('\n'));
}

const DIRECTIVE = /#\s*dbhealth:\s*ignore/;

/**
 * Records every top-level statement of an analysed text (`only`: just these statement indexes, for
 * the reduced copy). `findings` are the lint's, after suppressions.
 */
export function describeStatements(
  file: PythonFile,
  imports: readonly PyNode[],
  comments: readonly PyNode[],
  findings: readonly Finding[],
  only?: ReadonlySet<number>,
  mentionedOutside?: (name: string, index: number) => boolean,
): { statements: PyStatementRecord[]; looseFindings: boolean } {
  const source = file.source;
  const nodes = topLevelStatements(file.root);
  const contributed = contributions(file, nodes, imports, mentionedOutside);
  const drafts = nodes.map((node, index) => ({
    start: node.start,
    end: node.end,
    startLine: source.positionAt(node.start).line,
    endLine: source.positionAt(Math.max(node.start, node.end - 1)).line,
    bodies: !only || only.has(index) ? outermostFunctionBodies(node) : [],
    contributes: contributed[index],
    alwaysKept: !DEFINITIONS.has(node.type) || contributed[index] !== '',
    directiveLines: [] as number[],
    findings: [] as Finding[],
  }));
  for (const comment of comments) {
    if (!DIRECTIVE.test(file.text(comment))) continue;
    const index = spanAt(drafts, comment.start);
    if (index === -1) continue; // between statements: kept in a reduced copy
    // As the suppression reads it: alone on its line it acts on the next line, else on its own.
    const line = source.positionAt(comment.start).line;
    const standalone = source.text.slice(source.lineStartOf(comment.start), comment.start).trim() === '';
    drafts[index].directiveLines.push(standalone ? line + 1 : line);
  }
  let looseFindings = false;
  for (const finding of findings) {
    const index = spanAt(drafts, offsetOf(source, finding));
    if (index === -1) looseFindings = true;
    else drafts[index].findings.push(finding);
  }
  return { statements: drafts, looseFindings };
}

function offsetOf(source: SourceText, finding: Finding): number {
  return source.offsetAt(finding.start);
}

export function recordOf(text: string, file: PythonFile, imports: readonly PyNode[], comments: readonly PyNode[], findings: readonly Finding[], parsedCleanly: boolean): PyFileRecord {
  const { statements, looseFindings } = describeStatements(file, imports, comments, findings);
  return { text, statements, wholeFileOnly: looseFindings || !parsedCleanly };
}

export interface PyReducedLint {
  readonly text: string;
  /** The edit; its `change` also tells the kept tree-sitter tree what changed. */
  readonly edit: LocatedEdit;
  readonly kept: readonly number[];
}

export function planReducedLint(previous: PyFileRecord, text: string): PyReducedLint | undefined {
  if (previous.wholeFileOnly) return undefined;
  const statements = previous.statements;
  const edit = locateBodyEdit(previous.text, text, statements, (statement) => statement.bodies, PYTHON_LINE_BREAKS);
  if (!edit) return undefined;
  for (let i = 0; i < statements.length; i++) {
    if (i === edit.edited) continue;
    const statement = statements[i];
    // Kept statements keep their comments; a blanked one's must not reach outside it.
    if (!statement.alwaysKept && statement.directiveLines.some((line) => line < statement.startLine || line > statement.endLine)) return undefined;
  }
  // Module-level code and fact-contributing definitions are kept; other statements are blanked whole.
  const kept = statements.flatMap((statement, index) => (index === edit.edited || statement.alwaysKept ? [index] : []));
  const reduced = reducedText(text, statements, edit, (statement) => (statement.alwaysKept ? [] : [[statement.start, statement.end]]));
  return { text: reduced, edit, kept };
}

const CITED_LINE = /\bline (\d+)\b/g;

/**
 * A message citing a line ("before line 12") moves with its statement. Rules cite lines of the
 * statement they report in; undefined if one does not, for the caller to lint the whole file.
 */
function shiftCitedLines(message: string, statement: PyStatementRecord, lineDelta: number): string | undefined {
  if (lineDelta === 0) return message;
  let outside = false;
  const shifted = message.replace(CITED_LINE, (_match, digits: string) => {
    const line = Number(digits);
    if (line < statement.startLine || line > statement.endLine) outside = true;
    return `line ${line + lineDelta}`;
  });
  return outside ? undefined : shifted;
}

function shiftStatement(statement: PyStatementRecord, delta: number, lineDelta: number): PyStatementRecord | undefined {
  if (delta === 0 && lineDelta === 0) return statement;
  const messages = statement.findings.map((finding) => shiftCitedLines(finding.message, statement, lineDelta));
  if (messages.some((message) => message === undefined)) return undefined;
  return {
    ...shiftSpan(statement, delta, lineDelta),
    bodies: statement.bodies.map(([start, end]) => [start + delta, end + delta] as const),
    directiveLines: statement.directiveLines.map((line) => line + lineDelta),
    findings: statement.findings.map((finding, index) => shiftFinding(finding, delta, lineDelta, messages[index])),
  };
}

/**
 * Checks the reduced copy's analysis and, when it is exact, returns the new text's record.
 * Undefined sends the caller to a whole-file lint.
 */
export function completeReducedLint(
  previous: PyFileRecord,
  plan: PyReducedLint,
  text: string,
  file: PythonFile,
  imports: readonly PyNode[],
  comments: readonly PyNode[],
  findings: readonly Finding[],
): PyFileRecord | undefined {
  const { edit } = plan;
  if (!keptStatementsInPlace(previous.statements, plan.kept, edit, topLevelStatements(file.root))) return undefined;
  const position = plan.kept.indexOf(edit.edited);
  const target = previous.statements[edit.edited];
  // Other statements are blanked in the copy but unchanged in the new text: read names from there.
  const others = previous.statements.flatMap((statement, index) =>
    index === edit.edited ? [] : [index < edit.edited ? text.slice(statement.start, statement.end) : text.slice(statement.start + edit.delta, statement.end + edit.delta)],
  );
  const now = describeStatements(file, imports, comments, findings, new Set([position]), (name) => mentionsIn(others, name)).statements[position];
  if (now.contributes !== target.contributes) return undefined;
  if (now.endLine !== target.endLine + edit.lineDelta) return undefined;
  if (now.directiveLines.some((line) => line < now.startLine || line > now.endLine)) return undefined;
  const statements: PyStatementRecord[] = [];
  for (const [index, statement] of previous.statements.entries()) {
    const next = index < edit.edited ? statement : index > edit.edited ? shiftStatement(statement, edit.delta, edit.lineDelta) : { ...now, alwaysKept: target.alwaysKept };
    if (!next) return undefined;
    statements.push(next);
  }
  return { text, statements, wholeFileOnly: false };
}

export function findingsOf(record: PyFileRecord): Finding[] {
  return record.statements.flatMap((statement) => statement.findings);
}
