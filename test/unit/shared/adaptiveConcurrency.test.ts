import {
	AdaptiveConcurrency,
	limitProviderConcurrency,
	providerConcurrencyFor,
	type ConcurrencySlot,
	type RequestOutcome,
} from '../../../nodes/shared/adaptiveConcurrency';

/** Lets every pending promise callback run; no timers involved. */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * More requests than the limiter lets through, as when many items are waiting: a round trip answers every request in
 * flight, and the ones waiting take the freed slots. The limiter's own arithmetic decides everything; no clock.
 */
class Backlog {
	private inFlight: ConcurrencySlot[] = [];

	private constructor(readonly limiter: AdaptiveConcurrency) {}

	static async of(limiter: AdaptiveConcurrency, requests = 100_000): Promise<Backlog> {
		const backlog = new Backlog(limiter);
		for (let request = 0; request < requests; request++) void limiter.acquire().then((slot) => backlog.inFlight.push(slot));
		await settle();
		return backlog;
	}

	get inFlightCount(): number {
		return this.inFlight.length;
	}

	/** Answers every request in flight (in the order they went out), or answers the first few with `outcomes`. */
	async roundTrip(outcomes: RequestOutcome[] = []): Promise<void> {
		const answering = this.inFlight.splice(0);
		answering.forEach((slot, index) => slot.release(outcomes[index] ?? 'answered'));
		await settle();
	}

	/** The limit after each of `count` round trips. */
	async limitsOver(count: number): Promise<number[]> {
		const limits: number[] = [];
		for (let trip = 0; trip < count; trip++) {
			await this.roundTrip();
			limits.push(this.limiter.limit);
		}
		return limits;
	}

	/** Round trips until the limit reaches `level`, at most `bound` of them. */
	async roundTripsUntil(level: number, bound: number): Promise<number> {
		for (let trip = 1; trip <= bound; trip++) {
			await this.roundTrip();
			if (this.limiter.limit >= level) return trip;
		}
		throw new Error(`the limit stayed below ${level} for ${bound} round trips`);
	}

	/** Answers the request in flight that was sent first. */
	async answerFirst(outcome: RequestOutcome): Promise<void> {
		this.inFlight.shift()?.release(outcome);
		await settle();
	}

	/** Answers every request in flight but the last one sent, which the provider refuses. */
	async refuseLast(): Promise<void> {
		await this.roundTrip([...Array(this.inFlight.length - 1).fill('answered'), 'refused']);
	}
}

