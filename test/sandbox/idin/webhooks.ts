/**
 * Webhook delivery as CM describes it: a JSON POST per event to the URL CM support configured for the client,
 * retried until the receiver answers 2xx. Nothing is signed; the only protection a subscriber gets is a fixed
 * custom header CM support can add, so the sandbox offers that header and ways to forge everything around it.
 */
import { randomUUID } from 'node:crypto';

import { deliverWebhook, HttpError } from '../framework';
import { atomTime, isHttpUrl, isRecord } from './model';
import type { IdinEvent, KeyedEvent } from './store';

export interface IdinWebhookHeader {
	name: string;
	value: string;
}

/** What CM support configures for a client (a key): where events go and the header it adds. */
export interface IdinWebhookConfig {
	url: string | null;
	header: IdinWebhookHeader | null;
}

export type DeliveryKind = 'event' | 'redelivery' | 'forged';

export interface IdinDelivery {
	kind: DeliveryKind;
	/** The `id` in the body when it has one (a forged raw body may not). */
	eventId: string | null;
	url: string;
	/** 1 for the first try of an event, 2… for its retries. */
	attempt: number;
	headers: Record<string, string>;
	body: string;
	/** The receiver's status; null when it could not be reached or did not answer in time. */
	status: number | null;
	acknowledged: boolean;
	error?: string;
	/** Sandbox clock time of the attempt. */
	at: number;
}

export interface ForgeOptions {
	/** Whose configuration supplies the URL and header; default the first key. */
	keyId?: string;
	url?: string;
	/** null sends no custom header at all; default the configured one. */
	header?: IdinWebhookHeader | null;
	/** Fields over a default person.updated event for an unknown person, with a fresh id. */
	event?: Record<string, unknown>;
	/** Sent verbatim instead of `event` (malformed JSON, other shapes). */
	rawBody?: string;
	/** The same bytes this many times (default 1), as a retry storm or a replay would. */
	times?: number;
}

export interface WebhookOutboxOptions {
	now: () => number;
	maxAttempts: number;
	timeoutMs: number;
	initialConfig: ReadonlyMap<string, IdinWebhookConfig>;
}

