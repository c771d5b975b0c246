/**
 * Speed and memory targets, measured against the sandboxes through the same n8n-core harness as the tests.
 * Timed figures depend on the machine, so they live here and not in the deterministic test suite.
 * Prints each figure with its target and exits non-zero when one is missed.
 */
import { EeIdApi } from '../../credentials/EeIdApi.credentials';
import { EeId } from '../../nodes/EeId/EeId.node';
import { CredentialStore, runExecute } from '../harness';
import { EEID_TEST_CLIENT, EeIdSimulator } from '../sandbox/eeid';

interface Result {
	name: string;
	value: number;
	unit: string;
	target: number;
	/** Whether bigger is better. */
	higherIsBetter: boolean;
}

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

function met(result: Result): boolean {
	return result.higherIsBetter ? result.value >= result.target : result.value <= result.target;
}

async function main(): Promise<void> {
	const results = [await getThroughput(), await proofMemory()];
	for (const result of results) {
		const comparison = result.higherIsBetter ? '>=' : '<=';
		console.log(`${met(result) ? 'ok  ' : 'MISS'} ${result.name}: ${result.value} ${result.unit} (target ${comparison} ${result.target})`);
	}
	const missed = results.filter((result) => !met(result)).length;
	console.log(`${results.length - missed} passed, ${missed} failed`);
	process.exitCode = missed ? 1 : 0;
}

void main();
