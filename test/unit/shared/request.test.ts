import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { inspect } from 'node:util';

import {
	closedPortUrl,
	createRequestContext,
	fakeClock,
	hangUp,
	json,
	silence,
	startTestServer,
	testCredentialType,
	text,
	TEST_NODE,
	type HarnessRequestContext,
	type TestServer,
} from '../../harness';
import { limitProviderConcurrency, providerConcurrencyFor } from '../../../nodes/shared/adaptiveConcurrency';
import { providerRequest, type ProviderCall, type ProviderRequestOptions } from '../../../nodes/shared/request';

const CLIENT_SECRET = 'client-secret-9f8e7d6c5b4a';
const BEARER = 'bearerTestApi';
const BASIC = 'basicTestApi';
const NONE = 'noAuthTestApi';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => await server.close());

/** A credential whose preAuthentication mints access-token-1-…, -2-… (n8n stores it and reuses it). */
async function bearerContext(mintToken?: () => string): Promise<HarnessRequestContext> {
	let minted = 0;
	const type = testCredentialType({
		name: BEARER,
		auth: 'bearer',
		mintToken: mintToken ?? (() => `access-token-${++minted}-f00dfeed`),
	});
	return await createRequestContext({ credentials: [{ type, data: { clientId: 'client-1', clientSecret: CLIENT_SECRET } }] });
}

async function basicContext(): Promise<HarnessRequestContext> {
	const type = testCredentialType({ name: BASIC, auth: 'basic' });
	return await createRequestContext({ credentials: [{ type, data: { clientId: 'client-1', clientSecret: CLIENT_SECRET } }] });
}

async function noAuthContext(): Promise<HarnessRequestContext> {
	return await createRequestContext({ credentials: [{ type: testCredentialType({ name: NONE, auth: 'none' }), data: {} }] });
}

function eeIdCall(clock = fakeClock(), extra: Partial<ProviderCall> = {}): ProviderCall {
	return { provider: 'eeID', credentialType: BEARER, clock, ...extra };
}

function get(path: string, extra: Partial<ProviderRequestOptions> = {}): ProviderRequestOptions {
	return { method: 'GET', url: `${server.url}${path}`, json: true, ...extra };
}

/** The parsed body, as a provider client's json() returns it. */
async function bodyOf(promise: Promise<{ body: unknown }>): Promise<unknown> {
	return (await promise).body;
}

async function bearerJson(clock: ReturnType<typeof fakeClock>, options: ProviderRequestOptions, extra: Partial<ProviderCall> = {}) {
	const { ctx } = await bearerContext();
	return await bodyOf(providerRequest(ctx, eeIdCall(clock, extra), options));
}

async function failureOf(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('Expected the call to fail');
}

/** Everything an error exposes: own properties (hidden ones too), its cause chain, its JSON form. */
function everythingIn(error: unknown): string {
	return `${inspect(error, { showHidden: true, depth: 20 })}\n${JSON.stringify(error)}`;
}

