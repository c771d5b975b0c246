/**
 * The servers n8n's queue mode needs besides n8n: PostgreSQL (its database, shared by every n8n process) and Redis
 * (the Bull job queue and the processes' pub/sub). Both run from this machine's own binaries, started for one run:
 * a fresh PostgreSQL cluster (initdb) and a Redis without persistence, each in a temporary folder, on free ports of
 * 127.0.0.1, in their own process groups (lib/proc.ts). `stop()` ends them and removes the folders; so does a
 * Ctrl-C (the commands' handlers call it), and a crash of this process as a last resort.
 *
 * Nothing is installed here: when a binary is missing, `findQueueServers` says exactly what to install.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { createRequire } from 'module';
import { connect } from 'net';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import type { HarnessPaths } from './n8nVersions';
import { freePort, run, start, stop, tailOf } from './proc';

export const QUEUE_SERVERS_INSTALL = 'apt-get install postgresql redis-server';

export interface QueueServerBinaries {
	/** The folder holding `initdb` and `postgres` (e.g. /usr/lib/postgresql/15/bin). */
	postgresBin: string;
	redisServer: string;
}

function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir && existsSync(join(dir, name))) return join(dir, name);
	}
	return undefined;
}

/**
 * PostgreSQL's server binaries: a PATH folder with both `initdb` and `postgres`, else the newest
 * /usr/lib/postgresql/<version>/bin (Debian keeps them there, off PATH).
 */
