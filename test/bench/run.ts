/**
 * Speed and memory targets. Every figure is printed with its target; the run exits non-zero when one is missed.
 * Timed figures depend on the machine, so they live here and not in the deterministic test suite.
 *
 * In the benchmark process, through the same n8n-core harness as the tests:
 *   idnow-video              a 1 GiB /crypt IDnow video through Get Video, beside a plain download of the same bytes
 *   eeid-get                 500 eeID Get items, 2 ms sandbox latency
 *   eeid-proof               memory held while a 48 MB proof PDF streams into the binary store
 * In fresh Node processes:
 *   package-cost             time to require every node and credential of dist/, beside n8n-workflow alone; its size
 * In real n8n (one instance, started on first use and shared: test/bench/n8n-instance.ts):
 *   n8n-eeid-status-sweep    status of N eeID requests: eeID node beside the HTTP Request node (defaults, batching, loop)
 *   n8n-eeid-webhook-burst   N signed eeID deliveries and N/10 forged ones: eeID Trigger beside n8n's Webhook node
 *   n8n-eeid-queue-scaling   the same burst into n8n in queue mode (2 webhook processes, 2 workers) beside the one process
 *
 *   npm run bench                          every benchmark
 *   npm run bench -- --only idnow          only those whose name contains the text (case-insensitive)
 *   npm run bench -- --only n8n            only the ones in real n8n
 *   npm run bench -- --sizes 10,100        the N of the real-n8n benchmarks (default 10,100,1000)
 *   npm run bench -- --only n8n --n8n-env N8N_EXPRESSION_ENGINE=legacy   n8n with a setting other than its default
 *   IDNOW_BENCH_VIDEO_MB=256 npm run bench -- --only idnow   a smaller video (default 1024 MiB)
 */
import { InstanceSettingsConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { EeIdApi } from '../../credentials/EeIdApi.credentials';
import { IdnowApi } from '../../credentials/IdnowApi.credentials';
import { EeId } from '../../nodes/EeId/EeId.node';
import { Idnow } from '../../nodes/Idnow/Idnow.node';
import { CredentialStore, runExecute, storedBinaryFiles } from '../harness';
import { EEID_TEST_CLIENT, EeIdSimulator } from '../sandbox/eeid';
import { IDNOW_API_PREFIX, IDNOW_TEST_ACCOUNT, IDNOW_TEST_AES_KEY } from '../sandbox/idnow/types';
import type { IdnowVideoInfo } from '../sandbox/idnow/simulator';
import type { SandboxCall, SandboxMethod, SandboxReply } from './idnow-sandbox-process';
import { startBenchN8n, type BenchN8n } from './n8n-instance';
import { removeBenchPackage } from './package-build';
import { packageCost } from './package-cost';
import { benchSizes, met, targetText, type Result } from './result';
import { statusSweep } from './status-sweep';
import { queueScaling } from './queue-scaling';
import { webhookBurst } from './webhook-burst';

const MB = 1024 * 1024;

async function withEeId<T>(options: ConstructorParameters<typeof EeIdSimulator>[0], use: (sandbox: EeIdSimulator, credentials: CredentialStore) => Promise<T>): Promise<T> {
	const sandbox = new EeIdSimulator(options);
	const baseUrl = await sandbox.start();
	const credentials = new CredentialStore([
		{ type: new EeIdApi(), data: { clientId: EEID_TEST_CLIENT.clientId, clientSecret: EEID_TEST_CLIENT.clientSecret, baseUrl } },
	]);
	try {
		return await use(sandbox, credentials);
	} finally {
		await sandbox.stop();
	}
}

/** 500 Get items with the default read concurrency, 2 ms sandbox latency: items per second. */
async function getThroughput(): Promise<Result> {
	return await withEeId({}, async (sandbox, credentials) => {
		sandbox.setLatency(2);
		const { id } = sandbox.createRequestDirect({ claims_required: [{ type: 'country', value: 'EE' }] });
		const items = Array.from({ length: 500 }, () => ({ json: { id } }));
		const started = performance.now();
		await runExecute(new EeId(), {
			parameters: { resource: 'identificationRequest', operation: 'get', requestId: '={{ $json.id }}' },
			credentials,
			items,
		});
		const seconds = (performance.now() - started) / 1000;
		return { name: 'eeID Get, 500 items (2 ms latency)', value: Math.round(500 / seconds), unit: 'items/s', target: 200, higherIsBetter: true };
	});
}

/**
 * A 48 MB proof PDF streamed into n8n's filesystem binary store: the most memory held meanwhile (sandbox and
 * client share the process, so this includes the sandbox's own socket buffers).
 */
async function proofMemory(): Promise<Result> {
	return await withEeId({ proofPaddingBytes: 48 * MB }, async (sandbox, credentials) => {
		const { id } = sandbox.createRequestDirect({ claims_required: [{ type: 'country', value: 'EE' }] });
		await sandbox.completeRequest(id);
		global.gc?.();
		const before = process.memoryUsage();
		let peak = 0;
		// Collected before each sample, so the figure is memory still held, not garbage awaiting collection.
		const sampler = setInterval(() => {
			global.gc?.();
			const now = process.memoryUsage();
			peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
		}, 5);
		try {
			const result = await runExecute(new EeId(), {
				parameters: { resource: 'identificationRequest', operation: 'getProofOfIdentity', requestId: id, binaryPropertyName: 'data' },
				credentials,
			});
			const size = result.output[0][0].json.fileSize;
			if (Number(size) < 48 * MB) throw new Error(`proof arrived with ${size} bytes`);
		} finally {
			clearInterval(sampler);
		}
		return { name: 'eeID proof PDF of 48 MB (the cap is 50 MB): live heap + buffers held', value: Math.round(peak / MB), unit: 'MB', target: 16, higherIsBetter: false };
	});
}

// ---------------------------------------------------------------------------------------------------------------
// IDnow: a 1 GiB /crypt video through Get Video, against a plain download of the same bytes
// ---------------------------------------------------------------------------------------------------------------

const VIDEO_BYTES = Number(process.env.IDNOW_BENCH_VIDEO_MB ?? 1024) * MB;
/** Each way is timed this often, alternating which goes first; the best run of each counts. */
const VIDEO_ROUNDS = 4;
const RSS_SAMPLE_MS = 5;

/** The IDnow sandbox in its own process (./idnow-sandbox-process.ts), called over IPC. */
interface SandboxProcess {
	baseUrl: string;
	call<T = unknown>(method: SandboxMethod, ...args: unknown[]): Promise<T>;
	stop(): Promise<void>;
}

async function startIdnowProcess(): Promise<SandboxProcess> {
	const child: ChildProcess = fork(join(__dirname, 'idnow-sandbox-process.ts'), [], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	let nextId = 0;
	const baseUrl = await new Promise<string>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`the IDnow sandbox process exited (code ${code}) before it was ready`)));
		child.on('message', (message: SandboxReply) => {
			if ('ready' in message) resolve(message.ready);
			else if ('error' in message) pending.get(message.id)?.reject(new Error(`IDnow sandbox: ${message.error}`));
			else pending.get(message.id)?.resolve(message.result);
			if ('id' in message) pending.delete(message.id);
		});
	});
	child.removeAllListeners('exit');
	return {
		baseUrl,
		call: <T>(method: SandboxMethod, ...args: unknown[]) =>
			new Promise<T>((resolve, reject) => {
				const id = ++nextId;
				pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
				child.send({ id, method, args } satisfies SandboxCall);
			}),
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.disconnect();
			}),
	};
}

interface Timed {
	seconds: number;
	bytes: number;
	/** Largest resident set size seen above the one just before the run. */
	peakRssGrowth: number;
	/** At that moment: growth of V8's heap (reserved) and of the memory outside it (Buffers, native). */
	atPeak: { heapTotal: number; outside: number };
}

