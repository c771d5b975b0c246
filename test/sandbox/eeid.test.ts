import { createHmac } from 'node:crypto';

import {
	EEID_REQUESTS_PATH,
	EEID_SECOND_CLIENT,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	EeidSimulator,
	type EeidClient,
	type EeidIdentificationRequest,
} from './eeid';
import { jsonResponse, SandboxClock, SandboxServer } from './framework';

const START = Date.UTC(2025, 2, 1, 9, 30, 0);
const WEBHOOK_PATH = '/webhook/abc/eeid/webhooks/identification_requests';
const SUB_CLAIM = { type: 'sub', value: 'EE38001085718' };

let eeid: EeidSimulator;
let base: string;

beforeEach(async () => {
	eeid = new EeidSimulator({ clock: new SandboxClock({ startMs: START }) });
	base = await eeid.start();
});

afterEach(() => eeid.stop());

function basic(client: Pick<EeidClient, 'clientId' | 'clientSecret'>): string {
	return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

async function token(client: EeidClient = EEID_TEST_CLIENT): Promise<string> {
	const answer = await fetch(`${base}${EEID_TOKEN_PATH}`, { method: 'POST', headers: { authorization: basic(client) } });
	expect(answer.status).toBe(201);
	return ((await answer.json()) as { access_token: string }).access_token;
}

async function api(path: string, accessToken: string | undefined, init: { method?: string; body?: unknown } = {}) {
	const answer = await fetch(`${base}${path}`, {
		method: init.method ?? 'GET',
		headers: {
			...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
			'content-type': 'application/json',
		},
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
	const text = await answer.text();
	return { status: answer.status, headers: answer.headers, body: text ? JSON.parse(text) : undefined };
}

async function create(accessToken: string, body: unknown = { claims_required: [SUB_CLAIM] }): Promise<EeidIdentificationRequest> {
	const answer = await api(EEID_REQUESTS_PATH, accessToken, { method: 'POST', body });
	expect(answer.status).toBe(201);
	return answer.body;
}

function hmac(secret: string, body: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

describe('token endpoint', () => {
	it('issues a Bearer token for 120 s on valid Basic credentials', async () => {
		const answer = await fetch(`${base}${EEID_TOKEN_PATH}`, {
			method: 'POST',
			headers: { authorization: basic(EEID_TEST_CLIENT) },
		});
		expect(answer.status).toBe(201);
		expect(await answer.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 120 });
	});

	it.each([
		['no Authorization header', undefined],
		['a wrong secret', basic({ clientId: EEID_TEST_CLIENT.clientId, clientSecret: 'wrong' })],
		['an unknown client', basic({ clientId: 'nobody', clientSecret: EEID_TEST_CLIENT.clientSecret })],
		['no colon', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
		['a Bearer scheme', 'Bearer abc'],
	])('answers 401 {error} for %s', async (_case, authorization) => {
		const answer = await fetch(`${base}${EEID_TOKEN_PATH}`, {
			method: 'POST',
			headers: authorization === undefined ? {} : { authorization },
		});
		expect(answer.status).toBe(401);
		expect(await answer.json()).toEqual({ error: 'Unauthorized' });
	});

	it('counts token requests, failed ones included', async () => {
		await token();
		await token(EEID_SECOND_CLIENT);
		await fetch(`${base}${EEID_TOKEN_PATH}`, { method: 'POST' });
		expect(eeid.tokenRequestCount()).toBe(3);
	});

	it('expires tokens 120 s after issue on the sandbox clock', async () => {
		const accessToken = await token();
		eeid.clock.advance(119_999);
		expect((await api(EEID_REQUESTS_PATH, accessToken)).status).toBe(200);
		eeid.clock.advance(1);
		expect(await api(EEID_REQUESTS_PATH, accessToken)).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
	});
});

describe('Bearer check', () => {
	it.each([
		['GET', EEID_REQUESTS_PATH],
		['POST', EEID_REQUESTS_PATH],
		['GET', `${EEID_REQUESTS_PATH}/497f6eca-6276-4993-bfeb-53cbbbba6f08`],
		['GET', `${EEID_REQUESTS_PATH}/497f6eca-6276-4993-bfeb-53cbbbba6f08/proof_of_identity`],
	])('guards %s %s: missing or unknown token → 401', async (method, path) => {
		for (const accessToken of [undefined, 'not-a-token']) {
			expect(await api(path, accessToken, { method, body: method === 'POST' ? {} : undefined })).toMatchObject({
				status: 401,
				body: { error: 'Unauthorized' },
			});
		}
	});
});

describe('creating identification requests', () => {
	it('answers 201 with the documented fields', async () => {
		const accessToken = await token();
		const created = await create(accessToken, {
			reference: 'order-42',
			claims_required: [SUB_CLAIM, { type: 'name', value: 'Mari-Liis Männik' }],
			reason: 'Opening an account',
			reason_translations: { et: 'Konto avamine' },
		});
		expect(created).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
			link: `${base}/ident/${created.id}`,
			link_expires_at: '2025-03-08T09:30:00Z',
			claims_required: [SUB_CLAIM, { type: 'name', value: 'Mari-Liis Männik' }],
			completed_at: null,
			status: 'pending',
			created_at: '2025-03-01T09:30:00Z',
			result: {},
			client_id: EEID_TEST_CLIENT.clientId,
			reference: 'order-42',
			reason: 'Opening an account',
		});
		expect(eeid.identificationRequest(created.id)).toEqual(created);
	});

	it('answers 400 {error} for malformed JSON', async () => {
		const answer = await api(EEID_REQUESTS_PATH, await token(), { method: 'POST', body: '{"claims_required":' });
		expect(answer).toMatchObject({ status: 400, body: { error: 'Malformed JSON body' } });
	});

	it.each([
		['a non-object body', [], 'Request body must be a JSON object'],
		['missing claims_required', {}, 'claims_required must be a non-empty array of {type, value}'],
		['empty claims_required', { claims_required: [] }, 'claims_required must be a non-empty array of {type, value}'],
		['claims_required not an array', { claims_required: SUB_CLAIM }, 'claims_required must be a non-empty array of {type, value}'],
		['a claim without value', { claims_required: [{ type: 'sub' }] }, 'claims_required[0] must be an object with string type and value'],
		['an unknown claim type', { claims_required: [{ type: 'email', value: 'a@b.ee' }] }, 'claims_required[0]: unknown claim type "email"; allowed: sub, name, birthdate, country'],
		['a sub without country prefix', { claims_required: [{ type: 'sub', value: '38001085718' }] }, 'claims_required[0]: sub must start with a two-letter country code, e.g. EE30303039914 (got "38001085718")'],
		['a sub that is only a prefix', { claims_required: [{ type: 'sub', value: 'EE' }] }, 'claims_required[0]: sub must start with a two-letter country code, e.g. EE30303039914 (got "EE")'],
		['a birthdate not YYYY-MM-DD', { claims_required: [SUB_CLAIM, { type: 'birthdate', value: '08.01.1980' }] }, 'claims_required[1]: birthdate must be a date as YYYY-MM-DD (got "08.01.1980")'],
		['an impossible birthdate', { claims_required: [{ type: 'birthdate', value: '1980-02-30' }] }, 'claims_required[0]: birthdate must be a date as YYYY-MM-DD (got "1980-02-30")'],
		['a country that is not ISO alpha-2', { claims_required: [{ type: 'country', value: 'EST' }] }, 'claims_required[0]: country must be an ISO 3166-1 alpha-2 code (got "EST")'],
		['an empty name', { claims_required: [{ type: 'name', value: ' ' }] }, 'claims_required[0]: name must not be empty'],
		['a non-string reference', { claims_required: [SUB_CLAIM], reference: 42 }, 'reference must be a string'],
		['an unknown reason language', { claims_required: [SUB_CLAIM], reason_translations: { de: 'x' } }, 'reason_translations must map en, et, ru to strings'],
	])('answers 422 {error} for %s', async (_case, body, error) => {
		expect(await api(EEID_REQUESTS_PATH, await token(), { method: 'POST', body })).toEqual({
			status: 422,
			headers: expect.anything(),
			body: { error },
		});
	});

	it('accepts every claim type', async () => {
		const claims = [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }, { type: 'birthdate', value: '1980-01-08' }, { type: 'country', value: 'EE' }];
		expect((await create(await token(), { claims_required: claims })).claims_required).toEqual(claims);
	});
});

describe('getting one identification request', () => {
	it('answers 200 for its own client and 404 for another client', async () => {
		const created = await create(await token());
		const own = await api(`${EEID_REQUESTS_PATH}/${created.id}`, await token());
		expect(own).toMatchObject({ status: 200, body: created });
		const other = await api(`${EEID_REQUESTS_PATH}/${created.id}`, await token(EEID_SECOND_CLIENT));
		expect(other).toMatchObject({ status: 404, body: { error: 'Not found' } });
	});

	it.each(['497f6eca-6276-4993-bfeb-53cbbbba6f08', 'not-a-uuid', '%E0%A4%A'])('answers 404 {error} for %s', async (id) => {
		expect(await api(`${EEID_REQUESTS_PATH}/${id}`, await token())).toMatchObject({
			status: 404,
			body: { error: 'Not found' },
		});
	});

	it('shows a pending request as expired once its link ran out (7 days)', async () => {
		const created = await create(await token());
		eeid.clock.advance(7 * 24 * 3600 * 1000);
		expect((await api(`${EEID_REQUESTS_PATH}/${created.id}`, await token())).body.status).toBe('expired');
	});

	it('answers 500 {error} when a fault is injected', async () => {
		const accessToken = await token();
		eeid.queueFault({ kind: 'status', status: 500, path: `${EEID_REQUESTS_PATH}/:id` });
		expect(await api(`${EEID_REQUESTS_PATH}/497f6eca-6276-4993-bfeb-53cbbbba6f08`, accessToken)).toMatchObject({
			status: 500,
			body: { error: 'Internal server error' },
		});
	});
});

describe('listing identification requests', () => {
	async function seed(count: number, clientId = EEID_TEST_CLIENT.clientId): Promise<string[]> {
		const ids: string[] = [];
		for (let index = 0; index < count; index++) {
			ids.push(eeid.createRequestDirect({ reference: `r${index}`, claims_required: [SUB_CLAIM] }, clientId).id);
			eeid.clock.advance(1000);
		}
		return ids.reverse();
	}

	async function page(accessToken: string, query: string) {
		return api(`${EEID_REQUESTS_PATH}${query}`, accessToken);
	}

	it('pages newest first from page 1 by default, and only the caller\'s requests', async () => {
		const newestFirst = await seed(23);
		await seed(2, EEID_SECOND_CLIENT.clientId);
		const accessToken = await token();
		const first = await page(accessToken, '');
		expect(first.body).toMatchObject({ page: 1, page_size: 10, total: 23 });
		const ids = [];
		for (let number = 1; number <= 4; number++) {
			const answer = await page(accessToken, `?page=${number}&page_size=10`);
			expect(answer.body).toMatchObject({ page: number, page_size: 10, total: 23 });
			ids.push(...answer.body.items.map((item: EeidIdentificationRequest) => item.id));
		}
		expect(ids).toEqual(newestFirst);
		expect(first.body.items.map((item: EeidIdentificationRequest) => item.id)).toEqual(newestFirst.slice(0, 10));
	});

	it('can be 0-based', async () => {
		eeid.pageBase = 0;
		const newestFirst = await seed(5);
		const accessToken = await token();
		expect((await page(accessToken, '')).body).toMatchObject({ page: 0, total: 5 });
		const first = await page(accessToken, '?page=0&page_size=3');
		const second = await page(accessToken, '?page=1&page_size=3');
		const third = await page(accessToken, '?page=2&page_size=3');
		expect([...first.body.items, ...second.body.items].map((item: EeidIdentificationRequest) => item.id)).toEqual(newestFirst);
		expect(third.body).toEqual({ page: 2, page_size: 3, total: 5, items: [] });
		expect((await page(accessToken, '?page=-1')).status).toBe(422);
	});

	it('keeps creation order among requests created at the same instant', async () => {
		const ids = [eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id, eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id];
		const answer = await page(await token(), '');
		expect(answer.body.items.map((item: EeidIdentificationRequest) => item.id)).toEqual(ids.reverse());
	});

	it('caps page_size at 100 and rejects bad numbers with 422', async () => {
		await seed(101);
		const accessToken = await token();
		const big = await page(accessToken, '?page_size=500');
		expect(big.body).toMatchObject({ page: 1, page_size: 100, total: 101 });
		expect(big.body.items).toHaveLength(100);
		for (const query of ['?page=0', '?page=x', '?page_size=0', '?page_size=2.5']) {
			expect((await page(accessToken, query)).status).toBe(422);
		}
		expect((await page(accessToken, '?page=0')).body).toEqual({ error: 'page must be an integer >= 1' });
	});
});

describe('proof of identity', () => {
	it('serves a valid PDF naming the person once completed', async () => {
		const accessToken = await token();
		const created = await create(accessToken, { claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }] });
		await eeid.completeRequest(created.id);
		const answer = await fetch(`${base}${EEID_REQUESTS_PATH}/${created.id}/proof_of_identity`, {
			headers: { authorization: `Bearer ${accessToken}` },
		});
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/pdf');
		expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="proof_of_identity_${created.id}.pdf"`);
		const bytes = Buffer.from(await answer.arrayBuffer());
		expect(bytes).toEqual(eeid.proofPdf(created.id));
		expect(Number(answer.headers.get('content-length'))).toBe(bytes.length);
		expectValidPdf(bytes);
		expect(bytes.toString('latin1')).toContain('(Name: Jaan Tamm)');
		expect(eeid.proofPdf(created.id)).toEqual(bytes);
	});

	it('can be padded to any size for memory benchmarks', async () => {
		const small = new EeidSimulator({ clock: new SandboxClock({ startMs: START }) });
		const large = new EeidSimulator({ clock: new SandboxClock({ startMs: START }), proofPaddingBytes: 300_000 });
		const smallId = small.createRequestDirect({ claims_required: [SUB_CLAIM] }).id;
		await small.completeRequest(smallId);
		const largeId = large.createRequestDirect({ claims_required: [SUB_CLAIM] }).id;
		await large.completeRequest(largeId);
		const padded = large.proofPdf(largeId);
		// The filler itself, plus a few more digits in the /Length and the xref offsets.
		expect(padded.length - small.proofPdf(smallId).length).toBeGreaterThanOrEqual(300_000);
		expect(padded.length - small.proofPdf(smallId).length).toBeLessThan(300_020);
		expectValidPdf(padded);
	});

	it('answers 404 {error} while the request is not completed', async () => {
		const accessToken = await token();
		const pending = await create(accessToken);
		const expired = await create(accessToken);
		eeid.expireRequest(expired.id);
		expect(await api(`${EEID_REQUESTS_PATH}/${pending.id}/proof_of_identity`, accessToken)).toMatchObject({
			status: 404,
			body: { error: 'Proof of identity is not available: request is pending' },
		});
		expect((await api(`${EEID_REQUESTS_PATH}/${expired.id}/proof_of_identity`, accessToken)).body).toEqual({
			error: 'Proof of identity is not available: request is expired',
		});
		expect(() => eeid.proofPdf(pending.id)).toThrow('Proof of identity is not available: request is pending');
	});

	it('can be cut short by a truncate fault', async () => {
		const accessToken = await token();
		const created = await create(accessToken);
		await eeid.completeRequest(created.id);
		eeid.queueFault({ kind: 'truncate', path: `${EEID_REQUESTS_PATH}/:id/proof_of_identity` });
		const answer = await fetch(`${base}${EEID_REQUESTS_PATH}/${created.id}/proof_of_identity`, {
			headers: { authorization: `Bearer ${accessToken}` },
		});
		await expect(answer.arrayBuffer()).rejects.toThrow();
	});
});

/** Checks what a PDF reader relies on: header, every xref offset landing on its object, startxref, EOF. */
function expectValidPdf(bytes: Buffer): void {
	const text = bytes.toString('latin1');
	expect(text.startsWith('%PDF-1.4\n')).toBe(true);
	expect(text.endsWith('%%EOF\n')).toBe(true);
	const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
	expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
	const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n \n/gm)].map((match) => Number(match[1]));
	expect(entries.length).toBeGreaterThanOrEqual(5);
	entries.forEach((offset, index) => expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`));
	for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
		const dataStart = (match.index ?? 0) + match[0].length;
		expect(text.slice(dataStart + Number(match[1]), dataStart + Number(match[1]) + 10)).toBe('\nendstream');
	}
}

