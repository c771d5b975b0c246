import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CmItsmeTrigger } from '../../../nodes/CmItsme/CmItsmeTrigger.node';
import { ALREADY_COLLECTED_REASON } from '../../../nodes/CmItsme/normalize';
import { runWebhook, type WebhookResult } from '../../harness';
import { ITSME_API_PREFIX } from '../../sandbox/itsme';
import { credentialStore, expectNoMerchantToken, useItsmeSandbox } from './fixture';

const trigger = new CmItsmeTrigger();
const WEBHOOK_ID = '00000000-0000-4000-8000-000000000001';
const START_URL = `http://localhost:5678/webhook/${WEBHOOK_ID}/itsme/start`;
const RETURN_PATH = `/webhook/${WEBHOOK_ID}/itsme/return`;
const ALL_SCOPES = ['profile', 'email', 'phone', 'address'];

/** The cookies one browser keeps for the trigger, as a browser applies Set-Cookie. */
class Browser {
	readonly cookies = new Map<string, string>();

	keep(setCookie: string | undefined): void {
		if (!setCookie) return;
		const [pair] = setCookie.split(';');
		const name = pair.slice(0, pair.indexOf('='));
		if (/Max-Age=0\b/.test(setCookie)) this.cookies.delete(name);
		else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
	}

