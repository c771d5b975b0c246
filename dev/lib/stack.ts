/**
 * The whole product running for real, shared by `npm run dev` and `npm run test:e2e`: the harness installed,
 * this package built and installed into n8n as a community package, every provider sandbox, n8n, the owner,
 * a credential per sandbox, each provider's preparations, the demo workflows imported (webhook-driven ones
 * activated) and the sandboxes wired to n8n.
 */
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { SandboxClock } from '../../test/sandbox/framework';
import { simulators, type ProviderId } from '../../test/sandbox/registry';
import { providers, suites } from '../providers';
import type { DemoWorkflow, RunningSandbox, Stack, StackCredential } from '../providers/types';
import { ensureHarness } from './harness';
import { dim, info, step, green, red } from './log';
import { N8nClient, startN8n, type N8nInstance, type Owner } from './n8n';
import type { N8nRelease } from './n8nVersions';
import { buildPackage, installIntoN8n, packageName } from './package';
import { checkQueueMode, QUEUE_PROXY_ADDRESS, startQueueN8n, type ExecutionsMode, type QueueInstallation } from './queue';
import { importWorkflow } from './workflows';

/** The Redis credential queue mode creates (type `redis`, n8n's own), pointing at the queue's Redis. */
export const QUEUE_REDIS_CREDENTIAL_NAME = "Redis (n8n's queue)";

export interface StackOptions {
	mode: 'dev' | 'e2e';
	/** The n8n release to run (dev/compat.json; `--n8n <version>`). */
	release: N8nRelease;
	userFolder: string;
	/** Start from an empty user folder (always for e2e; `npm run dev -- --reset`). */
	fresh: boolean;
	port: number;
	brokerPort: number;
	/** First sandbox port (the next ones follow); 0 for ephemeral ports. */
	sandboxPortBase: number;
	owner: Owner;
	/** Replace demo workflows that exist already (e2e) instead of keeping them (dev). */
	replaceWorkflows: boolean;
	/**
	 * `queue` (`--queue`): n8n as PostgreSQL, Redis, a main process, two webhook processes and two workers behind a
	 * proxy on `port` (lib/queue.ts), all fresh; `userFolder` then holds one user folder per process and `brokerPort`
	 * is not used. Default `regular`: one n8n process on SQLite.
	 */
	executionsMode?: ExecutionsMode;
}

export interface RunningStack {
	stack: Stack;
	stop(): Promise<void>;
	/** Every log file of the run (queue mode: one per process, PostgreSQL's and Redis's), for the artifacts. */
	logFiles: string[];
}

/** Whether a demo (or a suite's demos) belongs in this execution mode. */
function inMode(modes: ExecutionsMode[] | undefined, mode: ExecutionsMode): boolean {
	return modes === undefined || modes.includes(mode);
}

