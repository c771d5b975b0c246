import type { IDataObject, IHookFunctions, INodeParameters } from 'n8n-workflow';

import { CmIdinTrigger } from '../../../nodes/CmIdin/CmIdinTrigger.node';
import { runWebhook, startWebhookBridge, TEST_NODE, type WebhookBridge } from '../../harness';
import { IDIN_ACK_BUDGET_MS } from '../../../nodes/CmIdin/constants';
import { IDIN_TEST_KEY } from '../../sandbox/idin';
import { credentialStore, expectNoSecrets, useIdinSandbox, WEBHOOK_HEADER, WEBHOOK_SECRET } from './fixture';

const trigger = new CmIdinTrigger();
const ALL_EVENTS = ['group.updated', 'group.deleted', 'person.updated', 'person.deleted'];
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('CM iDIN Trigger', () => {
	const idin = useIdinSandbox();
	let bridge: WebhookBridge;

	async function listen(parameters: INodeParameters = {}, credentials = idin.credentials) {
		bridge = await startWebhookBridge(trigger, {
			parameters: { events: ALL_EVENTS, options: {}, ...parameters },
			credentials,
			staticData: {},
		});
		idin.sandbox.setWebhook(IDIN_TEST_KEY.keyId, {
			url: `${bridge.url}/webhook/cm-idin`,
			header: { name: WEBHOOK_HEADER, value: WEBHOOK_SECRET },
		});
	}

	afterEach(async () => {
		await bridge?.stop();
	});

	function emitted(): IDataObject[] {
		return bridge.runs().map((run) => run.workflowData![0][0].json);
	}

	/** A person who identified, with the events CM sent for it; deliveries go out before this resolves. */
	async function identified(status: 'success' | 'cancelled' = 'success') {
		const ids = idin.seedPerson();
		const { deliveries } = await idin.sandbox.settlePerson(ids.personId, { status });
		return { ...ids, deliveries };
	}

	/** What the API calls cost: the person checks the trigger made. */
	const personReads = () => idin.apiRequests('GET');

	describe('a genuine delivery', () => {
		it('emits person.updated once CM confirms it, with the normalized identity', async () => {
			await listen();
			const { groupId, personId, deliveries } = await identified();
			expect(deliveries.map((delivery) => [delivery.status, JSON.parse(delivery.body).event])).toEqual([
				[200, 'person.updated'],
				[200, 'group.updated'],
			]);
			const [personEvent, groupEvent] = emitted();
			const event = JSON.parse(deliveries[0].body) as IDataObject;
			expect(personEvent).toMatchObject({
				provider: 'idin',
				event: 'person.updated',
				deliveryId: `idin:${event.id}`,
				transactionId: personId,
				reference: null,
				status: 'verified',
				verified: true,
				reason: null,
				signatureVerified: true,
				identity: {
					status: 'verified',
					assurance: { method: 'iDIN' },
					person: { fullName: 'Andre van Dijk', familyName: 'van Dijk', phone: '+31612345678' },
				},
				raw: event,
				groupId,
				personId,
				initials: 'A',
				bankBic: 'ABNANL2A',
				confirmed: true,
			});
			expect(groupEvent).toMatchObject({
				event: 'group.updated',
				transactionId: null,
				status: null,
				verified: null,
				identity: null,
				reason: 'Group events are not confirmed: CM offers no way to read a group',
				groupId,
				personId: null,
				confirmed: false,
				raw: { status: 'completed' },
			});
			expect(personReads()).toBe(1);
			expectNoSecrets(emitted());
		});

		it('emits a cancellation as cancelled, not verified', async () => {
			await listen();
			await identified('cancelled');
			expect(emitted()[0]).toMatchObject({ status: 'cancelled', verified: false, reason: 'The person cancelled the identification' });
		});

		it('emits person.deleted once CM no longer has the person', async () => {
			await listen({ events: ['person.deleted'] });
			const { personId } = idin.seedPerson();
			const [delivery] = await idin.sandbox.deletePerson(personId);
			expect(delivery.status).toBe(200);
			expect(emitted()).toEqual([
				expect.objectContaining({
					event: 'person.deleted',
					transactionId: personId,
					identity: null,
					status: null,
					reason: 'CM deleted the person: there is no identity to read any more',
					confirmed: true,
				}),
			]);
		});
	});

	describe('the secret header', () => {
		it.each([
			['no header', null],
			['a wrong value', { name: WEBHOOK_HEADER, value: 'guessed-secret' }],
			['the value under another name', { name: 'X-Other', value: WEBHOOK_SECRET }],
		])('refuses a call with %s: 401, no run, CM not asked', async (_, header) => {
			await listen();
			const { groupId, personId } = idin.seedPerson();
			await idin.sandbox.settlePerson(personId, { status: 'success' });
			bridge.results.length = 0;
			const before = personReads();
			const [delivery] = await idin.sandbox.forgeWebhook({ header, event: { group: groupId, person: personId } });
			expect(delivery.status).toBe(401);
			expect(bridge.runs()).toHaveLength(0);
			expect(personReads()).toBe(before);
		});

		it('fails closed when the credential has no secret: every call is refused', async () => {
			await listen({}, credentialStore({ ...idin.credentialData, webhookSecret: '' }));
			idin.sandbox.setWebhook(IDIN_TEST_KEY.keyId, { header: { name: WEBHOOK_HEADER, value: 'anything' } });
			const { deliveries } = await identified();
			expect(deliveries.every((delivery) => delivery.status === 401)).toBe(true);
			expect(bridge.runs()).toHaveLength(0);
		});

		it('accepts calls without it only when the user turned the check off, and says so', async () => {
			await listen({ requireSecretHeader: false });
			idin.sandbox.setWebhook(IDIN_TEST_KEY.keyId, { header: null });
			await identified();
			expect(emitted()[0]).toMatchObject({ status: 'verified', signatureVerified: false, confirmed: true });
		});
	});

	describe('confirmation through the API', () => {
		it('refuses an event about a person CM does not know: 404, no run', async () => {
			await listen();
			const [delivery] = await idin.sandbox.forgeWebhook({});
			expect(delivery.status).toBe(404);
			expect(bridge.runs()).toHaveLength(0);
		});

		it('refuses a status CM does not report: 409, no run', async () => {
			await listen();
			const { groupId, personId } = idin.seedPerson();
			const [delivery] = await idin.sandbox.forgeWebhook({ event: { group: groupId, person: personId, status: 'success' } });
			expect(delivery.status).toBe(409);
			expect(bridge.results[0].response.body).toBe('Not confirmed: CM reports the status null for this person, not "success"');
			expect(bridge.runs()).toHaveLength(0);
		});

		it('refuses a deletion of a person CM still has: 409', async () => {
			await listen();
			const { groupId, personId } = idin.seedPerson();
			const [delivery] = await idin.sandbox.forgeWebhook({ event: { event: 'person.deleted', group: groupId, person: personId, status: null } });
			expect(delivery.status).toBe(409);
			expect(bridge.runs()).toHaveLength(0);
		});

		it('answers 503 when CM cannot be asked, so that CM delivers again, and emits the retry', async () => {
			await listen({ events: ['person.updated'] });
			idin.sandbox.queueFault({ kind: 'status', status: 503, method: 'GET' });
			const { deliveries } = await identified();
			expect(deliveries.filter((delivery) => JSON.parse(delivery.body).event === 'person.updated').map((delivery) => delivery.status)).toEqual([503, 200]);
			expect(emitted()).toHaveLength(1);
		});

		it('answers within the acknowledgement budget when CM does not answer the check', async () => {
			await listen({ events: ['person.updated'] });
			const { groupId, personId } = idin.seedPerson();
			idin.sandbox.queueFault({ kind: 'hang', method: 'GET' });
			const started = Date.now();
			const [delivery] = await idin.sandbox.forgeWebhook({ event: { group: groupId, person: personId } });
			expect(delivery.status).toBe(503);
			expect(Date.now() - started).toBeLessThan(IDIN_ACK_BUDGET_MS + 1500);
			expect(bridge.runs()).toHaveLength(0);
		});

		it('fails visibly when CM refuses the credential', async () => {
			const { groupId, personId } = idin.seedPerson();
			// n8n itself repeats a request CM answers 401 once, so CM refuses twice.
			idin.sandbox.queueFault({ kind: 'status', status: 401, method: 'GET', times: 2 });
			const body = JSON.stringify({ id: 'e-1', event: 'person.updated', group: groupId, person: personId, status: null });
			await expect(
				runWebhook(trigger, {
					parameters: { events: ALL_EVENTS, options: {} },
					credentials: idin.credentials,
					request: { headers: { 'content-type': 'application/json', [WEBHOOK_HEADER.toLowerCase()]: WEBHOOK_SECRET }, body },
					staticData: {},
				}),
			).rejects.toMatchObject({ httpCode: '401', description: expect.stringContaining('Check the Key ID and Key Secret') });
		});

		it('emits unconfirmed when the user turned confirmation off', async () => {
			await listen({ options: { confirmPersonEvents: false } });
			const [delivery] = await idin.sandbox.forgeWebhook({ event: { person: UNKNOWN_ID } });
			expect(delivery.status).toBe(200);
			expect(emitted()[0]).toMatchObject({
				status: null,
				verified: null,
				identity: null,
				confirmed: false,
				reason: 'Not confirmed with CM: "Confirm Person Events" is off',
			});
			expect(personReads()).toBe(0);
		});
	});

	describe('duplicates and the event filter', () => {
		it("emits CM's retries of one event once", async () => {
			await listen();
			const { deliveries } = await identified();
			const eventId = JSON.parse(deliveries[0].body).id as string;
			const replays = await idin.sandbox.redeliverEvent(eventId, { times: 3 });
			expect(replays.map((replay) => replay.status)).toEqual([200, 200, 200]);
			expect(emitted().filter((event) => event.event === 'person.updated')).toHaveLength(1);
			expect(bridge.results.at(-1)!.response.body).toEqual({ received: true, duplicate: true });
		});

		it('acknowledges events outside the filter without running or asking CM', async () => {
			await listen({ events: ['group.updated'] });
			const { deliveries } = await identified();
			expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
			expect(emitted().map((event) => event.event)).toEqual(['group.updated']);
			expect(bridge.results[0].response.body).toEqual({ received: true, ignored: true });
			expect(personReads()).toBe(0);
		});

		it('answers 400 to a body that is not an iDIN event', async () => {
			await listen();
			const [delivery] = await idin.sandbox.forgeWebhook({
				rawBody: JSON.stringify({ id: 'e-2', event: 'person.updated', group: UNKNOWN_ID }),
			});
			expect(delivery.status).toBe(400);
			expect(bridge.results[0].response.body).toContain('The CM iDIN person.updated event names no person');
			const notJson = await runWebhook(trigger, {
				parameters: { events: ALL_EVENTS, options: {} },
				credentials: idin.credentials,
				request: { headers: { 'content-type': 'text/plain', [WEBHOOK_HEADER.toLowerCase()]: WEBHOOK_SECRET }, body: 'hello' },
				staticData: {},
			});
			expect([notJson.response.status, notJson.ran]).toEqual([400, false]);
			expect(notJson.response.body).toContain('The CM iDIN webhook body is not JSON');
		});
	});

	it('answers 403 to a caller outside the allowed IP ranges', async () => {
		await listen({ options: { allowedIpRanges: '203.0.113.0/24' } });
		const [delivery] = await idin.sandbox.forgeWebhook({});
		expect(delivery.status).toBe(403);
	});
});

