import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';

export const PROJECT_ROOT: string;
export const CODE_SERVER_VERSION: string;
export const TOOLCHAIN_DIR: string;
export const CODE_SERVER_BIN: string;
export const CHROMIUM_BIN: string;
export const CHROMIUM_ARGS: string[];
export const QUIET_WORKBENCH_SETTINGS: Record<string, unknown>;
export function ensureToolchain(): void;
export function findFreePort(first: number, last: number): Promise<number>;
export function writeUserSettings(userDataDir: string, settings?: Record<string, unknown>): Promise<void>;
export function installVsix(options: { vsix: string; extensionsDir: string; userDataDir: string }): void;
export function killProcessGroup(child: ChildProcess | undefined): Promise<void>;
export interface CodeServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}
export function startCodeServerProcess(options: {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  folder?: string;
  env?: Record<string, string>;
  log?: (line: string) => void;
}): Promise<CodeServerProcess>;
export function launchChromium(): Promise<Browser>;
