/**
 * n8n in queue mode, as a scaled installation runs it (`npm run test:e2e -- --queue`, `npm run dev -- --queue`):
 *
 *   PostgreSQL + Redis (lib/services.ts, fresh for the run)
 *   main process      `n8n start`    editor, REST API, activation, schedules; no production webhooks
 *   2 webhook procs   `n8n webhook`  production webhooks (/webhook, /webhook-waiting, /form, /form-waiting, /mcp)
 *   2 workers         `n8n worker`   every execution, manual ones included
 *   the proxy         lib/proxy.ts   the one URL everybody uses; webhook paths alternate between the webhook processes
 *
 * Every process gets the same database, Redis, encryption key and public URL (WEBHOOK_URL = the proxy), and its own
 * user folder inside the harness folder, with this package installed as a community package exactly as for the
 * single-process stack. The facts below were read in n8n 2.40.7's own code (dev/n8n/node_modules/n8n/dist):
 * - `n8n webhook` refuses to start unless EXECUTIONS_MODE=queue; its server (AbstractServer) serves only the paths
 *   above. The main process serves them too unless N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true, which is set here:
 *   behind the proxy it never sees them.
 * - Manual executions ("Execute workflow", POST /rest/workflows/<id>/run) run in the main process in queue mode
 *   unless OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true (workflow-runner.js; deprecated, the default from n8n 3): set, so
 *   that every execution of the suite runs on a worker. The main process then starts no task runner.
 * - A worker serves /healthz/readiness (database, Redis and queue connected) only with QUEUE_HEALTH_CHECK_ACTIVE=true,
 *   on QUEUE_HEALTH_CHECK_PORT (default 5678, n8n's own port) and N8N_WORKER_SERVER_ADDRESS (default `::`).
 * - Every process runs the database migrations at start: the main process is started first, the others once it
 *   is ready.
 * - Binary data: N8N_DEFAULT_BINARY_DATA_MODE defaults to `database` in queue mode (n8n-core BinaryDataConfig), and
 *   is left so: files live in the `binary_data` table, every process reads them. That manager buffers each file
 *   whole in memory before the insert (binaryToBuffer) and refuses one over N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE
 *   (MiB, default 512, at most 1024) after reading it; reads return the whole buffer too.
 */
import { randomBytes } from 'crypto';
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { dim, info, red, step } from './log';
import { startN8n, type N8nCommand, type N8nInstance } from './n8n';
import type { N8nRelease } from './n8nVersions';
import { installIntoN8n } from './package';
import { freePort } from './proc';
import { startProxy, type ProxyCounts, type RoundRobinProxy } from './proxy';
import { findQueueServers, postgresQuery, startPostgres, startRedis, type RunningPostgres, type RunningServer } from './services';

/** n8n's EXECUTIONS_MODE: `regular` (one process, SQLite: the default stack) or `queue`. */
export type ExecutionsMode = 'regular' | 'queue';

/** The address n8n's processes see every proxied call come from. */
export const QUEUE_PROXY_ADDRESS = '127.0.0.1';

export const WEBHOOK_PROCESSES = 2;
/** Database connections per n8n process (5 processes: 50 of PostgreSQL's 200 here). */
export const POOL_SIZE = 10;
export const WORKERS = 2;

export interface QueueProcess {
	/** `main`, `webhook-1`, `worker-2`, … (also its user folder's and log file's name). */
	name: string;
	command: N8nCommand;
	/** Where it listens: n8n's server (main, webhook processes) or the health server (workers). */
	url: string;
	logFile: string;
}

/** What queue cases need to know of the installation (on the Stack as `queue`). */
export interface QueueInstallation {
	/** The main process, directly (the proxy sends everything that is not a production webhook there). */
	mainUrl: string;
	/** Each webhook process, directly, in order: a case can address one of them, as the load balancer would. */
	webhookProcessUrls: string[];
	/** Each worker's health server (`<url>/healthz/readiness`). */
	workerHealthUrls: string[];
	/** The proxy: its URL is the stack's n8n URL; its counters say how many requests went to each backend. */
	proxy: { url: string; counts(): ProxyCounts };
	postgres: { host: string; port: number; database: string; user: string };
	/**
	 * A query on n8n's PostgreSQL database, for what the REST API does not show (e.g. where a binary file is filed).
	 * Cases read results through the REST API; this is for explaining what it answers.
	 */
	query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
	redis: { host: string; port: number };
	processes: QueueProcess[];
}

