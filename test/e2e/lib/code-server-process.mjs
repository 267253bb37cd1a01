// Starting and stopping code-server and Chromium, shared by the extension-host runner, the
// end-to-end helpers and `npm run demo`. Plain .mjs so the runners need no TypeScript loader.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const TOOLCHAIN_DIR =
  process.env.DBHEALTH_TOOLCHAIN_DIR ?? path.join(PROJECT_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(TOOLCHAIN_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM_BIN = '/usr/bin/chromium';
/** Flags that let Debian's Chromium run as root on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** Settings that keep dialogs and welcome pages from covering the workbench. */
export const QUIET_WORKBENCH_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
};

const toolchainComplete = () =>
  existsSync(CODE_SERVER_BIN) &&
  existsSync(path.join(TOOLCHAIN_DIR, '.install-complete')) &&
  existsSync(CHROMIUM_BIN);

/** Installs code-server and Chromium with the project's script when either is missing. */
export function ensureToolchain() {
  if (toolchainComplete()) return;
  console.log('code-server or Chromium is missing: running scripts/install-e2e-toolchain.sh');
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-e2e-toolchain.sh')], { stdio: 'inherit' });
  if (result.status !== 0 || !toolchainComplete()) {
    throw new Error('The end-to-end toolchain could not be installed (see the output of scripts/install-e2e-toolchain.sh above).');
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The first free loopback port in [first, last]. */
export async function findFreePort(first, last) {
  for (let port = first; port <= last; port++) if (await portIsFree(port)) return port;
  throw new Error(`No free port on 127.0.0.1 between ${first} and ${last}.`);
}

/** Writes user settings into a fresh user-data-dir. */
export async function writeUserSettings(userDataDir, settings = {}) {
  await mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_WORKBENCH_SETTINGS, ...settings }, null, 2),
  );
}

/** Installs a VSIX into an extensions folder; code-server prints what it did. */
export function installVsix({ vsix, extensionsDir, userDataDir }) {
  const result = spawnSync(
    CODE_SERVER_BIN,
    ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout + result.stderr)) {
    throw new Error(`code-server could not install ${vsix}:\n${result.stdout}${result.stderr}`);
  }
}

async function waitForHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before it answered.`);
    try {
      const response = await globalThis.fetch(new URL('/healthz', url));
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s.`);
}

/** Kills a child started with `detached: true` together with everything it started. */
export function killProcessGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  const forced = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 3000);
  return exited.finally(() => clearTimeout(forced));
}

/** code-servers this process started and has not stopped yet. */
const liveServers = new Set();
let exitGuardInstalled = false;

/**
 * code-server runs in its own process group, so an interrupted test run would leave it behind:
 * kill what is still running when this process exits, and turn Ctrl+C into such an exit unless
 * the program handles signals itself (the demo does, to stop its database too).
 */
function installExitGuard() {
  if (exitGuardInstalled) return;
  exitGuardInstalled = true;
  process.on('exit', () => {
    for (const child of liveServers) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code));
  }
}

/**
 * Starts code-server on 127.0.0.1 and waits until it answers.
 * @param {{ port: number, userDataDir: string, extensionsDir: string, folder?: string,
 *           env?: Record<string, string>, log?: (line: string) => void }} options
 */
export async function startCodeServerProcess({ port, userDataDir, extensionsDir, folder, env = {}, log }) {
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  if (folder) args.push(folder);
  // Its own process group, so stopping it also stops the extension host and file watchers.
  installExitGuard();
  const child = spawn(CODE_SERVER_BIN, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  liveServers.add(child);
  child.once('exit', () => liveServers.delete(child));
  const forward = (chunk) => {
    if (log) for (const line of chunk.toString().split('\n')) if (line.trim()) log(line);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHealthy(url, child, 60_000);
  } catch (error) {
    await killProcessGroup(child);
    throw error;
  }
  return { child, port, url, stop: () => killProcessGroup(child) };
}

/** Launches Debian's Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS });
}
