/**
 * The analysis engine's public entry: what the CLI, the extension (through dist/engine.js) and
 * tests use. Importing it registers the language front ends lazily; nothing heavy loads here.
 */
import { registerFrontEnd } from './lint';
import { PYTHON_EXTENSIONS, loadPythonFrontEnd } from '../python/frontend-loader';
import { JAVASCRIPT_EXTENSIONS, loadJavaScriptFrontEnd } from '../javascript/frontend-loader';

registerFrontEnd(PYTHON_EXTENSIONS, loadPythonFrontEnd);
registerFrontEnd(JAVASCRIPT_EXTENSIONS, loadJavaScriptFrontEnd);

export { lintText, forgetDocument, isSupportedFile, supportedExtensions, describeError } from './lint';
export { applyFix, applyFixesUntilStable } from './fixes';
export { ProjectIndex } from './project';
export * from './catalogue';
export type * from './types';
