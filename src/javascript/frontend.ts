import * as path from 'node:path';
import { Linter } from 'eslint/universal';
import type { TSESLint } from '@typescript-eslint/utils';
import { effectiveSeverity } from '../engine/config';
import { tooDeepReason } from '../engine/limits';
import { isRuleName, type RuleName } from '../engine/catalogue';
import { removeSuppressed, type CommentToken } from '../engine/suppressions';
import { DocumentMemory, REMEMBERED_DOCUMENTS } from '../engine/document-memory';
import { tryShortcut } from '../engine/reanalysis';
import type { Finding, Fix, LanguageFrontEnd, LintConfig, LintOptions, LintOutcome } from '../engine/types';
import { fileModel, IMPORTS_DRIVER_SETTING, withProject } from './analysis/model';
import { collectRelated, relatedKey } from './analysis/related';
import { moduleFactsOf } from './analysis/facts';
import type { ModuleSummarizer, ProjectIndex, ProjectView } from '../engine/project';
import { EMPTY_MODULE_FACTS, type ModuleFacts } from '../engine/project/facts';
import { driverMentionedIn } from './libraries/drivers';
import { completeReducedLint, findingsOf, planReducedLint, recordOf, type FileRecord } from './incremental';
import { JAVASCRIPT_EXTENSIONS } from './frontend-loader';
import { JAVASCRIPT_RULES } from './rules';
import { dbhealthParser, isNestingMessage } from './parser';

const PLUGIN_PREFIX = 'dbhealth/';

/** CommonJS extensions parse as scripts (top-level `return` is legal there); everything else as modules. */
function sourceTypeOf(filePath: string): 'module' | 'commonjs' {
  const extension = path.extname(filePath).toLowerCase();
  return extension === '.cjs' || extension === '.cts' ? 'commonjs' : 'module';
}

function flatConfig(config: LintConfig, sourceType: 'module' | 'commonjs'): Linter.Config[] {
  const rules: Linter.RulesRecord = {};
  for (const name of Object.keys(JAVASCRIPT_RULES) as RuleName[]) {
    if (effectiveSeverity(name, config) !== 'off') rules[PLUGIN_PREFIX + name] = 'warn';
  }
  return [
    {
      files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
      // No rule asks TypeScript's tree for an ESTree node: without the maps between the two trees the
      // parser keeps a third less and a large file spends less of its time collecting garbage.
      languageOptions: { parser: dbhealthParser, sourceType, ecmaVersion: 'latest', parserOptions: { preserveNodeMaps: false } },
      plugins: { dbhealth: { rules: JAVASCRIPT_RULES as never } },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules,
    },
  ];
}

/** Titles of automatic fixes (ESLint fixes carry no description of their own). */
const FIX_TITLES: Partial<Record<RuleName, string>> = {
  'no-leaked-connection': 'Release the connection in a finally block',
};

/** Offsets of ESLint fixes are already UTF-16 code units of the linted string. */
function toFix(title: string, fix: { range: [number, number]; text: string }): Fix {
  return { title, edits: [{ start: fix.range[0], end: fix.range[1], text: fix.text }] };
}

function toFinding(message: Linter.LintMessage, rule: RuleName, config: LintConfig): Finding | undefined {
  const severity = effectiveSeverity(rule, config);
  if (severity === 'off') return undefined;
  return {
    rule,
    message: message.message,
    severity,
    start: { line: message.line, column: message.column },
    end: { line: message.endLine ?? message.line, column: message.endColumn ?? message.column },
    ...(message.fix ? { fix: toFix(FIX_TITLES[rule] ?? `Fix dbhealth/${rule}`, message.fix) } : {}),
    ...(message.suggestions?.length ? { suggestions: message.suggestions.map((s) => toFix(s.desc, s.fix)) } : {}),
  };
}