/**
 * Runs `action` while sampling the process's RSS. No forced collection first: after global.gc() V8 collects so
 * eagerly that the next streams run 2-3 times slower (measured), which n8n, never forcing one, does not see.
 */
async function timedWithRss(action: () => Promise<number>): Promise<Timed> {
	const before = process.memoryUsage();
	let peak = { rss: before.rss, heapTotal: before.heapTotal };
	// rss() alone is cheap; the heap figures only when a new peak is seen.
	const sample = () => {
		const rss = process.memoryUsage.rss();
		if (rss > peak.rss) peak = { rss, heapTotal: process.memoryUsage().heapTotal };
	};
	const sampler = setInterval(sample, RSS_SAMPLE_MS);
	const started = performance.now();
	try {
		const bytes = await action();
		const seconds = (performance.now() - started) / 1000;
		sample();
		const heapTotal = peak.heapTotal - before.heapTotal;
		return { seconds, bytes, peakRssGrowth: peak.rss - before.rss, atPeak: { heapTotal, outside: peak.rss - before.rss - heapTotal } };
	} finally {
		clearInterval(sampler);
	}
}

/**
 * The most memory `action` holds: JS heap plus Buffers after a full collection (as the eeID proof benchmark measures),
 * so garbage awaiting collection does not count. V8 frees Buffers' memory by a sweeper after the collection, so a
 * sample above 1 MiB is taken again after a second collection a moment later. Four samples a second (a collection
 * of n8n's heap takes tens of milliseconds: sampled often, the download would mostly wait); not timed.
 */
async function liveMemoryPeak(action: () => Promise<unknown>): Promise<number> {
	const used = () => {
		global.gc?.();
		const now = process.memoryUsage();
		return now.heapUsed + now.arrayBuffers;
	};
	const settled = async () => {
		used();
		await new Promise((resolve) => setImmediate(resolve));
		return used();
	};
	const before = await settled();
	let peak = 0;
	let sampling = false;
	const sample = async () => {
		if (sampling) return;
		sampling = true;
		let growth = used() - before;
		if (growth > MB) growth = (await settled()) - before;
		peak = Math.max(peak, growth);
		sampling = false;
	};
	const sampler = setInterval(() => void sample(), 250);
	try {
		await action();
	} finally {
		clearInterval(sampler);
	}
	return peak;
}

/** The plain download: getVideoFileBinary without /crypt, node:http straight into a file (no checks, no decryption). */
async function plainDownload(url: string, file: string): Promise<number> {
	const basic = Buffer.from(`${IDNOW_TEST_ACCOUNT.user}:${IDNOW_TEST_ACCOUNT.password}`).toString('base64');
	const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
		httpGet(url, { headers: { authorization: `Basic ${basic}` } }, resolve).on('error', reject);
	});
	if (response.statusCode !== 200) throw new Error(`the plain download answered ${response.statusCode}`);
	await pipeline(response, createWriteStream(file));
	return statSync(file).size;
}

async function sha256Of(stream: AsyncIterable<unknown>): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** Removes what Get Video stored, so that the rounds do not fill the disk. */
async function emptyBinaryStore(): Promise<void> {
	for (const file of await storedBinaryFiles()) rmSync(file, { force: true });
}

function mibPerSecond(run: Timed): number {
	return run.bytes / MB / run.seconds;
}

function describeRun(what: string, run: Timed): string {
	return `${what}: ${run.bytes} bytes in ${run.seconds.toFixed(2)} s = ${Math.round(mibPerSecond(run))} MiB/s, peak RSS growth ${(run.peakRssGrowth / MB).toFixed(1)} MiB (V8 heap ${(run.atPeak.heapTotal / MB).toFixed(1)}, outside it ${(run.atPeak.outside / MB).toFixed(1)})`;
}

/**
 * A provisioned video of VIDEO_BYTES through the IDnow node's Get Video with the credential's AES key: fetched
 * through /crypt, decrypted as it streams and written into n8n's filesystem binary store. Against it, in the same
 * run and from the same loopback server, the same video fetched plainly into a file. Reports Get Video's throughput
 * as a share of the plain one, and the process's peak RSS growth during Get Video.
 */
