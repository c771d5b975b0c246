import { createHmac } from 'node:crypto';

import type { IN8nHttpFullResponse } from 'n8n-workflow';

import type { HarnessCredential } from '.';
import {
	CredentialStore,
	binaryInput,
	closedPortUrl,
	createRequestContext,
	fakeClock,
	json,
	readBinary,
	runExecute,
	runPoll,
	runWebhook,
	startTestServer,
	storedBinaryFiles,
	testCredential,
	testCredentialType,
	text,
} from '.';
import { FixtureApi } from './fixtures/FixtureApi.node';
import { FixturePollTrigger } from './fixtures/FixturePollTrigger.node';
import { FixtureWebhookTrigger } from './fixtures/FixtureWebhookTrigger.node';
import { HarnessKeyApi } from './fixtures/HarnessKeyApi.credentials';
import { HarnessTokenApi } from './fixtures/HarnessTokenApi.credentials';
import type { FixtureApiServer } from './fixtures/fixture-api-server';
import { API_KEY, CLIENT_ID, CLIENT_SECRET, startFixtureApiServer } from './fixtures/fixture-api-server';

const WEBHOOK_SECRET = 'whsec-1';

let server: FixtureApiServer;

beforeEach(async () => {
	server = await startFixtureApiServer();
});

afterEach(async () => {
	await server.close();
});

function tokenCredential(data: Record<string, string> = {}): HarnessCredential {
	return {
		type: new HarnessTokenApi(),
		data: { baseUrl: server.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...data },
	};
}

function keyCredential(apiKey = API_KEY): HarnessCredential {
	return { type: new HarnessKeyApi(), data: { baseUrl: server.baseUrl, apiKey } };
}

function itemsWithIds(count: number) {
	return Array.from({ length: count }, (_, index) => ({ json: { id: `r${index}` } }));
}

