import { CmItsme } from '../../../nodes/CmItsme/CmItsme.node';
import { ALREADY_COLLECTED_REASON } from '../../../nodes/CmItsme/normalize';
import { waitForCompletion } from '../../../nodes/CmItsme/actions/transaction/waitForCompletion.operation';
import { createRequestContext, runExecute } from '../../harness';
import { ITSME_API_PREFIX, ITSME_TEST_TOKEN } from '../../sandbox/itsme';
import { credentialStore, errorOf, expectNoMerchantToken, useItsmeSandbox } from './fixture';

const node = new CmItsme();
const REDIRECT = 'https://merchant.example/itsme/return?case=42';
const UNKNOWN_TRANSACTION = 'SMDhN88yYlE3ug2mUzSsma7Vb3GFBXV61tLgJEYVwJVZ9623kECl7A5p4uqIat2W';

const LUCAS = {
	userId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw',
	name: { givenName: 'Lucas', familyName: 'Maes', fullName: 'Lucas Maes' },
	gender: 'male',
	birthdate: '1974-01-31',
	locale: 'nl',
	phoneNumber: '+32471234567',
	emailAddress: 'lucas.maes@example.com',
	address: { streetAddress: 'Rue Neuve 1', postalCode: '1000', city: 'Bruxelles', countryCode: 'BE' },
};

