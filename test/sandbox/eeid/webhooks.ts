/**
 * Completion webhooks: signing, delivery, and eeID's retries. A delivery counts as acknowledged when the receiver
 * answers 200, 201 or 204 within the timeout (10 s); otherwise it is retried up to 3 times. The retries wait on
 * the SANDBOX clock: each is due a fixed time after the previous attempt was due (see RETRY_DELAYS_MS), and moving
 * the clock sends those that are due. Nothing here sets a timer.
 */
import { createHmac } from 'node:crypto';

import { deliverWebhook as callReceiver, HttpError, type SandboxClock } from '../framework';
import { isoSeconds } from './store';
import type { EeIdClient, StoredRequest } from './types';

/** The statuses eeID counts as an acknowledged delivery; anything else (202 included) is retried. */
const ACKNOWLEDGING_STATUSES = new Set([200, 201, 204]);

/**
 * Delay of retry 1, 2 and 3 after the previous attempt was due: with the completion at t, retries are due at
 * t + 10 s, t + 40 s and t + 100 s (on the sandbox clock), each only if everything before it failed.
 */
export const RETRY_DELAYS_MS: readonly number[] = [10_000, 30_000, 60_000];

export interface EeIdWebhookOptions {
	/** Default: the webhook URL configured for the request's client. */
	url?: string;
	/** Deliver the same event this many times, as eeID's retries do (default 1). */
	times?: number;
	/** Sign the compact JSON but send it re-serialised with other whitespace, as production eeID sometimes does. */
	reformat?: boolean;
	/** Sign with this secret instead of the client's. */
	signWith?: string;
	/** Put this client_id in the body (the signature still uses the secret of the request's own client). */
	clientId?: string;
	/** Change the body after signing. */
	tamper?: boolean;
	omitSignature?: boolean;
	/** Case of the hex signature (eeID sends lower case). */
	signatureCase?: 'lower' | 'upper';
}

export interface EeIdWebhookDelivery {
	url: string;
	sentBody: string;
	signature: string | undefined;
	/** The receiver's status, null when it could not be reached or did not answer in time. */
	status: number | null;
	responseBody: string;
	acknowledged: boolean;
	error?: string;
}

/** One automatic delivery attempt (the first at completion, then the retries), as the outbox logs it. */
export interface EeIdWebhookAttempt extends EeIdWebhookDelivery {
	requestId: string;
	/** 1 for the delivery at completion, 2 to 4 for retries 1 to 3. */
	attempt: number;
	/** Sandbox clock time the attempt was made. */
	at: string;
}

/** A retry waiting for the sandbox clock. */
export interface EeIdPendingWebhook {
	requestId: string;
	url: string;
	/** 2 to 4. */
	attempt: number;
	/** Sandbox clock time (epoch ms) from which it is sent. */
	dueAt: number;
	dueAtIso: string;
}

interface WebhookEvent {
	requestId: string;
	url: string;
	body: string;
	signature: string;
	attempt: number;
	dueAt: number;
}

export function webhookPayload(stored: StoredRequest, clientId: string) {
	return { identification_request_id: stored.id, client_id: clientId, reference: stored.reference };
}

export function hmacHex(secret: string, body: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

async function postWebhook(
	url: string,
	body: string,
	signature: string | undefined,
	timeoutMs: number,
): Promise<EeIdWebhookDelivery> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (signature !== undefined) headers['x-hmac-signature'] = signature;
	const delivery = { url, sentBody: body, signature };
	try {
		const answer = await callReceiver(url, { method: 'POST', headers, body, timeoutMs });
		const acknowledged = ACKNOWLEDGING_STATUSES.has(answer.status);
		return { ...delivery, status: answer.status, responseBody: answer.body, acknowledged };
	} catch (error) {
		return { ...delivery, status: null, responseBody: '', acknowledged: false, error: (error as Error).message };
	}
}

/** Deliveries on demand, optionally malformed; sent at once, never retried. */
export async function deliverOnDemand(
	stored: StoredRequest,
	owner: EeIdClient,
	options: EeIdWebhookOptions,
	timeoutMs: number,
): Promise<EeIdWebhookDelivery[]> {
	const url = options.url ?? owner.webhookUrl;
	if (url === undefined) throw new HttpError(409, `client ${owner.clientId} has no webhook URL; pass one`);
	const payload = webhookPayload(stored, options.clientId ?? stored.clientId);
	const signature = hmacHex(options.signWith ?? owner.clientSecret, JSON.stringify(payload));
	const sent = options.tamper ? { ...payload, reference: `${payload.reference ?? ''}-tampered` } : payload;
	const body = options.reformat ? JSON.stringify(sent, null, 2) : JSON.stringify(sent);
	const header = options.signatureCase === 'upper' ? signature.toUpperCase() : signature;
	const deliveries: EeIdWebhookDelivery[] = [];
	for (let attempt = 0; attempt < (options.times ?? 1); attempt++) {
		deliveries.push(await postWebhook(url, body, options.omitSignature ? undefined : header, timeoutMs));
	}
	return deliveries;
}