describe('AdaptiveConcurrency', () => {
	it('starts at 5 requests at once, or at the ceiling when that is lower', () => {
		expect(new AdaptiveConcurrency(20).limit).toBe(5);
		expect(new AdaptiveConcurrency(3).limit).toBe(3);
		expect(new AdaptiveConcurrency(1).limit).toBe(1);
	});

	it('refuses a ceiling that is not a whole number of at least 1', () => {
		expect(() => new AdaptiveConcurrency(0)).toThrow('The concurrency ceiling must be a whole number of at least 1, got 0');
		expect(() => new AdaptiveConcurrency(2.5)).toThrow(RangeError);
	});

	it('lets no more requests out than the limit, and the waiting ones out in order as slots free up', async () => {
		const limiter = new AdaptiveConcurrency(2);
		const order: string[] = [];
		const slots = new Map<string, ConcurrencySlot>();
		for (const name of ['a', 'b', 'c', 'd']) {
			void limiter.acquire().then((slot) => {
				order.push(name);
				slots.set(name, slot);
			});
		}
		await settle();
		expect(order).toEqual(['a', 'b']);

		slots.get('b')?.release('inconclusive');
		await settle();
		expect(order).toEqual(['a', 'b', 'c']);
		slots.get('a')?.release('inconclusive');
		await settle();
		expect(order).toEqual(['a', 'b', 'c', 'd']);
	});

	it('grows by about one request per round trip while requests are waiting, up to the ceiling', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(12));

		expect(await backlog.limitsOver(10)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 12, 12]);
		expect(backlog.inFlightCount).toBe(12);
	});

	it('does not grow while fewer requests are wanted than it allows', async () => {
		const limiter = new AdaptiveConcurrency(20);
		for (let request = 0; request < 50; request++) (await limiter.acquire()).release('answered');

		expect(limiter.limit).toBe(5);
	});

	it('neither grows nor shrinks on answers that say nothing about room (dropped connections, 502)', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(20));

		await backlog.roundTrip(Array(5).fill('inconclusive'));

		expect(backlog.limiter.limit).toBe(5);
		expect(backlog.inFlightCount).toBe(5);
	});

	it('shrinks to three quarters of the level the provider refused, and frees the refused slot at once', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(12));
		await backlog.roundTripsUntil(12, 20);
		await backlog.roundTrip();

		await backlog.answerFirst('refused');

		expect(backlog.limiter.limit).toBe(9);
		// The refused request no longer counts (it waits out its Retry-After outside the limit), and no waiting
		// request takes its place while more than the new limit are still in flight.
		expect(backlog.inFlightCount).toBe(11);
	});

	it('shrinks once for a burst of refusals, to three quarters of the lowest refused level', async () => {
		const limiter = new AdaptiveConcurrency(20);
		const slots = [];
		for (let level = 1; level <= 5; level++) slots.push(await limiter.acquire());

		slots[4].release('refused');
		slots[3].release('refused');

		expect(limiter.limit).toBe(3); // 0.75 × 4; once per refusal would give 0.75 × 0.75 × 5, i.e. 2
	});

	it('never goes below one request at once', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(20));

		for (let trip = 0; trip < 5; trip++) await backlog.roundTrip(['refused']);

		expect(backlog.limiter.limit).toBe(1);
		expect(backlog.inFlightCount).toBe(1);
	});

	it('climbs back to just below the refused level, stays there for about 64 round trips, then tries the refused level', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(11));
		await backlog.roundTripsUntil(11, 20);
		await backlog.roundTrip();
		await backlog.refuseLast();
		expect(backlog.limiter.limit).toBe(8);

		const limits = await backlog.limitsOver(80);

		expect(limits.slice(0, 3)).toEqual([9, 10, 10]);
		const atSafeLevel = limits.filter((limit) => limit === 10).length;
		expect(atSafeLevel).toBeGreaterThanOrEqual(60);
		expect(atSafeLevel).toBeLessThanOrEqual(64);
		expect(limits.slice(-1)).toEqual([11]);
	});

	it('waits twice as long before trying the refused level again after each refused probe', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(11));
		await backlog.roundTripsUntil(11, 20);
		await backlog.roundTrip();
		await backlog.refuseLast();
		const holds: number[] = [];
		for (let probe = 0; probe < 3; probe++) {
			holds.push(await backlog.roundTripsUntil(11, 1000));
			await backlog.refuseLast();
		}

		expect(holds[1] / holds[0]).toBeCloseTo(2, 1);
		expect(holds[2] / holds[1]).toBeCloseTo(2, 1);
	});

	it('forgets the refused level once a probe at it goes through, and grows by one per round trip again', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(20));
		await backlog.roundTripsUntil(12, 20);
		await backlog.refuseLast();
		expect(backlog.limiter.limit).toBe(9); // refused at 12
		await backlog.roundTripsUntil(12, 100);

		// 12 for one more round trip: the probe stays at the refused level until a request sent there is answered.
		expect(await backlog.limitsOver(10)).toEqual([12, 13, 14, 14, 15, 16, 17, 18, 19, 20]);
	});

	it('learns from a refusal of a request sent before the last refusal, without counting a new event', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(20));

		// The opening five went out at levels 1 to 5; 4 and 5 are refused: one burst, one event.
		await backlog.roundTrip(['answered', 'answered', 'answered', 'refused', 'refused']);
		expect(backlog.limiter.limit).toBe(3);

		// Just below the lowest refused level, for the first hold's 64 round trips rather than a doubled one.
		const hold = await backlog.roundTripsUntil(4, 1000);
		expect(hold).toBeGreaterThanOrEqual(60);
		expect(hold).toBeLessThanOrEqual(66);
	});

	it('stays at one request at once for a ceiling of 1, whatever the answers', async () => {
		const backlog = await Backlog.of(new AdaptiveConcurrency(1));

		expect(await backlog.limitsOver(5)).toEqual([1, 1, 1, 1, 1]);
		await backlog.roundTrip(['refused']);
		expect(backlog.limiter.limit).toBe(1);
	});

	it('refuses to release a slot twice', async () => {
		const slot = await new AdaptiveConcurrency(2).acquire();
		slot.release('answered');

		expect(() => slot.release('answered')).toThrow('A concurrency slot was released twice');
	});
});

describe('providerConcurrencyFor', () => {
	it('has no limiter for a context no item router limited (webhooks, polls, credential tests)', () => {
		expect(providerConcurrencyFor({}, 'eeIdApi')).toBeUndefined();
	});

	it('shares one limiter per credential within an execution, with the execution ceiling', () => {
		const ctx = {};
		limitProviderConcurrency(ctx, 3);

		const limiter = providerConcurrencyFor(ctx, 'eeIdApi');

		expect(limiter).toBeInstanceOf(AdaptiveConcurrency);
		expect(limiter?.ceiling).toBe(3);
		expect(providerConcurrencyFor(ctx, 'eeIdApi')).toBe(limiter);
		expect(providerConcurrencyFor(ctx, 'idnowApi')).not.toBe(limiter);
		expect(providerConcurrencyFor({}, 'eeIdApi')).toBeUndefined();
	});

	it('starts afresh when the context is limited again', () => {
		const ctx = {};
		limitProviderConcurrency(ctx, 3);
		const first = providerConcurrencyFor(ctx, 'eeIdApi');

		limitProviderConcurrency(ctx, 7);

		expect(providerConcurrencyFor(ctx, 'eeIdApi')).not.toBe(first);
		expect(providerConcurrencyFor(ctx, 'eeIdApi')?.ceiling).toBe(7);
	});
});
