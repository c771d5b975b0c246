#!/usr/bin/env node
// Checks the promises a community package makes to the n8n instance that installs it, and to n8n's verification:
// no runtime dependencies, no `main` pointing nowhere, strict mode on, every file the n8n block names exists, dist
// requires nothing but n8n-workflow and Node built-ins, `n8n-node cloud-support` reports the package eligible, and
// n8n's own community-package scanner passes on the sources and on the packed tarball (its two legs in verification).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// For the script's own tests: `--root DIR` checks another package folder, `--no-scan` skips both scanner runs,
// `--no-cloud-support` skips `n8n-node cloud-support`.
const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : new URL('..', import.meta.url).pathname;
// The tools (scanner, node-cli) come from this repository's node_modules, whichever package is checked.
const toolsRoot = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const failures = [];
const fail = (message) => failures.push(message);

function checkNoRuntimeDependencies() {
	const deps = Object.keys(pkg.dependencies ?? {});
	if (deps.length) fail(`package.json has runtime dependencies (${deps.join(', ')}): make them devDependencies and bundle them.`);
}

/** `main` is optional for an n8n package (n8n loads the files of the n8n block); when present it must resolve. */
function checkMain() {
	if (pkg.main === undefined) return;
	const main = join(root, String(pkg.main));
	const candidates = [main, `${main}.js`, `${main}.json`, join(main, 'index.js')];
	if (!candidates.some((file) => existsSync(file) && statSync(file).isFile())) {
		fail(`package.json main points at ${pkg.main}, which does not exist: remove the field (n8n loads the files of the n8n block).`);
	}
}

/** n8n's verification requires strict mode (`n8n-node cloud-support enable` sets it). */
function checkStrict() {
	if (pkg.n8n?.strict !== true) fail('package.json n8n block lacks "strict": true, which n8n Cloud verification requires.');
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

/**
 * `n8n-node cloud-support` (from @n8n/node-cli) prints whether the package is eligible for n8n Cloud verification:
 * eligible when package.json's n8n block has `"strict": true` AND eslint.config.mjs is exactly n8n's stock config
 * (`import { config } from '@n8n/node-cli/eslint'; export default config;`, whitespace aside). It always exits 0, so
 * its report is read here.
 */
function checkCloudSupport() {
	const cli = join(toolsRoot, 'node_modules/@n8n/node-cli/bin/n8n-node.mjs');
	const run = spawnSync(process.execPath, [cli, 'cloud-support'], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
	});
	const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
	const strict = /Strict mode: (enabled|disabled)/.exec(output)?.[1];
	const eslint = /ESLint config: using (default|custom) config/.exec(output)?.[1];
	const eligible = /Status: (NOT )?eligible for n8n Cloud verification/.exec(output);
	if (run.status !== 0 || !strict || !eslint || !eligible) {
		return fail(`n8n-node cloud-support did not report a status (exit ${run.status}):\n${output.trim()}`);
	}
	if (strict !== 'enabled') fail('n8n-node cloud-support: NOT eligible for n8n Cloud: strict mode is disabled (package.json n8n.strict).');
	if (eslint !== 'default') {
		const message = 'eslint.config.mjs is not n8n\'s stock config (`import { config } from \'@n8n/node-cli/eslint\'; export default config;`)';
		fail(`n8n-node cloud-support: NOT eligible for n8n Cloud: ${message}.`);
	}
	if (!eligible[1]) console.log('cloud-support: eligible for n8n Cloud verification (strict mode, stock ESLint config)');
	else if (strict === 'enabled') console.log('cloud-support: package part passes (strict mode enabled)');
}

async function scanner() {
	return import(join(toolsRoot, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs'));
}

/**
 * The scanner's source leg, as n8n runs it on the provenance-attested source checkout: package.json and every
 * .ts/.js/.json under nodes/ and credentials/, with the full rule sets (inline eslint-disable comments are ignored).
 */
async function checkScannerOnSources() {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await scanner();
	const result = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	if (!result.passed) fail(`n8n community-package scanner (sources): ${result.message}\n${result.details ?? ''}`);
	else console.log(`scanner (sources: ${SOURCE_FILE_PATTERNS.join(', ')}): ${result.message ?? 'passed'}`);
}

/** The scanner's tarball leg, on what npm would publish (every .js, .ts and .json in it: n8n's leg lints .js and package.json). */
async function checkScannerOnTarball() {
	const work = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
	try {
		const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
		const unpacked = join(work, 'package');
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
		const { analyzePackage } = await scanner();
		const result = await analyzePackage(unpacked);
		if (!result.passed) fail(`n8n community-package scanner (packed tarball): ${result.message}\n${result.details ?? ''}`);
		else console.log(`scanner (packed tarball): ${result.message ?? 'passed'}`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

checkNoRuntimeDependencies();
checkMain();
checkStrict();
checkN8nBlockFiles();
checkDistRequires();
if (!args.includes('--no-cloud-support')) checkCloudSupport();
if (!args.includes('--no-scan')) {
	await checkScannerOnSources();
	await checkScannerOnTarball();
}

if (failures.length) {
	console.error(`verify: ${failures.length} problem(s)\n- ${failures.join('\n- ')}`);
	process.exit(1);
}
console.log('verify: package.json, dist, cloud support and the community-package scanner (sources and tarball) are clean');
