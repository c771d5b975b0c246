import { NodeApiError } from 'n8n-workflow';
import { inspect } from 'node:util';
import { Readable } from 'node:stream';

import { TEST_NODE } from '../../harness/fakes';
import {
	createProviderError,
	describeThrownFailure,
	extractErrorMessage,
	findErrorCode,
	secretsInRequest,
	type CallFailure,
	type ErrorWording,
} from '../../../nodes/shared/providerError';

const EEID: ErrorWording = { provider: 'eeID' };

function errorFor(failure: Partial<CallFailure>, wording: ErrorWording = EEID, attempts = 1, secrets: string[] = []): NodeApiError {
	return createProviderError(TEST_NODE, wording, { sentSecrets: [], ...failure }, attempts, secrets);
}

describe('extractErrorMessage', () => {
	it.each([
		[{ errors: [{ field: 'claims_required', message: 'is invalid' }, { message: 'reason is too long' }] }, 'claims_required: is invalid; reason is too long'],
		[{ error: 'invalid_client', error_description: 'Client authentication failed' }, 'Client authentication failed'],
		[{ Error: 'Order not found' }, 'Order not found'],
		[{ message: 'Invalid phone number', code: 17 }, 'Invalid phone number'],
		[{ error: { message: 'Nested message' } }, 'Nested message'],
		[[{ message: 'same' }, { message: 'same' }], 'same'],
		['<html><head><title>Bad Gateway</title></head></html>', 'Bad Gateway'],
		['<p>Plain   <b>markup</b></p>', 'Plain markup'],
	])('finds the message in %j', (body, message) => {
		expect(extractErrorMessage(body)).toBe(message);
	});

	it('returns undefined when nothing looks like a message', () => {
		expect(extractErrorMessage({ status: 500 })).toBeUndefined();
		expect(extractErrorMessage(null)).toBeUndefined();
		expect(extractErrorMessage('   ')).toBeUndefined();
		expect(extractErrorMessage([])).toBeUndefined();
	});

	it('prefers a description over a bare error code', () => {
		expect(extractErrorMessage({ error: 'invalid_grant', error_description: 'Code expired' })).toBe('Code expired');
	});

	it('does not descend without end', () => {
		expect(extractErrorMessage({ error: { error: { error: { error: { error: 'deep' } } } } })).toBeUndefined();
	});
});

describe('createProviderError', () => {
	it('is a NodeApiError with the provider message, the status, a hint and the item', () => {
		const error = errorFor({ statusCode: 404, body: { error: 'Identification request not found' } }, { ...EEID, itemIndex: 3 });

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('eeID: Identification request not found');
		expect(error.httpCode).toBe('404');
		expect(error.description).toBe('Check the ID: eeID does not know it (it may have expired or been deleted).');
		expect(error.context.itemIndex).toBe(3);
		expect(error.node).toBe(TEST_NODE);
	});

	it('reads a JSON body that arrived as bytes or text', () => {
		expect(errorFor({ statusCode: 400, body: Buffer.from('{"message":"From bytes"}') }).message).toBe('eeID: From bytes');
		expect(errorFor({ statusCode: 400, body: '{"message":"From text"}' }).message).toBe('eeID: From text');
	});

	it('falls back to the HTTP status when the body says nothing', () => {
		expect(errorFor({ statusCode: 500, statusMessage: 'Internal Server Error', body: '' }).message).toBe(
			'eeID: HTTP 500 Internal Server Error',
		);
		expect(errorFor({ statusCode: 502 }).message).toBe('eeID: HTTP 502');
	});

	it('uses the provider-specific message extraction when given', () => {
		const errorMessage = (body: unknown) => (body as { result?: { problem?: string } }).result?.problem;

		const error = errorFor({ statusCode: 400, body: { result: { problem: 'Ref contains invalid characters' } } }, { provider: 'IDnow', errorMessage });

		expect(error.message).toBe('IDnow: Ref contains invalid characters');
	});

	it.each([
		[401, 'Check the eeID credentials: eeID did not accept them.'],
		[403, 'Check that the eeID account behind these credentials may do this.'],
		[404, 'Check the ID: eeID does not know it (it may have expired or been deleted).'],
		[409, 'Check the current state of the eeID resource: it does not allow this change now.'],
		[429, 'eeID is limiting the request rate. Try again later, or lower the concurrency in the node options.'],
		[500, 'eeID could not process the request right now. Try again later.'],
		[503, 'eeID could not process the request right now. Try again later.'],
		[400, "Check the node's parameters: eeID rejected them."],
		[422, "Check the node's parameters: eeID rejected them."],
	])('hints at what to change for HTTP %i', (statusCode, hint) => {
		expect(errorFor({ statusCode }).description).toBe(hint);
	});

	it("prefers the provider's documented meaning of a status", () => {
		const wording = { ...EEID, statusHints: { 412: 'Start the identification first.', 404: 'The request was deleted.' } };

		expect(errorFor({ statusCode: 412 }, wording).description).toBe('Start the identification first.');
		expect(errorFor({ statusCode: 404 }, wording).description).toBe('The request was deleted.');
		expect(errorFor({ statusCode: 409 }, wording).description).toBe(
			'Check the current state of the eeID resource: it does not allow this change now.',
		);
	});

	it.each([
		['ECONNREFUSED', 'eeID: the connection was refused (ECONNREFUSED)', 'Check the base URL in the eeID credentials and the network connection, then try again.'],
		['ENOTFOUND', 'eeID: the host name could not be resolved (ENOTFOUND)', 'Check the base URL in the eeID credentials and the network connection, then try again.'],
		['ETIMEDOUT', 'eeID: the request timed out (ETIMEDOUT)', 'eeID did not answer in time. Try again later, or raise the timeout in the node options.'],
		['ECONNABORTED', 'eeID: the request timed out (ECONNABORTED)', 'eeID did not answer in time. Try again later, or raise the timeout in the node options.'],
	])('names the connection problem %s and what to check', (connectionCode, message, hint) => {
		const error = errorFor({ connectionCode });

		expect(error.message).toBe(message);
		expect(error.description).toBe(hint);
		expect(error.httpCode).toBeNull();
	});

	it("passes on a thrown error's own reason and hint when no connection code explains it", () => {
		const error = errorFor({ reason: 'Token request refused', reasonHint: 'Check the Client ID in the credentials.' });

		expect(error.message).toBe('eeID: Token request refused');
		expect(error.description).toBe('Check the Client ID in the credentials.');
	});

	it('says how often it tried when it retried', () => {
		expect(errorFor({ statusCode: 503 }, EEID, 3).description).toBe(
			'eeID could not process the request right now. Try again later. (gave up after 3 attempts)',
		);
		expect(errorFor({ statusCode: 503 }, EEID, 1).description).not.toContain('gave up');
	});

	it('keeps long messages short', () => {
		const error = errorFor({ statusCode: 500, body: 'x'.repeat(5000) });

		expect(error.message).toHaveLength(500);
		expect(error.message.endsWith('…')).toBe(true);
	});

	it('redacts the given secrets and anything shaped like a credential from message and description', () => {
		const error = errorFor(
			{ reason: 'Refused k3y-material-xyz with Bearer abcdefghijklmnop', reasonHint: 'client_secret=hunter2hunter2' },
			EEID,
			1,
			['k3y-material-xyz'],
		);

		expect(error.message).toBe('eeID: Refused [redacted] with Bearer [redacted]');
		expect(error.description).toBe('client_secret=[redacted]');
		expect(`${inspect(error, { showHidden: true, depth: 20 })}${JSON.stringify(error)}`).not.toMatch(/k3y-material|abcdefghijklmnop|hunter2/);
	});
});