describe('runExecute', () => {
	it('fetches one token for ten items and keeps it in the stored credential', async () => {
		const store = new CredentialStore([tokenCredential()]);

		const { output } = await runExecute(new FixtureApi(), {
			parameters: { operation: 'get', itemId: '={{ $json.id }}' },
			credentials: store,
			items: itemsWithIds(10),
		});

		expect(output[0]).toHaveLength(10);
		expect(output[0][9]).toEqual({ json: { id: 'r9', name: 'Item r9' }, pairedItem: { item: 9 } });
		expect(server.requestsTo('/token')).toHaveLength(1);
		expect(store.preAuthenticationCount('harnessTokenApi')).toBe(1);
		expect(store.data('harnessTokenApi').accessToken).toBe('token-1');
		const itemRequests = server.requests.filter((request) => request.path.startsWith('/items/'));
		expect(itemRequests.map((request) => request.authorization)).toEqual(
			Array(10).fill('Bearer token-1'),
		);
	});

	it('reuses the stored token in a later execution', async () => {
		const store = new CredentialStore([tokenCredential()]);
		const options = { parameters: { itemId: 'a' }, credentials: store };

		await runExecute(new FixtureApi(), options);
		await runExecute(new FixtureApi(), options);

		expect(server.requestsTo('/token')).toHaveLength(1);
	});

	it('refreshes an expired token exactly once and retries the request', async () => {
		const store = new CredentialStore([tokenCredential({ accessToken: 'expired-token' })]);

		const { output } = await runExecute(new FixtureApi(), {
			parameters: { itemId: 'a' },
			credentials: store,
		});

		expect(output[0][0].json).toEqual({ id: 'a', name: 'Item a' });
		expect(store.preAuthenticationCount('harnessTokenApi')).toBe(1);
		expect(server.requestsTo('/items/a').map((request) => request.authorization)).toEqual([
			'Bearer expired-token',
			'Bearer token-1',
		]);
		expect(store.data('harnessTokenApi').accessToken).toBe('token-1');
	});

	it('fails with the provider error when no token can be obtained', async () => {
		const credentials = [tokenCredential({ clientSecret: 'wrong' })];

		await expect(
			runExecute(new FixtureApi(), { parameters: { itemId: 'a' }, credentials }),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
			message: 'Authorization failed - please check your credentials',
		});
	});

	it('returns the error as an item when the node continues on fail', async () => {
		const { output } = await runExecute(new FixtureApi(), {
			parameters: { itemId: 'a' },
			credentials: [tokenCredential({ clientSecret: 'wrong' })],
			continueOnFail: true,
		});

		expect(output[0]).toEqual([
			{
				json: { error: 'Authorization failed - please check your credentials' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('applies a credential whose authenticate is a function', async () => {
		const { output } = await runExecute(new FixtureApi(), {
			parameters: { authentication: 'keyApi', itemId: 'b' },
			credentials: [keyCredential()],
		});

		expect(output[0][0].json).toEqual({ id: 'b', name: 'Item b' });
		expect(server.requestsTo('/items/b')[0].apiKey).toBe(API_KEY);
	});

	it('streams a download into the binary data store with its bytes intact', async () => {
		const result = await runExecute(new FixtureApi(), {
			parameters: { operation: 'download', fileName: 'contract.pdf' },
			credentials: [tokenCredential()],
		});

		const binary = await result.binary(0);
		expect(binary.storedOnDisk).toBe(true);
		expect(binary).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'contract.pdf',
			bytes: server.file.length,
		});
		expect(binary.data.equals(server.file)).toBe(true);
	});

	it('stores binary input for upload tests in the same binary data store', async () => {
		const input = await binaryInput(server.file, 'upload.pdf');

		const stored = await readBinary(input);

		expect(stored).toMatchObject({
			storedOnDisk: true,
			mimeType: 'application/pdf',
			fileName: 'upload.pdf',
		});
		expect(stored.data.equals(server.file)).toBe(true);
	});
});

describe('runWebhook', () => {
	const rawEvent = Buffer.from('{ "id": "evt-1",  "type": "verification.completed" }');
	const sign = (body: Buffer) => createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
	const signedRequest = (body = rawEvent) => ({
		headers: { 'Content-Type': 'application/json', 'X-Signature': sign(body) },
		body,
	});

	it('answers 401 itself and does not start the workflow when the signature is wrong', async () => {
		const result = await runWebhook(new FixtureWebhookTrigger(), {
			parameters: { secret: WEBHOOK_SECRET },
			credentials: [],
			request: { headers: { 'X-Signature': '00'.repeat(32) }, body: { id: 'evt-1' } },
		});

		expect(result).toMatchObject({
			response: { status: 401, body: 'Unauthorized' },
			noWebhookResponse: true,
			ran: false,
		});
	});

	it('verifies the raw body bytes and starts the workflow with the parsed body', async () => {
		const result = await runWebhook(new FixtureWebhookTrigger(), {
			parameters: { secret: WEBHOOK_SECRET },
			credentials: [],
			request: signedRequest(),
		});

		expect(result.ran).toBe(true);
		expect(result.response).toEqual({
			status: 200,
			body: { message: 'Workflow was started' },
			headers: {},
		});
		expect(result.workflowData?.[0][0].json).toEqual({
			event: { id: 'evt-1', type: 'verification.completed' },
			url: 'http://localhost:5678/webhook/00000000-0000-4000-8000-000000000001/events',
		});
	});

	it('answers 422 without running the node when the JSON body does not parse', async () => {
		const body = Buffer.from('{ "id": ');

		const result = await runWebhook(new FixtureWebhookTrigger(), {
			parameters: { secret: WEBHOOK_SECRET },
			credentials: [],
			request: signedRequest(body),
		});

		expect(result).toMatchObject({ response: { status: 422 }, ran: false });
	});

	it('keeps static data between production calls given the same object', async () => {
		const staticData = {};
		const call = async () =>
			await runWebhook(new FixtureWebhookTrigger(), {
				parameters: { secret: WEBHOOK_SECRET },
				credentials: [],
				request: signedRequest(),
				staticData,
			});

		expect((await call()).ran).toBe(true);
		const repeated = await call();

		expect(repeated).toMatchObject({ ran: false, response: { status: 200, body: { duplicate: true } } });
		expect(staticData).toEqual({ seenIds: ['evt-1'] });
	});

	it('does not save static data for a test webhook', async () => {
		const staticData = {};

		await runWebhook(new FixtureWebhookTrigger(), {
			parameters: { secret: WEBHOOK_SECRET },
			credentials: [],
			request: signedRequest(),
			staticData,
			mode: 'manual',
		});

		expect(staticData).toEqual({});
	});
});

describe('runPoll', () => {
	it('emits only new events, carrying its cursor in static data across polls', async () => {
		const store = new CredentialStore([tokenCredential()]);
		const staticData = {};
		const poll = async () =>
			await runPoll(new FixturePollTrigger(), { parameters: {}, credentials: store, staticData });
		server.events.push({ id: 1, type: 'a' }, { id: 2, type: 'b' });

		expect(await poll()).toEqual([[{ json: { id: 1, type: 'a' } }, { json: { id: 2, type: 'b' } }]]);
		expect(await poll()).toBeNull();
		server.events.push({ id: 3, type: 'c' });
		expect(await poll()).toEqual([[{ json: { id: 3, type: 'c' } }]]);

		expect(staticData).toEqual({ lastId: 3 });
		expect(server.requestsTo('/token')).toHaveLength(1);
	});

	it('shows the newest event in a manual run without saving static data', async () => {
		const staticData = { lastId: 2 };
		server.events.push({ id: 1, type: 'a' }, { id: 2, type: 'b' });

		const data = await runPoll(new FixturePollTrigger(), {
			parameters: {},
			credentials: [tokenCredential()],
			staticData,
			mode: 'manual',
		});

		expect(data).toEqual([[{ json: { id: 2, type: 'b' } }]]);
		expect(staticData).toEqual({ lastId: 2 });
	});

	it('rethrows the error n8n would hand to the error workflow', async () => {
		const credentials = [tokenCredential({ clientSecret: 'wrong' })];

		await expect(
			runPoll(new FixturePollTrigger(), { parameters: {}, credentials }),
		).rejects.toMatchObject({ httpCode: '401' });
	});
});

describe('testCredential', () => {
	it('reports OK for a working token credential, fetching a token first', async () => {
		const result = await testCredential(new HarnessTokenApi(), tokenCredential().data);

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.requestsTo('/me')[0].authorization).toBe('Bearer token-1');
	});

	it('reports the failure when the token endpoint refuses the client', async () => {
		const { data } = tokenCredential({ clientSecret: 'wrong' });

		const result = await testCredential(new HarnessTokenApi(), data);

		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
	});

	it('reports OK and Error for a function-authenticated credential', async () => {
		expect(await testCredential(new HarnessKeyApi(), keyCredential().data)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await testCredential(new HarnessKeyApi(), keyCredential('wrong').data)).toEqual({
			status: 'Error',
			message: 'Unauthorized',
		});
	});
});

describe('createRequestContext', () => {
	it("is n8n-core's context: the credential's token is fetched, applied, stored and reused", async () => {
		const { ctx, store } = await createRequestContext({ credentials: [tokenCredential()] });

		const first = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessTokenApi', {
			url: `${server.baseUrl}/items/a`,
			json: true,
		});
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessTokenApi', { url: `${server.baseUrl}/items/b`, json: true });

		expect(first).toEqual({ id: 'a', name: 'Item a' });
		expect(server.requestsTo('/items/b')[0].authorization).toBe('Bearer token-1');
		expect(store.preAuthenticationCount('harnessTokenApi')).toBe(1);
		expect(store.data('harnessTokenApi').accessToken).toBe('token-1');
	});

	it('refreshes an expired token once on 401, as n8n does', async () => {
		const { ctx, store } = await createRequestContext({
			credentials: [tokenCredential({ accessToken: 'expired-token' })],
		});

		await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessTokenApi', { url: `${server.baseUrl}/items/a`, json: true });

		expect(server.requestsTo('/items/a').map((request) => request.authorization)).toEqual([
			'Bearer expired-token',
			'Bearer token-1',
		]);
		expect(store.preAuthenticationCount('harnessTokenApi')).toBe(1);
	});

	it('reads credentials through n8n, and its binary helpers write to the binary data store', async () => {
		const { ctx } = await createRequestContext({ credentials: [keyCredential()] });

		expect(await ctx.getCredentials('harnessKeyApi')).toEqual({ baseUrl: server.baseUrl, apiKey: 'key-1' });
		const binary = await ctx.helpers.prepareBinaryData(Buffer.from('%PDF-1.7'), 'a.pdf', 'application/pdf');
		expect((await readBinary(binary)).data.toString()).toBe('%PDF-1.7');
		expect((await storedBinaryFiles()).length).toBeGreaterThan(0);
	});

	it('refuses a credential type the context was not given, as n8n does', async () => {
		const { ctx } = await createRequestContext({ credentials: [keyCredential()] });

		await expect(ctx.getCredentials('harnessTokenApi')).rejects.toThrow(
			'does not have any credentials of type "harnessTokenApi" defined',
		);
	});
});