describe('completion and webhooks', () => {
	let receiver: SandboxServer;
	let webhookUrl: string;

	beforeEach(async () => {
		receiver = new SandboxServer({ name: 'n8n webhook' }).route('POST', WEBHOOK_PATH, () => jsonResponse(200, { ok: true }));
		webhookUrl = `${await receiver.start()}${WEBHOOK_PATH}`;
	});

	afterEach(() => receiver.stop());

	function received() {
		return receiver.requests({ path: WEBHOOK_PATH }).map((entry) => ({
			body: entry.body.toString('utf8'),
			signature: entry.headers['x-hmac-signature'] as string | undefined,
			contentType: entry.headers['content-type'],
		}));
	}

	it('completes with an identity derived from claims_required', async () => {
		const created = await create(await token(), {
			claims_required: [SUB_CLAIM, { type: 'name', value: 'Mari-Liis Männik' }],
		});
		eeid.clock.advance(60_000);
		const { request, webhooks } = await eeid.completeRequest(created.id);
		expect(webhooks).toEqual([]);
		expect(request).toMatchObject({ status: 'completed', completed_at: '2025-03-01T09:31:00Z' });
		expect(request.result).toEqual({
			sub: 'EE38001085718',
			given_name: 'Mari-Liis',
			family_name: 'Männik',
			name: 'Mari-Liis Männik',
			birthdate: '1980-01-08',
			country: 'EE',
			acr: 'high',
			auth_time: (START + 60_000) / 1000,
		});
	});

	it('falls back to the test identity and takes a given result as is', async () => {
		const byCountry = eeid.createRequestDirect({ claims_required: [{ type: 'country', value: 'LV' }] });
		expect((await eeid.completeRequest(byCountry.id)).request.result).toMatchObject({
			sub: 'LV30303039914',
			given_name: 'OK',
			family_name: 'TESTNUMBER',
			birthdate: '1903-03-03',
			country: 'LV',
		});
		const older = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const result = { sub: 'EE30303039914', given_name: 'OK', last_name: 'TESTNUMBER' };
		expect((await eeid.completeRequest(older.id, result)).request.result).toEqual(result);
	});

	it('refuses to complete or expire a request twice', async () => {
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		await eeid.completeRequest(created.id);
		await expect(eeid.completeRequest(created.id)).rejects.toThrow('is completed, not pending');
		expect(() => eeid.expireRequest(created.id)).toThrow('is completed, not pending');
		await expect(eeid.completeRequest('497f6eca-6276-4993-bfeb-53cbbbba6f08')).rejects.toThrow('no identification request');
	});

	it('delivers a signed webhook on completion when the client has a webhook URL', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
		const created = await create(await token(), { reference: 'order-7', claims_required: [SUB_CLAIM] });
		const { webhooks } = await eeid.completeRequest(created.id);
		const expectedBody = JSON.stringify({
			identification_request_id: created.id,
			client_id: EEID_TEST_CLIENT.clientId,
			reference: 'order-7',
		});
		expect(received()).toEqual([
			{ body: expectedBody, signature: hmac(EEID_TEST_CLIENT.clientSecret, expectedBody), contentType: 'application/json' },
		]);
		expect(webhooks).toEqual([
			{
				url: webhookUrl,
				sentBody: expectedBody,
				signature: hmac(EEID_TEST_CLIENT.clientSecret, expectedBody),
				status: 200,
				responseBody: '{"ok":true}',
				acknowledged: true,
			},
		]);
	});

	it('retries a failed delivery up to 3 times; only 200, 201 and 204 acknowledge', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
		receiver.queueFault({ kind: 'status', status: 500, times: 2 });
		const first = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect((await eeid.completeRequest(first.id)).webhooks.map((delivery) => delivery.status)).toEqual([500, 500, 200]);
		receiver.queueFault({ kind: 'status', status: 202, times: 10 });
		const second = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect((await eeid.completeRequest(second.id)).webhooks.map((delivery) => delivery.status)).toEqual([202, 202, 202, 202]);
		expect(received()).toHaveLength(7);
	});

	it('reports an unreachable receiver instead of failing the completion', async () => {
		await receiver.stop();
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const { request, webhooks } = await eeid.completeRequest(created.id);
		expect(request.status).toBe('completed');
		expect(webhooks).toHaveLength(4);
		expect(webhooks[0]).toMatchObject({ status: null, acknowledged: false, error: expect.stringContaining('ECONNREFUSED') });
	});

	it('only accepts webhook URLs with the path the eeID manager requires', () => {
		expect(() => eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, 'http://127.0.0.1:1/webhook/x')).toThrow(
			'only accepts webhook URLs containing the path eeid/webhooks/identification_requests',
		);
		expect(() => eeid.setWebhookUrl('nobody', webhookUrl)).toThrow('no eeID client nobody');
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, null);
		expect(eeid.clientList()[0]).toEqual({ ...EEID_TEST_CLIENT });
	});

	describe('on demand', () => {
		let id: string;
		let compact: string;

		beforeEach(async () => {
			id = eeid.createRequestDirect({ reference: 'ref-1', claims_required: [SUB_CLAIM] }).id;
			await eeid.completeRequest(id);
			compact = JSON.stringify({ identification_request_id: id, client_id: EEID_TEST_CLIENT.clientId, reference: 'ref-1' });
		});

		it('needs a URL when the client has none configured', async () => {
			await expect(eeid.deliverWebhook(id)).rejects.toThrow('has no webhook URL');
		});

		it('delivers duplicates', async () => {
			const deliveries = await eeid.deliverWebhook(id, { url: webhookUrl, times: 3 });
			expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
			expect(received()).toEqual(Array(3).fill({ body: compact, signature: hmac(EEID_TEST_CLIENT.clientSecret, compact), contentType: 'application/json' }));
		});

		it('reformats the body after signing the compact form', async () => {
			await eeid.deliverWebhook(id, { url: webhookUrl, reformat: true });
			const [{ body, signature }] = received();
			expect(body).not.toBe(compact);
			expect(JSON.parse(body)).toEqual(JSON.parse(compact));
			expect(signature).not.toBe(hmac(EEID_TEST_CLIENT.clientSecret, body));
			expect(signature).toBe(hmac(EEID_TEST_CLIENT.clientSecret, body.replace(/\s+/g, '')));
		});

		it('tampers with the body after signing', async () => {
			await eeid.deliverWebhook(id, { url: webhookUrl, tamper: true });
			const [{ body, signature }] = received();
			expect(JSON.parse(body).reference).toBe('ref-1-tampered');
			expect(signature).toBe(hmac(EEID_TEST_CLIENT.clientSecret, compact));
			expect(signature).not.toBe(hmac(EEID_TEST_CLIENT.clientSecret, body));
		});

		it('signs with another secret, names another client, omits or upper-cases the signature', async () => {
			await eeid.deliverWebhook(id, { url: webhookUrl, signWith: 'other-secret' });
			await eeid.deliverWebhook(id, { url: webhookUrl, clientId: EEID_SECOND_CLIENT.clientId });
			await eeid.deliverWebhook(id, { url: webhookUrl, omitSignature: true });
			await eeid.deliverWebhook(id, { url: webhookUrl, signatureCase: 'upper' });
			const [otherSecret, otherClient, unsigned, upper] = received();
			expect(otherSecret.signature).toBe(hmac('other-secret', compact));
			expect(JSON.parse(otherClient.body).client_id).toBe(EEID_SECOND_CLIENT.clientId);
			expect(otherClient.signature).toBe(hmac(EEID_TEST_CLIENT.clientSecret, otherClient.body));
			expect(unsigned.signature).toBeUndefined();
			expect(upper.signature).toBe(hmac(EEID_TEST_CLIENT.clientSecret, compact).toUpperCase());
		});

		it('sends reference null when the request has none', async () => {
			const bare = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id;
			await eeid.deliverWebhook(bare, { url: webhookUrl });
			expect(JSON.parse(received()[0].body)).toEqual({ identification_request_id: bare, client_id: EEID_TEST_CLIENT.clientId, reference: null });
		});
	});

	describe('the link page', () => {
		it('shows a form prefilled from claims_required in the requested language', async () => {
			const created = await create(await token(), {
				claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }],
				reason: 'Account',
				reason_translations: { et: 'Konto <avamine>' },
			});
			const answer = await fetch(`${created.link}?ui_locales=et%20en`);
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
			const html = await answer.text();
			expect(html).toContain('<html lang="et">');
			expect(html).toContain('<title>eeID sandbox — identify</title>');
			expect(html).toContain('Language: et');
			expect(html).toContain('Reason: Konto &#60;avamine&#62;');
			expect(html).toContain('name="given_name" value="Jaan"');
			expect(html).toContain('name="family_name" value="Tamm"');
			expect(html).toContain('name="sub" value="EE38001085718"');
			expect(html).toContain('name="birthdate" value="1980-01-08"');
			expect(html).toContain('<form method="post">');
		});

		it('completes the request with the submitted identity and delivers the webhook', async () => {
			eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
			const created = await create(await token(), { reference: 'web', claims_required: [SUB_CLAIM] });
			const form = new URLSearchParams({ given_name: 'Kati', family_name: 'Karu', sub: 'EE48001085718', birthdate: '1980-01-08' });
			const answer = await fetch(`${created.link}?ui_locales=ru`, { method: 'POST', body: form });
			expect(answer.status).toBe(200);
			const html = await answer.text();
			expect(html).toContain('<html lang="ru">');
			expect(html).toContain('is completed');
			expect(html).toContain(`Webhook: ${webhookUrl} answered 200 after 1 attempt(s)`);
			expect(eeid.identificationRequest(created.id)).toMatchObject({
				status: 'completed',
				result: { sub: 'EE48001085718', given_name: 'Kati', family_name: 'Karu', birthdate: '1980-01-08', country: 'EE' },
			});
			expect(received()).toHaveLength(1);
			expect((await fetch(created.link)).status).toBe(409);
		});

		it('answers 404 for an unknown request and 410 once the link expired', async () => {
			expect((await fetch(`${base}/ident/497f6eca-6276-4993-bfeb-53cbbbba6f08`)).status).toBe(404);
			const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
			eeid.clock.advance(8 * 24 * 3600 * 1000);
			const answer = await fetch(created.link, { method: 'POST', body: new URLSearchParams({}) });
			expect(answer.status).toBe(410);
			expect(await answer.text()).toContain('This link has expired.');
		});
	});
});