/** Enough for any replay test, small enough that a typo cannot flood a receiver. */
const MAX_TIMES = 100;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class WebhookOutbox {
	private configs = new Map<string, IdinWebhookConfig>();
	private log: KeyedEvent[] = [];
	private deliveries: IdinDelivery[] = [];
	/** Events go out one at a time in order, like a single delivery worker. */
	private queue: Promise<void> = Promise.resolve();
	/** Bumped by clear() and stop() so that deliveries queued before them are dropped. */
	private generation = 0;

	constructor(private readonly options: WebhookOutboxOptions) {
		this.clear();
	}

	clear(): void {
		this.generation++;
		this.configs = new Map([...this.options.initialConfig].map(([keyId, config]) => [keyId, { ...config }]));
		this.log = [];
		this.deliveries = [];
	}

	/** Stops retries and queued deliveries; the attempt in flight finishes. */
	stop(): Promise<void> {
		this.generation++;
		return this.idle();
	}

	config(keyId: string): IdinWebhookConfig {
		const config = this.configs.get(keyId);
		if (config === undefined) throw new HttpError(404, `no iDIN key ${keyId}`);
		return { ...config };
	}

	/** Changes what is given; an absent field keeps its setting. */
	configure(keyId: string, changes: Partial<IdinWebhookConfig>): IdinWebhookConfig {
		this.configs.set(keyId, checkedConfig({ ...this.config(keyId), ...changes }));
		return this.config(keyId);
	}

	events(): KeyedEvent[] {
		return this.log.map((entry) => ({ keyId: entry.keyId, event: { ...entry.event } }));
	}

	allDeliveries(): IdinDelivery[] {
		return this.deliveries.map((delivery) => ({ ...delivery }));
	}

	/** Resolves once every queued delivery has been made. */
	idle(): Promise<void> {
		return this.queue;
	}

	/** Records the events and queues their delivery (when the key has a URL); resolves once they are out. */
	async publish(events: KeyedEvent[]): Promise<IdinDelivery[]> {
		this.log.push(...events);
		for (const { keyId, event } of events) {
			const target = targetOf(this.config(keyId));
			if (target !== undefined) this.enqueue(() => this.deliverWithRetries(target, event));
		}
		await this.idle();
		const ids = new Set(events.map(({ event }) => event.id));
		return this.deliveries.filter((delivery) => delivery.eventId !== null && ids.has(delivery.eventId));
	}

	/** The exact body of an event sent again, once per `times`, without retries: duplicates on demand. */
	async redeliver(eventId: string, options: { times?: number; url?: string } = {}): Promise<IdinDelivery[]> {
		const entry = this.log.find(({ event }) => event.id === eventId);
		if (entry === undefined) throw new HttpError(404, `no webhook event ${eventId}`);
		const configured = this.config(entry.keyId);
		const target = targetOf(checkedConfig({ ...configured, url: options.url ?? configured.url }));
		if (target === undefined) throw new HttpError(409, `key ${entry.keyId} has no webhook URL; pass one`);
		return this.sendTimes('redelivery', target, JSON.stringify(entry.event), options.times);
	}

	/** Anything a forger could POST to the receiver; forged events are not recorded as events. */
	async forge(options: ForgeOptions): Promise<IdinDelivery[]> {
		if (options.rawBody !== undefined && typeof options.rawBody !== 'string') {
			throw new HttpError(400, 'rawBody must be a string');
		}
		if (options.event !== undefined && !isRecord(options.event)) throw new HttpError(400, 'event must be an object');
		const keyId = options.keyId ?? [...this.configs.keys()][0];
		const configured = this.config(keyId);
		const header = options.header === undefined ? configured.header : options.header;
		const target = targetOf(checkedConfig({ url: options.url ?? configured.url, header }));
		if (target === undefined) throw new HttpError(409, `key ${keyId} has no webhook URL; pass one`);
		const body = options.rawBody ?? JSON.stringify(this.forgedEvent(options.event ?? {}));
		return this.sendTimes('forged', target, body, options.times);
	}

	private forgedEvent(fields: Record<string, unknown>): Record<string, unknown> {
		return {
			id: randomUUID(),
			event: 'person.updated',
			group: randomUUID(),
			person: randomUUID(),
			status: 'success',
			created: atomTime(this.options.now()),
			...fields,
		};
	}

	private async sendTimes(kind: DeliveryKind, target: Target, body: string, times = 1): Promise<IdinDelivery[]> {
		if (!Number.isInteger(times) || times < 1 || times > MAX_TIMES) {
			throw new HttpError(400, `times must be an integer from 1 to ${MAX_TIMES}`);
		}
		const sent: IdinDelivery[] = [];
		for (let attempt = 1; attempt <= times; attempt++) {
			this.enqueue(async () => void sent.push(await this.post(kind, target, body, 1)));
		}
		await this.idle();
		return sent;
	}

	/** Retries follow at once: the sandbox never waits on real timers, and a receiver cannot tell the difference. */
	private async deliverWithRetries(target: Target, event: IdinEvent): Promise<void> {
		const generation = this.generation;
		const body = JSON.stringify(event);
		for (let attempt = 1; attempt <= this.options.maxAttempts && generation === this.generation; attempt++) {
			if ((await this.post('event', target, body, attempt)).acknowledged) return;
		}
	}

	private enqueue(task: () => Promise<void>): void {
		const generation = this.generation;
		this.queue = this.queue.then(() => (generation === this.generation ? task() : undefined));
	}

	private async post(kind: DeliveryKind, target: Target, body: string, attempt: number): Promise<IdinDelivery> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (target.header !== null) headers[target.header.name.toLowerCase()] = target.header.value;
		const at = this.options.now();
		const generation = this.generation;
		const outcome = await this.call(target.url, headers, body);
		const recorded: IdinDelivery = {
			kind,
			eventId: eventIdOf(body),
			url: target.url,
			attempt,
			headers,
			body,
			at,
			...outcome,
		};
		// A reset during the call started a new log; this answer belongs to the old one.
		if (generation === this.generation) this.deliveries.push(recorded);
		return recorded;
	}

	private async call(url: string, headers: Record<string, string>, body: string) {
		try {
			const answer = await deliverWebhook(url, { headers, body, timeoutMs: this.options.timeoutMs });
			return { status: answer.status, acknowledged: answer.status >= 200 && answer.status < 300 };
		} catch (error) {
			return { status: null, acknowledged: false, error: (error as Error).message };
		}
	}
}

/** A configuration that can be delivered to: one with a URL. */
type Target = IdinWebhookConfig & { url: string };

function targetOf(config: IdinWebhookConfig): Target | undefined {
	return config.url === null ? undefined : { url: config.url, header: config.header };
}

function eventIdOf(body: string): string | null {
	try {
		const parsed: unknown = JSON.parse(body);
		const id = (parsed as Record<string, unknown> | null)?.id;
		return typeof id === 'string' ? id : null;
	} catch {
		return null;
	}
}

/** A URL the sandbox can call and a header Node can send; bad settings fail where they are made. */
function checkedConfig(config: IdinWebhookConfig): IdinWebhookConfig {
	if (config.url !== null && !isHttpUrl(config.url)) {
		throw new HttpError(400, `webhook url must be an http(s) URL or null, got ${String(config.url)}`);
	}
	const header = config.header;
	if (header !== null && !isSendableHeader(header ?? {})) {
		throw new HttpError(400, 'header must be null or { name: an HTTP header name, value: a single-line string }');
	}
	return { url: config.url, header: header === null ? null : { name: header.name, value: header.value } };
}

function isSendableHeader(header: Partial<IdinWebhookHeader>): boolean {
	return (
		typeof header === 'object' &&
		typeof header.name === 'string' &&
		HEADER_NAME.test(header.name) &&
		typeof header.value === 'string' &&
		!/[\r\n]/.test(header.value)
	);
}
