/**
 * IDnow identity.TM in the harness: its demo workflows (part 1 here, part 2's from ./idnow-part2), how they are
 * prepared, and the end-to-end cases. Each demo goes through a whole Testrobot order, decided on the sandbox's
 * landing page as a person trying the demo would.
 */
import { request as httpRequest } from 'http';

import { IDNOW_TEST_WEBHOOK_TOKEN, type IdnowSimulator } from '../../test/sandbox/idnow';
import { assert, assertEqual, assertNoNewExecution, assertSucceeded, executionsAfter, manualTrigger, runChain, sha256 } from '../lib/check';
import { nodeOutput, type ExecutionDetail } from '../lib/n8n';
import { packageName } from '../lib/package';
import { productionWebhookUrl } from '../lib/workflows';
import { idnowPart2Cases, idnowPart2Workflows } from './idnow-part2';
import type { E2ECase, ProviderHarness, Stack } from './types';
import { demoWorkflow, onWebhookProcess, sandboxOf } from './lookup';

const WITH_TRIGGER = 'idnow-identify-with-trigger.json';
const WITH_WAIT = 'idnow-identify-with-wait-node.json';
const POLLING = 'idnow-poll-open-orders.json';

const TRIGGER_NODE = 'IDnow Trigger';
/** The IDnow Trigger's webhook path (nodes/Idnow/constants.ts). */
const TRIGGER_PATH = 'idnow';

export const IDENTITY_TABLE = 'IDnow verified identities';
const IDENTITY_COLUMNS = [
	'orderId',
	'reference',
	'status',
	'fullName',
	'givenName',
	'familyName',
	'birthDate',
	'nationality',
	'street',
	'postalCode',
	'city',
	'country',
	'documentType',
	'documentNumber',
	'completedAt',
	'method',
	'source',
].map((name) => ({ name, type: 'string' as const }));
const OPEN_TABLE = 'IDnow open orders';
const OPEN_COLUMNS = ['orderId', 'reference', 'state', 'status'].map((name) => ({ name, type: 'string' as const }));

function simulator(stack: Stack): IdnowSimulator {
	return sandboxOf<IdnowSimulator>(stack, 'idnow');
}

const workflow = demoWorkflow;

function identifyUrl(stack: Stack, file: string, person: Record<string, string>): string {
	const base = productionWebhookUrl(stack.n8n.url, workflow(stack, file).json, 'Identification wanted');
	return `${base}?${new URLSearchParams(person)}`;
}

function triggerUrl(stack: Stack): string {
	return productionWebhookUrl(stack.n8n.url, workflow(stack, WITH_TRIGGER).json, TRIGGER_NODE, TRIGGER_PATH);
}

function credentials(stack: Stack) {
	const saved = stack.credentials.get('idnowApi');
	if (!saved) throw new Error('the IDnow credential was not created');
	return { idnowApi: { id: saved.id, name: saved.name } };
}

function reached(execution: ExecutionDetail, nodeName: string) {
	return execution.runData[nodeName] ? nodeOutput(execution, nodeName) : [];
}

/**
 * A negative order whose OnFinal goes to `triggerBase`: waits for the demo's run it starts (the order in "Not
 * verified") and returns it with the sandbox's OnFinal event, for the retry cases to send again.
 */
async function negativeOrderFinished(stack: Stack, ref: string, triggerBase: string, before: number) {
	const demo = workflow(stack, WITH_TRIGGER);
	const sim = simulator(stack);
	const { OrderID } = sim.createOrderDirect({ Product: 12, Ref: ref, WebhookURL: { OnFinal: `${triggerBase}?kind=OnFinal&orderId=[OrderID]&ref=[Ref]&token=${IDNOW_TEST_WEBHOOK_TOKEN}` } });
	sim.completeOrder(String(OrderID), 'negative', { immediate: true });
	const [run] = await waitForExecutions(stack, demo.id, before, 1);
	assertSucceeded(run);
	assertEqual(reached(run, 'Not verified').map((item) => item.json.status), ['failed'], 'the negative order in "Not verified"');
	const event = sim.webhookEvents().find((candidate) => candidate.orderId === OrderID && candidate.kind === 'OnFinal');
	assert(event, 'the sandbox sent no OnFinal');
	return { run, event };
}

async function rows(stack: Stack, table: string, orderId: string) {
	const found = (await stack.api.dataTables(stack.projectId)).find((candidate) => candidate.name === table);
	if (!found) throw new Error(`data table "${table}" is missing`);
	return (await stack.api.dataTableRows(stack.projectId, found.id)).filter((row) => row.orderId === orderId);
}