describe('providerRequest: successful calls', () => {
	it('returns the parsed JSON body and authenticates through the credential', async () => {
		server.respond(json(200, { id: 'req-1' }));

		const body = await bearerJson(fakeClock(), get('/requests/req-1'));

		expect(body).toEqual({ id: 'req-1' });
		expect(server.requests[0].headers.authorization).toBe('Bearer access-token-1-f00dfeed');
	});

	it('fetches the token once and reuses it for later calls', async () => {
		server.respond(json(200, {}));
		const { ctx, store } = await bearerContext();

		await providerRequest(ctx, eeIdCall(), get('/a'));
		await providerRequest(ctx, eeIdCall(), get('/b'));

		expect(store.preAuthenticationCount(BEARER)).toBe(1);
		expect(store.data(BEARER).accessToken).toBe('access-token-1-f00dfeed');
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer access-token-1-f00dfeed',
			'Bearer access-token-1-f00dfeed',
		]);
	});

	it('returns the full response (status, headers, body)', async () => {
		server.respond(json(201, { created: true }, { 'x-request-id': 'abc' }));
		const { ctx } = await bearerContext();

		const response = await providerRequest(ctx, eeIdCall(), { ...get('/x'), method: 'POST', body: {} });

		expect(response.statusCode).toBe(201);
		expect(response.headers['x-request-id']).toBe('abc');
		expect(response.body).toEqual({ created: true });
	});

	it('asks for uncompressed bytes on stream downloads so Content-Length stays checkable', async () => {
		server.respond(text(200, '%PDF-1.7'));
		const { ctx } = await bearerContext();

		const response = await providerRequest(ctx, eeIdCall(), get('/proof', { encoding: 'stream' }));
		for await (const chunk of response.body as AsyncIterable<Buffer>) expect(chunk).toBeDefined();

		expect(server.requests[0].headers['accept-encoding']).toBe('identity');
	});

	it('keeps an Accept-Encoding the caller set on a stream download', async () => {
		server.respond(text(200, '%PDF-1.7'));
		const { ctx } = await bearerContext();

		const response = await providerRequest(ctx, eeIdCall(), get('/proof', { encoding: 'stream', headers: { 'accept-encoding': 'gzip' } }));
		for await (const chunk of response.body as AsyncIterable<Buffer>) expect(chunk).toBeDefined();

		expect(server.requests[0].headers['accept-encoding']).toBe('gzip');
	});

	it('answers an error status the caller accepts instead of throwing', async () => {
		server.respond(json(404, { error: 'not found' }));
		const { ctx } = await bearerContext();

		const response = await providerRequest(ctx, eeIdCall(fakeClock(), { acceptStatuses: [404] }), get('/x'));

		expect(response.statusCode).toBe(404);
		expect(response.body).toEqual({ error: 'not found' });
	});
});