export interface QueueOptions {
	release: N8nRelease;
	/** One user folder per process is made below it (fresh: the database is new every run). Inside the harness folder. */
	userFolderRoot: string;
	/** The public port, the proxy's (0: a free one). */
	port: number;
	/** Log files are `<logPrefix>-queue-<process>.log` there. */
	logsDir: string;
	logPrefix: string;
	/** The built package to install into each process (default: this repository, built by `npm run build`). */
	packageRoot?: string;
}

export interface RunningQueue {
	n8n: N8nInstance;
	queue: QueueInstallation;
	/** Every log file of the run (the processes, PostgreSQL, Redis), for the artifacts. */
	logFiles: string[];
	stop(): Promise<void>;
}

/** Distinct free ports (freePort may hand out a port twice when asked in a row). */
async function freePorts(count: number, taken: number[] = []): Promise<number[]> {
	const ports: number[] = [];
	while (ports.length < count) {
		const port = await freePort();
		if (!ports.includes(port) && !taken.includes(port)) ports.push(port);
	}
	return ports;
}

/** Throws at once, before anything is built or started, when this machine cannot run queue mode. */
export function checkQueueMode(release: N8nRelease): void {
	if (release.differences.queueModeUnsupported) throw new Error(`--queue with n8n ${release.n8n}: ${release.differences.queueModeUnsupported}`);
	findQueueServers();
}

