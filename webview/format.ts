// Number and time formatting for the panel. Plain functions, so render tests can state exact text.
import type { PanelStatus } from '../src/protocol/panel';

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  if (whole < 86400) return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(whole / 86400)} d ${Math.floor((whole % 86400) / 3600)} h`;
}

/** Utilization reads well in whole percent; hit ratios need a decimal (99.3 % vs 95 % matters). */
export function formatPercent(ratio: number | null, decimals = 0): string {
  if (ratio === null) return '—';
  return `${(ratio * 100).toFixed(decimals)} %`;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return '—';
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

export function formatCount(value: number | null): string {
  return value === null ? '—' : String(value);
}

/** A wall-clock time in the reader's locale, e.g. 14:03:07. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The state line: live / stale since T / unreachable: reason, retrying in N s. */
export function describeStatus(status: PanelStatus, now: number): { text: string; tone: 'ok' | 'warning' | 'error' | 'neutral' } {
  switch (status.kind) {
    case 'no-connection':
      return { text: 'No connection configured. Add one with “dbhealth: Add Connection”.', tone: 'neutral' };
    case 'connecting':
      return { text: 'Connecting…', tone: 'neutral' };
    case 'live':
      return { text: `Live — updated ${formatClock(status.at)}`, tone: 'ok' };
    case 'stale':
      return { text: `Stale since ${formatClock(status.since)}: ${status.reason}`, tone: 'warning' };
    case 'unreachable': {
      const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
      return { text: `Unreachable: ${status.reason} — ${seconds > 0 ? `retrying in ${seconds} s` : 'retrying now'}`, tone: 'error' };
    }
    case 'failed':
      return { text: `Cannot monitor: ${status.reason}. Edit or test the connection, then retry.`, tone: 'error' };
    case 'paused':
      return { text: `Paused while hidden since ${formatClock(status.since)}`, tone: 'neutral' };
  }
}