describe('providerRequest: retries', () => {
	it.each([429, 502, 503, 504])('repeats a GET answered with %i and returns the later success', async (status) => {
		server.respond(json(status, { error: 'busy' }), json(status, { error: 'busy' }), json(200, { ok: true }));
		const clock = fakeClock();

		const body = await bearerJson(clock, get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests).toHaveLength(3);
		expect(clock.sleeps).toHaveLength(2);
	});

	it.each([400, 404, 409, 422, 500])('does not repeat a GET answered with %i', async (status) => {
		server.respond(json(status, { error: 'no' }));

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.httpCode).toBe(String(status));
		expect(server.requests).toHaveLength(1);
	});

	it('waits with exponential backoff and full jitter between attempts', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock(0.5);
		const retry = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000, maxTotalTimeMs: 60_000 };

		await failureOf(bearerJson(clock, get('/x'), { retry }));

		// half of min(cap, base * 2^(n-1)) for n = 1, 2, 3
		expect(clock.sleeps).toEqual([500, 1000, 1500]);
	});

	it('stops after maxAttempts and says how often it tried', async () => {
		server.respond(json(503, { error: 'Service temporarily unavailable' }));

		const error = await failureOf(bearerJson(fakeClock(), get('/x'), { retry: { maxAttempts: 3 } }));

		expect(server.requests).toHaveLength(3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('503');
		expect(error.message).toBe('eeID: Service temporarily unavailable');
		expect(error.description).toBe('eeID could not process the request right now. Try again later. (gave up after 3 attempts)');
	});

	it('honours Retry-After in seconds instead of its own backoff', async () => {
		server.respond(json(429, { error: 'slow down' }, { 'retry-after': '7' }), json(200, { ok: true }));
		const clock = fakeClock();

		await bearerJson(clock, get('/x'));

		expect(clock.sleeps).toEqual([7000]);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const clock = fakeClock();
		const inFiveSeconds = new Date(clock.now() + 5000).toUTCString();
		server.respond(json(503, { error: 'maintenance' }, { 'retry-after': inFiveSeconds }), json(200, { ok: true }));

		await bearerJson(clock, get('/x'));

		expect(clock.sleeps).toEqual([5000]);
	});

	it('gives up at once when Retry-After is beyond the remaining time budget', async () => {
		server.respond(json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '120' }));
		const clock = fakeClock();

		const error = await failureOf(bearerJson(clock, get('/x'), { retry: { maxTotalTimeMs: 60_000 } }));

		expect(clock.sleeps).toEqual([]);
		expect(server.requests).toHaveLength(1);
		expect(error.httpCode).toBe('429');
		expect(error.message).toBe('eeID: Rate limit exceeded');
	});

	it('never sleeps past the total time budget, whatever maxAttempts allows', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock(0.99);
		const retry = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 10_000, maxTotalTimeMs: 2000 };

		await failureOf(bearerJson(clock, get('/x'), { retry }));

		// 990 ms fit into 2000; the next wait (1980 ms) would not fit into the 1010 ms left.
		expect(clock.sleeps).toEqual([990]);
		expect(server.requests).toHaveLength(2);
	});

	it('never repeats a POST, even one flagged idempotent', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock();

		await failureOf(bearerJson(clock, { ...get('/x'), method: 'POST', body: { a: 1 }, idempotent: true }));

		expect(server.requests).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it.each(['PUT', 'DELETE'] as const)('repeats a %s only when the caller says it is idempotent', async (method) => {
		server.respond(json(503, { error: 'busy' }));
		await failureOf(bearerJson(fakeClock(), { ...get('/x'), method }, { retry: { maxAttempts: 3 } }));
		expect(server.requests).toHaveLength(1);

		server.respond(json(503, { error: 'busy' }), json(200, { done: true }));
		const body = await bearerJson(fakeClock(), { ...get('/x'), method, idempotent: true });
		expect(body).toEqual({ done: true });
		expect(server.requests).toHaveLength(2);
	});

	it('does not repeat a GET the caller marks as not idempotent', async () => {
		server.respond(json(503, { error: 'busy' }));

		await failureOf(bearerJson(fakeClock(), get('/x', { idempotent: false })));

		expect(server.requests).toHaveLength(1);
	});

	it('repeats a GET after a refused connection and then reports it', async () => {
		const url = await closedPortUrl();
		const clock = fakeClock();

		const error = await failureOf(bearerJson(clock, { method: 'GET', url: `${url}/x` }, { retry: { maxAttempts: 3 } }));

		expect(clock.sleeps).toHaveLength(2);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('eeID: the connection was refused (ECONNREFUSED)');
		expect(error.httpCode).toBeNull();
		expect(error.description).toBe(
			'Check the base URL in the eeID credentials and the network connection, then try again. (gave up after 3 attempts)',
		);
	});

	it('does not repeat a POST after a refused connection', async () => {
		const url = await closedPortUrl();
		const clock = fakeClock();

		await failureOf(bearerJson(clock, { method: 'POST', url: `${url}/x`, body: { a: 1 } }));

		expect(clock.sleeps).toEqual([]);
	});

	it('repeats a GET after the connection was dropped (socket hang up)', async () => {
		server.respond(hangUp, json(200, { ok: true }));

		const body = await bearerJson(fakeClock(), get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests).toHaveLength(2);
	});

	it('repeats a GET that timed out', async () => {
		server.respond(silence, json(200, { ok: true }));

		const body = await bearerJson(fakeClock(), get('/x', { timeout: 200 }));

		expect(body).toEqual({ ok: true });
	});

	it('reports a timeout with a hint about the timeout option', async () => {
		server.respond(silence);

		const error = await failureOf(bearerJson(fakeClock(), get('/x', { timeout: 100 }), { retry: { maxAttempts: 1 } }));

		expect(error.message).toBe('eeID: the request timed out (ECONNABORTED)');
		expect(error.description).toBe('eeID did not answer in time. Try again later, or raise the timeout in the node options.');
	});
});

