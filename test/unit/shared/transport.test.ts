import './support/n8nRuntime';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { inspect } from 'node:util';

import {
	extractErrorMessage,
	providerJson,
	providerRequest,
	readRequestOptions,
	requestOptionFields,
	type ProviderCall,
	type ProviderRequestOptions,
} from '../../../nodes/shared/transport';
import { createRequestContext, fakeClock, TEST_NODE } from './support/requestContext';
import { hangUp, json, silence, startTestServer, text, type TestServer } from './support/testServer';

const CLIENT_SECRET = 'client-secret-9f8e7d6c5b4a';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => await server.close());

function bearerContext() {
	let minted = 0;
	return createRequestContext({
		data: { clientId: 'client-1', clientSecret: CLIENT_SECRET, accessToken: '' },
		auth: 'bearer',
		mintToken: () => `access-token-${++minted}-f00dfeed`,
	});
}

function eeIdCall(clock = fakeClock(), extra: Partial<ProviderCall> = {}): ProviderCall {
	return { provider: 'eeID', credentialType: 'eeIdApi', clock, ...extra };
}

function get(path: string, extra: Partial<ProviderRequestOptions> = {}): ProviderRequestOptions {
	return { method: 'GET', url: `${server.url}${path}`, json: true, ...extra };
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

async function closedPortUrl(): Promise<string> {
	const closed = await startTestServer();
	await closed.close();
	return closed.url;
}

describe('providerRequest: successful calls', () => {
	it('returns the parsed JSON body and authenticates through the credential', async () => {
		server.respond(json(200, { id: 'req-1' }));
		const ctx = bearerContext();

		const body = await providerJson<{ id: string }>(ctx, eeIdCall(), get('/requests/req-1'));

		expect(body).toEqual({ id: 'req-1' });
		expect(server.requests[0].headers.authorization).toBe('Bearer access-token-1-f00dfeed');
	});

	it('fetches the token once and reuses it for later calls', async () => {
		server.respond(json(200, {}));
		const ctx = bearerContext();

		await providerJson(ctx, eeIdCall(), get('/a'));
		await providerJson(ctx, eeIdCall(), get('/b'));

		expect(ctx.preAuthenticationCalls).toEqual([{ expired: false }]);
	});

	it('returns the full response (status, headers, body)', async () => {
		server.respond(json(201, { created: true }, { 'x-request-id': 'abc' }));

		const response = await providerRequest(bearerContext(), eeIdCall(), { ...get('/x'), method: 'POST', body: {} });

		expect(response.statusCode).toBe(201);
		expect(response.headers['x-request-id']).toBe('abc');
		expect(response.body).toEqual({ created: true });
	});

	it('asks for uncompressed bytes on stream downloads so Content-Length stays checkable', async () => {
		server.respond(text(200, '%PDF-1.7'));

		const response = await providerRequest(bearerContext(), eeIdCall(), get('/proof', { encoding: 'stream' }));
		for await (const chunk of response.body as AsyncIterable<Buffer>) expect(chunk).toBeDefined();

		expect(server.requests[0].headers['accept-encoding']).toBe('identity');
	});
});

describe('providerRequest: retries', () => {
	it.each([429, 502, 503, 504])('repeats a GET answered with %i and returns the later success', async (status) => {
		server.respond(json(status, { error: 'busy' }), json(status, { error: 'busy' }), json(200, { ok: true }));
		const clock = fakeClock();

		const body = await providerJson(bearerContext(), eeIdCall(clock), get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests).toHaveLength(3);
		expect(clock.sleeps).toHaveLength(2);
	});

	it.each([400, 404, 409, 422, 500])('does not repeat a GET answered with %i', async (status) => {
		server.respond(json(status, { error: 'no' }));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x')));

		expect(error.httpCode).toBe(String(status));
		expect(server.requests).toHaveLength(1);
	});

	it('waits with exponential backoff and full jitter between attempts', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock(0.5);
		const retry = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000, maxTotalTimeMs: 60_000 };

		await failureOf(providerJson(bearerContext(), eeIdCall(clock, { retry }), get('/x')));

		// half of min(cap, base * 2^(n-1)) for n = 1, 2, 3
		expect(clock.sleeps).toEqual([500, 1000, 1500]);
	});

	it('stops after maxAttempts and says how often it tried', async () => {
		server.respond(json(503, { error: 'Service temporarily unavailable' }));
		const clock = fakeClock();

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(clock, { retry: { maxAttempts: 3 } }), get('/x')));

		expect(server.requests).toHaveLength(3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('503');
		expect(error.message).toBe('eeID: Service temporarily unavailable');
		expect(error.description).toBe('eeID could not process the request right now. Try again later. (gave up after 3 attempts)');
	});

	it('honours Retry-After in seconds instead of its own backoff', async () => {
		server.respond(json(429, { error: 'slow down' }, { 'retry-after': '7' }), json(200, { ok: true }));
		const clock = fakeClock();

		await providerJson(bearerContext(), eeIdCall(clock), get('/x'));

		expect(clock.sleeps).toEqual([7000]);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const clock = fakeClock();
		const inFiveSeconds = new Date(clock.now() + 5000).toUTCString();
		server.respond(json(503, { error: 'maintenance' }, { 'retry-after': inFiveSeconds }), json(200, { ok: true }));

		await providerJson(bearerContext(), eeIdCall(clock), get('/x'));

		expect(clock.sleeps).toEqual([5000]);
	});

	it('gives up at once when Retry-After is beyond the remaining time budget', async () => {
		server.respond(json(429, { error: 'Rate limit exceeded' }, { 'retry-after': '120' }));
		const clock = fakeClock();

		const error = await failureOf(
			providerJson(bearerContext(), eeIdCall(clock, { retry: { maxTotalTimeMs: 60_000 } }), get('/x')),
		);

		expect(clock.sleeps).toEqual([]);
		expect(server.requests).toHaveLength(1);
		expect(error.httpCode).toBe('429');
		expect(error.message).toBe('eeID: Rate limit exceeded');
	});

	it('never sleeps past the total time budget, whatever maxAttempts allows', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock(0.99);
		const retry = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 10_000, maxTotalTimeMs: 2000 };

		await failureOf(providerJson(bearerContext(), eeIdCall(clock, { retry }), get('/x')));

		// 990 ms fit into 2000; the next wait (1980 ms) would not fit into the 1010 ms left.
		expect(clock.sleeps).toEqual([990]);
		expect(server.requests).toHaveLength(2);
	});

	it('never repeats a POST, even one flagged idempotent', async () => {
		server.respond(json(503, { error: 'busy' }));
		const clock = fakeClock();

		await failureOf(providerJson(bearerContext(), eeIdCall(clock), { ...get('/x'), method: 'POST', body: { a: 1 }, idempotent: true }));

		expect(server.requests).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it.each(['PUT', 'DELETE'] as const)('repeats a %s only when the caller says it is idempotent', async (method) => {
		server.respond(json(503, { error: 'busy' }));
		await failureOf(providerJson(bearerContext(), eeIdCall(fakeClock(), { retry: { maxAttempts: 3 } }), { ...get('/x'), method }));
		expect(server.requests).toHaveLength(1);

		server.respond(json(503, { error: 'busy' }), json(200, { done: true }));
		const body = await providerJson(bearerContext(), eeIdCall(fakeClock()), { ...get('/x'), method, idempotent: true });
		expect(body).toEqual({ done: true });
		expect(server.requests).toHaveLength(2);
	});

	it('does not repeat a GET the caller marks as not idempotent', async () => {
		server.respond(json(503, { error: 'busy' }));

		await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x', { idempotent: false })));

		expect(server.requests).toHaveLength(1);
	});

	it('repeats a GET after a refused connection and then reports it', async () => {
		const url = await closedPortUrl();
		const clock = fakeClock();

		const error = await failureOf(
			providerJson(bearerContext(), eeIdCall(clock, { retry: { maxAttempts: 3 } }), { method: 'GET', url: `${url}/x` }),
		);

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

		await failureOf(providerJson(bearerContext(), eeIdCall(clock), { method: 'POST', url: `${url}/x`, body: { a: 1 } }));

		expect(clock.sleeps).toEqual([]);
	});

	it('repeats a GET after the connection was dropped (socket hang up)', async () => {
		server.respond(hangUp, json(200, { ok: true }));

		const body = await providerJson(bearerContext(), eeIdCall(), get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests).toHaveLength(2);
	});

	it('repeats a GET that timed out', async () => {
		server.respond(silence, json(200, { ok: true }));

		const body = await providerJson(bearerContext(), eeIdCall(), get('/x', { timeout: 200 }));

		expect(body).toEqual({ ok: true });
	});

	it('reports a timeout with a hint about the timeout option', async () => {
		server.respond(silence);

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(fakeClock(), { retry: { maxAttempts: 1 } }), get('/x', { timeout: 100 })));

		expect(error.message).toBe('eeID: the request timed out (ECONNABORTED)');
		expect(error.description).toBe('eeID did not answer in time. Try again later, or raise the timeout in the node options.');
	});
});

