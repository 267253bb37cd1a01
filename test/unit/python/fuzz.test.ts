import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintPython } from '../../../src/python/frontend';
import { loadPythonParser } from '../../../src/python/parser';
import { seededRandom } from '../engine/edit-sessions';

/** Enough inputs to shake out crashes on odd trees, few enough for the unit layer. */
const INPUTS = 2400;
/** No single input may take longer than this (its parse limit is a tenth of it). */
const PER_INPUT_BOUND_MS = 5000;
const PARSE_LIMIT_MS = 500;

/** Seeds: every Python snippet in the rule tables, pulled out of the test sources' template literals. */
function seedPrograms(): string[] {
  const folder = path.join(__dirname, 'rules');
  const programs: string[] = [];
  for (const file of readdirSync(folder)) {
    const source = readFileSync(path.join(folder, file), 'utf8');
    for (const part of source.split('py`').slice(1)) programs.push(part.slice(0, part.indexOf('`')).replace(/^\n/, ''));
  }
  return programs;
}

const FRAGMENTS = [
  'try:', 'finally:', 'except:', 'with ', 'async with ', 'await ', 'yield ', 'return', 'conn', '(', ')', '[', ']', '{', '}', ':', '\n', '\n    ',
  '\t', '"""', "'", 'pool.getconn()', 'psycopg2.connect(', 'lambda: ', '@app.route("/")\n', 'for x in y:\n', 'while True:\n', '\\', '#', ',', '=', '**',
  'é', '😀', '\r\n', '\u2028', '\uFEFF', 'except* E:', 'match x:\n case 1:', 'def f(', 'class C(', 'global conn\n',
];

function mutate(program: string, next: () => number): string {
  let text = program;
  const operations = 1 + Math.floor(next() * 6);
  for (let i = 0; i < operations; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const span = Math.floor(next() * 40);
    switch (Math.floor(next() * 7)) {
      case 0: text = text.slice(0, at) + text.slice(at + span); break;
      case 1: text = text.slice(0, at) + FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] + text.slice(at); break;
      case 2: text = text.slice(0, at) + text.slice(at, at + span).repeat(1 + Math.floor(next() * 20)) + text.slice(at); break;
      case 3: text = text.slice(0, at); break;
      case 4: text = text.split('\n').sort(() => next() - 0.5).join('\n'); break;
      case 5: text = text.slice(0, at) + String.fromCharCode(...Array.from({ length: span }, () => 1 + Math.floor(next() * 0xd7ff))) + text.slice(at); break;
      default: text = text.slice(0, at) + '    '.repeat(Math.floor(next() * 30)) + text.slice(at);
    }
  }
  return text;
}

function randomJunk(next: () => number): string {
  const length = Math.floor(next() * 2000);
  let text = next() < 0.5 ? 'import psycopg2\n' : '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(next() * 0x7f) || 10);
  return text;
}

function deepNesting(next: () => number): string {
  const depth = 100 + Math.floor(next() * 3000);
  const kind = Math.floor(next() * 4);
  if (kind === 0) return 'import psycopg2\nx = ' + '('.repeat(depth) + 'psycopg2.connect()' + ')'.repeat(depth) + '\n';
  if (kind === 1) return 'import psycopg2\n' + Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(400) + 'conn = psycopg2.connect()\n';
  if (kind === 2) return 'import psycopg2\nx = psycopg2' + '.connect()'.repeat(depth) + '\n';
  return 'import psycopg2\nx = ' + '['.repeat(depth) + '\n';
}

test(`fuzz: ${INPUTS} mutated and random inputs never throw and stay within the time bound`, async () => {
  const parser = await loadPythonParser();
  const seeds = seedPrograms();
  assert.ok(seeds.length >= 100, `expected the rule tables as seeds, found ${seeds.length}`);
  const next = seededRandom(20261121);
  let linted = 0;
  let failed = 0;
  let slowest = 0;
  for (let i = 0; i < INPUTS; i++) {
    const roll = next();
    const input = roll < 0.8 ? mutate(seeds[Math.floor(next() * seeds.length)], next) : roll < 0.93 ? randomJunk(next) : deepNesting(next);
    const started = performance.now();
    let outcome;
    try {
      outcome = lintPython(parser, input, {}, PARSE_LIMIT_MS);
    } catch (error) {
      assert.fail(`input #${i} threw ${(error as Error).stack?.split("\n").slice(0, 8).join(" | ")}:\n${JSON.stringify(input).slice(0, 500)}`);
    }
    const elapsed = performance.now() - started;
    slowest = Math.max(slowest, elapsed);
    assert.ok(elapsed < PER_INPUT_BOUND_MS, `input #${i} took ${elapsed.toFixed(0)} ms`);
    if (outcome.kind === 'linted') {
      linted++;
      for (const finding of outcome.findings) {
        assert.ok(finding.start.line >= 1 && finding.start.column >= 1, `bad position in input #${i}`);
        for (const fix of [finding.fix, ...(finding.suggestions ?? [])]) {
          for (const edit of fix?.edits ?? []) assert.ok(edit.start >= 0 && edit.end <= input.length && edit.start <= edit.end, `bad edit in input #${i}`);
        }
      }
    } else if (outcome.kind === 'failed') {
      failed++;
      assert.ok(outcome.reason.length > 0);
    }
  }
  assert.equal(linted + failed, INPUTS);
  console.log(`fuzz: ${linted} linted, ${failed} reported as not analysable, slowest ${slowest.toFixed(0)} ms`);
});
