/**
 * Queue mode only (`npm run test:e2e -- --queue`): what must hold when n8n runs as a main process, two webhook
 * processes and two workers. A retried delivery that reaches the other webhook process is not seen by the trigger
 * there (each process remembers deliveries in its own memory), so "exactly once downstream" is the demo's job: it
 * claims the event's deliveryId in Redis (INCR, atomic) before acting. The case proves it with 1,000 signed eeID
 * deliveries spread over both webhook processes, 10% of them delivered again to the other process, and 100 forged.
 */
import { EEID_TEST_CLIENT, EEID_WEBHOOK_PATH_MARKER, type EeIdSimulator } from '../../test/sandbox/eeid';
import { eeIdDeliveryId } from '../../nodes/EeId/webhook';
import { pool } from '../../test/bench/result';
import { assert, assertEqual } from '../lib/check';
import { productionWebhookUrl } from '../lib/workflows';
import type { DemoWorkflow, E2ECase, Stack } from './types';
import { IDENTITY_COLUMNS } from './eeid';
import { demoWorkflow, sandboxOf } from './lookup';

const KEEP_ONCE = 'eeid-keep-verified-identities-queue-mode.json';
/** The data table the queue-mode demo keeps identities in (it finds it by name). */
const KEPT_ONCE_TABLE = 'eeID identities kept once';
/** The columns of the single-process demo's table, and the event's deliveryId. */
const KEPT_ONCE_COLUMNS = [{ name: 'deliveryId', type: 'string' as const }, ...IDENTITY_COLUMNS];
const PERSONAL_CODE = 'EE38001085718';

const EVENTS = 1000;
/** Every tenth event is delivered a second time, to the other webhook process, after the first was acknowledged. */
const REDELIVER_EVERY = 10;
/** Every twentieth event is completed by another person: eeID completes it, the person does not match. */
const OTHER_PERSON_EVERY = 20;
const FORGED = 100;
/** Deliveries in flight at once, as a busy provider sends them. */
const IN_FLIGHT = 10;
/** "Seconds later": how long a redelivery waits after the first delivery was acknowledged. */
const REDELIVERY_DELAY_MS = 2000;

export const queueWorkflows: DemoWorkflow[] = [{ file: KEEP_ONCE, activate: true }];

export async function prepareQueueDemos(stack: Stack): Promise<void> {
	await stack.api.ensureDataTable(stack.projectId, KEPT_ONCE_TABLE, KEPT_ONCE_COLUMNS);
}

function simulator(stack: Stack): EeIdSimulator {
	return sandboxOf<EeIdSimulator>(stack, 'eeid');
}

/** The demo's eeID Trigger URL on one webhook process, as a load balancer would forward to it. */
function triggerUrlOn(stack: Stack, processBaseUrl: string): string {
	return productionWebhookUrl(processBaseUrl, demoWorkflow(stack, KEEP_ONCE).json, 'eeID Trigger', EEID_WEBHOOK_PATH_MARKER);
}

function webhookProcesses(stack: Stack): [string, string] {
	const urls = stack.queue?.webhookProcessUrls ?? [];
	assert(urls.length === 2, `expected two webhook processes, the stack has ${urls.length}`);
	return [urls[0], urls[1]];
}

/** Completed requests whose completion webhooks were held back, so that the case delivers them itself. */
async function completedRequests(sim: EeIdSimulator): Promise<Array<{ id: string; verified: boolean }>> {
	const previousUrl = sim.clientList().find((client) => client.clientId === EEID_TEST_CLIENT.clientId)?.webhookUrl ?? null;
	sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, null);
	try {
		const requests: Array<{ id: string; verified: boolean }> = [];
		for (let index = 0; index < EVENTS; index++) {
			const { id } = sim.createRequestDirect({ reference: `queue-${index}`, claims_required: [{ type: 'sub', value: PERSONAL_CODE }] });
			const verified = index % OTHER_PERSON_EVERY !== OTHER_PERSON_EVERY - 1;
			await sim.completeRequestAs(id, verified ? 'expected' : 'other');
			requests.push({ id, verified });
		}
		return requests;
	} finally {
		sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, previousUrl);
	}
}

/** eeID's first delivery and its retries. */
const DELIVERY_ATTEMPTS = 4;

/** Delivers until n8n answers 200, alternating between the processes given; returns each attempt's status. */
async function deliverUntilAcknowledged(sim: EeIdSimulator, requestId: string, urls: string[]): Promise<Array<number | null>> {
	const statuses: Array<number | null> = [];
	for (let attempt = 0; attempt < DELIVERY_ATTEMPTS; attempt++) {
		const status = await deliverSigned(sim, requestId, urls[attempt % urls.length]);
		statuses.push(status);
		if (status === 200) break;
	}
	return statuses;
}

async function deliverSigned(sim: EeIdSimulator, requestId: string, url: string, forge?: 'wrong secret' | 'tampered'): Promise<number | null> {
	const options = forge === 'wrong secret' ? { signWith: 'not-the-client-secret' } : forge === 'tampered' ? { tamper: true } : {};
	const [delivery] = await sim.deliverWebhook(requestId, { url, ...options });
	return delivery.status;
}

/**
 * Waits until at least `expected` executions of the workflow have finished, none is open, and the count has stayed
 * the same for a few seconds (a delivery that timed out on our side may still start one late); returns the count.
 */