export async function startQueueN8n(options: QueueOptions): Promise<RunningQueue> {
	const { release, logsDir, logPrefix } = options;
	const binaries = findQueueServers();
	const logOf = (name: string) => {
		const file = join(logsDir, `${logPrefix}-queue-${name}.log`);
		writeFileSync(file, '');
		return file;
	};
	const logFiles: string[] = [];
	const postgresLog = logOf('postgres');
	const redisLog = logOf('redis');
	logFiles.push(postgresLog, redisLog);

	const started: { postgres?: RunningPostgres; redis?: RunningServer; proxy?: RoundRobinProxy; n8n: N8nInstance[] } = { n8n: [] };
	let stopping = false;
	const stopAllStarted = async () => {
		stopping = true;
		await started.proxy?.close();
		await Promise.all(started.n8n.map((instance) => instance.stop()));
		await Promise.all([started.postgres?.stop(), started.redis?.stop()]);
		// The user folders are worth nothing without their database (their settings name its encryption key).
		rmSync(options.userFolderRoot, { recursive: true, force: true });
		started.n8n = [];
		started.proxy = undefined;
		started.postgres = undefined;
		started.redis = undefined;
	};

	try {
		[started.postgres, started.redis] = await step('Starting PostgreSQL and Redis (fresh, in temporary folders)', () =>
			Promise.all([
				startPostgres({ bin: binaries.postgresBin, paths: release.paths, logFile: postgresLog }),
				startRedis({ redisServer: binaries.redisServer, logFile: redisLog }),
			]),
		);
		const { postgres, redis } = started;
		info(dim(`  PostgreSQL ${binaries.postgresBin} on 127.0.0.1:${postgres.port}${postgres.runsAs ? ` (as ${postgres.runsAs}: it refuses root)` : ''}; Redis on 127.0.0.1:${redis.port}`));

		// The user folders: fresh, since the database is (an old folder's settings would name another encryption key).
		rmSync(options.userFolderRoot, { recursive: true, force: true });
		mkdirSync(options.userFolderRoot, { recursive: true });
		writeFileSync(join(options.userFolderRoot, '.gitignore'), '*\n');

		const [mainPort, mainBroker, ...rest] = await freePorts(2 + WEBHOOK_PROCESSES * 2 + WORKERS * 2, options.port ? [options.port] : []);
		const webhookPorts = rest.slice(0, WEBHOOK_PROCESSES * 2);
		const workerPorts = rest.slice(WEBHOOK_PROCESSES * 2);
		const mainUrl = `http://127.0.0.1:${mainPort}`;
		const webhookProcessUrls = Array.from({ length: WEBHOOK_PROCESSES }, (_, i) => `http://127.0.0.1:${webhookPorts[i * 2]}`);

		started.proxy = await startProxy({ port: options.port, mainUrl, webhookUrls: webhookProcessUrls });
		const publicUrl = started.proxy.url;

		const common: NodeJS.ProcessEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			// n8n's default pool is 2 connections a process, and its health check needs one of them within 5 s
			// (DB_PING_TIMEOUT_MS): under a burst of webhook calls the ping waits behind them, fails, and the process
			// answers every request 503 "Database is not ready!" until a ping succeeds again (db-connection-monitor.js).
			DB_POSTGRESDB_POOL_SIZE: String(POOL_SIZE),
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// One key for all: each process decrypts the credentials the main process stored.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64url'),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Behind the proxy, which adds X-Forwarded-For, as a load balancer does.
			N8N_PROXY_HOPS: '1',
		};
		const processes: QueueProcess[] = [];
		const launch = (name: string, command: N8nCommand, port: number, brokerPort: number, env: NodeJS.ProcessEnv) => {
			const userFolder = join(options.userFolderRoot, name);
			mkdirSync(userFolder, { recursive: true });
			installIntoN8n(userFolder, options.packageRoot);
			const logFile = logOf(name);
			logFiles.push(logFile);
			const url = `http://127.0.0.1:${port}`;
			processes.push({ name, command, url, logFile });
			return startN8n({
				release,
				userFolder,
				port,
				brokerPort,
				logFile,
				command,
				publicUrl,
				healthPort: command === 'worker' ? port : undefined,
				env: { ...common, ...env },
			}).then((instance) => {
				started.n8n.push(instance);
				void instance.exited.then((code) => {
					if (!stopping) info(red(`✗ n8n ${name} (${command}) exited on its own (code ${code}); log: ${logFile}`));
				});
				return instance;
			});
		};

		const main = await step(`Starting n8n ${release.n8n} (Node ${release.node}) in queue mode: the main process on port ${mainPort}`, () =>
			launch('main', 'start', mainPort, mainBroker, { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }),
		);
		await step(`Starting ${WEBHOOK_PROCESSES} webhook processes and ${WORKERS} workers`, async () => {
			// allSettled: when one fails, the others are still waited for, so that all of them are known and stopped.
			const results = await Promise.allSettled([
				...webhookProcessUrls.map((_, i) => launch(`webhook-${i + 1}`, 'webhook', webhookPorts[i * 2], webhookPorts[i * 2 + 1], {})),
				...Array.from({ length: WORKERS }, (_, i) =>
					launch(`worker-${i + 1}`, 'worker', workerPorts[i * 2], workerPorts[i * 2 + 1], {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(workerPorts[i * 2]),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}),
				),
			]);
			const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
			if (failed) throw failed.reason;
		});
		for (const p of processes) info(dim(`  ${p.name.padEnd(9)} ${p.command.padEnd(7)} ${p.url}  log: ${p.logFile}`));
		info(dim(`  proxy     ${publicUrl}  (production webhook paths → webhook-1, webhook-2 in turn; the rest → main)`));

		// The stack's n8n: reached through the proxy; "exited" when any process of the installation exits.
		const exitedAny = Promise.race([
			...started.n8n.map((instance) => instance.exited),
			postgres.exited,
			redis.exited,
		]);
		const n8n: N8nInstance = {
			release,
			url: publicUrl,
			port: started.proxy.port,
			userFolder: main.userFolder,
			logFile: main.logFile,
			child: main.child,
			command: 'start',
			exited: exitedAny,
			stop: stopAllStarted,
		};
		const proxy = started.proxy;
		const database = { host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user };
		const queue: QueueInstallation = {
			mainUrl,
			webhookProcessUrls,
			workerHealthUrls: processes.filter((p) => p.command === 'worker').map((p) => p.url),
			proxy: { url: publicUrl, counts: () => proxy.counts() },
			postgres: database,
			query: (sql, values) => postgresQuery(release.paths, database, sql, values),
			redis: { host: redis.host, port: redis.port },
			processes,
		};
		return { n8n, queue, logFiles, stop: stopAllStarted };
	} catch (error) {
		await stopAllStarted().catch(() => undefined);
		throw error;
	}
}
