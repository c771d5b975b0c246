/**
 * Webhook burst in real n8n: N signed eeID completion deliveries, made with the eeID sandbox's own payload and signing
 * code, plus N/10 forged ones (after every 10th valid one), sent 50 at a time (a pool of 50 requests in flight, each
 * on a new connection, as a provider's deliveries come) into an active workflow holding only the eeID Trigger at its
 * default settings. Beside it, the same requests into an active workflow holding only n8n's own Webhook node as the
 * editor adds it (typeVersion 2.1; POST, "Respond: Immediately", no authentication): what a user without this package
 * would build, which verifies nothing and so runs the forged deliveries too.
 *
 * Measured: each delivery's acknowledgement latency (request sent → whole answer received) in this process; the
 * executions each workflow recorded (REST API); that every valid delivery ran exactly once (each execution's trigger
 * item names its request) and every forged one was refused. The two bursts alternate which goes first from one N to
 * the next, and the next burst starts only when the previous one's executions have all finished.
 *
 * The eeID Trigger resolves each delivery's request from the eeID API before it answers (its default "Resolve
 * Identification Request"); the sandbox answers that without added latency here. Each workflow gets one warm-up
 * delivery first (so that the eeID credential holds a token, as in steady use), not counted.
 *
 * `webhookBurst` takes a `BenchTarget` (REST client + webhook base URL) so that it runs unchanged against n8n in
 * queue mode, with webhooks answered by webhook processes and executions run by workers.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { EEID_SECOND_CLIENT, EEID_TEST_CLIENT, EEID_WEBHOOK_PATH_MARKER, EeIdSimulator } from '../sandbox/eeid';
import { hmacHex, webhookPayload } from '../sandbox/eeid/webhooks';
import type { StoredRequest } from '../sandbox/eeid/types';
import { packageName } from '../../dev/lib/package';
import type { N8nClient, WorkflowJson } from '../../dev/lib/n8n';
import { productionWebhookUrl } from '../../dev/lib/workflows';
import { freshCredential, type BenchTarget } from './n8n-instance';
import { median, pool, quantile, round, type Result } from './result';

export const IN_FLIGHT = 50;
export const FORGED_EVERY = 10;
export const SETTLE_TIMEOUT_MS = 600_000;
/** How long eeID waits for the answer before it counts the delivery as failed and retries it later. */
const EEID_ACK_TIMEOUT_MS = 10_000;
/** How long this client waits: long enough to see how late a late answer comes. */
const CLIENT_TIMEOUT_MS = 180_000;

interface Delivery {
	body: string;
	signature?: string;
	/** The request it is about. */
	requestId: string;
	forged?: 'body changed after signing' | 'signed with another secret' | 'no signature' | 'signed, but for another eeID service';
}

interface Answer {
	delivery: Delivery;
	status: number | null;
	ms: number;
	error?: string;
}

interface BurstFigures {
	label: string;
	answers: Answer[];
	/** Wall time of the whole burst (ms). */
	ms: number;
	executionsBefore: number;
	executionsAfter: number;
	/** Executions per request id, for the workflows whose items say which request they are about. */
	runsPerRequest?: Map<string, number>;
	failedExecutions: number;
}

function payloadOf(requestId: string, reference: string | null, clientId: string): Record<string, unknown> {
	return webhookPayload({ id: requestId, reference } as StoredRequest, clientId);
}

/** Signed exactly as eeID signs (the sandbox's own code): lower-case hex HMAC-SHA256 of the compact JSON body. */
export function validDelivery(requestId: string, reference: string | null): Delivery {
	const body = JSON.stringify(payloadOf(requestId, reference, EEID_TEST_CLIENT.clientId));
	return { body, signature: hmacHex(EEID_TEST_CLIENT.clientSecret, body), requestId };
}

const FORGERIES: Array<NonNullable<Delivery['forged']>> = [
	'body changed after signing',
	'signed with another secret',
	'no signature',
	'signed, but for another eeID service',
];

function forgedDelivery(requestId: string, reference: string | null, kind: NonNullable<Delivery['forged']>): Delivery {
	const secret = EEID_TEST_CLIENT.clientSecret;
	const own = JSON.stringify(payloadOf(requestId, reference, EEID_TEST_CLIENT.clientId));
	switch (kind) {
		case 'body changed after signing':
			return { body: JSON.stringify(payloadOf(requestId, `${reference ?? ''}-tampered`, EEID_TEST_CLIENT.clientId)), signature: hmacHex(secret, own), requestId, forged: kind };
		case 'signed with another secret':
			return { body: own, signature: hmacHex('not-the-client-secret', own), requestId, forged: kind };
		case 'no signature':
			return { body: own, requestId, forged: kind };
		case 'signed, but for another eeID service': {
			const other = JSON.stringify(payloadOf(requestId, reference, EEID_SECOND_CLIENT.clientId));
			return { body: other, signature: hmacHex(secret, other), requestId, forged: kind };
		}
	}
}

