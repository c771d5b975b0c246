import { EEID_SECOND_CLIENT, EEID_TEST_CLIENT, RETRY_DELAYS_MS, type EeIdSimulator } from './index';
import { apiClient, hmac, START, SUB_CLAIM, useReceiver, useSimulator } from './testing';

const sandbox = useSimulator();
const { token, create, control } = apiClient(sandbox);
const hook = useReceiver();
let eeid: EeIdSimulator;
let webhookUrl: string;

beforeEach(() => {
	eeid = sandbox.eeid;
	webhookUrl = hook.webhookUrl;
});

const received = () => hook.received();
const statuses = (deliveries: Array<{ status: number | null }>) => deliveries.map((delivery) => delivery.status);

describe('completion webhook', () => {
	it('is delivered, signed, on completion when the client has a webhook URL', async () => {
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
		expect(eeid.pendingWebhooks()).toEqual([]);
		expect(eeid.webhookAttempts()).toEqual([{ ...webhooks[0], requestId: created.id, attempt: 1, at: '2025-03-01T09:30:00Z' }]);
	});

	it('fires for a mismatched completion too', async () => {
		eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl);
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const { request, webhooks } = await eeid.completeRequestAs(created.id, 'other');
		expect(request.claims_matched).toBe(false);
		expect(statuses(webhooks)).toEqual([200]);
		expect(received()).toHaveLength(1);
	});

	it('is not sent when the client has no webhook URL', async () => {
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect((await eeid.completeRequest(created.id)).webhooks).toEqual([]);
		expect(eeid.webhookAttempts()).toEqual([]);
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
});

describe('retries on the sandbox clock', () => {
	beforeEach(() => eeid.setWebhookUrl(EEID_TEST_CLIENT.clientId, webhookUrl));

	it('retries a failed delivery 10 s, 40 s and 100 s after completion, only when the clock gets there', async () => {
		expect(RETRY_DELAYS_MS).toEqual([10_000, 30_000, 60_000]);
		hook.receiver.queueFault({ kind: 'status', status: 500, times: 2 });
		const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		expect(statuses((await eeid.completeRequest(id)).webhooks)).toEqual([500]);
		expect(eeid.pendingWebhooks()).toEqual([
			{ requestId: id, url: webhookUrl, attempt: 2, dueAt: START + 10_000, dueAtIso: '2025-03-01T09:30:10Z' },
		]);
		// Nothing goes out before the clock says so, however long the test waits.
		await eeid.settleWebhooks();
		expect(received()).toHaveLength(1);
		expect(await eeid.advanceClock(9_999)).toEqual([]);
		expect(received()).toHaveLength(1);

		const retry1 = await eeid.advanceClock(1);
		expect(retry1).toMatchObject([{ requestId: id, attempt: 2, status: 500, at: '2025-03-01T09:30:10Z' }]);
		expect(eeid.pendingWebhooks()).toMatchObject([{ attempt: 3, dueAt: START + 40_000 }]);

		expect(await eeid.advanceClock(29_999)).toEqual([]);
		expect(await eeid.advanceClock(1)).toMatchObject([{ attempt: 3, status: 200, acknowledged: true }]);
		expect(eeid.pendingWebhooks()).toEqual([]);
		expect(statuses(eeid.webhookAttempts())).toEqual([500, 500, 200]);
		expect(new Set(received().map((delivery) => delivery.body)).size).toBe(1);
	});

	it('sends every retry that is due at once after a long jump, and gives up after 3; only 200, 201, 204 acknowledge', async () => {
		hook.receiver.queueFault({ kind: 'status', status: 202, times: 10 });
		const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		await eeid.completeRequest(id);
		expect((await eeid.advanceClock(3_600_000)).map((attempt) => [attempt.attempt, attempt.status])).toEqual([
			[2, 202],
			[3, 202],
			[4, 202],
		]);
		expect(eeid.pendingWebhooks()).toEqual([]);
		expect(await eeid.advanceClock(3_600_000)).toEqual([]);
		expect(received()).toHaveLength(4);
	});

	it('sends due retries when the clock moves by any means: clock.advance, clock.set, the HTTP clock control', async () => {
		hook.receiver.queueFault({ kind: 'status', status: 503, times: 2 });
		const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		await eeid.completeRequest(id);
		eeid.clock.advance(10_000);
		await eeid.settleWebhooks();
		expect(received()).toHaveLength(2);
		eeid.clock.set(START + 40_000);
		await eeid.settleWebhooks();
		expect(received()).toHaveLength(3);

		const other = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id;
		hook.receiver.queueFault({ kind: 'status', status: 500 });
		await eeid.completeRequest(other);
		const advanced = await fetch(`${sandbox.base}/__sandbox/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 10_000 }) });
		expect(advanced.status).toBe(200);
		// Reading the deliveries waits for those in flight.
		const listed = await control('GET', '/webhooks');
		expect(listed.body.pending).toEqual([]);
		expect(listed.body.attempts.map((attempt: { requestId: string; attempt: number; status: number }) => [attempt.requestId, attempt.attempt, attempt.status])).toEqual([
			[id, 1, 503],
			[id, 2, 503],
			[id, 3, 200],
			[other, 1, 500],
			[other, 2, 200],
		]);
	});

	it('counts a receiver slower than the timeout as failed, and retries it', async () => {
		eeid.configure({ webhookTimeoutMs: 200 });
		hook.receiver.queueFault({ kind: 'hang' });
		const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const [first] = (await eeid.completeRequest(id)).webhooks;
		expect(first).toMatchObject({ status: null, acknowledged: false, error: expect.stringContaining('did not answer within 200 ms') });
		expect(await eeid.advanceClock(10_000)).toMatchObject([{ attempt: 2, status: 200 }]);
	});

	it('reports an unreachable receiver instead of failing the completion', async () => {
		await hook.receiver.stop();
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const { request, webhooks } = await eeid.completeRequest(created.id);
		expect(request.status).toBe('completed');
		expect(webhooks).toEqual([expect.objectContaining({ status: null, acknowledged: false, error: expect.stringContaining('ECONNREFUSED') })]);
		// flush: every retry at once, whatever the clock says.
		expect(statuses(await eeid.flushWebhooks())).toEqual([null, null, null]);
		expect(eeid.pendingWebhooks()).toEqual([]);
	});

	it('sends due retries and flushes through the controls, and forgets pending retries on reset', async () => {
		hook.receiver.queueFault({ kind: 'status', status: 500, times: 2 });
		const { id } = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		await eeid.completeRequest(id);
		expect(await control('POST', '/webhooks/send-due')).toEqual({ status: 200, body: { attempts: [], pending: [expect.objectContaining({ attempt: 2 })] } });
		const flushed = await control('POST', '/webhooks/flush');
		expect(flushed.body.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 200]);
		hook.receiver.queueFault({ kind: 'status', status: 500 });
		const again = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] }).id;
		await eeid.completeRequest(again);
		expect(eeid.pendingWebhooks()).toHaveLength(1);
		eeid.reset();
		expect(eeid.pendingWebhooks()).toEqual([]);
		expect(eeid.webhookAttempts()).toEqual([]);
	});
});

describe('webhooks on demand', () => {
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

	it('delivers immediately, and duplicates, without retrying or logging', async () => {
		hook.receiver.queueFault({ kind: 'status', status: 500 });
		const deliveries = await eeid.deliverWebhook(id, { url: webhookUrl, times: 3 });
		expect(statuses(deliveries)).toEqual([500, 200, 200]);
		expect(received()).toEqual(Array(3).fill({ body: compact, signature: hmac(EEID_TEST_CLIENT.clientSecret, compact), contentType: 'application/json' }));
		expect(eeid.pendingWebhooks()).toEqual([]);
		expect(eeid.webhookAttempts()).toEqual([]);
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
