/* eslint-disable no-console */
/**
 * `npm run test:e2e`: this package in real n8n, against the provider sandboxes, judged through n8n's own REST API
 * and a real browser. Brings up the same stack as `npm run dev` in a fresh user folder on free ports.
 *
 *   npm run test:e2e                      everything, in the default n8n release (first in dev/compat.json)
 *   npm run test:e2e -- --n8n 1.123.x     the same in another tested release (dev/compat.json lists them)
 *   npm run test:e2e -- --grep "Trigger"  only cases whose name contains the text (the stack still comes up)
 *   npm run test:e2e -- --no-browser      skip the browser check
 *   npm run test:e2e -- --keep            leave n8n and the sandboxes up afterwards, until Ctrl-C
 *   npm run test:e2e -- --update-screenshots   also copy the README's screenshots to docs/screenshots
 *
 * The last line printed is `N passed, N failed`; the exit code is non-zero when anything failed.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { simulators } from '../test/sandbox/registry';
import { providers } from './providers';
import type { E2ECase, Stack } from './providers/types';
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
const artifactsDir = artifactsDirFor(release);

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
				const claimed = providers.flatMap((p) => p.workflows.map((w) => w.file));
				assertEqual(files.filter((f) => !claimed.includes(f)), [], 'examples no provider harness imports');
				for (const provider of providers) {
					for (const demo of provider.workflows) {
						const saved = await stack.api.getWorkflow(stack.workflows.get(demo.file)!.id);
						assertEqual(saved.active, demo.activate, `active flag of ${demo.file}`);
						assert(provider.cases.some((c) => c.runs?.includes(demo.file)), `no end-to-end case runs ${demo.file}`);
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

async function runCase(stack: Stack, testCase: E2ECase): Promise<Result> {
	const start = Date.now();
	try {
		await testCase.run(stack);
		return { name: testCase.name, outcome: 'passed', ms: Date.now() - start };
	} catch (error) {
		return { name: testCase.name, outcome: 'failed', ms: Date.now() - start, detail: error instanceof Error ? error.message : String(error) };
	}
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
		console.log(bold(`End-to-end: this package in real n8n ${release.n8n} (Node ${release.node}), against the provider sandboxes`));
		const port = await freePort();
		let brokerPort = await freePort();
		while (brokerPort === port) brokerPort = await freePort();
		const bringUpStart = Date.now();
		try {
			running = await bringUp({
				mode: 'e2e',
				release,
				userFolder: release.paths.e2eUserFolder,
				fresh: true,
				port,
				brokerPort,
				sandboxPortBase: 0,
				owner: OWNER,
				replaceWorkflows: true,
			});
		} catch (error) {
			results.push({ name: 'bring up sandboxes and n8n', outcome: 'failed', ms: Date.now() - bringUpStart, detail: String(error instanceof Error ? error.message : error) });
			report(results[0]);
			return finish(results, started);
		}
		const { stack } = running;
		console.log('');

		const cases = [...genericCases(), ...providers.flatMap((p) => p.cases)];
		for (const testCase of cases) {
			if (grep && !testCase.name.includes(grep)) continue;
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
			const reason = noBrowser ? 'disabled (--no-browser)' : browserUnavailable(release.paths);
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
	for (const file of ['e2e-n8n.log', 'e2e-build.log']) {
		const log = join(release.paths.logsDir, file);
		if (existsSync(log)) copyFileSync(log, join(artifactsDir, file));
	}
}

function finish(results: Result[], started: number): number {
	const passed = results.filter((r) => r.outcome === 'passed').length;
	const failed = results.filter((r) => r.outcome === 'failed').length;
	const skipped = results.filter((r) => r.outcome === 'skipped').length;
	mkdirSync(artifactsDir, { recursive: true });
	writeFileSync(join(artifactsDir, 'e2e-results.json'), JSON.stringify({ n8n: release.n8n, node: release.node, results, timings, totalMs: Date.now() - started }, null, 2));
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
