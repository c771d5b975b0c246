/**
 * A 64 MB /crypt video through Get Video: decrypted as it streams into n8n's filesystem binary store, so the test
 * process never holds it. Memory (JS heap plus Buffers) is sampled while it runs and must never grow by half the
 * file; the stored bytes must be the sandbox's.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { IDNOW_TEST_ACCOUNT } from '../../sandbox/idnow';
import { finishedOrder, firstJson, runner, storedSha256, useIdnow } from './fixture';

const VIDEO_BYTES = 64 * 1024 * 1024;
/** Loose on purpose: buffers in flight take some; holding the video would take all of it. */
const ALLOWED_GROWTH_BYTES = VIDEO_BYTES / 2;
const SAMPLE_EVERY_MS = 20;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function usedBytes(): number {
	const { heapUsed, arrayBuffers } = process.memoryUsage();
	return heapUsed + arrayBuffers;
}

/**
 * Memory in use after a full collection. V8 frees the Buffers' backing stores by a sweeper after the collection, so a
 * second collection a moment later is what shows garbage gone.
 */
async function liveBytes(): Promise<number> {
	collectGarbage();
	await new Promise((resolve) => setImmediate(resolve));
	collectGarbage();
	return usedBytes();
}

/**
 * Runs `action` while sampling memory; resolves with its result and the largest growth of live memory seen. A sample
 * over the limit is taken again after collections (only that tells garbage from data held), so the costly
 * collections run only when needed.
 */
async function withPeakGrowth<T>(action: () => Promise<T>, limit: number): Promise<{ result: T; peakGrowth: number }> {
	const baseline = await liveBytes();
	let peakGrowth = 0;
	let collecting = false;
	const sample = async () => {
		if (collecting) return;
		let growth = usedBytes() - baseline;
		if (growth >= limit) {
			collecting = true;
			growth = (await liveBytes()) - baseline;
			collecting = false;
		}
		peakGrowth = Math.max(peakGrowth, growth);
		// Over the limit once is enough to fail; collecting on every sample from then on would only slow the test.
		if (peakGrowth >= limit) clearInterval(sampler);
	};
	const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
	try {
		const result = await action();
		await sample();
		return { result, peakGrowth };
	} finally {
		clearInterval(sampler);
	}
}

const fixture = useIdnow();
const run = runner(fixture);

it('streams a 64 MB /crypt video into binary data without holding it: sha256 equal, memory flat', async () => {
	fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: VIDEO_BYTES, videoProvisioningDelayMs: 0 });
	const orderId = await finishedOrder(fixture);
	await run('recording', 'requestVideoProvisioning', { orderId, callbackTarget: 'custom', callbackUrl: 'http://127.0.0.1:9/ready' });
	await fixture.idnow.settle();
	const info = await fixture.idnow.videoInfo(orderId);
	expect(info).toMatchObject({ provisioned: true, length: VIDEO_BYTES });

	const { result, peakGrowth } = await withPeakGrowth(
		async () => await run('recording', 'getVideo', { orderId, options: { videoReady: true } }, { credentials: fixture.crypt }),
		ALLOWED_GROWTH_BYTES,
	);

	const binary = result.output[0][0].binary!.data;
	expect(firstJson(result.output)).toMatchObject({ decrypted: true, bytes: VIDEO_BYTES, mimeType: 'video/mp4' });
	expect(binary.id).toEqual(expect.stringMatching(/^filesystem/));
	expect(await storedSha256(binary)).toBe(info.sha256);
	expect(peakGrowth).toBeLessThan(ALLOWED_GROWTH_BYTES);
}, 60_000);
