import { createHash } from 'node:crypto';

import { EeId } from '../../../nodes/EeId/EeId.node';
import { EeIdApi } from '../../../credentials/EeIdApi.credentials';
import { waitForCompletion } from '../../../nodes/EeId/actions/identificationRequest/waitForCompletion.operation';
import { CredentialStore, createRequestContext, runExecute } from '../../harness';
import { EEID_REQUESTS_PATH, EEID_SECOND_CLIENT } from '../../sandbox/eeid';
import { expectNoSecrets, useEeIdSandbox } from './fixture';

const node = new EeId();
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** Waits, bounded, until `condition` holds; the sandbox counts requests, so no sleep guesses how long a call takes. */
async function until(condition: () => boolean, what: string): Promise<void> {
	for (let attempt = 0; attempt < 1000; attempt++) {
		if (condition()) return;
		await new Promise((resolve) => setImmediate(resolve));
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	throw new Error(`gave up waiting until ${what}`);
}

function errorOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	return promise.then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Record<string, unknown>) => error,
	);
}

describe('eeID node against the sandbox', () => {
	const eeid = useEeIdSandbox();

	function run(parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runExecute>[1]> = {}) {
		return runExecute(node, {
			parameters: { resource: 'identificationRequest', ...parameters } as never,
			credentials: eeid.credentials,
			...extra,
		});
	}

	function seedRequest(reference = 'seed'): string {
		return eeid.sandbox.createRequestDirect({ reference, claims_required: [{ type: 'sub', value: 'EE30303039914' }] }).id;
	}

	describe('credential token', () => {
		it('fetches one token for 50 items', async () => {
			const id = seedRequest();
			const items = Array.from({ length: 50 }, () => ({ json: { id } }));
			const { output } = await run({ operation: 'get', requestId: '={{ $json.id }}' }, { items });
			expect(output[0]).toHaveLength(50);
			expect(output[0].every((item) => item.json.transactionId === id)).toBe(true);
			expect(eeid.tokenRequests()).toBe(1);
			expect(eeid.apiRequests('GET')).toBe(50);
		});

		it('refreshes the token once the sandbox clock passes 120 s', async () => {
			const id = seedRequest();
			await run({ operation: 'get', requestId: id });
			await run({ operation: 'get', requestId: id });
			expect(eeid.tokenRequests()).toBe(1);
			eeid.sandbox.clock.advance(121_000);
			const { output } = await run({ operation: 'get', requestId: id });
			expect(output[0][0].json.transactionId).toBe(id);
			expect(eeid.tokenRequests()).toBe(2);
			// The stale token was refused once (401), then the request went through with the new one.
			expect(eeid.apiRequests('GET')).toBe(4);
		});
	});

	describe('under a limit of 3 requests in flight (429 with Retry-After beyond it)', () => {
		it('reads 60 items at the default concurrency with no failed item and one token', async () => {
			const id = seedRequest();
			const items = Array.from({ length: 60 }, () => ({ json: { id } }));
			eeid.sandbox.setLatency(10);
			eeid.sandbox.setRateLimit({ maxInFlight: 3, retryAfterSeconds: 0 });

			const { output } = await run({ operation: 'get', requestId: '={{ $json.id }}' }, { items });

			expect(output[0]).toHaveLength(60);
			expect(output[0].every((item) => item.json.transactionId === id)).toBe(true);
			expect(eeid.tokenRequests()).toBe(1);
			const { rejected, peakInFlight } = eeid.sandbox.rateLimitState();
			expect(peakInFlight).toBeLessThanOrEqual(3);
			// Every refused read was repeated; the limit adapted at the start, so refusals stayed few.
			expect(rejected).toBeGreaterThan(0);
			expect(eeid.apiRequests('GET')).toBe(60 + rejected);
			const refusedAt = eeid.sandbox.requests().flatMap((request, position) => (request.rateLimited ? [position] : []));
			expect(Math.max(...refusedAt)).toBeLessThan(16);
		});
	});

	describe('create', () => {
		const claims = { claim: [{ type: 'sub', value: 'EE30303039914' }, { type: 'birthdate', value: '1903-03-03' }] };

		it('creates a request and returns the link to send, localized when a language is chosen', async () => {
			const { output } = await run({
				operation: 'create',
				claims,
				reference: 'case-42',
				additionalFields: { reason: 'Open an account', reasonEt: 'Konto avamine', reasonRu: 'Открытие счёта', language: 'et' },
			});
			const json = output[0][0].json;
			expect(json).toMatchObject({ provider: 'eeid', status: 'pending', verified: false, reference: 'case-42', raw: null });
			const stored = eeid.sandbox.identificationRequest(json.transactionId as string);
			expect(json.link).toBe(stored.link);
			expect(json.linkExpiresAt).toBe(stored.link_expires_at);
			expect(json.localizedLink).toBe(`${stored.link}?ui_locales=et`);
			expect(stored).toMatchObject({
				reference: 'case-42',
				reason: 'Open an account',
				claims_required: claims.claim,
			});
			const sent = JSON.parse(eeid.sandbox.requests({ method: 'POST', path: EEID_REQUESTS_PATH })[0].body.toString());
			expect(sent.reason_translations).toEqual({ et: 'Konto avamine', ru: 'Открытие счёта' });
		});

		it('returns the raw answer or both on request', async () => {
			const raw = (await run({ operation: 'create', claims, output: 'raw' })).output[0][0].json;
			expect(raw).toMatchObject({ status: 'pending', claims_required: claims.claim });
			expect(raw.link).toEqual(expect.stringContaining('/ident/'));
			expect(raw).not.toHaveProperty('provider');
			const both = (await run({ operation: 'create', claims, output: 'both' })).output[0][0].json;
			expect(both).toMatchObject({ provider: 'eeid', raw: { status: 'pending', claims_required: claims.claim } });
		});

		it.each([
			[{}, 'No claim to check'],
			[{ claim: [{ type: 'name', value: 'OK TESTNUMBER' }] }, 'Claims required must include at least one claim of type "sub" with a non-empty value'],
			[{ claim: [{ type: 'sub', value: '30303039914' }] }, 'Claim 1 (sub) "30303039914" lacks its two-letter country prefix'],
			[{ claim: [{ type: 'birthdate', value: '3 March 1903' }] }, 'Claim 1 (birthdate) "3 March 1903" is not a date in the form YYYY-MM-DD'],
			[{ claim: [{ type: 'country', value: 'Estonia' }] }, 'Claim 1 (country) "Estonia" is not an ISO 3166-1 alpha-2 code'],
		])('refuses invalid claims %j before sending anything', async (badClaims, message) => {
			const error = await errorOf(run({ operation: 'create', claims: badClaims }));
			expect(error.message).toBe(message);
			// The description tells the user what to change: each names the claim format to use.
			expect(error.description).toMatch(/EE30303039914|YYYY-MM-DD|two capital letters/);
			expect(eeid.apiRequests()).toBe(0);
		});

		it("passes eeID's 422 message on", async () => {
			eeid.sandbox.queueFault({ kind: 'status', status: 422, message: 'claims_required is invalid', method: 'POST', path: EEID_REQUESTS_PATH });
			const error = await errorOf(run({ operation: 'create', claims }));
			expect(JSON.stringify(error)).toContain('claims_required is invalid');
			expect(error.httpCode).toBe('422');
		});

		it('never retries a create, even on 503', async () => {
			eeid.sandbox.queueFault({ kind: 'status', status: 503, method: 'POST', path: EEID_REQUESTS_PATH });
			const error = await errorOf(run({ operation: 'create', claims }));
			expect(error.httpCode).toBe('503');
			expect(eeid.apiRequests('POST')).toBe(1);
		});
	});

	describe('get', () => {
		it('returns the normalized identity of a completed request', async () => {
			const id = seedRequest('case-7');
			await eeid.sandbox.completeRequest(id, { sub: 'EE30303039914', given_name: 'OK', family_name: 'TESTNUMBER' });
			const { output } = await run({ operation: 'get', requestId: id });
			expect(output[0][0].json).toMatchObject({
				provider: 'eeid',
				transactionId: id,
				reference: 'case-7',
				status: 'verified',
				verified: true,
				person: { subjectId: 'EE30303039914', givenName: 'OK', familyName: 'TESTNUMBER', birthDate: '1903-03-03' },
			});
		});

		it('reports a completion by another person as failed, with eeID\'s reason and claims check', async () => {
			const id = seedRequest('case-8');
			await eeid.sandbox.completeRequestAs(id, 'other');
			const json = (await run({ operation: 'get', requestId: id })).output[0][0].json as Record<string, any>;
			expect(json).toMatchObject({ status: 'failed', verified: false, claimsCheck: { by: 'eeid', matched: false } });
			expect(json.reason).toEqual(expect.stringContaining('does not match'));
		});

		it('compares the claims itself when eeID\'s answer has no claims_matched (older API)', async () => {
			eeid.sandbox.configure({ claimsComparison: false, familyNameKey: 'last_name', birthDateKey: 'birthdate' });
			const matching = seedRequest('older-1');
			await eeid.sandbox.completeRequestAs(matching, 'expected');
			const other = seedRequest('older-2');
			await eeid.sandbox.completeRequestAs(other, 'other');
			const items = [matching, other].map((id) => ({ json: { id } }));
			const { output } = await run({ operation: 'get', requestId: '={{ $json.id }}', output: 'both' }, { items });
			const [first, second] = output[0].map((item) => item.json as Record<string, any>);
			expect(first.raw).not.toHaveProperty('claims_matched');
			expect(first).toMatchObject({ status: 'verified', claimsCheck: { by: 'node', matched: true } });
			expect(second).toMatchObject({ status: 'failed', verified: false, claimsCheck: { by: 'node', matched: false } });
		});

		it('keeps the link in normalized output and leaves the request\'s bookkeeping out', async () => {
			const id = seedRequest('case-9');
			const json = (await run({ operation: 'get', requestId: id })).output[0][0].json;
			const stored = eeid.sandbox.identificationRequest(id);
			expect(json).toMatchObject({ link: stored.link, linkExpiresAt: stored.link_expires_at, raw: null });
			for (const key of ['created_at', 'claims_required', 'client_id', 'link_expires_at']) expect(json).not.toHaveProperty(key);
		});

		it('refuses a malformed id before any request', async () => {
			const error = await errorOf(run({ operation: 'get', requestId: 'not-a-uuid' }));
			expect(error.message).toBe('"not-a-uuid" is not an identification request ID');
			expect(eeid.apiRequests()).toBe(0);
			expect(eeid.tokenRequests()).toBe(0);
		});

		it("passes eeID's 404 message on, and a request of another service is not found", async () => {
			const foreign = eeid.sandbox.createRequestDirect(
				{ claims_required: [{ type: 'country', value: 'EE' }] },
				EEID_SECOND_CLIENT.clientId,
			).id;
			for (const id of [MISSING_ID, foreign]) {
				const error = await errorOf(run({ operation: 'get', requestId: id }));
				expect(error.httpCode).toBe('404');
				expect(JSON.stringify(error)).toContain('Not found');
			}
		});

		it('retries a read on 503 and 429 (Retry-After) and then succeeds', async () => {
			const id = seedRequest();
			eeid.sandbox.queueFault({ kind: 'status', status: 503, method: 'GET', path: `${EEID_REQUESTS_PATH}/:id` });
			eeid.sandbox.queueFault({ kind: 'status', status: 429, retryAfter: 0, method: 'GET', path: `${EEID_REQUESTS_PATH}/:id` });
			const { output } = await run({ operation: 'get', requestId: id, options: { maxRetries: 3 } });
			expect(output[0][0].json.transactionId).toBe(id);
			expect(eeid.apiRequests('GET')).toBe(3);
		});

		it("passes eeID's 500 message on once the retries are spent", async () => {
			const id = seedRequest();
			eeid.sandbox.queueFault({ kind: 'status', status: 500, times: 10, method: 'GET' });
			const error = await errorOf(run({ operation: 'get', requestId: id }));
			expect(error.httpCode).toBe('500');
			expect(JSON.stringify(error)).toContain('Internal server error');
		});

		it("passes eeID's 401 message on when the API keeps refusing the token", async () => {
			const id = seedRequest();
			eeid.sandbox.queueFault({ kind: 'status', status: 401, times: 2, method: 'GET' });
			const error = await errorOf(run({ operation: 'get', requestId: id }));
			expect(error.httpCode).toBe('401');
			expect(JSON.stringify(error)).toContain('Unauthorized');
			expectNoSecrets(error, [eeid.credentials.data('eeIdApi').accessToken as string]);
		});

		it('reports wrong client credentials without revealing them', async () => {
			eeid.credentials = new CredentialStore([
				{ type: new EeIdApi(), data: { clientId: 'oidc-sandbox-client-1', clientSecret: 'wrong-secret-value', baseUrl: eeid.baseUrl } },
			]);
			const error = await errorOf(run({ operation: 'get', requestId: MISSING_ID }));
			expect(JSON.stringify(error)).toContain('Check the Client ID and Client Secret');
			expectNoSecrets(error, ['wrong-secret-value']);
		});

		it('keeps going with continueOnFail, the error on the failed item, order kept', async () => {
			const first = seedRequest('a');
			const third = seedRequest('c');
			const items = [first, MISSING_ID, third].map((id) => ({ json: { id } }));
			const { output } = await run(
				{ operation: 'get', requestId: '={{ $json.id }}', options: { concurrency: 3 } },
				{ items, continueOnFail: true },
			);
			expect(output[0].map((item) => item.json.transactionId ?? null)).toEqual([first, null, third]);
			expect(output[0][1].json.error).toEqual(expect.stringContaining('Not found'));
			expect(output[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expectNoSecrets(output);
		});
	});

	describe('get many', () => {
		function seedMany(count: number): string[] {
			return Array.from({ length: count }, (_, index) => seedRequest(`r${index}`));
		}

		it.each([0, 1] as const)('returns every request across pages when pages count from %i', async (pageBase) => {
			eeid.sandbox.pageBase = pageBase;
			const ids = seedMany(230);
			const { output } = await run({ operation: 'getMany', returnAll: true });
			const returned = output[0].map((item) => item.json.transactionId);
			expect(returned).toHaveLength(230);
			expect(new Set(returned)).toEqual(new Set(ids));
		});

		it.each([0, 1] as const)('stops at the limit, newest first, when pages count from %i', async (pageBase) => {
			eeid.sandbox.pageBase = pageBase;
			const ids = seedMany(12);
			const { output } = await run({ operation: 'getMany', returnAll: false, limit: 5, output: 'raw' });
			expect(output[0].map((item) => item.json.id)).toEqual(ids.slice(-5).reverse());
		});

		it('asks the first page without a page number and counts on from the page eeID answers with', async () => {
			eeid.sandbox.pageBase = 1;
			seedMany(150);
			await run({ operation: 'getMany', returnAll: true });
			const pages = eeid.sandbox.requests({ method: 'GET', path: EEID_REQUESTS_PATH }).map((request) => request.query.page);
			expect(pages).toEqual([undefined, '2']);
		});

		it('returns nothing for a service without requests', async () => {
			const { output } = await run({ operation: 'getMany', returnAll: true });
			expect(output[0]).toEqual([]);
		});
	});

	describe('proof of identity', () => {
		it('streams the PDF into a binary property, bytes identical to the sandbox', async () => {
			const id = seedRequest();
			await eeid.sandbox.completeRequest(id);
			const result = await run({ operation: 'getProofOfIdentity', requestId: id, binaryPropertyName: 'proof' });
			const binary = await result.binary(0, 'proof');
			const expected = eeid.sandbox.proofPdf(id);
			expect(createHash('sha256').update(binary.data).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
			expect(binary.mimeType).toBe('application/pdf');
			expect(binary.fileName).toMatch(/\.pdf$/);
			expect(result.output[0][0].json).toMatchObject({ transactionId: id, fileName: binary.fileName });
		});

		it('refuses a truncated download', async () => {
			const id = seedRequest();
			await eeid.sandbox.completeRequest(id);
			eeid.sandbox.queueFault({ kind: 'truncate', times: 5, path: `${EEID_REQUESTS_PATH}/:id/proof_of_identity` });
			const error = await errorOf(run({ operation: 'getProofOfIdentity', requestId: id, binaryPropertyName: 'data' }));
			expect(error.message).toMatch(/^The download of "proof_of_identity_.+\.pdf" broke off before the file was complete/);
			expect(error.description).toContain('Nothing was stored');
		});

		it("passes eeID's answer on for a request that is not completed", async () => {
			const id = seedRequest();
			const error = await errorOf(run({ operation: 'getProofOfIdentity', requestId: id, binaryPropertyName: 'data' }));
			expect(error.httpCode).toBe('404');
		});
	});

	describe('wait for completion', () => {
		it('polls until the request completes', async () => {
			const id = seedRequest();
			const pending = run({ operation: 'waitForCompletion', requestId: id, options: { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 30 } });
			await until(() => eeid.apiRequests('GET') >= 2, 'the node has polled twice');
			await eeid.sandbox.completeRequest(id);
			const { output } = await pending;
			expect(output[0][0].json).toMatchObject({ transactionId: id, status: 'verified' });
		});

		it('ends with failed when another person completed the request', async () => {
			const id = seedRequest();
			await eeid.sandbox.completeRequestAs(id, 'other');
			const { output } = await run({ operation: 'waitForCompletion', requestId: id });
			expect(output[0][0].json).toMatchObject({ status: 'failed', verified: false });
		});

		it('stops waiting at once when the execution is stopped', async () => {
			const id = seedRequest();
			const stop = new AbortController();
			const { ctx } = await createRequestContext({
				credentials: eeid.credentials,
				parameters: { resource: 'identificationRequest', operation: 'waitForCompletion', requestId: id, options: { pollIntervalSeconds: 600, waitTimeoutSeconds: 3600 } },
				properties: node.description.properties,
				abortSignal: stop.signal,
			});
			const waiting = waitForCompletion.execute.call(ctx, 0, {}).then(
				() => 'completed',
				() => 'stopped',
			);
			await until(() => eeid.apiRequests('GET') >= 1, 'the node has polled once');
			stop.abort();
			// Without the cancel signal this would sleep out the 600 s interval, far past the test's timeout.
			await expect(waiting).resolves.toBe('stopped');
			expect(eeid.apiRequests('GET')).toBe(1);
		});

		it('ends on expiry too', async () => {
			const id = seedRequest();
			eeid.sandbox.expireRequest(id);
			const { output } = await run({ operation: 'waitForCompletion', requestId: id });
			expect(output[0][0].json).toMatchObject({ status: 'expired', verified: false });
		});

		it('fails after the timeout, or outputs the pending request when asked to', async () => {
			const id = seedRequest();
			const options = { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 0.1 };
			const error = await errorOf(run({ operation: 'waitForCompletion', requestId: id, options }));
			expect(error.message).toBe(`The identification request ${id} is still pending`);
			const { output } = await run({ operation: 'waitForCompletion', requestId: id, options: { ...options, onTimeout: 'output' } });
			expect(output[0][0].json).toMatchObject({ status: 'pending' });
		});
	});
});