async function idnowVideo(): Promise<Result[]> {
	const sandbox = await startIdnowProcess();
	const apiBaseUrl = `${sandbox.baseUrl}${IDNOW_API_PREFIX}`;
	const credentials = new CredentialStore([
		{
			type: new IdnowApi(),
			data: { user: IDNOW_TEST_ACCOUNT.user, password: IDNOW_TEST_ACCOUNT.password, baseUrl: apiBaseUrl, aesSecretKey: IDNOW_TEST_AES_KEY },
		},
	]);
	const plainDir = mkdtempSync(join(tmpdir(), 'idnow-bench-plain-'));
	// Interrupted, the finally blocks do not run: leave no gigabyte behind.
	const interrupted = () => {
		rmSync(plainDir, { recursive: true, force: true });
		removeHarnessFolder();
		process.exit(130);
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	const getVideo = (orderId: string) =>
		runExecute(new Idnow(), {
			parameters: { resource: 'recording', operation: 'getVideo', orderId, options: { videoReady: true } },
			credentials,
		});
	try {
		const finishedOrder = async (ref: string) => {
			const { OrderID } = await sandbox.call<{ OrderID: string }>('createOrderDirect', { Product: 12, Ref: ref });
			await sandbox.call('completeOrder', String(OrderID), 'positive', { immediate: true });
			return String(OrderID);
		};
		// Warm-up: the whole path once (node, credential, /crypt, decipher, store) with the 64 KiB placeholder.
		const warmUp = await getVideo(await finishedOrder('bench-warm-up'));
		if (warmUp.output[0][0].json.decrypted !== true) throw new Error('the warm-up did not go through /crypt');
		await emptyBinaryStore();

		await sandbox.call('configureAccount', IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: VIDEO_BYTES });
		const orderId = await finishedOrder('bench-video');
		// Any URL that answers 200 acknowledges the callback: the sandbox's own control page.
		await runExecute(new Idnow(), {
			parameters: { resource: 'recording', operation: 'requestVideoProvisioning', orderId, callbackTarget: 'custom', callbackUrl: `${sandbox.baseUrl}/__sandbox` },
			credentials,
		});
		const { videoProvisioningDelayMs } = await sandbox.call<{ videoProvisioningDelayMs: number }>('configureAccount', IDNOW_TEST_ACCOUNT.user, {});
		await sandbox.call('advanceClock', videoProvisioningDelayMs);
		const info = await sandbox.call<IdnowVideoInfo>('videoInfo', orderId);
		if (!info.provisioned || info.length !== VIDEO_BYTES) throw new Error(`the sandbox's video is not ready: ${JSON.stringify(info)}`);

		const nodeRuns: Timed[] = [];
		const plainRuns: Timed[] = [];
		// Both ways are treated alike: each file is read back for its sha256 and then deleted, and the one that
		// goes first alternates (a file lingering on disk while the next one is written slows that one down).
		const nodeRun = async () => {
			let stored: IBinaryData | undefined;
			nodeRuns.push(
				await timedWithRss(async () => {
					const result = await getVideo(orderId);
					stored = result.output[0][0].binary!.data;
					return Number(result.output[0][0].json.bytes);
				}),
			);
			if (!stored?.id?.startsWith('filesystem')) throw new Error(`Get Video did not store into the filesystem binary store (${stored?.id})`);
			const digest = await sha256Of(await Container.get(BinaryDataService).getAsStream(stored.id));
			if (digest !== info.sha256) throw new Error(`the stored video's sha256 ${digest} is not the sandbox's ${info.sha256}`);
			await emptyBinaryStore();
		};
		const plainRun = async () => {
			const file = join(plainDir, `${orderId}.mp4`);
			plainRuns.push(await timedWithRss(async () => await plainDownload(`${apiBaseUrl}/getVideoFileBinary/${orderId}`, file)));
			const digest = await sha256Of(createReadStream(file));
			if (digest !== info.sha256) throw new Error(`the plainly downloaded video's sha256 ${digest} is not the sandbox's ${info.sha256}`);
			rmSync(file, { force: true });
		};
		for (let round = 0; round < VIDEO_ROUNDS; round++) {
			for (const run of round % 2 === 0 ? [nodeRun, plainRun] : [plainRun, nodeRun]) await run();
		}
		// Once more, for what Get Video really holds (RSS also counts Buffers already freed but not yet collected).
		const held = await liveMemoryPeak(async () => await getVideo(orderId));
		await emptyBinaryStore();
		for (const run of [...nodeRuns, ...plainRuns]) {
			if (run.bytes !== VIDEO_BYTES) throw new Error(`a download ended with ${run.bytes} of ${VIDEO_BYTES} bytes`);
		}

		const best = (runs: Timed[]) => runs.reduce((a, b) => (mibPerSecond(b) > mibPerSecond(a) ? b : a));
		const bestNode = best(nodeRuns);
		const bestPlain = best(plainRuns);
		const share = (100 * mibPerSecond(bestNode)) / mibPerSecond(bestPlain);
		const peakRss = Math.max(...nodeRuns.map((run) => run.peakRssGrowth));
		const size = `${VIDEO_BYTES / MB} MiB`;
		return [
			{
				name: `IDnow Get Video, ${size} through /crypt into the filesystem binary store: throughput as a share of a plain download`,
				value: Math.round(share),
				unit: '%',
				target: 50,
				higherIsBetter: true,
				details: [
					...nodeRuns.map((run, index) => describeRun(`Get Video, round ${index + 1}`, run)),
					...plainRuns.map((run, index) => describeRun(`plain download (no /crypt, node:http into a file), round ${index + 1}`, run)),
					`best: Get Video ${Math.round(mibPerSecond(bestNode))} MiB/s, plain ${Math.round(mibPerSecond(bestPlain))} MiB/s; every file's sha256 equal to the sandbox's`,
				],
			},
			{
				name: `IDnow Get Video, ${size}: peak RSS growth of the process (sandbox in its own process)`,
				value: Math.round((peakRss / MB) * 10) / 10,
				unit: 'MiB',
				target: 64,
				higherIsBetter: false,
				details: [
					`plain download's peak RSS growth: ${(Math.max(...plainRuns.map((run) => run.peakRssGrowth)) / MB).toFixed(1)} MiB`,
					`live memory Get Video held (JS heap + Buffers, sampled after full collections, one more run): ${(held / MB).toFixed(1)} MiB`,
				],
			},
		];
	} finally {
		process.removeListener('SIGINT', interrupted);
		process.removeListener('SIGTERM', interrupted);
		rmSync(plainDir, { recursive: true, force: true });
		await emptyBinaryStore();
		await sandbox.stop();
	}
}

