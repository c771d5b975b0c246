/**
 * The status-sweep scenario in simulated time: routeItems and the adaptive limit, as every action node runs them,
 * against a provider that serves at most 10 requests of a client at once, answers each after 50 ms and refuses the
 * 11th with 429 and Retry-After: 1 (as the sandbox's setRateLimit does). Time is virtual, so the throughput figures
 * are exact consequences of the algorithm, not of this machine's speed or load.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { providerConcurrencyFor } from '../../../nodes/shared/adaptiveConcurrency';
import { routeItems, type Operation } from '../../../nodes/shared/router';
import { TEST_NODE } from '../../harness/fakes';

const PROVIDER_LIMIT = 10;
const LATENCY_MS = 50;
const RETRY_AFTER_MS = 1000;
/** What the limit allows: 10 in flight / 50 ms. */
const IDEAL_PER_SECOND = (PROVIDER_LIMIT * 1000) / LATENCY_MS;

/** Lets every pending promise callback run; no timers involved. */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A virtual clock: sleeping registers a wake-up, and `run` jumps from one wake-up to the next. */
class VirtualTime {
	now = 0;
	private wakeUps: Array<{ at: number; order: number; wake: () => void }> = [];
	private order = 0;

	async sleep(ms: number): Promise<void> {
		await new Promise<void>((wake) => this.wakeUps.push({ at: this.now + ms, order: this.order++, wake }));
	}

	async run<T>(work: Promise<T>): Promise<T> {
		let finished = false;
		const result = work.finally(() => (finished = true));
		await settle();
		while (!finished) {
			this.wakeUps.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = this.wakeUps.shift();
			if (!next) throw new Error('nothing left to wake, but the work has not finished');
			this.now = next.at;
			next.wake();
			await settle();
		}
		return await result;
	}
}

/** One sweep of `itemCount` status reads at the default read concurrency; `clientMs` is our side of each request. */
async function sweep(itemCount: number, clientMs = 0) {
	const time = new VirtualTime();
	let providerInFlight = 0;
	let refused = 0;
	let peakInFlight = 0;
	const ctx = {
		getInputData: () => Array.from({ length: itemCount }, () => ({ json: {} })),
		getNode: () => TEST_NODE,
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
	const operation: Operation = {
		kind: 'read',
		async execute(this: IExecuteFunctions) {
			const limiter = providerConcurrencyFor(this, 'providerApi');
			if (!limiter) throw new Error('routeItems set up no limiter');
			for (;;) {
				const slot = await limiter.acquire();
				const admitted = providerInFlight < PROVIDER_LIMIT;
				if (admitted) peakInFlight = Math.max(peakInFlight, ++providerInFlight);
				else refused++;
				await time.sleep(LATENCY_MS);
				if (admitted) providerInFlight--;
				await time.sleep(clientMs);
				slot.release(admitted ? 'answered' : 'refused');
				if (admitted) return { json: {} };
				await time.sleep(RETRY_AFTER_MS);
			}
		},
	};
	const output = await time.run(routeItems.call(ctx, operation));
	const perSecond = itemCount / (time.now / 1000);
	return { items: output[0].length, refused, peakInFlight, shareOfIdeal: perSecond / IDEAL_PER_SECOND };
}

describe('a status sweep against a provider limit of 10 in flight, 50 ms latency, Retry-After: 1', () => {
	it('reaches over 90 % of what the limit allows over 1000 items, with a handful of refusals', async () => {
		const result = await sweep(1000);

		expect(result.items).toBe(1000);
		expect(result.peakInFlight).toBe(PROVIDER_LIMIT);
		expect(result.refused).toBeLessThanOrEqual(5);
		expect(result.shareOfIdeal).toBeGreaterThan(0.9);
	});

	it('still reaches over 85 % when our side of every request takes 5 ms', async () => {
		const result = await sweep(1000, 5);

		expect(result.items).toBe(1000);
		expect(result.shareOfIdeal).toBeGreaterThan(0.85);
	});

	it('over 100 items loses most of the time to the one Retry-After its first refusal costs', async () => {
		const result = await sweep(100);

		expect(result.items).toBe(100);
		expect(result.refused).toBeGreaterThan(0);
		// About 0.6 s of work, then the refused items' second attempt a second after the refusal.
		expect(result.shareOfIdeal).toBeLessThan(0.5);
	});
});
