/**
 * The in-editor experience in a real extension host: exact diagnostics on the sample workspace,
 * quick fixes through the same provider path the lightbulb uses, stale versions refused, settings
 * applied live, the workspace scan, and rule docs opened from the shipped markdown.
 *
 * Settings are changed at the user (global) level and restored, so samples/workspace stays untouched;
 * edited sample documents are reverted, never saved.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as os from 'node:os';
import { dbhealthDiagnostics, samplePath, waitFor } from './helpers';

/**
 * The samples these tests edit, written to a temporary folder so that the sample workspace stays
 * untouched and the expected ranges below can be checked by reading the text.
 */
const FIXTURES: Record<string, string> = {
  'revenue.py': [
    '"""Revenue reports for the back office."""',
    'from psycopg2.pool import ThreadedConnectionPool',
    '',
    'pool = ThreadedConnectionPool(1, 10, dsn="dbname=orders connect_timeout=5")',
    '',
    '',
    'def monthly_revenue(month):',
    '    conn = pool.getconn()',
    '    cur = conn.cursor()',
    '    cur.execute("SELECT sum(total_cents) FROM orders WHERE month = %s", (month,))',
    '    total = cur.fetchone()[0]',
    '    pool.putconn(conn)',
    '    return total',
    '',
  ].join('\n'),
  'orders.ts': [
    "import { Pool } from 'pg';",
    '',
    'export const pool = new Pool({ max: 10, connectionTimeoutMillis: 5_000 });',
    '',
    'export async function recordVisit(customerId: number): Promise<void> {',
    '  const client = await pool.connect();',
    "  await client.query('INSERT INTO visits (customer_id) VALUES ($1)', [customerId]);",
    '  client.release();',
    '}',
    '',
  ].join('\n'),
};

let fixtureDir = '';
let fixtureCopies = 0;

/** Opens a fresh copy of a fixture, so no test sees a document another test edited. */
async function openFixture(name: string): Promise<vscode.TextDocument> {
  const file = path.join(fixtureDir, `${++fixtureCopies}-${name}`);
  fs.writeFileSync(file, FIXTURES[name]);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Supported files under a sample folder, counted from the file system, independently of findFiles. */
function countSupportedFiles(relativeFolder: string): number {
  const root = samplePath(relativeFolder);
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((file) => /\.(py|pyi|[cm]?[jt]sx?)$/.test(path.basename(file))).length;
}

type Shown = { rule: string; range: [number, number, number, number]; severity: string; message: string };

function shown(uri: vscode.Uri): Shown[] {
  return dbhealthDiagnostics(uri).map((d) => ({
    rule: d.rule,
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    severity: vscode.DiagnosticSeverity[d.severity],
    message: d.message,
  }));
}

async function waitForDiagnostics(uri: vscode.Uri, what: string, predicate: (found: Shown[]) => boolean = (f) => f.length > 0): Promise<Shown[]> {
  try {
    return await waitFor(() => {
      const found = shown(uri);
      return predicate(found) ? found : undefined;
    }, what, 30_000);
  } catch (error) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const state = document ? `version ${document.version}, dirty ${document.isDirty}` : 'not open';
    throw new Error(`${(error as Error).message} Document ${state}; dbhealth diagnostics now: ${JSON.stringify(shown(uri))}`);
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('dbhealth').update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * Changes a setting and waits until the extension host has announced it, so the extension (whose
 * listener was registered first) has applied it before the test goes on.
 */
async function setSettingApplied(key: string, value: unknown, section = 'dbhealth'): Promise<void> {
  const announced = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(`${section}.${key}`)) return;
      // An event still in flight from an earlier change (a teardown's reset) is not this one.
      if (JSON.stringify(vscode.workspace.getConfiguration(section).get(key)) !== JSON.stringify(value)) return;
      listener.dispose();
      resolve();
    });
  });
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  await announced;
}

