/**
 * Real n8n (one tested release's harness: dev/compat.json) as a child process, and a small client for its REST API.
 * The REST calls are the ones the editor itself makes (checked against each tested release); where n8n 1.x and 2.x
 * differ, the difference lives in n8nVersions.ts and is only applied here.
 */
import type { ChildProcess } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import { createRequire } from 'module';
import { join, relative } from 'path';
import { harnessNodeEnv } from './harness';
import type { N8nRelease } from './n8nVersions';
import { start, stop, tailOf } from './proc';

export interface N8nOptions {
	release: N8nRelease;
	userFolder: string;
	port: number;
	/** The task-runner broker; n8n's default 5679 collides with a second n8n, so it moves with the port. */
	brokerPort: number;
	logFile: string;
	/** Extra environment (wins over the defaults below). */
	env?: NodeJS.ProcessEnv;
	/**
	 * The n8n command: `start` (the default: the main process, editor and REST API), or in queue mode `webhook` (a
	 * webhook process: production webhooks only) or `worker` (runs the executions the queue hands it).
	 */
	command?: N8nCommand;
	/**
	 * The URL people and providers reach n8n at, when it is not this process's own port (queue mode: the proxy in
	 * front of all processes): n8n puts it into the URLs it generates (WEBHOOK_URL) and its editor links.
	 */
	publicUrl?: string;
	/** `worker` only: the port of its health server (QUEUE_HEALTH_CHECK_PORT), where readiness is probed. */
	healthPort?: number;
}

export type N8nCommand = 'start' | 'webhook' | 'worker';

export interface N8nInstance {
	release: N8nRelease;
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	child: ChildProcess;
	/** Which n8n command runs (`start` unless started as a queue-mode webhook process or worker). */
	command?: N8nCommand;
	stop(): Promise<void>;
	/** Resolves when n8n exits on its own (a crash), with its exit code. */
	exited: Promise<number | null>;
}

/** Environment that keeps n8n offline, quiet and predictable. */
export function n8nEnv(options: N8nOptions): NodeJS.ProcessEnv {
	const url = options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}/` : `http://127.0.0.1:${options.port}/`;
	return harnessNodeEnv(options.release.paths, {
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		WEBHOOK_URL: url,
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ONBOARDING_FLOW_DISABLED: 'true',
		N8N_AI_ENABLED: 'false',
		// No calls to n8n.io for the verified community-nodes list and the MCP server registry (offline machine).
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
		NO_PROXY: '127.0.0.1,localhost',
		...options.release.differences.env,
		...options.env,
	});
}

/**
 * Starts n8n and waits until it is ready: the main process (`start`) when its REST API answers, a webhook process
 * when its `/healthz/readiness` says so, a worker when its health server's does (database, Redis and the queue
 * connected). Fails with the end of n8n's log when it does not come up.
 */
export async function startN8n(options: N8nOptions, timeoutMs = 300_000): Promise<N8nInstance> {
	const command = options.command ?? 'start';
	// The user folder must stay inside the harness folder: a community package resolves `n8n-workflow` by walking up
	// from its own folder, and must find n8n's copy (<harness>/node_modules), never this repository's.
	const { paths } = options.release;
	if (relative(paths.dir, options.userFolder).startsWith('..')) {
		throw new Error(`the n8n user folder must be inside ${paths.dir}`);
	}
	if (!existsSync(paths.n8nBin)) throw new Error('n8n is not installed: run ensureHarness() first');
	mkdirSync(options.userFolder, { recursive: true });
	if (command === 'worker' && options.healthPort === undefined) throw new Error('an n8n worker needs a healthPort to be probed on');
	const child = start(paths.nodeBin, [paths.n8nBin, command], {
		cwd: options.userFolder,
		env: n8nEnv(options),
		logFile: options.logFile,
	});
	const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
	const url = `http://127.0.0.1:${options.port}`;
	const instance: N8nInstance = {
		release: options.release,
		url,
		port: options.port,
		userFolder: options.userFolder,
		logFile: options.logFile,
		child,
		command,
		exited,
		stop: () => stop(child, 30_000),
	};
	const probeUrls =
		command === 'start'
			? [`${url}/healthz/readiness`, `${url}/rest/settings`]
			: command === 'webhook'
				? [`${url}/healthz/readiness`]
				: [`http://127.0.0.1:${options.healthPort}/healthz/readiness`];
	const what = command === 'start' ? 'n8n' : `n8n ${command}`;
	const deadline = Date.now() + timeoutMs;
	let crashed: number | null | undefined;
	void exited.then((code) => (crashed = code));
	while (Date.now() < deadline) {
		if (crashed !== undefined) {
			throw new Error(`${what} exited (code ${crashed}) before it was ready. End of ${options.logFile}:\n${tailOf(options.logFile)}`);
		}
		if (await probeAll(probeUrls)) return instance;
		await new Promise((r) => setTimeout(r, 1000));
	}
	await instance.stop();
	throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s. End of ${options.logFile}:\n${tailOf(options.logFile)}`);
}

async function probeAll(urls: string[]): Promise<boolean> {
	for (const url of urls) if (!(await probe(url))) return false;
	return true;
}

async function probe(url: string): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
		await res.arrayBuffer();
		return res.ok;
	} catch {
		return false;
	}
}

/** Execution statuses of n8n's REST API: ended, and not ended yet. */
export const FINISHED_STATUSES: readonly string[] = ['success', 'error', 'crashed', 'canceled'];
export const OPEN_STATUSES: readonly string[] = ['new', 'running', 'waiting'];

export class N8nApiError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} → ${status}: ${body.slice(0, 500)}`);
	}
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	active?: boolean;
	versionId?: string;
	[key: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
}