describe('secretsInRequest', () => {
	it('collects Bearer tokens with and without their scheme', () => {
		expect(secretsInRequest({ headers: { Authorization: 'Bearer tok-123456' } })).toEqual(['Bearer tok-123456', 'tok-123456']);
	});

	it('decodes Basic credentials and keeps the password on its own', () => {
		const encoded = Buffer.from('client-1:pa:ss').toString('base64');

		expect(secretsInRequest({ headers: { authorization: `Basic ${encoded}` } })).toEqual([
			`Basic ${encoded}`,
			encoded,
			'client-1:pa:ss',
			'pa:ss',
		]);
	});

	it('collects secret-named headers, basic-auth passwords and secret-named body fields, JSON text included', () => {
		expect(secretsInRequest({ headers: { 'X-Api-Key': 'key-1', Accept: 'application/json' } })).toEqual(['key-1']);
		expect(secretsInRequest({ auth: { username: 'u', password: 'p4ss' } })).toEqual(['p4ss']);
		expect(secretsInRequest({ body: { service: 'login', nested: { token: 'merchant-1' } } })).toEqual(['merchant-1']);
		expect(secretsInRequest({ data: '{"client_secret":"s3cret"}' })).toEqual(['s3cret']);
	});

	it('finds nothing in a request without credentials', () => {
		expect(secretsInRequest({ headers: { accept: '*/*' }, body: { name: 'x' } })).toEqual([]);
	});
});

describe('describeThrownFailure', () => {
	it('summarises an axios-shaped error wrapped by n8n, reading a streamed body', async () => {
		const axiosError = {
			message: 'Request failed with status code 401',
			code: 'ERR_BAD_REQUEST',
			response: { status: 401, statusText: 'Unauthorized', data: Readable.from([Buffer.from('{"error":"Token expired"}')]) },
			config: { headers: { Authorization: 'Bearer tok-abcdef' } },
		};
		const wrapped = Object.assign(new Error('Authorization failed'), { cause: axiosError, description: 'n8n says' });

		const failure = await describeThrownFailure(wrapped);

		expect(failure).toMatchObject({
			statusCode: 401,
			statusMessage: 'Unauthorized',
			connectionCode: 'ERR_BAD_REQUEST',
			reason: 'Authorization failed',
			reasonHint: 'n8n says',
			sentSecrets: ['Bearer tok-abcdef', 'tok-abcdef'],
		});
		expect((failure.body as Buffer).toString()).toBe('{"error":"Token expired"}');
	});

	it('treats a socket hang up as a dropped connection', () => {
		expect(findErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(findErrorCode({ cause: { code: 'ECONNREFUSED' } })).toBe('ECONNREFUSED');
		expect(findErrorCode(new Error('other'))).toBeUndefined();
	});
});
