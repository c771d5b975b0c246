import {
	EEID_REQUESTS_PATH,
	EEID_SECOND_CLIENT,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	EeIdSimulator,
	SUB_REQUIRED_MESSAGE,
	type EeIdIdentificationRequest,
} from './index';
import { SandboxClock } from '../framework';
import { apiClient, basic, expectValidPdf, START, SUB_CLAIM, useSimulator } from './testing';

const sandbox = useSimulator();
const { token, api, create } = apiClient(sandbox);
let eeid: EeIdSimulator;
let base: string;

beforeEach(() => {
	({ eeid, base } = sandbox);
});

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
			claims_matched: null,
			mismatched_claims: {},
			claims_comparison_errors: [],
		});
		expect(eeid.identificationRequest(created.id)).toEqual(created);
	});

	it('takes reason and reason_translations as optional', async () => {
		const created = await create(await token(), { claims_required: [SUB_CLAIM] });
		expect(created).toMatchObject({ reference: null, reason: null });
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
		['no sub claim', { claims_required: [{ type: 'country', value: 'EE' }] }, SUB_REQUIRED_MESSAGE],
		['only a blank sub claim', { claims_required: [{ type: 'sub', value: ' ' }, { type: 'name', value: 'Jaan Tamm' }] }, SUB_REQUIRED_MESSAGE],
	])('answers 422 {error} for %s', async (_case, body, error) => {
		expect(await api(EEID_REQUESTS_PATH, await token(), { method: 'POST', body })).toEqual({
			status: 422,
			headers: expect.anything(),
			body: { error },
		});
	});

	it('words the missing-sub answer as the public spec does', () => {
		expect(SUB_REQUIRED_MESSAGE).toBe('Claims required must include at least one claim of type "sub" with a non-empty value');
	});

	it('lets seeding skip the sub rule (requests from before it), not the rest of the validation', () => {
		expect(eeid.createRequestDirect({ claims_required: [{ type: 'country', value: 'EE' }] }).status).toBe('pending');
		expect(() => eeid.createRequestDirect({ claims_required: [{ type: 'country', value: 'EST' }] })).toThrow('country must be');
	});

	it('accepts a repeated reference unless uniqueReferences is on, then answers 422 per service', async () => {
		const accessToken = await token();
		await create(accessToken, { reference: 'order-1', claims_required: [SUB_CLAIM] });
		await create(accessToken, { reference: 'order-1', claims_required: [SUB_CLAIM] });
		eeid.configure({ uniqueReferences: true });
		const first = await create(accessToken, { reference: 'order-2', claims_required: [SUB_CLAIM] });
		const again = await api(EEID_REQUESTS_PATH, accessToken, { method: 'POST', body: { reference: 'order-2', claims_required: [SUB_CLAIM] } });
		expect(again).toMatchObject({
			status: 422,
			body: { error: `reference "order-2" is already used by identification request ${first.id}; references must be unique` },
		});
		expect(() => eeid.createRequestDirect({ reference: 'order-2', claims_required: [SUB_CLAIM] })).toThrow('already used');
		// Another service has its own references; requests without one are never in conflict.
		await create(await token(EEID_SECOND_CLIENT), { reference: 'order-2', claims_required: [SUB_CLAIM] });
		await create(accessToken, { claims_required: [SUB_CLAIM] });
		await create(accessToken, { claims_required: [SUB_CLAIM] });
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
			ids.push(...answer.body.items.map((item: EeIdIdentificationRequest) => item.id));
		}
		expect(ids).toEqual(newestFirst);
		expect(first.body.items.map((item: EeIdIdentificationRequest) => item.id)).toEqual(newestFirst.slice(0, 10));
	});

	it.each([0, 1] as const)('answers the first page (%i-based) when page is absent, and echoes the page', async (pageBase) => {
		eeid.pageBase = pageBase;
		const newestFirst = await seed(12);
		const accessToken = await token();
		const absent = await page(accessToken, '?page_size=5');
		expect(absent.body).toMatchObject({ page: pageBase, page_size: 5, total: 12 });
		expect(absent.body.items.map((item: EeIdIdentificationRequest) => item.id)).toEqual(newestFirst.slice(0, 5));
		expect((await page(accessToken, '?page=&page_size=5')).body.page).toBe(pageBase);
		const next = await page(accessToken, `?page=${pageBase + 1}&page_size=5`);
		expect(next.body).toMatchObject({ page: pageBase + 1, page_size: 5 });
		expect(next.body.items.map((item: EeIdIdentificationRequest) => item.id)).toEqual(newestFirst.slice(5, 10));
	});

	it('can be 0-based', async () => {
		eeid.pageBase = 0;
		const newestFirst = await seed(5);
		const accessToken = await token();
		expect((await page(accessToken, '')).body).toMatchObject({ page: 0, total: 5 });
		const first = await page(accessToken, '?page=0&page_size=3');
		const second = await page(accessToken, '?page=1&page_size=3');
		const third = await page(accessToken, '?page=2&page_size=3');
		expect([...first.body.items, ...second.body.items].map((item: EeIdIdentificationRequest) => item.id)).toEqual(newestFirst);
		expect(third.body).toEqual({ page: 2, page_size: 3, total: 5, items: [] });
		expect((await page(accessToken, '?page=-1')).status).toBe(422);
	});

	it('keeps creation order among requests created at the same instant', async () => {
		const ids = [eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id, eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id];
		const answer = await page(await token(), '');
		expect(answer.body.items.map((item: EeIdIdentificationRequest) => item.id)).toEqual(ids.reverse());
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
		const small = new EeIdSimulator({ clock: new SandboxClock({ startMs: START }) });
		const large = new EeIdSimulator({ clock: new SandboxClock({ startMs: START }), proofPaddingBytes: 300_000 });
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
