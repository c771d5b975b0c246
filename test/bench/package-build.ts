/**
 * This package built for the benchmarks into a folder of their own (.tmp/bench-package: package.json + dist/), the
 * way `npm run build` builds it (tsup, then the icons and codex files gulp copies), so that a benchmark never
 * rewrites the dist/ that an end-to-end run in the same checkout may be installing at that moment.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { repoRoot } from '../../dev/lib/paths';
import { run } from '../../dev/lib/proc';
import { readPackageJson } from '../../dev/lib/package';

export const benchPackageRoot = join(repoRoot, '.tmp', 'bench-package');

let built: Promise<string> | undefined;

/** Builds once per process; returns the folder holding package.json and dist/. */
export function buildBenchPackage(logFile: string): Promise<string> {
	built ??= build(logFile);
	return built;
}

async function build(logFile: string): Promise<string> {
	rmSync(benchPackageRoot, { recursive: true, force: true });
	mkdirSync(benchPackageRoot, { recursive: true });
	const dist = join(benchPackageRoot, 'dist');
	await run(join(repoRoot, 'node_modules', '.bin', 'tsup'), ['--out-dir', dist], { cwd: repoRoot, logFile });
	// gulpfile.js: icons/*.svg → dist/icons, nodes/**/*.node.json → dist/nodes/**.
	mkdirSync(join(dist, 'icons'), { recursive: true });
	for (const name of readdirSync(join(repoRoot, 'icons'))) {
		if (name.endsWith('.svg')) cpSync(join(repoRoot, 'icons', name), join(dist, 'icons', name));
	}
	for (const file of filesUnder(join(repoRoot, 'nodes'))) {
		if (!file.endsWith('.node.json')) continue;
		const target = join(dist, 'nodes', relative(join(repoRoot, 'nodes'), file));
		mkdirSync(dirname(target), { recursive: true });
		cpSync(file, target);
	}
	cpSync(join(repoRoot, 'package.json'), join(benchPackageRoot, 'package.json'));
	const pkg = readPackageJson(benchPackageRoot);
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!existsSync(join(benchPackageRoot, file))) throw new Error(`package.json lists ${file}, but the build did not produce it`);
	}
	return benchPackageRoot;
}

export function filesUnder(dir: string): string[] {
	const files: string[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) files.push(...filesUnder(path));
		else files.push(path);
	}
	return files;
}

export function removeBenchPackage(): void {
	rmSync(benchPackageRoot, { recursive: true, force: true });
	built = undefined;
}
