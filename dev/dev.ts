/* eslint-disable no-console */
/**
 * `npm run dev`: this package in real n8n, against every provider sandbox, ready to try in the browser.
 *
 * The first run installs the n8n harness (dev/n8n: its own package.json and lockfile; firstInstallTime in
 * lib/n8nVersions.ts); later runs reuse it, and reuse the n8n user folder (dev/n8n/user: owner, credentials,
 * workflows, executions).
 *
 *   npm run dev                  n8n on http://127.0.0.1:5678, sandboxes on 4010, 4011, …
 *   npm run dev -- --reset       start from an empty n8n user folder
 *   npm run dev -- --n8n 1.123.x another tested n8n release (dev/compat.json; its own harness folder and user folder)
 *   npm run dev -- --queue       n8n in queue mode: PostgreSQL and Redis (fresh every run), a main process, two webhook
 *                                processes and two workers, behind a round-robin proxy on 5678 (lib/queue.ts)
 *   N8N_DEV_PORT=5800 npm run dev            another n8n port (the task-runner broker takes the next one)
 *   SANDBOX_PORT_BASE=4100 npm run dev       other sandbox ports
 *
 * Ctrl-C stops n8n and the sandboxes this command started, and nothing else.
 */
import { join } from 'path';
import { providers } from './providers';
import { bold, cyan, dim, error as logError, formatDuration, info, timings } from './lib/log';
import { n8nArgument, selectRelease } from './lib/n8nVersions';
import { portInUse, stopAll, tailOf } from './lib/proc';
import { bringUp, type RunningStack } from './lib/stack';

const OWNER = { email: 'owner@example.com', password: 'Sandbox-Pass1', firstName: 'Dev', lastName: 'Owner' };

function portFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
	return port;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const release = selectRelease(n8nArgument(args));
	const queue = args.includes('--queue');
	const port = portFrom('N8N_DEV_PORT', 5678);
	const brokerPort = port + 1;
	const sandboxPortBase = portFrom('SANDBOX_PORT_BASE', 4010);
	const started = Date.now();

	// Queue mode: the proxy takes the port; the n8n processes behind it listen on free ports.
	const ports: Array<readonly [string, number]> = queue
		? [['the queue-mode proxy (n8n\'s URL)', port]]
		: [
				['n8n', port],
				['the n8n task-runner broker', brokerPort],
			];
	for (const [what, p] of ports) {
		if (await portInUse(p)) {
			throw new Error(`port ${p} (${what}) is in use — another n8n or \`npm run dev\`? Stop it, or choose another port: N8N_DEV_PORT=5800 npm run dev`);
		}
	}

	let running: RunningStack | undefined;
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		info(`\n${signal}: stopping what \`npm run dev\` started…`);
		await running?.stop();
		await stopAll();
		info('Stopped.');
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('Ctrl-C'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	const inQueue = queue ? ' in queue mode' : '';
	info(bold(`npm run dev: n8n ${release.n8n} (Node ${release.node})${inQueue} with n8n-nodes-identity-verification, against the provider sandboxes`));
	running = await bringUp({
		mode: 'dev',
		release,
		// Queue mode starts from nothing every time (its database is temporary): its own user folders, always fresh.
		userFolder: queue ? join(release.paths.dir, 'user-queue') : release.paths.devUserFolder,
		fresh: queue || args.includes('--reset'),
		port,
		brokerPort,
		sandboxPortBase,
		owner: OWNER,
		replaceWorkflows: false,
		executionsMode: queue ? 'queue' : 'regular',
	});
	const { stack } = running;

	const line = '─'.repeat(78);
	info(`\n${line}`);
	info(`${bold('n8n is running:')}  ${cyan(stack.n8n.url)}   ${dim(`(ready in ${formatDuration(Date.now() - started)})`)}`);
	info(`${bold('Log in:')}          ${OWNER.email}  /  ${OWNER.password}`);
	info(`${bold('Sandboxes:')}       ${[...stack.sandboxes.values()].map((s) => `${s.provider} ${s.baseUrl}`).join(', ')}`);
	if (stack.queue) {
		info(`${bold('Queue mode:')}      ${stack.n8n.url} is a proxy: /webhook, /webhook-waiting, /form, /form-waiting go to the webhook processes in turn, the rest to main`);
		for (const p of stack.queue.processes) info(`  ${p.name.padEnd(10)} ${p.url}  ${dim(p.logFile)}`);
		info(`  PostgreSQL 127.0.0.1:${stack.queue.postgres.port} (database ${stack.queue.postgres.database}, user ${stack.queue.postgres.user}), Redis 127.0.0.1:${stack.queue.redis.port}: both removed at Ctrl-C`);
	} else {
		info(`${bold('n8n log:')}         ${stack.n8n.logFile}`);
	}
	info(`\n${bold('Try first')}`);
	for (const provider of providers) {
		if (stack.sandboxes.has(provider.provider)) for (const text of provider.tryFirst(stack)) info(`  ${text}`);
	}
	info(
		`\n${dim(queue ? 'Ctrl-C stops n8n, the proxy, PostgreSQL, Redis and the sandboxes, and removes the database.' : 'Ctrl-C stops n8n and the sandboxes. `npm run dev -- --reset` starts from an empty n8n.')}`,
	);
	info(line);
	if (process.env.DEV_TIMINGS) info(dim(timings.map((t) => `${t.label}: ${formatDuration(t.ms)}`).join('; ')));

	const code = await stack.n8n.exited;
	if (!stopping) {
		logError(`n8n exited on its own (code ${code}). End of its log:\n${tailOf(stack.n8n.logFile)}`);
		await running.stop();
		await stopAll();
		process.exit(1);
	}
}

main().catch(async (err) => {
	logError(err instanceof Error ? err.message : String(err));
	await stopAll();
	process.exit(1);
});
