/**
 * IDnow part 2 in the harness (recordings, eSign, phone verification, sign-me, system, account): its demo workflows
 * and end-to-end cases, added to the IDnow harness in ./idnow.ts. The demos' signees sign on the sandbox's landing
 * page, as a person trying them would; node behaviour no demo shows runs in throw-away workflows (runChain).
 */
import {
	DEFAULT_ACCOUNT_SETTINGS,
	IDNOW_TEST_ACCOUNT,
	IDNOW_TEST_WEBHOOK_TOKEN,
	type IdnowSimulator,
	type IdnowOrderView,
} from '../../test/sandbox/idnow';
import { samplePdf } from '../../test/sandbox/idnow/testing';
import { assert, assertEqual, assertSucceeded, manualTrigger, runChain, sha256 } from '../lib/check';
import { nodeOutput, type ExecutionDetail } from '../lib/n8n';
import { packageName } from '../lib/package';
import { productionWebhookUrl } from '../lib/workflows';
import type { DemoWorkflow, E2ECase, Stack } from './types';
import { demoWorkflow, sandboxOf } from './lookup';

const SIGN_AGAIN = 'idnow-sign-with-previous-identification.json';
const SIGN_DOCUMENT = 'idnow-sign-document.json';
const RECORDINGS = 'idnow-fetch-recordings.json';
/** The IDnow Trigger's webhook path (nodes/Idnow/constants.ts). */
const TRIGGER_PATH = 'idnow';
const MOBILE = '+491701234567';
/** The video provisioning delay of the sandbox account (getVideoFileBinaryAsync → ready), on its frozen clock. */
const PROVISIONING_DELAY_MS = DEFAULT_ACCOUNT_SETTINGS.videoProvisioningDelayMs;

export const idnowPart2Workflows: DemoWorkflow[] = [
	{ file: SIGN_AGAIN, activate: true },
	{ file: SIGN_DOCUMENT, activate: true },
	{ file: RECORDINGS, activate: true },
];

function simulator(stack: Stack): IdnowSimulator {
	return sandboxOf<IdnowSimulator>(stack, 'idnow');
}

const workflow = demoWorkflow;

/** An IDnow node for a throw-away workflow, with the instance's IDnow credential (which holds the AES key). */
function idnowNode(stack: Stack, name: string, parameters: Record<string, unknown>) {
	const saved = stack.credentials.get('idnowApi');
	if (!saved) throw new Error('the IDnow credential was not created');
	return {
		name,
		type: `${packageName}.idnow`,
		typeVersion: 1,
		parameters: { options: {}, ...parameters },
		credentials: { idnowApi: { id: saved.id, name: saved.name } },
	};
}

/** What IDnow itself answers, asked directly as the test account: the reference the node's output is compared with. */
async function idnowAnswer(stack: Stack, path: string): Promise<Response> {
	const basic = Buffer.from(`${IDNOW_TEST_ACCOUNT.user}:${IDNOW_TEST_ACCOUNT.password}`).toString('base64');
	const response = await fetch(`${simulator(stack).apiBaseUrl}/${path}`, { headers: { authorization: `Basic ${basic}` } });
	assert(response.ok, `the sandbox answered ${response.status} to ${path}`);
	return response;
}

async function signedPdfHashes(stack: Stack, orderId: string): Promise<string[]> {
	const answer = (await (await idnowAnswer(stack, `getESignPDF/${orderId}`)).json()) as { PDFs: Array<{ Base64Data: string }> };
	return answer.PDFs.map((pdf) => sha256(Buffer.from(pdf.Base64Data, 'base64')));
}

async function storedSha256(stack: Stack, binary: Parameters<Stack['api']['binaryData']>[0] | undefined, what: string): Promise<string> {
	assert(binary, `${what}: no binary`);
	return sha256(await stack.api.binaryData(binary));
}