describe('providerRequest: rate limits ("too many requests")', () => {
	const tooMany = (retryAfter?: string) =>
		json(429, { error: 'Too many requests' }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });

	it('waits out 429s that say when to come back without using up maxAttempts', async () => {
		server.respond(...Array(5).fill(tooMany('1')), json(200, { ok: true }));
		const clock = fakeClock();

		const body = await bearerJson(clock, get('/x'), { retry: { maxAttempts: 2 } });

		expect(body).toEqual({ ok: true });
		expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000, 1000]);
	});

	it('stops waiting them out once the total time budget is used', async () => {
		server.respond(tooMany('10'));
		const clock = fakeClock();

		const error = await failureOf(bearerJson(clock, get('/x'), { retry: { maxTotalTimeMs: 35_000 } }));

		expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
		expect(error.httpCode).toBe('429');
		expect(error.description).toBe(
			'eeID is limiting the request rate. Try again later, or lower the concurrency in the node options. (gave up after 4 attempts)',
		);
	});

	it('counts 429s without Retry-After, and 503s with it, against maxAttempts', async () => {
		server.respond(tooMany());
		await failureOf(bearerJson(fakeClock(), get('/x'), { retry: { maxAttempts: 2 } }));
		expect(server.requests).toHaveLength(2);

		server.respond(json(503, { error: 'maintenance' }, { 'retry-after': '1' }));
		await failureOf(bearerJson(fakeClock(), get('/x'), { retry: { maxAttempts: 2 } }));
		expect(server.requests).toHaveLength(2);
	});

	it('does not repeat a 429 when retries are off (Max Retries 0)', async () => {
		server.respond(tooMany('1'), json(200, { ok: true }));
		const clock = fakeClock();

		const error = await failureOf(bearerJson(clock, get('/x'), { retry: { maxAttempts: 1 } }));

		expect(error.httpCode).toBe('429');
		expect(clock.sleeps).toEqual([]);
	});

	it('never repeats a POST answered 429, even with Retry-After', async () => {
		server.respond(tooMany('1'), json(201, { created: true }));
		const clock = fakeClock();

		const error = await failureOf(bearerJson(clock, { ...get('/x'), method: 'POST', body: { a: 1 } }));

		expect(error.httpCode).toBe('429');
		expect(server.requests).toHaveLength(1);
	});

	describe('in an execution whose requests share an adaptive limit', () => {
		async function limitAfter(...answers: Parameters<TestServer['respond']>): Promise<number | undefined> {
			server.respond(...answers);
			const { ctx } = await bearerContext();
			limitProviderConcurrency(ctx, 20);
			await providerRequest(ctx, eeIdCall(), get('/x')).catch(() => undefined);
			return providerConcurrencyFor(ctx, BEARER)?.limit;
		}

		it('sends fewer at once after a 429 or a 503 with Retry-After', async () => {
			expect(await limitAfter(tooMany('0'), json(200, {}))).toBe(1);
			expect(await limitAfter(tooMany(), json(200, {}))).toBe(1);
			expect(await limitAfter(json(503, { error: 'busy' }, { 'retry-after': '0' }), json(200, {}))).toBe(1);
		});

		it('keeps the limit after answers that say nothing about the provider being full', async () => {
			expect(await limitAfter(json(200, {}))).toBe(5);
			expect(await limitAfter(json(404, { error: 'not found' }))).toBe(5);
			expect(await limitAfter(json(503, { error: 'busy' }), json(502, {}), hangUp, json(200, {}))).toBe(5);
		});
	});
});

