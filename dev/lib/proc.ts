/**
 * Child processes of the harness. Every child is started in its own process group and remembered, so that
 * stopping (Ctrl-C, an error, the end of the suite) ends exactly the processes this run started, their own
 * children (n8n's task runners, npm's scripts) included, and nothing else.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'fs';
import { createServer } from 'net';

const running = new Set<ChildProcess>();

// Last resort when this process exits without stopping its children (an uncaught error): end their groups.
process.on('exit', () => {
	for (const child of running) {
		try {
			if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
	}
});

export interface RunOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Output goes to this file (appended) instead of being kept in memory. */
	logFile?: string;
	/** Run as this user and group (when this process is root: PostgreSQL refuses to run as root). */
	uid?: number;
	gid?: number;
}

/** Starts a command in its own process group; it is stopped by {@link stopAll}. */
export function start(command: string, args: string[], options: RunOptions): ChildProcess {
	// With a log file the child writes to it directly (not through this process), so that it never blocks on or
	// dies of a closed pipe when this process is gone.
	const logFd = options.logFile ? openSync(options.logFile, 'a') : undefined;
	const spawnOptions: SpawnOptions = {
		cwd: options.cwd,
		env: options.env ?? process.env,
		detached: true,
		stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
		...(options.uid !== undefined && { uid: options.uid }),
		...(options.gid !== undefined && { gid: options.gid }),
	};
	const child = spawn(command, args, spawnOptions);
	if (logFd !== undefined) closeSync(logFd);
	running.add(child);
	child.on('exit', () => running.delete(child));
	return child;
}

/** Runs a command to completion; rejects with the end of its output when it fails. */
export function run(command: string, args: string[], options: RunOptions): Promise<void> {
	return new Promise((resolvePromise, reject) => {
		const child = start(command, args, options);
		let tail = '';
		const keep = (chunk: Buffer) => {
			tail = (tail + chunk.toString()).slice(-8000);
		};
		if (!options.logFile) {
			child.stdout!.on('data', keep);
			child.stderr!.on('data', keep);
		}
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) return resolvePromise();
			const output = options.logFile ? tailOf(options.logFile) : tail;
			reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${output}`));
		});
	});
}

export function tailOf(file: string, lines = 40): string {
	if (!existsSync(file)) return '';
	return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function alive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Stops one child's whole process group: `signal` (SIGTERM unless said otherwise, e.g. SIGINT for PostgreSQL's fast
 * shutdown), then SIGKILL after `graceMs`.
 */
export async function stop(child: ChildProcess, graceMs = 20_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	const pid = child.pid;
	if (pid === undefined) return;
	if (child.exitCode === null && child.signalCode === null) {
		try {
			process.kill(-pid, signal);
		} catch {
			/* already gone */
		}
	}
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
	if (alive(pid)) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* gone meanwhile */
		}
	}
	running.delete(child);
}

export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((child) => stop(child)));
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
	return new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Whether something already listens on this port (so we do not start a second n8n on top of it). */
export function portInUse(port: number): Promise<boolean> {
	return new Promise((resolvePromise) => {
		const server = createServer();
		server.once('error', () => resolvePromise(true));
		server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(false)));
	});
}
