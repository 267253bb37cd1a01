import * as path from 'node:path';
import type { LanguageFrontEnd, LintConfig, LintOptions, LintOutcome } from './types';
import { isScriptFile, isTestOrExampleFile, SCRIPT_RULES } from './file-kinds';
import { RULE_NAMES, RULES, type Language, type RuleName, type Severity } from './catalogue';
import { isStackOverflow, MAX_FILE_BYTES, tooDeepReason, tooLargeReason } from './limits';

/**
 * Front ends register themselves here so the dispatcher stays free of parser imports: the
 * Python front end pulls in tree-sitter's wasm, the JS/TS one pulls in ESLint, and neither
 * should load until a file of its language is linted.
 */
type FrontEndLoader = () => Promise<LanguageFrontEnd>;

const loaders = new Map<string, FrontEndLoader>();
const loaded = new Map<FrontEndLoader, Promise<LanguageFrontEnd>>();

export function registerFrontEnd(extensions: readonly string[], load: FrontEndLoader): void {
  for (const extension of extensions) loaders.set(extension.toLowerCase(), load);
}

export function supportedExtensions(): string[] {
  return [...loaders.keys()].sort();
}

export function isSupportedFile(filePath: string): boolean {
  return loaders.has(path.extname(filePath).toLowerCase());
}

function frontEndFor(filePath: string): Promise<LanguageFrontEnd> | undefined {
  const load = loaders.get(path.extname(filePath).toLowerCase());
  if (!load) return undefined;
  let pending = loaded.get(load);
  if (!pending) {
    pending = load();
    // A loader that failed once (a missing wasm file, say) is retried on the next file
    // rather than poisoning every later lint with the same rejected promise.
    pending.catch(() => loaded.delete(load));
    loaded.set(load, pending);
  }
  return pending;
}

/** Lints one file's text. Never throws: every failure becomes a `failed` outcome with a reason. */
export async function lintText(text: string, filePath: string, config: LintConfig = {}, options: LintOptions = {}): Promise<LintOutcome> {
  const pending = frontEndFor(filePath);
  if (!pending) return { kind: 'unsupported' };
  // Tests, examples and benchmarks break the rules on purpose; scripts get a subset (file-kinds.ts).
  const relative = projectRelative(filePath, options.project?.roots ?? []);
  if (!config.includeTests && isTestOrExampleFile(relative)) return { kind: 'linted', findings: [] };
  if (!config.includeTests && isScriptFile(relative)) config = scriptConfig(config);
  // A limit of the input, checked before any work, so the answer does not depend on the machine.
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) return { kind: 'failed', cause: 'too-large', reason: tooLargeReason(bytes) };
  try {
    const frontEnd = await pending;
    return onlySafeFixes(await frontEnd.lint(text, filePath, config, options), frontEnd.language);
  } catch (error) {
    // What was kept for the document may be what failed: the next lint starts from scratch.
    if (options.documentKey !== undefined) void forgetDocument(options.documentKey);
    // Deep input on a thread without the analysis stack (ANALYSIS_STACK_MB): the same verdict as the depth limit's.
    if (isStackOverflow(error)) return { kind: 'failed', cause: 'too-deep', reason: tooDeepReason() };
    return { kind: 'failed', cause: 'internal', reason: `internal error while analysing: ${describeError(error)}` };
  }
}

/**
 * Fix safety as data: a finding's `fix` is applied unattended (fix-all, `eslint --fix`), so only a
 * rule whose fixes the catalogue declares safe in this language may carry one; any other is
 * offered as the first suggestion instead.
 */
function onlySafeFixes(outcome: LintOutcome, language: Language): LintOutcome {
  if (outcome.kind !== 'linted' || !outcome.findings.some((finding) => finding.fix && !RULES[finding.rule].fixableIn.includes(language))) return outcome;
  return {
    kind: 'linted',
    findings: outcome.findings.map((finding) => {
      if (!finding.fix || RULES[finding.rule].fixableIn.includes(language)) return finding;
      const { fix, ...rest } = finding;
      return { ...rest, suggestions: [fix, ...(finding.suggestions ?? [])] };
    }),
  };
}

/** A script's configuration: rules outside the script subset are off unless the user set them. */
function scriptConfig(config: LintConfig): LintConfig {
  const rules: Partial<Record<RuleName, Severity>> = { ...config.rules };
  for (const rule of RULE_NAMES) if (!SCRIPT_RULES.has(rule) && rules[rule] === undefined) rules[rule] = 'off';
  return { ...config, rules };
}

/**
 * The path inside the project (from the outermost root holding the file: the CLI's working
 * directory rather than a folder it was given), so that folders above the project (a checkout under
 * `~/tests/`) never make a file look like a test, and folders inside it (`tests/`) always do.
 */
function projectRelative(filePath: string, roots: readonly string[]): string {
  const absolute = path.resolve(filePath);
  let best: string | undefined;
  for (const root of roots) {
    const relative = path.relative(root, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    if (best === undefined || relative.length > best.length) best = relative;
  }
  return best ?? (path.isAbsolute(filePath) ? path.basename(filePath) : filePath);
}

/** Drops whatever any loaded front end kept for a document (see `LintOptions.documentKey`). */
export async function forgetDocument(documentKey: string): Promise<void> {
  for (const pending of loaded.values()) {
    const frontEnd = await pending.catch(() => undefined);
    frontEnd?.forget(documentKey);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
