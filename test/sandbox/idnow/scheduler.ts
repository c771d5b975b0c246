/**
 * Time-driven work on the SANDBOX clock, without timers: Testrobot steps, video provisioning, order time-outs and
 * the data retention are tasks with a due time; whatever moves the clock (or any API request, or the pump of a
 * ticking clock) runs those that are due, in due order, each seeing its own due time as "now".
 */
import type { SandboxClock } from '../framework';

interface Task {
	dueAt: number;
	/** Tie-breaker: tasks due at the same time run in the order they were scheduled. */
	sequence: number;
	run: (at: number) => void;
}

export class Agenda {
	private tasks: Task[] = [];
	private sequence = 0;
	private running = false;

	constructor(private readonly clock: SandboxClock) {}

	schedule(dueAt: number, run: (at: number) => void): void {
		this.tasks.push({ dueAt, sequence: this.sequence++, run });
	}

	/** Runs every task due by now, including tasks those tasks schedule; re-entrant calls are no-ops. */
	runDue(): void {
		if (this.running) return;
		this.running = true;
		try {
			for (let task = this.takeNext(); task !== undefined; task = this.takeNext()) task.run(task.dueAt);
		} finally {
			this.running = false;
		}
	}

	clear(): void {
		this.tasks = [];
	}

	private takeNext(): Task | undefined {
		const now = this.clock.now();
		let next: Task | undefined;
		for (const task of this.tasks) {
			if (task.dueAt > now) continue;
			if (
				next === undefined ||
				task.dueAt < next.dueAt ||
				(task.dueAt === next.dueAt && task.sequence < next.sequence)
			) {
				next = task;
			}
		}
		if (next !== undefined) this.tasks.splice(this.tasks.indexOf(next), 1);
		return next;
	}
}

/**
 * Calls `listener` whenever `clock` is advanced or set, by whomever: a test holding the clock, the simulator, or
 * `POST /__sandbox/clock/…`. The framework's clock has no events, so its two methods are wrapped on this instance
 * (wrapping again, for a clock shared by several simulators, chains).
 */
export function watchClock(clock: SandboxClock, listener: () => void): void {
	const advance = clock.advance.bind(clock);
	const set = clock.set.bind(clock);
	clock.advance = (ms: number) => {
		const now = advance(ms);
		listener();
		return now;
	};
	clock.set = (ms: number) => {
		const now = set(ms);
		listener();
		return now;
	};
}