/** The harness's temporary n8n user folder (binary data included): jest removes it after a test file, this does it here. */
function removeHarnessFolder(): void {
	const folder = Container.get(InstanceSettingsConfig).userHome;
	if (folder && basename(folder).startsWith('n8n-harness-') && folder.startsWith(tmpdir())) rmSync(folder, { recursive: true, force: true });
}

function log(line: string): void {
	console.log(line);
}

/** What a benchmark is given: the command line's sizes, and the shared real n8n, started on first use. */
interface BenchContext {
	sizes: number[];
	/** `--n8n-env KEY=VALUE` (repeatable): extra environment for the shared n8n, for checks beside its defaults. */
	n8nEnv: Record<string, string>;
	n8n(): Promise<BenchN8n>;
}

/**
 * In this order: the timed streaming runs come before anything that forces collections (the proof benchmark does
 * every 5 ms), which leaves V8 collecting eagerly for the rest of the process and slows streaming 2-3 times. The
 * package cost runs before n8n starts; the real-n8n ones share one instance, stopped before the in-process eeID ones.
 */
const BENCHMARKS: Array<{ name: string; n8n?: true; run(context: BenchContext): Promise<Result | Result[]> }> = [
	{ name: 'idnow-video', run: idnowVideo },
	{ name: 'package-cost', run: () => packageCost(log) },
	{ name: 'n8n-eeid-status-sweep', n8n: true, run: async (context) => statusSweep(await context.n8n(), context.sizes, log) },
	{ name: 'n8n-eeid-webhook-burst', n8n: true, run: async (context) => webhookBurst(await context.n8n(), context.sizes, log) },
	{ name: 'n8n-eeid-queue-scaling', n8n: true, run: async (context) => queueScaling(await context.n8n(), context.sizes, log) },
	{ name: 'eeid-get', run: getThroughput },
	{ name: 'eeid-proof', run: proofMemory },
];

