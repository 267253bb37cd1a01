/**
 * Re-linting only the top-level statement an edit touched.
 *
 * ESLint has no incremental mode: parsing, scope analysis and the traversal of a 2,000-line file
 * cost ~200 ms, far too slow for diagnostics as you type. Yet almost every keystroke lands inside
 * one function body, and dbhealth's rules judge a function from the function itself plus the
 * module-level declarations it names. So after a whole-file lint this module records, per top-level
 * statement, its findings and what it depends on; on the next edit it lints a *reduced copy* of the
 * new text — the edited statement, the declarations it needs (their function bodies blanked), all
 * else blanked to whitespace so every offset and line stays where it is — takes the edited
 * statement's findings from that, and keeps every other statement's findings (shifted).
 *
 * That is exact, not an approximation, under conditions checked on every edit; when one fails the
 * caller lints the whole file. The conditions, and why each is needed:
 * - The change lies inside one function body of one statement (its header and declarations are
 *   unchanged, so other statements see the same bindings). The reduced copy must parse into exactly
 *   the kept statements at their expected offsets: an unclosed string or comment that would swallow
 *   the rest of the file shows up there.
 * - The edited statement, before and after the edit, reads no "sensitive" variable declared by
 *   another statement: `let`/`var` (the rules count its writes, which may sit anywhere), a
 *   connection/checkout kept at module level (the rules follow all its uses), or an object some
 *   pool's options are read from (an assignment to one of its properties changes them). Other statements'
 *   findings can then depend on the edited one only through its declarations, which the edit did
 *   not touch; and everything else the edited statement's rules read across statements is a
 *   declaration's non-body text, which the reduced copy keeps.
 * - The rules never look inside a function's body through a reference to the function's name
 *   (they are intraprocedural), except for a local function whose returned literals are a pool's
 *   options (`new Pool(connectionData())`): an edit inside such a function lints the whole file.
 *   Kept declarations may therefore have their bodies blanked.
 * - Whether the file imports a driver is the whole file's answer; it is computed and passed to the
 *   rules of the reduced copy, and must not change.
 * - No block-level directive comment (`eslint-disable`, `/* global *\/`…) anywhere; line-level ones
 *   must not reach across statements, and the edited statement shares no line with another.
 * test/unit/javascript/incremental.test.ts checks the result equals a whole-file lint across
 * thousands of random edits, and shows for each condition an edit that needs it.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Finding } from '../engine/types';
import { keptStatementsInPlace, locateBodyEdit, reducedText, shiftFinding, shiftSpan, spanAt, type LocatedEdit } from '../engine/reanalysis';
import { driverForModule } from './libraries/drivers';
import { modelOfLinted, type FileModel } from './analysis/model';
import { factsKey } from '../engine/project/facts';
import { isFunction, type FunctionNode } from './analysis/ast';

type SourceCode = Readonly<TSESLint.SourceCode>;
type Range = readonly [number, number];

const ESLINT_LINE_BREAKS = { unicodeSeparators: true };

/** What one top-level statement of the last linted text contributes and depends on. */
export interface StatementRecord {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
  /** Insides of its outermost block-bodied functions: `{` and `}` excluded. */
  readonly interiors: readonly Range[];
  /** Module-level names it declares. */
  readonly declares: readonly string[];
  /** Module-level names it refers to outside its function bodies, and anywhere. */
  readonly headerReferences: readonly string[];
  readonly references: readonly string[];
  /** It refers to a sensitive variable another statement declares (see the module comment). */
  readonly readsSensitiveVariable: boolean;
  /**
   * It declares a variable some pool's options are read from (a config object, or a function whose
   * returned literals are the options): an edit inside it may change another statement's findings.
   */
  readonly declaresOptionSource: boolean;
  /** String tokens naming a driver module (`require('pg')` inside a function counts for the whole file). */
  readonly driverMentions: number;
  /** Lines its line-level directive comments act on. */
  readonly directiveLines: readonly number[];
  readonly findings: readonly Finding[];
  /** Always kept in the reduced copy: a directive prologue (`'use strict'`) changes how the rest parses. */
  readonly prologue: boolean;
  /**
   * What the functions and classes it declares do with connections (their facts, as one comparable
   * string; '' when nothing): other statements' findings read these, so a declaration with facts
   * keeps its body in a reduced copy, and an edit that changes them lints the whole file.
   */
  readonly facts: string;
}