describe('CM iDIN Trigger activation', () => {
	const checkExists = (trigger.webhookMethods.default.checkExists as unknown) as (this: IHookFunctions) => Promise<boolean>;

	function hook(parameters: IDataObject, credentials: IDataObject): IHookFunctions {
		return {
			getNode: () => TEST_NODE,
			getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
			getCredentials: async () => credentials,
		} as unknown as IHookFunctions;
	}

	const configured = { webhookHeaderName: WEBHOOK_HEADER, webhookSecret: WEBHOOK_SECRET };

	it('passes when the credential holds the secret', async () => {
		await expect(checkExists.call(hook({ events: ALL_EVENTS }, configured))).resolves.toBe(true);
	});

	it('fails closed without a secret, and says what to change', async () => {
		await expect(checkExists.call(hook({ events: ALL_EVENTS }, { ...configured, webhookSecret: '' }))).rejects.toMatchObject({
			message: 'The CM iDIN credential has no Webhook Secret',
			description: expect.stringContaining(`ask CM support to send it in the header "${WEBHOOK_HEADER}"`),
		});
	});

	it('passes without a secret when the user turned the check off', async () => {
		const parameters = { events: ALL_EVENTS, requireSecretHeader: false };
		await expect(checkExists.call(hook(parameters, { webhookSecret: '' }))).resolves.toBe(true);
	});

	it('refuses a header name CM cannot send, and an empty event list', async () => {
		await expect(checkExists.call(hook({ events: ALL_EVENTS }, { ...configured, webhookHeaderName: 'X Secret' }))).rejects.toThrow(
			'"X Secret" is not an HTTP header name',
		);
		await expect(checkExists.call(hook({ events: [] }, configured))).rejects.toThrow('No event is selected');
	});
});
