/**
 * What n8n's verification guidelines forbid in node code stays out of nodes/ and credentials/: environment variables,
 * file-system (and any other Node built-in but crypto) access, and globals outside what n8n-workflow offers
 * (timers: n8n-workflow's `sleep`/`sleepWithAbort`; `process`, `globalThis`, `require`, `eval`, …).
 *
 * n8n's scanner (npm run verify) looks for much of this too, but lint rules can be switched off with comments or in the
 * config; this test cannot, and it resolves names with the type checker: a `process` declared in our own code, a
 * property called `global` (RegExp's) or a word in a comment or a string is not a finding.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const REPO = join(__dirname, '../../..');

/** Globals a node must not touch (n8n's no-restricted-globals list, plus the other ways to the same things). */
const RESTRICTED_GLOBALS = new Set([
	'process',
	'globalThis',
	'global',
	'setTimeout',
	'setInterval',
	'setImmediate',
	'clearTimeout',
	'clearInterval',
	'clearImmediate',
	'queueMicrotask',
	'__dirname',
	'__filename',
	'require',
	'module',
	'eval',
	'Function',
]);

/** The one Node built-in n8n allows in community nodes (no-restricted-imports); the rest (fs, os, child_process, …) are forbidden. */
const ALLOWED_BUILTINS = new Set(['crypto']);
const BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

function* sourceFiles(dir: string): Generator<string> {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* sourceFiles(path);
		else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) yield path;
	}
}

/** Whether the symbol is the platform's (TypeScript's lib or @types/node), or unknown (no declaration at all). */
function isPlatformSymbol(program: ts.Program, symbol: ts.Symbol | undefined): boolean {
	const declarations = symbol?.declarations ?? [];
	if (declarations.length === 0) return true;
	return declarations.every((declaration) => {
		const file = declaration.getSourceFile();
		return program.isSourceFileDefaultLibrary(file) || /[\\/]node_modules[\\/](@types[\\/]node|typescript[\\/]lib)[\\/]/.test(file.fileName);
	});
}

/** `x.name`, `{ name: … }`, `class { name }`, `A.B` (right side), import/export specifiers: names, not references. */
function isNameNotReference(id: ts.Identifier): boolean {
	const parent = id.parent;
	if (ts.isPropertyAccessExpression(parent) && parent.name === id) return true;
	if (ts.isQualifiedName(parent) && parent.right === id) return true;
	if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) && parent.name === id) return true;
	if (ts.isBindingElement(parent) && parent.propertyName === id) return true;
	if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return true;
	if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
	return false;
}

function moduleName(specifier: string): string {
	return specifier.replace(/^node:/, '').split('/')[0];
}

/** Every forbidden use in the given files, as `path:line:column what`, paths relative to `base`. */
export function findForbidden(files: string[], base: string): string[] {
	const program = ts.createProgram(files, {
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.CommonJS,
		moduleResolution: ts.ModuleResolutionKind.Node10,
		lib: ['lib.es2022.d.ts'],
		types: ['node'],
		typeRoots: [join(REPO, 'node_modules/@types')],
		esModuleInterop: true,
		resolveJsonModule: true,
		skipLibCheck: true,
		noEmit: true,
	});
	const checker = program.getTypeChecker();
	const findings: string[] = [];

	for (const file of files) {
		const source = program.getSourceFile(file);
		if (!source) continue;
		const report = (node: ts.Node, what: string) => {
			const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
			findings.push(`${relative(base, file)}:${line + 1}:${character + 1} ${what}`);
		};
		const checkModule = (node: ts.Node, specifier: string, how: string) => {
			const name = moduleName(specifier);
			if (BUILTINS.has(name) && !ALLOWED_BUILTINS.has(name)) report(node, `${how} of Node built-in '${specifier}'`);
		};

		const visit = (node: ts.Node): void => {
			if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
				checkModule(node, node.moduleSpecifier.text, 'import');
			} else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
				checkModule(node, node.moduleReference.expression.text, 'import');
			} else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
				report(node, 'dynamic import()');
			} else if (ts.isIdentifier(node) && RESTRICTED_GLOBALS.has(node.text) && !isNameNotReference(node)) {
				// `Function` as a type (`: Function`) is no call of the constructor; every other use of these names is.
				const isTypeOnlyFunction = node.text === 'Function' && ts.isTypeReferenceNode(node.parent);
				const symbol = ts.isShorthandPropertyAssignment(node.parent)
					? checker.getShorthandAssignmentValueSymbol(node.parent)
					: checker.getSymbolAtLocation(node);
				if (!isTypeOnlyFunction && isPlatformSymbol(program, symbol)) {
					const viaEnv = ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === 'env';
					report(node, viaEnv ? `environment variables (${node.text}.env)` : `restricted global '${node.text}'`);
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return findings;
}

describe('node code uses only what n8n-workflow offers', () => {
	it('nodes/ and credentials/ use no environment variables, file system, timers or other restricted globals', () => {
		const files = [...sourceFiles(join(REPO, 'nodes')), ...sourceFiles(join(REPO, 'credentials'))];
		expect(files.length).toBeGreaterThan(0);
		expect(findForbidden(files, REPO)).toEqual([]);
	});

	describe('the detector', () => {
		let dir: string;
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'node-code-rules-'));
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		const check = (name: string, code: string) => {
			const file = join(dir, name);
			writeFileSync(file, code);
			return findForbidden([file], dir);
		};

		it('names file:line:column of each forbidden use', () => {
			const code = [
				"import { readFileSync } from 'fs';",
				"import * as os from 'node:os';",
				"import { createHash } from 'node:crypto';",
				'export const home = process.env.HOME;',
				'export const timer = setTimeout(() => undefined, 1);',
				'clearInterval(undefined);',
				'export const g = globalThis;',
				"export const fsp = require('fs/promises');",
				"export const later = import('node:path');",
				"export const f = new Function('return 1');",
				'export const y = { process };',
				'export { readFileSync, os, createHash };',
			].join('\n');
			expect(check('bad.ts', code)).toEqual([
				"bad.ts:1:1 import of Node built-in 'fs'",
				"bad.ts:2:1 import of Node built-in 'node:os'",
				'bad.ts:4:21 environment variables (process.env)',
				"bad.ts:5:22 restricted global 'setTimeout'",
				"bad.ts:6:1 restricted global 'clearInterval'",
				"bad.ts:7:18 restricted global 'globalThis'",
				"bad.ts:8:20 restricted global 'require'",
				'bad.ts:9:22 dynamic import()',
				"bad.ts:10:22 restricted global 'Function'",
				"bad.ts:11:20 restricted global 'process'",
			]);
		});

		it('leaves names that are not the platform globals alone', () => {
			const code = [
				"import { sleep } from 'n8n-workflow';",
				"import { randomUUID } from 'crypto';",
				'// process.env and setTimeout in a comment',
				"export const text = 'How many items to process at a time; setTimeout is not used';",
				'export const isGlobal = /x/g.global;',
				'export const options = { process: true, setTimeout: 5 };',
				'export function local(setTimeout: (f: () => void) => void, callback: Function) { setTimeout(() => callback()); }',
				'export const wait = () => sleep(10);',
				'export const id = randomUUID();',
			].join('\n');
			expect(check('good.ts', code)).toEqual([]);
		});
	});
});