async function settledExecutions(stack: Stack, workflowId: string, expected: number, timeoutMs: number): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let unchangedPolls = 0;
	for (;;) {
		const { finished, open } = await stack.api.executionCounts(workflowId);
		unchangedPolls = finished === last ? unchangedPolls + 1 : 0;
		last = finished;
		if ((finished >= expected && open === 0 && unchangedPolls >= 3) || Date.now() > deadline) return finished;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

const exactlyOnceAcrossProcesses: E2ECase = {
	name: 'Queue mode: 1,000 signed eeID deliveries over two webhook processes, 100 of them again to the other process, 100 forged: each event is kept exactly once, no forged one runs',
	runs: [KEEP_ONCE],
	modes: ['queue'],
	async run(stack) {
		const sim = simulator(stack);
		const demo = demoWorkflow(stack, KEEP_ONCE);
		const [first, second] = webhookProcesses(stack).map((processUrl) => triggerUrlOn(stack, processUrl));
		const before = (await stack.api.executionCounts(demo.id)).finished;
		const requests = await completedRequests(sim);

		// Even events go to the first webhook process, odd ones to the second. As eeID does, a delivery that is not
		// acknowledged (n8n too busy to answer within eeID's 10 s) is sent again, here to the other process.
		const outcomes = await pool(requests, IN_FLIGHT, async ({ id }, index) => {
			const [home, other] = index % 2 === 0 ? [first, second] : [second, first];
			const attempts = await deliverUntilAcknowledged(sim, id, [home, other]);
			if (index % REDELIVER_EVERY !== 0) return { attempts, redelivery: undefined };
			await new Promise((resolve) => setTimeout(resolve, REDELIVERY_DELAY_MS));
			return { attempts, redelivery: await deliverSigned(sim, id, other) };
		});
		const forgedStatuses = await pool(
			Array.from({ length: FORGED }, (_, index) => requests[(index * 7) % EVENTS].id),
			IN_FLIGHT,
			(id, index) => deliverSigned(sim, id, index % 2 === 0 ? first : second, index % 2 === 0 ? 'wrong secret' : 'tampered'),
		);

		const unacknowledged = outcomes.filter((outcome) => !outcome.attempts.includes(200));
		assertEqual(unacknowledged.length, 0, `events never acknowledged after ${DELIVERY_ATTEMPTS} attempts`);
		const redeliveries = outcomes.flatMap((outcome) => (outcome.redelivery === undefined ? [] : [outcome.redelivery]));
		assertEqual(redeliveries.filter((status) => status === 200).length, EVENTS / REDELIVER_EVERY, 'redeliveries to the other process acknowledged');
		assertEqual(forgedStatuses.filter((status) => status === 401).length, FORGED, 'forged deliveries refused with 401');

		// Every acknowledged delivery started one execution (a redelivery to the other process too: its trigger cannot
		// know the event); one that timed out may have. Forged ones start none. None may fail: the claim stops the
		// second execution of an event, it does not fail it.
		const attempts = [...outcomes.flatMap((outcome) => outcome.attempts), ...redeliveries];
		const acknowledged = attempts.filter((status) => status === 200).length;
		const maybeStarted = attempts.filter((status) => status === 200 || status === null || status >= 500).length;
		const finished = (await settledExecutions(stack, demo.id, before + acknowledged, 10 * 60_000)) - before;
		assert(
			finished >= acknowledged && finished <= maybeStarted,
			`executions of the demo: ${finished}, expected one per acknowledged delivery (${acknowledged}) and at most one per delivery that was not refused (${maybeStarted}); none for forged ones`,
		);
		const failed = (await stack.api.finishedExecutions(demo.id)).filter((execution) => execution.status !== 'success');
		assertEqual(failed.length, 0, 'failed executions');

		const rows = await allRows(stack, await tableId(stack));
		const keptPerDelivery = new Map<string, number>();
		for (const row of rows) keptPerDelivery.set(String(row.deliveryId), (keptPerDelivery.get(String(row.deliveryId)) ?? 0) + 1);
		const verified = requests.filter((request) => request.verified).map((request) => eeIdDeliveryId(EEID_TEST_CLIENT.clientId, request.id));
		const keptTwice = [...keptPerDelivery].filter(([, count]) => count > 1).map(([deliveryId]) => deliveryId);
		assertEqual(keptTwice, [], 'events kept more than once');
		assertEqual(
			[...keptPerDelivery.keys()].sort(),
			verified.sort(),
			'kept events: every verified one, once; none of those completed by another person',
		);
	},
};

/** Every row of a data table, page by page (a duplicate kept would make more rows than events). */
async function allRows(stack: Stack, dataTableId: string): Promise<Array<Record<string, unknown>>> {
	const rows: Array<Record<string, unknown>> = [];
	for (;;) {
		const page = await stack.api.request<{ count: number; data: Array<Record<string, unknown>> }>(
			'GET',
			`/rest/projects/${stack.projectId}/data-tables/${dataTableId}/rows`,
			undefined,
			{ take: '500', skip: String(rows.length) },
		);
		rows.push(...page.data);
		if (page.data.length === 0 || rows.length >= page.count) return rows;
	}
}

async function tableId(stack: Stack): Promise<string> {
	const table = (await stack.api.dataTables(stack.projectId)).find((candidate) => candidate.name === KEPT_ONCE_TABLE);
	assert(table, `data table "${KEPT_ONCE_TABLE}" is missing`);
	return table.id;
}

export const queueCases: E2ECase[] = [exactlyOnceAcrossProcesses];