export interface FileRecord {
  readonly text: string;
  /** Linter settings the record was made under (rule severities, source type, file name). */
  readonly configKey: string;
  readonly statements: readonly StatementRecord[];
  /** Whether the rules treated the file as importing a driver. */
  readonly importsDriver: boolean;
  readonly driverMentions: number;
  /** Block-level directives, or findings outside every statement: the next edit re-lints the whole file. */
  readonly wholeFileOnly: boolean;
}

const LINE_DIRECTIVE = /^\s*(eslint-disable-line|eslint-disable-next-line|dbhealth-ignore-line|dbhealth-ignore-next-line)\b/;
const BLOCK_DIRECTIVE = /^\s*(eslint|globals?|exported)\b/;

function isBlockBodiedFunction(node: TSESTree.Node): node is TSESTree.FunctionLike & { body: TSESTree.BlockStatement } {
  return (
    (node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression) &&
    node.body?.type === AST_NODE_TYPES.BlockStatement
  );
}

/** Insides of the outermost block-bodied functions under `node`. */
function outermostFunctionInteriors(node: TSESTree.Node, visitorKeys: SourceCode['visitorKeys']): Range[] {
  const found: Range[] = [];
  const visit = (current: TSESTree.Node): void => {
    if (isBlockBodiedFunction(current)) {
      found.push([current.body.range[0] + 1, current.body.range[1] - 1]);
      return;
    }
    for (const key of visitorKeys[current.type] ?? []) {
      const child = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as TSESTree.Node).type === 'string') visit(item as TSESTree.Node);
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        visit(child as TSESTree.Node);
      }
    }
  };
  visit(node);
  // Visitor keys follow source order for every node type today; the copy is built left to right, so make sure.
  return found.sort((a, b) => a[0] - b[0]);
}

function inside(ranges: readonly Range[], offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

/** The scopes whose variables are module-level: the global scope and the module (or CommonJS wrapper) scope. */
function moduleLevelScopes(sourceCode: SourceCode): Set<TSESLint.Scope.Scope> {
  const manager = sourceCode.scopeManager;
  const scopes = new Set<TSESLint.Scope.Scope>();
  if (!manager?.globalScope) return scopes;
  scopes.add(manager.globalScope);
  for (const child of manager.globalScope.childScopes) if (child.block === sourceCode.ast) scopes.add(child);
  return scopes;
}

/**
 * Whether the rules follow this variable beyond its declaration: written after it (`let`, `var`,
 * implicit globals), holding a connection whose every use the rules inspect, or an object a pool's
 * options were read from.
 */
function isSensitive(variable: TSESLint.Scope.Variable, model: FileModel): boolean {
  // A config object a pool is built from: an assignment to one of its properties anywhere changes the pool's options.
  if (model.optionSourceVariables.has(variable)) return true;
  for (const def of variable.defs) {
    switch (def.type) {
      case 'ImportBinding':
      case 'FunctionName':
      case 'ClassName':
      case 'Type':
      case 'TSEnumName':
      case 'TSModuleName':
        continue;
      case 'Variable': {
        const declaration = def.parent as TSESTree.VariableDeclaration | null;
        if (!declaration || declaration.kind !== 'const') return true;
        const init = (def.node as TSESTree.VariableDeclarator).init;
        const handle = init ? model.handle(init) : undefined;
        if (handle && handle.kind !== 'pool') return true;
        continue;
      }
      default:
        return true;
    }
  }
  return false;
}

/** The facts of the functions and classes a top-level statement declares, or '' when none has any. */
function declaredFacts(statement: TSESTree.Node, model: FileModel): string {
  const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
  if (!declaration) return '';
  const parts: string[] = [];
  const note = (name: string, node: TSESTree.Node | null | undefined): void => {
    if (!node) return;
    const facts = isFunction(node)
      ? model.functionFacts(node as FunctionNode)
      : node.type === AST_NODE_TYPES.ClassDeclaration || node.type === AST_NODE_TYPES.ClassExpression
        ? model.classFacts(node)
        : undefined;
    if (facts && factsKey(facts) !== '{}' && factsKey(facts) !== '{"attributes":{},"methods":{}}') parts.push(`${name}=${factsKey(facts)}`);
  };
  if (declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.ClassDeclaration) note(declaration.id?.name ?? 'default', declaration);
  if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
    for (const declarator of declaration.declarations) if (declarator.id.type === AST_NODE_TYPES.Identifier) note(declarator.id.name, declarator.init);
  }
  return parts.join('\n');
}

