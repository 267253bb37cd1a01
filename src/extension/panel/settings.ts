// The panel's settings as typed data: read in one place, with the defaults of the database layer.
import * as vscode from 'vscode';
import { DEFAULT_THRESHOLDS, type AlertThresholds, type PollerOptions } from '../../db/types';
import { PANEL_SETTINGS } from './contract';


function numberSetting(key: string, fallback: number, min: number): number {
  const value = vscode.workspace.getConfiguration('dbhealth').get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

export function readThresholds(): AlertThresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    utilizationWarning: numberSetting(PANEL_SETTINGS.utilizationWarningPercent, DEFAULT_THRESHOLDS.utilizationWarning * 100, 1) / 100,
    utilizationError: numberSetting(PANEL_SETTINGS.utilizationErrorPercent, DEFAULT_THRESHOLDS.utilizationError * 100, 1) / 100,
    idleInTransactionSeconds: numberSetting(PANEL_SETTINGS.idleInTransactionSeconds, DEFAULT_THRESHOLDS.idleInTransactionSeconds, 1),
    longQuerySeconds: numberSetting(PANEL_SETTINGS.longQuerySeconds, DEFAULT_THRESHOLDS.longQuerySeconds, 1),
    cacheHitRatioMin: numberSetting(PANEL_SETTINGS.cacheHitRatioMinPercent, DEFAULT_THRESHOLDS.cacheHitRatioMin * 100, 0) / 100,
    pgbouncerClientsWaiting: numberSetting(PANEL_SETTINGS.pgbouncerClientsWaiting, DEFAULT_THRESHOLDS.pgbouncerClientsWaiting, 1),
  };
}

export function readPollerOptions(): Partial<PollerOptions> {
  return {
    intervalMs: numberSetting(PANEL_SETTINGS.pollIntervalSeconds, 2, 1) * 1000,
    backoffInitialMs: 1_000,
    backoffMaxMs: 30_000,
    jitter: 0.3,
    authRetryMs: null,
    thresholds: readThresholds(),
  };
}
