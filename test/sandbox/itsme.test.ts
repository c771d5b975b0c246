import { SandboxClock } from './framework';
import {
	DEFAULT_TRANSACTION_LIFETIME_MS,
	ITSME_API_PREFIX,
	ITSME_PAGE_PREFIX,
	ITSME_SECOND_TOKEN,
	ITSME_TEST_TOKEN,
	ItsmeSimulator,
	itsmeEntry,
	merchantFingerprint,
	type ItsmeTransactionView,
} from './itsme';

const START = Date.UTC(2025, 2, 1, 9, 30, 0);
/** Query and fragment included: the redirect must give it back byte for byte. */
const REDIRECT = 'https://merchant.example/itsme/return?state=abc%20123&x=1#done';
/** The placeholder token of the document's example: no merchant has it. */
const EXAMPLE_TOKEN = '00000000-0000-0000-0000-000000000000';
const ALL_SCOPES = ['profile', 'email', 'phone', 'address'];
const BAD_REDIRECT = 'redirectUrl must be an absolute http or https URL';
const BAD_PHONE = 'phoneNumber must be in E.164 format, e.g. +32471234567';
const BAD_CONTENT_TYPE = 'Content-Type must be application/json';

let itsme: ItsmeSimulator;
let base: string;

beforeEach(async () => {
	itsme = new ItsmeSimulator({ clock: new SandboxClock({ startMs: START }) });
	base = await itsme.start();
});

afterEach(() => itsme.stop());

interface Answer {
	status: number;
	text: string;
	body: any;
	headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
	const answer = await fetch(url, { redirect: 'manual', ...init });
	const text = await answer.text();
	const isJson = answer.headers.get('content-type')?.startsWith('application/json');
	return { status: answer.status, text, body: isJson && text ? JSON.parse(text) : undefined, headers: answer.headers };
}

function createRaw(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return call(`${base}${ITSME_API_PREFIX}/transactions`, { method: 'POST', headers, body: text });
}

function validBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const body = { token: ITSME_TEST_TOKEN, service: 'login', scopes: ALL_SCOPES, locale: 'nl', redirectUrl: REDIRECT };
	return { ...body, ...overrides };
}

interface Created {
	transactionToken: string;
	authenticationUrl: string;
}

async function create(overrides: Record<string, unknown> = {}): Promise<Created> {
	const answer = await createRaw(validBody(overrides));
	expect(answer.status).toBe(200);
	return answer.body;
}

function status(transactionToken: string): Promise<Answer> {
	return call(`${base}${ITSME_API_PREFIX}/status/${transactionToken}`);
}

function submitPage(authenticationUrl: string, form: Record<string, string>): Promise<Answer> {
	return call(authenticationUrl, { method: 'POST', body: new URLSearchParams(form) });
}

