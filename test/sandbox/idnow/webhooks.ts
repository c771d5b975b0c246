/**
 * IDnow's webhooks (2.6): a call to a URL, GET by default or POST/PUT as the account says, without a body and
 * without any signature; `[OrderID]` and `[Ref]` substituted (and `[statusCode]` in OnStatusChange URLs). A call not
 * answered 200 or 202 within 10 s is retried on the document's scheme, ON THE SANDBOX CLOCK: about 86.4 s after the
 * first try, then once a minute until 864 s, once an hour until 12 h, once a night (03:00 German time) until 6 days.
 * Nothing here sets a timer: moving the clock sends what is due.
 */
import { deliverWebhook as callReceiver, HttpError, type SandboxClock } from '../framework';
import { berlinTime, isHttpUrl, nextBerlinNight } from './format';
import { DAY_MS, type WebhookKind, type WebhookMethod } from './types';

/** The video provisioning callback (3.9) rides on the same delivery machinery. */
export type DeliveryKind = WebhookKind | 'VideoReady';

export const WEBHOOK_METHODS: readonly WebhookMethod[] = ['GET', 'POST', 'PUT'];
const ACKNOWLEDGING_STATUSES = new Set([200, 202]);
const FIRST_RETRY_MS = 86_400;
const MINUTE_PHASE_END_MS = 864_000;
const HOUR_PHASE_END_MS = 12 * 60 * 60 * 1000;
const GIVE_UP_MS = 6 * DAY_MS;
const MAX_TIMES = 100;

/** Due times of retry 1, 2, … for a webhook first tried at `firstAttemptAt`. */
export function webhookRetrySchedule(firstAttemptAt: number): number[] {
	const due: number[] = [];
	for (let offset = FIRST_RETRY_MS; offset < MINUTE_PHASE_END_MS; offset += 60_000) due.push(firstAttemptAt + offset);
	for (let offset = MINUTE_PHASE_END_MS; offset < HOUR_PHASE_END_MS; offset += 3_600_000) {
		due.push(firstAttemptAt + offset);
	}
	for (
		let night = nextBerlinNight(firstAttemptAt + HOUR_PHASE_END_MS);
		night <= firstAttemptAt + GIVE_UP_MS;
		night = nextBerlinNight(night)
	) {
		due.push(night);
	}
	return due;
}

export interface PlaceholderValues {
	orderId: string;
	ref: string;
	/** Only OnStatusChange URLs get `[statusCode]` replaced, as the document says. */
	statusCode?: number;
}

export function substitutePlaceholders(template: string, values: PlaceholderValues): string {
	let url = template
		.split('[OrderID]')
		.join(encodeURIComponent(values.orderId))
		.split('[Ref]')
		.join(encodeURIComponent(values.ref));
	if (values.statusCode !== undefined) url = url.split('[statusCode]').join(String(values.statusCode));
	return url;
}

export interface WebhookEvent {
	id: string;
	kind: DeliveryKind;
	orderId: string;
	/** The status that caused it; null for the video callback. */
	statusCode: number | null;
	/** With placeholders substituted. */
	url: string;
	method: WebhookMethod;
	/** Sandbox time of the first attempt. */
	at: number;
}

export type AttemptKind = 'automatic' | 'redelivery' | 'manual';

export interface IdnowWebhookAttempt {
	kind: AttemptKind;
	eventId: string | null;
	webhook: DeliveryKind | null;
	orderId: string | null;
	statusCode: number | null;
	method: WebhookMethod;
	url: string;
	/** 1 for the first try of an event, 2… for its retries; 1 for redeliveries and manual sends. */
	attempt: number;
	/** Sandbox time the attempt was due (epoch ms) and its ISO form. */
	at: number;
	atIso: string;
	/** The receiver's status, null when it could not be reached or did not answer within the timeout. */
	status: number | null;
	acknowledged: boolean;
	responseBody: string;
	error?: string;
}

export interface IdnowPendingWebhook {
	eventId: string;
	webhook: DeliveryKind;
	orderId: string;
	url: string;
	method: WebhookMethod;
	attempt: number;
	dueAt: number;
	dueAtIso: string;
}

interface Pending {
	event: WebhookEvent;
	attempt: number;
	dueAt: number;
	schedule: number[];
}

interface CallTarget {
	url: string;
	method: WebhookMethod;
}

export interface ManualWebhook {
	url: string;
	method?: WebhookMethod;
	times?: number;
}

/**
 * The automatic deliveries, one at a time in due order like a single delivery worker; `sendDue` may be called
 * any number of times, also concurrently: every call joins the same worker.
 */
export class WebhookOutbox {
	private pending: Pending[] = [];
	private log: IdnowWebhookAttempt[] = [];
	private published: WebhookEvent[] = [];
	private worker: Promise<void> = Promise.resolve();
	/** Bumped by reset(): answers to deliveries sent before it are neither logged nor retried. */
	private generation = 0;

	constructor(
		private readonly clock: SandboxClock,
		private readonly timeoutMs: () => number,
	) {}

	/** Queues an event's first attempt at its time; it goes out with the next `sendDue`. */
	publish(event: WebhookEvent): void {
		this.published.push(event);
		this.pending.push({ event, attempt: 1, dueAt: event.at, schedule: webhookRetrySchedule(event.at) });
	}

	hasDue(): boolean {
		const now = this.clock.now();
		return this.pending.some((entry) => entry.dueAt <= now);
	}