describe('testCredentialType', () => {
	async function sendWith(type: ReturnType<typeof testCredentialType>, data: Record<string, string>) {
		const testServer = await startTestServer();
		try {
			const { ctx, store } = await createRequestContext({ credentials: [{ type, data }] });
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, type.name, { url: `${testServer.url}/x` });
			return { headers: testServer.requests[0].headers, store };
		} finally {
			await testServer.close();
		}
	}

	it('mints a bearer token in preAuthentication, without any token endpoint', async () => {
		const type = testCredentialType({ name: 'mintedApi', auth: 'bearer', mintToken: () => 'minted-1' });

		const { headers, store } = await sendWith(type, {});

		expect(headers.authorization).toBe('Bearer minted-1');
		expect(store.data('mintedApi').accessToken).toBe('minted-1');
	});

	it('sends HTTP Basic from client ID and secret', async () => {
		const { headers } = await sendWith(testCredentialType({ name: 'basicApi', auth: 'basic' }), {
			clientId: 'id-1',
			clientSecret: 'secret-1',
		});

		expect(headers.authorization).toBe(`Basic ${Buffer.from('id-1:secret-1').toString('base64')}`);
	});

	it('sends nothing for auth "none", and keeps the extra fields it declares', async () => {
		const type = testCredentialType({ name: 'plainApi', auth: 'none', extraFields: ['merchantCode'] });

		const { headers, store } = await sendWith(type, { merchantCode: 'm-1' });

		expect(headers.authorization).toBeUndefined();
		expect(store.data('plainApi').merchantCode).toBe('m-1');
	});
});