export function post(url: string, delivery: Delivery): Promise<Answer> {
	const headers: Record<string, string | number> = {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(delivery.body),
	};
	if (delivery.signature !== undefined) headers['x-hmac-signature'] = delivery.signature;
	const started = performance.now();
	return new Promise((resolve) => {
		const done = (status: number | null, error?: string) => resolve({ delivery, status, ms: performance.now() - started, error });
		const req = httpRequest(url, { method: 'POST', headers, agent: false, timeout: CLIENT_TIMEOUT_MS }, (res) => {
			res.on('data', () => undefined);
			res.on('end', () => done(res.statusCode ?? null));
			res.on('error', (error) => done(null, error.message));
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${CLIENT_TIMEOUT_MS / 1000} s`)));
		req.on('error', (error) => done(null, error.message));
		req.end(delivery.body);
	});
}

/**
 * Waits until no execution of the workflow is running and the finished count has stood still for a while: 3 s once it
 * reached `expected` (a duplicate run would have shown by then), 15 s below it (some never came).
 */
async function settle(api: N8nClient, workflowId: string, expected: number): Promise<number> {
	const deadline = Date.now() + SETTLE_TIMEOUT_MS;
	let stableSince = Date.now();
	let last = -1;
	for (;;) {
		const state = await api.executionCounts(workflowId);
		if (state.finished !== last || state.open > 0) stableSince = Date.now();
		last = state.finished;
		const still = Date.now() - stableSince;
		if (state.open === 0 && still >= (state.finished >= expected ? 3000 : 15_000)) return state.finished;
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${state.finished} finished, ${state.open} open after ${SETTLE_TIMEOUT_MS / 1000} s (expected ${expected})`);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

interface Receiver {
	label: string;
	/** Whether it checks signatures (and so should refuse the forged deliveries); one that does not runs them all. */
	verifies: boolean;
	workflowId: string;
	url: string;
	/** The node whose first output item names the request (`transactionId`), to count runs per request. */
	triggerNode?: string;
	stop(): Promise<void>;
}

async function activeWorkflow(api: N8nClient, workflow: WorkflowJson): Promise<{ id: string; json: WorkflowJson }> {
	const created = await api.createWorkflow(workflow);
	await api.activateWorkflow(created.id, created.versionId);
	return { id: created.id, json: created };
}

async function deactivate(api: N8nClient, id: string): Promise<void> {
	const workflow = await api.getWorkflow(id);
	await api.request('POST', `/rest/workflows/${id}/deactivate`, { versionId: workflow.versionId }).catch(() => undefined);
}

export async function eeIdTriggerReceiver(
	target: BenchTarget,
	sandboxUrl: string,
	label: string,
	options: Record<string, unknown> = {},
	title = 'eeID Trigger',
): Promise<Receiver> {
	const { api } = target;
	const credential = await freshCredential(api, 'eeIdApi', `bench burst ${label}`, {
		clientId: EEID_TEST_CLIENT.clientId,
		clientSecret: EEID_TEST_CLIENT.clientSecret,
		baseUrl: sandboxUrl,
	});
	const node = {
		id: 'trigger',
		name: 'eeID Trigger',
		type: `${packageName}.eeIdTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { options },
		credentials: { eeIdApi: credential },
	};
	const workflow = await activeWorkflow(api, { name: `bench: webhook burst, eeID Trigger, ${label}`, nodes: [node], connections: {}, settings: { executionOrder: 'v1' } });
	return {
		label: title,
		verifies: true,
		workflowId: workflow.id,
		url: productionWebhookUrl(target.webhookBaseUrl, workflow.json, node.name, EEID_WEBHOOK_PATH_MARKER),
		triggerNode: node.name,
		stop: () => deactivate(api, workflow.id),
	};
}

/** n8n's Webhook node as the editor adds it in n8n 2.40 (typeVersion 2.1, its default): POST, respond immediately. */
export async function webhookNodeReceiver(target: BenchTarget, label: string, typeVersion = 2.1, title = 'Webhook node'): Promise<Receiver> {
	const { api } = target;
	const node = {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: `bench-burst-${randomUUID()}`, options: {} },
	};
	const workflow = await activeWorkflow(api, { name: `bench: webhook burst, Webhook node, ${label}`, nodes: [node], connections: {}, settings: { executionOrder: 'v1' } });
	return {
		label: title,
		verifies: false,
		workflowId: workflow.id,
		url: productionWebhookUrl(target.webhookBaseUrl, workflow.json, node.name),
		stop: () => deactivate(api, workflow.id),
	};
}

async function burst(target: BenchTarget, receiver: Receiver, deliveries: Delivery[], warmUp: Delivery, expectedRuns: number): Promise<BurstFigures> {
	const { api } = target;
	// Activation answers before n8n has registered the production webhook (about a second later in 2.40): until
	// then the warm-up delivery is answered 404 without running anything, and is sent again.
	let warm = await post(receiver.url, warmUp);
	for (const deadline = Date.now() + 60_000; warm.status === 404 && Date.now() < deadline; ) {
		await new Promise((r) => setTimeout(r, 250));
		warm = await post(receiver.url, warmUp);
	}
	if (warm.status !== 200) throw new Error(`${receiver.label}: the warm-up delivery was answered ${warm.status} ${warm.error ?? ''}`);
	const before = await settle(api, receiver.workflowId, 1);
	const started = performance.now();
	const answers = await pool(deliveries, IN_FLIGHT, (delivery) => post(receiver.url, delivery));
	const ms = performance.now() - started;
	const after = await settle(api, receiver.workflowId, before + expectedRuns);
	const figures: BurstFigures = { label: receiver.label, answers, ms, executionsBefore: before, executionsAfter: after, failedExecutions: 0 };
	const ids = (await api.finishedExecutions(receiver.workflowId)).slice(0, after - before);
	figures.failedExecutions = ids.filter((execution) => execution.status !== 'success').length;
	if (receiver.triggerNode) {
		const node = receiver.triggerNode;
		const perRequest = new Map<string, number>();
		const requestIds = await pool(ids, 4, async ({ id }) => {
			const execution = await api.getExecution(id);
			const runs = (execution.runData[node] ?? []) as Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>;
			return String(runs[0]?.data?.main?.[0]?.[0]?.json.transactionId ?? `(execution ${id} names no request)`);
		});
		for (const requestId of requestIds) perRequest.set(requestId, (perRequest.get(requestId) ?? 0) + 1);
		figures.runsPerRequest = perRequest;
	}
	return figures;
}

function latencies(figures: BurstFigures): number[] {
	return figures.answers.filter((answer) => !answer.delivery.forged).map((answer) => answer.ms);
}

function summary(figures: BurstFigures): string {
	const valid = latencies(figures);
	const statuses = new Map<string, number>();
	for (const answer of figures.answers) {
		const key = `${answer.delivery.forged ? 'forged' : 'valid'} → ${answer.status ?? answer.error ?? 'no answer'}`;
		statuses.set(key, (statuses.get(key) ?? 0) + 1);
	}
	return [
		`${figures.label}: ack latency of valid deliveries median ${median(valid).toFixed(1)} ms, p90 ${quantile(valid, 0.9).toFixed(1)} ms, p99 ${quantile(valid, 0.99).toFixed(1)} ms, max ${Math.max(...valid).toFixed(1)} ms`,
		`burst ${(figures.ms / 1000).toFixed(2)} s (${Math.round(figures.answers.length / (figures.ms / 1000))} requests/s)`,
		`answers: ${[...statuses].map(([key, count]) => `${key}: ${count}`).join(', ')}`,
		`executions ${figures.executionsAfter - figures.executionsBefore} (${figures.failedExecutions} not successful)`,
	].join('; ');
}

export async function webhookBurst(target: BenchTarget, sizes: number[], log: (line: string) => void): Promise<Result[]> {
	const sandbox = new EeIdSimulator({});
	const sandboxUrl = await sandbox.start();
	const results: Result[] = [];
	try {
		for (const [index, n] of sizes.entries()) {
			// N completed requests (their automatic webhook is not sent: no URL is configured), one more for the warm-ups.
			const requests = Array.from({ length: n + 1 }, (_, i) =>
				sandbox.createRequestDirect({ reference: `burst-${n}-${i}`, claims_required: [{ type: 'sub', value: 'EE38001085718' }] }),
			);
			for (const request of requests) await sandbox.completeRequest(request.id);
			const [warmRequest, ...burstRequests] = requests;
			const warmUp = validDelivery(warmRequest.id, warmRequest.reference);
			const deliveries: Delivery[] = [];
			for (const [i, request] of burstRequests.entries()) {
				deliveries.push(validDelivery(request.id, request.reference));
				if ((i + 1) % FORGED_EVERY === 0) {
					deliveries.push(forgedDelivery(request.id, request.reference, FORGERIES[(i + 1) / FORGED_EVERY % FORGERIES.length]));
				}
			}
			const forgedCount = deliveries.filter((delivery) => delivery.forged).length;

			const ours = await eeIdTriggerReceiver(target, sandboxUrl, `N=${n}`);
			const plain = await webhookNodeReceiver(target, `N=${n}`);
			const figures = new Map<string, BurstFigures>();
			try {
				const order = index % 2 === 0 ? [ours, plain] : [plain, ours];
				for (const receiver of order) {
					sandbox.clearRequests();
					// A receiver that checks nothing runs the forged deliveries too.
					const expected = receiver.verifies ? n : n + forgedCount;
					const result = await burst(target, receiver, deliveries, warmUp, expected);
					const tokens = sandbox.countRequests({ method: 'POST', path: '/api/auth/v1/token' });
					const lookups = sandbox.countRequests({ method: 'GET', path: '/api/ident/v1/identification_requests/:id' });
					figures.set(receiver.label, result);
					log(`  N=${n} ${summary(result)}${receiver.verifies ? `; eeID API during the burst: ${lookups} request lookups, ${tokens} token requests` : ''}`);
				}
			} finally {
				for (const receiver of [ours, plain]) await receiver.stop();
			}

			const mine = figures.get(ours.label)!;
			const theirs = figures.get(plain.label)!;
			const ratio = median(latencies(mine)) / median(latencies(theirs));
			const p99Ratio = quantile(latencies(mine), 0.99) / quantile(latencies(theirs), 0.99);
			const validNotAcknowledged = mine.answers.filter((answer) => !answer.delivery.forged && answer.status !== 200).length;
			const late = (figures: BurstFigures) => figures.answers.filter((answer) => !answer.delivery.forged && answer.ms > EEID_ACK_TIMEOUT_MS).length;
			const notOnce = burstRequests.filter((request) => (mine.runsPerRequest?.get(request.id) ?? 0) !== 1).length;
			const forgedNotRefused = mine.answers.filter((answer) => answer.delivery.forged && answer.status !== 401).length;
			const strangers = [...(mine.runsPerRequest?.keys() ?? [])].filter((id) => !burstRequests.some((request) => request.id === id)).length;
			results.push({
				name: `eeID webhook burst in n8n, N=${n} (+${forgedCount} forged, ${IN_FLIGHT} in flight): median acknowledgement latency, eeID Trigger / Webhook node`,
				value: round(ratio, 2),
				unit: '×',
				target: 1.2,
				higherIsBetter: false,
				details: [
					summary(mine),
					summary(theirs),
					`p99 ratio ${p99Ratio.toFixed(2)}×; order: ${index % 2 === 0 ? 'eeID Trigger first' : 'Webhook node first'}`,
				],
			});
			results.push({
				name: `eeID webhook burst in n8n, N=${n}: valid deliveries not run exactly once by the eeID Trigger`,
				value: notOnce + validNotAcknowledged + strangers,
				unit: 'deliveries',
				target: 0,
				higherIsBetter: false,
				details: [
					`executions recorded: ${mine.executionsAfter - mine.executionsBefore} for ${n} valid deliveries; requests run other than once: ${notOnce}; valid deliveries not answered 200: ${validNotAcknowledged}; executions about no delivered request: ${strangers}`,
				],
			});
			results.push({
				name: `eeID webhook burst in n8n, N=${n}: forged deliveries not refused by the eeID Trigger (of ${forgedCount})`,
				value: forgedNotRefused,
				unit: 'deliveries',
				target: 0,
				higherIsBetter: false,
				details: [
					`kinds: ${FORGERIES.join(', ')}; each answered 401 and started nothing (a forged copy of a valid delivery that ran would count as a second run above)`,
					`the Webhook node ran all ${n + forgedCount} (${theirs.executionsAfter - theirs.executionsBefore} executions): it verifies nothing`,
				],
			});
			results.push({
				name: `eeID webhook burst in n8n, N=${n}: valid deliveries the eeID Trigger answered after eeID's ${EEID_ACK_TIMEOUT_MS / 1000} s`,
				value: late(mine),
				unit: 'deliveries',
				higherIsBetter: false,
				details: [
					`the Webhook node: ${late(theirs)}; eeID counts a later answer as a failed delivery and sends it again 10 s, 40 s and 100 s after the first; the eeID Trigger acknowledges a repeat without a second run once the first is done, but a repeat that arrives while the first is still being handled runs again (not simulated here)`,
				],
			});
		}
		return results;
	} finally {
		await sandbox.stop();
	}
}