interface Described {
  readonly statements: StatementRecord[];
  readonly driverMentions: number;
  readonly blockDirective: boolean;
  readonly looseFindings: boolean;
}

/**
 * Records every top-level statement of a linted text (`only`: just these statement indexes, for the
 * reduced copy, where the others are blanked). `findings` are the lint's, after suppressions.
 */
export function describeStatements(
  sourceCode: SourceCode,
  findings: readonly Finding[],
  model: FileModel,
  only?: ReadonlySet<number>,
): Described {
  const program = sourceCode.ast;
  const body = program.body;
  const chosen = (index: number) => !only || only.has(index);
  const drafts = body.map((statement, index) => ({
    start: statement.range[0],
    end: statement.range[1],
    startLine: statement.loc.start.line,
    endLine: statement.loc.end.line,
    interiors: chosen(index) ? outermostFunctionInteriors(statement, sourceCode.visitorKeys) : [],
    declares: new Set<string>(),
    headerReferences: new Set<string>(),
    references: new Set<string>(),
    readsSensitiveVariable: false,
    declaresOptionSource: false,
    driverMentions: 0,
    directiveLines: [] as number[],
    findings: [] as Finding[],
    prologue: statement.type === AST_NODE_TYPES.ExpressionStatement && typeof statement.directive === 'string',
    facts: chosen(index) ? declaredFacts(statement, model) : '',
  }));

  const topScopes = moduleLevelScopes(sourceCode);
  const sensitive = new Map<TSESLint.Scope.Variable, boolean>();
  for (const scope of topScopes) {
    for (const variable of scope.variables) {
      for (const def of variable.defs) {
        const index = spanAt(drafts, def.name.range[0]);
        if (index === -1 || !chosen(index)) continue;
        drafts[index].declares.add(variable.name);
        if (model.optionSourceVariables.has(variable)) drafts[index].declaresOptionSource = true;
      }
    }
  }
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const reference of scope.references) {
      const offset = reference.identifier.range[0];
      const index = spanAt(drafts, offset);
      if (index === -1 || !chosen(index)) continue;
      const draft = drafts[index];
      const variable = reference.resolved;
      if (variable && !topScopes.has(variable.scope)) continue;
      // Unresolved names count too: in the reduced copy they may be declarations that were blanked.
      draft.references.add(reference.identifier.name);
      if (!inside(draft.interiors, offset)) draft.headerReferences.add(reference.identifier.name);
      if (!variable) continue;
      const declaredHere = variable.defs.every((def) => def.name.range[0] >= draft.start && def.name.range[0] < draft.end);
      if (declaredHere) continue;
      let isSensitiveVariable = sensitive.get(variable);
      if (isSensitiveVariable === undefined) {
        isSensitiveVariable = isSensitive(variable, model);
        sensitive.set(variable, isSensitiveVariable);
      }
      if (isSensitiveVariable) draft.readsSensitiveVariable = true;
    }
  }

  let driverMentions = 0;
  for (const token of program.tokens ?? []) {
    if (token.type !== 'String' || !driverForModule(token.value.slice(1, -1))) continue;
    driverMentions++;
    const index = spanAt(drafts, token.range[0]);
    if (index !== -1) drafts[index].driverMentions++;
  }

  let blockDirective = false;
  for (const comment of sourceCode.getAllComments()) {
    if (LINE_DIRECTIVE.test(comment.value)) {
      const index = spanAt(drafts, comment.range[0]);
      if (index === -1) continue; // between statements: kept verbatim in a reduced copy
      const { start, end } = comment.loc!;
      drafts[index].directiveLines.push(start.line, start.line + 1, end.line, end.line + 1);
    } else if (BLOCK_DIRECTIVE.test(comment.value)) {
      blockDirective = true;
    }
  }

  let looseFindings = false;
  for (const finding of findings) {
    const index = spanAt(drafts, sourceCode.getIndexFromLoc({ line: finding.start.line, column: finding.start.column - 1 }));
    if (index === -1) looseFindings = true;
    else drafts[index].findings.push(finding);
  }

  const statements = drafts.map((draft) => ({
    ...draft,
    declares: [...draft.declares],
    headerReferences: [...draft.headerReferences],
    references: [...draft.references],
  }));
  return { statements, driverMentions, blockDirective, looseFindings };
}