/** One node's output in an execution: its items on the first output of its last run. */
export interface NodeRun {
	json: Record<string, any>;
	binary?: Record<string, { id?: string; data?: string; mimeType: string; fileName?: string; fileSize?: string }>;
}

export interface ExecutionDetail extends ExecutionSummary {
	runData: Record<string, Array<{ data?: { main?: Array<NodeRun[] | null> }; error?: { message: string } }>>;
	error?: { message: string; description?: string };
	lastNodeExecuted?: string;
}

/** The REST API with the session cookie of one user, the way the editor talks to n8n. */
export class N8nClient {
	private cookie = '';

	constructor(
		readonly baseUrl: string,
		readonly release: N8nRelease,
	) {}

	async request<T = any>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
		const res = await this.raw(method, path, body, query);
		const text = await res.text();
		if (!res.ok) throw new N8nApiError(method, path, res.status, text);
		const parsed = text ? JSON.parse(text) : undefined;
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	async raw(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<Response> {
		const url = new URL(path, this.baseUrl);
		for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		return res;
	}

	/** Creates the owner on a fresh instance, or logs in as the owner on one set up before. */
	async ensureOwner(owner: Owner): Promise<'created' | 'logged in'> {
		const settings = await this.request('GET', '/rest/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad) {
			await this.request('POST', '/rest/owner/setup', owner);
			return 'created';
		}
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return 'logged in';
	}

	nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; group: string[] }>> {
		return this.request('GET', '/types/nodes.json');
	}

	credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return this.request('GET', '/types/credentials.json');
	}

	listCredentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		return this.request('GET', '/rest/credentials');
	}

	/** Creates the credential, or updates the one of the same name and type (a re-run reuses it). */
	async upsertCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string; type: string }> {
		const existing = (await this.listCredentials()).find((c) => c.name === credential.name && c.type === credential.type);
		if (existing) return this.request('PATCH', `/rest/credentials/${existing.id}`, credential);
		return this.request('POST', '/rest/credentials', credential);
	}

	/** "Test credential", as the editor's button does it. */
	testCredential(credential: { id?: string; name: string; type: string; data: Record<string, unknown> }): Promise<{ status: 'OK' | 'Error'; message: string }> {
		return this.request('POST', '/rest/credentials/test', { credentials: credential });
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean; versionId: string }>> {
		return this.request('GET', '/rest/workflows');
	}

	getWorkflow(id: string): Promise<WorkflowJson & { id: string; versionId: string; active: boolean }> {
		return this.request('GET', `/rest/workflows/${id}`);
	}

	createWorkflow(workflow: WorkflowJson): Promise<WorkflowJson & { id: string; versionId: string }> {
		const { id: _id, active: _active, versionId: _versionId, ...body } = workflow;
		return this.request('POST', '/rest/workflows', { ...body, ...this.release.differences.newWorkflowFields });
	}

	activateWorkflow(id: string, versionId: string): Promise<{ active: boolean }> {
		return this.request('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	/** Runs a workflow as the editor's "Execute workflow" does, from the named trigger node. */
	async runManually(id: string, triggerName: string): Promise<string> {
		const { differences } = this.release;
		const workflow = differences.manualRunNeedsWorkflow ? await this.getWorkflow(id) : { id };
		const result = await this.request('POST', `/rest/workflows/${id}/run`, differences.manualRunBody(workflow, triggerName));
		if (!result?.executionId) throw new Error(`manual run of workflow ${id} did not start an execution: ${JSON.stringify(result)}`);
		return String(result.executionId);
	}

	async listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const result = await this.request('GET', '/rest/executions', undefined, {
			filter: JSON.stringify({ workflowId }),
			limit: '100',
		});
		return (result?.results ?? result ?? []) as ExecutionSummary[];
	}

	/**
	 * How many executions of a workflow are finished and how many still open, as n8n counts them (the execution list
	 * itself is capped, and without a status filter counts finished ones only).
	 */
	async executionCounts(workflowId: string): Promise<{ finished: number; open: number }> {
		const count = async (status: readonly string[]) =>
			(await this.request<{ count: number }>('GET', '/rest/executions', undefined, { filter: JSON.stringify({ workflowId, status }), limit: '1' })).count;
		const [finished, open] = await Promise.all([count(FINISHED_STATUSES), count(OPEN_STATUSES)]);
		return { finished, open };
	}

	/** Every finished execution of a workflow (id and status), newest first, read page by page. */
	async finishedExecutions(workflowId: string): Promise<Array<{ id: string; status: string }>> {
		const all: Array<{ id: string; status: string }> = [];
		for (;;) {
			const query: Record<string, string> = { filter: JSON.stringify({ workflowId, status: FINISHED_STATUSES }), limit: '100' };
			if (all.length > 0) query.lastId = all[all.length - 1].id;
			const page = await this.request<{ results: Array<{ id: string; status: string }> }>('GET', '/rest/executions', undefined, query);
			if (page.results.length === 0) return all;
			all.push(...page.results.map(({ id, status }) => ({ id: String(id), status })));
		}
	}

	/** One execution with its run data decoded (n8n stores it in the `flatted` format). */
	async getExecution(id: string): Promise<ExecutionDetail> {
		const execution = await this.request('GET', `/rest/executions/${id}`);
		const data = typeof execution.data === 'string' ? flatted(this.release).parse(execution.data) : execution.data;
		return {
			...execution,
			runData: data?.resultData?.runData ?? {},
			error: data?.resultData?.error,
			lastNodeExecuted: data?.resultData?.lastNodeExecuted,
		};
	}

	/**
	 * Waits for an execution to finish (success or not) and returns it with its run data. n8n 1.x on SQLite without a
	 * pool writes the finished status and the run data in two statements (ExecutionRepository.updateExistingExecution),
	 * so a read in between sees "success" with nothing run: such a read is not the end yet.
	 */
	async waitForExecution(id: string, timeoutMs = 60_000): Promise<ExecutionDetail> {
		const deadline = Date.now() + timeoutMs;
		let finishedSince: number | undefined;
		for (;;) {
			const execution = await this.getExecution(id);
			if (!OPEN_STATUSES.includes(execution.status)) {
				finishedSince ??= Date.now();
				const dataWritten = Object.keys(execution.runData).length > 0 || execution.error !== undefined;
				// A finished execution that truly ran nothing (cancelled before its first node) is returned after a grace.
				if (dataWritten || Date.now() - finishedSince > 5_000) return execution;
			}
			if (Date.now() > deadline) throw new Error(`execution ${id} still ${execution.status} after ${timeoutMs / 1000}s`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** Waits until a workflow has more than `known` executions, and returns the newest one, finished. */
	async waitForNewExecution(workflowId: string, known: number, timeoutMs = 60_000): Promise<ExecutionDetail> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await this.listExecutions(workflowId);
			if (executions.length > known) {
				const newest = executions.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b));
				return this.waitForExecution(newest.id, Math.max(1000, deadline - Date.now()));
			}
			if (Date.now() > deadline) throw new Error(`no new execution of workflow ${workflowId} within ${timeoutMs / 1000}s`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	async dataTables(projectId: string): Promise<Array<{ id: string; name: string }>> {
		const result = await this.request('GET', `/rest/projects/${projectId}/data-tables`, undefined, { take: '500' });
		return result?.data ?? result ?? [];
	}

	/** Creates the data table unless one of that name exists; returns its id. */
	async ensureDataTable(projectId: string, name: string, columns: Array<{ name: string; type: 'string' | 'number' | 'boolean' | 'date' }>): Promise<string> {
		const existing = (await this.dataTables(projectId)).find((table) => table.name === name);
		if (existing) return existing.id;
		const created = await this.request('POST', `/rest/projects/${projectId}/data-tables`, { name, columns });
		return created.id;
	}

	async dataTableRows(projectId: string, dataTableId: string): Promise<Array<Record<string, any>>> {
		const result = await this.request('GET', `/rest/projects/${projectId}/data-tables/${dataTableId}/rows`, undefined, { take: '1000' });
		return result?.data ?? [];
	}

	/** The bytes of a binary property that n8n stored out of the execution (filesystem mode). */
	async binaryData(binary: { id?: string; data?: string }): Promise<Buffer> {
		if (!binary.id) return Buffer.from(binary.data ?? '', 'base64');
		const res = await this.raw('GET', '/rest/binary-data', undefined, { id: binary.id, action: 'download' });
		if (!res.ok) throw new N8nApiError('GET', `/rest/binary-data?id=${binary.id}`, res.status, await res.text());
		return Buffer.from(await res.arrayBuffer());
	}
}

/** Items a node put out on its first output, in the last run of that node. */
export function nodeOutput(execution: ExecutionDetail, nodeName: string, output = 0): NodeRun[] {
	const runs = execution.runData[nodeName];
	if (!runs?.length) {
		throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(execution.runData).join(', ') || 'nothing'}${execution.error ? `; error: ${execution.error.message}` : ''})`);
	}
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`node "${nodeName}" failed: ${last.error.message}`);
	return last.data?.main?.[output] ?? [];
}

/** `flatted`, from n8n's own dependencies (the harness), so this repository does not need it. */
function flatted(release: N8nRelease): { parse(text: string): any } {
	return createRequire(join(release.paths.modules, 'n8n', 'package.json'))('flatted');
}
