/**
 * eeID in the harness: its demo workflows, how the sandbox is wired to n8n, and its end-to-end cases.
 * Everything here is data or a case; the machinery lives in dev/lib.
 */
import { EEID_SECOND_CLIENT, EEID_TEST_CLIENT, EEID_WEBHOOK_PATH_MARKER, type EeIdSimulator } from '../../test/sandbox/eeid';
import { assert, assertEqual, assertNoNewExecution, assertSucceeded, executionsAfter, manualTrigger, runChain, sha256 } from '../lib/check';
import { nodeOutput, type ExecutionDetail } from '../lib/n8n';
import { packageName } from '../lib/package';
import { productionWebhookUrl } from '../lib/workflows';
import type { E2ECase, ProviderHarness, Stack } from './types';
import { demoWorkflow, onWebhookProcess, sandboxOf } from './lookup';

const IDENTIFY = 'eeid-identify-by-link.json';
const KEEP = 'eeid-keep-verified-identities.json';
const SWEEP = 'eeid-sweep-finished-requests.json';

/** The data table the demo workflows keep identities in (they find it by name). */
export const IDENTITY_TABLE = 'eeID verified identities';
export const IDENTITY_COLUMNS = [
	'transactionId',
	'reference',
	'status',
	'fullName',
	'givenName',
	'familyName',
	'subjectId',
	'birthDate',
	'country',
	'completedAt',
	'source',
].map((name) => ({ name, type: 'string' as const }));

const TRIGGER_NODE = 'eeID Trigger';
/** The eeID Trigger's webhook path (eeID only accepts webhook URLs containing it). */
const TRIGGER_PATH = EEID_WEBHOOK_PATH_MARKER;

function simulator(stack: Stack): EeIdSimulator {
	return sandboxOf<EeIdSimulator>(stack, 'eeid');
}

const workflow = demoWorkflow;

function triggerUrl(stack: Stack): string {
	return productionWebhookUrl(stack.n8n.url, workflow(stack, KEEP).json, TRIGGER_NODE, TRIGGER_PATH);
}

function identifyUrl(stack: Stack, personalCode: string, reference: string): string {
	const base = productionWebhookUrl(stack.n8n.url, workflow(stack, IDENTIFY).json, 'Identification wanted');
	return `${base}?personalCode=${encodeURIComponent(personalCode)}&reference=${encodeURIComponent(reference)}`;
}

async function identityTableId(stack: Stack): Promise<string> {
	const table = (await stack.api.dataTables(stack.projectId)).find((t) => t.name === IDENTITY_TABLE);
	if (!table) throw new Error(`data table "${IDENTITY_TABLE}" is missing`);
	return table.id;
}

async function keptRows(stack: Stack, transactionId: string) {
	const rows = await stack.api.dataTableRows(stack.projectId, await identityTableId(stack));
	return rows.filter((row) => row.transactionId === transactionId);
}

/** Delivers a webhook through the sandbox and returns the status n8n answered with. */
async function deliver(stack: Stack, requestId: string, options: Parameters<EeIdSimulator['deliverWebhook']>[1] = {}) {
	const [delivery] = await simulator(stack).deliverWebhook(requestId, { url: triggerUrl(stack), ...options });
	return delivery;
}

/** A completed request for the webhook cases, created and completed without delivering its webhook. */
async function completedRequest(stack: Stack, reference: string): Promise<string> {
	const sim = simulator(stack);
	const request = sim.createRequestDirect({ reference, claims_required: [{ type: 'sub', value: 'EE38001085718' }] });
	// The e2e sandbox clock is frozen: step it so that every completion has its own time ("newest" is defined).
	sim.clock.advance(1000);
	sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, null);
	try {
		await sim.completeRequest(request.id);
	} finally {
		sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, triggerUrl(stack));
	}
	return request.id;
}

/** Items that reached `nodeName` in an execution, or [] when the node did not run. */
function reached(execution: ExecutionDetail, nodeName: string) {
	return execution.runData[nodeName] ? nodeOutput(execution, nodeName) : [];
}