describe('providerRequest: provider errors', () => {
	it('carries the provider message, the HTTP status, a hint, the item and the node', async () => {
		server.respond(json(404, { error: 'Identification request not found' }));
		const { ctx, node } = await bearerContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(fakeClock(), { itemIndex: 3 }), get('/x')));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('eeID: Identification request not found');
		expect(error.httpCode).toBe('404');
		expect(error.description).toBe('Check the ID: eeID does not know it (it may have expired or been deleted).');
		expect(error.context.itemIndex).toBe(3);
		expect(error.node).toEqual(node);
	});

	it('uses the hint the caller documents for a status', async () => {
		server.respond(json(412, { error: 'Precondition failed' }));
		const { ctx } = await bearerContext();

		const error = await failureOf(
			providerRequest(ctx, eeIdCall(fakeClock(), { statusHints: { 412: 'Start the identification first.' } }), get('/x')),
		);

		expect(error.description).toBe('Start the identification first.');
	});

	it('lets n8n refresh the token once on 401, then reports the provider message', async () => {
		server.respond(json(401, { error: 'Token is invalid or expired' }));
		const { ctx, store } = await bearerContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(), get('/x')));

		expect(store.preAuthenticationCount(BEARER)).toBe(2);
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer access-token-1-f00dfeed',
			'Bearer access-token-2-f00dfeed',
		]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('eeID: Token is invalid or expired');
		expect(error.description).toBe('Check the eeID credentials: eeID did not accept them.');
	});

	it('passes on the hint of a credential whose token request failed, redacted', async () => {
		server.respond(json(200, {}));
		const { ctx } = await bearerContext(() => {
			throw new NodeOperationError(TEST_NODE, `Token request refused for client_secret=${CLIENT_SECRET}`, {
				description: 'Check the Client ID and Client Secret in the credentials.',
			});
		});

		const error = await failureOf(providerRequest(ctx, eeIdCall(), get('/x')));

		expect(error.message).toBe('eeID: Token request refused for client_secret=[redacted]');
		expect(error.description).toBe('Check the Client ID and Client Secret in the credentials.');
		expect(server.requests).toHaveLength(0);
	});

	it('succeeds when the refreshed token is accepted', async () => {
		server.respond(json(401, { error: 'expired' }), json(200, { ok: true }));

		const body = await bearerJson(fakeClock(), get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer access-token-1-f00dfeed',
			'Bearer access-token-2-f00dfeed',
		]);
	});

	it('finds the message in a JSON error body', async () => {
		server.respond(json(422, { errors: [{ field: 'claims_required', message: 'is invalid' }, { message: 'reason is too long' }] }));

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.message).toBe('eeID: claims_required: is invalid; reason is too long');
		expect(error.description).toBe("Check the node's parameters: eeID rejected them.");
	});

	it('uses the title of an HTML error page', async () => {
		server.respond((_request, response) => {
			response.writeHead(500, { 'content-type': 'text/html' });
			response.end('<html><head><title>Internal Server Error</title></head><body><h1>Oops</h1></body></html>');
		});

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.message).toBe('eeID: Internal Server Error');
	});

	it('falls back to the HTTP status when the body says nothing', async () => {
		server.respond(text(500, ''));

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.message).toBe('eeID: HTTP 500 Internal Server Error');
		expect(error.httpCode).toBe('500');
	});

	it('uses the provider-specific message extraction when given', async () => {
		server.respond(json(400, { result: { problem: 'Ref contains invalid characters' } }));
		const errorMessage = (body: unknown) => (body as { result?: { problem?: string } }).result?.problem;

		const error = await failureOf(bearerJson(fakeClock(), get('/x'), { provider: 'IDnow', errorMessage }));

		expect(error.message).toBe('IDnow: Ref contains invalid characters');
	});

	it('reads the message from a streamed error body', async () => {
		server.respond(json(500, { error: 'Proof of identity is not available yet' }));
		const { ctx } = await bearerContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(), get('/proof', { encoding: 'stream' })));

		expect(error.message).toBe('eeID: Proof of identity is not available yet');
		expect(error.httpCode).toBe('500');
	});

	it('reads the message from a streamed 401 body (the thrown path)', async () => {
		server.respond(json(401, { error: 'Token expired' }));
		const { ctx } = await bearerContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(), get('/proof', { encoding: 'stream' })));

		expect(error.message).toBe('eeID: Token expired');
		expect(error.httpCode).toBe('401');
	});

	it('reads only the start of a huge streamed error body and keeps the message short', async () => {
		server.respond(text(500, 'x'.repeat(5 * 1024 * 1024)));
		const { ctx } = await bearerContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(), get('/proof', { encoding: 'stream' })));

		expect(error.message.startsWith('eeID: xxx')).toBe(true);
		expect(error.message.length).toBeLessThanOrEqual(500);
	});
});

