import { Readable } from 'node:stream';

import {
	bytesResponse,
	deliverWebhook,
	HttpError,
	jsonResponse,
	SandboxClock,
	SandboxServer,
	streamResponse,
} from './framework';

const START = Date.UTC(2025, 0, 1, 12, 0, 0);

function demoServer(): SandboxServer {
	const server = new SandboxServer({ name: 'demo', clock: new SandboxClock({ startMs: START }) });
	let created = 0;
	return server
		.route('GET', '/items/:id', (request) => jsonResponse(200, { id: request.params.id, query: request.query }))
		.route('GET', '/items/:id/parts/:part', (request) => jsonResponse(200, request.params))
		.route('POST', '/echo', (request) =>
			bytesResponse(200, request.body, request.headers['content-type'] ?? 'application/octet-stream'),
		)
		.route('POST', '/json', (request) => jsonResponse(200, { parsed: request.json() }))
		.route('POST', '/form', (request) => jsonResponse(200, request.form()))
		.route('POST', '/create', () => jsonResponse(201, { created: ++created, padding: 'x'.repeat(100) }))
		.route('GET', '/stream', () => streamResponse(200, Readable.from([Buffer.from('chunk-1;'), Buffer.from('chunk-2')]), 'text/plain'))
		.route('GET', '/time', () => jsonResponse(200, { now: server.clock.now() }))
		.route('GET', '/teapot', () => {
			throw new HttpError(418, 'short and stout', { 'x-kind': 'teapot' });
		})
		.route('GET', '/bug', () => {
			throw new Error('simulator bug');
		});
}

