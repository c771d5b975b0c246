/**
 * The common machinery of every provider sandbox: a real HTTP server on 127.0.0.1 with routing, a controllable
 * clock, injected latency and faults, a request log, and a JSON control surface under `/__sandbox/…` so that a
 * process which does not hold the simulator object (the end-to-end suite driving real n8n) can steer it.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { SandboxClock } from './clock';
import { FaultQueue, type Fault, type FaultSpec } from './faults';
import {
	compilePattern,
	HttpError,
	jsonResponse,
	Router,
	type RouteHandler,
	type SandboxRequest,
	type SandboxResponse,
} from './http';

export { SandboxClock, type SandboxClockOptions } from './clock';
export type { Fault, FaultFilter, FaultSpec } from './faults';
export {
	bytesResponse,
	htmlResponse,
	HttpError,
	jsonResponse,
	streamResponse,
	type RouteHandler,
	type SandboxRequest,
	type SandboxResponse,
} from './http';
export { deliverWebhook, type WebhookRequest, type WebhookResult } from './webhook';

export const CONTROL_PREFIX = '/__sandbox';

export interface SandboxServerOptions {
	/** Shown by `GET /__sandbox`. */
	name: string;
	/** Default 0: an ephemeral port chosen by the system. */
	port?: number;
	clock?: SandboxClock;
	/**
	 * Renders every error answer (injected faults, unknown routes, `HttpError`s) in the provider's own format;
	 * `message` is undefined when the caller gave none, so the provider can use its own wording.
	 * Default `{ error: message or the HTTP reason phrase }`.
	 */
	errorBody?: (status: number, message: string | undefined) => unknown;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: Buffer;
	/** Sandbox clock time at arrival. */
	at: number;
	/** The injected fault this request met, if any. */
	fault?: Fault['kind'];
	/** Answered 429 by the rate limit (setRateLimit) before anything else happened. */
	rateLimited?: true;
}

/**
 * What real APIs do when one client sends too much at once: at most `maxInFlight` provider requests of one client
 * (its Authorization header, else its address) are served at a time; one more is answered 429 with `Retry-After`.
 */
export interface RateLimit {
	maxInFlight: number;
	/** Whole seconds, as HTTP's delta-seconds are. */
	retryAfterSeconds: number;
}

export interface RateLimitState {
	limit: RateLimit | null;
	/** Requests answered 429 by the limit since it was set. */
	rejected: number;
	/** The most requests of one client served at the same time since the limit was set. */
	peakInFlight: number;
}

export interface RequestFilter {
	method?: string;
	/** A route pattern, e.g. `/api/auth/v1/token` or `/api/ident/*`. */
	path?: string;
}

export class SandboxServer {
	readonly name: string;
	readonly clock: SandboxClock;
	private readonly port: number;
	private readonly errorBody: (status: number, message: string | undefined) => unknown;
	private readonly routes = new Router();
	private readonly controls = new Router();
	private readonly faults = new FaultQueue();
	private log: LoggedRequest[] = [];
	private latencyMs = 0;
	private rateLimit: RateLimit | null = null;
	private readonly inFlight = new Map<string, number>();
	private rateLimitCounters = { rejected: 0, peakInFlight: 0 };
	private server: Server | undefined;
	private url: string | undefined;
	/** Aborted by `stop()` so that responses waiting out an injected latency give up at once. */
	private stopping = new AbortController();

	constructor(options: SandboxServerOptions) {
		this.name = options.name;
		this.port = options.port ?? 0;
		this.clock = options.clock ?? new SandboxClock();
		this.errorBody = options.errorBody ?? ((status, message) => ({ error: message ?? STATUS_CODES[status] }));
		this.registerCommonControls();
	}

	get started(): boolean {
		return this.url !== undefined;
	}

	/** The `http://127.0.0.1:<port>` this server answers on; only known once started. */
	get baseUrl(): string {
		if (this.url === undefined) throw new Error(`${this.name} sandbox is not started`);
		return this.url;
	}

