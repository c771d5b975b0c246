import type { IDataObject, INodeExecutionData, INodeParameters, INodeType, IWebhookFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runWebhook, type WebhookRequestInput } from '../../harness';
import { hasSeen } from '../../../nodes/shared/dedupe';
import { callerIpOptions } from '../../../nodes/shared/webhookOptions';
import {
	manuallyRegisteredWebhooks,
	refuseDelivery,
	runWebhookPipeline,
	startBudget,
	type DeliveryContext,
	type WebhookPipeline,
} from '../../../nodes/shared/webhookTrigger';

const TOKEN = 'hook-token-3f2e1d';
const ACK_BUDGET_MS = 8000;

interface TestEvent {
	id: string;
	type: string;
}

type BuildItems = WebhookPipeline<TestEvent>['buildItems'];

/** What each step of the pipeline saw, in order. */
let steps: string[];
let buildItems: jest.Mock<ReturnType<BuildItems>, Parameters<BuildItems>>;
let seenWhileBuilding: boolean | undefined;
let deliveries: DeliveryContext[];

beforeEach(() => {
	steps = [];
	deliveries = [];
	seenWhileBuilding = undefined;
	buildItems = jest.fn(async (ctx: IWebhookFunctions, event: TestEvent, delivery: DeliveryContext): Promise<INodeExecutionData[]> => {
		steps.push('buildItems');
		deliveries.push(delivery);
		seenWhileBuilding = hasSeen(ctx.getWorkflowStaticData('node'), delivery.deliveryId, {
			scope: `${ctx.getWorkflow().id}:${ctx.getNode().id}`,
		});
		return [{ json: { event: event.type, deliveryId: delivery.deliveryId } }];
	});
});

const pipeline: WebhookPipeline<TestEvent> = {
	ackBudgetMs: ACK_BUDGET_MS,
	isAuthentic(ctx, rawBody) {
		steps.push('isAuthentic');
		return ctx.getHeaderData()['x-token'] === TOKEN && rawBody.length > 0;
	},
	parse(_ctx, rawBody) {
		steps.push('parse');
		const body = JSON.parse(rawBody.toString('utf8')) as Partial<TestEvent>;
		if (typeof body.id !== 'string') return { problem: 'The delivery names no event id' };
		return { event: { id: body.id, type: String(body.type) } };
	},
	deliveryId: (event) => `delivery-${event.id}`,
	isWanted(_ctx, event) {
		steps.push('isWanted');
		return event.type !== 'ping';
	},
	buildItems: async (ctx, event, delivery) => await buildItems(ctx, event, delivery),
};

class PipelineTrigger implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Pipeline Trigger',
		name: 'pipelineTrigger',
		group: ['trigger'],
		version: 1,
		description: 'The shared webhook pipeline under test',
		defaults: { name: 'Pipeline Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'events' }],
		properties: [{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: callerIpOptions }],
	};

	webhookMethods = manuallyRegisteredWebhooks;

	async webhook(this: IWebhookFunctions) {
		return await runWebhookPipeline(this, pipeline);
	}
}

/** Event ids are unique per test: the process memory of deliveries outlives a single test. */
let eventCount = 0;
const newEventId = () => `evt-${++eventCount}`;

function delivery(body: object, extra: Partial<WebhookRequestInput> = {}): WebhookRequestInput {
	return { headers: { 'x-token': TOKEN }, body, ...extra };
}

async function deliver(request: WebhookRequestInput, staticData?: IDataObject, options: INodeParameters = {}) {
	return await runWebhook(new PipelineTrigger(), { parameters: { options }, credentials: [], request, staticData });
}

