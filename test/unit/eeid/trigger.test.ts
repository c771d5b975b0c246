import { createHash, createHmac } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { EeIdTrigger } from '../../../nodes/EeId/EeIdTrigger.node';
import { readBinary, runWebhook, startWebhookBridge, type WebhookBridge } from '../../harness';
import { EEID_SECOND_CLIENT, EEID_TEST_CLIENT, type EeIdWebhookOptions } from '../../sandbox/eeid';
import { useEeIdSandbox } from './fixture';

const trigger = new EeIdTrigger();
const PATH = '/eeid/webhooks/identification_requests';

describe('eeID Trigger', () => {
	const eeid = useEeIdSandbox();
	let bridge: WebhookBridge;
	let staticData: IDataObject;

	async function startBridge(options: INodeParameters = {}) {
		staticData = {};
		bridge = await startWebhookBridge(trigger, { parameters: { options }, credentials: eeid.credentials, staticData });
	}

	afterEach(async () => {
		await bridge?.stop();
	});

	async function completedRequest(reference = 'case-1'): Promise<string> {
		const { id } = eeid.sandbox.createRequestDirect({ reference, claims_required: [{ type: 'sub', value: 'EE30303039914' }] });
		await eeid.sandbox.completeRequest(id, { sub: 'EE30303039914', given_name: 'OK', family_name: 'TESTNUMBER' });
		return id;
	}

	async function deliver(id: string, options: EeIdWebhookOptions = {}) {
		return await eeid.sandbox.deliverWebhook(id, { url: `${bridge.url}${PATH}`, ...options });
	}

	it('emits the normalized identity for a correctly signed delivery', async () => {
		await startBridge();
		const id = await completedRequest();
		const [delivery] = await deliver(id);
		expect(delivery.status).toBe(200);
		const [run] = bridge.runs();
		const envelope = run.workflowData![0][0].json;
		expect(envelope).toMatchObject({
			provider: 'eeid',
			event: 'identification_request.completed',
			transactionId: id,
			reference: 'case-1',
			status: 'verified',
			signatureVerified: true,
			identity: { status: 'verified', verified: true, person: { subjectId: 'EE30303039914', givenName: 'OK' } },
			raw: { identification_request_id: id, client_id: EEID_TEST_CLIENT.clientId, reference: 'case-1' },
		});
		expect(new Date(envelope.receivedAt as string).toISOString()).toBe(envelope.receivedAt);
	});

	it('accepts a delivery whose whitespace differs from the signed bytes', async () => {
		await startBridge();
		const [delivery] = await deliver(await completedRequest('case-2'), { reformat: true });
		expect(delivery.status).toBe(200);
		expect(bridge.runs()).toHaveLength(1);
	});

	it('accepts an upper-case hex signature', async () => {
		await startBridge();
		const [delivery] = await deliver(await completedRequest(), { signatureCase: 'upper' });
		expect(delivery.status).toBe(200);
	});

	it.each<[string, EeIdWebhookOptions]>([
		['missing signature', { omitSignature: true }],
		['wrong secret', { signWith: 'some-other-secret' }],
		['tampered body', { tamper: true }],
		['other client_id', { clientId: EEID_SECOND_CLIENT.clientId }],
	])('answers 401 and does not run for a %s', async (_, options) => {
		await startBridge();
		const [delivery] = await deliver(await completedRequest(), options);
		expect(delivery.status).toBe(401);
		expect(bridge.runs()).toHaveLength(0);
		expect(eeid.apiRequests()).toBe(0);
	});

	it('refuses another service correctly signed with its own secret', async () => {
		await startBridge();
		const id = await completedRequest();
		const [delivery] = await deliver(id, { clientId: EEID_SECOND_CLIENT.clientId, signWith: EEID_SECOND_CLIENT.clientSecret });
		expect(delivery.status).toBe(401);
		expect(bridge.runs()).toHaveLength(0);
	});

	it('answers 400 for a signed body that is not an eeID event', async () => {
		await startBridge();
		const body = JSON.stringify({ hello: 'world' });
		const result = await runWebhook(trigger, {
			parameters: { options: {} },
			credentials: eeid.credentials,
			request: { headers: { 'content-type': 'application/json', 'x-hmac-signature': createHmac('sha256', EEID_TEST_CLIENT.clientSecret).update(body).digest('hex') }, body },
		});
		expect(result.response.status).toBe(400);
		expect(String(result.response.body)).toContain('lacks identification_request_id');
		expect(result.ran).toBe(false);
	});

	it('emits a duplicate delivery once, recognising it before asking eeID anything', async () => {
		await startBridge({ attachProof: true });
		const id = await completedRequest();
		const [first] = await deliver(id);
		expect(first.status).toBe(200);
		const callsForFirst = eeid.apiRequests();
		expect(callsForFirst).toBe(2); // the request, then its proof
		const retries = await deliver(id, { times: 2 });
		expect(retries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(retries.map((delivery) => JSON.parse(delivery.responseBody))).toEqual([
			{ received: true, duplicate: true },
			{ received: true, duplicate: true },
		]);
		expect(bridge.runs()).toHaveLength(1);
		expect(eeid.apiRequests()).toBe(callsForFirst);
		expect(bridge.runs()[0].workflowData![0][0].json.deliveryId).toBe(`eeid:${EEID_TEST_CLIENT.clientId}:${id}`);
	});

	it('claims no status when it does not resolve the request', async () => {
		await startBridge({ resolveRequest: false });
		const id = await completedRequest();
		await deliver(id);
		expect(bridge.runs()[0].workflowData![0][0].json).toMatchObject({
			transactionId: id,
			status: null,
			verified: null,
			identity: null,
		});
		expect(eeid.apiRequests()).toBe(0);
	});

	it('emits a completion by another person as failed, not verified', async () => {
		await startBridge();
		const { id } = eeid.sandbox.createRequestDirect({ reference: 'case-x', claims_required: [{ type: 'sub', value: 'EE30303039914' }] });
		await eeid.sandbox.completeRequestAs(id, 'other');
		await deliver(id);
		const envelope = bridge.runs()[0].workflowData![0][0].json as Record<string, any>;
		expect(envelope).toMatchObject({ status: 'failed', verified: false, identity: { status: 'failed', verified: false } });
		expect(envelope.reason).toEqual(expect.stringContaining('does not match'));
		expect(envelope.claimsCheck).toMatchObject({ by: 'eeid', matched: false });
		expect(Object.keys(envelope.claimsCheck.mismatchedClaims)).toContain('sub');
	});

	it('attaches the proof-of-identity PDF', async () => {
		await startBridge({ attachProof: true, binaryPropertyName: 'proof' });
		const id = await completedRequest();
		await deliver(id);
		const item = bridge.runs()[0].workflowData![0][0];
		const pdf = await readBinary(item.binary!.proof);
		const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
		expect(sha(pdf.data)).toBe(sha(eeid.sandbox.proofPdf(id)));
	});

	it('still emits the event when eeID cannot be asked, with no identity and the reason', async () => {
		await startBridge();
		const id = await completedRequest();
		eeid.sandbox.queueFault({ kind: 'status', status: 503, times: 1, method: 'GET' });
		const [delivery] = await deliver(id);
		expect(delivery.status).toBe(200);
		const envelope = bridge.runs()[0].workflowData![0][0].json;
		expect(envelope).toMatchObject({ transactionId: id, status: null, verified: null, identity: null });
		expect(envelope.reason).toMatch(/^Could not resolve the identification request before answering eeID: eeID: /);
		// No retry inside the acknowledgement budget: one call, refused.
		expect(eeid.apiRequests('GET')).toBe(1);
	});

	it('answers within the budget when eeID hangs: the event is emitted without the identity', async () => {
		await startBridge();
		const id = await completedRequest();
		eeid.sandbox.queueFault({ kind: 'hang', times: 1, method: 'GET' });
		const started = Date.now();
		const [delivery] = await deliver(id);
		expect(delivery.status).toBe(200);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(bridge.runs()[0].workflowData![0][0].json).toMatchObject({ identity: null, status: null });
	}, 20_000);
});

describe('eeID Trigger caller address', () => {
	const eeid = useEeIdSandbox();

	async function callFrom(ip: string, options: INodeParameters, headers: Record<string, string> = {}) {
		const { id } = eeid.sandbox.createRequestDirect({ claims_required: [{ type: 'country', value: 'EE' }] });
		const body = JSON.stringify({ identification_request_id: id, client_id: EEID_TEST_CLIENT.clientId, reference: null });
		const signature = createHmac('sha256', EEID_TEST_CLIENT.clientSecret).update(body).digest('hex');
		return await runWebhook(trigger, {
			parameters: { options: { resolveRequest: false, ...options } },
			credentials: eeid.credentials,
			request: { ip, headers: { 'content-type': 'application/json', 'x-hmac-signature': signature, ...headers }, body },
			staticData: {},
		});
	}

	it('answers 403 to a caller outside the allowed ranges, and runs for one inside', async () => {
		const options = { allowedIpRanges: '203.0.113.0/24, 2001:db8::/32' };
		const outside = await callFrom('198.51.100.7', options);
		expect(outside.response.status).toBe(403);
		expect(outside.ran).toBe(false);
		expect((await callFrom('203.0.113.9', options)).ran).toBe(true);
		expect((await callFrom('::ffff:203.0.113.10', options)).ran).toBe(true);
		expect((await callFrom('2001:db8::1', options)).ran).toBe(true);
	});

	it('believes X-Forwarded-For only from a trusted proxy', async () => {
		const options = { allowedIpRanges: '203.0.113.0/24', trustedProxies: '127.0.0.1' };
		const forwarded = { 'x-forwarded-for': '203.0.113.9' };
		expect((await callFrom('127.0.0.1', options, forwarded)).ran).toBe(true);
		expect((await callFrom('198.51.100.7', options, forwarded)).response.status).toBe(403);
	});

	it('names a malformed range', async () => {
		await expect(callFrom('203.0.113.9', { allowedIpRanges: '203.0.113.0/33' })).rejects.toThrow(
			'Allowed IP Ranges: "203.0.113.0/33" is not a valid IP address or range',
		);
	});
});
