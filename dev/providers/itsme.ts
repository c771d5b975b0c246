/**
 * CM itsme in the harness: its demo workflows, the data tables they keep identities in, and its end-to-end cases.
 * The hosted sign-in is driven in Chromium (start URL → the sandbox's itsme page → back to n8n); the rest of the
 * browser traffic (the other demos, the state attacks) is played with fetch and a cookie jar.
 */
import { copyFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import { ITSME_TEST_TOKEN, type ItsmeSimulator } from '../../test/sandbox/itsme';
import { browserUnavailable, launchChromium, type Page } from '../lib/browser';
import { assert, assertEqual, assertNoNewExecution, assertSucceeded, manualTrigger, runChain } from '../lib/check';
import { nodeOutput, type ExecutionDetail, type WorkflowJson } from '../lib/n8n';
import { packageName } from '../lib/package';
import { artifactsDirFor, screenshotsDir } from '../lib/paths';
import { productionWebhookUrl } from '../lib/workflows';
import type { E2ECase, ProviderHarness, Stack } from './types';
import { demoWorkflow, onWebhookProcess, sandboxOf } from './lookup';

const HOSTED = 'itsme-hosted-sign-in.json';
const LINK = 'itsme-sign-in-by-link.json';
const WAIT = 'itsme-sign-in-with-wait-node.json';
const SCHEDULE = 'itsme-check-open-sign-ins.json';

const IDENTITY_TABLE = 'itsme signed-in identities';
const OPEN_TABLE = 'itsme open transactions';
const text = (names: string[]) => names.map((name) => ({ name, type: 'string' as const }));
const IDENTITY_COLUMNS = text([
	'transactionId',
	'reference',
	'status',
	'fullName',
	'givenName',
	'familyName',
	'subjectId',
	'birthDate',
	'email',
	'phone',
	'street',
	'houseNumber',
	'postalCode',
	'city',
	'country',
	'source',
]);
const OPEN_COLUMNS = text(['transactionToken', 'reference', 'status']);

const TRIGGER_NODE = 'Sign in with itsme';
const START_PATH = 'itsme/start';
const STATE_PARAM = 'itsme_state';
/** Screenshots of the sign-in itself, apart from the browser check's (which clears `itsme-*` in its folder). */
const updateScreenshots = process.argv.includes('--update-screenshots');

const ELISE = { id: 'elise', userId: 'Hn7Qe2LwZp4Vb9XcKd3RtY6uMa8SfJg1Ez5NoPiW', fullName: 'Élise Van der Meulen', phone: '+32478112233' };
const LUCAS = { id: 'lucas', userId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw', fullName: 'Lucas Maes', phone: '+32471234567' };

// ---------------------------------------------------------------------------------------------------------------
// Where things are
// ---------------------------------------------------------------------------------------------------------------

function simulator(stack: Stack): ItsmeSimulator {
	return sandboxOf<ItsmeSimulator>(stack, 'itsme');
}

const workflow = demoWorkflow;

function withQuery(url: string, query: Record<string, string>): string {
	const target = new URL(url);
	for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
	return target.href;
}

/** The hosted sign-in's start URL, as the person opens it. */
function startUrl(stack: Stack, query: Record<string, string> = {}, json: WorkflowJson = workflow(stack, HOSTED).json): string {
	return withQuery(productionWebhookUrl(stack.n8n.url, json, TRIGGER_NODE, START_PATH), query);
}

function webhookUrl(stack: Stack, file: string, node: string, query: Record<string, string> = {}): string {
	return withQuery(productionWebhookUrl(stack.n8n.url, workflow(stack, file).json, node), query);
}

async function rows(stack: Stack, tableName: string): Promise<Array<Record<string, any>>> {
	const table = (await stack.api.dataTables(stack.projectId)).find((candidate) => candidate.name === tableName);
	if (!table) throw new Error(`data table "${tableName}" is missing`);
	return await stack.api.dataTableRows(stack.projectId, table.id);
}

async function keptIdentities(stack: Stack, reference: string) {
	return (await rows(stack, IDENTITY_TABLE)).filter((row) => row.reference === reference);
}

/** The executions of a workflow started after `before` of them existed, finished, oldest first. */
async function executionsSince(stack: Stack, workflowId: string, before: number, expected: number): Promise<ExecutionDetail[]> {
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

function reached(execution: ExecutionDetail, node: string) {
	return execution.runData[node] ? nodeOutput(execution, node) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// The person, without a browser: a cookie jar and manual redirects
// ---------------------------------------------------------------------------------------------------------------

class CookieJar {
	readonly cookies = new Map<string, string>();

	async get(url: string): Promise<{ status: number; location: string; body: string }> {
		const res = await fetch(url, { redirect: 'manual', headers: this.cookies.size ? { cookie: this.header() } : {} });
		for (const cookie of res.headers.getSetCookie()) this.keep(cookie);
		return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
	}

	keep(setCookie: string): void {
		const [pair] = setCookie.split(';');
		const name = pair.slice(0, pair.indexOf('='));
		if (/Max-Age=0\b/i.test(setCookie)) this.cookies.delete(name);
		else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
	}

	header(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/** What the person does on the sandbox's itsme page (its HTML form); returns where itsme sends them. */
async function answerItsmePage(authenticationUrl: string, action: 'approve' | 'cancel' | 'fail' | 'expire', identity = LUCAS.id): Promise<string> {
	const page = await fetch(authenticationUrl);
	assert(page.ok && (await page.text()).includes('<form method="post">'), `the itsme page answered ${page.status}`);
	const answer = await fetch(authenticationUrl, { method: 'POST', body: new URLSearchParams({ identity, action }), redirect: 'manual' });
	assertEqual(answer.status, 302, `status of the itsme page after "${action}"`);
	return answer.headers.get('location') ?? '';
}

/**
 * Start → itsme page → the return URL (not yet opened), in one cookie jar. In queue mode `webhookProcess` (0 or 1)
 * sends the start to that webhook process directly instead of through the proxy.
 */
async function startAndAnswer(stack: Stack, action: 'approve' | 'cancel', query: Record<string, string>, jar = new CookieJar(), webhookProcess?: number) {
	const url = startUrl(stack, query);
	const started = await jar.get(webhookProcess === undefined ? url : onWebhookProcess(stack, url, webhookProcess));
	assertEqual(started.status, 302, 'status of the start URL');
	const returnUrl = await answerItsmePage(started.location, action);
	return { jar, returnUrl, authenticationUrl: started.location };
}

// ---------------------------------------------------------------------------------------------------------------
// The person, in Chromium
// ---------------------------------------------------------------------------------------------------------------

async function inChromium(stack: Stack, run: (page: Page) => Promise<void>): Promise<void> {
	const unavailable = browserUnavailable(stack.release.paths);
	if (unavailable) throw new Error(`this case drives the sign-in in Chromium, which is not available: ${unavailable}`);
	const { browser, close } = await launchChromium(stack.release.paths);
	try {
		const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		await run(page);
	} finally {
		await close();
	}
}

/** A picture of the sign-in for the README: kept under test-artifacts, copied to docs/ with --update-screenshots. */
async function shot(stack: Stack, page: Page, name: string): Promise<void> {
	const flowShots = join(artifactsDirFor(stack.release, stack.executionsMode), 'screenshots', 'flows');
	mkdirSync(flowShots, { recursive: true });
	const path = join(flowShots, `itsme-${name}.png`);
	await page.screenshot({ path });
	// Only the default release's single-process pictures go into the README (as for the browser check).
	if (updateScreenshots && stack.release.isDefault && stack.executionsMode === 'regular') {
		mkdirSync(screenshotsDir, { recursive: true });
		copyFileSync(path, join(screenshotsDir, `itsme-${name}.png`));
	}
}

/** Opens the start URL, answers on the sandbox's itsme page with a click, and waits to be back on n8n's page. */
async function signInInChromium(page: Page, stack: Stack, button: 'Approve' | 'Cancel' | 'Let it expire', query: Record<string, string>, shots?: string) {
	await page.goto(startUrl(stack, query), { waitUntil: 'load' });
	const sandboxOrigin = stack.sandboxes.get('itsme')!.baseUrl;
	assert(page.url().startsWith(`${sandboxOrigin}/oidc/authorization/`), `the start URL led to ${page.url()}, not to the itsme page`);
	await page.getByRole('button', { name: button }).waitFor({ state: 'visible' });
	if (shots) await shot(stack, page, `${shots}-1-itsme-page`);
	await page.getByRole('button', { name: button }).click();
	await page.waitForURL((url) => url.pathname.endsWith('/itsme/return'), { timeout: 30_000 });
	await page.locator('#title').waitFor({ state: 'visible' });
	if (shots) await shot(stack, page, `${shots}-2-back-in-n8n`);
	return (await page.locator('#title').innerText()).trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------------------

const cases: E2ECase[] = [
	{
		name: 'itsme hosted sign-in in Chromium: start URL → the itsme page → Approve → the success page, exactly one execution with the identity, kept',
		runs: [HOSTED],
		async run(stack) {
			const hosted = workflow(stack, HOSTED);
			const before = (await stack.api.listExecutions(hosted.id)).length;
			await inChromium(stack, async (page) => {
				const title = await signInInChromium(page, stack, 'Approve', { reference: 'e2e-browser', phoneNumber: ELISE.phone }, 'signin');
				assertEqual(title, 'Signed in with itsme', 'title of the page after approving');
			});
			const [run] = await executionsSince(stack, hosted.id, before, 1);
			await assertNoNewExecution(stack.api, hosted.id, before + 1);
			assertSucceeded(run);
			const [event] = nodeOutput(run, TRIGGER_NODE);
			assertEqual(
				[event.json.status, event.json.reference, event.json.identity?.person?.subjectId, event.json.identity?.person?.fullName],
				['verified', 'e2e-browser', ELISE.userId, ELISE.fullName],
				'trigger output',
			);
			assertEqual(event.json.identity?.person?.address, { street: 'Rue de la Loi', houseNumber: '16 Boîte 3', postalCode: '1000', city: 'Bruxelles', country: 'BE' }, 'address');
			assert(!JSON.stringify(run).includes(ITSME_TEST_TOKEN), 'the execution holds the merchant token');
			const kept = await keptIdentities(stack, 'e2e-browser');
			assertEqual(kept.map((row) => [row.status, row.fullName, row.source]), [['verified', ELISE.fullName, 'hosted']], 'rows kept');
		},
	},
	{
		name: 'itsme hosted sign-in in Chromium: Cancel and "Let it expire" start the workflow with that status, show the page to start again, keep nothing',
		runs: [HOSTED],
		async run(stack) {
			const hosted = workflow(stack, HOSTED);
			for (const [button, status, title] of [
				['Cancel', 'cancelled', 'Sign-in cancelled'],
				['Let it expire', 'expired', 'Sign-in expired'],
			] as const) {
				const before = (await stack.api.listExecutions(hosted.id)).length;
				const reference = `e2e-${status}`;
				await inChromium(stack, async (page) => {
					assertEqual(await signInInChromium(page, stack, button, { reference }), title, `page after "${button}"`);
					assert((await page.content()).includes('>Start again</a>'), `the page after "${button}" offers no way to start again`);
				});
				const [run] = await executionsSince(stack, hosted.id, before, 1);
				assertSucceeded(run);
				assertEqual(nodeOutput(run, TRIGGER_NODE)[0].json.status, status, `status after "${button}"`);
				assertEqual(reached(run, 'Not signed in').map((item) => item.json.reference), [reference], `"Not signed in" after "${button}"`);
				assertEqual((await keptIdentities(stack, reference)).length, 0, `rows kept after "${button}"`);
			}
		},
	},
	{
		name: 'itsme hosted sign-in: a return in another browser (no cookie) is accepted by the n8n process that started it',
		runs: [HOSTED],
		modes: ['regular'],
		skipReason:
			'without its cookie a return is proven only by the copy of the state in the memory of the process that answered the start (nodes/shared/browserState.ts); the load balancer sends the return to the other webhook process, which answers 400 (the queue-mode return case shows both processes)',
		async run(stack) {
			const hosted = workflow(stack, HOSTED);
			const before = (await stack.api.listExecutions(hosted.id)).length;
			const { returnUrl } = await startAndAnswer(stack, 'approve', { reference: 'e2e-phone' });
			const back = await new CookieJar().get(returnUrl);
			assertEqual(back.status, 200, 'status of the return in another browser');
			const [run] = await executionsSince(stack, hosted.id, before, 1);
			assertEqual(nodeOutput(run, TRIGGER_NODE)[0].json.reference, 'e2e-phone', 'reference');
		},
	},
	{
		name: 'itsme hosted sign-in in queue mode: a return without the cookie is accepted only by the webhook process that answered the start (the other answers 400 and runs nothing); with its cookie, by either',
		runs: [HOSTED],
		modes: ['queue'],
		async run(stack) {
			const hosted = workflow(stack, HOSTED);
			const before = (await stack.api.listExecutions(hosted.id)).length;

			// Started on webhook process 1, back in another browser (the phone's: no cookie).
			const phone = await startAndAnswer(stack, 'approve', { reference: 'e2e-phone-queue' }, new CookieJar(), 0);
			const elsewhere = await new CookieJar().get(onWebhookProcess(stack, phone.returnUrl, 1));
			assertEqual(elsewhere.status, 400, 'status of a return without cookie on the other webhook process');
			assert(elsewhere.body.includes('Start again'), 'the page on the other webhook process does not say to start again');
			await assertNoNewExecution(stack.api, hosted.id, before);
			const there = await new CookieJar().get(onWebhookProcess(stack, phone.returnUrl, 0));
			assertEqual(there.status, 200, 'status of a return without cookie on the webhook process that answered the start');
			const [run] = await executionsSince(stack, hosted.id, before, 1);
			assertSucceeded(run);
			assertEqual(nodeOutput(run, TRIGGER_NODE)[0].json.reference, 'e2e-phone-queue', 'reference of the return without cookie');

			// Started on webhook process 1, back in the same browser (its sealed cookie) on webhook process 2.
			const browser = await startAndAnswer(stack, 'approve', { reference: 'e2e-cookie-queue' }, new CookieJar(), 0);
			const back = await browser.jar.get(onWebhookProcess(stack, browser.returnUrl, 1));
			assertEqual(back.status, 200, 'status of a return with its cookie on the other webhook process');
			const [second] = await executionsSince(stack, hosted.id, before + 1, 1);
			assertSucceeded(second);
			assertEqual(nodeOutput(second, TRIGGER_NODE)[0].json.reference, 'e2e-cookie-queue', 'reference of the return with its cookie');
		},
	},
	{
		name: 'itsme hosted sign-in: missing, forged, reused and foreign states and forged cookies get a 4xx page and no execution',
		runs: [HOSTED],
		async run(stack) {
			const hosted = workflow(stack, HOSTED);
			const returnBase = startUrl(stack).replace(/itsme\/start$/, 'itsme/return');

			// A complete sign-in first, whose return URL and cookie are then replayed.
			const spent = await startAndAnswer(stack, 'approve', { reference: 'e2e-replayed' });
			const copied = new Map(spent.jar.cookies);
			let before = (await stack.api.listExecutions(hosted.id)).length;
			assertEqual((await spent.jar.get(spent.returnUrl)).status, 200, 'status of the first return');
			await executionsSince(stack, hosted.id, before, 1);
			before += 1;

			const mine = await startAndAnswer(stack, 'approve', { reference: 'e2e-attacker' });
			const theirs = await startAndAnswer(stack, 'approve', { reference: 'e2e-victim' });
			const forged = new CookieJar();
			for (const [name, value] of theirs.jar.cookies) forged.cookies.set(name, `${value.slice(0, -4)}AAAA`);
			const renamed = new CookieJar();
			const [[, myValue]] = [...mine.jar.cookies];
			for (const [name] of theirs.jar.cookies) renamed.cookies.set(name, myValue);
			const replay = new CookieJar();
			for (const [name, value] of copied) replay.cookies.set(name, value);

			const attacks: Array<[string, CookieJar, string, number]> = [
				['no state', new CookieJar(), returnBase, 400],
				['a malformed state', new CookieJar(), `${returnBase}?${STATE_PARAM}=forged`, 400],
				['a state nobody issued', new CookieJar(), `${returnBase}?${STATE_PARAM}=${'A'.repeat(43)}`, 400],
				['a forged cookie', forged, theirs.returnUrl, 400],
				['the cookie of another transaction', mine.jar, theirs.returnUrl, 400],
				['another transaction’s cookie under this one’s name', renamed, theirs.returnUrl, 400],
				['a used state with its copied cookie', replay, spent.returnUrl, 410],
				['a used state without cookie', new CookieJar(), spent.returnUrl, 410],
			];
			for (const [what, jar, url, status] of attacks) {
				const answer = await jar.get(url);
				assertEqual(answer.status, status, `status for ${what}`);
				assert(answer.body.includes('Start again'), `the page for ${what} does not say to start again`);
			}
			await assertNoNewExecution(stack.api, hosted.id, before);
			assertEqual((await keptIdentities(stack, 'e2e-victim')).length, 0, 'rows kept for attacked sign-ins');
		},
	},
	{
		name: 'itsme hosted sign-in: a return after the time to finish gets 410 and no execution',
		async run(stack) {
			const trigger = JSON.parse(JSON.stringify(workflow(stack, HOSTED).json.nodes.find((node) => node.name === TRIGGER_NODE)));
			trigger.parameters.options = { timeToFinishSeconds: 10 };
			trigger.webhookId = '4a7d9c3e-1b2f-4c5d-8e6f-175e0000e2e1';
			const created = await stack.api.createWorkflow({
				name: 'e2e: itsme sign-in with a 10 s time to finish',
				nodes: [trigger],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			const activation = await stack.api.activateWorkflow(created.id, created.versionId);
			assert(activation.active !== false, 'the workflow with a short time to finish did not activate');
			const jar = new CookieJar();
			// Publishing returns before n8n has registered the webhooks: a fresh workflow's URLs answer 404 for a moment.
			let started = await jar.get(startUrl(stack, {}, created));
			for (const deadline = Date.now() + 10_000; started.status === 404 && Date.now() < deadline; ) {
				await new Promise((resolve) => setTimeout(resolve, 250));
				started = await jar.get(startUrl(stack, {}, created));
			}
			assertEqual(started.status, 302, 'status of the start URL');
			const returnUrl = await answerItsmePage(started.location, 'approve');
			await new Promise((resolve) => setTimeout(resolve, 11_000));
			assertEqual((await jar.get(returnUrl)).status, 410, 'status of a late return');
			await assertNoNewExecution(stack.api, created.id, 0);
		},
	},
	{
		name: 'itsme demo (actions): the link webhook answers with the link; Wait for Completion keeps the identity once the person approves',
		runs: [LINK],
		async run(stack) {
			const link = workflow(stack, LINK);
			const before = (await stack.api.listExecutions(link.id)).length;
			const res = await fetch(webhookUrl(stack, LINK, 'Sign-in link wanted', { reference: 'e2e-link', phoneNumber: LUCAS.phone }));
			assertEqual(res.status, 200, 'status of the link webhook');
			const answer = (await res.json()) as { authenticationUrl: string; reference: string };
			assertEqual(answer.reference, 'e2e-link', 'reference in the answer');
			const doneUrl = await answerItsmePage(answer.authenticationUrl, 'approve');
			assertEqual(doneUrl, webhookUrl(stack, LINK, 'Back from itsme'), 'where itsme sends the person');
			const thanks = await fetch(doneUrl);
			assert(thanks.ok && (await thanks.text()).includes('Thank you'), `the thank-you page answered ${thanks.status}`);
			const runs = await executionsSince(stack, link.id, before, 2);
			const waited = runs.find((run) => run.runData['Wait for the person']);
			assert(waited, 'no execution waited for the person');
			assertSucceeded(waited);
			assertEqual(nodeOutput(waited, 'Wait for the person')[0].json.person?.subjectId, LUCAS.userId, 'subjectId after waiting');
			const kept = await keptIdentities(stack, 'e2e-link');
			assertEqual(kept.map((row) => [row.status, row.fullName, row.street, row.houseNumber, row.source]), [['verified', LUCAS.fullName, 'Rue Neuve', '1', 'actions']], 'rows kept');
		},
	},
	{
		name: "itsme demo (Wait node): the resume URL brings the person back; Get Status keeps the identity and answers the welcome page",
		runs: [WAIT],
		async run(stack) {
			const wait = workflow(stack, WAIT);
			const before = (await stack.api.listExecutions(wait.id)).length;
			const started = await fetch(webhookUrl(stack, WAIT, 'Sign-in wanted', { reference: 'e2e-wait' }), { redirect: 'manual' });
			assert(started.status >= 300 && started.status < 400, `the sign-in webhook answered ${started.status}`);
			// A person takes seconds in itsme; the test waits until the execution is waiting rather than race it.
			await waitingExecution(stack, wait.id, before);
			const resumeUrl = await answerItsmePage(started.headers.get('location') ?? '', 'approve', ELISE.id);
			assert(resumeUrl.includes('/webhook-waiting/'), `itsme sends the person to ${resumeUrl}, not to the resume URL`);
			const welcome = await fetch(resumeUrl);
			const page = await welcome.text();
			assert(welcome.ok && page.includes('Signed in with itsme'), `the resume URL answered ${welcome.status}: ${page.slice(0, 200)}`);
			const [run] = await executionsSince(stack, wait.id, before, 1);
			assertSucceeded(run);
			assertEqual(nodeOutput(run, 'Get status')[0].json.status, 'verified', 'status from Get status');
			const kept = await keptIdentities(stack, 'e2e-wait');
			assertEqual(kept.map((row) => [row.fullName, row.source]), [[ELISE.fullName, 'wait node']], 'rows kept');
		},
	},
	{
		name: 'itsme demo (schedule): open transactions are checked; each one that finished is acted on once, open ones stay',
		runs: [SCHEDULE],
		async run(stack) {
			const schedule = workflow(stack, SCHEDULE);
			const links: Record<string, string> = {};
			for (const reference of ['e2e-sweep-approved', 'e2e-sweep-cancelled', 'e2e-sweep-open']) {
				const res = await fetch(webhookUrl(stack, SCHEDULE, 'Sign-in link wanted', { reference }));
				assertEqual(res.status, 200, `status of the sign-in link webhook for ${reference}`);
				links[reference] = ((await res.json()) as { authenticationUrl: string }).authenticationUrl;
			}
			await answerItsmePage(links['e2e-sweep-approved'], 'approve');
			await answerItsmePage(links['e2e-sweep-cancelled'], 'cancel');
			const sweep = async () => {
				const execution = await stack.api.waitForExecution(await stack.api.runManually(schedule.id, 'Every 5 minutes'));
				assertSucceeded(execution);
				return execution;
			};
			const statusOf = async (reference: string) =>
				(await rows(stack, OPEN_TABLE)).filter((row) => row.reference === reference).map((row) => row.status);

			await sweep();
			assertEqual(await statusOf('e2e-sweep-approved'), ['verified'], 'open-transaction row of the approved one');
			assertEqual(await statusOf('e2e-sweep-cancelled'), ['cancelled'], 'open-transaction row of the cancelled one');
			assertEqual(await statusOf('e2e-sweep-open'), ['pending'], 'open-transaction row of the open one');
			assertEqual((await keptIdentities(stack, 'e2e-sweep-approved')).map((row) => [row.fullName, row.source]), [[LUCAS.fullName, 'schedule']], 'identity kept');

			const second = await sweep();
			assert(!reached(second, 'Get status').some((item) => String(item.json.reference ?? '').startsWith('e2e-sweep-a')), 'the second sweep looked at a finished transaction again');
			assertEqual(reached(second, 'Keep in data table').length, 0, 'identities kept by the second sweep');

			await answerItsmePage(links['e2e-sweep-open'], 'approve');
			await sweep();
			assertEqual(await statusOf('e2e-sweep-open'), ['verified'], 'open-transaction row once approved');
			assertEqual((await keptIdentities(stack, 'e2e-sweep-open')).length, 1, 'identity kept once approved');
			assertEqual((await keptIdentities(stack, 'e2e-sweep-approved')).length, 1, 'identity of the first one, still once');
		},
	},
	{
		name: 'CM itsme node in n8n: the first Get Status after approval has the person; the second says it was already collected',
		async run(stack) {
			const sim = simulator(stack);
			const credential = stack.credentials.get('cmItsmeApi')!;
			const created = await fetch(`${credential.data.baseUrl}/transactions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ token: credential.data.token, service: 'login', scopes: ['profile'], redirectUrl: 'https://example.com/' }),
			});
			const { transactionToken } = (await created.json()) as { transactionToken: string };
			sim.approve(transactionToken, LUCAS.id);
			const getStatus = (name: string) => ({
				name,
				type: `${packageName}.cmItsme`,
				typeVersion: 1,
				parameters: { resource: 'transaction', operation: 'getStatus', transactionToken, output: 'normalized', options: {} },
				credentials: { cmItsmeApi: { id: credential.id, name: credential.name } },
			});
			const execution = await runChain(stack.api, 'itsme get status twice', [manualTrigger, getStatus('First read'), getStatus('Second read')]);
			assertSucceeded(execution);
			const [first] = nodeOutput(execution, 'First read');
			const [second] = nodeOutput(execution, 'Second read');
			assertEqual([first.json.status, first.json.person?.fullName], ['verified', LUCAS.fullName], 'first read');
			assertEqual([second.json.status, second.json.person?.fullName], ['review', null], 'second read');
			assert(String(second.json.reason).includes('already collected'), `second read's reason: ${second.json.reason}`);
		},
	},
];

export const itsme: ProviderHarness = {
	provider: 'itsme',
	workflows: [
		{ file: HOSTED, activate: true },
		{ file: LINK, activate: true },
		{ file: WAIT, activate: true },
		{ file: SCHEDULE, activate: true },
	],
	async prepare(stack) {
		await stack.api.ensureDataTable(stack.projectId, IDENTITY_TABLE, IDENTITY_COLUMNS);
		await stack.api.ensureDataTable(stack.projectId, OPEN_TABLE, OPEN_COLUMNS);
	},
	tryFirst(stack) {
		const sandbox = stack.sandboxes.get('itsme')!;
		return [
			'CM itsme — open in your browser:',
			`    ${startUrl(stack, { reference: 'order-1001' })}`,
			`  "itsme: sign in with itsme (hosted page)" sends you to the sandbox's itsme page. Pick a person and click`,
			`  "Approve" (or Cancel, or "Let it expire"): you come back to n8n's page, and the identity is kept in the`,
			`  data table "${IDENTITY_TABLE}" (Overview → Data tables).`,
			`  The same with n8n's Wait node: ${webhookUrl(stack, WAIT, 'Sign-in wanted', { reference: 'order-1002' })}`,
			`  A link as JSON, then Wait for Completion: ${webhookUrl(stack, LINK, 'Sign-in link wanted', { reference: 'order-1003' })}`,
			`  Checked every 5 minutes instead: ${webhookUrl(stack, SCHEDULE, 'Sign-in link wanted', { reference: 'order-1004' })}`,
			`  ("itsme: check open sign-ins on a schedule"; run it by hand with Execute workflow → "Every 5 minutes").`,
			`  Sandbox controls (transactions, identities, settings): ${sandbox.baseUrl}/__sandbox/`,
		];
	},
	cases,
	browser: {
		search: 'itsme',
		// The CM itsme Trigger is listed inside the "CM itsme" entry (n8n merges a node and its trigger).
		listed: ['CM itsme'],
		trigger: { item: 'CM itsme', entry: 'On new CM itsme event' },
		action: { item: 'CM itsme', entry: 'Create a transaction' },
	},
};
