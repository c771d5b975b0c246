/**
 * What the package costs n8n before it does anything: the time to load (require) every node and credential that
 * package.json lists, in a fresh Node process, beside the time that process takes to require n8n-workflow alone
 * (the one module every node loads, which n8n has loaded anyway); and the size of dist/, beside the JavaScript of
 * n8n-workflow's CommonJS build.
 *
 * Each measurement is a fresh process (nothing cached by an earlier require), run ROUNDS times, the two kinds
 * alternating; the medians count. Node is this process's Node; n8n-workflow the copy in this repository's
 * node_modules (the version n8n 2.40 ships with, pinned in devDependencies).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '../../dev/lib/paths';
import { readPackageJson } from '../../dev/lib/package';
import { buildBenchPackage, filesUnder } from './package-build';
import { median, round, type Result } from './result';

const ROUNDS = 15;

interface Timing {
	/** ms to require n8n-workflow. */
	workflow: number;
	/** ms to require every listed file after it (0 for the baseline process). */
	ours: number;
	/** Heap used after the requires and a full collection (bytes). */
	heapUsed: number;
}

/** The child: requires n8n-workflow, then (unless baseline) each file, timing both; prints JSON. */
const CHILD = `
const { performance } = require('node:perf_hooks');
const files = JSON.parse(process.argv[1]);
const t0 = performance.now();
require('n8n-workflow');
const t1 = performance.now();
for (const file of files) {
	const mod = require(file);
	const name = require('node:path').basename(file).replace(/\\.(node|credentials)\\.js$/, '');
	if (typeof mod[name] !== 'function') throw new Error(file + ' does not export ' + name);
	new mod[name]();
}
const t2 = performance.now();
global.gc();
process.stdout.write(JSON.stringify({ workflow: t1 - t0, ours: t2 - t1, heapUsed: process.memoryUsage().heapUsed }));
`;

async function measure(files: string[]): Promise<Timing> {
	const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', CHILD, JSON.stringify(files)], { cwd: repoRoot });
	return JSON.parse(stdout) as Timing;
}

function bytesOf(dir: string, filter: (file: string) => boolean = () => true): number {
	return filesUnder(dir)
		.filter(filter)
		.reduce((sum, file) => sum + statSync(file).size, 0);
}

export async function packageCost(log: (line: string) => void): Promise<Result[]> {
	const root = await buildBenchPackage(join(repoRoot, '.tmp', 'bench-build.log'));
	const pkg = readPackageJson(root);
	const files = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].map((file) => join(root, file));

	await measure(files); // warm the file system cache; not counted
	const baseline: Timing[] = [];
	const loaded: Timing[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		for (const which of round % 2 === 0 ? ['base', 'ours'] : ['ours', 'base']) {
			if (which === 'base') baseline.push(await measure([]));
			else loaded.push(await measure(files));
		}
	}
	const baseMs = median(baseline.map((t) => t.workflow));
	const oursMs = median(loaded.map((t) => t.ours));
	const heapGrowth = median(loaded.map((t) => t.heapUsed)) - median(baseline.map((t) => t.heapUsed));
	log(`  n8n-workflow alone ${baseMs.toFixed(1)} ms; our ${files.length} files after it ${oursMs.toFixed(1)} ms (medians of ${ROUNDS})`);

	const dist = join(root, 'dist');
	const distBytes = bytesOf(dist);
	const jsBytes = bytesOf(dist, (file) => file.endsWith('.js'));
	// What require() reads of n8n-workflow: its CommonJS build's JavaScript (no typings, maps or ESM copy).
	const workflowBytes = bytesOf(join(repoRoot, 'node_modules', 'n8n-workflow', 'dist', 'cjs'), (file) => file.endsWith('.js'));
	const KB = 1024;
	return [
		{
			name: `Package cost: requiring every node and credential of dist/ (${files.length} files) in a fresh Node process, as a multiple of requiring n8n-workflow alone`,
			value: round(oursMs / baseMs, 2),
			unit: '×',
			higherIsBetter: false,
			details: [
				`our files: ${oursMs.toFixed(1)} ms (after n8n-workflow was loaded); n8n-workflow alone: ${baseMs.toFixed(1)} ms; medians of ${ROUNDS} fresh processes each, Node ${process.version}`,
				`every round, ours: ${loaded.map((t) => t.ours.toFixed(0)).join(' ')} ms; n8n-workflow: ${baseline.map((t) => t.workflow.toFixed(0)).join(' ')} ms`,
				`heap used after loading, above n8n-workflow alone: ${(heapGrowth / KB / KB).toFixed(1)} MiB`,
			],
		},
		{
			name: 'Package cost: size of dist/ (all of it), as a share of the JavaScript n8n-workflow loads (its CommonJS build)',
			value: round((100 * distBytes) / workflowBytes),
			unit: '%',
			higherIsBetter: false,
			details: [
				`dist/: ${(distBytes / KB).toFixed(0)} KiB (${distBytes} bytes; JavaScript ${(jsBytes / KB).toFixed(0)} KiB, the rest icons and codex files); n8n-workflow’s dist/cjs/**/*.js: ${(workflowBytes / KB).toFixed(0)} KiB`,
				'every node file bundles what it uses (jose, the shared core), so shared code is counted once per file that needs it',
			],
		},
	];
}