describe('runWebhookPipeline', () => {
	it('answers 403 to a caller outside the allowed ranges, before anything else', async () => {
		const result = await deliver(delivery({ id: newEventId(), type: 'done' }, { ip: '198.51.100.7' }), {}, {
			allowedIpRanges: '203.0.113.0/24',
		});

		expect(result).toMatchObject({ response: { status: 403, body: 'Forbidden' }, noWebhookResponse: true, ran: false });
		expect(steps).toEqual([]);
	});

	it('lets an allowed caller through, also behind a trusted proxy', async () => {
		const result = await deliver(
			delivery({ id: newEventId(), type: 'done' }, { ip: '10.0.0.5', headers: { 'x-token': TOKEN, 'x-forwarded-for': '203.0.113.9' } }),
			{},
			{ allowedIpRanges: '203.0.113.0/24', trustedProxies: '10.0.0.0/8' },
		);

		expect(result.ran).toBe(true);
	});

	it('answers 401 to a delivery that is not authentic, without parsing it', async () => {
		const result = await deliver(delivery({ id: newEventId(), type: 'done' }, { headers: { 'x-token': 'forged' } }));

		expect(result).toMatchObject({ response: { status: 401, body: 'Unauthorized' }, ran: false });
		expect(steps).toEqual(['isAuthentic']);
	});

	it('answers 400 with the problem the parser names', async () => {
		const result = await deliver(delivery({ type: 'done' }));

		expect(result).toMatchObject({ response: { status: 400, body: 'The delivery names no event id' }, ran: false });
		expect(steps).toEqual(['isAuthentic', 'parse']);
	});

	it('acknowledges an unwanted event with 200 without starting the workflow', async () => {
		const result = await deliver(delivery({ id: newEventId(), type: 'ping' }));

		expect(result).toMatchObject({ response: { status: 200, body: { received: true, ignored: true } }, ran: false });
		expect(buildItems).not.toHaveBeenCalled();
	});

	it('builds the items, starts the workflow, then remembers the delivery', async () => {
		const staticData: IDataObject = {};
		const id = newEventId();

		const result = await deliver(delivery({ id, type: 'done' }), staticData);

		expect(result.ran).toBe(true);
		expect(result.workflowData).toEqual([[{ json: { event: 'done', deliveryId: `delivery-${id}` } }]]);
		expect(steps).toEqual(['isAuthentic', 'parse', 'isWanted', 'buildItems']);
		expect(seenWhileBuilding).toBe(false);
		expect(staticData.seenDeliveries).toEqual([{ id: `delivery-${id}`, at: expect.any(Number) }]);
	});

	it('answers 200 duplicate to a repeated delivery without building anything', async () => {
		const staticData: IDataObject = {};
		const request = delivery({ id: newEventId(), type: 'done' });

		await deliver(request, staticData);
		const repeated = await deliver(request, staticData);

		expect(repeated).toMatchObject({ response: { status: 200, body: { received: true, duplicate: true } }, ran: false });
		expect(buildItems).toHaveBeenCalledTimes(1);
	});

	it('recognises a repeat in the same process even when n8n did not save the static data', async () => {
		const request = delivery({ id: newEventId(), type: 'done' });

		// No staticData: each run starts from empty static data, as when n8n dropped the previous change.
		await deliver(request);
		const repeated = await deliver(request);

		expect(repeated.response.body).toEqual({ received: true, duplicate: true });
		expect(buildItems).toHaveBeenCalledTimes(1);
	});

	it('answers 409 with Retry-After to a repeat that arrives while the first is still being handled, then 200 duplicate', async () => {
		const staticData: IDataObject = {};
		const request = delivery({ id: newEventId(), type: 'done' });
		let finishFirst!: () => void;
		buildItems.mockImplementationOnce(async (_ctx, event, context) => {
			await new Promise<void>((resolve) => (finishFirst = resolve));
			return [{ json: { event: event.type, deliveryId: context.deliveryId } }];
		});

		const first = deliver(request, staticData);
		while (buildItems.mock.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
		const meanwhile = await deliver(request, staticData);
		finishFirst();
		const later = await deliver(request, staticData);

		expect((await first).ran).toBe(true);
		expect(meanwhile).toMatchObject({ response: { status: 409, headers: { 'retry-after': '10' } }, ran: false });
		expect(later.response.body).toEqual({ received: true, duplicate: true });
		expect(buildItems).toHaveBeenCalledTimes(1);
	});

	it('handles a repeat afresh once the first delivery failed while it was in progress', async () => {
		const request = delivery({ id: newEventId(), type: 'done' });
		buildItems.mockRejectedValueOnce(new Error('Provider unreachable'));

		await expect(deliver(request)).rejects.toThrow('Provider unreachable');
		expect((await deliver(request)).ran).toBe(true);
	});

	it('does not remember a delivery whose items could not be built, so the retry is processed', async () => {
		const staticData: IDataObject = {};
		const request = delivery({ id: newEventId(), type: 'done' });
		buildItems.mockRejectedValueOnce(new Error('Provider unreachable'));

		await expect(deliver(request, staticData)).rejects.toThrow('Provider unreachable');
		const retried = await deliver(request, staticData);

		expect(retried.ran).toBe(true);
		expect(buildItems).toHaveBeenCalledTimes(2);
	});

	it('answers a refusal from buildItems with its status, runs nothing and remembers nothing', async () => {
		const staticData: IDataObject = {};
		const request = delivery({ id: newEventId(), type: 'done' });
		buildItems.mockImplementationOnce(async (ctx) => {
			throw refuseDelivery(ctx.getNode(), 409, 'The provider does not confirm this status');
		});

		const refused = await deliver(request, staticData);
		expect(refused.response.status).toBe(409);
		expect(String(refused.response.body)).toBe('The provider does not confirm this status');
		expect(refused.ran).toBe(false);

		const retried = await deliver(request, staticData);
		expect(retried.ran).toBe(true);
	});

	it('reduces an unexpected error to its message, without secrets', async () => {
		buildItems.mockRejectedValueOnce(new Error('failed with Authorization: Bearer abcdefghijklmnop1234'));
		await expect(deliver(delivery({ id: newEventId(), type: 'done' }))).rejects.toThrow(
			expect.objectContaining({ message: expect.not.stringContaining('abcdefghijklmnop1234') }),
		);
	});

	it('hands buildItems the delivery id and an acknowledgement budget for its provider calls', async () => {
		const id = newEventId();

		await deliver(delivery({ id, type: 'done' }));

		expect(deliveries).toHaveLength(1);
		expect(deliveries[0].deliveryId).toBe(`delivery-${id}`);
		const call = deliveries[0].budget.call();
		expect(call.retry).toEqual({ maxAttempts: 1 });
		expect(call.timeoutMs).toBeGreaterThan(0);
		expect(call.timeoutMs).toBeLessThanOrEqual(ACK_BUDGET_MS);
	});
});

describe('startBudget', () => {
	it('gives provider calls one attempt and a timeout that shrinks as time passes', () => {
		let now = 1_000;
		const budget = startBudget(10_000, () => now);

		expect(budget.call()).toEqual({ retry: { maxAttempts: 1 }, timeoutMs: 10_000 });
		now += 2_500;
		expect(budget.remainingMs()).toBe(7_500);
		expect(budget.call()).toEqual({ retry: { maxAttempts: 1 }, timeoutMs: 7_500 });
		now += 7_499;
		expect(budget.call().timeoutMs).toBe(1);
	});

	it('never gives a timeout of zero or less once the budget is spent', () => {
		let now = 0;
		const budget = startBudget(1_000, () => now);
		now = 5_000;

		expect(budget.remainingMs()).toBe(0);
		expect(budget.call()).toEqual({ retry: { maxAttempts: 1 }, timeoutMs: 1 });
	});
});

describe('manuallyRegisteredWebhooks', () => {
	it('reports the webhook as registered and has nothing to create or delete', async () => {
		const { checkExists, create, delete: remove } = manuallyRegisteredWebhooks.default;

		await expect(checkExists()).resolves.toBe(true);
		await expect(create()).resolves.toBe(true);
		await expect(remove()).resolves.toBe(true);
	});
});