	/** Sends everything due on the sandbox clock, retries that become due on the way included. */
	sendDue(): Promise<void> {
		return this.enqueue(() => this.drain(() => this.clock.now()));
	}

	/** Sends every pending attempt now, whatever the clock says, until acknowledged or out of retries. */
	flush(): Promise<void> {
		return this.enqueue(() => this.drain(() => Number.POSITIVE_INFINITY));
	}

	/** Resolves once the worker has nothing left to do that is due. */
	async settle(): Promise<void> {
		let worker: Promise<void>;
		do {
			worker = this.worker;
			await worker;
		} while (worker !== this.worker);
	}

	pendingDeliveries(): IdnowPendingWebhook[] {
		return [...this.pending]
			.sort((a, b) => a.dueAt - b.dueAt)
			.map(({ event, attempt, dueAt }) => ({
				eventId: event.id,
				webhook: event.kind,
				orderId: event.orderId,
				url: event.url,
				method: event.method,
				attempt,
				dueAt,
				dueAtIso: berlinTime(dueAt),
			}));
	}

	attempts(): IdnowWebhookAttempt[] {
		return this.log.map((attempt) => ({ ...attempt }));
	}

	events(): WebhookEvent[] {
		return this.published.map((event) => ({ ...event }));
	}

	/** An event's call again, `times` in a row, now (duplicates as a receiver sees them); never retried. */
	async redeliver(eventId: string, options: { times?: number; url?: string } = {}): Promise<IdnowWebhookAttempt[]> {
		const event = this.published.find((candidate) => candidate.id === eventId);
		if (event === undefined) throw new HttpError(404, `no webhook event ${eventId}`);
		return this.sendTimes(
			'redelivery',
			{ url: checkedUrl(options.url ?? event.url), method: event.method },
			event,
			options.times,
		);
	}

	/** A call to any URL, as an attacker or a confused proxy would make it: nothing about it is genuine. */
	async sendManual(webhook: ManualWebhook, method: WebhookMethod): Promise<IdnowWebhookAttempt[]> {
		const target = { url: checkedUrl(webhook.url), method: checkedMethod(webhook.method ?? method) };
		return this.sendTimes('manual', target, null, webhook.times);
	}

	reset(): void {
		this.generation++;
		this.pending = [];
		this.log = [];
		this.published = [];
	}

	private async sendTimes(
		kind: AttemptKind,
		target: CallTarget,
		event: WebhookEvent | null,
		times = 1,
	): Promise<IdnowWebhookAttempt[]> {
		if (!Number.isInteger(times) || times < 1 || times > MAX_TIMES) {
			throw new HttpError(400, `times must be an integer from 1 to ${MAX_TIMES}`);
		}
		const sent: IdnowWebhookAttempt[] = [];
		await this.enqueue(async () => {
			for (let count = 0; count < times; count++) sent.push(await this.call(kind, target, event, 1, this.clock.now()));
		});
		return sent;
	}

	private enqueue(work: () => Promise<void>): Promise<void> {
		this.worker = this.worker.then(work, work);
		return this.worker;
	}

	private async drain(until: () => number): Promise<void> {
		for (let next = this.takeDue(until()); next !== undefined; next = this.takeDue(until())) {
			const generation = this.generation;
			const attempt = await this.call('automatic', next.event, next.event, next.attempt, next.dueAt);
			if (generation !== this.generation || attempt.acknowledged) continue;
			const retryAt = next.schedule[next.attempt - 1];
			if (retryAt !== undefined) this.pending.push({ ...next, attempt: next.attempt + 1, dueAt: retryAt });
		}
	}

	private takeDue(limit: number): Pending | undefined {
		const due = this.pending.filter((entry) => entry.dueAt <= limit).sort((a, b) => a.dueAt - b.dueAt)[0];
		if (due !== undefined) this.pending.splice(this.pending.indexOf(due), 1);
		return due;
	}

	/** One call; `event` is null for manual sends, which belong to no event. */
	private async call(
		kind: AttemptKind,
		target: CallTarget,
		event: WebhookEvent | null,
		attempt: number,
		at: number,
	): Promise<IdnowWebhookAttempt> {
		const generation = this.generation;
		const base = {
			kind,
			eventId: event?.id ?? null,
			webhook: event?.kind ?? null,
			orderId: event?.orderId ?? null,
			statusCode: event?.statusCode ?? null,
			method: target.method,
			url: target.url,
			attempt,
			at,
			atIso: berlinTime(at),
		};
		let recorded: IdnowWebhookAttempt;
		try {
			const answer = await callReceiver(target.url, { method: target.method, timeoutMs: this.timeoutMs() });
			recorded = {
				...base,
				status: answer.status,
				acknowledged: ACKNOWLEDGING_STATUSES.has(answer.status),
				responseBody: answer.body,
			};
		} catch (error) {
			recorded = { ...base, status: null, acknowledged: false, responseBody: '', error: (error as Error).message };
		}
		if (generation === this.generation) this.log.push(recorded);
		return recorded;
	}
}

function checkedMethod(method: unknown): WebhookMethod {
	if (!WEBHOOK_METHODS.includes(method as WebhookMethod)) throw new HttpError(400, 'method must be GET, POST or PUT');
	return method as WebhookMethod;
}

function checkedUrl(url: unknown): string {
	if (!isHttpUrl(url)) throw new HttpError(400, 'url must be an absolute http(s) URL');
	return url;
}