function findPostgresBin(): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
	}
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((version) => existsSync(join(root, version, 'bin', 'initdb')) && existsSync(join(root, version, 'bin', 'postgres')))
		.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function findRedisServer(): string | undefined {
	return onPath('redis-server') ?? ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

/** The binaries queue mode needs, or an error saying exactly what to install. */
export function findQueueServers(): QueueServerBinaries {
	const postgresBin = findPostgresBin();
	const redisServer = findRedisServer();
	const missing = [
		...(postgresBin ? [] : ['PostgreSQL (initdb and postgres: not on PATH, not in /usr/lib/postgresql/*/bin)']),
		...(redisServer ? [] : ['Redis (redis-server: not on PATH)']),
	];
	if (missing.length) {
		throw new Error(`queue mode runs n8n on PostgreSQL and Redis, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed. Install them (as root): ${QUEUE_SERVERS_INSTALL}`);
	}
	return { postgresBin: postgresBin!, redisServer: redisServer! };
}

/** A temporary folder removed when this process exits, however it exits (the last resort after `stop()`). */
const temporaryFolders = new Set<string>();
process.on('exit', () => {
	for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(prefix: string): string {
	const folder = mkdtempSync(join(tmpdir(), prefix));
	temporaryFolders.add(folder);
	return folder;
}

function removeFolder(folder: string): void {
	rmSync(folder, { recursive: true, force: true });
	temporaryFolders.delete(folder);
}

/**
 * The account PostgreSQL runs as when this process is root (initdb and postgres refuse root): the `postgres` account
 * the Debian package creates, else `nobody`.
 */
function unprivilegedAccount(): { name: string; uid: number; gid: number } | undefined {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const accounts = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.map((line) => line.split(':'))
		.filter((fields) => fields.length >= 4);
	for (const name of ['postgres', 'nobody']) {
		const fields = accounts.find((candidate) => candidate[0] === name);
		if (fields) return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
	}
	throw new Error('running as root, and neither a "postgres" nor a "nobody" account exists to run PostgreSQL as (it refuses root)');
}

export interface RunningServer {
	host: string;
	port: number;
	logFile: string;
	/** Resolves when the server exits on its own (a crash), with its exit code. */
	exited: Promise<number | null>;
	stop(): Promise<void>;
}

export interface RunningPostgres extends RunningServer {
	database: string;
	user: string;
	/** The account it runs as, when this process is root. */
	runsAs?: string;
}

/** `pg`, from n8n's own dependencies (the harness), so this repository does not need it. */
function pgClient(paths: HarnessPaths): new (config: Record<string, unknown>) => {
	connect(): Promise<void>;
	query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
	end(): Promise<void>;
	on(event: 'error', listener: (error: Error) => void): void;
} {
	return createRequire(join(paths.modules, 'n8n', 'package.json'))('pg').Client;
}

async function until(what: string, logFile: string, timeoutMs: number, exited: () => number | null | undefined, ready: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const code = exited();
		if (code !== undefined) throw new Error(`${what} exited (code ${code}) before it was ready. End of ${logFile}:\n${tailOf(logFile)}`);
		if (await ready()) return;
		if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000}s. End of ${logFile}:\n${tailOf(logFile)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * A fresh PostgreSQL cluster in a temporary folder (initdb: trust authentication for user `n8n`, TCP on 127.0.0.1
 * only, no Unix socket), tuned for a throw-away database (no fsync), with the database `n8n` created.
 */
export async function startPostgres(options: { bin: string; paths: HarnessPaths; logFile: string; timeoutMs?: number }): Promise<RunningPostgres> {
	const { bin, logFile } = options;
	const account = unprivilegedAccount();
	const folder = temporaryFolder('n8n-queue-postgres-');
	if (account) chownSync(folder, account.uid, account.gid);
	const asAccount = account ? { uid: account.uid, gid: account.gid } : {};
	const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
	const data = join(folder, 'data');
	const user = 'n8n';
	try {
		await run(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { cwd: folder, env, logFile, ...asAccount });
	} catch (error) {
		removeFolder(folder);
		throw error;
	}
	const port = await freePort();
	const child = start(
		join(bin, 'postgres'),
		[
			'-D', data,
			'-p', String(port),
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'unix_socket_directories=',
			'-c', 'max_connections=200',
			// A database that lives for one run: durability buys nothing here.
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
		],
		{ cwd: folder, env, logFile, ...asAccount },
	);
	let exitCode: number | null | undefined;
	const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
	void exited.then((code) => (exitCode = code));
	const stopServer = async () => {
		// SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to disconnect).
		await stop(child, 15_000, 'SIGINT');
		removeFolder(folder);
	};
	const Client = pgClient(options.paths);
	const query = async (database: string, sql: string): Promise<boolean> => {
		const client = new Client({ host: '127.0.0.1', port, user, database, connectionTimeoutMillis: 2000 });
		client.on('error', () => undefined);
		try {
			await client.connect();
			await client.query(sql);
			return true;
		} catch {
			return false;
		} finally {
			await client.end().catch(() => undefined);
		}
	};
	try {
		await until('PostgreSQL', logFile, options.timeoutMs ?? 60_000, () => exitCode, () => query('postgres', 'SELECT 1'));
		if (!(await query('postgres', 'CREATE DATABASE n8n'))) throw new Error(`could not create the database "n8n". End of ${logFile}:\n${tailOf(logFile)}`);
	} catch (error) {
		await stopServer();
		throw error;
	}
	return { host: '127.0.0.1', port, database: 'n8n', user, runsAs: account?.name, logFile, exited, stop: stopServer };
}

/** One query on a running PostgreSQL (a fresh connection each time: for a case's occasional look, not for load). */
export async function postgresQuery<T = Record<string, unknown>>(
	paths: HarnessPaths,
	server: { host: string; port: number; user: string; database: string },
	sql: string,
	values: unknown[] = [],
): Promise<T[]> {
	const Client = pgClient(paths);
	const client = new Client({ ...server, connectionTimeoutMillis: 5000 });
	client.on('error', () => undefined);
	await client.connect();
	try {
		return (await client.query(sql, values)).rows as T[];
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** Sends PING, expects +PONG: the server accepts commands. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolvePing) => {
		const socket = connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolvePing(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** A Redis without persistence (`--save '' --appendonly no`) in a temporary folder, on 127.0.0.1. */
export async function startRedis(options: { redisServer: string; logFile: string; timeoutMs?: number }): Promise<RunningServer> {
	const folder = temporaryFolder('n8n-queue-redis-');
	const port = await freePort();
	const child = start(
		options.redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
		{ cwd: folder, env: { PATH: process.env.PATH }, logFile: options.logFile },
	);
	let exitCode: number | null | undefined;
	const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
	void exited.then((code) => (exitCode = code));
	const stopServer = async () => {
		await stop(child, 10_000);
		removeFolder(folder);
	};
	try {
		await until('Redis', options.logFile, options.timeoutMs ?? 30_000, () => exitCode, () => redisPing(port));
	} catch (error) {
		await stopServer();
		throw error;
	}
	return { host: '127.0.0.1', port, logFile: options.logFile, exited, stop: stopServer };
}