/** The executions of a workflow started since `before`, oldest first. */
async function newExecutions(stack: Stack, workflowId: string, before: number) {
	return [...(await stack.api.listExecutions(workflowId))].sort((a, b) => Number(a.id) - Number(b.id)).slice(before);
}

/** Waits until the demo's execution waits for OnFinal (its Wait node), so that the order's webhook finds it. */
async function untilWaiting(stack: Stack, workflowId: string, before: number): Promise<string> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const [execution] = await newExecutions(stack, workflowId, before);
		if (execution?.status === 'waiting') return execution.id;
		if (Date.now() > deadline) throw new Error(`no execution of workflow ${workflowId} is waiting (${execution?.status ?? 'none started'})`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The signee picks "positive, at once" on the order's landing page; returns the order once final. */
async function signOnLandingPage(stack: Stack, order: IdnowOrderView): Promise<IdnowOrderView> {
	const page = await fetch(order.landingUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ outcome: 'positive', immediate: '1' }),
	});
	assert(page.ok, `the landing page answered ${page.status}`);
	await simulator(stack).settle();
	const signed = simulator(stack).order(order.orderId);
	assert(signed.final && signed.statuses.some((entry) => entry.kind === 84), `order ${order.orderId} was not signed`);
	return signed;
}

/** A positively identified order whose identification can be signed again (names, birth date, ID card valid). */
function earlierIdentification(stack: Stack, ref: string): string {
	const sim = simulator(stack);
	const { OrderID } = sim.createOrderDirect({
		Product: 12,
		Ref: ref,
		IdentData: { Firstname: 'Erika', Surname: 'Mustermann', Birthdate: '1964-08-12', IDCard: { ValidUntil: '2035-12-31' } },
	});
	sim.completeOrder(String(OrderID), 'positive', { immediate: true });
	return String(OrderID);
}

/** An error a node put out in an execution, with n8n's description of it. */
function nodeError(execution: ExecutionDetail, nodeName: string): { message?: string; description?: string } {
	const error = execution.runData[nodeName]?.at(-1)?.error as { message?: string; description?: string } | undefined;
	assert(error, `node "${nodeName}" did not fail (execution ${execution.id} ended ${execution.status})`);
	return error;
}

/** A demo's IDnow Trigger URL for one kind, as IDnow would be given it (the credential's Webhook Token included). */
function demoTriggerUrl(stack: Stack, file: string, nodeName: string, kind: string): string {
	const base = productionWebhookUrl(stack.n8n.url, workflow(stack, file).json, nodeName, TRIGGER_PATH);
	return `${base}?kind=${kind}&orderId=[OrderID]&ref=[Ref]&token=${IDNOW_TEST_WEBHOOK_TOKEN}`;
}

/** n8n's binary data mode as the instance reports it (N8N_DEFAULT_BINARY_DATA_MODE, else its default). */
async function binaryDataMode(stack: Stack): Promise<unknown> {
	const settings = await stack.api.request<{ binaryDataMode?: unknown }>('GET', '/rest/settings');
	return settings?.binaryDataMode;
}

/**
 * The binary data mode the stack runs n8n in: `filesystem` for one process (n8n 2.x's default; set for 1.x), and
 * n8n 2.x's own default in queue mode, `database`: files in its `binary_data` table, where every process finds them
 * (a filesystem store would be each process's own).
 */
function expectedBinaryStore(stack: Stack): 'filesystem' | 'database' {
	return stack.executionsMode === 'queue' ? 'database' : 'filesystem';
}

