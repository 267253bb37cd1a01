// `npm run demo`: the extension as a user gets it. Builds and packages the VSIX, installs it into
// code-server (installing the toolchain first if needed), opens a temporary copy of the sample
// workspace, starts a database for the health panel and prints the address to open. Runs until
// Ctrl+C, then stops everything it started and deletes its temporary folder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_PORTS = [18080, 18089];
const DATABASE_PORTS = [18090, 18099];

function say(line = '') {
  console.log(line);
}

function run(description, command, args) {
  say(`> ${description}`);
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${description} failed`);
}

// A fresh clone has no node_modules yet: the two README commands must work anyway.
if (!existsSync(path.join(projectRoot, 'node_modules', '.package-lock.json'))) {
  try {
    run('npm ci', 'npm', ['ci']);
  } catch (error) {
    console.error(`npm run demo: ${error.message}.`);
    process.exit(1);
  }
}

const { ensureToolchain, findFreePort, installVsix, startCodeServerProcess, writeUserSettings } = await import('../test/e2e/lib/code-server-process.mjs');
const { startDemoDatabase } = await import('./demo-database.mjs');

const cleanups = [];
let stopping = false;
async function stopEverything(exitCode) {
  if (stopping) return;
  stopping = true;
  say('\nStopping the demo…');
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(`cleanup: ${error.message}`));
  process.exit(exitCode);
}
process.on('SIGINT', () => void stopEverything(0));
process.on('SIGTERM', () => void stopEverything(0));

try {
  ensureToolchain();
  const scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-demo-'));
  cleanups.push(() => rm(scratch, { recursive: true, force: true }));
  const vsix = path.join(scratch, 'dbhealth.vsix');
  run('build and package the extension', process.execPath, [path.join(projectRoot, 'scripts', 'package.mjs'), '--out', vsix]);

  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  await cp(path.join(projectRoot, 'samples', 'workspace'), workspace, { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userDataDir);
  say('> install the VSIX into code-server');
  installVsix({ vsix, extensionsDir, userDataDir });

  say('> start the database');
  const database = await startDemoDatabase({ port: await findFreePort(...DATABASE_PORTS), log: say });
  cleanups.push(() => database.stop());
  // The health panel reads DATABASE_URL from the workspace's .env.
  await writeFile(path.join(workspace, '.env'), `DATABASE_URL=${database.url}\n`);

  say('> start code-server');
  const server = await startCodeServerProcess({
    port: await findFreePort(...CODE_SERVER_PORTS), userDataDir, extensionsDir, folder: workspace,
  });
  cleanups.push(() => server.stop());
  server.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`code-server exited (code ${code}).`);
      void stopEverything(1);
    }
  });

  say('');
  say('dbhealth demo is running.');
  say(`  Open:       ${server.url}?folder=${encodeURIComponent(workspace)}`);
  say(`  Workspace:  ${workspace} (a copy of samples/workspace)`);
  say(`  Database:   ${database.description}`);
  say(`              DATABASE_URL=${database.url} (in the workspace's .env, read by "dbhealth: Open Health Panel")`);
  say(`  Sessions:   ${database.sessions}`);
  say('  Try: open orders_service/reports.py, look at the Problems panel, run "dbhealth: Lint Workspace" (F1).');
  say('  Your own database: DATABASE_URL=postgresql://user@host:5432/db npm run demo');
  say('Press Ctrl+C to stop.');
} catch (error) {
  console.error(`npm run demo failed: ${error instanceof Error ? error.message : error}`);
  await stopEverything(1);
}
