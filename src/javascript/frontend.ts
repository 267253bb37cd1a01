import * as path from 'node:path';
import { Linter } from 'eslint/universal';
import * as tsParser from '@typescript-eslint/parser';
import { effectiveSeverity } from '../engine/config';
import { isRuleName, type RuleName } from '../engine/catalogue';
import { removeSuppressed, type CommentToken } from '../engine/suppressions';
import type { Finding, Fix, LanguageFrontEnd, LintConfig, LintOutcome } from '../engine/types';
import { JAVASCRIPT_EXTENSIONS } from './frontend-loader';
import { JAVASCRIPT_RULES } from './rules';

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
      languageOptions: { parser: tsParser as Linter.Parser, sourceType, ecmaVersion: 'latest' },
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
 */
export async function createJavaScriptFrontEnd(): Promise<LanguageFrontEnd> {
  const linter = new Linter({ configType: 'flat' });
  const configs = new Map<string, Linter.Config[]>();
  return {
    language: 'javascript',
    extensions: JAVASCRIPT_EXTENSIONS,
    async lint(text: string, filePath: string, config: LintConfig): Promise<LintOutcome> {
      const sourceType = sourceTypeOf(filePath);
      const key = `${sourceType}:${JSON.stringify(config.rules ?? {})}`;
      let flat = configs.get(key);
      if (!flat) {
        flat = flatConfig(config, sourceType);
        configs.set(key, flat);
      }
      // A bare file name: the parser picks JSX/TS syntax from its extension, and flat-config
      // matching does not depend on where the file lives.
      const messages = linter.verify(text, flat, { filename: path.basename(filePath) || 'file.js' });
      const fatal = messages.find((m) => m.fatal);
      if (fatal) return { kind: 'failed', reason: `cannot parse: ${fatal.message.replace(/^Parsing error: /, '')} (line ${fatal.line}, column ${fatal.column})` };
      const findings: Finding[] = [];
      for (const message of messages) {
        const rule = message.ruleId?.startsWith(PLUGIN_PREFIX) ? message.ruleId.slice(PLUGIN_PREFIX.length) : undefined;
        if (!rule || !isRuleName(rule)) continue;
        const finding = toFinding(message, rule, config);
        if (finding) findings.push(finding);
      }
      if (findings.length === 0) return { kind: 'linted', findings };
      return { kind: 'linted', findings: removeSuppressed(findings, commentsOf(linter.getSourceCode()), 'javascript') };
    },
  };
}