export async function bringUp(options: StackOptions): Promise<RunningStack> {
	const { release } = options;
	const executionsMode = options.executionsMode ?? 'regular';
	// Before anything is built or started: a machine without PostgreSQL or Redis is told at once what to install.
	if (executionsMode === 'queue') checkQueueMode(release);
	const { logsDir } = release.paths;
	mkdirSync(logsDir, { recursive: true });
	const n8nLog = join(logsDir, `${options.mode}-n8n.log`);
	const buildLog = join(logsDir, `${options.mode}-build.log`);
	writeFileSync(n8nLog, '');
	writeFileSync(buildLog, '');
	const logFiles = [buildLog, ...(executionsMode === 'regular' ? [n8nLog] : [])];

	const started: { sandboxes: RunningSandbox[]; n8n?: N8nInstance } = { sandboxes: [] };
	const stop = async () => {
		if (started.n8n) {
			const what = executionsMode === 'queue' ? 'Stopping n8n (main, webhook processes, workers), the proxy, PostgreSQL and Redis' : 'Stopping n8n';
			await step(what, () => started.n8n!.stop());
		}
		if (started.sandboxes.length) {
			await step('Stopping the sandboxes', () => Promise.all(started.sandboxes.map((s) => s.stop())).then(() => undefined));
		}
		started.sandboxes = [];
		started.n8n = undefined;
	};

	try {
		await ensureHarness(release);
		await step(`Building ${packageName} (npm run build)`, () => buildPackage(buildLog));
		if (executionsMode === 'regular') {
			if (options.fresh) rmSync(options.userFolder, { recursive: true, force: true });
			mkdirSync(options.userFolder, { recursive: true });
			const installedAt = installIntoN8n(options.userFolder);
			info(dim(`  installed as a community package: ${installedAt}`));
		}

		const sandboxes = new Map<ProviderId, RunningSandbox>();
		await step(`Starting the sandboxes (${simulators.map((s) => s.provider).join(', ')})`, async () => {
			for (const [index, entry] of simulators.entries()) {
				const port = options.sandboxPortBase === 0 ? 0 : options.sandboxPortBase + index;
				// dev: the clock runs with real time (a token expires after its lifetime, as with the real provider);
				// e2e: frozen, so that nothing depends on timing luck.
				const running = await entry.start({ port, clock: new SandboxClock({ ticking: options.mode === 'dev' }) });
				started.sandboxes.push(running);
				sandboxes.set(entry.provider, running);
			}
		});
		for (const sandbox of sandboxes.values()) info(dim(`  ${sandbox.title}: ${sandbox.baseUrl}`));

		let queue: QueueInstallation | undefined;
		if (executionsMode === 'queue') {
			const running = await startQueueN8n({ release, userFolderRoot: options.userFolder, port: options.port, logsDir, logPrefix: options.mode });
			started.n8n = running.n8n;
			queue = running.queue;
			logFiles.push(...running.logFiles);
		} else {
			started.n8n = await step(`Starting n8n ${release.n8n} (Node ${release.node}) on port ${options.port}`, () =>
				startN8n({ release, userFolder: options.userFolder, port: options.port, brokerPort: options.brokerPort, logFile: n8nLog }),
			);
			info(dim(`  log: ${n8nLog}`));
		}
		const n8n = started.n8n;
		const api = new N8nClient(n8n.url, release);
		const ownerResult = await api.ensureOwner(options.owner);
		info(`${green('✓')} Owner ${options.owner.email} ${ownerResult}`);
		const projectId = (await api.request('GET', '/rest/projects/personal')).id as string;

		const credentials = new Map<string, StackCredential>();
		for (const sandbox of sandboxes.values()) {
			const saved = await api.upsertCredential(sandbox.credential);
			credentials.set(sandbox.credential.type, { ...sandbox.credential, id: saved.id });
			if (options.mode === 'dev') {
				const test = await api.testCredential({ ...sandbox.credential, id: saved.id });
				const mark = test.status === 'OK' ? green('✓') : red('✗');
				info(`${mark} Credential "${sandbox.credential.name}" → ${sandbox.baseUrl} (Test credential: ${test.status}${test.message ? `, ${test.message}` : ''})`);
			}
		}
		if (queue) {
			// n8n's own Redis credential, on the queue's Redis: demos that coordinate processes through Redis bind to it.
			const redis = { name: QUEUE_REDIS_CREDENTIAL_NAME, type: 'redis', data: { host: queue.redis.host, port: queue.redis.port, database: 0, password: '' } };
			const saved = await api.upsertCredential(redis);
			credentials.set(redis.type, { ...redis, id: saved.id });
			info(`${green('✓')} Credential "${redis.name}" → ${queue.redis.host}:${queue.redis.port}`);
		}

		const stack: Stack = {
			mode: options.mode,
			release,
			executionsMode,
			queue,
			n8n,
			api,
			owner: options.owner,
			projectId,
			sandboxes,
			credentials,
			workflows: new Map(),
		};
		const importDemos = async (demos: DemoWorkflow[]) => {
			// 1.x's Data table node finds tables by ID only: the demos' nodes are bound to the tables prepare made.
			const dataTables = release.differences.dataTableByName
				? undefined
				: new Map((await api.dataTables(projectId)).map((table) => [table.name, table.id] as [string, string]));
			for (const demo of demos) {
				if (!inMode(demo.modes, executionsMode)) continue;
				const imported = await importWorkflow(api, demo.file, credentials, {
					activate: demo.activate,
					replace: options.replaceWorkflows,
					dataTables,
					// Behind the proxy, triggers that check the caller's address must believe its X-Forwarded-For.
					trustedProxies: queue ? { packagePrefix: packageName, proxies: QUEUE_PROXY_ADDRESS } : undefined,
				});
				stack.workflows.set(demo.file, imported);
				const state = imported.active ? 'active' : 'inactive';
				const trusted = imported.proxyTrustedBy?.length ? `, Trusted Proxies ${QUEUE_PROXY_ADDRESS} on ${imported.proxyTrustedBy.map((n) => `"${n}"`).join(', ')}` : '';
				info(`${green('✓')} Workflow "${imported.name}" ${imported.created ? 'imported' : 'kept'} (${state}${trusted}) ${dim(`examples/${demo.file}`)}`);
			}
		};
		for (const provider of providers) {
			if (!sandboxes.has(provider.provider)) continue;
			await provider.prepare?.(stack);
			await importDemos(provider.workflows);
			for (const line of (await provider.wire?.(stack)) ?? []) info(`${green('✓')} ${line}`);
		}
		for (const suite of suites) {
			if (!inMode(suite.modes, executionsMode)) continue;
			await suite.prepare?.(stack);
			await importDemos(suite.workflows ?? []);
		}
		return { stack, stop, logFiles };
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}
}