function control(method: string, path: string, body?: unknown): Promise<Answer> {
	return call(`${base}/__sandbox${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

const LUCAS_INFO = {
	userId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw',
	name: { givenName: 'Lucas', familyName: 'Maes', fullName: 'Lucas Maes' },
	gender: 'male',
	birthdate: '1974-01-31',
	locale: 'nl',
	phoneNumber: '+32471234567',
	emailAddress: 'lucas.maes@example.com',
	address: { streetAddress: 'Rue Neuve 1', postalCode: '1000', city: 'Bruxelles', countryCode: 'BE' },
};

describe('POST /transactions: the merchant token in the body', () => {
	it('creates a transaction: 200 {transactionToken, authenticationUrl}, never echoing the token', async () => {
		const answer = await createRaw(validBody({ phoneNumber: '+32471234567', service: 'register' }));
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.body).sort()).toEqual(['authenticationUrl', 'transactionToken']);
		expect(answer.body.transactionToken).toMatch(/^[A-Za-z0-9]{64}$/);
		expect(answer.body.authenticationUrl.startsWith(`${base}${ITSME_PAGE_PREFIX}/`)).toBe(true);
		expect(answer.body.authenticationUrl).not.toContain(answer.body.transactionToken);
		expect(answer.text).not.toContain(ITSME_TEST_TOKEN);
	});

	it('accepts every configured merchant and records which one, by fingerprint only', async () => {
		const { transactionToken } = await create({ token: ITSME_SECOND_TOKEN });
		const view = itsme.transaction(transactionToken);
		expect(view.merchant).toBe(merchantFingerprint(ITSME_SECOND_TOKEN));
		expect(JSON.stringify(itsme.transactions())).not.toContain(ITSME_SECOND_TOKEN);
	});

	it('ignores a token sent as a header or in the query: only the body counts', async () => {
		const { token: _token, ...withoutToken } = validBody();
		const headerOnly = await createRaw(withoutToken, {
			'content-type': 'application/json',
			authorization: `Bearer ${ITSME_TEST_TOKEN}`,
			token: ITSME_TEST_TOKEN,
		});
		expect(headerOnly).toMatchObject({ status: 400, body: { message: 'token is required' } });
		const queryOnly = await call(`${base}${ITSME_API_PREFIX}/transactions?token=${ITSME_TEST_TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(withoutToken),
		});
		expect(queryOnly).toMatchObject({ status: 400, body: { message: 'token is required' } });
	});

	it.each([
		['the document example token', EXAMPLE_TOKEN],
		['a token in the wrong case', ITSME_TEST_TOKEN.toUpperCase()],
		['a token with a trailing space', `${ITSME_TEST_TOKEN} `],
	])('answers 400 {message: "Invalid token"} for %s, without echoing it', async (_case, token) => {
		const answer = await createRaw(validBody({ token }));
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ message: 'Invalid token' });
		expect(answer.text).not.toContain(token.trim());
	});

	it('checks the token before any other field', async () => {
		const answer = await createRaw({ token: EXAMPLE_TOKEN, service: 'nope' });
		expect(answer.body).toEqual({ message: 'Invalid token' });
	});

	it('answers 401 for an unknown token when configured so', async () => {
		expect((await control('PUT', '/itsme/settings', { unknownTokenStatus: 401 })).status).toBe(200);
		const answer = await createRaw(validBody({ token: EXAMPLE_TOKEN }));
		expect(answer).toMatchObject({ status: 401, body: { message: 'Invalid token' } });
	});

	it('knows only the merchant tokens it is given', async () => {
		const custom = new ItsmeSimulator({ merchantTokens: ['merchant-a'] });
		const customBase = await custom.start();
		try {
			const send = (token: string) =>
				call(`${customBase}${ITSME_API_PREFIX}/transactions`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(validBody({ token })),
				});
			expect((await send('merchant-a')).status).toBe(200);
			expect((await send(ITSME_TEST_TOKEN)).status).toBe(400);
		} finally {
			await custom.stop();
		}
	});

	it('refuses an empty list of merchant tokens', () => {
		expect(() => new ItsmeSimulator({ merchantTokens: [] })).toThrow(/merchantTokens/);
	});
});

