/**
 * Retry with exponential backoff and full jitter, bounded both in attempts and in total time.
 * Pure: time, waiting and randomness come from an injected clock, so every bound is testable.
 */

export interface RetryPolicy {
	/** All attempts including the first one; 1 disables retries. */
	maxAttempts: number;
	/** Budget for the whole operation, attempts and waits together. A wait that would overrun it is not started. */
	maxTotalTimeMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 4,
	maxTotalTimeMs: 60_000,
	baseDelayMs: 500,
	maxDelayMs: 10_000,
});

export interface RetryClock {
	now(): number;
	sleep(ms: number): Promise<void>;
	/** Uniform in [0, 1), like Math.random. */
	random(): number;
}

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RetryDecision {
	retry: boolean;
	/** The server's own wait (Retry-After); replaces the computed backoff. */
	retryAfterMs?: number;
	/**
	 * False when the server only said "not now, come back then": waiting that out is bounded by maxTotalTimeMs
	 * alone and does not use up one of maxAttempts (which still forbids any repeat when it is 1).
	 */
	countsAsAttempt?: boolean;
}

/** Decides from a returned value or a thrown error whether another attempt may help. */
export type RetryClassifier<T> = (outcome: AttemptOutcome<T>, attempt: number) => RetryDecision;

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	const policy = { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(overrides) };
	if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
		throw new RangeError(`Retry maxAttempts must be a whole number of at least 1, got ${policy.maxAttempts}`);
	}
	for (const key of ['maxTotalTimeMs', 'baseDelayMs', 'maxDelayMs'] as const) {
		if (!Number.isFinite(policy[key]) || policy[key] < 0) {
			throw new RangeError(`Retry ${key} must be a number of at least 0, got ${policy[key]}`);
		}
	}
	return policy;
}

/**
 * Wait before the attempt after `failedAttempt` (1-based): uniform in [0, min(maxDelay, base * 2^(failedAttempt-1))].
 * Full jitter spreads out clients that failed together, so they do not hit the provider again in lockstep.
 */
export function computeBackoffMs(
	failedAttempt: number,
	policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
	random: () => number = Math.random,
): number {
	const exponential = policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1);
	const ceiling = Math.min(policy.maxDelayMs, exponential);
	return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: unknown, now: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// HTTP-dates always name the month ("Wed, 21 Oct 2015 07:28:00 GMT"); Date.parse would also take "-1" as a year.
	const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Runs `attemptFn` until it succeeds, the classifier says stop, attempts run out, or the next wait would overrun
 * the total budget. Then it returns the last value or throws the last error, so callers see what really happened
 * (a retryable value such as an HTTP 503 response comes back as a value). `attempt` numbers every attempt made;
 * only the failures the classifier counts use up maxAttempts.
 */
export async function withRetry<T>(
	attemptFn: (attempt: number) => Promise<T>,
	shouldRetry: RetryClassifier<T>,
	policy: RetryPolicy,
	clock: RetryClock,
): Promise<T> {
	const startedAt = clock.now();
	let countedFailures = 0;
	for (let attempt = 1; ; attempt++) {
		const outcome = await settle(attemptFn, attempt);
		const delayMs = policy.maxAttempts > 1 ? nextDelayMs(outcome, attempt) : undefined;
		const remainingMs = policy.maxTotalTimeMs - (clock.now() - startedAt);
		if (delayMs === undefined || delayMs > remainingMs) {
			if (outcome.ok) return outcome.value;
			throw outcome.error;
		}
		await clock.sleep(delayMs);
	}

	function nextDelayMs(outcome: AttemptOutcome<T>, attempt: number): number | undefined {
		const decision = shouldRetry(outcome, attempt);
		if (!decision.retry) return undefined;
		if (decision.countsAsAttempt !== false && ++countedFailures >= policy.maxAttempts) return undefined;
		return decision.retryAfterMs ?? computeBackoffMs(Math.max(1, countedFailures), policy, () => clock.random());
	}
}

async function settle<T>(attemptFn: (attempt: number) => Promise<T>, attempt: number): Promise<AttemptOutcome<T>> {
	try {
		return { ok: true, value: await attemptFn(attempt) };
	} catch (error) {
		return { ok: false, error };
	}
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