	route(method: string, pattern: string, handler: RouteHandler): this {
		this.routes.add(method, pattern, handler);
		return this;
	}

	/** A control endpoint at `/__sandbox<subpath>`; exempt from faults, latency and the request log. */
	control(method: string, subpath: string, handler: RouteHandler): this {
		this.controls.add(method, CONTROL_PREFIX + subpath, handler);
		return this;
	}

	/** `METHOD /__sandbox/…` of every control endpoint. */
	controlEndpoints(): string[] {
		return this.controls.describe();
	}

	/** Delay before every (non-control) answer, in real milliseconds: latency is about wall time by nature. */
	setLatency(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) {
			throw new RangeError(`latency must be a non-negative number of ms, got ${ms}`);
		}
		this.latencyMs = ms;
	}

	/** `null` lifts the limit. Setting one starts its counters afresh. */
	setRateLimit(limit: RateLimit | null): void {
		if (limit !== null) {
			if (!(Number.isInteger(limit.maxInFlight) && limit.maxInFlight > 0)) {
				throw new RangeError(`maxInFlight must be a whole number of at least 1, got ${limit.maxInFlight}`);
			}
			if (!(Number.isInteger(limit.retryAfterSeconds) && limit.retryAfterSeconds >= 0)) {
				throw new RangeError(`retryAfterSeconds must be a whole number of at least 0, got ${limit.retryAfterSeconds}`);
			}
		}
		this.rateLimit = limit === null ? null : { maxInFlight: limit.maxInFlight, retryAfterSeconds: limit.retryAfterSeconds };
		this.rateLimitCounters = { rejected: 0, peakInFlight: 0 };
	}

	rateLimitState(): RateLimitState {
		return { limit: this.rateLimit, ...this.rateLimitCounters };
	}

	queueFault(spec: FaultSpec): void {
		this.faults.add(spec);
	}

	pendingFaults(): FaultSpec[] {
		return this.faults.pending();
	}

	clearFaults(): void {
		this.faults.clear();
	}

	requests(filter: RequestFilter = {}): LoggedRequest[] {
		const method = filter.method?.toUpperCase();
		const pattern = filter.path === undefined ? undefined : compilePattern(filter.path);
		return this.log.filter(
			(entry) =>
				(method === undefined || entry.method === method) &&
				(pattern === undefined || pattern.match(entry.path) !== undefined),
		);
	}

	countRequests(filter: RequestFilter = {}): number {
		return this.requests(filter).length;
	}

	clearRequests(): void {
		this.log = [];
	}

	/** Back to the state right after construction: log, faults, latency, clock and the simulator's own data. */
	reset(): void {
		this.clearRequests();
		this.clearFaults();
		this.latencyMs = 0;
		this.setRateLimit(null);
		this.clock.reset();
		this.resetState();
	}

	/** Simulators clear their own data here. */
	protected resetState(): void {}

	async start(): Promise<string> {
		if (this.server) throw new Error(`${this.name} sandbox is already started`);
		const server = createServer((request, response) => void this.handle(request, response));
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', resolve);
		});
		this.server = server;
		this.stopping = new AbortController();
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return this.url;
	}

	/** Closes the listener and every connection, including requests an injected `hang` keeps open. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		this.url = undefined;
		this.stopping.abort();
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		await closed;
	}

	/** An error answer in the provider's format. */
	protected errorResponse(status: number, message?: string, headers: Record<string, string> = {}): SandboxResponse {
		return jsonResponse(status, this.errorBody(status, message), headers);
	}

	private async handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
		try {
			const request = await readRequest(incoming);
			if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
				send(outgoing, await this.dispatch(this.controls, request, controlFailure));
				return;
			}
			await this.serveProviderRequest(request, outgoing, clientOf(incoming));
		} catch {
			// Handler failures are answered in dispatch(); what lands here is a client that went away mid-request
			// or a latency wait cut short by stop(). Either way there is nobody left to answer.
			outgoing.destroy();
		}
	}

	private async serveProviderRequest(request: SandboxRequest, outgoing: ServerResponse, client: string): Promise<void> {
		const limit = this.rateLimit;
		const inFlight = (this.inFlight.get(client) ?? 0) + 1;
		if (limit && inFlight > limit.maxInFlight) {
			this.rateLimitCounters.rejected += 1;
			this.log.push({ ...logFields(request), at: this.clock.now(), rateLimited: true });
			if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: this.stopping.signal });
			send(outgoing, this.errorResponse(429, 'Too many requests in flight', { 'retry-after': String(limit.retryAfterSeconds) }));
			return;
		}
		this.inFlight.set(client, inFlight);
		this.rateLimitCounters.peakInFlight = Math.max(this.rateLimitCounters.peakInFlight, inFlight);
		try {
			await this.serveAdmitted(request, outgoing);
		} finally {
			const left = (this.inFlight.get(client) ?? 1) - 1;
			if (left > 0) this.inFlight.set(client, left);
			else this.inFlight.delete(client);
		}
	}

	private async serveAdmitted(request: SandboxRequest, outgoing: ServerResponse): Promise<void> {
		const fault = this.faults.take(request.method, request.path);
		this.log.push({ ...logFields(request), at: this.clock.now(), fault: fault?.kind });
		if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: this.stopping.signal });
		if (fault?.kind === 'hang') return;
		if (fault?.kind === 'status') {
			const headers: Record<string, string> =
				fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
			send(outgoing, this.errorResponse(fault.status, fault.message, headers));
			return;
		}
		const response = await this.dispatch(this.routes, request, unexpectedFailure);
		if (fault?.kind === 'truncate') await sendTruncated(outgoing, response);
		else send(outgoing, response);
	}

	private async dispatch(
		router: Router,
		request: SandboxRequest,
		onUnexpected: (error: Error) => HttpError,
	): Promise<SandboxResponse> {
		const match = router.find(request.method, request.path);
		if (!match) return this.errorResponse(404);
		try {
			return await match.handler({ ...request, params: match.params });
		} catch (error) {
			const httpError = error instanceof HttpError ? error : onUnexpected(error);
			return this.errorResponse(httpError.status, httpError.message || undefined, httpError.headers);
		}
	}

	private registerCommonControls(): void {
		this.control('GET', '', () =>
			jsonResponse(200, {
				name: this.name,
				baseUrl: this.url,
				clock: this.clockState(),
				latencyMs: this.latencyMs,
				rateLimit: this.rateLimitState(),
				faults: this.pendingFaults(),
				routes: this.routes.describe(),
				controls: this.controlEndpoints(),
			}),
		);
		this.control('GET', '/clock', () => jsonResponse(200, this.clockState()));
		this.control('POST', '/clock/advance', (request) => {
			this.clock.advance(numberField(request, 'ms'));
			return jsonResponse(200, this.clockState());
		});
		this.control('POST', '/clock/set', (request) => {
			this.clock.set(numberField(request, 'ms'));
			return jsonResponse(200, this.clockState());
		});
		this.control('POST', '/latency', (request) => {
			this.setLatency(numberField(request, 'ms'));
			return jsonResponse(200, { latencyMs: this.latencyMs });
		});
		this.control('GET', '/rate-limit', () => jsonResponse(200, this.rateLimitState()));
		this.control('PUT', '/rate-limit', (request) => {
			const body = request.json() as RateLimit | null;
			try {
				this.setRateLimit(body === null ? null : { maxInFlight: body?.maxInFlight, retryAfterSeconds: body?.retryAfterSeconds ?? 1 });
			} catch (error) {
				throw new HttpError(400, (error as Error).message);
			}
			return jsonResponse(200, this.rateLimitState());
		});
		this.control('GET', '/faults', () => jsonResponse(200, { faults: this.pendingFaults() }));
		this.control('POST', '/faults', (request) => {
			this.queueFault(request.json() as FaultSpec);
			return jsonResponse(201, { faults: this.pendingFaults() });
		});
		this.control('DELETE', '/faults', () => {
			this.clearFaults();
			return jsonResponse(200, { faults: [] });
		});
		this.control('GET', '/requests', (request) => {
			const entries = this.requests({ method: request.query.method, path: request.query.path });
			return jsonResponse(200, { count: entries.length, requests: entries.map(describeLogged) });
		});
		this.control('DELETE', '/requests', () => {
			this.clearRequests();
			return jsonResponse(200, { count: 0, requests: [] });
		});
		this.control('POST', '/reset', () => {
			this.reset();
			return jsonResponse(200, { reset: true, clock: this.clockState() });
		});
	}

	private clockState(): { now: number; iso: string } {
		const now = this.clock.now();
		return { now, iso: new Date(now).toISOString() };
	}
}