describe('CM itsme node against the sandbox', () => {
	const itsme = useItsmeSandbox();
	/** Every output and error of the test, checked for the merchant token afterwards. */
	let seen: unknown[];

	beforeEach(() => {
		seen = [];
	});
	afterEach(() => {
		expectNoMerchantToken(seen);
	});

	async function run(parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runExecute>[1]> = {}) {
		const result = await runExecute(node, {
			parameters: { resource: 'transaction', ...parameters } as never,
			credentials: itsme.credentials,
			...extra,
		});
		seen.push(result.output);
		return result.output[0];
	}

	async function fail(parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runExecute>[1]> = {}) {
		const error = await errorOf(run(parameters, extra));
		seen.push(error);
		return error;
	}

	async function created(overrides: Record<string, unknown> = {}): Promise<string> {
		const [item] = await run({ operation: 'create', redirectUrl: REDIRECT, ...overrides });
		return item.json.transactionToken as string;
	}

	function sentBodies(): Array<Record<string, unknown>> {
		return itsme.sandbox
			.requests({ method: 'POST', path: `${ITSME_API_PREFIX}/transactions` })
			.map((entry) => JSON.parse(entry.body.toString('utf8')));
	}

	describe('Create', () => {
		it('sends the token in the body with the chosen fields and outputs the token and the link', async () => {
			const [item] = await run({
				operation: 'create',
				service: 'register',
				scopes: ['email', 'profile'],
				redirectUrl: REDIRECT,
				additionalFields: { locale: 'fr', phoneNumber: '+32 471 23 45 67' },
			});
			const stored = itsme.sandbox.transaction(item.json.transactionToken as string);
			expect(item.json).toEqual({ transactionToken: stored.transactionToken, authenticationUrl: stored.authenticationUrl });
			expect(stored).toMatchObject({
				service: 'register',
				scopes: ['profile', 'email'],
				locale: 'fr',
				redirectUrl: REDIRECT,
				phoneNumber: '+32471234567',
			});
			// The sandbox's log blanks the token it received: it was there, in the body.
			expect(sentBodies()).toEqual([
				{
					service: 'register',
					scopes: ['profile', 'email'],
					redirectUrl: REDIRECT,
					locale: 'fr',
					phoneNumber: '+32471234567',
					token: '[redacted]',
				},
			]);
		});

		it('leaves out locale and phone number when not given, and sends a redirect URL in its canonical form', async () => {
			await created({ scopes: [], redirectUrl: 'https://merchant.example/back to shop' });
			expect(sentBodies()).toEqual([
				{ service: 'login', scopes: [], redirectUrl: 'https://merchant.example/back%20to%20shop', token: '[redacted]' },
			]);
		});

		it.each<[string, Record<string, unknown>, string, string]>([
			['an expression that gives no redirect URL', { redirectUrl: '={{ $json.missing }}' }, 'No redirect URL given', 'Enter the full address'],
			[
				'a relative redirect URL',
				{ redirectUrl: '/itsme/return' },
				'The redirect URL "/itsme/return" is not an absolute http or https URL',
				'starting with https:// or http://',
			],
			[
				'an ftp redirect URL',
				{ redirectUrl: 'ftp://merchant.example/' },
				'The redirect URL "ftp://merchant.example/" is not an absolute http or https URL',
				'starting with https:// or http://',
			],
			[
				'a national phone number',
				{ redirectUrl: REDIRECT, additionalFields: { phoneNumber: '0471 23 45 67' } },
				'The phone number "0471 23 45 67" is not in E.164 format',
				'Write it with + and the country code, e.g. +32471234567',
			],
			[
				'an unknown locale',
				{ redirectUrl: REDIRECT, additionalFields: { locale: '={{ "es" }}' } },
				'The locale "es" is not one itsme offers',
				'Use one of en, nl, fr, de',
			],
			[
				'an unknown service',
				{ redirectUrl: REDIRECT, service: '={{ "signup" }}' },
				'The service "signup" is not one itsme offers',
				'Use login or register',
			],
			[
				'an unknown scope',
				{ redirectUrl: REDIRECT, scopes: ['email', 'iban'] },
				'The scopes ["iban"] are not ones itsme offers',
				'Choose among profile, email, phone, address',
			],
		])('refuses %s before sending anything', async (_case, parameters, message, fix) => {
			const error = await fail({ operation: 'create', ...parameters });
			expect(error.message).toBe(message);
			expect(error.description).toContain(fix);
			expect(itsme.apiRequests()).toBe(0);
		});

		it("passes CM's 400 on for a token CM does not know, without the token", async () => {
			itsme.credentials = credentialStore({ token: 'not-a-merchant-token', environment: 'custom', baseUrl: itsme.apiUrl });
			const error = await fail({ operation: 'create', redirectUrl: REDIRECT });
			expect(error.message).toBe('CM itsme: Invalid token');
			expect(error.httpCode).toBe('400');
			expect(error.description).toContain('Check the merchant token');
			expect(JSON.stringify(error)).not.toContain('not-a-merchant-token');
		});

		it("passes CM's 401 on when CM answers an unknown token that way", async () => {
			itsme.sandbox.configure({ unknownTokenStatus: 401 });
			itsme.credentials = credentialStore({ token: 'another-unknown-token', environment: 'custom', baseUrl: itsme.apiUrl });
			const error = await fail({ operation: 'create', redirectUrl: REDIRECT });
			expect(error.message).toBe('CM itsme: Invalid token');
			expect(error.httpCode).toBe('401');
			expect(error.description).toContain('did not accept the merchant token');
			expect(JSON.stringify(error)).not.toContain('another-unknown-token');
		});

		it("passes CM's 500 message on and never repeats a create", async () => {
			itsme.sandbox.queueFault({
				kind: 'status',
				status: 500,
				method: 'POST',
				path: `${ITSME_API_PREFIX}/transactions`,
				message: 'Error creating the transaction',
			});
			const error = await fail({ operation: 'create', redirectUrl: REDIRECT });
			expect(error.message).toBe('CM itsme: Error creating the transaction');
			expect(error.httpCode).toBe('500');
			expect(itsme.apiRequests('POST')).toBe(1);
		});

		it('says what to change when a custom environment has no base URL', async () => {
			itsme.credentials = credentialStore({ token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: '' });
			const error = await fail({ operation: 'create', redirectUrl: REDIRECT });
			expect(error.message).toBe('The CM itsme credential has the environment "Custom" but no valid Base URL');
			expect(error.description).toContain('enter the Base URL');
		});
	});

	describe('Get Status', () => {
		it('reads an open transaction as pending', async () => {
			const token = await created();
			const [item] = await run({ operation: 'getStatus', transactionToken: token });
			expect(item.json).toMatchObject({
				provider: 'itsme',
				transactionId: token,
				status: 'pending',
				verified: false,
				reason: null,
				locale: null,
				raw: null,
			});
		});

		it("maps the person's data on the first read after success, and says plainly on the next that it was collected", async () => {
			const token = await created();
			itsme.sandbox.approve(token, 'lucas');
			const [first] = await run({ operation: 'getStatus', transactionToken: token });
			expect(first.json).toEqual({
				provider: 'itsme',
				transactionId: token,
				reference: null,
				status: 'verified',
				verified: true,
				reason: null,
				assurance: { level: null, method: 'itsme' },
				completedAt: null,
				person: {
					subjectId: LUCAS.userId,
					nationalId: null,
					givenName: 'Lucas',
					familyName: 'Maes',
					fullName: 'Lucas Maes',
					birthDate: '1974-01-31',
					gender: 'male',
					nationality: null,
					email: 'lucas.maes@example.com',
					phone: '+32471234567',
					address: { street: 'Rue Neuve', houseNumber: '1', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
					isAdult: true,
				},
				document: { type: null, number: null, issuingCountry: null, validUntil: null },
				raw: null,
				locale: 'nl',
			});
			expect(itsme.sandbox.transaction(token).userInfoDelivered).toBe(true);

			const [second] = await run({ operation: 'getStatus', transactionToken: token });
			expect(second.json).toMatchObject({
				status: 'review',
				verified: false,
				reason: ALREADY_COLLECTED_REASON,
				person: { subjectId: null, fullName: null },
			});
		});

		it("gives CM's answer as it came with Output Raw, and both with Output Both", async () => {
			const raw = await created();
			itsme.sandbox.approve(raw, 'lucas');
			expect((await run({ operation: 'getStatus', transactionToken: raw, output: 'raw' }))[0].json).toEqual({
				status: 'success',
				...LUCAS,
			});
			const both = await created();
			itsme.sandbox.approve(both, 'lucas');
			const [item] = await run({ operation: 'getStatus', transactionToken: both, output: 'both' });
			expect(item.json).toMatchObject({ status: 'verified', locale: 'nl', raw: { status: 'success', ...LUCAS } });
		});

		it('splits a multi-line street into street and house number, and keeps a street without a number whole', async () => {
			const elise = await created({ scopes: ['address', 'profile'] });
			const lena = await created({ scopes: ['address'] });
			itsme.sandbox.approve(elise, 'elise');
			itsme.sandbox.approve(lena, 'lena');
			const [eliseItem] = await run({ operation: 'getStatus', transactionToken: elise });
			const [lenaItem] = await run({ operation: 'getStatus', transactionToken: lena });
			expect(eliseItem.json).toMatchObject({
				person: {
					givenName: 'Élise',
					familyName: 'Van der Meulen',
					gender: 'female',
					address: { street: 'Rue de la Loi', houseNumber: '16 Boîte 3', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
				},
				locale: 'fr',
			});
			expect(lenaItem.json).toMatchObject({
				status: 'verified',
				person: { fullName: null, address: { street: 'Kirchgasse', houseNumber: null, city: 'Sankt Vith' } },
			});
		});

		it.each([
			['cancel', 'cancelled', 'The person cancelled in itsme'],
			['fail', 'failed', 'itsme reported that the transaction failed'],
			['expire', 'expired', 'The transaction expired before the person confirmed it in itsme'],
		] as const)('maps a transaction that the person ends with %s to %s', async (action, status, reason) => {
			const token = await created();
			itsme.sandbox[action](token);
			const [item] = await run({ operation: 'getStatus', transactionToken: token });
			expect(item.json).toMatchObject({ status, verified: false, reason, person: { subjectId: null } });
		});

		it("passes CM's 404 on for a transaction it does not know", async () => {
			const error = await fail({ operation: 'getStatus', transactionToken: UNKNOWN_TRANSACTION });
			expect(error.message).toBe('CM itsme: Transaction not found');
			expect(error.httpCode).toBe('404');
			expect(error.description).toContain('CM does not know this transaction token');
		});

		it("retries a status read after 503, and passes CM's 500 message on once the retries are spent", async () => {
			const token = await created();
			itsme.sandbox.queueFault({ kind: 'status', status: 503, method: 'GET' });
			expect((await run({ operation: 'getStatus', transactionToken: token }))[0].json.status).toBe('pending');
			itsme.sandbox.queueFault({ kind: 'status', status: 500, method: 'GET', times: 5 });
			const error = await fail({ operation: 'getStatus', transactionToken: token });
			expect(error.message).toBe('CM itsme: Internal server error');
			expect(error.httpCode).toBe('500');
		});

		it.each([
			['={{ $json.missing }}', 'No transaction token given'],
			['abc def', '"abc def" is not a transaction token'],
			['../transactions', '"../transactions" is not a transaction token'],
		])('refuses the transaction token %j before asking CM', async (token, message) => {
			const error = await fail({ operation: 'getStatus', transactionToken: token });
			expect(error.message).toBe(message);
			expect(error.description).toContain('transactionToken that the Create operation returned');
			expect(itsme.apiRequests()).toBe(0);
		});

		it('keeps going with continueOnFail: the error on its item, the order and pairing kept', async () => {
			const first = await created();
			const third = await created();
			const items = [first, UNKNOWN_TRANSACTION, third].map((token) => ({ json: { token } }));
			const output = await run(
				{ operation: 'getStatus', transactionToken: '={{ $json.token }}' },
				{ items, continueOnFail: true },
			);
			expect(output.map((item) => item.json.transactionId ?? item.json.error)).toEqual([
				first,
				'CM itsme: Transaction not found',
				third,
			]);
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});
	});

	describe('Wait for Completion', () => {
		const fast = { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 30 };

		it("polls until the person approves and emits the data the first time it sees it; a later read has none", async () => {
			const token = await created();
			const waiting = run({ operation: 'waitForCompletion', transactionToken: token, options: fast });
			while (itsme.apiRequests('GET') < 2) await new Promise((resolve) => setTimeout(resolve, 10));
			itsme.sandbox.approve(token, 'elise');
			const [item] = await waiting;
			expect(item.json).toMatchObject({
				status: 'verified',
				person: { subjectId: 'Hn7Qe2LwZp4Vb9XcKd3RtY6uMa8SfJg1Ez5NoPiW', fullName: 'Élise Van der Meulen' },
			});
			const readsWhileWaiting = itsme.apiRequests('GET');
			const [later] = await run({ operation: 'getStatus', transactionToken: token });
			expect(later.json).toMatchObject({ status: 'review', reason: ALREADY_COLLECTED_REASON });
			expect(itsme.apiRequests('GET')).toBe(readsWhileWaiting + 1);
		});

		it('ends when the person cancels', async () => {
			const token = await created();
			itsme.sandbox.cancel(token);
			const [item] = await run({ operation: 'waitForCompletion', transactionToken: token, options: fast });
			expect(item.json).toMatchObject({ status: 'cancelled', verified: false });
			expect(itsme.apiRequests('GET')).toBe(1);
		});

		it("stops at once when the execution is cancelled", async () => {
			const token = await created();
			const cancel = new AbortController();
			const { ctx } = await createRequestContext({
				credentials: itsme.credentials,
				parameters: { transactionToken: token, output: 'normalized', options: { pollIntervalSeconds: 10, waitTimeoutSeconds: 600 } },
				properties: waitForCompletion.properties,
				abortSignal: cancel.signal,
			});
			const waiting = waitForCompletion.execute.call(ctx, 0, {});
			while (itsme.apiRequests('GET') < 1) await new Promise((resolve) => setTimeout(resolve, 10));
			const startedAt = Date.now();
			cancel.abort();
			await expect(waiting).rejects.toThrow();
			expect(Date.now() - startedAt).toBeLessThan(1000);
			expect(itsme.apiRequests('GET')).toBe(1);
		});

		it('fails after the timeout, or outputs the open transaction when asked to', async () => {
			const token = await created();
			const options = { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 0.1 };
			const error = await fail({ operation: 'waitForCompletion', transactionToken: token, options });
			expect(error.message).toBe(`The itsme transaction ${token.slice(0, 8)}… is still open`);
			expect(error.message).not.toContain(token);
			expect(error.description).toContain('Raise "Wait Timeout"');
			const [item] = await run({
				operation: 'waitForCompletion',
				transactionToken: token,
				options: { ...options, onTimeout: 'output' },
			});
			expect(item.json).toMatchObject({ status: 'pending', verified: false });
		});
	});
});
