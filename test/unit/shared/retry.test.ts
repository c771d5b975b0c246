import {
	computeBackoffMs,
	DEFAULT_RETRY_POLICY,
	parseRetryAfterMs,
	resolveRetryPolicy,
	withRetry,
	type AttemptOutcome,
	type RetryPolicy,
} from '../../../nodes/shared/retry';
import { fakeClock } from '../../harness/fakes';

const POLICY: RetryPolicy = { maxAttempts: 4, maxTotalTimeMs: 60_000, baseDelayMs: 500, maxDelayMs: 10_000 };

const retryErrors = (outcome: AttemptOutcome<unknown>) => ({ retry: !outcome.ok });

describe('computeBackoffMs', () => {
	it('doubles the ceiling per failed attempt up to maxDelayMs', () => {
		const almostOne = () => 0.999999;
		expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => computeBackoffMs(attempt, POLICY, almostOne))).toEqual([
			499, 999, 1999, 3999, 7999, 9999, 9999,
		]);
	});

	it('jitters over the whole range from 0 to the ceiling', () => {
		expect(computeBackoffMs(3, POLICY, () => 0)).toBe(0);
		expect(computeBackoffMs(3, POLICY, () => 0.5)).toBe(1000);
		for (let step = 0; step < 100; step++) {
			const delay = computeBackoffMs(4, POLICY, () => step / 100);
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThan(4000);
		}
	});
});