describe('POST /transactions: validation answers 400 naming the field', () => {
	it.each<[string, Record<string, unknown>, string]>([
		['no token', { token: undefined }, 'token is required'],
		['a numeric token', { token: 42 }, 'token must be a non-empty string'],
		['an empty token', { token: '' }, 'token must be a non-empty string'],
		['no service', { service: undefined }, 'service is required'],
		['an unknown service', { service: 'signup' }, 'service must be one of login, register'],
		['a service in capitals', { service: 'LOGIN' }, 'service must be one of login, register'],
		['scopes as a string', { scopes: 'email' }, 'scopes must be an array of profile, email, phone, address'],
		['scopes null', { scopes: null }, 'scopes must be an array of profile, email, phone, address'],
		['an unknown scope', { scopes: ['email', 'iban'] }, 'scopes[1] must be one of profile, email, phone, address'],
		['an unknown locale', { locale: 'es' }, 'locale must be one of en, nl, fr, de'],
		['a locale with region', { locale: 'nl-BE' }, 'locale must be one of en, nl, fr, de'],
		['a null locale', { locale: null }, 'locale must be one of en, nl, fr, de'],
		['no redirectUrl', { redirectUrl: undefined }, 'redirectUrl is required'],
		['a relative redirectUrl', { redirectUrl: '/return' }, BAD_REDIRECT],
		['a javascript: redirectUrl', { redirectUrl: 'javascript:alert(1)' }, BAD_REDIRECT],
		['a redirectUrl with a space', { redirectUrl: 'https://a.example/x y' }, BAD_REDIRECT],
		['a redirectUrl with non-ASCII', { redirectUrl: 'https://exämple.be/' }, BAD_REDIRECT],
		['a numeric phone number', { phoneNumber: 32471234567 }, BAD_PHONE],
		['a phone number without +', { phoneNumber: '0471234567' }, BAD_PHONE],
		['a phone number with spaces', { phoneNumber: '+32 471 23 45 67' }, BAD_PHONE],
		['a phone number too long', { phoneNumber: '+3247123456789012' }, BAD_PHONE],
	])('%s', async (_case, overrides, message) => {
		const answer = await createRaw(validBody(overrides));
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ message });
		expect(itsme.transactions()).toHaveLength(0);
	});

	it.each<[string, unknown, Record<string, string>, string]>([
		['malformed JSON', '{"token":', { 'content-type': 'application/json' }, 'Malformed JSON body'],
		['a JSON array', [validBody()], { 'content-type': 'application/json' }, 'Request body must be a JSON object'],
		['a form body', 'token=x', { 'content-type': 'application/x-www-form-urlencoded' }, BAD_CONTENT_TYPE],
	])('%s', async (_case, body, headers, message) => {
		const answer = await createRaw(body, headers);
		expect(answer).toMatchObject({ status: 400, body: { message } });
	});

	it('accepts the minimal body, plain http redirects, duplicate scopes and ignores unknown fields', async () => {
		const minimal = await createRaw({
			token: ITSME_TEST_TOKEN,
			service: 'login',
			redirectUrl: 'http://localhost:5678/cb',
		});
		expect(minimal.status).toBe(200);
		const { transactionToken } = await create({ scopes: ['email', 'email'], extra: true });
		expect(itsme.transaction(transactionToken).scopes).toEqual(['email']);
		const stored = itsme.transaction(minimal.body.transactionToken);
		expect(stored).toMatchObject({ scopes: [], locale: null, phoneNumber: null });
	});

	it('answers 500 through an injected fault, in the same { message } shape, creating nothing', async () => {
		const message = 'Error creating the transaction';
		itsme.queueFault({ kind: 'status', status: 500, method: 'POST', path: `${ITSME_API_PREFIX}/transactions`, message });
		itsme.queueFault({ kind: 'status', status: 500, path: `${ITSME_API_PREFIX}/*` });
		expect(await createRaw(validBody())).toMatchObject({ status: 500, body: { message } });
		expect(await createRaw(validBody())).toMatchObject({ status: 500, body: { message: 'Internal server error' } });
		expect(itsme.transactions()).toHaveLength(0);
		expect((await createRaw(validBody())).status).toBe(200);
	});
});

