import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULE_NAMES, ruleDocsUrl, type RuleName } from '../engine/catalogue';
import { ruleHelpMarkdown } from './rule-help';
import type { Finding } from '../engine/types';
import type { NotAnalysedCause } from '../engine/limits';

export interface FileReport {
  readonly file: string;
  readonly findings: readonly Finding[];
  /** Set when the file could not be analysed: why, in words. */
  readonly failure?: string;
  /** With `failure`: its kind (an engine cause, or a file the CLI was named but cannot lint). */
  readonly cause?: NotAnalysedCause | 'unsupported';
  /** Analysed, with something the user should know (invalid UTF-8). */
  readonly warnings?: readonly string[];
  /** The text of each finding's first line, in order: what its fingerprint is made from. */
  readonly findingLines?: readonly string[];
}

export interface SarifOptions {
  /** `runs[].automationDetails.id`: tells apart the runs of sharded or repeated CI jobs. */
  readonly automationId?: string;
}

/** The partial fingerprint key; bump the version if what goes into it changes. */
export const FINGERPRINT_KEY = 'dbhealth/v1';

/**
 * Identities for a file's findings that survive unrelated edits: the rule, the file, the text of the
 * finding's line with its whitespace collapsed, and which occurrence of that same (rule, text) it is
 * in the file. Lines inserted or removed above a finding leave all of these alone, so code scanning
 * keeps tracking it as the same alert; editing the line itself makes it a new one.
 */
export function findingFingerprints(uri: string, findings: readonly Finding[], lines: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding, index) => {
    const identity = `${finding.rule}\u0000${uri}\u0000${(lines[index] ?? '').trim().replace(/\s+/g, ' ')}`;
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    return createHash('sha256').update(`${identity}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** Relative URIs against the working directory keep SARIF portable between checkouts (code scanning expects them). */
function artifactUri(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(file).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

/** The rule's page as SARIF help: plain text (required) and the markdown code scanning renders. */
function helpOf(rule: RuleName): { help?: { text: string; markdown: string } } {
  const markdown = ruleHelpMarkdown(rule);
  return markdown ? { help: { text: `${RULES[rule].description} See ${ruleDocsUrl(rule)}`, markdown } } : {};
}

export function toSarif(reports: readonly FileReport[], cwd: string, version: string, options: SarifOptions = {}): object {
  const ruleIndex = new Map(RULE_NAMES.map((name, index) => [name, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dbhealth',
            version,
            informationUri: 'https://github.com/dbhealth/dbhealth',
            rules: RULE_NAMES.map((name) => ({
              id: `dbhealth/${name}`,
              name,
              shortDescription: { text: RULES[name].description },
              helpUri: ruleDocsUrl(name),
              ...helpOf(name),
              defaultConfiguration: { level: SARIF_LEVEL[RULES[name].defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).href } },
        ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
        results: reports.flatMap((report) => {
          const fingerprints = findingFingerprints(artifactUri(report.file, cwd), report.findings, report.findingLines ?? []);
          return report.findings.map((finding, index) => ({
            ruleId: `dbhealth/${finding.rule}`,
            ruleIndex: ruleIndex.get(finding.rule),
            level: SARIF_LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(report.file, cwd), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: finding.start.line,
                    startColumn: finding.start.column,
                    endLine: finding.end.line,
                    endColumn: finding.end.column,
                  },
                },
              },
            ],
            // The release some path skips: code scanning shows it beside the result.
            ...(finding.related?.length
              ? {
                  relatedLocations: finding.related.map((related, id) => ({
                    id,
                    message: { text: related.message },
                    physicalLocation: {
                      artifactLocation: { uri: artifactUri(report.file, cwd), uriBaseId: '%SRCROOT%' },
                      region: { startLine: related.start.line, startColumn: related.start.column, endLine: related.end.line, endColumn: related.end.column },
                    },
                  })),
                }
              : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[index] },
          }));
        }),
        invocations: [
          {
            // Not successful when a file was not analysed: the results do not cover everything asked for.
            executionSuccessful: reports.every((report) => report.failure === undefined),
            toolExecutionNotifications: reports.flatMap((report) => {
              const location = [{ physicalLocation: { artifactLocation: { uri: artifactUri(report.file, cwd), uriBaseId: '%SRCROOT%' } } }];
              return [
                ...(report.failure !== undefined
                  ? [{ level: 'error', message: { text: `not analysed: ${report.failure}` }, locations: location, ...(report.cause ? { properties: { cause: report.cause } } : {}) }]
                  : []),
                ...(report.warnings ?? []).map((warning) => ({ level: 'warning', message: { text: warning }, locations: location })),
              ];
            }),
          },
        ],
      },
    ],
  };
}
