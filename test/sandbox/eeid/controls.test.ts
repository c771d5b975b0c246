import { jsonResponse, SandboxServer } from '../framework';
import {
	EEID_REQUESTS_PATH,
	EEID_SECOND_CLIENT,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	EeIdSimulator,
	type EeIdIdentificationRequest,
} from './index';
import { apiClient, SUB_CLAIM, useSimulator, WEBHOOK_PATH } from './testing';

const sandbox = useSimulator();
const { token, api, control } = apiClient(sandbox);
let eeid: EeIdSimulator;
let base: string;

beforeEach(() => {
	({ eeid, base } = sandbox);
});

describe('control endpoints', () => {
	it('seeds, lists, completes and expires requests', async () => {
		const seeded = await control('POST', '/requests', { clientId: EEID_SECOND_CLIENT.clientId, claims_required: [SUB_CLAIM] });
		expect(seeded).toMatchObject({ status: 201, body: { client_id: EEID_SECOND_CLIENT.clientId, status: 'pending' } });
		const other = await control('POST', '/requests', { claims_required: [SUB_CLAIM] });
		expect(other.body.client_id).toBe(EEID_TEST_CLIENT.clientId);
		expect((await control('GET', '/requests')).body.items.map((item: EeIdIdentificationRequest) => item.id)).toEqual([other.body.id, seeded.body.id]);
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
		expect((await control('PUT', '/settings', { pageBase: 0, proofPaddingBytes: 1024 })).body).toMatchObject({ pageBase: 0, proofPaddingBytes: 1024 });
		expect(eeid.pageBase).toBe(0);
		expect(eeid.proofPaddingBytes).toBe(1024);
		expect((await control('PUT', '/settings', { pageBase: 2 })).status).toBe(400);
		expect((await control('PUT', '/settings', { proofPaddingBytes: -1 })).status).toBe(400);
	});

	it('switches reference uniqueness and the webhook timeout; a reset keeps the settings', async () => {
		expect((await control('PUT', '/settings', { uniqueReferences: true, webhookTimeoutMs: 500 })).body).toMatchObject({ uniqueReferences: true, webhookTimeoutMs: 500 });
		await control('POST', '/requests', { reference: 'dup', claims_required: [SUB_CLAIM] });
		expect(await control('POST', '/requests', { reference: 'dup', claims_required: [SUB_CLAIM] })).toMatchObject({ status: 422, body: { error: expect.stringContaining('reference "dup" is already used') } });
		expect((await control('PUT', '/settings', { webhookTimeoutMs: 0 })).status).toBe(400);
		eeid.reset();
		expect(eeid.settings).toMatchObject({ uniqueReferences: true, webhookTimeoutMs: 500 });
		expect(() => (eeid.pageBase = 3 as never)).toThrow('pageBase must be 0 or 1');
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
		const custom = new EeIdSimulator({
			clients: [{ clientId: 'svc', clientSecret: 's3cret', webhookUrl: 'http://h/eeid/webhooks/identification_requests' }],
		});
		expect(custom.clientList()).toEqual([{ clientId: 'svc', clientSecret: 's3cret', webhookUrl: 'http://h/eeid/webhooks/identification_requests' }]);
		expect(custom.createRequestDirect({ claims_required: [SUB_CLAIM] }).client_id).toBe('svc');
		expect(() => new EeIdSimulator({ clients: [{ clientId: 'a', clientSecret: 'b', webhookUrl: 'http://h/x' }] })).toThrow('only accepts webhook URLs');
	});

	it('gives a relative link to requests seeded before the server starts', () => {
		const idle = new EeIdSimulator();
		const seeded = idle.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect(seeded.link).toBe(`/ident/${seeded.id}`);
	});
});
