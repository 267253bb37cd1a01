/**
 * The foundation's promises, checked in a real extension host: dbhealth activates lazily on a
 * supported language, activate() is quick and does no parsing and no database I/O, and the
 * pipeline from a real parse to a diagnostic works on the sample workspace.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dbhealthDiagnostics, extensionUnderTest, openSample, waitFor } from './helpers';

/** activate() only registers listeners and commands; anything near this means it does real work. */
const ACTIVATE_BUDGET_MS = 100;

interface ActivationProbe {
  calls: number;
  activateMs: number;
  /** Bundles found in the module cache the moment activate() returned. */
  heavyBundlesLoaded: string[];
  /** Stacks of socket connects made from the extension's bundles while the probe listened. */
  socketStacks: string[];
  stopListening(): void;
}

/**
 * Wraps the extension's activate() before VS Code calls it. The extension host loads the main
 * module with Node's require, so replacing the cached module's exports is what it will call.
 */
function installActivationProbe(extensionPath: string): ActivationProbe {
  const distDir = path.join(extensionPath, 'dist');
  const mainPath = require.resolve(path.join(distDir, 'extension.js'));
  const heavyBundles = ['engine.js', 'lint-worker.js', 'db.js'].map((name) => path.join(distDir, name));
  assert.deepEqual(
    heavyBundles.filter((bundle) => require.cache[bundle]),
    [],
    'a heavy bundle was loaded before the extension even activated',
  );

  const probe: ActivationProbe = { calls: 0, activateMs: -1, heavyBundlesLoaded: [], socketStacks: [], stopListening: () => undefined };

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const stack = new Error('socket connect').stack ?? '';
    // Other extensions share this host; only connects from dbhealth's own bundles count.
    if (stack.includes(distDir)) probe.socketStacks.push(stack);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  probe.stopListening = () => {
    net.Socket.prototype.connect = originalConnect;
  };

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const original = require(mainPath) as { activate: (context: vscode.ExtensionContext) => unknown; deactivate?: () => unknown };
  const cached = require.cache[mainPath];
  assert.ok(cached, `${mainPath} is not in the module cache`);
  cached.exports = {
    ...original,
    activate(context: vscode.ExtensionContext) {
      probe.calls++;
      const started = performance.now();
      const returned = original.activate(context);
      probe.activateMs = performance.now() - started;
      probe.heavyBundlesLoaded = heavyBundles.filter((bundle) => require.cache[bundle]).map((bundle) => path.basename(bundle));
      return returned;
    },
  };
  return probe;
}

suite('foundation', () => {
  let probe: ActivationProbe | undefined;

  suiteTeardown(async () => {
    probe?.stopListening();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('is not active before a supported file opens, and declares no eager activation', () => {
    const extension = extensionUnderTest();
    const events: string[] = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
    assert.equal(extension.isActive, false, 'dbhealth activated before any Python, JavaScript or TypeScript file was opened');
  });

  test('activates when a Python file opens; activate() is quick, parses nothing and connects nowhere', async () => {
    const extension = extensionUnderTest();
    probe = installActivationProbe(extension.extensionPath);

    const opened = performance.now();
    await openSample('orders_service/reports.py');
    await waitFor(() => (extension.isActive ? true : undefined), 'dbhealth to activate after a .py file opened', 20_000, 10);
    const openToActiveMs = performance.now() - opened;
    // Let anything activate() started asynchronously show itself before judging it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    probe.stopListening();

    console.log(`activate() took ${probe.activateMs.toFixed(2)} ms (opening reports.py → extension active: ${openToActiveMs.toFixed(0)} ms)`);
    assert.equal(probe.calls, 1, 'the extension host did not call activate() through the probe');
    assert.ok(probe.activateMs < ACTIVATE_BUDGET_MS, `activate() took ${probe.activateMs.toFixed(1)} ms; the budget is ${ACTIVATE_BUDGET_MS} ms`);
    assert.deepEqual(probe.heavyBundlesLoaded, [], `activate() loaded ${probe.heavyBundlesLoaded.join(', ')} (parsers or drivers) before returning`);
    assert.deepEqual(probe.socketStacks, [], 'dbhealth opened a socket during activation');
  });

  test('every command in the manifest is registered once active', async () => {
    const extension = extensionUnderTest();
    await extension.activate();
    const declared = ((extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((command) => !registered.has(command)), [], 'commands declared in package.json but not registered');
  });

  test('shows a no-leaked-connection diagnostic, with a docs link, on the leaky Python sample', async () => {
    const document = await openSample('orders_service/reports.py');
    const leaks = await waitFor(() => {
      const found = dbhealthDiagnostics(document.uri).filter((d) => d.rule === 'no-leaked-connection');
      return found.length > 0 ? found : undefined;
    }, 'a no-leaked-connection diagnostic on orders_service/reports.py', 30_000);

    // The leak is the checkout in monthly_revenue(); the diagnostic must point inside that function.
    const lines = document.getText().split('\n');
    const functionStart = lines.findIndex((line) => line.startsWith('def monthly_revenue'));
    const functionEnd = lines.findIndex((line, index) => index > functionStart && line.trim().startsWith('return '));
    assert.equal(leaks.length, 1, `expected one leak, got: ${leaks.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
    const [leak] = leaks;
    assert.ok(
      leak.range.start.line > functionStart && leak.range.start.line <= functionEnd,
      `diagnostic on line ${leak.range.start.line + 1}, outside monthly_revenue() (lines ${functionStart + 1}-${functionEnd + 1})`,
    );
    const code = leak.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /no-leaked-connection/);
  });

  test('shows no leak on the Python sample that releases in finally', async () => {
    const clean = await openSample('orders_service/inventory.py');
    const leakLines = () => dbhealthDiagnostics(clean.uri).filter((d) => d.rule === 'no-leaked-connection').map((d) => d.range.start.line);
    const sampleLines = clean.lineCount;
    // Append (unsaved) a function that leaks its checkout: its diagnostic, on the appended lines only,
    // proves that a lint of this version ran and succeeded, and that the sample's own function, unchanged
    // above it, is judged clean by that very lint.
    const probe = ['', '', 'def _probe():', '    conn = pool.getconn()', '    conn.cursor().execute("SELECT 1")', '    pool.putconn(conn)', ''].join('\n');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(clean.uri, clean.lineAt(clean.lineCount - 1).range.end, probe);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the probe function was appended');
    const probeLine = clean.getText().split('\n').findIndex((line) => line.startsWith('def _probe'));
    try {
      const withProbe = await waitFor(() => {
        const lines = leakLines();
        return lines.length > 0 ? lines : undefined;
      }, 'the leak in the appended function to be reported on inventory.py', 30_000);
      assert.deepEqual(withProbe, [probeLine + 1], `leaks reported on lines ${withProbe.map((line) => line + 1).join(', ')}; the sample has ${sampleLines} lines`);
    } finally {
      await vscode.window.showTextDocument(clean);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    // Back to the file as it is on disk: the lint of the reverted text clears the appended leak.
    assert.equal(clean.isDirty, false);
    assert.equal(clean.lineCount, sampleLines);
    await waitFor(() => (leakLines().length === 0 ? true : undefined), 'the appended leak to clear once inventory.py is reverted', 30_000);
  });
});