	header(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

interface Started {
	result: WebhookResult;
	authenticationUrl: string;
	transactionToken: string;
	browser: Browser;
}

function body(result: WebhookResult): string {
	return Buffer.isBuffer(result.response.body) ? result.response.body.toString('utf8') : String(result.response.body ?? '');
}

describe('CM itsme Trigger: the hosted sign-in', () => {
	const itsme = useItsmeSandbox();
	let seen: unknown[];

	beforeEach(() => {
		seen = [];
	});
	afterEach(() => {
		jest.restoreAllMocks();
		expectNoMerchantToken(seen);
	});

	async function call(
		webhookName: 'default' | 'setup',
		query: Record<string, string>,
		browser: Browser,
		options: IDataObject = {},
		triggerType: CmItsmeTrigger = trigger,
	): Promise<WebhookResult> {
		const parameters = { service: 'login', scopes: ALL_SCOPES, locale: '', options } as unknown as INodeParameters;
		const result = await runWebhook(triggerType, {
			parameters,
			credentials: itsme.credentials,
			webhookName,
			request: { method: 'GET', query, headers: browser.cookies.size ? { cookie: browser.header() } : {}, body: '' },
		});
		seen.push(result);
		browser.keep(result.response.headers['set-cookie']);
		return result;
	}

	async function start(query: Record<string, string> = {}, options: IDataObject = {}, browser = new Browser()): Promise<Started> {
		const result = await call('default', query, browser, options);
		const authenticationUrl = result.response.headers.location;
		const transaction = itsme.sandbox.transactions().find((candidate) => candidate.authenticationUrl === authenticationUrl);
		return { result, authenticationUrl, transactionToken: transaction?.transactionToken ?? '', browser };
	}

	/** The person on the sandbox's itsme page: the form as a browser would post it; returns where itsme sends them. */
	async function answerPage(authenticationUrl: string, action: string, identity = 'lucas'): Promise<string> {
		const page = await fetch(authenticationUrl);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<form method="post">');
		const answer = await fetch(authenticationUrl, {
			method: 'POST',
			body: new URLSearchParams({ identity, action }),
			redirect: 'manual',
		});
		expect(answer.status).toBe(302);
		return answer.headers.get('location') as string;
	}

	async function comeBack(returnUrl: string, browser: Browser, options: IDataObject = {}, triggerType = trigger) {
		const url = new URL(returnUrl);
		expect(url.pathname).toBe(RETURN_PATH);
		return await call('setup', Object.fromEntries(url.searchParams), browser, options, triggerType);
	}

	/** start → itsme page → return, in one browser. */
	async function signIn(action: string, options: IDataObject = {}, query: Record<string, string> = {}) {
		const started = await start(query, options);
		const returnUrl = await answerPage(started.authenticationUrl, action);
		const returned = await comeBack(returnUrl, started.browser, options);
		return { ...started, returnUrl, returned };
	}

	function expectNoRun(result: WebhookResult, status: number, title: string): void {
		expect(result.ran).toBe(false);
		expect(result.response.status).toBe(status);
		expect(body(result)).toContain(title);
	}

	describe('start', () => {
		it('creates a transaction back to the return URL with a state, sets a sealed cookie, redirects to itsme and runs nothing', async () => {
			const { result, authenticationUrl, transactionToken } = await start({
				phoneNumber: '+32478112233',
				locale: 'fr',
				reference: 'order-7',
			});
			expect(result.ran).toBe(false);
			expect(result.response.status).toBe(302);
			expect(authenticationUrl).toMatch(/\/oidc\/authorization\//);
			const stored = itsme.sandbox.transaction(transactionToken);
			const redirect = new URL(stored.redirectUrl);
			expect(`${redirect.origin}${redirect.pathname}`).toBe(`http://localhost:5678${RETURN_PATH}`);
			expect(redirect.searchParams.get('itsme_state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect([...redirect.searchParams.keys()]).toEqual(['itsme_state']);
			expect(stored).toMatchObject({ service: 'login', scopes: ALL_SCOPES, locale: 'fr', phoneNumber: '+32478112233' });

			const cookie = result.response.headers['set-cookie'];
			expect(cookie).toMatch(
				new RegExp(`^itsme_state_[A-Za-z0-9_-]{22}=[A-Za-z0-9_-]+; Path=${RETURN_PATH}; Max-Age=900; HttpOnly; SameSite=Lax$`),
			);
			expect(cookie).not.toContain(transactionToken);
			expect(cookie).not.toContain('order-7');
			expect(result.response.headers['cache-control']).toBe('no-store');
			expect(result.response.headers['referrer-policy']).toBe('no-referrer');
		});

		it('uses the node\'s locale when the start URL has none, and a time limit of its own', async () => {
			const browser = new Browser();
			const parameters = { service: 'register', scopes: ['email'], locale: 'nl', options: { timeToFinishSeconds: 60 } };
			const result = await runWebhook(trigger, {
				parameters: parameters as unknown as INodeParameters,
				credentials: itsme.credentials,
				request: { method: 'GET', body: '' },
			});
			browser.keep(result.response.headers['set-cookie']);
			expect(result.response.headers['set-cookie']).toContain('Max-Age=60;');
			const [stored] = itsme.sandbox.transactions();
			expect(stored).toMatchObject({ service: 'register', scopes: ['email'], locale: 'nl', phoneNumber: null });
		});

		it.each([
			[{ phoneNumber: '0471234567' }, 'The phone number &#34;0471234567&#34; is not in E.164 format'],
			[{ locale: 'es' }, 'The locale &#34;es&#34; is not one itsme offers'],
			[{ reference: 'x'.repeat(201) }, 'The reference is longer than 200 characters'],
		])('refuses a start URL with %j: 400, no transaction', async (query, message) => {
			const { result } = await start(query);
			expectNoRun(result, 400, 'This sign-in link is not valid');
			expect(body(result)).toContain(message);
			expect(result.response.headers['set-cookie']).toBeUndefined();
			expect(itsme.apiRequests()).toBe(0);
		});

		it('shows a page, sets no cookie and runs nothing when CM refuses the transaction', async () => {
			itsme.credentials = credentialStore({ token: 'wrong-merchant-token', environment: 'custom', baseUrl: itsme.apiUrl });
			const { result } = await start();
			expectNoRun(result, 502, 'itsme is not available right now');
			expect(result.response.headers['set-cookie']).toBeUndefined();
			expect(body(result)).not.toContain('wrong-merchant-token');
		});

		it('shows a page and calls nobody when the trigger is not set up correctly', async () => {
			const { result } = await start({}, { successUrl: 'not a url' });
			expectNoRun(result, 500, 'Sign-in with itsme is not available');
			expect(itsme.apiRequests()).toBe(0);
		});
	});

	describe('return', () => {
		it("approving on the itsme page runs the workflow once with the identity and the caller's reference, and shows the success page", async () => {
			const { returned, transactionToken } = await signIn('approve', {}, { reference: 'order-1001', phoneNumber: '+32471234567' });
			expect(returned.ran).toBe(true);
			expect(returned.response.status).toBe(200);
			expect(body(returned)).toContain('Signed in with itsme');
			expect(returned.response.headers['set-cookie']).toMatch(/^itsme_state_[A-Za-z0-9_-]{22}=; Path=.+; Max-Age=0; HttpOnly; SameSite=Lax$/);
			expect(returned.workflowData).toHaveLength(1);
			expect(returned.workflowData![0]).toHaveLength(1);
			const envelope = returned.workflowData![0][0].json;
			expect(envelope).toMatchObject({
				provider: 'itsme',
				event: 'transaction.finished',
				deliveryId: `itsme:${transactionToken}`,
				transactionId: transactionToken,
				reference: 'order-1001',
				status: 'verified',
				verified: true,
				reason: null,
				signatureVerified: true,
				raw: null,
				identity: {
					provider: 'itsme',
					reference: 'order-1001',
					status: 'verified',
					assurance: { level: null, method: 'itsme' },
					person: {
						subjectId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw',
						fullName: 'Lucas Maes',
						email: 'lucas.maes@example.com',
						phone: '+32471234567',
						address: { street: 'Rue Neuve', houseNumber: '1', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
					},
					locale: 'nl',
					raw: null,
				},
			});
			expect(itsme.sandbox.transaction(transactionToken).userInfoDelivered).toBe(true);
		});

		it('puts CM\'s answer into identity.raw when asked to', async () => {
			const { returned } = await signIn('approve', { includeRaw: true });
			expect(returned.workflowData![0][0].json.identity).toMatchObject({
				raw: { status: 'success', userId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw' },
			});
		});

		it.each([
			['cancel', 'cancelled', 'Sign-in cancelled'],
			['fail', 'failed', 'Sign-in failed'],
			['expire', 'expired', 'Sign-in expired'],
		])('a person who chooses %s starts the workflow with status %s and sees a page to start again', async (action, status, title) => {
			const { returned } = await signIn(action);
			expect(returned.ran).toBe(true);
			expect(returned.workflowData![0][0].json).toMatchObject({ status, verified: false, identity: { status } });
			expect(body(returned)).toContain(title);
			expect(body(returned)).toContain(`<a href="${START_URL}">Start again</a>`);
		});

		it('sends the browser to the Success or Failure URL with status and reference', async () => {
			const options = { successUrl: 'https://shop.example/welcome?lang=nl', failureUrl: 'https://shop.example/sorry' };
			const approved = await signIn('approve', options, { reference: 'r 1' });
			expect(approved.returned.response.status).toBe(302);
			expect(approved.returned.response.headers.location).toBe('https://shop.example/welcome?lang=nl&status=verified&reference=r+1');
			const cancelled = await signIn('cancel', options);
			expect(cancelled.returned.response.headers.location).toBe('https://shop.example/sorry?status=cancelled');
		});

		it('with "Only Verified Sign-Ins", a cancelled sign-in shows its page but runs nothing', async () => {
			const { returned } = await signIn('cancel', { onlyVerified: true });
			expectNoRun(returned, 200, 'Sign-in cancelled');
		});

		it('accepts a return in another browser (no cookie) when this process started it', async () => {
			const started = await start({ reference: 'phone' });
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			const returned = await comeBack(returnUrl, new Browser());
			expect(returned.ran).toBe(true);
			expect(returned.workflowData![0][0].json).toMatchObject({ reference: 'phone', status: 'verified' });
		});

		it('accepts a return that another n8n process answers, on the sealed cookie alone', async () => {
			let otherProcess = trigger;
			jest.isolateModules(() => {
				otherProcess = new (require('../../../nodes/CmItsme/CmItsmeTrigger.node').CmItsmeTrigger)();
			});
			const started = await start({ reference: 'queue-mode' });
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			const returned = await comeBack(returnUrl, started.browser, {}, otherProcess);
			expect(returned.ran).toBe(true);
			expect(returned.workflowData![0][0].json).toMatchObject({ reference: 'queue-mode', status: 'verified' });
		});

		it('waits for itsme when the person is back before CM has the outcome, then runs once it has', async () => {
			const started = await start();
			const stored = itsme.sandbox.transaction(started.transactionToken);
			const early = await comeBack(stored.redirectUrl, started.browser);
			expectNoRun(early, 200, 'Waiting for itsme');
			expect(body(early)).toContain('<meta http-equiv="refresh" content="2">');
			itsme.sandbox.approve(started.transactionToken);
			const later = await comeBack(stored.redirectUrl, started.browser);
			expect(later.ran).toBe(true);
		});

		it('lets the person reload when CM cannot be asked, then runs', async () => {
			const started = await start();
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			itsme.sandbox.queueFault({ kind: 'status', status: 500, method: 'GET' });
			const failed = await comeBack(returnUrl, started.browser);
			expectNoRun(failed, 502, 'itsme could not be asked');
			const reloaded = await comeBack(returnUrl, started.browser);
			expect(reloaded.ran).toBe(true);
			expect(reloaded.workflowData![0][0].json.status).toBe('verified');
		});
	});

	describe('state attacks: 4xx, nothing runs', () => {
		function statusReads(): number {
			return itsme.sandbox.countRequests({ method: 'GET', path: `${ITSME_API_PREFIX}/status/*` });
		}

		it('a return without state', async () => {
			const started = await start();
			expectNoRun(await call('setup', {}, started.browser), 400, 'This sign-in link is incomplete');
			expect(statusReads()).toBe(0);
		});

		it.each([
			['a malformed state', 'not-a-state', 'This sign-in link is not valid'],
			['a well-formed state nobody issued', 'A'.repeat(43), 'This sign-in is not known here'],
		])('%s', async (_case, state, title) => {
			expectNoRun(await call('setup', { itsme_state: state }, new Browser()), 400, title);
			expect(statusReads()).toBe(0);
		});

		it('a forged cookie', async () => {
			const started = await start();
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			const [[name, value]] = [...started.browser.cookies];
			started.browser.cookies.set(name, `${value.slice(0, -4)}AAAA`);
			expectNoRun(await comeBack(returnUrl, started.browser), 400, 'This sign-in link is not valid');
			expect(statusReads()).toBe(0);
		});

		it('an expired state, whether proven by the cookie or by this process', async () => {
			const started = await start();
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			const now = Date.now();
			jest.spyOn(Date, 'now').mockReturnValue(now + 901_000);
			expectNoRun(await comeBack(returnUrl, started.browser), 410, 'This sign-in has expired');
			expectNoRun(await comeBack(returnUrl, new Browser()), 410, 'This sign-in has expired');
			expect(statusReads()).toBe(0);
		});

		it("a reused state: refused by this process, and by itsme's once-only data in another", async () => {
			const started = await start();
			const copied = new Browser();
			copied.keep(started.result.response.headers['set-cookie']);
			const returnUrl = await answerPage(started.authenticationUrl, 'approve');
			expect((await comeBack(returnUrl, started.browser)).ran).toBe(true);
			expect(started.browser.cookies.size).toBe(0);
			const readsAfterFirstReturn = statusReads();

			expectNoRun(await comeBack(returnUrl, copied), 410, 'This sign-in was already used');
			expectNoRun(await comeBack(returnUrl, new Browser()), 410, 'This sign-in was already used');
			expect(statusReads()).toBe(readsAfterFirstReturn);

			let otherProcess = trigger;
			jest.isolateModules(() => {
				otherProcess = new (require('../../../nodes/CmItsme/CmItsmeTrigger.node').CmItsmeTrigger)();
			});
			// An attacker keeps the copy, whatever the refusals told the browser to forget.
			copied.keep(started.result.response.headers['set-cookie']);
			const elsewhere = await comeBack(returnUrl, copied, {}, otherProcess);
			expectNoRun(elsewhere, 410, 'This sign-in was already used');
			// That process had to ask CM, which answered success without the data: the sign-in was spent.
			expect(statusReads()).toBe(readsAfterFirstReturn + 1);
			expect(ALREADY_COLLECTED_REASON).toContain('only once');
		});

		it('a cookie from another transaction', async () => {
			const mine = await start({ reference: 'attacker' });
			const theirs = await start({ reference: 'victim' });
			const theirReturn = await answerPage(theirs.authenticationUrl, 'approve', 'elise');
			expectNoRun(await comeBack(theirReturn, mine.browser), 400, 'This sign-in was not started in this browser');

			// The same cookie under the other transaction's name does not open: the name is sealed in.
			const [[, myValue]] = [...mine.browser.cookies];
			const [[theirName]] = [...theirs.browser.cookies];
			const renamed = new Browser();
			renamed.cookies.set(theirName, myValue);
			expectNoRun(await comeBack(theirReturn, renamed), 400, 'This sign-in link is not valid');
			expect(statusReads()).toBe(0);

			// The rightful browser still gets through.
			expect((await comeBack(theirReturn, theirs.browser)).workflowData![0][0].json).toMatchObject({
				reference: 'victim',
				status: 'verified',
			});
		});

	});
});
