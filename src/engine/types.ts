import type { NotAnalysedCause } from './limits';
import type { RuleName, Severity } from './catalogue';
import type { ProjectIndex } from './project';

/**
 * A replacement of the text between two offsets. Offsets count UTF-16 code units of the JavaScript
 * string that was linted (what VS Code's `positionAt` and ESLint's `range` use), not UTF-8 bytes.
 */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A set of edits that together make one change; applied only when none of them overlap. */
export interface Fix {
  /** What the change does, shown as the quick fix's title ("Wrap in try/finally and release conn"). */
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** A source position: 1-based line, 1-based column (UTF-16 code units), as in SARIF. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Another place that explains a finding (the release some path skips): VS Code related information, SARIF relatedLocations. */
export interface RelatedLocation {
  readonly message: string;
  readonly start: Position;
  readonly end: Position;
}

export interface Finding {
  readonly rule: RuleName;
  /** Says what is wrong and what to do, in one or two sentences. */
  readonly message: string;
  readonly severity: Exclude<Severity, 'off'>;
  readonly start: Position;
  readonly end: Position;
  /** Applied by "fix all" and `--fix`: only edits that are provably safe. */
  readonly fix?: Fix;
  /** Offered one by one to the user, never applied automatically. */
  readonly suggestions?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

export interface LintConfig {
  /** Per-rule severity overrides; a rule that is absent uses its catalogue default. */
  readonly rules?: Partial<Record<RuleName, Severity>>;
  /** Lint test, example and benchmark files too (src/engine/file-kinds.ts); by default they get no findings. */
  readonly includeTests?: boolean;
}

export type LintOutcome =
  | { readonly kind: 'linted'; readonly findings: readonly Finding[] }
  /** The file is not a language dbhealth knows. */
  | { readonly kind: 'unsupported' }
  /** The file could not be read or parsed well enough to analyse; `reason` is user-facing. */
  | { readonly kind: 'failed'; readonly cause: NotAnalysedCause; readonly reason: string };

export interface LintOptions {
  /**
   * Names an open document that is linted again and again as it is edited (the editor passes its
   * URI). A front end may keep what it learnt from this text under the key and re-analyse only
   * what the next edit changed; the outcome is the same as without a key. Without one nothing is kept.
   */
  readonly documentKey?: string;
  /**
   * The project the file belongs to: what other modules' names hold and what their functions do
   * (src/engine/project/). Without one, a file is analysed alone, from its own imports and code.
   */
  readonly project?: ProjectIndex;
}

/** One language's analysis: parse, run the enabled rules, apply suppressions. */
export interface LanguageFrontEnd {
  readonly language: 'python' | 'javascript';
  /** File name endings this front end handles, with the dot (".py"). */
  readonly extensions: readonly string[];
  lint(text: string, filePath: string, config: LintConfig, options?: LintOptions): Promise<LintOutcome>;
  /** Drops what was kept for a document (it was closed). */
  forget(documentKey: string): void;
}