/**
 * What a person does: opens the demo's identify URL, follows n8n's redirect to IDnow's link (the sandbox's landing
 * page) and picks the Testrobot outcome there. Returns the order.
 */
async function identifyAsPerson(stack: Stack, file: string, ref: string, outcome: 'positive' | 'negative' = 'positive', beforeOutcome?: () => Promise<void>) {
	const res = await fetch(identifyUrl(stack, file, { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.com', ref }), { redirect: 'manual' });
	assert(res.status >= 300 && res.status < 400, `the identify URL answered ${res.status}: ${await res.text()}`);
	const link = res.headers.get('location') ?? '';
	const order = simulator(stack).orders().find((candidate) => candidate.landingUrl === link);
	assert(order, `n8n sent the person to ${link}, which is no order's link in the sandbox`);
	assertEqual([order.ref, order.product], [ref, 12], 'Ref and Product of the created order');
	await beforeOutcome?.();
	const page = await fetch(link, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ outcome, immediate: '1' }),
	});
	assert(page.ok, `the landing page answered ${page.status} to the outcome`);
	return simulator(stack).order(order.orderId);
}

/** The first new execution of a workflow, once n8n has put it to wait. */
async function waitingExecution(stack: Stack, workflowId: string, before: number): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const newer = [...(await stack.api.listExecutions(workflowId))].sort((a, b) => Number(a.id) - Number(b.id)).slice(before);
		if (newer[0]?.status === 'waiting') return;
		if (Date.now() > deadline) throw new Error(`no execution of workflow ${workflowId} is waiting (${newer.map((e) => e.status).join(', ') || 'none'})`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The checks every demo ends with: status, data, PDF and deletion of one verified order. */
async function assertVerifiedAndDeleted(stack: Stack, execution: ExecutionDetail, orderId: string, source: string): Promise<void> {
	assertSucceeded(execution);
	const status = nodeOutput(execution, 'Get status').find((item) => item.json.OrderID === orderId);
	assertEqual([status?.json.final, status?.json.status], [true, 'verified'], `Get status output for ${orderId}`);
	const data = nodeOutput(execution, 'Get data').find((item) => item.json.transactionId === orderId);
	assertEqual([data?.json.verified, data?.json.person?.givenName, data?.json.person?.familyName], [true, 'Erika', 'Mustermann'], `Get data output for ${orderId}`);
	const [pdf] = reached(execution, 'Get PDF');
	if (pdf) {
		assert(pdf.binary?.pdf, 'Get PDF put out no binary "pdf"');
		assertEqual((await stack.api.binaryData(pdf.binary.pdf)).subarray(0, 5).toString(), '%PDF-', 'start of the result PDF');
	}
	const kept = await rows(stack, IDENTITY_TABLE, orderId);
	assertEqual(kept.map((row) => [row.status, row.fullName, row.source]), [['verified', 'Erika Mustermann', source]], 'row kept in the data table');
	assert(simulator(stack).order(orderId).dataDeletedAt !== null, `the data of order ${orderId} was not deleted at IDnow`);
}

/** A GET from another loopback address (the demo trigger allows 127.0.0.1 only), as a caller outside the allowlist. */
async function getFrom(localAddress: string, url: string): Promise<number> {
	return await new Promise((resolve, reject) => {
		const req = httpRequest(url, { method: 'GET', localAddress }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

/** A final order whose OnFinal went nowhere, for calling the trigger by hand. */
function finalOrderWithoutWebhook(stack: Stack, ref: string): string {
	const sim = simulator(stack);
	const { OrderID } = sim.createOrderDirect({ Product: 12, Ref: ref });
	sim.completeOrder(String(OrderID), 'positive', { immediate: true });
	return String(OrderID);
}

function onFinalUrl(stack: Stack, orderId: string, token: string | null): string {
	const query = new URLSearchParams({ kind: 'OnFinal', orderId, ref: 'forgery-check', ...(token === null ? {} : { token }) });
	return `${triggerUrl(stack)}?${query}`;
}

const cases: E2ECase[] = [
	{
		name: 'IDnow demo: create an order, the person is sent to its link, OnFinal runs the IDnow Trigger: status, data, PDF, kept, deleted',
		runs: [WITH_TRIGGER],
		async run(stack) {
			const demo = workflow(stack, WITH_TRIGGER);
			const before = (await stack.api.listExecutions(demo.id)).length;
			const order = await identifyAsPerson(stack, WITH_TRIGGER, 'e2e-trigger-1');
			assertEqual(Object.keys(order.webhookUrls), ['OnFinal'], 'webhook kinds of the order');
			assert(String(order.webhookUrls.OnFinal).startsWith(`${triggerUrl(stack)}?kind=OnFinal&`), `OnFinal goes to ${order.webhookUrls.OnFinal}`);
			const executions = await waitForExecutions(stack, demo.id, before, 2);
			const run = executions.find((execution) => execution.runData[TRIGGER_NODE]);
			assert(run, 'the IDnow Trigger did not run');
			const [event] = nodeOutput(run, TRIGGER_NODE);
			assertEqual([event.json.kind, event.json.OrderID, event.json.Ref, event.json.identity], ['OnFinal', order.orderId, 'e2e-trigger-1', null], 'trigger event');
			await assertVerifiedAndDeleted(stack, run, order.orderId, TRIGGER_NODE);
		},
	},
	{
		name: "IDnow demo: the order's OnFinal is the Wait node's resume URL, and the same execution finishes the order",
		runs: [WITH_WAIT],
		async run(stack) {
			const demo = workflow(stack, WITH_WAIT);
			const before = (await stack.api.listExecutions(demo.id)).length;
			// A person takes minutes at IDnow; the test waits until the execution waits rather than race it.
			const order = await identifyAsPerson(stack, WITH_WAIT, 'e2e-wait-1', 'positive', async () => await waitingExecution(stack, demo.id, before));
			assert(String(order.webhookUrls.OnFinal).includes('/webhook-waiting/'), `OnFinal goes to ${order.webhookUrls.OnFinal}, not to a resume URL`);
			const run = await stack.api.waitForNewExecution(demo.id, before, 60_000);
			await assertVerifiedAndDeleted(stack, run, order.orderId, 'Wait node');
		},
	},
	{
		name: 'IDnow demo: the scheduled check acts once on each order that became final and leaves open ones',
		runs: [POLLING],
		async run(stack) {
			const demo = workflow(stack, POLLING);
			const sim = simulator(stack);
			// Created through the demo, decided later: open at the first check, final at the second.
			const res = await fetch(identifyUrl(stack, POLLING, { firstName: 'Erika', lastName: 'Mustermann', ref: 'e2e-poll-1' }), { redirect: 'manual' });
			assert(res.status >= 300 && res.status < 400, `the identify URL answered ${res.status}`);
			const order = sim.orders().find((candidate) => candidate.landingUrl === res.headers.get('location'));
			assert(order, 'the polling demo created no order');
			assertEqual((await rows(stack, OPEN_TABLE, order.orderId)).map((row) => row.state), ['open'], 'row of the new order');

			const check = async () => {
				const execution = await stack.api.waitForExecution(await stack.api.runManually(demo.id, 'Every 15 minutes'));
				assertSucceeded(execution);
				return execution;
			};
			const first = await check();
			assert(!reached(first, 'Final only').some((item) => item.json.OrderID === order.orderId), 'an open order was acted on');

			const page = await fetch(order.landingUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ outcome: 'positive', immediate: '1' }) });
			assert(page.ok, `the landing page answered ${page.status}`);
			const second = await check();
			assertEqual(reached(second, 'Get data').filter((item) => item.json.transactionId === order.orderId).length, 1, 'identities fetched for the order');
			await assertVerifiedAndDeleted(stack, second, order.orderId, 'schedule');
			assertEqual((await rows(stack, OPEN_TABLE, order.orderId)).map((row) => [row.state, row.status]), [['final', 'verified']], 'row after acting');

			const third = await check();
			assertEqual(reached(third, 'Get status').filter((item) => item.json.OrderID === order.orderId).length, 0, 'checks of a final order');
		},
	},
	{
		name: 'IDnow Trigger: forged calls (no token, wrong token, address outside the allowlist) start nothing',
		async run(stack) {
			const demo = workflow(stack, WITH_TRIGGER);
			const orderId = finalOrderWithoutWebhook(stack, 'forgery-check');
			const before = (await stack.api.listExecutions(demo.id)).length;
			assertEqual((await fetch(onFinalUrl(stack, orderId, null))).status, 401, 'status without a token');
			assertEqual((await fetch(onFinalUrl(stack, orderId, `${IDNOW_TEST_WEBHOOK_TOKEN}0`))).status, 401, 'status with a wrong token');
			assertEqual(await getFrom('127.0.0.2', onFinalUrl(stack, orderId, IDNOW_TEST_WEBHOOK_TOKEN)), 403, 'status from 127.0.0.2');
			await assertNoNewExecution(stack.api, demo.id, before);
		},
	},
	{
		name: 'IDnow Trigger: a retried OnFinal is acknowledged without a second run',
		modes: ['regular'],
		skipReason:
			'the trigger remembers deliveries per n8n process; behind the load balancer a retry may reach the other webhook process, which runs the workflow again (the queue-mode retry case checks both processes)',
		async run(stack) {
			const demo = workflow(stack, WITH_TRIGGER);
			const sim = simulator(stack);
			const before = (await stack.api.listExecutions(demo.id)).length;
			const { event } = await negativeOrderFinished(stack, 'retry-check', triggerUrl(stack), before);
			const retries = await sim.redeliverWebhook(event.id, { times: 2 });
			assertEqual(retries.map((attempt) => attempt.status), [200, 200], 'statuses of the retries');
			await assertNoNewExecution(stack.api, demo.id, before + 1);
		},
	},
	{
		name: 'IDnow Trigger in queue mode: a retried OnFinal to the webhook process that took it is acknowledged without a run; one to the other process may start the demo again, which stops at "Once per event"',
		modes: ['queue'],
		async run(stack) {
			const demo = workflow(stack, WITH_TRIGGER);
			const sim = simulator(stack);
			const [same, other] = [0, 1].map((index) => onWebhookProcess(stack, triggerUrl(stack), index));
			const before = (await stack.api.listExecutions(demo.id)).length;
			const { run, event } = await negativeOrderFinished(stack, 'retry-check-queue', same, before);
			const toSame = await sim.redeliverWebhook(event.id, { times: 1, url: event.url });
			assertEqual(toSame.map((attempt) => attempt.status), [200], 'status of the retry to the same webhook process');
			await assertNoNewExecution(stack.api, demo.id, before + 1);
			const toOther = await sim.redeliverWebhook(event.id, { times: 1, url: other + event.url.slice(same.length) });
			assertEqual(toOther.map((attempt) => attempt.status), [200], 'status of the retry to the other webhook process');
			// That process starts the demo again unless it knows the delivery from n8n's saved static data; such a run
			// stops at the demo's Remove Duplicates on deliveryId (the first run has finished by now), asking IDnow nothing.
			const again = await executionsAfter(stack.api, demo.id, run.id);
			assert(again.length <= 1, `${again.length} executions after a retry to the other webhook process`);
			for (const execution of again) {
				assertSucceeded(execution);
				assertEqual(reached(execution, 'Once per event'), [], 'items past "Once per event" in the run of the retry');
				assert(!execution.runData['Get status'], 'the run of the retry asked IDnow for the status again');
			}
			return `the retry to the other webhook process started ${again.length} more execution(s)`;
		},
	},
	{
		name: 'IDnow node with /crypt: Get Data and Get Data PDF equal the plaintext the sandbox encrypted',
		async run(stack) {
			const sim = simulator(stack);
			const { OrderID } = sim.createOrderDirect({ Product: 12, Ref: 'crypt-check', IdentData: { Firstname: 'Hans', Surname: 'Muster' } });
			sim.completeOrder(String(OrderID), 'positive', { immediate: true });
			const logged = sim.cryptLog().length;
			const idnow = (name: string, parameters: Record<string, unknown>) => ({
				name,
				type: `${packageName}.idnow`,
				typeVersion: 1,
				parameters: { orderId: OrderID, options: {}, ...parameters },
				credentials: credentials(stack),
			});
			const execution = await runChain(stack.api, 'IDnow crypt check', [
				manualTrigger,
				idnow('Get data', { resource: 'identification', operation: 'getData', output: 'raw' }),
				idnow('Get PDF', { resource: 'identification', operation: 'getDataPdf', binaryPropertyName: 'pdf' }),
			]);
			assertSucceeded(execution);
			const [data, pdf] = sim.cryptLog().slice(logged);
			assertEqual([data?.path, pdf?.path], [`/api/2.10/getIdentData/${OrderID}/crypt`, `/api/2.10/getIdentDataPDF/${OrderID}/crypt`], 'calls through /crypt');
			assertEqual(nodeOutput(execution, 'Get data')[0].json, JSON.parse(Buffer.from(data.plaintextBase64!, 'base64').toString('utf8')), 'decrypted identification data');
			const file = nodeOutput(execution, 'Get PDF')[0].binary?.pdf;
			assert(file, 'Get Data PDF put out no binary "pdf"');
			assertEqual(sha256(await stack.api.binaryData(file)), pdf.plaintextSha256, 'sha256 of the decrypted PDF');
		},
	},
];

/** The executions started since `before`, finished, oldest first (one demo call can start several). */
async function waitForExecutions(stack: Stack, workflowId: string, before: number, expected: number): Promise<ExecutionDetail[]> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const all = await stack.api.listExecutions(workflowId);
		if (all.length >= before + expected) {
			const newest = [...all].sort((a, b) => Number(a.id) - Number(b.id)).slice(before);
			return await Promise.all(newest.map((execution) => stack.api.waitForExecution(execution.id)));
		}
		if (Date.now() > deadline) throw new Error(`expected ${expected} new execution(s) of workflow ${workflowId}, found ${all.length - before}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

export const idnow: ProviderHarness = {
	provider: 'idnow',
	workflows: [
		{ file: WITH_TRIGGER, activate: true },
		{ file: WITH_WAIT, activate: true },
		{ file: POLLING, activate: true },
		...idnowPart2Workflows,
	],
	async prepare(stack) {
		await stack.api.ensureDataTable(stack.projectId, IDENTITY_TABLE, IDENTITY_COLUMNS);
		await stack.api.ensureDataTable(stack.projectId, OPEN_TABLE, OPEN_COLUMNS);
	},
	tryFirst(stack) {
		const sandbox = stack.sandboxes.get('idnow')!;
		const person = { firstName: 'Erika', lastName: 'Mustermann', email: 'erika@example.com' };
		const demoUrl = (file: string, node: string) => productionWebhookUrl(stack.n8n.url, workflow(stack, file).json, node);
		const onFinal = `${productionWebhookUrl(stack.n8n.url, workflow(stack, 'idnow-fetch-recordings.json').json, 'Order final', TRIGGER_PATH)}?kind=OnFinal&orderId=[OrderID]&ref=[Ref]&token=${IDNOW_TEST_WEBHOOK_TOKEN}`;
		// A Testrobot order, positive after 20 s, with an ID card valid long enough to be signed again later.
		const testrobotOrder = JSON.stringify({
			Product: 12,
			Ref: 'recordings-1001',
			Autotest: 'POSITIVE',
			IdentData: { Firstname: 'Erika', Surname: 'Mustermann', Birthdate: '1964-08-12', IDCard: { ValidUntil: '2035-12-31' } },
			WebhookURL: { OnFinal: onFinal },
		});
		const signee = 'firstName=Erika&lastName=Mustermann&mobile=%2B491701234567';
		return [
			`IDnow — open in your browser:`,
			`    ${identifyUrl(stack, WITH_TRIGGER, { ...person, ref: 'order-1001' })}`,
			`  n8n ("IDnow: identify a person, results by webhook") creates an order and sends you to its link, the`,
			`  sandbox's page standing in for IDnow. Pick an outcome there (tick "Finish at once", or wait 20 s on the`,
			`  sandbox clock): IDnow calls the IDnow Trigger with OnFinal, and the workflow fetches status, data and PDF,`,
			`  keeps the identity in the data table "${IDENTITY_TABLE}" and deletes the data at IDnow.`,
			`  The same without a trigger (n8n's Wait node): ${identifyUrl(stack, WITH_WAIT, { ...person, ref: 'order-1002' })}`,
			`  Polled instead: ${identifyUrl(stack, POLLING, { ...person, ref: 'order-1003' })}, then run`,
			`  "IDnow: check open orders on a schedule" by hand (Execute workflow).`,
			`  Video and voice recordings ("IDnow: fetch the video and voice recordings"): create a Testrobot order whose`,
			`  OnFinal goes to that workflow's "Order final" trigger:`,
			`    curl -H 'content-type: application/json' -d '${testrobotOrder}' ${sandbox.baseUrl}/__sandbox/idnow/orders`,
			`  20 s later it is final and the workflow requests the video; 60 s after that IDnow calls "Video ready", and`,
			`  the next execution streams the video and the voice files into n8n's binary data (Executions tab).`,
			`  Sign again without identifying again ("IDnow: sign with a previous identification"), once that order is final:`,
			`    ${demoUrl('idnow-sign-with-previous-identification.json', 'Signature wanted')}?earlierOrderId=<its OrderID>&mobile=%2B491701234567&ref=contract-1002`,
			`  Have a PDF signed ("IDnow: have a document signed"), then open the "link" it answers and sign there:`,
			`    curl -F document=@contract.pdf '${demoUrl('idnow-sign-document.json', 'Document to sign')}?${signee}&ref=contract-1001'`,
			`  Both end with the signed PDF (and the audit log) as binary data in their execution.`,
			`  Sandbox controls (orders, webhooks, crypt log, tampering): ${sandbox.baseUrl}/__sandbox/idnow/orders`,
		];
	},
	cases: [...cases, ...idnowPart2Cases],
	browser: {
		search: 'IDnow',
		listed: ['IDnow'],
		trigger: { item: 'IDnow', entry: 'On final' },
		action: { item: 'IDnow', entry: 'Create an order' },
	},
};