describe('providerRequest: provider errors', () => {
	it('carries the provider message, the HTTP status and a hint', async () => {
		server.respond(json(404, { error: 'Identification request not found' }));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(fakeClock(), { itemIndex: 3 }), get('/x')));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('eeID: Identification request not found');
		expect(error.httpCode).toBe('404');
		expect(error.description).toBe('Check the ID: eeID does not know it (it may have expired or been deleted).');
		expect(error.context.itemIndex).toBe(3);
		expect(error.node).toBe(TEST_NODE);
	});

	it('lets n8n refresh the token once on 401, then reports the provider message', async () => {
		server.respond(json(401, { error: 'Token is invalid or expired' }));
		const ctx = bearerContext();

		const error = await failureOf(providerJson(ctx, eeIdCall(), get('/x')));

		expect(ctx.preAuthenticationCalls).toEqual([{ expired: false }, { expired: true }]);
		expect(server.requests).toHaveLength(2);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('eeID: Token is invalid or expired');
		expect(error.description).toBe('Check the eeID credentials: eeID did not accept them.');
	});

	it('passes on the hint of a credential whose token request failed, redacted', async () => {
		server.respond(json(200, {}));
		const ctx = createRequestContext({
			data: { clientId: 'client-1', clientSecret: CLIENT_SECRET, accessToken: '' },
			auth: 'bearer',
			mintToken: () => {
				throw new NodeOperationError(TEST_NODE, `Token request refused for client_secret=${CLIENT_SECRET}`, {
					description: 'Check the Client ID and Client Secret in the credentials.',
				});
			},
		});

		const error = await failureOf(providerJson(ctx, eeIdCall(), get('/x')));

		expect(error.message).toBe('eeID: Token request refused for client_secret=[redacted]');
		expect(error.description).toBe('Check the Client ID and Client Secret in the credentials.');
		expect(server.requests).toHaveLength(0);
	});

	it('succeeds when the refreshed token is accepted', async () => {
		server.respond(json(401, { error: 'expired' }), json(200, { ok: true }));

		const body = await providerJson(bearerContext(), eeIdCall(), get('/x'));

		expect(body).toEqual({ ok: true });
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer access-token-1-f00dfeed',
			'Bearer access-token-2-f00dfeed',
		]);
	});

	it.each([
		[{ errors: [{ field: 'claims_required', message: 'is invalid' }, { message: 'reason is too long' }] }, 'claims_required: is invalid; reason is too long'],
		[{ error: 'invalid_client', error_description: 'Client authentication failed' }, 'Client authentication failed'],
		[{ Error: 'Order not found' }, 'Order not found'],
		[{ message: 'Invalid phone number', code: 17 }, 'Invalid phone number'],
		[{ error: { message: 'Nested message' } }, 'Nested message'],
	])('finds the message in %j', async (body, message) => {
		server.respond(json(422, body));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x')));

		expect(error.message).toBe(`eeID: ${message}`);
		expect(error.description).toBe("Check the node's parameters: eeID rejected them.");
	});

	it('uses the title of an HTML error page', async () => {
		server.respond((_request, response) => {
			response.writeHead(500, { 'content-type': 'text/html' });
			response.end('<html><head><title>Internal Server Error</title></head><body><h1>Oops</h1></body></html>');
		});

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x')));

		expect(error.message).toBe('eeID: Internal Server Error');
	});

	it('falls back to the HTTP status when the body says nothing', async () => {
		server.respond(text(500, ''));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x')));

		expect(error.message).toBe('eeID: HTTP 500 Internal Server Error');
		expect(error.httpCode).toBe('500');
	});

	it('uses the provider-specific message extraction when given', async () => {
		server.respond(json(400, { result: { problem: 'Ref contains invalid characters' } }));
		const errorMessage = (body: unknown) => (body as { result?: { problem?: string } }).result?.problem;

		const error = await failureOf(providerJson(bearerContext(), { ...eeIdCall(), provider: 'IDnow', errorMessage }, get('/x')));

		expect(error.message).toBe('IDnow: Ref contains invalid characters');
	});

	it('reads the message from a streamed error body', async () => {
		server.respond(json(500, { error: 'Proof of identity is not available yet' }));

		const error = await failureOf(providerRequest(bearerContext(), eeIdCall(), get('/proof', { encoding: 'stream' })));

		expect(error.message).toBe('eeID: Proof of identity is not available yet');
		expect(error.httpCode).toBe('500');
	});

	it('reads the message from a streamed 401 body (the thrown path)', async () => {
		server.respond(json(401, { error: 'Token expired' }));

		const error = await failureOf(providerRequest(bearerContext(), eeIdCall(), get('/proof', { encoding: 'stream' })));

		expect(error.message).toBe('eeID: Token expired');
		expect(error.httpCode).toBe('401');
	});

	it('reads only the start of a huge streamed error body and keeps the message short', async () => {
		server.respond(text(500, 'x'.repeat(5 * 1024 * 1024)));

		const error = await failureOf(providerRequest(bearerContext(), eeIdCall(), get('/proof', { encoding: 'stream' })));

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
		const ctx = bearerContext();

		const error = await failureOf(providerJson(ctx, eeIdCall(), get('/x')));

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
		const ctx = createRequestContext({ data: { clientId: 'client-1', clientSecret: CLIENT_SECRET }, auth: 'basic' });

		const error = await failureOf(providerJson(ctx, eeIdCall(), get('/x')));

		expect(everythingIn(error)).not.toContain(CLIENT_SECRET);
		expect(everythingIn(error)).not.toContain(Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64'));
	});

	it('redacts a token that travels in the JSON body (itsme) when the provider echoes it', async () => {
		const merchantToken = 'merchant-token-0a1b2c3d4e';
		server.respond(text(400, `Unknown merchant ${merchantToken}`));
		const ctx = createRequestContext({ data: {}, auth: 'none' });

		const error = await failureOf(
			providerJson(ctx, { ...eeIdCall(), provider: 'itsme' }, { ...get('/transactions'), method: 'POST', body: { token: merchantToken, service: 'login' } }),
		);

		expect(error.message).toBe('itsme: Unknown merchant [redacted]');
		expect(everythingIn(error)).not.toContain(merchantToken);
	});

	it('redacts the extra secrets named by the caller', async () => {
		server.respond(text(400, 'Signature made with key k3y-material-xyz is wrong'));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(fakeClock(), { secrets: ['k3y-material-xyz'] }), get('/x')));

		expect(error.message).toBe('eeID: Signature made with key [redacted] is wrong');
	});

	it('keeps the request (and its Authorization header) out of errors n8n threw', async () => {
		server.respond((request, response) => json(401, { error: `Token ${String(request.headers.authorization)} expired` })(request, response));

		const error = await failureOf(providerJson(bearerContext(), eeIdCall(), get('/x')));

		expect(error.message).toBe('eeID: Token [redacted] expired');
		expect(everythingIn(error)).not.toMatch(/access-token-\d/);
	});

	it('keeps the Authorization header out of connection errors', async () => {
		const url = await closedPortUrl();
		const ctx = bearerContext();

		const error = await failureOf(providerJson(ctx, eeIdCall(fakeClock(), { retry: { maxAttempts: 1 } }), { method: 'GET', url }));

		expect(everythingIn(error)).not.toMatch(/access-token-\d/);
		expect(everythingIn(error)).not.toContain(CLIENT_SECRET);
	});
});