describe('the itsme page and GET /status', () => {
	it('walks create → page → approve → redirect → status with data → status without data', async () => {
		const { transactionToken, authenticationUrl } = await create({ phoneNumber: '+32471234567' });
		expect((await status(transactionToken)).body).toEqual({ status: 'open' });

		const page = await call(authenticationUrl);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.text).toContain('<form method="post">');
		expect(page.text).toContain('<html lang="nl">');
		for (const action of ['approve', 'cancel', 'fail', 'expire']) {
			expect(page.text).toContain(`name="action" value="${action}"`);
		}
		expect(page.text).toContain('+32471234567');
		expect(page.text).not.toContain(ITSME_TEST_TOKEN);
		expect(page.text).not.toContain(transactionToken);

		const redirect = await submitPage(authenticationUrl, { identity: 'lucas', action: 'approve' });
		expect(redirect.status).toBe(302);
		expect(redirect.headers.get('location')).toBe(REDIRECT);

		const first = await status(transactionToken);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ status: 'success', ...LUCAS_INFO });
		expect(Object.keys(first.body)).toEqual(['status', ...Object.keys(LUCAS_INFO)]);
		expect((await status(transactionToken)).body).toEqual({ status: 'success' });
		expect((await status(transactionToken)).body).toEqual({ status: 'success' });
		const view = itsme.transaction(transactionToken);
		expect(view).toMatchObject({ status: 'success', identity: 'lucas', userInfoDelivered: true });
	});

	it('hands out a multi-line street address with its \\n', async () => {
		const { transactionToken, authenticationUrl } = await create({ scopes: ['address'] });
		await submitPage(authenticationUrl, { identity: 'elise', action: 'approve' });
		const answer = await status(transactionToken);
		expect(answer.text).toContain('"streetAddress":"Rue de la Loi 16\\nBoîte 3"');
		expect(answer.body.address).toEqual({
			streetAddress: 'Rue de la Loi 16\nBoîte 3',
			postalCode: '1000',
			city: 'Bruxelles',
			countryCode: 'BE',
		});
	});

	it('hands out a street without a house number', async () => {
		const { transactionToken } = await create({ scopes: ['address', 'profile'] });
		itsme.approve(transactionToken, 'lena');
		const { body } = await status(transactionToken);
		expect(body.address.streetAddress).toBe('Kirchgasse');
		expect(body.locale).toBe('de');
		expect(body.name.fullName).toBe('Lena Schmitz');
	});

	it.each<[string[], string[]]>([
		[[], ['status', 'userId']],
		[['email'], ['status', 'userId', 'emailAddress']],
		[['phone'], ['status', 'userId', 'phoneNumber']],
		[['profile'], ['status', 'userId', 'name', 'gender', 'birthdate', 'locale']],
		[['address', 'email'], ['status', 'userId', 'emailAddress', 'address']],
	])('limits the user info to the scopes %j', async (scopes, keys) => {
		const { transactionToken } = await create({ scopes });
		itsme.approve(transactionToken);
		expect(Object.keys((await status(transactionToken)).body)).toEqual(keys);
	});

	it('keeps userId the same for the same person across transactions and merchants', async () => {
		const first = await create({ scopes: [] });
		const second = await create({ scopes: [], token: ITSME_SECOND_TOKEN });
		itsme.approve(first.transactionToken, 'elise');
		itsme.approve(second.transactionToken, 'elise');
		const ids = [(await status(first.transactionToken)).body.userId, (await status(second.transactionToken)).body.userId];
		expect(ids[0]).toBe(ids[1]);
		expect(ids[0]).not.toBe(LUCAS_INFO.userId);
	});

	it.each([
		['cancel', 'cancelled'],
		['fail', 'failure'],
		['expire', 'expired'],
	])('page action %s redirects unchanged and reads %s, without data', async (action, expected) => {
		const { transactionToken, authenticationUrl } = await create();
		const redirect = await submitPage(authenticationUrl, { identity: 'lucas', action });
		expect(redirect.status).toBe(302);
		expect(redirect.headers.get('location')).toBe(REDIRECT);
		expect((await status(transactionToken)).body).toEqual({ status: expected });
		expect((await status(transactionToken)).body).toEqual({ status: expected });
	});

	it('shows a finished transaction as closed, links back, and changes nothing on a second answer', async () => {
		const { transactionToken, authenticationUrl } = await create();
		await submitPage(authenticationUrl, { action: 'cancel' });
		const again = await call(authenticationUrl);
		expect(again.status).toBe(409);
		expect(again.text).toContain('was cancelled');
		expect(again.text).toContain('href="https://merchant.example/itsme/return?state=abc%20123&#38;x=1#done"');
		expect((await submitPage(authenticationUrl, { action: 'approve', identity: 'lucas' })).status).toBe(409);
		expect((await status(transactionToken)).body).toEqual({ status: 'cancelled' });
	});

	it('preselects the identity whose phone number the merchant prefilled, else the current identity', async () => {
		const prefilled = await create({ phoneNumber: '+32478112233' });
		expect((await call(prefilled.authenticationUrl)).text).toContain('value="elise" checked');
		itsme.setIdentity('lena');
		const plain = await create();
		expect((await call(plain.authenticationUrl)).text).toContain('value="lena" checked');
		await submitPage(plain.authenticationUrl, { action: 'approve' });
		expect(itsme.transaction(plain.transactionToken).identity).toBe('lena');
	});

	it('refuses an unknown action or identity on the page and keeps the transaction open', async () => {
		const { transactionToken, authenticationUrl } = await create();
		expect((await submitPage(authenticationUrl, { action: 'maybe' })).status).toBe(400);
		expect((await submitPage(authenticationUrl, { action: 'approve', identity: 'nobody' })).status).toBe(400);
		expect((await status(transactionToken)).body).toEqual({ status: 'open' });
	});

	it('answers 404 for an unknown page or transaction token', async () => {
		expect((await call(`${base}${ITSME_PAGE_PREFIX}/no-such-session`)).status).toBe(404);
		const answer = await status('SMDhN88yYlE3ug2mUzSsma7Vb3GFBXV61tLgJEYVwJVZ9623kECl7A5p4uqIat2W');
		expect(answer).toMatchObject({ status: 404, body: { message: 'Transaction not found' } });
	});

	it('does not take the page session id for a transaction token', async () => {
		const { authenticationUrl } = await create();
		const sessionId = authenticationUrl.split('/').pop() as string;
		expect((await status(sessionId)).status).toBe(404);
	});
});