describe('providerRequest: secrets never leave in an error', () => {
	it('redacts a bearer token, a Basic header and the client secret echoed in an error body', async () => {
		server.respond((request, response) =>
			json(400, {
				message: `Rejected ${String(request.headers.authorization)} and Basic Y2xpZW50LTE6c2VjcmV0 (secret ${CLIENT_SECRET})`,
				client_secret: CLIENT_SECRET,
			})(request, response),
		);

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		const exposed = everythingIn(error);
		expect(exposed).not.toContain('access-token-1-f00dfeed');
		expect(exposed).not.toContain('Y2xpZW50LTE6c2VjcmV0');
		expect(exposed).not.toContain(CLIENT_SECRET);
		expect(error.message).toBe('eeID: Rejected Bearer [redacted] and Basic [redacted] (secret [redacted])');
	});

	it('redacts basic-auth credentials echoed back, encoded and in clear', async () => {
		server.respond((request, response) =>
			text(400, `Bad ${String(request.headers.authorization)}; password was ${CLIENT_SECRET}`)(request, response),
		);
		const { ctx } = await basicContext();

		const error = await failureOf(providerRequest(ctx, eeIdCall(fakeClock(), { credentialType: BASIC }), get('/x')));

		expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64')}`);
		expect(everythingIn(error)).not.toContain(CLIENT_SECRET);
		expect(everythingIn(error)).not.toContain(Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64'));
	});

	it('redacts a token that travels in the JSON body (itsme) when the provider echoes it', async () => {
		const merchantToken = 'merchant-token-0a1b2c3d4e';
		server.respond(text(400, `Unknown merchant ${merchantToken}`));
		const { ctx } = await noAuthContext();

		const error = await failureOf(
			providerRequest(
				ctx,
				eeIdCall(fakeClock(), { provider: 'itsme', credentialType: NONE }),
				{ ...get('/transactions'), method: 'POST', body: { token: merchantToken, service: 'login' } },
			),
		);

		expect(error.message).toBe('itsme: Unknown merchant [redacted]');
		expect(everythingIn(error)).not.toContain(merchantToken);
	});

	it('redacts the extra secrets named by the caller', async () => {
		server.respond(text(400, 'Signature made with key k3y-material-xyz is wrong'));

		const error = await failureOf(bearerJson(fakeClock(), get('/x'), { secrets: ['k3y-material-xyz'] }));

		expect(error.message).toBe('eeID: Signature made with key [redacted] is wrong');
	});

	it("redacts the credential's own secret fields even when echoed without a telltale name", async () => {
		server.respond(text(400, `Unknown client client-1 with ${CLIENT_SECRET}`));

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.message).toBe('eeID: Unknown client client-1 with [redacted]');
	});

	it('keeps the request (and its Authorization header) out of errors n8n threw', async () => {
		server.respond((request, response) => json(401, { error: `Token ${String(request.headers.authorization)} expired` })(request, response));

		const error = await failureOf(bearerJson(fakeClock(), get('/x')));

		expect(error.message).toBe('eeID: Token [redacted] expired');
		expect(everythingIn(error)).not.toMatch(/access-token-\d/);
	});

	it('keeps the Authorization header out of connection errors', async () => {
		const url = await closedPortUrl();

		const error = await failureOf(bearerJson(fakeClock(), { method: 'GET', url }, { retry: { maxAttempts: 1 } }));

		expect(everythingIn(error)).not.toMatch(/access-token-\d/);
		expect(everythingIn(error)).not.toContain(CLIENT_SECRET);
	});
});