export function recordOf(text: string, configKey: string, sourceCode: SourceCode, findings: readonly Finding[]): FileRecord {
  const model = modelOfLinted(sourceCode);
  const importsDriver = model.importsDriver;
  const described = describeStatements(sourceCode, findings, model);
  return {
    text,
    configKey,
    statements: described.statements,
    importsDriver,
    driverMentions: described.driverMentions,
    // FileModel's answer is "a string token names a driver" (an import's source is one) unless an
    // escape hides the name from the token's raw text; then only whole-file lints are sure.
    wholeFileOnly: described.blockDirective || described.looseFindings || importsDriver !== described.driverMentions > 0,
  };
}

/** The reduced copy to lint for an edit, and what the checks after linting it need. */
export interface ReducedLint {
  readonly text: string;
  readonly edit: LocatedEdit;
  /** Statements kept in the copy, in order; the edited one among them. */
  readonly kept: readonly number[];
  /** Driver-naming string tokens outside the edited statement (unchanged by the edit). */
  readonly driverMentionsElsewhere: number;
}

/**
 * Plans the reduced copy for `text`, or says (undefined) that the edit is not one a reduced copy
 * can judge exactly and the whole file must be linted.
 */
export function planReducedLint(previous: FileRecord, text: string): ReducedLint | undefined {
  if (previous.wholeFileOnly) return undefined;
  const statements = previous.statements;
  const edit = locateBodyEdit(previous.text, text, statements, (statement) => statement.interiors, ESLINT_LINE_BREAKS);
  if (!edit) return undefined;
  const { edited } = edit;
  const target = statements[edited];
  if (target.readsSensitiveVariable || target.declaresOptionSource) return undefined;
  // No directive in another statement reaches into the edited one.
  for (let i = 0; i < statements.length; i++) {
    if (i === edited) continue;
    if (statements[i].directiveLines.some((line) => line >= target.startLine && line <= target.endLine)) return undefined;
  }

  // Keep the edited statement, prologues, and every declaration it needs, transitively.
  const declaredBy = new Map<string, number[]>();
  statements.forEach((statement, index) => {
    for (const name of statement.declares) {
      const list = declaredBy.get(name);
      if (list) list.push(index);
      else declaredBy.set(name, [index]);
    }
  });
  const kept = new Set<number>([edited]);
  statements.forEach((statement, index) => statement.prologue && kept.add(index));
  const queue = [edited];
  while (queue.length > 0) {
    const index = queue.pop()!;
    const names = index === edited ? statements[index].references : statements[index].headerReferences;
    for (const name of names) {
      for (const declaring of declaredBy.get(name) ?? []) {
        if (kept.has(declaring)) continue;
        kept.add(declaring);
        queue.push(declaring);
      }
    }
  }

  // Blanked: statements not kept, and the function bodies of kept declarations.
  // A declaration whose functions have facts keeps its bodies: the facts are read from them.
  const reduced = reducedText(text, statements, edit, (statement, index) =>
    kept.has(index) ? (index !== edited && statement.facts !== '' ? [] : statement.interiors) : [[statement.start, statement.end]],
  );
  return {
    text: reduced,
    edit,
    kept: [...kept].sort((a, b) => a - b),
    driverMentionsElsewhere: previous.driverMentions - target.driverMentions,
  };
}

