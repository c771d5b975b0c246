/**
 * This package, built and installed into an n8n user folder exactly where n8n installs community packages:
 * <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<package name>. The folder holds a copy of package.json and dist/,
 * not a symlink: through a symlink Node resolves `n8n-workflow` from this repository's node_modules, a second
 * copy of it beside n8n's own, and n8n's `instanceof` checks on errors and classes then fail. A rebuild is
 * followed by a fresh copy (cheap: dist/ is a few hundred kB).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { basename, join } from 'path';
import { repoRoot } from './paths';
import { run } from './proc';

export interface PackageJson {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

export function readPackageJson(root = repoRoot): PackageJson {
	return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

export const packageName = readPackageJson().name;

export async function buildPackage(logFile: string): Promise<void> {
	await run('npm', ['run', 'build'], { cwd: repoRoot, logFile });
	const pkg = readPackageJson();
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!existsSync(join(repoRoot, file))) throw new Error(`package.json lists ${file}, but the build did not produce it`);
	}
}

/** Where n8n looks for installed community packages, inside a user folder. */
export function communityNodesDir(userFolder: string): string {
	return join(userFolder, '.n8n', 'nodes');
}

/** Copies package.json and dist/ into the user folder as an installed community package. Returns its folder. */
export function installIntoN8n(userFolder: string, root = repoRoot): string {
	const pkg = readPackageJson(root);
	const nodesDir = communityNodesDir(userFolder);
	const target = join(nodesDir, 'node_modules', pkg.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	cpSync(join(root, 'package.json'), join(target, 'package.json'));
	cpSync(join(root, 'dist'), join(target, 'dist'), { recursive: true });
	for (const extra of ['README.md', 'LICENSE', 'LICENSE.md']) {
		if (existsSync(join(root, extra))) cpSync(join(root, extra), join(target, extra));
	}
	// The manifest n8n keeps for the packages it installed itself: list ours the same way.
	const manifestPath = join(nodesDir, 'package.json');
	const manifest = existsSync(manifestPath)
		? JSON.parse(readFileSync(manifestPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	manifest.dependencies = { ...(manifest.dependencies ?? {}), [pkg.name]: pkg.version };
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	return target;
}

export interface PackageTypes {
	/** Node type names as n8n lists them: `<package name>.<node name>`. */
	nodes: Array<{ type: string; displayName: string; file: string }>;
	credentials: Array<{ name: string; displayName: string; file: string }>;
}

/**
 * The node and credential types the built package declares, read from dist/ itself (the same files n8n loads),
 * so the end-to-end suite checks n8n against the package and never against a hand-kept list.
 */
export function declaredTypes(): PackageTypes {
	const pkg = readPackageJson();
	// As n8n does it: the class named like the file (X.node.js → class X), from the module's exports.
	const load = (file: string): unknown[] => {
		const className = basename(file).replace(/\.(node|credentials)\.js$/, '');
		const mod = require(join(repoRoot, file)) as Record<string, unknown>;
		if (typeof mod[className] !== 'function') throw new Error(`${file} does not export a class ${className}`);
		return [mod[className]];
	};
	const nodes: PackageTypes['nodes'] = [];
	for (const file of pkg.n8n?.nodes ?? []) {
		for (const Cls of load(file)) {
			const instance = new (Cls as new () => Record<string, any>)();
			const description = instance.description ?? instance.baseDescription;
			if (description?.name) nodes.push({ type: `${pkg.name}.${description.name}`, displayName: description.displayName, file });
		}
	}
	const credentials: PackageTypes['credentials'] = [];
	for (const file of pkg.n8n?.credentials ?? []) {
		for (const Cls of load(file)) {
			const instance = new (Cls as new () => Record<string, any>)();
			if (instance.name) credentials.push({ name: instance.name, displayName: instance.displayName, file });
		}
	}
	return { nodes, credentials };
}
