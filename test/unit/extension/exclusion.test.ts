import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledExcludeGlobs, isExcludedPath } from '../../../src/extension/exclusion';

test('only files.exclude entries set to true count', () => {
  assert.deepEqual(enabledExcludeGlobs({ '**/.git': true, '**/*.pyc': false, '**/*.js': { when: '$(basename).ts' } }), ['**/.git']);
  assert.deepEqual(enabledExcludeGlobs(undefined), []);
});

const table: [path: string, globs: string[], excluded: boolean][] = [
  ['orders_service/reports.py', ['**/migrations/**'], false],
  ['orders_service/migrations/0001.py', ['**/migrations/**'], true],
  ['node_modules/pg/lib/client.js', ['**/node_modules/**'], true],
  ['web/node_modules/pg/lib/client.js', ['**/node_modules'], true],
  // A folder pattern without **/ is anchored at the workspace folder, as files.exclude is.
  ['web/build/app.js', ['build'], false],
  ['build/app.js', ['build'], true],
  ['build/app.js', ['/build'], true],
  ['.venv/lib/site.py', ['**/.venv'], true],
  ['web/src/orders-repository.ts', ['**/*.{js,jsx}'], false],
  ['web/src/orders-repository.js', ['**/*.{js,jsx}'], true],
  ['anything.py', [], false],
];

for (const [path, globs, excluded] of table) {
  test(`${path} with ${JSON.stringify(globs)} is ${excluded ? '' : 'not '}excluded`, () => {
    assert.equal(isExcludedPath(path, globs), excluded);
  });
}