async function runSweep(stack: Stack): Promise<ExecutionDetail> {
	const sweep = workflow(stack, SWEEP);
	const execution = await stack.api.waitForExecution(await stack.api.runManually(sweep.id, 'Every 15 minutes'));
	assertSucceeded(execution);
	return execution;
}

const cases: E2ECase[] = [
	{
		name: 'eeID demo: the identify link creates a request and redirects to eeID; completing it runs the eeID Trigger workflow',
		runs: [IDENTIFY, KEEP],
		async run(stack) {
			const { api } = stack;
			const identify = workflow(stack, IDENTIFY);
			const keep = workflow(stack, KEEP);
			const keepBefore = (await api.listExecutions(keep.id)).length;
			const identifyBefore = (await api.listExecutions(identify.id)).length;

			// 1. The caller opens the identify URL; n8n answers with a redirect to the request's link.
			const res = await fetch(identifyUrl(stack, 'EE38001085718', 'order-1001'), { redirect: 'manual' });
			assert(res.status >= 300 && res.status < 400, `identify URL answered ${res.status}: ${await res.text()}`);
			const link = res.headers.get('location') ?? '';
			const sim = simulator(stack);
			const request = sim.identificationRequests().find((r) => r.link === link);
			assert(request, `the redirect goes to ${link}, which is not the link of any request in the sandbox`);
			assertEqual(request.reference, 'order-1001', 'reference of the created request');
			assertEqual(request.claims_required, [{ type: 'sub', value: 'EE38001085718' }], 'claims of the created request');
			const identifyRun = await api.waitForNewExecution(identify.id, identifyBefore);
			assertSucceeded(identifyRun);
			const created = nodeOutput(identifyRun, 'Create identification request')[0].json;
			assertEqual(created.link, link, 'link in the eeID node output');
			assertEqual(created.transactionId, request.id, 'transactionId in the eeID node output');
			assertEqual(created.status, 'pending', 'status in the eeID node output');

			// 2. The person identifies on the link's page; the sandbox then calls the eeID Trigger, signed.
			const page = await fetch(link);
			assert(page.ok && (await page.text()).includes('Identify'), `the link's page answered ${page.status}`);
			const done = await fetch(link, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ given_name: 'Mari', family_name: 'Maasikas', sub: 'EE38001085718', birthdate: '1980-01-08' }),
			});
			assert(done.ok, `completing on the link's page answered ${done.status}`);
			assertEqual(sim.identificationRequest(request.id).status, 'completed', 'status in the sandbox');

			// 3. The trigger workflow ran on the signed call and kept the identity.
			const run = await api.waitForNewExecution(keep.id, keepBefore);
			assertSucceeded(run);
			const [event] = nodeOutput(run, TRIGGER_NODE);
			assertEqual(event.json.provider, 'eeid', 'provider');
			assertEqual(event.json.transactionId, request.id, 'transactionId');
			assertEqual(event.json.signatureVerified, true, 'signatureVerified');
			assertEqual(event.json.identity?.person?.fullName, 'Mari Maasikas', 'fullName');
			assertEqual(event.json.identity?.person?.birthDate, '1980-01-08', 'birthDate');
			assertEqual(event.json.identity?.verified, true, 'verified');
			const kept = await keptRows(stack, request.id);
			assertEqual(kept.length, 1, 'rows kept in the data table');
			assertEqual(
				{ reference: kept[0].reference, fullName: kept[0].fullName, subjectId: kept[0].subjectId, status: kept[0].status, source: kept[0].source },
				{ reference: 'order-1001', fullName: 'Mari Maasikas', subjectId: 'EE38001085718', status: 'verified', source: 'webhook' },
				'row kept in the data table',
			);
		},
	},
	{
		name: 'eeID Trigger: the proof-of-identity PDF arrives intact (sha256 equal to the sandbox’s)',
		runs: [KEEP],
		modes: ['regular'],
		skipReason:
			'the trigger stores the PDF in a webhook process before the execution exists; in queue mode (database binary mode) n8n 2.40.7 files it under the temporary execution and GET /rest/binary-data answers 404 for it, so its bytes are checked where n8n reads them instead (the queue-mode proof case)',
		async run(stack) {
			const keep = workflow(stack, KEEP);
			const before = (await stack.api.listExecutions(keep.id)).length;
			const id = await completedRequest(stack, 'proof-check');
			const delivery = await deliver(stack, id);
			assertEqual(delivery.status, 200, 'status of a correctly signed call');
			const run = await stack.api.waitForNewExecution(keep.id, before);
			assertSucceeded(run);
			const [event] = nodeOutput(run, TRIGGER_NODE);
			const proof = event.binary?.proof;
			assert(proof, `the trigger output has no binary "proof" (has ${Object.keys(event.binary ?? {}).join(', ') || 'none'})`);
			assertEqual(proof.mimeType, 'application/pdf', 'mime type of the proof');
			const bytes = await stack.api.binaryData(proof);
			assertEqual(sha256(bytes), sha256(simulator(stack).proofPdf(id)), 'sha256 of the proof PDF');
		},
	},
	{
		name: 'eeID demo: a request completed by another person is not kept (failed, with eeID’s reason)',
		runs: [KEEP],
		async run(stack) {
			const keep = workflow(stack, KEEP);
			const sim = simulator(stack);
			const before = (await stack.api.listExecutions(keep.id)).length;
			const request = sim.createRequestDirect({ reference: 'impostor-check', claims_required: [{ type: 'sub', value: 'EE38001085718' }] });
			sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, null);
			try {
				await sim.completeRequestAs(request.id, 'other');
			} finally {
				sim.setWebhookUrl(EEID_TEST_CLIENT.clientId, triggerUrl(stack));
			}
			assertEqual(sim.identificationRequest(request.id).claims_matched, false, 'claims_matched in the sandbox');
			const delivery = await deliver(stack, request.id);
			assertEqual(delivery.status, 200, 'status of the signed call');
			const run = await stack.api.waitForNewExecution(keep.id, before);
			assertSucceeded(run);
			const [event] = nodeOutput(run, TRIGGER_NODE);
			assertEqual([event.json.status, event.json.verified], ['failed', false], 'status and verified of the event');
			assert(String(event.json.reason ?? '').length > 0, 'the event carries no reason');
			assertEqual(reached(run, 'Keep in data table').length, 0, 'items that reached "Keep in data table"');
			assertEqual(reached(run, 'Not kept').map((item) => item.json.transactionId), [request.id], 'items routed to "Not kept"');
			assertEqual((await keptRows(stack, request.id)).length, 0, 'rows kept for another person');
		},
	},
	{
		name: 'eeID Trigger: refuses forged calls with 401 and records no execution',
		async run(stack) {
			const keep = workflow(stack, KEEP);
			const id = await completedRequest(stack, 'forgery-check');
			const before = (await stack.api.listExecutions(keep.id)).length;
			const forgeries: Array<[string, Parameters<EeIdSimulator['deliverWebhook']>[1]]> = [
				['body changed after signing', { tamper: true }],
				['signed with another secret', { signWith: 'not-the-client-secret' }],
				['no signature', { omitSignature: true }],
				['signed, but for another eeID service', { clientId: EEID_SECOND_CLIENT.clientId }],
			];
			for (const [what, options] of forgeries) {
				const delivery = await deliver(stack, id, options);
				assertEqual(delivery.status, 401, `status for a call ${what}`);
			}
			await assertNoNewExecution(stack.api, keep.id, before);
			assertEqual((await keptRows(stack, id)).length, 0, 'rows kept for forged calls');
		},
	},
	{
		name: 'eeID Trigger: accepts eeID’s re-serialised body and acknowledges a retried delivery without a second run',
		modes: ['regular'],
		skipReason:
			'the trigger remembers deliveries per n8n process; behind the load balancer a retry may reach the other webhook process, which runs the workflow again (the queue-mode retry case checks both processes)',
		async run(stack) {
			const keep = workflow(stack, KEEP);
			const id = await completedRequest(stack, 'retry-check');
			const before = (await stack.api.listExecutions(keep.id)).length;
			const first = await deliver(stack, id, { reformat: true });
			assertEqual(first.status, 200, 'status for a body with other whitespace than the signed one');
			const run = await stack.api.waitForNewExecution(keep.id, before);
			assertSucceeded(run);
			const retry = await deliver(stack, id);
			assertEqual(retry.status, 200, 'status for a retried delivery');
			await assertNoNewExecution(stack.api, keep.id, before + 1);
			assertEqual((await keptRows(stack, id)).length, 1, 'rows kept after a retried delivery');
		},
	},
	{
		name: 'eeID Trigger in queue mode: a retry to the webhook process that took the delivery is acknowledged without a run; one to the other process may run again, and the demo’s “Once per event” keeps the identity once',
		modes: ['queue'],
		async run(stack) {
			const { api } = stack;
			const keep = workflow(stack, KEEP);
			const id = await completedRequest(stack, 'retry-check-queue');
			const [same, other] = [0, 1].map((index) => onWebhookProcess(stack, triggerUrl(stack), index));
			const before = (await api.listExecutions(keep.id)).length;
			assertEqual((await deliver(stack, id, { reformat: true, url: same })).status, 200, 'status for a body with other whitespace than the signed one');
			const run = await api.waitForNewExecution(keep.id, before);
			assertSucceeded(run);
			assertEqual((await deliver(stack, id, { url: same })).status, 200, 'status for a retry to the same webhook process');
			await assertNoNewExecution(api, keep.id, before + 1);
			assertEqual((await deliver(stack, id, { url: other })).status, 200, 'status for a retry to the other webhook process');
			// That process knows the delivery only if n8n saved the first one's static data (2.40 does so only while it
			// was empty): it may run the workflow again. Either way nothing passes "Once per event" twice.
			const again = await executionsAfter(api, keep.id, run.id);
			assert(again.length <= 1, `${again.length} executions after a retry to the other webhook process`);
			for (const execution of again) {
				assertSucceeded(execution);
				assertEqual(reached(execution, 'Once per event').length, 0, 'items past "Once per event" in the run of the retry');
			}
			assertEqual((await keptRows(stack, id)).length, 1, 'rows kept after retries to both webhook processes');
			return `the retry to the other webhook process started ${again.length} more execution(s)${again.length ? ', stopped at "Once per event"' : ''}`;
		},
	},
	{
		name: 'eeID Trigger in queue mode: the proof PDF a webhook process stored is read intact by a worker (sha256 by n8n’s Crypto node); GET /rest/binary-data answers 404 for it (filed under the temporary execution)',
		modes: ['queue'],
		async run(stack) {
			const { api } = stack;
			// The demo's trigger on its own URL, followed by n8n's Crypto node, which reads the file in the worker.
			const trigger = JSON.parse(JSON.stringify(workflow(stack, KEEP).json.nodes.find((node) => node.name === TRIGGER_NODE)));
			Object.assign(trigger, { id: 'e2e-proof-trigger', webhookId: '6f3b2a1e-5c4d-4e8f-9a0b-ee1d0000e2e1', position: [0, 0] });
			const hash = {
				id: 'e2e-proof-hash',
				name: 'Hash the proof',
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [220, 0],
				parameters: { action: 'hash', type: 'SHA256', binaryData: true, binaryPropertyName: 'proof', dataPropertyName: 'sha256', encoding: 'hex' },
			};
			const created = await api.createWorkflow({
				name: 'e2e: eeID proof read by a worker',
				nodes: [trigger, hash],
				connections: { [TRIGGER_NODE]: { main: [[{ node: hash.name, type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});
			const activation = await api.activateWorkflow(created.id, created.versionId);
			assert(activation.active !== false, 'the proof workflow did not activate');
			const url = productionWebhookUrl(stack.n8n.url, { ...created, nodes: [trigger, hash] }, TRIGGER_NODE, TRIGGER_PATH);
			const id = await completedRequest(stack, 'proof-check-queue');
			// Publishing returns before every webhook process knows the new webhook: its URL answers 404 for a moment.
			let delivery = await deliver(stack, id, { url });
			for (const deadline = Date.now() + 15_000; delivery.status === 404 && Date.now() < deadline; ) {
				await new Promise((resolve) => setTimeout(resolve, 250));
				delivery = await deliver(stack, id, { url });
			}
			assertEqual(delivery.status, 200, 'status of a correctly signed call');
			const run = await api.waitForNewExecution(created.id, 0);
			assertSucceeded(run);
			const expected = sha256(simulator(stack).proofPdf(id));
			assertEqual(nodeOutput(run, hash.name)[0].json.sha256, expected, 'sha256 of the proof PDF as the worker read it');
			const proofId = String(nodeOutput(run, TRIGGER_NODE)[0].binary?.proof?.id ?? '');
			assert(proofId.startsWith('database:'), `the proof is not in the database binary store (${proofId})`);
			const answer = await api.raw('GET', '/rest/binary-data', undefined, { id: proofId, action: 'download' });
			assertEqual(answer.status, 404, 'GET /rest/binary-data for a file a trigger stored (if n8n serves it now, run the REST check in queue mode too)');
			const rows = await stack.queue!.query<{ sourceType: string; sourceId: string; fileSize: number }>(
				'SELECT "sourceType", "sourceId", "fileSize" FROM binary_data WHERE "fileId" = $1',
				[proofId.slice('database:'.length)],
			);
			assertEqual(rows.map((row) => [row.sourceType, row.sourceId]), [['execution', 'temp']], 'where n8n filed the proof (binary_data)');
		},
	},
	{
		name: 'eeID demo: the scheduled sweep acts once on each finished request and leaves pending ones',
		runs: [SWEEP],
		async run(stack) {
			const sim = simulator(stack);
			// Requests completed earlier in this run are finished too: the first sweep handles them all once.
			const pending = sim.createRequestDirect({ reference: 'sweep-pending', claims_required: [{ type: 'sub', value: 'EE38001085718' }] });
			const expired = sim.createRequestDirect({ reference: 'sweep-expired', claims_required: [{ type: 'sub', value: 'EE38001085718' }] });
			sim.expireRequest(expired.id);
			const completed = await completedRequest(stack, 'sweep-completed');

			const first = await runSweep(stack);
			const keptIds = reached(first, 'Keep in data table').map((item) => item.json.transactionId);
			const askedIds = reached(first, 'Ask again').map((item) => item.json.transactionId);
			assert(keptIds.includes(completed), 'the completed request was not kept by the first sweep');
			// Everything else that finished is followed up: the expired link, and earlier cases' mismatched people.
			assert(askedIds.includes(expired.id), `the expired request was not followed up (followed up: ${askedIds.join(', ')})`);
			const askedStatuses = reached(first, 'Ask again').map((item) => item.json.status);
			assert(askedStatuses.every((status) => status === 'expired' || status === 'failed'), `followed up with statuses ${askedStatuses.join(', ')}`);
			assert(!keptIds.includes(pending.id) && !askedIds.includes(pending.id), 'the pending request was acted on');
			const row = (await keptRows(stack, completed))[0];
			assertEqual(row?.source, 'sweep', 'source of the row the sweep kept');

			const second = await runSweep(stack);
			assertEqual(reached(second, 'Not handled before').length, 0, 'requests the second sweep acts on');

			await sim.completeRequest(pending.id);
			const third = await runSweep(stack);
			assertEqual(
				reached(third, 'Keep in data table').map((item) => item.json.transactionId),
				[pending.id],
				'requests kept by the sweep after the pending one completed',
			);
		},
	},
	{
		name: 'eeID node: "Get Proof of Identity" puts out the PDF intact; "Get" returns the normalized identity',
		async run(stack) {
			const id = await completedRequest(stack, 'action-check');
			const credentials = { eeIdApi: { id: stack.credentials.get('eeIdApi')!.id, name: stack.credentials.get('eeIdApi')!.name } };
			const execution = await runChain(stack.api, 'eeID get + proof', [
				manualTrigger,
				{
					name: 'Get',
					type: `${packageName}.eeId`,
					typeVersion: 1,
					parameters: { resource: 'identificationRequest', operation: 'get', requestId: id, output: 'normalized', options: {} },
					credentials,
				},
				{
					name: 'Proof',
					type: `${packageName}.eeId`,
					typeVersion: 1,
					parameters: {
						resource: 'identificationRequest',
						operation: 'getProofOfIdentity',
						requestId: '={{ $json.transactionId }}',
						binaryPropertyName: 'pdf',
						options: {},
					},
					credentials,
				},
			]);
			assertSucceeded(execution);
			const [got] = nodeOutput(execution, 'Get');
			assertEqual([got.json.transactionId, got.json.status, got.json.reference], [id, 'verified', 'action-check'], 'Get output');
			const [proof] = nodeOutput(execution, 'Proof');
			const pdf = proof.binary?.pdf;
			assert(pdf, `"Get Proof of Identity" put out no binary "pdf" (has ${Object.keys(proof.binary ?? {}).join(', ') || 'none'})`);
			assertEqual(sha256(await stack.api.binaryData(pdf)), sha256(simulator(stack).proofPdf(id)), 'sha256 of the proof PDF');
		},
	},
	{
		name: 'eeID Poll Trigger: a manual run shows the newest completed request',
		async run(stack) {
			const id = await completedRequest(stack, 'poll-check');
			const execution = await runChain(stack.api, 'eeID poll trigger', [
				{
					name: 'eeID Poll Trigger',
					type: `${packageName}.eeIdPollTrigger`,
					typeVersion: 1,
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, includeExpired: false },
					credentials: { eeIdApi: { id: stack.credentials.get('eeIdApi')!.id, name: 'eeID sandbox' } },
				},
			]);
			assertSucceeded(execution);
			const items = nodeOutput(execution, 'eeID Poll Trigger');
			assertEqual(items.map((item) => [item.json.transactionId, item.json.status]), [[id, 'verified']], 'poll trigger output');
		},
	},
];

export const eeid: ProviderHarness = {
	provider: 'eeid',
	workflows: [
		{ file: IDENTIFY, activate: true },
		{ file: KEEP, activate: true },
		{ file: SWEEP, activate: false },
	],
	async prepare(stack) {
		await stack.api.ensureDataTable(stack.projectId, IDENTITY_TABLE, IDENTITY_COLUMNS);
	},
	async wire(stack) {
		const url = triggerUrl(stack);
		simulator(stack).setWebhookUrl(EEID_TEST_CLIENT.clientId, url);
		return [`eeID sandbox sends completion webhooks (client ${EEID_TEST_CLIENT.clientId}) to ${url}`];
	},
	tryFirst(stack) {
		const sandbox = stack.sandboxes.get('eeid')!;
		return [
			`eeID — open in your browser:`,
			`    ${identifyUrl(stack, 'EE38001085718', 'order-1001')}`,
			`  n8n ("eeID: identify a person by link") creates an identification request and sends you to its link,`,
			`  the eeID sandbox's page. Click "Identify" there: eeID calls the eeID Trigger, and`,
			`  "eeID: keep verified identities" keeps the identity in the data table "${IDENTITY_TABLE}"`,
			`  (Overview → Data tables) with the proof PDF in the execution (Executions tab).`,
			`  Try "Identify as another person" on a second link: eeID completes it, but the person does not`,
			`  match, so the workflow does not keep them ("Not kept", with eeID's reason).`,
			`  Then run "eeID: sweep finished identification requests" by hand (Execute workflow).`,
			`  Sandbox controls (expire a request, replay or forge a webhook): ${sandbox.baseUrl}/__sandbox/`,
		];
	},
	cases,
	browser: {
		search: 'eeID',
		// The eeID Trigger is listed inside the "eeID" entry (n8n merges a node and its trigger).
		listed: ['eeID', 'eeID Poll Trigger'],
		trigger: { item: 'eeID', entry: 'On new eeID event' },
		action: { item: 'eeID', entry: 'Create an identification request' },
	},
};