/** The code measured: the commit, and any uncommitted change to what the build packages (the working tree is built). */
function codeState(): string {
	try {
		const git = (...args: string[]) => execFileSync('git', args, { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
		const changed = git('status', '--porcelain', '--', 'nodes', 'credentials', 'package.json', 'tsup.config.ts')
			.split('\n')
			.filter(Boolean)
			.map((line) => line.slice(3));
		return `commit ${git('rev-parse', '--short', 'HEAD').trim()}${changed.length ? ` + uncommitted changes to ${changed.join(', ')}` : ', no uncommitted change to the package'}`;
	} catch {
		return 'not a git checkout';
	}
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const only = args.includes('--only') ? String(args[args.indexOf('--only') + 1]).toLowerCase() : undefined;
	const sizes = benchSizes(args);
	const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
	console.log(`${new Date().toISOString()}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, load average ${load()}`);
	console.log(`code measured: ${codeState()}`);
	const results: Result[] = [];
	let n8n: Promise<BenchN8n> | undefined;
	const stopN8n = async () => {
		const running = n8n;
		n8n = undefined;
		if (running) await (await running.catch(() => undefined))?.stop();
	};
	const n8nEnv = Object.fromEntries(
		args
			.flatMap((arg, i) => (arg === '--n8n-env' ? [String(args[i + 1] ?? '')] : []))
			.map((pair) => {
				const at = pair.indexOf('=');
				if (at < 1) throw new Error(`--n8n-env needs KEY=VALUE, got "${pair}"`);
				return [pair.slice(0, at), pair.slice(at + 1)];
			}),
	);
	if (Object.keys(n8nEnv).length) console.log(`n8n runs with extra environment (not its defaults): ${JSON.stringify(n8nEnv)}`);
	const context: BenchContext = { sizes, n8nEnv, n8n: () => (n8n ??= startBenchN8n(log, { env: n8nEnv })) };
	const interrupted = () => {
		void stopN8n().finally(() => {
			removeHarnessFolder();
			removeBenchPackage();
			process.exit(130);
		});
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	try {
		for (const benchmark of BENCHMARKS) {
			if (only && !benchmark.name.includes(only)) continue;
			if (!benchmark.n8n) await stopN8n();
			console.log(`— ${benchmark.name} (load average ${load()})`);
			results.push(...[await benchmark.run(context)].flat());
		}
	} finally {
		await stopN8n();
		process.removeListener('SIGINT', interrupted);
		process.removeListener('SIGTERM', interrupted);
		removeHarnessFolder();
		removeBenchPackage();
	}
	for (const result of results) {
		console.log(`${met(result) ? 'ok  ' : 'MISS'} ${result.name}: ${result.value} ${result.unit} (${targetText(result)})`);
		for (const detail of result.details ?? []) console.log(`       ${detail}`);
	}
	const missed = results.filter((result) => !met(result)).length;
	console.log(`load average at the end: ${load()} (other work on the machine lowers the timed figures)`);
	console.log(`${results.length - missed} passed, ${missed} failed`);
	process.exitCode = missed ? 1 : 0;
}

void main();