describe('parseRetryAfterMs', () => {
	const now = Date.UTC(2025, 0, 1, 12, 0, 0);

	it.each([
		['5', 5000],
		['0', 0],
		['1.5', 1500],
		[' 30 ', 30_000],
		[['3'], 3000],
		[2, 2000],
	])('reads delta-seconds %j', (header, expected) => {
		expect(parseRetryAfterMs(header, now)).toBe(expected);
	});

	it('reads an HTTP date relative to now', () => {
		expect(parseRetryAfterMs('Wed, 01 Jan 2025 12:00:42 GMT', now)).toBe(42_000);
	});

	it('treats a date in the past as "now"', () => {
		expect(parseRetryAfterMs('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
	});

	it.each([undefined, null, '', 'soon', '-1', -3, {}])('ignores %j', (header) => {
		expect(parseRetryAfterMs(header, now)).toBeUndefined();
	});
});

describe('resolveRetryPolicy', () => {
	it('fills in the defaults and ignores undefined overrides', () => {
		expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
		expect(resolveRetryPolicy({ maxAttempts: 2, maxDelayMs: undefined })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 2 });
	});

	it.each([{ maxAttempts: 0 }, { maxAttempts: 2.5 }, { maxTotalTimeMs: -1 }, { baseDelayMs: Number.NaN }])(
		'refuses %j',
		(overrides) => {
			expect(() => resolveRetryPolicy(overrides)).toThrow(RangeError);
		},
	);
});

describe('withRetry', () => {
	it('returns the first success without waiting', async () => {
		const clock = fakeClock();
		const attempt = jest.fn(async () => 'done');

		await expect(withRetry(attempt, retryErrors, POLICY, clock)).resolves.toBe('done');

		expect(attempt).toHaveBeenCalledTimes(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('retries failures, numbering the attempts, until one succeeds', async () => {
		const clock = fakeClock(0.5);
		const seen: number[] = [];

		const result = await withRetry(
			async (attempt) => {
				seen.push(attempt);
				if (attempt < 3) throw new Error(`failure ${attempt}`);
				return 'third time lucky';
			},
			retryErrors,
			POLICY,
			clock,
		);

		expect(result).toBe('third time lucky');
		expect(seen).toEqual([1, 2, 3]);
		expect(clock.sleeps).toEqual([250, 500]);
	});

	it('throws the last error once maxAttempts are used up', async () => {
		const clock = fakeClock();
		let calls = 0;

		await expect(
			withRetry(
				async () => {
					throw new Error(`failure ${++calls}`);
				},
				retryErrors,
				POLICY,
				clock,
			),
		).rejects.toThrow('failure 4');

		expect(calls).toBe(4);
		expect(clock.sleeps).toHaveLength(3);
	});

	it('returns the last value when a retryable value keeps coming back', async () => {
		let calls = 0;

		const result = await withRetry(
			async () => ({ status: 503, call: ++calls }),
			(outcome) => ({ retry: outcome.ok && outcome.value.status === 503 }),
			{ ...POLICY, maxAttempts: 2 },
			fakeClock(),
		);

		expect(result).toEqual({ status: 503, call: 2 });
	});

	it('stops at once when the classifier says the failure is final', async () => {
		const attempt = jest.fn(async () => {
			throw new Error('bad request');
		});

		await expect(withRetry(attempt, () => ({ retry: false }), POLICY, fakeClock())).rejects.toThrow('bad request');

		expect(attempt).toHaveBeenCalledTimes(1);
	});

	it('waits exactly the server-given delay instead of the backoff', async () => {
		const clock = fakeClock();
		let calls = 0;

		await withRetry(
			async () => ++calls,
			(outcome) => ({ retry: outcome.ok && outcome.value < 3, retryAfterMs: 12_345 }),
			POLICY,
			clock,
		);

		expect(clock.sleeps).toEqual([12_345, 12_345]);
	});

	it('does not count the retries the classifier marks as not using up an attempt, numbering every attempt', async () => {
		const clock = fakeClock();
		const seen: number[] = [];

		const result = await withRetry(
			async (attempt) => {
				seen.push(attempt);
				return attempt;
			},
			(outcome) =>
				outcome.ok && outcome.value <= 6
					? { retry: true, retryAfterMs: 1000, countsAsAttempt: outcome.value === 6 }
					: { retry: false },
			{ ...POLICY, maxAttempts: 2 },
			clock,
		);

		expect(result).toBe(7);
		expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(clock.sleeps).toEqual(Array(6).fill(1000));
	});

	it('stops at the counted failures however many uncounted ones came between them', async () => {
		let calls = 0;

		const result = await withRetry(
			async () => ++calls,
			(outcome) => ({ retry: true, retryAfterMs: 10, countsAsAttempt: outcome.ok && outcome.value % 2 === 0 }),
			{ ...POLICY, maxAttempts: 3 },
			fakeClock(),
		);

		// Calls 2 and 4 were counted failures, then call 6 used up the third attempt.
		expect(result).toBe(6);
	});

	it('makes no retry at all, counted or not, when maxAttempts is 1', async () => {
		const attempt = jest.fn(async () => 'refused');

		await withRetry(attempt, () => ({ retry: true, retryAfterMs: 0, countsAsAttempt: false }), { ...POLICY, maxAttempts: 1 }, fakeClock());

		expect(attempt).toHaveBeenCalledTimes(1);
	});

	it('does not start a wait that would end after the total budget', async () => {
		const clock = fakeClock();
		const attempt = jest.fn(async () => {
			throw new Error('rate limited');
		});

		await expect(
			withRetry(attempt, () => ({ retry: true, retryAfterMs: 61_000 }), POLICY, clock),
		).rejects.toThrow('rate limited');

		expect(attempt).toHaveBeenCalledTimes(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('counts the time the attempts themselves take against the budget', async () => {
		const clock = fakeClock(0);
		const attempt = jest.fn(async () => {
			clock.advance(25_000);
			throw new Error('slow failure');
		});

		await expect(withRetry(attempt, retryErrors, { ...POLICY, maxAttempts: 10 }, clock)).rejects.toThrow('slow failure');

		// 25 s, 50 s, then 75 s elapsed: no wait fits any more, however short.
		expect(attempt).toHaveBeenCalledTimes(3);
		expect(clock.now() - 1_700_000_000_000).toBeLessThanOrEqual(75_000);
	});

	it('never sleeps longer in total than maxTotalTimeMs', async () => {
		const clock = fakeClock(0.999);
		const policy = { maxAttempts: 50, maxTotalTimeMs: 20_000, baseDelayMs: 1000, maxDelayMs: 8000 };

		await expect(
			withRetry(
				async () => {
					throw new Error('down');
				},
				retryErrors,
				policy,
				clock,
			),
		).rejects.toThrow('down');

		expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(20_000);
		expect(clock.sleeps.length).toBeLessThan(49);
	});
});