function shiftStatement(statement: StatementRecord, delta: number, lineDelta: number): StatementRecord {
  if (delta === 0 && lineDelta === 0) return statement;
  return {
    ...shiftSpan(statement, delta, lineDelta),
    interiors: statement.interiors.map(([start, end]) => [start + delta, end + delta] as const),
    directiveLines: statement.directiveLines.map((line) => line + lineDelta),
    findings: statement.findings.map((finding) => shiftFinding(finding, delta, lineDelta)),
  };
}

/**
 * Checks the reduced copy's lint and, when it is exact, returns the new text's record (whose
 * findings, in order, are the new text's findings). Undefined sends the caller to a whole-file lint.
 */
export function completeReducedLint(
  previous: FileRecord,
  plan: ReducedLint,
  text: string,
  sourceCode: SourceCode,
  findings: readonly Finding[],
): FileRecord | undefined {
  const { edit } = plan;
  const parsed = sourceCode.ast.body.map((statement) => ({ start: statement.range[0], end: statement.range[1] }));
  if (!keptStatementsInPlace(previous.statements, plan.kept, edit, parsed)) return undefined;
  const target = previous.statements[edit.edited];
  const editedPosition = plan.kept.indexOf(edit.edited);
  const described = describeStatements(sourceCode, findings, modelOfLinted(sourceCode), new Set([editedPosition]));
  const now = described.statements[editedPosition];
  if (described.blockDirective || now.readsSensitiveVariable || now.declaresOptionSource) return undefined;
  if (now.endLine !== target.endLine + edit.lineDelta) return undefined;
  // What its functions do with connections is read by other statements' rules.
  if (now.facts !== target.facts) return undefined;
  if (now.directiveLines.some((line) => line < now.startLine || line > now.endLine)) return undefined;
  // Same module-level declarations (a body edit cannot add one, but a parse could disagree).
  if (now.declares.length !== target.declares.length || now.declares.some((name) => !target.declares.includes(name))) return undefined;
  // A name the edited statement now uses that a blanked statement declares: the copy resolved it wrongly.
  const blankedNames = new Set<string>();
  previous.statements.forEach((statement, index) => {
    if (!plan.kept.includes(index)) for (const name of statement.declares) blankedNames.add(name);
  });
  if (now.references.some((name) => blankedNames.has(name))) return undefined;
  // Whether the file imports a driver must not have changed, or every other statement's findings would.
  const driverMentions = plan.driverMentionsElsewhere + now.driverMentions;
  if (driverMentions > 0 !== previous.importsDriver) return undefined;

  const statements = previous.statements.map((statement, index) => {
    if (index < edit.edited) return statement;
    if (index > edit.edited) return shiftStatement(statement, edit.delta, edit.lineDelta);
    return { ...now, declares: target.declares, prologue: target.prologue };
  });
  return { text, configKey: previous.configKey, statements, importsDriver: previous.importsDriver, driverMentions, wholeFileOnly: false };
}

/** The findings of a record, in source order. */
export function findingsOf(record: FileRecord): Finding[] {
  return record.statements.flatMap((statement) => statement.findings);
}
