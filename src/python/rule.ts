import type { RuleName } from '../engine/catalogue';
import type { Fix } from '../engine/types';
import type { PythonFile } from './model';

export interface PythonReport {
  readonly rule: RuleName;
  /** What the finding points at (offsets of the linted text). */
  readonly at: { readonly start: number; readonly end: number };
  readonly message: string;
  readonly fix?: Fix;
  readonly suggestions?: readonly Fix[];
  /** Other places that explain the finding (the release some path skips). */
  readonly related?: readonly { readonly at: { readonly start: number; readonly end: number }; readonly message: string }[];
}

export interface PythonRule {
  readonly name: RuleName;
  check(file: PythonFile, report: (finding: Omit<PythonReport, 'rule'>) => void): void;
}