async function readRequest(incoming: IncomingMessage): Promise<SandboxRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of incoming) chunks.push(chunk as Buffer);
	const body = Buffer.concat(chunks);
	const url = new URL(incoming.url ?? '/', 'http://sandbox');
	return {
		method: (incoming.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		params: {},
		query: Object.fromEntries([...url.searchParams.keys()].map((key) => [key, url.searchParams.get(key) ?? ''])),
		headers: incoming.headers,
		body,
		json: () => parseJson(body),
		form: () => Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
	};
}

/** Who a request comes from, for the rate limit: its credential when it has one, else its address. */
function clientOf(incoming: IncomingMessage): string {
	return incoming.headers.authorization ?? `address ${incoming.socket.remoteAddress ?? 'unknown'}`;
}

function parseJson(body: Buffer): unknown {
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		throw new HttpError(400, 'Malformed JSON body');
	}
}

function numberField(request: SandboxRequest, field: string): number {
	const value = (request.json() as Record<string, unknown> | null)?.[field];
	if (typeof value !== 'number') throw new HttpError(400, `body needs a numeric "${field}"`);
	return value;
}

/** Control calls fail on bad input (a negative latency, an unknown fault kind): the caller should hear why. */
function controlFailure(error: Error): HttpError {
	return new HttpError(400, error.message);
}

