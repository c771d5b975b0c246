import { compilePattern, type PathPattern } from './http';

/**
 * What an injected fault does to a request:
 * - `status`: answer `status` without running the handler (429 with `Retry-After`, 500, 503…);
 * - `hang`: never answer; the connection stays open until the client gives up or the server stops;
 * - `truncate`: run the handler (its side effects happen), then declare the full `Content-Length`, send only the
 *   first half of the body and destroy the socket: what a client sees when a download breaks off.
 */
export type Fault =
	| { kind: 'status'; status: number; retryAfter?: number | string; message?: string }
	| { kind: 'hang' }
	| { kind: 'truncate' };

export interface FaultFilter {
	/** Only requests with this method (any case). */
	method?: string;
	/** Only requests whose path matches this route pattern (`:param` segments and a final `*` allowed). */
	path?: string;
}

/** A fault applied to the next `times` matching requests (default 1). */
export type FaultSpec = Fault & FaultFilter & { times?: number };

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
	method?: string;
	pattern?: PathPattern;
}

/**
 * Faults in the order they were queued; each request consumes one use of the first fault whose filter it
 * matches. No randomness, so a test knows exactly which request fails.
 */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(spec: FaultSpec): void {
		validateFault(spec);
		this.queue.push({
			spec,
			remaining: spec.times ?? 1,
			method: spec.method?.toUpperCase(),
			pattern: spec.path === undefined ? undefined : compilePattern(spec.path),
		});
	}

	/** Takes one use of the first fault matching this request, if any. */
	take(method: string, path: string): Fault | undefined {
		const index = this.queue.findIndex((fault) => matches(fault, method, path));
		if (index < 0) return undefined;
		const fault = this.queue[index];
		fault.remaining -= 1;
		if (fault.remaining === 0) this.queue.splice(index, 1);
		return fault.spec;
	}

	pending(): FaultSpec[] {
		return this.queue.map((fault) => ({ ...fault.spec, times: fault.remaining }));
	}

	clear(): void {
		this.queue = [];
	}
}

function matches(fault: QueuedFault, method: string, path: string): boolean {
	if (fault.method !== undefined && fault.method !== method) return false;
	return fault.pattern === undefined || fault.pattern.match(path) !== undefined;
}

/** Fault specs also arrive as JSON over the control surface, so they are checked rather than trusted. */
function validateFault(spec: FaultSpec): void {
	if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
		throw new RangeError(`fault times must be a positive integer, got ${JSON.stringify(spec.times)}`);
	}
	if (spec.kind === 'status') {
		if (!(Number.isInteger(spec.status) && spec.status >= 100 && spec.status <= 599)) {
			throw new RangeError(`fault status must be an HTTP status code, got ${JSON.stringify(spec.status)}`);
		}
		return;
	}
	if (spec.kind !== 'hang' && spec.kind !== 'truncate') {
		throw new RangeError(`unknown fault kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`);
	}
}
