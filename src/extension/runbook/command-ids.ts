/**
 * The runbook's command ids and titles: one table that the glue registers and that a unit test
 * compares with package.json's `contributes.commands`, so the two cannot drift.
 */
export const RUNBOOK_COMMANDS = {
  checkConnectivity: { id: 'dbhealth.runbook.checkConnectivity', title: 'Runbook: Check Connectivity' },
  probeNetwork: { id: 'dbhealth.runbook.probeNetwork', title: 'Runbook: Network Stability Probe' },
  inspect: { id: 'dbhealth.runbook.inspect', title: 'Runbook: Inspect Sessions, Limits and Timeouts' },
  cancelQuery: { id: 'dbhealth.runbook.cancelQuery', title: 'Runbook: Cancel a Running Query…' },
  terminateSession: { id: 'dbhealth.runbook.terminateSession', title: 'Runbook: Terminate a Session…' },
  terminateIdleSessions: { id: 'dbhealth.runbook.terminateIdleSessions', title: 'Runbook: Terminate Idle Sessions Older Than…' },
  diagnose: { id: 'dbhealth.runbook.diagnose', title: 'Runbook: Diagnose' },
  explainError: { id: 'dbhealth.runbook.explainError', title: 'Runbook: Explain a Database Error' },
  enableAdminActions: { id: 'dbhealth.runbook.enableAdminActions', title: 'Runbook: Enable Admin Actions for This Connection' },
  disableAdminActions: { id: 'dbhealth.runbook.disableAdminActions', title: 'Runbook: Disable Admin Actions for This Connection' },
} as const;

export type RunbookCommandName = keyof typeof RUNBOOK_COMMANDS;