function commentsOf(sourceCode: ReturnType<Linter['getSourceCode']>): CommentToken[] {
  return sourceCode.getAllComments().map((comment) => {
    const line = comment.loc!.start.line;
    const before = sourceCode.lines[line - 1].slice(0, comment.loc!.start.column);
    return { text: comment.value, line, standalone: before.trim() === '' };
  });
}

/**
 * Runs ESLint's `Linter` in-process with the typescript-eslint parser (no type information, so no
 * tsconfig and no program) and the dbhealth rules. ESLint's own disable comments work as usual;
 * `// dbhealth-ignore-next-line` is applied afterwards, like for Python.
 *
 * With a document key, an edit inside one function is re-linted from a reduced copy of the file
 * (src/javascript/incremental.ts); anything else, and any doubt, lints the whole file.
 */
export interface JavaScriptFrontEnd extends LanguageFrontEnd {
  /** How the lints with a document key were answered: from a reduced copy, or by linting the whole file. */
  readonly reuse: { readonly reduced: number; readonly whole: number };
}

/**
 * The summary pass for the project index: a lint with one internal rule that reads the module's
 * facts from the same model the rules use.
 */
let lastSummary: ModuleFacts | undefined;
const summaryRule = {
  meta: { type: 'problem' as const, schema: [] },
  create(context: Parameters<typeof fileModel>[0]) {
    return {
      'Program:exit'(program: Parameters<typeof moduleFactsOf>[1]) {
        lastSummary = moduleFactsOf(fileModel(context), program);
      },
    };
  },
};

function summaryConfig(sourceType: 'module' | 'commonjs'): Linter.Config[] {
  return [
    {
      files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
      languageOptions: { parser: dbhealthParser, sourceType, ecmaVersion: 'latest', parserOptions: { preserveNodeMaps: false } },
      plugins: { 'dbhealth-index': { rules: { summary: summaryRule as never } } },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: { 'dbhealth-index/summary': 'warn' },
    },
  ];
}

/** The outcome for a fatal parse message: where it is, when the parser said so. */
function notParsed(fatal: Linter.LintMessage): LintOutcome {
  const message = fatal.message.replace(/^Parsing error: /, '');
  if (isNestingMessage(message)) return { kind: 'failed', cause: 'too-deep', reason: /call stack/i.test(message) ? tooDeepReason() : message };
  const where = typeof fatal.line === 'number' && fatal.line > 0 ? ` (line ${fatal.line}${typeof fatal.column === 'number' && fatal.column > 0 ? `, column ${fatal.column}` : ''})` : '';
  return { kind: 'failed', cause: 'syntax', reason: `cannot parse: ${message}${where}` };
}