describe('startTestServer', () => {
	it('answers with the scripted handlers in turn, the last one repeating, and records the requests', async () => {
		const testServer = await startTestServer();
		try {
			testServer.respond(json(503, { error: 'busy' }), text(200, 'ok'));
			const { ctx } = await createRequestContext({ credentials: [keyCredential()] });
			const send = async (body: string) =>
				(await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessKeyApi', {
					method: 'POST',
					url: `${testServer.url}/path?q=1`,
					body,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as IN8nHttpFullResponse;

			const statuses = [(await send('a')).statusCode, (await send('b')).statusCode, (await send('c')).statusCode];

			expect(statuses).toEqual([503, 200, 200]);
			expect(testServer.requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
				{ method: 'POST', url: '/path?q=1', body: 'a' },
				{ method: 'POST', url: '/path?q=1', body: 'b' },
				{ method: 'POST', url: '/path?q=1', body: 'c' },
			]);
			expect(testServer.requests[0].headers['x-api-key']).toBe('key-1');
		} finally {
			await testServer.close();
		}
	});

	it('gives a URL whose connection is refused', async () => {
		const { ctx } = await createRequestContext({ credentials: [keyCredential()] });

		await expect(
			ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessKeyApi', { url: await closedPortUrl() }),
		).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
	});
});

describe('fakeClock', () => {
	it('sleeps instantly, recording the waits and moving time on', async () => {
		const clock = fakeClock(0.25);
		const start = clock.now();

		await clock.sleep(1500);
		clock.advance(500);

		expect(clock.sleeps).toEqual([1500]);
		expect(clock.now() - start).toBe(2000);
		expect(clock.random()).toBe(0.25);
	});
});
