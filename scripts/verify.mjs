#!/usr/bin/env node
// Checks the promises a community package makes to the n8n instance that installs it:
// no runtime dependencies, every file the n8n block names exists, dist requires nothing but
// n8n-workflow and Node built-ins, and n8n's own community-package scanner passes on the packed tarball.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// `--root DIR` checks another package folder and `--no-scan` skips the scanner: both for the script's own tests.
const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : new URL('..', import.meta.url).pathname;
const scannerRoot = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const failures = [];
const fail = (message) => failures.push(message);

function checkNoRuntimeDependencies() {
	const deps = Object.keys(pkg.dependencies ?? {});
	if (deps.length) fail(`package.json has runtime dependencies (${deps.join(', ')}): make them devDependencies and bundle them.`);
}

function checkN8nBlockFiles() {
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (listed.length === 0) fail('package.json n8n block lists no nodes or credentials.');
	for (const file of listed) if (!existsSync(join(root, file))) fail(`package.json n8n block lists ${file}, which the build did not produce.`);
}

function* jsFiles(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* jsFiles(path);
		else if (path.endsWith('.js')) yield path;
	}
}

const ALLOWED = new Set(['n8n-workflow', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function checkDistRequires() {
	const dist = join(root, 'dist');
	if (!existsSync(dist)) return fail('dist/ is missing: run npm run build first.');
	for (const file of jsFiles(dist)) {
		const source = readFileSync(file, 'utf8');
		for (const [, spec] of source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
			if (!ALLOWED.has(spec)) fail(`${relative(root, file)} requires "${spec}": only n8n-workflow and Node built-ins may be required at run time.`);
		}
		for (const [, spec] of source.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
			if (!ALLOWED.has(spec)) fail(`${relative(root, file)} imports "${spec}" dynamically.`);
		}
	}
}

async function checkCommunityScanner() {
	const work = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
	try {
		const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
		const unpacked = join(work, 'package');
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
		const { analyzePackage } = await import(join(scannerRoot, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs'));
		const result = await analyzePackage(unpacked);
		if (!result.passed) fail(`n8n community-package scanner: ${result.message}\n${result.details ?? ''}`);
		else console.log(`scanner: ${result.message ?? 'passed'}`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

checkNoRuntimeDependencies();
checkN8nBlockFiles();
checkDistRequires();
if (!args.includes('--no-scan')) await checkCommunityScanner();

if (failures.length) {
	console.error(`verify: ${failures.length} problem(s)\n- ${failures.join('\n- ')}`);
	process.exit(1);
}
console.log('verify: package.json, dist and the community-package scanner are clean');
