/**
 * The time a simulator believes it is. Token lifetimes, link expiry and completion timestamps read this clock and
 * never the wall clock, so a test can jump two minutes ahead instead of waiting for them.
 */
export interface SandboxClockOptions {
	/** Epoch milliseconds the clock starts at; defaults to the real time at construction. */
	startMs?: number;
	/**
	 * Let the clock run along with real time (on top of any advance/set). Only for interactive use such as
	 * `npm run sandbox`, where a person expects a token to expire after two minutes; tests keep it frozen.
	 */
	ticking?: boolean;
}

export class SandboxClock {
	private readonly startMs: number;
	private readonly ticking: boolean;
	private baseMs: number;
	private realAnchorMs: number;

	constructor(options: SandboxClockOptions = {}) {
		this.startMs = options.startMs ?? Date.now();
		assertEpochMs(this.startMs);
		this.ticking = options.ticking ?? false;
		this.baseMs = this.startMs;
		this.realAnchorMs = Date.now();
	}

	now(): number {
		return this.ticking ? this.baseMs + (Date.now() - this.realAnchorMs) : this.baseMs;
	}

	/** Moves time forward only: a clock running backwards would let expired tokens come back to life. */
	advance(ms: number): number {
		if (!Number.isFinite(ms) || ms < 0) {
			throw new RangeError(`advance needs a non-negative number of ms, got ${ms}`);
		}
		this.baseMs += ms;
		return this.now();
	}

	set(ms: number): number {
		assertEpochMs(ms);
		this.baseMs = ms;
		this.realAnchorMs = Date.now();
		return this.now();
	}

	/** Back to the time the clock was created with. */
	reset(): number {
		return this.set(this.startMs);
	}
}

function assertEpochMs(ms: number): void {
	if (!Number.isFinite(ms)) throw new RangeError(`not an epoch time in ms: ${ms}`);
}