async function revertAndClose(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
  return actions.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

// Checked by hand against the fixtures: the leak is reported on the checkout call.
const EXPECTED_PYTHON: Shown[] = [
  {
    rule: 'no-leaked-connection',
    range: [7, 11, 7, 25],
    severity: 'Error',
    message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 12: call `pool.putconn(conn)` in a `finally` block.',
  },
];
const EXPECTED_TYPESCRIPT: Shown[] = [
  {
    rule: 'no-leaked-connection',
    range: [5, 23, 5, 37],
    severity: 'Error',
    message: '`client` is released by `client.release()` only when nothing before it throws or returns: every failure leaks the connection. Move the release into a `finally` block.',
  },
];

const LEAK = 'no-leaked-connection';
const hasLeak = (found: Shown[]) => found.some((d) => d.rule === LEAK);
/** Exact comparisons look at one rule, so rules that land later do not change these expectations. */
const leaksIn = (found: Shown[]) => found.filter((d) => d.rule === LEAK);

function rangeOf(found: Shown): vscode.Range {
  return new vscode.Range(found.range[0], found.range[1], found.range[2], found.range[3]);
}

suite('editor: diagnostics, quick fixes, settings, workspace scan', () => {
  suiteSetup(() => {
    fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbhealth-editor-host-'));
  });
  suiteTeardown(() => fs.rmSync(fixtureDir, { recursive: true, force: true }));

  teardown(async () => {
    await setSetting('rules', undefined);
    await setSetting('exclude', undefined);
    await setSetting('lintOn', undefined);
    await revertAndClose();
  });

  test('show documentation opens the rule page shipped with the extension in the markdown preview', async () => {
    await vscode.commands.executeCommand('dbhealth.showRuleDocumentation', 'no-leaked-connection');
    const tab = await waitFor(() => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active && /no-leaked-connection/.test(active.label) ? active : undefined;
    }, 'a tab showing the no-leaked-connection page');
    assert.ok(tab.input instanceof vscode.TabInputWebview, `expected the markdown preview, got ${tab.input?.constructor.name}`);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /markdown\.preview/);
  });

  test('Lint Workspace scans every supported file that dbhealth.exclude leaves in, and says how many', async () => {
    const everything = await vscode.commands.executeCommand<string>('dbhealth.lintWorkspace');
    assert.match(everything, new RegExp(`; scanned ${countSupportedFiles('.')} files[;.]`), everything);
    await setSetting('exclude', ['orders_service/**']);
    const withoutPython = await vscode.commands.executeCommand<string>('dbhealth.lintWorkspace');
    const leftIn = countSupportedFiles('.') - countSupportedFiles('orders_service');
    assert.match(withoutPython, new RegExp(`; scanned ${leftIn} files[;.]`), withoutPython);
    assert.match(withoutPython, /^dbhealth: \d+ problems? in \d+ files?; /);
  });

  test('a leaky Python file: exact diagnostics, source dbhealth, code linking to the shipped rule page', async () => {
    const document = await openFixture('revenue.py');
    const found = await waitForDiagnostics(document.uri, 'diagnostics on revenue.py', hasLeak);
    assert.deepEqual(leaksIn(found), EXPECTED_PYTHON);
    const diagnostic = dbhealthDiagnostics(document.uri).find((d) => d.rule === LEAK)!;
    assert.equal(diagnostic.source, 'dbhealth');
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'dbhealth.showRuleDocumentation');
    assert.deepEqual(JSON.parse(decodeURIComponent(code.target.query)), ['no-leaked-connection']);
  });

  test('a leaky TypeScript file: exact diagnostics', async () => {
    const document = await openFixture('orders.ts');
    const found = await waitForDiagnostics(document.uri, 'diagnostics on orders.ts', hasLeak);
    assert.deepEqual(leaksIn(found), EXPECTED_TYPESCRIPT);
    // The release that failures skip is shown with the acquisition, one click away.
    const diagnostic = vscode.languages.getDiagnostics(document.uri).find((d) => (d.code as { value: string }).value === LEAK)!;
    assert.deepEqual(
      diagnostic.relatedInformation?.map((r) => [r.location.uri.fsPath, r.location.range.start.line, r.location.range.start.character]),
      [[document.uri.fsPath, 7, 2]],
    );
  });

  test('the preferred quick fix, applied through executeCodeActionProvider, edits the file and the diagnostic disappears', async () => {
    for (const sample of ['revenue.py', 'orders.ts']) {
      const document = await openFixture(sample);
      const [leak] = leaksIn(await waitForDiagnostics(document.uri, `diagnostics on ${sample}`, hasLeak));
      const actions = await codeActionsAt(document.uri, rangeOf(leak), vscode.CodeActionKind.QuickFix.value);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Disable dbhealth/no-leaked-connection for this line'), titles.join(' | '));
      assert.ok(titles.includes('Show documentation for dbhealth/no-leaked-connection'), titles.join(' | '));
      const preferred = actions.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, `one preferred fix on ${sample}: ${titles.join(' | ')}`);
      assert.ok(preferred[0].edit, 'the preferred fix carries an edit');
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      assert.match(document.getText(), /finally/, `the fix on ${sample} releases in finally`);
      await waitForDiagnostics(document.uri, `the leak on ${sample} to disappear`, (f) => !hasLeak(f));
    }
  });

  test('"disable for this line" inserts each language\'s suppression comment and the diagnostic disappears', async () => {
    const expectedLines: Record<string, (flagged: string, indent: string) => string[]> = {
      'revenue.py': (flagged) => [`${flagged}  # dbhealth: ignore[no-leaked-connection]`],
      'orders.ts': (flagged, indent) => [`${indent}// dbhealth-ignore-next-line no-leaked-connection`, flagged],
    };
    for (const [sample, expected] of Object.entries(expectedLines)) {
      const document = await openFixture(sample);
      const [leak] = leaksIn(await waitForDiagnostics(document.uri, `diagnostics on ${sample}`, hasLeak));
      const actions = await codeActionsAt(document.uri, rangeOf(leak), vscode.CodeActionKind.QuickFix.value);
      const disable = actions.find((a) => a.title === 'Disable dbhealth/no-leaked-connection for this line');
      assert.ok(disable?.edit, actions.map((a) => a.title).join(' | '));
      const flagged = document.lineAt(leak.range[0]).text;
      const indent = flagged.slice(0, flagged.length - flagged.trimStart().length);
      assert.ok(await vscode.workspace.applyEdit(disable.edit));
      const lines = expected(flagged, indent);
      assert.deepEqual(lines.map((_, i) => document.lineAt(leak.range[0] + i).text), lines);
      await waitForDiagnostics(document.uri, `the suppressed leak on ${sample} to disappear`, (f) => !hasLeak(f));
    }
  });

  test('code actions are refused for a diagnostic of an older document version', async () => {
    const document = await openFixture('revenue.py');
    const [leak] = leaksIn(await waitForDiagnostics(document.uri, 'diagnostics on revenue.py', hasLeak));
    const editor = await vscode.window.showTextDocument(document);
    await setSetting('lintOn', 'save'); // keeps the old diagnostic in place after the edit
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# edited\n'));
    const stale = await codeActionsAt(document.uri, rangeOf(leak), vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(stale.filter((a) => /dbhealth/.test(a.title) || a.isPreferred).map((a) => a.title), []);
  });

  test('with lintOn "save", an edit leaves the diagnostics alone until the document is saved', async () => {
    // code-server saves after a delay by default, which would lint on its own.
    const autoSave = vscode.workspace.getConfiguration('files').inspect('autoSave')?.globalValue;
    await setSettingApplied('autoSave', 'off', 'files');
    try {
      await checkLintOnSave();
    } finally {
      await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    }
  });

  async function checkLintOnSave(): Promise<void> {
    await setSettingApplied('lintOn', 'save');
    const document = await openFixture('revenue.py');
    const [leak] = leaksIn(await waitForDiagnostics(document.uri, 'diagnostics on revenue.py', hasLeak));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# edited\n'));
    // Longer than the typing debounce plus a lint: in "type" mode the leak would have moved a line down.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(document.isDirty, 'the edit was saved behind the test\'s back');
    assert.deepEqual(leaksIn(shown(document.uri)).map((d) => d.range), [leak.range]);
    assert.ok(await document.save());
    const moved = await waitForDiagnostics(document.uri, 'the leak to move down a line after the save', (f) => leaksIn(f)[0]?.range[0] === leak.range[0] + 1);
    assert.deepEqual(leaksIn(moved).map((d) => d.range), [[leak.range[0] + 1, leak.range[1], leak.range[2] + 1, leak.range[3]]]);
  }

  test('typing re-lints: deleting the release inside the function updates its diagnostic, in both languages', async () => {
    for (const [sample, from] of [
      ['revenue.py', '    pool.putconn(conn)\n'],
      ['orders.ts', '  client.release();\n'],
    ] as const) {
      const document = await openFixture(sample);
      const [leak] = leaksIn(await waitForDiagnostics(document.uri, `diagnostics on ${sample}`, hasLeak));
      const start = document.getText().indexOf(from);
      assert.ok(start > 0);
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((builder) => builder.delete(new vscode.Range(document.positionAt(start), document.positionAt(start + from.length))));
      // Without the release the message changes from "skipped on some paths" to "never released".
      const after = await waitForDiagnostics(document.uri, `the ${sample} leak message to change`, (f) => leaksIn(f).length === 1 && leaksIn(f)[0].message !== leak.message);
      assert.match(leaksIn(after)[0].message, /never/);
    }
  });

  test('closing a document clears its diagnostics', async () => {
    // An untitled document: VS Code disposes it as soon as it is reverted and closed, whereas a file
    // opened through the API stays loaded (and open to extensions) for minutes after its editor closes.
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: FIXTURES['orders.ts'] });
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, 'diagnostics on the untitled document', hasLeak);
    const closed = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() !== document.uri.toString()) return;
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => (document.isClosed ? true : undefined), 'the untitled document to close', 20_000);
    await closed;
    assert.deepEqual(shown(document.uri), []);
  });

  test('a settings change turns a rule off, and back on at another severity, without reload', async () => {
    const document = await openFixture('revenue.py');
    await waitForDiagnostics(document.uri, 'diagnostics on revenue.py', hasLeak);
    await setSetting('rules', { 'no-leaked-connection': 'off' });
    await waitForDiagnostics(document.uri, 'the rule to be switched off', (f) => !hasLeak(f));
    await setSetting('rules', { 'dbhealth/no-leaked-connection': 'info' });
    const back = await waitForDiagnostics(document.uri, 'the rule back at info', hasLeak);
    assert.deepEqual(leaksIn(back).map((d) => d.severity), ['Information']);
  });

  test('source.fixAll.dbhealth applies every safe fix in the file', async () => {
    for (const sample of ['revenue.py', 'orders.ts']) {
      const document = await openFixture(sample);
      await waitForDiagnostics(document.uri, `diagnostics on ${sample}`, hasLeak);
      const whole = new vscode.Range(0, 0, document.lineCount, 0);
      const [fixAll, ...others] = await codeActionsAt(document.uri, whole, 'source.fixAll.dbhealth');
      assert.equal(others.length, 0);
      assert.equal(fixAll?.kind?.value, 'source.fixAll.dbhealth');
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit!));
      await waitForDiagnostics(document.uri, `no fixable leak left in ${sample}`, (f) => !hasLeak(f));
    }
  });
});