/** The first `count` executions of a workflow started since `before`, finished, oldest first. */
async function finishedExecutions(stack: Stack, workflowId: string, before: number, count: number): Promise<ExecutionDetail[]> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const started = await newExecutions(stack, workflowId, before);
		if (started.length >= count) {
			return await Promise.all(started.slice(0, count).map((execution) => stack.api.waitForExecution(execution.id)));
		}
		if (Date.now() > deadline) throw new Error(`expected ${count} new execution(s) of workflow ${workflowId}, found ${started.length}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

export const idnowPart2Cases: E2ECase[] = [
	{
		name: "IDnow demo: a Testrobot order's OnFinal requests the video, the Video Ready callback stores video and voice files in n8n's binary store (filesystem; database in queue mode), sha256 equal to the sandbox's",
		runs: [RECORDINGS],
		async run(stack) {
			const demo = workflow(stack, RECORDINGS);
			const sim = simulator(stack);
			const store = expectedBinaryStore(stack);
			assertEqual(await binaryDataMode(stack), store, "n8n's binary data mode (GET /rest/settings)");
			// Larger than any buffer on the way and no multiple of a chunk, so a video held in memory or cut short would show.
			sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: 12 * 1024 * 1024 + 7 });
			try {
				const before = (await stack.api.listExecutions(demo.id)).length;
				const { OrderID } = sim.createOrderDirect({
					Product: 12,
					Ref: 'e2e-recordings-1',
					Autotest: 'POSITIVE',
					WebhookURL: { OnFinal: demoTriggerUrl(stack, RECORDINGS, 'Order final', 'OnFinal') },
				});
				const orderId = String(OrderID);
				// The Testrobot decides on the sandbox clock; its OnFinal starts the first execution.
				await sim.advanceClock(sim.account(IDNOW_TEST_ACCOUNT.user).testrobotDelayMs);
				assert(sim.order(orderId).final, `the Testrobot did not finish order ${orderId}`);
				const [requested] = await finishedExecutions(stack, demo.id, before, 1);
				assertSucceeded(requested);
				assertEqual(nodeOutput(requested, 'Order final')[0].json.kind, 'OnFinal', 'event of the first execution');
				assertEqual(nodeOutput(requested, 'Request video provisioning')[0].json, { OrderID: orderId, videoProvisioningRequested: true }, 'Request Video Provisioning output');
				assert(sim.order(orderId).video.requestedAt !== null, 'IDnow was not asked for the video');
				const early = await sim.videoInfo(orderId);
				assert(!early.provisioned, 'the video was ready before the provisioning delay');

				// Provisioning takes its delay on the sandbox clock; then IDnow calls the callback URL.
				const logged = sim.cryptLog().length;
				const attempts = await sim.advanceClock(sim.account(IDNOW_TEST_ACCOUNT.user).videoProvisioningDelayMs);
				const callback = attempts.find((attempt) => attempt.webhook === 'VideoReady' && attempt.orderId === orderId);
				assert(callback, 'IDnow sent no Video Ready callback');
				const readyUrl = productionWebhookUrl(stack.n8n.url, demo.json, 'Video ready', TRIGGER_PATH);
				assert(callback.url.startsWith(`${readyUrl}?kind=VideoReady&orderId=${orderId}&`), `the callback went to ${callback.url}, not to the "Video ready" trigger`);
				assertEqual([callback.status, callback.acknowledged], [200, true], 'answer to the callback');
				const info = await sim.videoInfo(orderId);
				assert(info.provisioned, 'the sandbox did not provision the video');

				const [fetched] = await finishedExecutions(stack, demo.id, before + 1, 1);
				assertSucceeded(fetched);
				assertEqual(nodeOutput(fetched, 'Video ready')[0].json.kind, 'VideoReady', 'event of the second execution');
				const [video] = nodeOutput(fetched, 'Get video');
				assertEqual(
					[video.json.OrderID, video.json.decrypted, video.json.mimeType, video.json.bytes, video.json.videoReadyConfirmed, video.json.warning],
					[orderId, true, info.mime, info.length, true, null],
					'Get Video output',
				);
				assert(String(video.binary?.video?.id ?? '').startsWith(store), `the video is not in the ${store} store (${video.binary?.video?.id})`);
				assertEqual(await storedSha256(stack, video.binary?.video, 'Get video'), info.sha256, 'sha256 of the decrypted video');

				const [voice] = nodeOutput(fetched, 'Get voice files');
				const expected = ((await (await idnowAnswer(stack, `getVoiceFiles/${orderId}`)).json()) as { Voicefiles: Array<{ Base64Data: string }> }).Voicefiles;
				assert(expected.length > 0, 'the sandbox has no voice file for the order');
				const fields = expected.map((_, index) => `voice_${index}`);
				assertEqual(Object.keys(voice.binary ?? {}), fields, 'binary fields of Get Voice Files');
				for (const field of fields) {
					assert(String(voice.binary?.[field]?.id ?? '').startsWith(store), `voice file ${field} is not in the ${store} store`);
				}
				assertEqual(
					await Promise.all(fields.map((field) => storedSha256(stack, voice.binary?.[field], `Get voice files ${field}`))),
					expected.map((file) => sha256(Buffer.from(file.Base64Data, 'base64'))),
					'sha256 of the voice files',
				);
				assertEqual(
					sim.cryptLog().slice(logged).map((entry) => entry.path).sort(),
					[`/api/2.10/getVideoFileBinary/${orderId}/crypt`, `/api/2.10/getVoiceFiles/${orderId}/crypt`].sort(),
					'calls through /crypt',
				);
			} finally {
				sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: DEFAULT_ACCOUNT_SETTINGS.videoSizeBytes });
			}
		},
	},
	{
		name: 'IDnow demo (chapter 7): the signed data of an earlier identification signs a new contract without a new identification; signed PDFs back',
		runs: [SIGN_AGAIN],
		async run(stack) {
			const demo = workflow(stack, SIGN_AGAIN);
			const sim = simulator(stack);
			const earlier = earlierIdentification(stack, 'e2e-earlier-7');
			const before = (await stack.api.listExecutions(demo.id)).length;
			const url = `${productionWebhookUrl(stack.n8n.url, demo.json, 'Signature wanted')}?${new URLSearchParams({ earlierOrderId: earlier, mobile: MOBILE, ref: 'e2e-sign-again-7' })}`;
			const res = await fetch(url, { redirect: 'manual' });
			assert(res.status >= 300 && res.status < 400, `the demo URL answered ${res.status}: ${await res.text()}`);
			const order = sim.orders().find((candidate) => candidate.landingUrl === res.headers.get('location'));
			assert(order, `n8n sent the signee to ${res.headers.get('location')}, which is no order's link in the sandbox`);
			assertEqual([order.product, order.ref, order.signedDataAccepted], [15, 'e2e-sign-again-7', true], 'Product, Ref and SignedDataAccepted of the new order');
			await untilWaiting(stack, demo.id, before);

			await signOnLandingPage(stack, order);
			// Accepted signed data: straight to signing, no identification steps (sub-status 19, then 20).
			assertEqual(sim.order(order.orderId).statuses.slice(1, 3).map((entry) => [entry.kind, entry.subKind]), [[6, 19], [23, 20]], 'first statuses of the new order');
			const run = await stack.api.waitForNewExecution(demo.id, before, 60_000);
			assertSucceeded(run);
			const [signedData] = nodeOutput(run, 'Get signed identification data');
			assertEqual([signedData.json.OrderID, typeof signedData.json.IdentDataSigned], [earlier, 'string'], 'Get signed identification data output');
			assertEqual(nodeOutput(run, 'Create signing order')[0].json.SignedDataAccepted, true, 'SignedDataAccepted in the Create output');
			const [pdfs] = nodeOutput(run, 'Get signed PDFs');
			assertEqual([await storedSha256(stack, pdfs.binary?.signed_0, 'Get signed PDFs')], await signedPdfHashes(stack, order.orderId), 'sha256 of the signed PDF');
		},
	},
	{
		name: "IDnow demo: a document from the previous node is signed; the signed PDF and the audit log equal the sandbox's (sha256)",
		runs: [SIGN_DOCUMENT],
		async run(stack) {
			const demo = workflow(stack, SIGN_DOCUMENT);
			const sim = simulator(stack);
			const before = (await stack.api.listExecutions(demo.id)).length;
			const query = new URLSearchParams({ firstName: 'Erika', lastName: 'Mustermann', mobile: MOBILE, ref: 'e2e-sign-document-1' });
			const form = new FormData();
			form.append('document', new Blob([samplePdf('Rental agreement')], { type: 'application/pdf' }), 'rental.pdf');
			const res = await fetch(`${productionWebhookUrl(stack.n8n.url, demo.json, 'Document to sign')}?${query}`, { method: 'POST', body: form });
			assert(res.ok, `the demo URL answered ${res.status}: ${await res.clone().text()}`);
			const answer = (await res.json()) as { orderId: string; link: string };
			const order = sim.order(answer.orderId);
			assertEqual([order.product, order.add, order.landingUrl], [15, 128, answer.link], 'Product, Add and link of the order');
			// One document may be sent as an object or an array (3.1.4).
			const received = [order.body.eSignPDF].flat() as Array<{ Data: string }>;
			assertEqual(received.map((document) => sha256(Buffer.from(document.Data, 'base64'))), [sha256(samplePdf('Rental agreement'))], 'the document IDnow received');
			await untilWaiting(stack, demo.id, before);

			await signOnLandingPage(stack, order);
			const run = await stack.api.waitForNewExecution(demo.id, before, 60_000);
			assertSucceeded(run);
			const [pdfs] = nodeOutput(run, 'Get signed PDFs');
			assertEqual([await storedSha256(stack, pdfs.binary?.signed_0, 'Get signed PDFs')], await signedPdfHashes(stack, order.orderId), 'sha256 of the signed PDF');
			const [log] = nodeOutput(run, 'Get audit log');
			const expectedLog = sha256(Buffer.from(await (await idnowAnswer(stack, `getESignAuditLogPDF/${order.orderId}`)).arrayBuffer()));
			assertEqual(await storedSha256(stack, log.binary?.auditLog, 'Get audit log'), expectedLog, 'sha256 of the audit log');
		},
	},
	{
		name: "IDnow node: Get Video through /crypt into n8n's binary store (filesystem, streamed; database in queue mode), sha256 equal to the sandbox's",
		async run(stack) {
			const sim = simulator(stack);
			// Larger than any buffer on the way, so a video held in memory would show.
			sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: 24 * 1024 * 1024 + 5 });
			try {
				const { OrderID } = sim.createOrderDirect({ Product: 12, Ref: 'e2e-video-1' });
				const orderId = String(OrderID);
				sim.completeOrder(orderId, 'positive', { immediate: true });
				const request = await runChain(stack.api, 'IDnow video provisioning', [
					manualTrigger,
					idnowNode(stack, 'Request video', {
						resource: 'recording',
						operation: 'requestVideoProvisioning',
						orderId,
						callbackTarget: 'custom',
						// Any URL that answers 200 acknowledges the callback; the case reads the sandbox's state instead.
						callbackUrl: `${stack.n8n.url}/healthz?videoReady=[OrderID]`,
					}),
				]);
				assertSucceeded(request);
				await sim.advanceClock(PROVISIONING_DELAY_MS);
				const info = await sim.videoInfo(orderId);
				assert(info.provisioned, 'the sandbox did not provision the video');
				const logged = sim.cryptLog().length;
				const execution = await runChain(stack.api, 'IDnow video download', [
					manualTrigger,
					idnowNode(stack, 'Get video', { resource: 'recording', operation: 'getVideo', orderId, options: { videoReady: true } }),
				]);
				assertSucceeded(execution);
				const [video] = nodeOutput(execution, 'Get video');
				assertEqual([video.json.decrypted, video.json.mimeType, video.json.bytes, video.json.warning], [true, 'video/mp4', info.length, null], 'Get Video output');
				const calls = sim.cryptLog().slice(logged).map((entry) => entry.path).filter((path) => path.includes(`/${orderId}/`));
				assertEqual(calls, [`/api/2.10/getVideoFileBinary/${orderId}/crypt`], 'calls through /crypt for the order');
				const store = expectedBinaryStore(stack);
				assertEqual(await binaryDataMode(stack), store, "n8n's binary data mode (GET /rest/settings)");
				assert(String(video.binary?.data?.id ?? '').startsWith(store), `the video is not in the ${store} store (${video.binary?.data?.id})`);
				assertEqual(await storedSha256(stack, video.binary?.data, 'Get video'), info.sha256, 'sha256 of the decrypted video');
			} finally {
				sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoSizeBytes: DEFAULT_ACCOUNT_SETTINGS.videoSizeBytes });
			}
		},
	},
	{
		name: 'IDnow node: Confirm Sign with a wrong TAN fails with the 409 explanation',
		async run(stack) {
			const sim = simulator(stack);
			sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: true });
			try {
				const { OrderID } = sim.createOrderDirect({
					Product: 15,
					Ref: 'e2e-wrong-tan',
					Mobile: MOBILE,
					eSignPDF: [{ Data: samplePdf('Loan agreement').toString('base64'), Filename: 'loan.pdf' }],
				});
				const orderId = String(OrderID);
				// Identified; with customer-side signing the order then waits for requestSign.
				sim.completeOrder(orderId, 'positive', { immediate: true });
				const execution = await runChain(stack.api, 'IDnow wrong TAN', [
					manualTrigger,
					idnowNode(stack, 'Request sign', { resource: 'eSign', operation: 'requestSign', orderId }),
					// Letters: never the six digits the sandbox sends.
					idnowNode(stack, 'Confirm sign', { resource: 'eSign', operation: 'confirmSign', orderId, tan: 'WRONG1' }),
				]);
				assertEqual(execution.status, 'error', 'status of the execution');
				assertEqual(nodeOutput(execution, 'Request sign')[0].json, { OrderID: orderId, signingStarted: true }, 'Request Sign output');
				const error = nodeError(execution, 'Confirm sign');
				assertEqual(
					[error.message, error.description],
					[
						'IDnow: Wrong TAN given',
						'The TAN is wrong (409). Ask the person for the TAN of the latest SMS and confirm again: each wrong TAN counts, and too many cancel the order.',
					],
					'Confirm Sign error',
				);
				assert(!sim.order(orderId).final, 'one wrong TAN ended the order');
			} finally {
				sim.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: DEFAULT_ACCOUNT_SETTINGS.customerSideSigning });
			}
		},
	},
	{
		name: 'IDnow node: Server Status and System Status report IDnow down as data, not as an error',
		async run(stack) {
			const sim = simulator(stack);
			sim.setSystemHealth({ serverAlive: false });
			try {
				const noRetries = { options: { maxRetries: 0 } };
				const execution = await runChain(stack.api, 'IDnow down', [
					manualTrigger,
					idnowNode(stack, 'Server status', { resource: 'system', operation: 'serverStatus', ...noRetries }),
					idnowNode(stack, 'System status', { resource: 'system', operation: 'systemStatus', ...noRetries }),
				]);
				assertSucceeded(execution);
				const [server] = nodeOutput(execution, 'Server status');
				assertEqual([server.json.alive, server.json.httpStatus, server.json.reason], [false, 500, 'HTTP 500: Service not available'], 'Server Status output');
				const [system] = nodeOutput(execution, 'System status');
				assertEqual([system.json.serverAlive, system.json.allAvailable, system.json.httpStatus], [false, false, 500], 'System Status output');
			} finally {
				sim.setSystemHealth({ serverAlive: true });
			}
		},
	},
];
