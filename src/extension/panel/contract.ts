// The panel's command ids and setting keys as data, free of `vscode`, so a unit test can hold the
// manifest (package.json contributes) to them.

export const PANEL_COMMANDS = {
  openHealthPanel: 'dbhealth.openHealthPanel',
  addConnection: 'dbhealth.addConnection',
  editConnection: 'dbhealth.editConnection',
  removeConnection: 'dbhealth.removeConnection',
  testConnection: 'dbhealth.testConnection',
  selectConnection: 'dbhealth.selectConnection',
} as const;

/** Setting keys under `dbhealth.`. */
export const PANEL_SETTINGS = {
  connections: 'connections',
  pollIntervalSeconds: 'panel.pollIntervalSeconds',
  utilizationWarningPercent: 'alerts.utilizationWarningPercent',
  utilizationErrorPercent: 'alerts.utilizationErrorPercent',
  idleInTransactionSeconds: 'alerts.idleInTransactionSeconds',
  longQuerySeconds: 'alerts.longQuerySeconds',
  cacheHitRatioMinPercent: 'alerts.cacheHitRatioMinPercent',
  pgbouncerClientsWaiting: 'alerts.pgbouncerClientsWaiting',
} as const;
