import { NodeApiError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { inspect } from 'node:util';

import {
	createRequestContext,
	json,
	readBinary,
	silence,
	startTestServer,
	testCredentialType,
	text,
	type HarnessRequestContext,
	type TestServer,
} from '../../harness';
import { createProviderClient, segment, type ProviderClientConfig } from '../../../nodes/shared/client';
import { baseUrlOf } from '../../../nodes/shared/util';

const CREDENTIAL = 'clientTestApi';
const CLIENT_SECRET = 'client-secret-77aa88bb99cc';
const MERCHANT_CODE = 'merchant-code-5e6f7a8b';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 0x61), Buffer.from('\n%%EOF\n')]);

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => await server.close());

/** A bearer credential with its base URL (any path below the server) and a merchant code that travels in bodies. */
async function context(baseUrl = `${server.url}/api/v1/`): Promise<HarnessRequestContext> {
	let minted = 0;
	const type = testCredentialType({
		name: CREDENTIAL,
		auth: 'bearer',
		mintToken: () => `client-token-${++minted}-c0ffee`,
		extraFields: ['merchantCode'],
	});
	return await createRequestContext({
		credentials: [{ type, data: { baseUrl, clientId: 'client-1', clientSecret: CLIENT_SECRET, merchantCode: MERCHANT_CODE } }],
	});
}

function client(extra: Partial<ProviderClientConfig> = {}) {
	return createProviderClient({
		provider: 'Acme',
		credentialType: CREDENTIAL,
		baseUrl: (credentials: ICredentialDataDecryptedObject) => baseUrlOf(credentials.baseUrl, 'https://api.acme.example'),
		...extra,
	});
}

async function failureOf(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('Expected the call to fail');
}

describe('createProviderClient', () => {
	it("joins the path to the credential's base URL and authenticates through the credential", async () => {
		server.respond(json(200, { id: 'a/b' }));
		const { ctx } = await context();

		await client().json(ctx, { method: 'GET', path: `/requests/${segment('a/b?c')}` });

		expect(server.requests[0].url).toBe('/api/v1/requests/a%2Fb%3Fc');
		expect(server.requests[0].headers.authorization).toBe('Bearer client-token-1-c0ffee');
	});

	it('parses JSON answers and sends object bodies as JSON by default', async () => {
		server.respond(json(201, { id: 'req-1', status: 'pending' }));
		const { ctx } = await context();

		const body = await client().json<{ id: string }>(ctx, { method: 'POST', path: '/requests', body: { reference: 'order-7' } });

		expect(body).toEqual({ id: 'req-1', status: 'pending' });
		expect(server.requests[0].headers['content-type']).toMatch(/^application\/json/);
		expect(JSON.parse(server.requests[0].body)).toEqual({ reference: 'order-7' });
	});

	it('gives the full response from request()', async () => {
		server.respond(json(202, { accepted: true }, { 'x-request-id': 'r-9' }));
		const { ctx } = await context();

		const response = await client().request(ctx, { method: 'GET', path: '/status' });

		expect(response).toMatchObject({ statusCode: 202, body: { accepted: true } });
		expect(response.headers['x-request-id']).toBe('r-9');
	});

	it('streams a download into n8n binary data, asking for the bytes as stored', async () => {
		server.respond((_request, response) => {
			response.writeHead(200, {
				'content-type': 'application/pdf',
				'content-length': String(PDF.length),
				'content-disposition': 'attachment; filename="proof-7.pdf"',
			});
			response.end(PDF);
		});
		const { ctx } = await context();

		const binary = await client().download(
			ctx,
			{ method: 'GET', path: '/requests/7/proof' },
			{ fallbackFileName: 'proof.pdf', fallbackMimeType: 'application/pdf', maxBytes: 1_000_000 },
		);

		expect(server.requests[0].headers['accept-encoding']).toBe('identity');
		expect(binary).toMatchObject({ fileName: 'proof-7.pdf', mimeType: 'application/pdf', bytes: PDF.length });
		const stored = await readBinary(binary);
		expect(stored.storedOnDisk).toBe(true);
		expect(stored.data.equals(PDF)).toBe(true);
	});

	it('answers the error statuses the caller accepts', async () => {
		server.respond(json(404, { error: 'No such request' }));
		const { ctx } = await context();

		const response = await client().request(ctx, { method: 'GET', path: '/requests/x', acceptStatuses: [404] });

		expect(response.statusCode).toBe(404);
		expect(response.body).toEqual({ error: 'No such request' });
	});

	it('throws for statuses not accepted, with the statusHints meaning in the description and the item index', async () => {
		server.respond(json(412, { error: 'Identification not started' }));
		const { ctx } = await context();

		const error = await failureOf(
			client().json(ctx, { method: 'GET', path: '/requests/x', acceptStatuses: [404], statusHints: { 412: 'Start the identification first.' } }, { itemIndex: 2 }),
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Acme: Identification not started');
		expect(error.httpCode).toBe('412');
		expect(error.description).toBe('Start the identification first.');
		expect(error.context.itemIndex).toBe(2);
	});

	it("uses the provider's own message extraction", async () => {
		server.respond(json(400, { fault: { text: 'Reference too long' } }));
		const { ctx } = await context();
		const errorMessage = (body: unknown) => (body as { fault?: { text?: string } }).fault?.text;

		const error = await failureOf(client({ errorMessage }).json(ctx, { method: 'GET', path: '/x' }));

		expect(error.message).toBe('Acme: Reference too long');
	});

	it('redacts bodySecrets from errors, which nothing else would recognise', async () => {
		const echo = text(400, `Unknown merchant ${MERCHANT_CODE}`);
		const bodySecrets = (credentials: ICredentialDataDecryptedObject) => [credentials.merchantCode as string];
		const call = { method: 'POST' as const, path: '/transactions', body: { merchant: MERCHANT_CODE } };

		server.respond(echo);
		const withoutBodySecrets = await failureOf(client().json((await context()).ctx, call));
		server.respond(echo);
		const error = await failureOf(client({ bodySecrets }).json((await context()).ctx, call));

		expect(withoutBodySecrets.message).toBe(`Acme: Unknown merchant ${MERCHANT_CODE}`);
		expect(error.message).toBe('Acme: Unknown merchant [redacted]');
		expect(`${inspect(error, { showHidden: true, depth: 20 })}${JSON.stringify(error)}`).not.toContain(MERCHANT_CODE);
	});

	it('passes the retry settings of the call on', async () => {
		server.respond(json(503, { error: 'busy' }));
		const { ctx } = await context();

		const error = await failureOf(client().json(ctx, { method: 'GET', path: '/x' }, { retry: { maxAttempts: 1 } }));

		expect(server.requests).toHaveLength(1);
		expect(error.httpCode).toBe('503');
	});

	it('ends a call after the timeout of its settings', async () => {
		server.respond(silence);
		const { ctx } = await context();

		const error = await failureOf(client().json(ctx, { method: 'GET', path: '/slow' }, { timeoutMs: 100, retry: { maxAttempts: 1 } }));

		expect(error.message).toBe('Acme: the request timed out (ECONNABORTED)');
	});
});

describe('segment', () => {
	it('encodes an id so it stays one path segment', () => {
		expect(segment('../admin?x=1#y')).toBe('..%2Fadmin%3Fx%3D1%23y');
		expect(segment('req-1')).toBe('req-1');
	});
});
