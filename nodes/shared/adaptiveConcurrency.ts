/**
 * How many provider requests one node execution keeps in flight, adapted to the provider's answers (AIMD):
 * about one more per round trip while requests are answered, a quarter fewer when the provider refuses one
 * ("too many requests"), never more than the user's Concurrency and never fewer than one.
 *
 * Pure: it counts answers instead of reading a clock, so its arithmetic is testable step by step. Waiting out a
 * Retry-After is the retry loop's business; a refused request gives its slot back first, so the wait does not
 * count as in flight.
 */

/** What became of a request, as far as the provider's capacity is concerned. */
export type RequestOutcome =
	/** The provider answered it (any answer but a refusal): it had room. */
	| 'answered'
	/** "Too many requests" (429, or 503 with Retry-After): the provider had no room for it. */
	| 'refused'
	/** No answer that says anything about the provider's room (dropped connection, timeout, 502). */
	| 'inconclusive';

export interface ConcurrencySlot {
	/** Gives the slot back; call exactly once, when the answer (or the failure) is in. */
	release(outcome: RequestOutcome): void;
}

/**
 * The old fixed default, which providers accepted: low enough that an opening burst is rarely refused (each refusal
 * costs its item the provider's Retry-After), and one more per round trip soon reaches more.
 */
const INITIAL_WINDOW = 5;
/** Gentler than halving: the window is also capped just below the level that was refused, so little is lost. */
const DECREASE_FACTOR = 0.75;
/**
 * After a refusal the window stays just below the refused level for this many round trips before it tries that
 * level again; each further refusal doubles the wait. A refused probe costs its item a Retry-After, so probes are rare.
 */
const FIRST_HOLD_ROUND_TRIPS = 64;
const MAX_HOLD_ROUND_TRIPS = 1024;

interface Grant {
	/** Requests in flight including this one when it was sent. */
	level: number;
	/** Refusal events seen before it was sent: it tells something new only if none happened since. */
	epoch: number;
}

export class AdaptiveConcurrency {
	private window: number;
	private inFlight = 0;
	private readonly waiting: Array<(slot: ConcurrencySlot) => void> = [];
	/** The lowest level the provider refused since it last admitted more; undefined before any refusal. */
	private refusedLevel: number | undefined;
	private refusalEvents = 0;
	private holdRoundTrips = FIRST_HOLD_ROUND_TRIPS;
	private answeredSinceRefusal = 0;

	constructor(readonly ceiling: number) {
		if (!Number.isInteger(ceiling) || ceiling < 1) {
			throw new RangeError(`The concurrency ceiling must be a whole number of at least 1, got ${ceiling}`);
		}
		this.window = Math.min(ceiling, INITIAL_WINDOW);
	}

	/** How many requests may be in flight now. */
	get limit(): number {
		return Math.floor(this.window);
	}

	/** Resolves once a request may go out; requests are let through in the order they asked. */
	async acquire(): Promise<ConcurrencySlot> {
		if (this.waiting.length === 0 && this.inFlight < this.limit) return this.grant();
		return await new Promise<ConcurrencySlot>((resolve) => this.waiting.push(resolve));
	}

	private grant(): ConcurrencySlot {
		this.inFlight++;
		const grant: Grant = { level: this.inFlight, epoch: this.refusalEvents };
		let released = false;
		return {
			release: (outcome) => {
				if (released) throw new Error('A concurrency slot was released twice');
				released = true;
				this.inFlight--;
				if (outcome === 'answered') this.onAnswered(grant);
				if (outcome === 'refused') this.onRefused(grant);
				this.admitWaiting();
			},
		};
	}

	private admitWaiting(): void {
		while (this.waiting.length > 0 && this.inFlight < this.limit) {
			const admit = this.waiting.shift() as (slot: ConcurrencySlot) => void;
			admit(this.grant());
		}
	}

	private onAnswered(grant: Grant): void {
		this.answeredSinceRefusal++;
		if (this.refusedLevel !== undefined && grant.level >= this.refusedLevel && grant.epoch === this.refusalEvents) {
			// A probe at the refused level went through: the provider admits more now.
			this.refusedLevel = undefined;
		}
		// Grow only while the window is what holds requests back; otherwise nothing shows a larger one would be used.
		if (this.waiting.length === 0) return;
		this.window = Math.min(this.ceiling, this.window + 1 / this.window, this.holdingLevel());
	}

	/**
	 * Just below the refused level until the hold is over, then the refused level itself (the probe) until a request
	 * sent there is answered; no bound before any refusal.
	 */
	private holdingLevel(): number {
		if (this.refusedLevel === undefined) return Number.POSITIVE_INFINITY;
		const safeLevel = Math.max(1, this.refusedLevel - 1);
		return this.answeredSinceRefusal < this.holdRoundTrips * safeLevel ? safeLevel : this.refusedLevel;
	}

	private onRefused(grant: Grant): void {
		// Our count of requests in flight is never below the provider's, so a refusal at level L bounds its room below L.
		this.refusedLevel = Math.min(this.refusedLevel ?? Number.POSITIVE_INFINITY, grant.level);
		// min, not another multiplication: the refusals of one burst must not shrink the window once each.
		this.window = Math.max(1, Math.min(this.window, DECREASE_FACTOR * grant.level));
		if (grant.epoch !== this.refusalEvents) return;
		this.holdRoundTrips =
			this.refusalEvents === 0 ? FIRST_HOLD_ROUND_TRIPS : Math.min(MAX_HOLD_ROUND_TRIPS, 2 * this.holdRoundTrips);
		this.refusalEvents++;
		this.answeredSinceRefusal = 0;
	}
}

interface ExecutionLimits {
	ceiling: number;
	limiters: Map<string, AdaptiveConcurrency>;
}

// Keyed by the execute context, so that the limiter lives exactly as long as the node execution it throttles.
const executionLimits = new WeakMap<object, ExecutionLimits>();

/** From now on, provider requests made with `ctx` share one adaptive limit per credential, at most `ceiling`. */
export function limitProviderConcurrency(ctx: object, ceiling: number): void {
	executionLimits.set(ctx, { ceiling, limiters: new Map() });
}

/** The limiter for requests made with `ctx` and this credential; undefined outside a limited execution. */
export function providerConcurrencyFor(ctx: object, credentialType: string): AdaptiveConcurrency | undefined {
	const limits = executionLimits.get(ctx);
	if (!limits) return undefined;
	let limiter = limits.limiters.get(credentialType);
	if (!limiter) {
		limiter = new AdaptiveConcurrency(limits.ceiling);
		limits.limiters.set(credentialType, limiter);
	}
	return limiter;
}