describe('expiry on the sandbox clock', () => {
	it('reads expired from the lifetime (10 min) after creation on, on the page and in controls', async () => {
		const { transactionToken, authenticationUrl } = await create();
		itsme.clock.advance(DEFAULT_TRANSACTION_LIFETIME_MS - 1);
		expect((await status(transactionToken)).body).toEqual({ status: 'open' });
		itsme.clock.advance(1);
		expect((await status(transactionToken)).body).toEqual({ status: 'expired' });

		const page = await call(authenticationUrl);
		expect(page.status).toBe(410);
		expect(page.text).toContain('has expired');
		expect((await submitPage(authenticationUrl, { action: 'approve' })).status).toBe(410);
		expect((await control('POST', `/itsme/transactions/${transactionToken}/approve`)).status).toBe(409);
		expect(itsme.transaction(transactionToken)).toMatchObject({
			status: 'expired',
			finishedAt: new Date(START + DEFAULT_TRANSACTION_LIFETIME_MS).toISOString(),
		});
	});

	it('keeps a success and its undelivered data past the lifetime', async () => {
		const { transactionToken } = await create({ scopes: ['email'] });
		itsme.approve(transactionToken);
		itsme.clock.advance(DEFAULT_TRANSACTION_LIFETIME_MS * 10);
		expect((await status(transactionToken)).body).toEqual({
			status: 'success',
			userId: LUCAS_INFO.userId,
			emailAddress: LUCAS_INFO.emailAddress,
		});
	});

	it('uses the configured lifetime for transactions created afterwards', async () => {
		const before = await create();
		itsme.configure({ transactionLifetimeMs: 60_000 });
		const after = await create();
		itsme.clock.advance(60_000);
		expect((await status(after.transactionToken)).body).toEqual({ status: 'expired' });
		expect((await status(before.transactionToken)).body).toEqual({ status: 'open' });
	});
});