/** A bug in a simulator must not pass for an injected 500, so it is also printed. */
function unexpectedFailure(error: Error): HttpError {
	console.error('sandbox handler failed:', error);
	return new HttpError(500);
}

function logFields(request: SandboxRequest): Omit<LoggedRequest, 'at' | 'fault'> {
	const { method, path, query, headers, body } = request;
	return { method, path, query, headers, body };
}

/** The JSON form of a log entry: the body as UTF-8 text, the time also as ISO. */
function describeLogged(entry: LoggedRequest): Record<string, unknown> {
	return { ...entry, body: entry.body.toString('utf8'), atIso: new Date(entry.at).toISOString() };
}

function send(outgoing: ServerResponse, response: SandboxResponse): void {
	if (Buffer.isBuffer(response.body)) {
		outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
		outgoing.end(response.body);
		return;
	}
	outgoing.writeHead(response.status, response.headers);
	// A client that hangs up mid-download is not an error of the sandbox; pipeline cleans both ends up.
	pipeline(response.body, outgoing, () => undefined);
}

/** Declares the whole length, sends half of it, then cuts the connection. */
async function sendTruncated(outgoing: ServerResponse, response: SandboxResponse): Promise<void> {
	const body = Buffer.isBuffer(response.body) ? response.body : await collect(response.body);
	const sent = body.subarray(0, Math.floor(body.length / 2));
	const declared = Math.max(body.length, sent.length + 1);
	outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(declared) });
	outgoing.flushHeaders();
	outgoing.write(sent, () => outgoing.destroy());
}

async function collect(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}
