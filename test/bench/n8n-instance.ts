/**
 * The real n8n the benchmarks share: the default tested release's harness (dev/n8n, reused when installed), this
 * package installed into its own user folder (dev/n8n/user-bench, fresh every run, removed afterwards) as a
 * community package, n8n on free ports, and the owner logged in.
 *
 * What a benchmark gets is a `BenchTarget`: the REST client and the base URL its webhooks are called on. A benchmark
 * that takes one works against any n8n set up this way, including a queue-mode installation whose webhook
 * processes listen elsewhere than its main process.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureHarness } from '../../dev/lib/harness';
import { N8nClient, startN8n, type N8nInstance } from '../../dev/lib/n8n';
import { selectRelease, type N8nRelease } from '../../dev/lib/n8nVersions';
import { installIntoN8n, packageName } from '../../dev/lib/package';
import { freePort } from '../../dev/lib/proc';
import { buildBenchPackage } from './package-build';

/** What a benchmark needs of an n8n installation. */
export interface BenchTarget {
	/** REST client, logged in as the owner. */
	api: N8nClient;
	/** Where production webhooks are called: `<webhookBaseUrl>/webhook/...` (a webhook process in queue mode). */
	webhookBaseUrl: string;
	/** The n8n release, for the report. */
	release: N8nRelease;
}

export interface BenchN8n extends BenchTarget {
	n8n: N8nInstance;
	logFile: string;
	stop(): Promise<void>;
}

export const BENCH_OWNER = {
	email: 'bench-owner@example.com',
	password: 'Bench-Sandbox-Pass1',
	firstName: 'Bench',
	lastName: 'Owner',
};

/** The bench user folder inside the harness folder (n8n-workflow must resolve to n8n's own copy). */
export function benchUserFolder(release: N8nRelease): string {
	return join(release.paths.dir, 'user-bench');
}

export interface BenchN8nOptions {
	/** Called with the user folder after the package is installed, before n8n starts (extra custom nodes, files). */
	beforeStart?(userFolder: string): void;
	/** Extra environment for n8n (e.g. NODE_OPTIONS for a profile). */
	env?: NodeJS.ProcessEnv;
}

export async function startBenchN8n(log: (line: string) => void, options: BenchN8nOptions = {}): Promise<BenchN8n> {
	const release = selectRelease();
	await ensureHarness(release);
	mkdirSync(release.paths.logsDir, { recursive: true });
	const logFile = join(release.paths.logsDir, 'bench-n8n.log');
	const buildLog = join(release.paths.logsDir, 'bench-build.log');
	writeFileSync(logFile, '');
	writeFileSync(buildLog, '');
	const packageRoot = await buildBenchPackage(buildLog);

	const userFolder = benchUserFolder(release);
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	// Never committed, whatever the harness folder's .gitignore lists.
	writeFileSync(join(userFolder, '.gitignore'), '*\n');
	installIntoN8n(userFolder, packageRoot);
	options.beforeStart?.(userFolder);

	const port = await freePort();
	const brokerPort = await freePort();
	log(`starting n8n ${release.n8n} (Node ${release.node}) on port ${port}, user folder ${userFolder}, log ${logFile}`);
	const started = Date.now();
	const n8n = await startN8n({ release, userFolder, port, brokerPort, logFile, env: options.env });
	const stop = async () => {
		await n8n.stop();
		rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		log(`n8n ready after ${Math.round((Date.now() - started) / 1000)} s`);
		const api = new N8nClient(n8n.url, release);
		await api.ensureOwner(BENCH_OWNER);
		const types = new Set((await api.nodeTypes()).map((type) => type.name));
		for (const wanted of ['eeId', 'eeIdTrigger']) {
			if (!types.has(`${packageName}.${wanted}`)) throw new Error(`n8n did not load ${packageName}.${wanted} (see ${logFile})`);
		}
		return { api, webhookBaseUrl: n8n.url, release, n8n, logFile, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** A credential of its own for one run, so that no token fetched by an earlier run is reused. */
export async function freshCredential(
	api: N8nClient,
	type: string,
	name: string,
	data: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
	const created = await api.request<{ id: string; name: string }>('POST', '/rest/credentials', { name, type, data });
	return { id: created.id, name: created.name };
}
