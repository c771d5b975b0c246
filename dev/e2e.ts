/* eslint-disable no-console */
/**
 * `npm run test:e2e`: this package in real n8n, against the provider sandboxes, judged through n8n's own REST API
 * and a real browser. Brings up the same stack as `npm run dev` in a fresh user folder on free ports.
 *
 *   npm run test:e2e                      everything, in the default n8n release (first in dev/compat.json)
 *   npm run test:e2e -- --n8n 1.123.x     the same in another tested release (dev/compat.json lists them)
 *   npm run test:e2e -- --queue           the same in queue mode: PostgreSQL, Redis, main + 2 webhook processes +
 *                                         2 workers behind a round-robin proxy (lib/queue.ts; n8n 2.x)
 *   npm run test:e2e -- --grep "Trigger"  only cases whose name contains the text (the stack still comes up)
 *   npm run test:e2e -- --no-browser      skip the browser check
 *   npm run test:e2e -- --keep            leave n8n and the sandboxes up afterwards, until Ctrl-C
 *   npm run test:e2e -- --update-screenshots   also copy the README's screenshots to docs/screenshots
 *
 * The last line printed is `N passed, N failed`; the exit code is non-zero when anything failed.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { basename, join, relative } from 'path';
import { simulators } from '../test/sandbox/registry';
import { providers, suites } from './providers';
import type { E2ECase, ExecutionsMode, Stack } from './providers/types';
import { browserUnavailable } from './lib/browser';
import { browserCheck } from './lib/browser-check';
import { assert, assertEqual } from './lib/check';
import { bold, dim, formatDuration, green, red, timings, yellow } from './lib/log';
import { declaredTypes } from './lib/package';
import { n8nArgument, selectRelease, type N8nRelease } from './lib/n8nVersions';
import { artifactsDirFor, e2eLockDir, examplesDir, repoRoot } from './lib/paths';
import { acquireRunLock } from './lib/lock';
import { freePort, stopAll } from './lib/proc';
import { bringUp, type RunningStack } from './lib/stack';
import { productionWebhookUrl } from './lib/workflows';

const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Sandbox-Pass1', firstName: 'End', lastName: 'ToEnd' };

interface Result {
	name: string;
	outcome: 'passed' | 'failed' | 'skipped';
	ms: number;
	detail?: string;
}

const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const noBrowser = args.includes('--no-browser') || process.env.E2E_NO_BROWSER === '1';
/** Keep n8n and the sandboxes up after the cases, until Ctrl-C (to look around after a failure). */
const keep = args.includes('--keep');
const updateScreenshots = args.includes('--update-screenshots');
/** `--queue`: n8n in queue mode (lib/queue.ts) instead of one process. */
const executionsMode: ExecutionsMode = args.includes('--queue') ? 'queue' : 'regular';
/** The n8n release (`--n8n <version>`; default: the first in dev/compat.json). */
const release: N8nRelease = (() => {
	try {
		return selectRelease(n8nArgument(args));
	} catch (error) {
		console.error(error instanceof Error ? error.message : String(error));
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
})();
const artifactsDir = artifactsDirFor(release, executionsMode);
/** Every log file of the run, copied to the artifacts at the end. */
let logFiles: string[] = [];

/** Cases every provider gets from its sandbox entry and the package itself, with no provider code. */
function genericCases(): E2ECase[] {
	const cases: E2ECase[] = [
		{
			name: 'n8n lists every node of the package (GET /types/nodes.json)',
			async run(stack) {
				const declared = declaredTypes().nodes;
				assert(declared.length > 0, 'the package declares no nodes (package.json n8n.nodes)');
				const listed = new Map((await stack.api.nodeTypes()).map((t) => [t.name, t]));
				const missing = declared.filter((node) => !listed.has(node.type)).map((node) => node.type);
				assertEqual(missing, [], 'node types n8n does not list');
				for (const node of declared) assertEqual(listed.get(node.type)!.displayName, node.displayName, `display name of ${node.type}`);
			},
		},
		{
			name: 'n8n lists every credential of the package (GET /types/credentials.json)',
			async run(stack) {
				const declared = declaredTypes().credentials;
				assert(declared.length > 0, 'the package declares no credentials (package.json n8n.credentials)');
				const listed = new Set((await stack.api.credentialTypes()).map((t) => t.name));
				assertEqual(declared.filter((c) => !listed.has(c.name)).map((c) => c.name), [], 'credential types n8n does not list');
			},
		},
		{
			name: 'every demo workflow in examples/ is imported, the webhook-driven ones active, and each is run by a case',
			async run(stack) {
				const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
				const owners = [...providers, ...suites];
				const claimed = owners.flatMap((p) => (p.workflows ?? []).map((w) => w.file));
				assertEqual(files.filter((f) => !claimed.includes(f)), [], 'examples no provider harness or case suite imports');
				for (const owner of owners) {
					const ownerModes = 'modes' in owner ? owner.modes : undefined;
					for (const demo of owner.workflows ?? []) {
						assert(owner.cases.some((c) => c.runs?.includes(demo.file)), `no end-to-end case runs ${demo.file}`);
						// A demo for the other execution mode only (e.g. one that needs queue mode's Redis) is not imported here.
						const modes = demo.modes ?? ownerModes;
						if (modes && !modes.includes(stack.executionsMode)) continue;
						const saved = await stack.api.getWorkflow(stack.workflows.get(demo.file)!.id);
						assertEqual(saved.active, demo.activate, `active flag of ${demo.file}`);
					}
				}
			},
		},
	];
	for (const entry of simulators) {
		cases.push({
			name: `"Test credential" succeeds against the ${entry.provider} sandbox, and fails with a wrong secret`,
			async run(stack) {
				const sandbox = stack.sandboxes.get(entry.provider)!;
				const saved = stack.credentials.get(sandbox.credential.type)!;
				const ok = await stack.api.testCredential({ id: saved.id, ...sandbox.credential });
				assert(ok.status === 'OK', `Test credential with the sandbox settings: ${ok.status}, ${ok.message}`);
				// Every secret-looking field replaced: n8n must report the sandbox's refusal, not success.
				const wrong = Object.fromEntries(
					Object.entries(sandbox.credential.data).map(([key, value]) => [key, /secret|password|key|token/i.test(key) ? `wrong-${String(value)}` : value]),
				);
				const refused = await stack.api.testCredential({ id: saved.id, ...sandbox.credential, data: wrong });
				assertEqual(refused.status, 'Error', 'Test credential with a wrong secret');
			},
		});
	}
	return cases;
}

/**
 * Queue mode's own machinery, checked after every other case (so that the counters cover the whole run): each
 * process answers its readiness check, the proxy spread production webhooks over both webhook processes and sent the
 * rest to main, both workers ran executions (their logs say which), and the main process takes no production webhook.
 */
function queueModeCases(): E2ECase[] {
	return [
		{
			name: 'Queue mode: every process is ready; the proxy sent production webhooks to both webhook processes and the rest to main; both workers ran executions; main takes no production webhook',
			modes: ['queue'],
			async run(stack) {
				const queue = stack.queue!;
				for (const p of queue.processes) {
					const res = await fetch(`${p.url}/healthz/readiness`);
					assertEqual(res.status, 200, `readiness of ${p.name} (${p.command})`);
				}
				const counts = queue.proxy.counts();
				assert(counts.webhook.length === 2 && counts.webhook.every((n) => n > 0), `requests per webhook process: ${counts.webhook.join(', ')}`);
				assert(counts.main > 0, 'no request went to the main process');
				assertEqual(counts.failed, 0, 'requests the proxy could not forward');
				const ran = queue.processes
					.filter((p) => p.command === 'worker')
					.map((p) => ({ name: p.name, executions: (readFileSync(p.logFile, 'utf8').match(/Worker started execution \d+/g) ?? []).length }));
				assert(ran.every((worker) => worker.executions > 0), `executions per worker: ${ran.map((w) => `${w.name} ${w.executions}`).join(', ')}`);
				// A production webhook sent to main directly: N8N_DISABLE_PRODUCTION_MAIN_PROCESS leaves it unrouted there.
				const keep = stack.workflows.get('eeid-keep-verified-identities.json');
				if (keep) {
					const path = new URL(productionWebhookUrl(stack.n8n.url, keep.json, 'eeID Trigger', 'eeid/webhooks/identification_requests')).pathname;
					const res = await fetch(`${queue.mainUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					assertEqual(res.status, 404, `status of POST ${path} on the main process`);
				}
				return `proxy: ${counts.main} requests to main, ${counts.webhook.map((n, i) => `${n} to webhook-${i + 1}`).join(', ')}; executions: ${ran.map((w) => `${w.name} ${w.executions}`).join(', ')}`;
			},
		},
	];
}

async function runCase(stack: Stack, testCase: E2ECase): Promise<Result> {
	const start = Date.now();
	try {
		const observed = await testCase.run(stack);
		return { name: testCase.name, outcome: 'passed', ms: Date.now() - start, ...(typeof observed === 'string' && { detail: observed }) };
	} catch (error) {
		return { name: testCase.name, outcome: 'failed', ms: Date.now() - start, detail: error instanceof Error ? error.message : String(error) };
	}
}

/** Why a case does not run in this execution mode, or undefined when it does. */
function notInThisMode(testCase: E2ECase): string | undefined {
	if (!testCase.modes || testCase.modes.includes(executionsMode)) return undefined;
	const only = `runs in ${testCase.modes.join(' and ')} mode only`;
	return `skipped in ${executionsMode} mode: ${testCase.skipReason ?? only}${testCase.skipReason ? ` (${only})` : ''}`;
}

function report(result: Result): void {
	const mark = result.outcome === 'passed' ? green('✓') : result.outcome === 'failed' ? red('✗') : yellow('-');
	console.log(`${mark} ${result.name} ${dim(`(${formatDuration(result.ms)})`)}`);
	if (result.detail) console.log(`    ${result.outcome === 'failed' ? red(result.detail) : dim(result.detail)}`.replace(/\n/g, '\n    '));
}

async function main(): Promise<number> {
	const started = Date.now();
	const results: Result[] = [];
	let running: RunningStack | undefined;
	const interrupted = () => {
		console.log('\nInterrupted: stopping what this run started.');
		void (running?.stop() ?? Promise.resolve()).finally(() => stopAll().finally(() => process.exit(130)));
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);

	const releaseLock = await acquireRunLock(e2eLockDir);
	try {
		const inQueue = executionsMode === 'queue' ? ' in queue mode (main, 2 webhook processes, 2 workers; PostgreSQL, Redis)' : '';
		console.log(bold(`End-to-end: this package in real n8n ${release.n8n} (Node ${release.node})${inQueue}, against the provider sandboxes`));
		const port = await freePort();
		let brokerPort = await freePort();
		while (brokerPort === port) brokerPort = await freePort();
		const bringUpStart = Date.now();
		try {
			running = await bringUp({
				mode: 'e2e',
				release,
				// Queue mode: one user folder per process below this one (lib/queue.ts), fresh like its database.
				userFolder: executionsMode === 'queue' ? join(release.paths.dir, 'user-e2e-queue') : release.paths.e2eUserFolder,
				fresh: true,
				port,
				brokerPort,
				sandboxPortBase: 0,
				owner: OWNER,
				replaceWorkflows: true,
				executionsMode,
			});
			logFiles = running.logFiles;
		} catch (error) {
			results.push({ name: 'bring up sandboxes and n8n', outcome: 'failed', ms: Date.now() - bringUpStart, detail: String(error instanceof Error ? error.message : error) });
			report(results[0]);
			return finish(results, started);
		}
		const { stack } = running;
		console.log('');

		const cases = [...genericCases(), ...providers.flatMap((p) => p.cases), ...suites.flatMap((s) => s.cases), ...queueModeCases()];
		for (const testCase of cases) {
			if (grep && !testCase.name.includes(grep)) continue;
			const otherMode = notInThisMode(testCase);
			if (otherMode) {
				const result: Result = { name: testCase.name, outcome: 'skipped', ms: 0, detail: otherMode };
				results.push(result);
				report(result);
				continue;
			}
			const lacking = (testCase.needs ?? []).filter((feature) => release.differences.lacks[feature] !== undefined);
			if (lacking.length) {
				const reasons = lacking.map((feature) => release.differences.lacks[feature]).join('; ');
				const result: Result = { name: testCase.name, outcome: 'skipped', ms: 0, detail: `skipped on n8n ${release.n8n}: ${reasons}` };
				results.push(result);
				report(result);
				continue;
			}
			const result = await runCase(stack, testCase);
			results.push(result);
			report(result);
		}

		for (const provider of providers) {
			if (!provider.browser || !stack.sandboxes.has(provider.provider)) continue;
			const name = `Browser: log into the editor, find the ${provider.provider} nodes by searching, place them, open their parameters`;
			if (grep && !name.includes(grep)) continue;
			const reason = noBrowser
				? 'disabled (--no-browser)'
				: executionsMode === 'queue'
					? 'queue mode: the editor is the main process’s, which queue mode does not change (the single-process run checks it)'
					: browserUnavailable(release.paths);
			if (reason) {
				const result: Result = { name, outcome: 'skipped', ms: 0, detail: `skipped: ${reason}` };
				results.push(result);
				report(result);
				continue;
			}
			const start = Date.now();
			try {
				// The README shows the default release's editor: other releases' screenshots stay in test-artifacts.
				const publish = updateScreenshots && release.isDefault;
				const { screenshots, published } = await browserCheck(stack, provider, publish);
				const copied = publish
					? `${published.length} copied to docs/screenshots`
					: updateScreenshots
						? `none copied to docs/screenshots (they show n8n ${release.n8n}; the README shows the default release)`
						: `${published.length} copied to docs/screenshots (--update-screenshots to copy)`;
				const result: Result = { name, outcome: 'passed', ms: Date.now() - start, detail: `${screenshots.length} screenshots in ${relative(repoRoot, join(artifactsDir, 'screenshots'))}, ${copied}` };
				results.push(result);
				report(result);
			} catch (error) {
				const result: Result = { name, outcome: 'failed', ms: Date.now() - start, detail: error instanceof Error ? error.message : String(error) };
				results.push(result);
				report(result);
			}
		}
		if (stack.queue) {
			const counts = stack.queue.proxy.counts();
			proxyCounts = counts;
			console.log(dim(`\nProxy: ${counts.main} requests to main, ${counts.webhook.map((n, i) => `${n} to webhook-${i + 1}`).join(', ')}${counts.failed ? `, ${counts.failed} failed` : ''}`));
		}
		if (keep && running) {
			const { stack } = running;
			console.log(`\n--keep: n8n ${release.n8n} stays up at ${stack.n8n.url} (${OWNER.email} / ${OWNER.password}); Ctrl-C ends the run.`);
			process.removeListener('SIGINT', interrupted);
			process.removeListener('SIGTERM', interrupted);
			await new Promise<void>((resolveWait) => {
				process.once('SIGINT', () => resolveWait());
				process.once('SIGTERM', () => resolveWait());
			});
		}
	} finally {
		process.removeListener('SIGINT', interrupted);
		process.removeListener('SIGTERM', interrupted);
		await running?.stop();
		await stopAll();
		saveArtifacts();
		releaseLock();
	}
	return finish(results, started);
}

function saveArtifacts(): void {
	mkdirSync(artifactsDir, { recursive: true });
	const files = logFiles.length ? logFiles : ['e2e-n8n.log', 'e2e-build.log'].map((file) => join(release.paths.logsDir, file));
	for (const log of files) {
		if (existsSync(log)) copyFileSync(log, join(artifactsDir, basename(log)));
	}
}

/** Queue mode: what the proxy forwarded where, over the whole run (for the results file). */
let proxyCounts: unknown;

function finish(results: Result[], started: number): number {
	const passed = results.filter((r) => r.outcome === 'passed').length;
	const failed = results.filter((r) => r.outcome === 'failed').length;
	const skipped = results.filter((r) => r.outcome === 'skipped').length;
	mkdirSync(artifactsDir, { recursive: true });
	writeFileSync(
		join(artifactsDir, 'e2e-results.json'),
		JSON.stringify({ n8n: release.n8n, node: release.node, executionsMode, results, timings, proxy: proxyCounts, totalMs: Date.now() - started }, null, 2),
	);
	console.log('');
	console.log(dim(`Timings: ${timings.map((t) => `${t.label} ${formatDuration(t.ms)}`).join('; ')}; total ${formatDuration(Date.now() - started)}`));
	if (skipped) console.log(yellow(`${skipped} skipped`));
	console.log(`${passed} passed, ${failed} failed`);
	return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	async (error) => {
		console.error(error);
		await stopAll();
		console.log('0 passed, 1 failed');
		process.exit(1);
	},
);