export async function createJavaScriptFrontEnd(): Promise<JavaScriptFrontEnd> {
  const linter = new Linter({ configType: 'flat' });
  const summaryLinter = new Linter({ configType: 'flat' });
  const summaryConfigs = { module: summaryConfig('module'), commonjs: summaryConfig('commonjs') };

  const summarizer: ModuleSummarizer = {
    language: 'javascript',
    extensions: JAVASCRIPT_EXTENSIONS,
    mayHoldFacts: driverMentionedIn,
    summarize(text, filePath, view) {
      lastSummary = undefined;
      try {
        withProject(view, () => summaryLinter.verify(text, summaryConfigs[sourceTypeOf(filePath)], { filename: path.basename(filePath) || 'file.js' }));
      } catch {
        return EMPTY_MODULE_FACTS;
      }
      return lastSummary ?? EMPTY_MODULE_FACTS;
    },
  };
  const viewFor = (project: ProjectIndex | undefined, filePath: string): ProjectView | undefined => {
    if (!project) return undefined;
    if (!project.hasLanguage('javascript')) project.register(summarizer);
    return project.view(filePath, 'javascript');
  };
  const configs = new Map<string, Linter.Config[]>();
  const memory = new DocumentMemory<FileRecord>(REMEMBERED_DOCUMENTS);
  const reuse = { reduced: 0, whole: 0 };

  function configFor(config: LintConfig, sourceType: 'module' | 'commonjs', importsDriver?: boolean): Linter.Config[] {
    const key = `${sourceType}:${JSON.stringify(config.rules ?? {})}:${importsDriver ?? ''}`;
    let flat = configs.get(key);
    if (!flat) {
      flat = flatConfig(config, sourceType);
      if (importsDriver !== undefined) flat = [{ ...flat[0], settings: { [IMPORTS_DRIVER_SETTING]: importsDriver } }];
      configs.set(key, flat);
    }
    return flat;
  }

  function run(text: string, fileName: string, flat: Linter.Config[], config: LintConfig, view?: ProjectView): LintOutcome {
    const { result: messages, related } = collectRelated(() => withProject(view, () => linter.verify(text, flat, { filename: fileName })));
    const fatal = messages.find((m) => m.fatal);
    if (fatal) return notParsed(fatal);
    const findings: Finding[] = [];
    for (const message of messages) {
      const rule = message.ruleId?.startsWith(PLUGIN_PREFIX) ? message.ruleId.slice(PLUGIN_PREFIX.length) : undefined;
      if (!rule || !isRuleName(rule)) continue;
      const finding = toFinding(message, rule, config);
      const notes = finding ? related.get(relatedKey(rule, message.line, message.column)) : undefined;
      if (finding) findings.push(notes ? { ...finding, related: notes } : finding);
    }
    if (findings.length === 0) return { kind: 'linted', findings };
    return { kind: 'linted', findings: removeSuppressed(findings, commentsOf(linter.getSourceCode()), 'javascript') };
  }

  /** The last linted text's source code, typed as typescript-eslint's (the same object, richer types). */
  const lastSourceCode = () => linter.getSourceCode() as unknown as TSESLint.SourceCode;

  /** The edited function alone, when that is provably the same as the whole file; otherwise undefined. */
  function relintEdit(previous: FileRecord, text: string, fileName: string, sourceType: 'module' | 'commonjs', config: LintConfig, view?: ProjectView): FileRecord | undefined {
    const plan = planReducedLint(previous, text);
    if (!plan) return undefined;
    const outcome = run(plan.text, fileName, configFor(config, sourceType, previous.importsDriver), config, view);
    if (outcome.kind !== 'linted') return undefined;
    return completeReducedLint(previous, plan, text, lastSourceCode(), outcome.findings);
  }

  return {
    language: 'javascript',
    extensions: JAVASCRIPT_EXTENSIONS,
    async lint(text: string, filePath: string, config: LintConfig, options: LintOptions = {}): Promise<LintOutcome> {
      const sourceType = sourceTypeOf(filePath);
      // A bare file name: the parser picks JSX/TS syntax from its extension, and flat-config
      // matching does not depend on where the file lives.
      const fileName = path.basename(filePath) || 'file.js';
      const documentKey = options.documentKey;
      const view = viewFor(options.project, filePath);
      if (documentKey === undefined) return run(text, fileName, configFor(config, sourceType), config, view);

      const configKey = `${fileName}:${sourceType}:${JSON.stringify(config.rules ?? {})}`;
      const previous = memory.take(documentKey);
      if (previous && previous.configKey === configKey) {
        if (previous.text === text) {
          memory.keep(documentKey, previous);
          return { kind: 'linted', findings: findingsOf(previous) };
        }
        const record = tryShortcut(() => relintEdit(previous, text, fileName, sourceType, config, view));
        if (record) {
          reuse.reduced++;
          memory.keep(documentKey, record);
          return { kind: 'linted', findings: findingsOf(record) };
        }
      }
      reuse.whole++;
      const outcome = run(text, fileName, configFor(config, sourceType), config, view);
      if (outcome.kind === 'linted') {
        memory.keep(documentKey, recordOf(text, configKey, lastSourceCode(), outcome.findings));
      } else if (previous) {
        // Half-typed code does not parse; the next edit is compared with the last text that did.
        memory.keep(documentKey, previous);
      }
      return outcome;
    },
    forget: (documentKey) => memory.forget(documentKey),
    reuse,
  };
}