/**
 * The automatic deliveries: the first at completion, the retries when the clock says so. `sendDue` may be called
 * any number of times, also concurrently: a retry is taken off the queue before it is sent.
 */
export class WebhookOutbox {
	private pending: WebhookEvent[] = [];
	private log: EeIdWebhookAttempt[] = [];
	private readonly inFlight = new Set<Promise<unknown>>();
	/** Bumped by reset(): answers to deliveries sent before it are neither logged nor retried. */
	private generation = 0;

	constructor(
		private readonly clock: SandboxClock,
		private readonly timeoutMs: () => number,
	) {}

	/** The delivery at completion (attempt 1); a failure queues retry 1 on the clock. */
	async deliverCompletion(stored: StoredRequest, owner: EeIdClient & { webhookUrl: string }): Promise<EeIdWebhookDelivery> {
		const body = JSON.stringify(webhookPayload(stored, stored.clientId));
		const event: WebhookEvent = {
			requestId: stored.id,
			url: owner.webhookUrl,
			body,
			signature: hmacHex(owner.clientSecret, body),
			attempt: 1,
			dueAt: this.clock.now(),
		};
		const attempt = await this.track(this.attempt(event));
		return withoutAttemptFields(attempt);
	}

	hasDue(): boolean {
		const now = this.clock.now();
		return this.pending.some((event) => event.dueAt <= now);
	}

	/** Sends every retry due on the sandbox clock, in due order; a failure whose next retry is due too goes on. */
	sendDue(): Promise<EeIdWebhookAttempt[]> {
		return this.track(this.drain(() => this.clock.now()));
	}

	/** Sends every queued retry now, whatever the clock says, until each event is acknowledged or out of retries. */
	flush(): Promise<EeIdWebhookAttempt[]> {
		return this.track(this.drain(() => Number.POSITIVE_INFINITY));
	}

	/** Resolves once no delivery is in flight. */
	async settle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	pendingRetries(): EeIdPendingWebhook[] {
		return this.pending.map(({ requestId, url, attempt, dueAt }) => ({
			requestId,
			url,
			attempt,
			dueAt,
			dueAtIso: isoSeconds(dueAt),
		}));
	}

	attempts(): EeIdWebhookAttempt[] {
		return this.log.map((attempt) => ({ ...attempt }));
	}

	reset(): void {
		this.generation++;
		this.pending = [];
		this.log = [];
	}

	private async drain(until: () => number): Promise<EeIdWebhookAttempt[]> {
		const sent: EeIdWebhookAttempt[] = [];
		for (;;) {
			const limit = until();
			const due = this.pending.filter((event) => event.dueAt <= limit).sort((a, b) => a.dueAt - b.dueAt);
			if (due.length === 0) return sent;
			this.pending = this.pending.filter((event) => !due.includes(event));
			for (const event of due) {
				sent.push(await this.attempt(event));
			}
		}
	}

	/** One attempt; logs it and queues the next retry if it failed and retries are left. */
	private async attempt(event: WebhookEvent): Promise<EeIdWebhookAttempt> {
		const generation = this.generation;
		const at = isoSeconds(this.clock.now());
		const delivery = await postWebhook(event.url, event.body, event.signature, this.timeoutMs());
		const attempt: EeIdWebhookAttempt = { ...delivery, requestId: event.requestId, attempt: event.attempt, at };
		if (generation !== this.generation) return attempt;
		this.log.push(attempt);
		const delay = RETRY_DELAYS_MS[event.attempt - 1];
		if (!delivery.acknowledged && delay !== undefined) {
			this.pending.push({ ...event, attempt: event.attempt + 1, dueAt: event.dueAt + delay });
		}
		return attempt;
	}

	private track<T>(work: Promise<T>): Promise<T> {
		this.inFlight.add(work);
		void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
		return work;
	}
}

function withoutAttemptFields(attempt: EeIdWebhookAttempt): EeIdWebhookDelivery {
	const { requestId: _requestId, attempt: _attempt, at: _at, ...delivery } = attempt;
	return delivery;
}

/**
 * Calls `listener` whenever `clock` is advanced or set, by whomever: the simulator's method, `POST
 * /__sandbox/clock/advance`, or a test holding the clock. The clock belongs to the framework and has no
 * events, so its two methods are wrapped on this instance (wrapping again, for a clock shared by several
 * simulators, chains).
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