describe('faults on GET /status', () => {
	it('a truncated first read still uses up the data: the retry gets success without it', async () => {
		const { transactionToken } = await create();
		itsme.approve(transactionToken);
		itsme.queueFault({ kind: 'truncate', path: `${ITSME_API_PREFIX}/status/:token` });
		const read = fetch(`${base}${ITSME_API_PREFIX}/status/${transactionToken}`).then((answer) => answer.text());
		await expect(read).rejects.toThrow();
		expect((await status(transactionToken)).body).toEqual({ status: 'success' });
	});

	it('a status fault answers before the handler, so the data is still there afterwards', async () => {
		const { transactionToken } = await create();
		itsme.approve(transactionToken);
		itsme.queueFault({ kind: 'status', status: 500, path: `${ITSME_API_PREFIX}/status/*` });
		expect(await status(transactionToken)).toMatchObject({ status: 500, body: { message: 'Internal server error' } });
		expect((await status(transactionToken)).body).toEqual({ status: 'success', ...LUCAS_INFO });
	});

	it('renders a 429 fault in the same shape', async () => {
		await control('POST', '/faults', { kind: 'status', status: 429, retryAfter: 2 });
		const answer = await createRaw(validBody());
		expect(answer).toMatchObject({ status: 429, body: { message: 'Too Many Requests' } });
		expect(answer.headers.get('retry-after')).toBe('2');
	});
});

