/**
 * Connections followed across the workspace's modules in a real extension host:
 * orders_service/invoices.py takes its pool from orders_service/db.py. The leak is shown in
 * invoices.py, and saving db.py updates invoices.py's diagnostics without touching it.
 *
 * Tests are skipped by default: tests/test_invoices.py is flagged only with dbhealth.lintTestFiles on.
 *
 * db.py is edited through the editor and saved, then restored and saved again (also when a test fails).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { dbhealthDiagnostics, openSample, samplePath, waitFor } from './helpers';

const LEAK = 'no-leaked-connection';
const DB = 'orders_service/db.py';
const IMPORTER = 'orders_service/invoices.py';
const TEST_MODULE = 'tests/test_invoices.py';

function leakLines(uri: vscode.Uri): number[] {
  return dbhealthDiagnostics(uri).filter((d) => d.rule === LEAK).map((d) => d.range.start.line + 1);
}

/** Replaces the whole text of an open document and saves it, as a user typing and pressing Ctrl+S would. */
async function replaceAndSave(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was applied');
  assert.ok(await document.save(), 'the document was saved');
}

suite('project index', () => {
  const original = fs.readFileSync(samplePath(DB), 'utf8');

  suiteTeardown(async () => {
    // Whatever happened, the sample goes back to what the checkout holds.
    if (fs.readFileSync(samplePath(DB), 'utf8') !== original) fs.writeFileSync(samplePath(DB), original);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a leak in a module whose pool is imported from another module, at the checkout, with the skipped putconn related', async () => {
    const importer = await openSample(IMPORTER);
    await waitFor(() => (leakLines(importer.uri).length > 0 ? true : undefined), `a ${LEAK} diagnostic on ${IMPORTER}`, 30_000);
    assert.deepEqual(leakLines(importer.uri), [6]);
    const diagnostic = dbhealthDiagnostics(importer.uri).find((d) => d.rule === LEAK)!;
    assert.equal(diagnostic.relatedInformation?.[0]?.location.range.start.line, 9, 'the putconn an exception skips');
  });

  test('saving the imported module updates the importer\'s diagnostics in the background', async () => {
    const importer = await openSample(IMPORTER);
    await waitFor(() => (leakLines(importer.uri).length > 0 ? true : undefined), `a ${LEAK} diagnostic on ${IMPORTER}`, 30_000);
    const db = await openSample(DB);
    try {
      // The pool moves elsewhere: `pool` in db.py no longer holds one, so invoices.py has nothing to leak.
      const started = Date.now();
      await replaceAndSave(db, original.replace(/^pool = ThreadedConnectionPool\(.*$/m, 'pool = None  # moved to the replica module'));
      await waitFor(() => (leakLines(importer.uri).length === 0 ? true : undefined), `${IMPORTER}'s leak to go once ${DB} is saved without a pool`, 30_000);
      console.log(`    saving ${DB} updated ${IMPORTER} after ${Date.now() - started} ms`);
      await replaceAndSave(db, original);
      await waitFor(() => (leakLines(importer.uri).length > 0 ? true : undefined), `${IMPORTER}'s leak to come back once ${DB} holds the pool again`, 30_000);
    } finally {
      if (db.getText() !== original) await replaceAndSave(db, original);
    }
  });

  test('a test module is linted only while dbhealth.lintTestFiles is on', async () => {
    const testModule = await openSample(TEST_MODULE);
    const configuration = () => vscode.workspace.getConfiguration('dbhealth');
    try {
      await configuration().update('lintTestFiles', true, vscode.ConfigurationTarget.Global);
      await waitFor(() => (leakLines(testModule.uri).length > 0 ? true : undefined), `a ${LEAK} diagnostic on ${TEST_MODULE} once test files are linted`, 30_000);
      assert.deepEqual(leakLines(testModule.uri), [8]);
      await configuration().update('lintTestFiles', undefined, vscode.ConfigurationTarget.Global);
      await waitFor(() => (leakLines(testModule.uri).length === 0 ? true : undefined), `${TEST_MODULE}'s diagnostics to go with the setting back to its default`, 30_000);
    } finally {
      await configuration().update('lintTestFiles', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
