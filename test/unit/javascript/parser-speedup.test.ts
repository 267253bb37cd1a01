import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tsParser from '@typescript-eslint/parser';
import { installParserSpeedup } from '../../../src/javascript/parser-speedup';

// Every construct whose conversion looks up "the next token" from the file's root: exported
// declarations of each kind, `export default`, type arguments and type parameters, decorators and
// modifiers, at the top and nested in namespaces, with comments in awkward places.
const SOURCES = [
  `import { Pool } from 'pg';
export const pool = new Pool({ max: 5 });
export let counter = 0, other: number | undefined;
export function load<T extends object>(id: number): Promise<T[]> { return pool.query<T>('x', [id]) as never; }
export async function* stream() { yield 1; }
export class Repository<T> extends Base<T> implements Port<T> { private readonly items = new Map<string, T>(); }
export default class { }
export interface Shape { a: string }
export type Alias<T> = Array<T>;
export enum Colour { Red, Green }
export declare const declared: string;
export abstract class Abstract { abstract run(): void }
export namespace Outer { export const inner = 1; export namespace Deep { export function f() {} } }
const generic = call<string, number>(1)<boolean>();
/* comment */ export /* between */ const commented = 1;
export default function named() {}
`,
  `export default async function () { return fetch<Response>('/x'); }`,
  `export default abstract class A {}`,
  `const x = a < b > (c); const y = f<T>(z); new Map<string, Array<number>>();`,
  `export const arrow = <T,>(value: T): T => value;`,
];

function parse(code: string, jsx = false): string {
  const { ast } = tsParser.parseForESLint(code, { ecmaVersion: 'latest', sourceType: 'module', range: true, loc: true, tokens: true, comment: true, ecmaFeatures: { jsx }, filePath: jsx ? 'file.tsx' : 'file.ts' });
  return JSON.stringify(ast, (key, value) => (key === 'parent' ? undefined : value));
}

test('the parser gives the same tree with the speed-up as without it', () => {
  // Nothing in this test file has installed it yet: the first parse is the parser's own.
  const expected = SOURCES.map((code) => parse(code));
  assert.equal(installParserSpeedup(), true, 'the speed-up finds the parser helper it replaces');
  const actual = SOURCES.map((code) => parse(code));
  for (let i = 0; i < SOURCES.length; i++) assert.equal(actual[i], expected[i], `source ${i} converts differently`);
});

test('a helper module of another shape is left alone', () => {
  assert.equal(installParserSpeedup({} as never), false);
  const frozen = Object.freeze({ findNextToken: () => undefined });
  assert.equal(installParserSpeedup(frozen as never), false);
});
