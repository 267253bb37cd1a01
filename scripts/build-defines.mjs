// Compile-time constants of every Node bundle, shared by esbuild.mjs and the tests that bundle an
// entry of their own: the package version, and each rule's page (SARIF carries it as the rule's
// help, so code scanning shows it without a network round trip).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export async function buildDefines(root = process.cwd()) {
  const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const docsDir = path.join(root, 'docs', 'rules');
  const docs = {};
  for (const file of (await readdir(docsDir)).filter((name) => name.endsWith('.md')).sort()) {
    docs[file.slice(0, -'.md'.length)] = await readFile(path.join(docsDir, file), 'utf8');
  }
  return { DBHEALTH_VERSION: JSON.stringify(version), DBHEALTH_RULE_DOCS: JSON.stringify(docs) };
}