describe('SandboxServer', () => {
	let server: SandboxServer;
	let base: string;

	beforeEach(async () => {
		server = demoServer();
		base = await server.start();
	});

	afterEach(() => server.stop());

	describe('routing', () => {
		it('listens on an ephemeral port of 127.0.0.1', () => {
			expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(server.baseUrl).toBe(base);
		});

		it('matches method and path pattern, decoding params and parsing the query', async () => {
			const answer = await fetch(`${base}/items/a%20b?page=2&tag=x&tag=y`);
			expect(answer.status).toBe(200);
			expect(await answer.json()).toEqual({ id: 'a b', query: { page: '2', tag: 'x' } });
			expect(await (await fetch(`${base}/items/7/parts/wheel`)).json()).toEqual({ id: '7', part: 'wheel' });
		});

		it('answers 404 in the error format for unknown paths and methods', async () => {
			for (const [method, path] of [['GET', '/nowhere'], ['DELETE', '/items/1'], ['GET', '/items/1/extra']]) {
				const answer = await fetch(`${base}${path}`, { method });
				expect(answer.status).toBe(404);
				expect(await answer.json()).toEqual({ error: 'Not Found' });
			}
		});

		it('hands the raw body over as bytes', async () => {
			const bytes = Buffer.from([0, 1, 2, 250, 255]);
			const answer = await fetch(`${base}/echo`, {
				method: 'POST',
				body: bytes,
				headers: { 'content-type': 'application/x-test' },
			});
			expect(answer.headers.get('content-type')).toBe('application/x-test');
			expect(answer.headers.get('content-length')).toBe('5');
			expect(Buffer.from(await answer.arrayBuffer())).toEqual(bytes);
		});

		it('parses JSON bodies and answers malformed ones with 400', async () => {
			const ok = await fetch(`${base}/json`, { method: 'POST', body: '{"a":[1,2]}' });
			expect(await ok.json()).toEqual({ parsed: { a: [1, 2] } });
			const bad = await fetch(`${base}/json`, { method: 'POST', body: '{"a":' });
			expect(bad.status).toBe(400);
			expect(await bad.json()).toEqual({ error: 'Malformed JSON body' });
		});

		it('parses form bodies', async () => {
			const answer = await fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ a: 'x y', b: 'ä' }) });
			expect(await answer.json()).toEqual({ a: 'x y', b: 'ä' });
		});

		it('streams stream bodies', async () => {
			const answer = await fetch(`${base}/stream`);
			expect(answer.headers.get('transfer-encoding')).toBe('chunked');
			expect(await answer.text()).toBe('chunk-1;chunk-2');
		});

		it('renders a thrown HttpError with its status, message and headers', async () => {
			const answer = await fetch(`${base}/teapot`);
			expect(answer.status).toBe(418);
			expect(answer.headers.get('x-kind')).toBe('teapot');
			expect(await answer.json()).toEqual({ error: 'short and stout' });
		});

		it('turns a handler bug into a 500 and reports it on stderr', async () => {
			const report = jest.spyOn(console, 'error').mockImplementation(() => undefined);
			const answer = await fetch(`${base}/bug`);
			expect(answer.status).toBe(500);
			expect(await answer.json()).toEqual({ error: 'Internal Server Error' });
			expect(report).toHaveBeenCalledWith('sandbox handler failed:', expect.objectContaining({ message: 'simulator bug' }));
			report.mockRestore();
		});

		it('uses the error format the simulator gives', async () => {
			const custom = new SandboxServer({ name: 'custom', errorBody: (status, message) => ({ code: status, text: message ?? 'none' }) });
			const customBase = await custom.start();
			try {
				expect(await (await fetch(`${customBase}/x`)).json()).toEqual({ code: 404, text: 'none' });
			} finally {
				await custom.stop();
			}
		});

		it('refuses a second start, and stop is idempotent', async () => {
			await expect(server.start()).rejects.toThrow('already started');
			await server.stop();
			await server.stop();
			expect(() => server.baseUrl).toThrow('not started');
		});

		it('can listen on a fixed port', async () => {
			const port = Number(new URL(base).port);
			await server.stop();
			const fixed = new SandboxServer({ name: 'fixed', port });
			try {
				expect(await fixed.start()).toBe(`http://127.0.0.1:${port}`);
			} finally {
				await fixed.stop();
			}
		});
	});

	describe('clock', () => {
		it('is frozen at its start time until moved', async () => {
			expect(server.clock.now()).toBe(START);
			expect(await (await fetch(`${base}/time`)).json()).toEqual({ now: START });
			expect(server.clock.advance(120_000)).toBe(START + 120_000);
			expect(server.clock.set(START - 5)).toBe(START - 5);
			expect(server.clock.reset()).toBe(START);
		});

		it('never runs backwards through advance', () => {
			expect(() => server.clock.advance(-1)).toThrow(RangeError);
			expect(() => server.clock.set(Number.NaN)).toThrow(RangeError);
		});

		it('starts at the real time by default', () => {
			const before = Date.now();
			const now = new SandboxClock().now();
			expect(now).toBeGreaterThanOrEqual(before);
			expect(now).toBeLessThanOrEqual(Date.now());
		});

		it('can tick along with real time, on top of advances', () => {
			// Real time is faked so that the elapsed time is exact: a frozen clock would stay put and fail every line.
			let realNow = Date.UTC(2030, 0, 1);
			const dateNow = jest.spyOn(Date, 'now').mockImplementation(() => realNow);
			try {
				const clock = new SandboxClock({ startMs: 0, ticking: true });
				const frozen = new SandboxClock({ startMs: 0 });
				realNow += 5_000;
				expect(clock.now()).toBe(5_000);
				expect(frozen.now()).toBe(0);
				expect(clock.advance(60_000)).toBe(65_000);
				realNow += 1_000;
				expect(clock.now()).toBe(66_000);
				expect(clock.set(START)).toBe(START);
				realNow += 250;
				expect(clock.now()).toBe(START + 250);
				expect(clock.reset()).toBe(0);
				realNow += 10;
				expect(clock.now()).toBe(10);
			} finally {
				dateNow.mockRestore();
			}
		});
	});

	describe('rate limit', () => {
		const get = (auth?: string) => fetch(`${base}/items/1`, { headers: auth ? { authorization: auth } : {} });

		it('answers 429 with Retry-After beyond the in-flight limit of one client, and serves other clients', async () => {
			server.setLatency(60);
			server.setRateLimit({ maxInFlight: 2, retryAfterSeconds: 3 });
			const answers = await Promise.all([get('Bearer a'), get('Bearer a'), get('Bearer a'), get('Bearer b')]);
			const statuses = answers.map((answer) => answer.status).sort();
			expect(statuses).toEqual([200, 200, 200, 429]);
			const refused = answers.find((answer) => answer.status === 429)!;
			expect(refused.headers.get('retry-after')).toBe('3');
			expect(server.rateLimitState()).toEqual({ limit: { maxInFlight: 2, retryAfterSeconds: 3 }, rejected: 1, peakInFlight: 2 });
			expect(server.requests().filter((entry) => entry.rateLimited)).toHaveLength(1);
			// Once the first ones are answered, the client is admitted again.
			expect((await get('Bearer a')).status).toBe(200);
		});

		it('is lifted by null and by reset, and refuses nonsense', async () => {
			server.setRateLimit({ maxInFlight: 1, retryAfterSeconds: 1 });
			server.setRateLimit(null);
			server.setLatency(30);
			expect((await Promise.all([get(), get()])).map((answer) => answer.status)).toEqual([200, 200]);
			server.setRateLimit({ maxInFlight: 1, retryAfterSeconds: 1 });
			server.reset();
			expect(server.rateLimitState().limit).toBeNull();
			expect(() => server.setRateLimit({ maxInFlight: 0, retryAfterSeconds: 1 })).toThrow(RangeError);
			expect(() => server.setRateLimit({ maxInFlight: 1, retryAfterSeconds: 0.5 })).toThrow(RangeError);
		});

		it('is steered over the control surface', async () => {
			const put = (body: unknown) =>
				fetch(`${base}/__sandbox/rate-limit`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(await (await put({ maxInFlight: 10, retryAfterSeconds: 1 })).json()).toEqual({
				limit: { maxInFlight: 10, retryAfterSeconds: 1 },
				rejected: 0,
				peakInFlight: 0,
			});
			expect((await put({ maxInFlight: -1 })).status).toBe(400);
			expect(await (await put(null)).json()).toMatchObject({ limit: null });
		});
	});

	describe('latency', () => {
		it('delays every answer by at least the set time', async () => {
			server.setLatency(80);
			const started = performance.now();
			expect((await fetch(`${base}/items/1`)).status).toBe(200);
			expect(performance.now() - started).toBeGreaterThanOrEqual(75);
			expect(() => server.setLatency(-1)).toThrow(RangeError);
		});
	});

	describe('faults', () => {
		it('answers the next N requests with 429 and Retry-After, then serves normally', async () => {
			server.queueFault({ kind: 'status', status: 429, retryAfter: 3, times: 2 });
			for (let attempt = 0; attempt < 2; attempt++) {
				const answer = await fetch(`${base}/items/1`);
				expect(answer.status).toBe(429);
				expect(answer.headers.get('retry-after')).toBe('3');
				expect(await answer.json()).toEqual({ error: 'Too Many Requests' });
			}
			expect((await fetch(`${base}/items/1`)).status).toBe(200);
		});

		it('answers 500 (or any status) without running the handler', async () => {
			server.queueFault({ kind: 'status', status: 500 });
			server.queueFault({ kind: 'status', status: 503, message: 'maintenance' });
			const first = await fetch(`${base}/create`, { method: 'POST' });
			expect(first.status).toBe(500);
			expect(first.headers.get('retry-after')).toBeNull();
			expect(await first.json()).toEqual({ error: 'Internal Server Error' });
			const second = await fetch(`${base}/create`, { method: 'POST' });
			expect([second.status, await second.json()]).toEqual([503, { error: 'maintenance' }]);
			expect(await (await fetch(`${base}/create`, { method: 'POST' })).json()).toMatchObject({ created: 1 });
		});

		it('only hits requests matching the method and path filter, in queue order', async () => {
			server.queueFault({ kind: 'status', status: 502, method: 'post', path: '/items/*' });
			server.queueFault({ kind: 'status', status: 504, path: '/items/:id' });
			expect((await fetch(`${base}/time`)).status).toBe(200);
			expect((await fetch(`${base}/items/1`)).status).toBe(504);
			expect(server.pendingFaults()).toEqual([{ kind: 'status', status: 502, method: 'post', path: '/items/*', times: 1 }]);
			server.clearFaults();
			expect(server.pendingFaults()).toEqual([]);
		});

		it('hangs until the client gives up', async () => {
			server.queueFault({ kind: 'hang' });
			await expect(fetch(`${base}/items/1`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(
				expect.objectContaining({ name: 'TimeoutError' }),
			);
			expect((await fetch(`${base}/items/1`)).status).toBe(200);
		});

		it('hangs until the server stops, and stop closes the hanging connection', async () => {
			server.queueFault({ kind: 'hang' });
			const pending = fetch(`${base}/items/1`);
			await waitFor(() => server.countRequests() === 1);
			await server.stop();
			await expect(pending).rejects.toThrow();
		});

		it('truncates the body after the handler ran, which the client notices', async () => {
			server.queueFault({ kind: 'truncate', path: '/create' });
			const answer = await fetch(`${base}/create`, { method: 'POST' });
			expect(answer.status).toBe(201);
			expect(Number(answer.headers.get('content-length'))).toBeGreaterThan(100);
			await expect(answer.arrayBuffer()).rejects.toThrow();
			expect(await (await fetch(`${base}/create`, { method: 'POST' })).json()).toMatchObject({ created: 2 });
		});

		it('truncates streamed bodies too', async () => {
			server.queueFault({ kind: 'truncate' });
			const answer = await fetch(`${base}/stream`);
			expect(answer.headers.get('content-length')).toBe('15');
			await expect(answer.text()).rejects.toThrow();
		});

		it('rejects malformed fault specs', () => {
			expect(() => server.queueFault({ kind: 'status', status: 42 })).toThrow(RangeError);
			expect(() => server.queueFault({ kind: 'hang', times: 0 })).toThrow(RangeError);
			expect(() => server.queueFault({ kind: 'explode' } as never)).toThrow('unknown fault kind');
		});
	});

	describe('request log', () => {
		it('records method, path, query, headers, body, clock time and fault', async () => {
			server.queueFault({ kind: 'status', status: 500, path: '/json' });
			await fetch(`${base}/json?x=1`, { method: 'POST', body: '{"a":1}', headers: { 'x-test': 'yes' } });
			server.clock.advance(1000);
			await fetch(`${base}/items/9`);
			const [first, second] = server.requests();
			expect(first).toMatchObject({ method: 'POST', path: '/json', query: { x: '1' }, at: START, fault: 'status' });
			expect(first.headers['x-test']).toBe('yes');
			expect(first.body.toString()).toBe('{"a":1}');
			expect(second).toMatchObject({ method: 'GET', path: '/items/9', at: START + 1000, fault: undefined });
		});

		it('counts by method and path pattern, and can be cleared', async () => {
			await fetch(`${base}/items/1`);
			await fetch(`${base}/items/2`);
			await fetch(`${base}/json`, { method: 'POST', body: '1' });
			expect(server.countRequests()).toBe(3);
			expect(server.countRequests({ path: '/items/:id' })).toBe(2);
			expect(server.countRequests({ method: 'post' })).toBe(1);
			expect(server.countRequests({ method: 'GET', path: '/json' })).toBe(0);
			server.clearRequests();
			expect(server.countRequests()).toBe(0);
		});
	});

	describe('webhook delivery', () => {
		it('sends method, headers and body to a URL and returns the answer', async () => {
			const answer = await deliverWebhook(`${base}/echo?src=test`, {
				headers: { 'content-type': 'application/json', 'x-signature': 'abc' },
				body: '{"event":"done"}',
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toBe('{"event":"done"}');
			const [received] = server.requests({ path: '/echo' });
			expect(received).toMatchObject({ method: 'POST', query: { src: 'test' } });
			expect(received.headers['x-signature']).toBe('abc');
		});

		it('can GET or PUT as some providers do', async () => {
			expect((await deliverWebhook(`${base}/items/5`, { method: 'GET' })).body).toBe('{"id":"5","query":{}}');
			expect((await deliverWebhook(`${base}/items/5`, { method: 'PUT', body: 'x' })).status).toBe(404);
		});

		it('rejects when the receiver cannot be reached or does not answer in time', async () => {
			server.queueFault({ kind: 'hang' });
			await expect(deliverWebhook(`${base}/items/1`, { method: 'GET', timeoutMs: 100 })).rejects.toThrow(
				'did not answer within 100 ms',
			);
			await server.stop();
			await expect(deliverWebhook(`${base}/echo`, { body: 'x' })).rejects.toThrow('ECONNREFUSED');
		});
	});

	describe('control surface', () => {
		async function control(method: string, path: string, body?: unknown) {
			const answer = await fetch(`${base}/__sandbox${path}`, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			// Answers are checked field by field with jest matchers, so their static type does not matter here.
			return { status: answer.status, body: (await answer.json()) as any };
		}

		it('describes the server', async () => {
			const { status, body } = await control('GET', '');
			expect(status).toBe(200);
			expect(body).toMatchObject({ name: 'demo', baseUrl: base, latencyMs: 0, faults: [] });
			expect(body.routes).toContain('GET /items/:id');
			expect(body.controls).toContain('POST /__sandbox/clock/advance');
			expect(server.controlEndpoints()).toEqual(body.controls);
		});

		it('moves the clock', async () => {
			expect(await control('POST', '/clock/advance', { ms: 1500 })).toEqual({
				status: 200,
				body: { now: START + 1500, iso: '2025-01-01T12:00:01.500Z' },
			});
			expect((await control('POST', '/clock/set', { ms: 0 })).body.now).toBe(0);
			expect((await control('GET', '/clock')).body.iso).toBe('1970-01-01T00:00:00.000Z');
			expect(await control('POST', '/clock/advance', { ms: -5 })).toEqual({
				status: 400,
				body: { error: 'advance needs a non-negative number of ms, got -5' },
			});
			expect((await control('POST', '/clock/set', {})).body).toEqual({ error: 'body needs a numeric "ms"' });
		});

		it('sets latency and queues, lists and clears faults', async () => {
			expect((await control('POST', '/latency', { ms: 10 })).body).toEqual({ latencyMs: 10 });
			const queued = await control('POST', '/faults', { kind: 'status', status: 429, retryAfter: 1, times: 2 });
			expect(queued.status).toBe(201);
			expect((await control('GET', '/faults')).body.faults).toEqual([{ kind: 'status', status: 429, retryAfter: 1, times: 2 }]);
			expect((await fetch(`${base}/items/1`)).status).toBe(429);
			expect((await control('GET', '/faults')).body.faults[0].times).toBe(1);
			expect((await control('DELETE', '/faults')).body).toEqual({ faults: [] });
			expect((await fetch(`${base}/items/1`)).status).toBe(200);
			expect((await control('POST', '/faults', { kind: 'nope' })).status).toBe(400);
		});

		it('reads and clears the request log, which control calls stay out of', async () => {
			await fetch(`${base}/items/1`);
			await fetch(`${base}/json`, { method: 'POST', body: '{"k":"v"}' });
			const all = await control('GET', '/requests');
			expect(all.body.count).toBe(2);
			const posts = await control('GET', '/requests?method=POST&path=/json');
			expect(posts.body).toMatchObject({ count: 1, requests: [{ method: 'POST', path: '/json', body: '{"k":"v"}' }] });
			expect(posts.body.requests[0].atIso).toBe('2025-01-01T12:00:00.000Z');
			await control('DELETE', '/requests');
			expect((await control('GET', '/requests')).body.count).toBe(0);
		});

		it('resets log, faults, latency and clock', async () => {
			await fetch(`${base}/items/1`);
			server.setLatency(5);
			server.queueFault({ kind: 'hang' });
			server.clock.advance(10);
			expect((await control('POST', '/reset')).body).toMatchObject({ reset: true, clock: { now: START } });
			expect((await control('GET', '')).body).toMatchObject({ latencyMs: 0, faults: [] });
			expect(server.countRequests()).toBe(0);
		});

		it('is exempt from faults and answers 404 for unknown control paths', async () => {
			server.queueFault({ kind: 'hang' });
			expect((await control('GET', '/clock')).status).toBe(200);
			expect(await control('GET', '/nothing')).toEqual({ status: 404, body: { error: 'Not Found' } });
			expect(server.pendingFaults()).toHaveLength(1);
		});
	});
});

/** Waits for a condition that an event (a request reaching the server) makes true, without guessing a delay. */
async function waitFor(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