describe('control endpoints', () => {
	async function control(method: string, path: string, body?: unknown) {
		const answer = await fetch(`${base}/__sandbox/eeid${path}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		// Answers are checked field by field with jest matchers, so their static type does not matter here.
		return { status: answer.status, body: (await answer.json()) as any };
	}

	it('seeds, lists, completes and expires requests', async () => {
		const seeded = await control('POST', '/requests', { clientId: EEID_SECOND_CLIENT.clientId, claims_required: [SUB_CLAIM] });
		expect(seeded).toMatchObject({ status: 201, body: { client_id: EEID_SECOND_CLIENT.clientId, status: 'pending' } });
		const other = await control('POST', '/requests', { claims_required: [SUB_CLAIM] });
		expect(other.body.client_id).toBe(EEID_TEST_CLIENT.clientId);
		expect((await control('GET', '/requests')).body.items.map((item: EeidIdentificationRequest) => item.id)).toEqual([other.body.id, seeded.body.id]);
		const completed = await control('POST', `/requests/${seeded.body.id}/complete`, { result: { sub: 'EE1' } });
		expect(completed).toMatchObject({ status: 200, body: { request: { status: 'completed', result: { sub: 'EE1' } }, webhooks: [] } });
		expect((await control('POST', `/requests/${other.body.id}/expire`)).body.status).toBe('expired');
		expect(await control('POST', `/requests/${other.body.id}/complete`)).toEqual({
			status: 409,
			body: { error: `request ${other.body.id} is expired, not pending` },
		});
		expect((await control('POST', '/requests', { claims_required: [] })).status).toBe(422);
		expect((await control('POST', '/requests', { clientId: 'nobody', claims_required: [SUB_CLAIM] })).status).toBe(404);
	});

	it('configures webhook URLs and delivers webhooks on demand', async () => {
		const receiver = new SandboxServer({ name: 'receiver' }).route('POST', WEBHOOK_PATH, () => jsonResponse(204, {}));
		const url = `${await receiver.start()}${WEBHOOK_PATH}`;
		try {
			const configured = await control('PUT', `/clients/${EEID_TEST_CLIENT.clientId}/webhook`, { url });
			expect(configured.body).toEqual({ ...EEID_TEST_CLIENT, webhookUrl: url });
			expect((await control('GET', '/clients')).body.clients).toEqual([{ ...EEID_TEST_CLIENT, webhookUrl: url }, { ...EEID_SECOND_CLIENT }]);
			const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
			expect((await control('POST', `/requests/${id}/complete`)).body.webhooks).toHaveLength(1);
			const again = await control('POST', `/requests/${id}/webhook`, { times: 2, reformat: true });
			expect(again.body.webhooks.map((delivery: { status: number }) => delivery.status)).toEqual([204, 204]);
			expect(receiver.countRequests()).toBe(3);
			expect((await control('PUT', `/clients/${EEID_TEST_CLIENT.clientId}/webhook`, { url: 'http://x/y' })).status).toBe(422);
			expect((await control('PUT', `/clients/${EEID_TEST_CLIENT.clientId}/webhook`, { url: 5 })).status).toBe(400);
			expect((await control('PUT', `/clients/${EEID_TEST_CLIENT.clientId}/webhook`, { url: null })).body).toEqual({ ...EEID_TEST_CLIENT });
		} finally {
			await receiver.stop();
		}
	});

	it('changes the page base and the proof padding', async () => {
		expect((await control('PUT', '/settings', { pageBase: 0, proofPaddingBytes: 1024 })).body).toEqual({ pageBase: 0, proofPaddingBytes: 1024 });
		expect(eeid.pageBase).toBe(0);
		expect((await control('PUT', '/settings', { pageBase: 2 })).status).toBe(400);
		expect((await control('PUT', '/settings', { proofPaddingBytes: -1 })).status).toBe(400);
	});

	it('resets data, tokens and webhook settings through the common reset', async () => {
		const accessToken = await token();
		eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, `http://127.0.0.1:1/${'eeid/webhooks/identification_requests'}`);
		expect((await fetch(`${base}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(eeid.identificationRequests()).toEqual([]);
		expect(eeid.clientList()).toEqual([{ ...EEID_TEST_CLIENT }, { ...EEID_SECOND_CLIENT }]);
		expect((await api(EEID_REQUESTS_PATH, accessToken)).status).toBe(401);
		expect(eeid.tokenRequestCount()).toBe(0);
	});

	it('counts token requests through the common request log endpoint', async () => {
		await token();
		await token();
		const answer = await fetch(`${base}/__sandbox/requests?method=POST&path=${EEID_TOKEN_PATH}`);
		expect(((await answer.json()) as { count: number }).count).toBe(2);
	});
});

describe('clients', () => {
	it('takes its clients and their webhook URLs from the options', async () => {
		const custom = new EeidSimulator({
			clients: [{ clientId: 'svc', clientSecret: 's3cret', webhookUrl: 'http://h/eeid/webhooks/identification_requests' }],
		});
		expect(custom.clientList()).toEqual([{ clientId: 'svc', clientSecret: 's3cret', webhookUrl: 'http://h/eeid/webhooks/identification_requests' }]);
		expect(custom.createRequestDirect({ claims_required: [SUB_CLAIM] }).client_id).toBe('svc');
		expect(() => new EeidSimulator({ clients: [{ clientId: 'a', clientSecret: 'b', webhookUrl: 'http://h/x' }] })).toThrow('only accepts webhook URLs');
	});

	it('gives a relative link to requests seeded before the server starts', () => {
		const idle = new EeidSimulator();
		const seeded = idle.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect(seeded.link).toBe(`/ident/${seeded.id}`);
	});
});
