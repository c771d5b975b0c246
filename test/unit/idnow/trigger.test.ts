import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWebhook } from '../../harness';
import { credentialStore, trigger, useIdnow, WEBHOOK_TOKEN } from './fixture';

const IDNOW_ADDRESS = '212.211.189.140';
const OUTSIDE_ADDRESS = '203.0.113.5';

/** A call as IDnow makes it: GET with everything in the query. */
function call(query: Record<string, string>, extra: { ip?: string; method?: string; headers?: Record<string, string> } = {}) {
	return { method: extra.method ?? 'GET', query, body: '', ip: extra.ip ?? IDNOW_ADDRESS, headers: extra.headers ?? {} };
}

let orderCounter = 0;
/** A fresh OrderID per test: the delivery memory is per process and workflow, as in n8n. */
function newOrderId(): string {
	orderCounter += 1;
	return `9990000000${String(orderCounter).padStart(4, '0')}`;
}

describe('IDnow Trigger', () => {
	const fixture = useIdnow();

	async function deliver(query: Record<string, string>, parameters: INodeParameters = {}, extra: Parameters<typeof call>[1] = {}, staticData: IDataObject = {}) {
		return await runWebhook(trigger, {
			parameters: { events: ['OnFinal', 'OnStatusChange', 'VideoReady'], ...parameters },
			credentials: fixture.plain,
			staticData,
			request: call(query, extra),
		});
	}

	it('emits the event at once without asking IDnow anything, with the status code explained', async () => {
		const orderId = newOrderId();
		const result = await deliver({ kind: 'OnStatusChange', orderId, ref: 'case-1', statusCode: '6', token: WEBHOOK_TOKEN });
		expect(result.response.status).toBe(200);
		expect(result.ran).toBe(true);
		expect(fixture.idnow.requests()).toHaveLength(0);
		const item = result.workflowData![0][0].json;
		expect(item).toEqual({
			provider: 'idnow',
			event: 'OnStatusChange',
			deliveryId: `idnow:OnStatusChange:${orderId}:6`,
			transactionId: orderId,
			reference: 'case-1',
			status: null,
			verified: null,
			reason: null,
			receivedAt: expect.any(String),
			signatureVerified: true,
			identity: null,
			raw: { method: 'GET', query: { kind: 'OnStatusChange', orderId, ref: 'case-1', statusCode: '6' } },
			kind: 'OnStatusChange',
			OrderID: orderId,
			Ref: 'case-1',
			statusCode: 6,
			statusMeaning: 'Identification positively conducted',
			finalForIdentification: true,
			finalForESign: false,
			final: null,
		});
		expect(JSON.stringify(item)).not.toContain(WEBHOOK_TOKEN);
	});

	it('says OnFinal is final, and accepts POST and PUT when set so', async () => {
		const orderId = newOrderId();
		const result = await deliver({ kind: 'OnFinal', orderID: orderId, ref: '', token: WEBHOOK_TOKEN }, { httpMethod: 'POST' }, { method: 'POST' });
		expect(result.workflowData![0][0].json).toMatchObject({ kind: 'OnFinal', OrderID: orderId, Ref: '', statusCode: null, final: true });
		const put = await deliver({ kind: 'OnFinal', orderId: newOrderId(), token: WEBHOOK_TOKEN }, { httpMethod: 'PUT' }, { method: 'PUT' });
		expect(put.ran).toBe(true);
	});

	it.each<[string, Record<string, string>]>([
		['no token', { kind: 'OnFinal', orderId: '99900000009999' }],
		['a wrong token', { kind: 'OnFinal', orderId: '99900000009999', token: `${WEBHOOK_TOKEN}x` }],
		['the token in another parameter', { kind: 'OnFinal', orderId: '99900000009999', secret: WEBHOOK_TOKEN }],
	])('answers 401 and runs nothing for %s', async (_, query) => {
		const result = await deliver(query);
		expect(result.response.status).toBe(401);
		expect(result.ran).toBe(false);
	});

	it('refuses every call while the credential has no usable token, and says so at activation', async () => {
		const weak = credentialStore({ user: 'u', password: 'p', baseUrl: fixture.idnow.apiBaseUrl, webhookToken: 'short' });
		const result = await runWebhook(trigger, {
			parameters: {},
			credentials: weak,
			request: call({ kind: 'OnFinal', orderId: newOrderId(), token: 'short' }),
		});
		expect(result.response.status).toBe(401);
		const checkExists = trigger.webhookMethods.default.checkExists;
		const hook = { getNode: () => ({ name: 'IDnow Trigger' }), getCredentials: async () => ({ webhookToken: 'short' }) };
		await expect(checkExists.call(hook as never)).rejects.toThrow('The Webhook Token of the IDnow credential has 5 characters, fewer than 16');
	});

	it("accepts IDnow's published addresses only, by default (403 otherwise)", async () => {
		const query = { kind: 'OnFinal', orderId: newOrderId(), token: WEBHOOK_TOKEN };
		const outside = await deliver(query, {}, { ip: OUTSIDE_ADDRESS });
		expect(outside.response.status).toBe(403);
		expect(outside.ran).toBe(false);
		for (const address of ['212.211.189.143', '212.211.206.240', '212.211.181.71', '212.211.191.96']) {
			expect((await deliver({ ...query, orderId: newOrderId() }, {}, { ip: address })).ran).toBe(true);
		}
		expect((await deliver({ ...query, orderId: newOrderId() }, {}, { ip: '212.211.189.144' })).response.status).toBe(403);
	});

	it('believes X-Forwarded-For only from a trusted proxy', async () => {
		const forwarded = { 'x-forwarded-for': IDNOW_ADDRESS };
		const query = () => ({ kind: 'OnFinal', orderId: newOrderId(), token: WEBHOOK_TOKEN });
		const untrusted = await deliver(query(), {}, { ip: '10.0.0.5', headers: forwarded });
		expect(untrusted.response.status).toBe(403);
		const trusted = await deliver(query(), { options: { trustedProxies: '10.0.0.0/8' } }, { ip: '10.0.0.5', headers: forwarded });
		expect(trusted.ran).toBe(true);
		const spoofed = await deliver(query(), { options: { trustedProxies: '10.0.0.0/8' } }, { ip: '10.0.0.5', headers: { 'x-forwarded-for': `${IDNOW_ADDRESS}, ${OUTSIDE_ADDRESS}` } });
		expect(spoofed.response.status).toBe(403);
	});

	it('takes custom ranges (none: nobody), or any address when switched off', async () => {
		const query = () => ({ kind: 'OnFinal', orderId: newOrderId(), token: WEBHOOK_TOKEN });
		expect((await deliver(query(), { callerCheck: 'custom', allowedIpRanges: '203.0.113.0/24' }, { ip: OUTSIDE_ADDRESS })).ran).toBe(true);
		expect((await deliver(query(), { callerCheck: 'custom', allowedIpRanges: '198.51.100.0/24' }, { ip: OUTSIDE_ADDRESS })).response.status).toBe(403);
		expect((await deliver(query(), { callerCheck: 'off' }, { ip: OUTSIDE_ADDRESS })).ran).toBe(true);
		// Custom ranges left empty let nobody in, rather than everybody.
		expect((await deliver(query(), { callerCheck: 'custom', allowedIpRanges: ' ' }, { ip: IDNOW_ADDRESS })).response.status).toBe(403);
	});

	it('emits the same (kind, OrderID, statusCode) once, however often IDnow retries it', async () => {
		const staticData: IDataObject = {};
		const orderId = newOrderId();
		const query = { kind: 'OnStatusChange', orderId, statusCode: '75', token: WEBHOOK_TOKEN };
		expect((await deliver(query, {}, {}, staticData)).ran).toBe(true);
		const retry = await deliver(query, {}, {}, staticData);
		expect(retry.ran).toBe(false);
		expect(retry.response.status).toBe(200);
		expect(retry.response.body).toEqual({ received: true, duplicate: true });
		expect((await deliver({ ...query, statusCode: '6' }, {}, {}, staticData)).ran).toBe(true);
		expect((await deliver({ ...query, kind: 'OnFinal', statusCode: '' }, {}, {}, staticData)).ran).toBe(true);
	});

	it('acknowledges kinds the event filter leaves out without running', async () => {
		const result = await deliver({ kind: 'AfterIdent', orderId: newOrderId(), token: WEBHOOK_TOKEN });
		expect(result.response.status).toBe(200);
		expect(result.response.body).toEqual({ received: true, ignored: true });
		expect(result.ran).toBe(false);
	});

	it.each<[string, Record<string, string>, string]>([
		['an unknown kind', { kind: 'OnLunch', orderId: '99900000000001' }, 'Unknown webhook kind "OnLunch".'],
		['a placeholder IDnow did not fill in', { kind: 'OnFinal', orderId: '[OrderID]' }, 'The call carries no OrderID.'],
		['a status code that is none', { kind: 'OnStatusChange', orderId: '99900000000001', statusCode: 'six' }, 'The statusCode "six" is not a status code'],
	])('answers 400 for %s', async (_, query, message) => {
		const result = await deliver({ ...query, token: WEBHOOK_TOKEN });
		expect(result.response.status).toBe(400);
		expect(String(result.response.body)).toContain(message);
		expect(result.ran).toBe(false);
	});

	it('is what the sandbox calls when an order sends its webhooks to it (placeholders substituted)', async () => {
		// The sandbox's own delivery, to a URL built like Create builds it, reaches the trigger's parser intact.
		const { OrderID } = fixture.idnow.createOrderDirect({
			Product: 12,
			Ref: 'case+1',
			WebhookURL: { OnFinal: `http://127.0.0.1:9/webhook/idnow?kind=OnFinal&orderId=[OrderID]&ref=[Ref]&token=${WEBHOOK_TOKEN}` },
		});
		fixture.idnow.completeOrder(String(OrderID), 'positive', { immediate: true });
		const [event] = fixture.idnow.webhookEvents();
		const query = Object.fromEntries(new URL(event.url).searchParams);
		expect(query).toEqual({ kind: 'OnFinal', orderId: OrderID, ref: 'case+1', token: WEBHOOK_TOKEN });
		const result = await deliver(query);
		expect(result.workflowData![0][0].json).toMatchObject({ OrderID, Ref: 'case+1', final: true });
	});
});
