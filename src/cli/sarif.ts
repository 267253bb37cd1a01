import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULE_NAMES, ruleDocsUrl } from '../engine/catalogue';
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
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** Relative URIs against the working directory keep SARIF portable between checkouts (code scanning expects them). */
function artifactUri(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(file).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

export function toSarif(reports: readonly FileReport[], cwd: string, version: string): object {
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
              defaultConfiguration: { level: SARIF_LEVEL[RULES[name].defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).href } },
        results: reports.flatMap((report) =>
          report.findings.map((finding) => ({
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
          })),
        ),
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