describe('controls under /__sandbox/itsme', () => {
	it('lists and reads transactions by token or session id, without the merchant token', async () => {
		const { transactionToken, authenticationUrl } = await create({ phoneNumber: '+32471234567' });
		const list = await control('GET', '/itsme/transactions');
		expect(list.status).toBe(200);
		expect(list.text).not.toContain(ITSME_TEST_TOKEN);
		const expected: ItsmeTransactionView = {
			transactionToken,
			authenticationUrl,
			merchant: merchantFingerprint(ITSME_TEST_TOKEN),
			service: 'login',
			scopes: ALL_SCOPES as ItsmeTransactionView['scopes'],
			locale: 'nl',
			redirectUrl: REDIRECT,
			phoneNumber: '+32471234567',
			status: 'open',
			identity: null,
			userInfoDelivered: false,
			createdAt: new Date(START).toISOString(),
			expiresAt: new Date(START + DEFAULT_TRANSACTION_LIFETIME_MS).toISOString(),
			finishedAt: null,
		};
		expect(list.body).toEqual({ transactions: [expected] });
		const sessionId = authenticationUrl.split('/').pop() as string;
		expect((await control('GET', `/itsme/transactions/${sessionId}`)).body).toEqual(expected);
		expect((await control('GET', '/itsme/transactions/unknown')).status).toBe(404);
	});

	it('approves with a chosen identity, and refuses a second answer or an unknown identity', async () => {
		const { transactionToken } = await create({ scopes: ['profile'] });
		const approve = (body: unknown) => control('POST', `/itsme/transactions/${transactionToken}/approve`, body);
		expect((await approve({ identity: 'nobody' })).status).toBe(400);
		expect((await approve({ identity: 7 })).status).toBe(400);
		const approved = await approve({ identity: 'elise' });
		const finishedAt = new Date(START).toISOString();
		expect(approved.body).toMatchObject({ status: 'success', identity: 'elise', finishedAt });
		const again = await control('POST', `/itsme/transactions/${transactionToken}/cancel`);
		expect(again).toMatchObject({ status: 409, body: { message: 'transaction is success, not open' } });
		expect((await status(transactionToken)).body.name.fullName).toBe('Élise Van der Meulen');
	});

	it.each([
		['cancel', 'cancelled'],
		['fail', 'failure'],
		['expire', 'expired'],
	])('%s ends the transaction as %s', async (action, expected) => {
		const { transactionToken } = await create();
		const answer = await control('POST', `/itsme/transactions/${transactionToken}/${action}`);
		expect(answer.body.status).toBe(expected);
		expect((await status(transactionToken)).body).toEqual({ status: expected });
	});

	it('sets the identity used when none is chosen', async () => {
		expect((await control('GET', '/itsme/identities')).body.identity).toBe('lucas');
		expect((await control('PUT', '/itsme/identity', { identity: 'nobody' })).status).toBe(400);
		const set = await control('PUT', '/itsme/identity', { identity: 'elise' });
		expect(set.body.identity).toBe('elise');
		expect(set.body.identities.map((identity: { id: string }) => identity.id)).toEqual(['lucas', 'elise', 'lena']);
		const { transactionToken } = await create();
		await control('POST', `/itsme/transactions/${transactionToken}/approve`);
		expect(itsme.transaction(transactionToken).identity).toBe('elise');
	});

	it('reads and checks settings', async () => {
		expect((await control('GET', '/itsme/settings')).body).toEqual({
			unknownTokenStatus: 400,
			transactionLifetimeMs: DEFAULT_TRANSACTION_LIFETIME_MS,
		});
		expect((await control('PUT', '/itsme/settings', { unknownTokenStatus: 403 })).status).toBe(400);
		expect((await control('PUT', '/itsme/settings', { transactionLifetimeMs: 0 })).status).toBe(400);
		expect((await control('PUT', '/itsme/settings', { transactionLifetimeMs: 1000 })).body).toEqual({
			unknownTokenStatus: 400,
			transactionLifetimeMs: 1000,
		});
	});

	it('reset forgets transactions and restores identity and settings', async () => {
		const { transactionToken } = await create();
		itsme.setIdentity('lena');
		itsme.configure({ unknownTokenStatus: 401 });
		expect((await control('POST', '/reset')).status).toBe(200);
		expect(itsme.transactions()).toEqual([]);
		expect((await status(transactionToken)).status).toBe(404);
		expect(itsme.identity).toBe('lucas');
		expect(itsme.settings().unknownTokenStatus).toBe(400);
	});

	it('logs requests with every merchant token redacted, known or not', async () => {
		await create();
		await createRaw(validBody({ token: EXAMPLE_TOKEN }));
		await call(`${base}${ITSME_API_PREFIX}/transactions?token=${ITSME_SECOND_TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: ITSME_SECOND_TOKEN },
			body: '{}',
		});
		const log = await control('GET', '/requests?method=POST');
		expect(log.body.count).toBe(3);
		for (const secret of [ITSME_TEST_TOKEN, ITSME_SECOND_TOKEN, EXAMPLE_TOKEN]) expect(log.text).not.toContain(secret);
		const [first] = itsme.requests({ path: `${ITSME_API_PREFIX}/transactions` });
		expect(JSON.parse(first.body.toString('utf8'))).toEqual({ ...validBody(), token: '[redacted]' });
		expect(itsme.countRequests({ method: 'POST' })).toBe(3);
	});
});

describe('itsmeEntry', () => {
	it('starts a simulator and describes the n8n credential pointing at it', async () => {
		const running = await itsmeEntry.start({ clock: new SandboxClock({ startMs: START }) });
		try {
			expect(running).toMatchObject({ provider: 'itsme', title: 'CM.com itsme' });
			expect(running.credential).toEqual({
				type: 'cmItsmeApi',
				name: 'CM itsme sandbox',
				data: { token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: `${running.baseUrl}/itsme/v1` },
			});
			const data = running.credential.data as { token: string; baseUrl: string };
			const answer = await fetch(`${data.baseUrl}/transactions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(validBody({ token: data.token })),
			});
			expect(answer.status).toBe(200);
			expect(running.simulator.transactions()).toHaveLength(1);
		} finally {
			await running.stop();
		}
	});
});