describe('extractErrorMessage', () => {
	it('returns undefined when nothing looks like a message', () => {
		expect(extractErrorMessage({ status: 500 })).toBeUndefined();
		expect(extractErrorMessage(null)).toBeUndefined();
		expect(extractErrorMessage('   ')).toBeUndefined();
	});

	it('prefers a description over a bare error code', () => {
		expect(extractErrorMessage({ error: 'invalid_grant', error_description: 'Code expired' })).toBe('Code expired');
	});
});

describe('readRequestOptions', () => {
	function optionsContext(options: Record<string, unknown>) {
		return {
			getNode: () => TEST_NODE,
			getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) => (name === 'options' ? options : fallback),
		} as unknown as Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;
	}

	it('defaults to 5 concurrent reads and 1 write at a time, with the default retry policy', () => {
		expect(readRequestOptions(optionsContext({}), 0, 'read')).toEqual({ retry: {}, concurrency: 5 });
		expect(readRequestOptions(optionsContext({}), 0, 'write')).toEqual({ retry: {}, concurrency: 1 });
	});

	it('turns the options into a retry policy, a timeout and a concurrency', () => {
		const settings = readRequestOptions(
			optionsContext({ maxRetries: 2, maxRetryTimeSeconds: 30, timeoutSeconds: 15, concurrency: 3 }),
			0,
			'write',
		);

		expect(settings).toEqual({ retry: { maxAttempts: 3, maxTotalTimeMs: 30_000 }, timeoutMs: 15_000, concurrency: 3 });
	});

	it('accepts zero retries', () => {
		expect(readRequestOptions(optionsContext({ maxRetries: 0 }), 0, 'read').retry).toEqual({ maxAttempts: 1 });
	});

	it.each([
		[{ maxRetries: 11 }, 'The option "Max Retries" must be a whole number from 0 to 10'],
		[{ maxRetries: 1.5 }, 'The option "Max Retries" must be a whole number from 0 to 10'],
		[{ concurrency: 0 }, 'The option "Concurrency" must be a whole number from 1 to 20'],
		[{ timeoutSeconds: 'soon' }, 'The option "Timeout (Seconds)" must be a number at least 1'],
		[{ maxRetryTimeSeconds: -5 }, 'The option "Max Retry Time (Seconds)" must be a number at least 1'],
	])('refuses %j with a clear error for the item', (options, message) => {
		const read = () => readRequestOptions(optionsContext(options), 2, 'read');

		expect(read).toThrow(NodeOperationError);
		expect(read).toThrow(message);
		try {
			read();
		} catch (error) {
			expect((error as NodeOperationError).context.itemIndex).toBe(2);
			expect((error as NodeOperationError).description).toMatch(/^Change "/);
		}
	});

	it('offers exactly the options it reads', () => {
		expect(requestOptionFields.map((field) => field.name).sort()).toEqual(
			['concurrency', 'maxRetries', 'maxRetryTimeSeconds', 'timeoutSeconds'].sort(),
		);
	});
});
