/** The one-line result of a workspace scan, counted from the outcomes of the files linted. */
import type { LintOutcome } from '../engine/types';

export interface FileTally {
  readonly outcome: LintOutcome;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function summarizeWorkspaceLint(tallies: readonly FileTally[], totalFiles: number, cancelled: boolean): string {
  let problems = 0;
  let filesWithProblems = 0;
  let failed = 0;
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const { outcome } of tallies) {
    if (outcome.kind === 'failed') failed++;
    if (outcome.kind !== 'linted' || outcome.findings.length === 0) continue;
    filesWithProblems++;
    problems += outcome.findings.length;
    for (const finding of outcome.findings) bySeverity[finding.severity]++;
  }
  const scanned = cancelled ? `${tallies.length} of ${plural(totalFiles, 'file')} (cancelled)` : plural(tallies.length, 'file');
  const parts = [`dbhealth: ${plural(problems, 'problem')} in ${plural(filesWithProblems, 'file')}; scanned ${scanned}`];
  if (problems > 0) parts.push(`${plural(bySeverity.error, 'error')}, ${plural(bySeverity.warning, 'warning')}, ${bySeverity.info} info`);
  if (failed > 0) parts.push(`${plural(failed, 'file')} could not be analysed (see the dbhealth output)`);
  return `${parts.join('; ')}.`;
}
