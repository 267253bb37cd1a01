/** Public surface of the runbook (plain Node): the panel glue, the commands and the CLI use only this. */
export { explainError, formatExplanation, type ErrorExplanation } from './errors/explain';
export type { RetryAdvice, RunbookScenario } from './errors/types';
export { checkConnectivity, formatConnectivityReport, type ConnectivityReport, type CheckStep } from './connectivity';
export { probeNetwork, formatProbeReport, DEFAULT_PROBE_OPTIONS, type ProbeReport, type ProbeOptions } from './probe';
export {
  inspectSessions,
  lookupSession,
  previewIdleSessions,
  cancelQuery,
  terminateSession,
  terminateIdleSessions,
  type RunbookContext,
  type InspectOptions,
  type InspectReport,
  type UserConnections,
} from './actions';
export { describeForConfirmation, fromSnapshotSession, formatAge, queryExcerpt, type RunbookSession, type ActionResult, type ActionKind, type ActionOutcome } from './session';
export { AuditLog, JsonlAuditFile, formatAuditLine, type AuditEntry, type AuditSink } from './audit';
export { diagnose, formatDiagnoses, DEFAULT_DIAGNOSE_OPTIONS, type Diagnosis, type DiagnoseInput, type DiagnoseOptions } from './diagnose';
export { RUNBOOK_APPLICATION_NAME, OWN_SESSION_PREFIX } from './connections';
