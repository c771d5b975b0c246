import { IDNOW_STATUS_CODES, IDNOW_TEST_ACCOUNT } from './index';
import { apiClient, control, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

async function created(body: Record<string, unknown> = { Product: 12 }): Promise<string> {
	const answer = await control(context, 'POST', '/orders', body);
	expect(answer.status).toBe(201);
	return answer.body.OrderID;
}

describe('account controls', () => {
	it('lists accounts and changes their settings (IdentData format, webhook method, crypt key)', async () => {
		const accounts = await control(context, 'GET', '/accounts');
		expect(accounts.body.accounts.map((account: { user: string }) => account.user)).toEqual([
			'idnow-sandbox',
			'idnow-sandbox-2',
		]);
		const changed = await control(context, 'PUT', `/accounts/${IDNOW_TEST_ACCOUNT.user}`, {
			identDataFormat: 'object',
			webhookMethod: 'POST',
			aesKey: null,
		});
		expect(changed.body).toMatchObject({
			identDataFormat: 'object',
			webhookMethod: 'POST',
			aesKey: null,
			passwordChangePending: false,
		});
	});

	it.each([
		[{ identDataFormat: 'list' }, 'identDataFormat'],
		[{ webhookMethod: 'PATCH' }, 'webhookMethod'],
		[{ aesKey: 'short' }, 'aesKey'],
		[{ webhooks: { OnDone: 'https://x.example/' } }, 'unknown kind OnDone'],
		[{ videoSizeBytes: 10 }, 'videoSizeBytes'],
		[{ testrobotDelayMs: -1 }, 'testrobotDelayMs'],
		[{ statusChangeCodes: 'some' }, 'statusChangeCodes'],
		[{ integration: 'yes' }, 'integration'],
		[{ colour: 'blue' }, 'unknown account setting colour'],
	])('refuses %j with 400', async (changes, message) => {
		const answer = await control(context, 'PUT', `/accounts/${IDNOW_TEST_ACCOUNT.user}`, changes);
		expect(answer.status).toBe(400);
		expect(answer.body.Error).toContain(message);
	});

	it('answers 404 for an unknown account', async () => {
		expect((await control(context, 'PUT', '/accounts/nobody', {})).status).toBe(404);
	});
});

describe('order controls', () => {
	it('creates orders for an account and shows everything about them', async () => {
		const orderId = await created({ account: 'idnow-sandbox-2', Product: 12, Ref: 'c-1' });
		const view = await control(context, 'GET', `/orders/${orderId}`);
		expect(view.body).toMatchObject({
			orderId,
			account: 'idnow-sandbox-2',
			ref: 'c-1',
			product: 12,
			eSign: false,
			method: 'Video',
			statuses: [
				{ kind: 25, time: '2025-03-01T10:30:00+01:00', meaning: 'Order initialized', extended: true, final: false },
			],
			final: false,
			landingUrl: expect.stringContaining('/status/'),
		});
		expect((await control(context, 'GET', '/orders')).body.orders).toHaveLength(1);
		expect((await control(context, 'GET', '/orders/nope')).status).toBe(404);
	});

	it('drives an order to any status, with sub-status, text and the FraudAttempt flag', async () => {
		const orderId = await created();
		await control(context, 'POST', `/orders/${orderId}/status`, { kind: 75 });
		const fraud = await control(context, 'POST', `/orders/${orderId}/status`, {
			kind: 89,
			fraudAttempt: true,
			text: 'agent note',
		});
		expect(fraud.body).toMatchObject({ fraudAttempt: true, final: false, result: { method: 'Video' } });
		const final = await control(context, 'POST', `/orders/${orderId}/status`, { kind: 17, subKind: 73 });
		expect(final.body.statuses.at(-1)).toMatchObject({ kind: 17, subKind: 73, final: true });
		const data = await api('GET', `getIdentData/${orderId}`);
		expect(data.body.FraudAttempt).toBe(true);
		const status = await api('GET', `getStatus/${orderId}/ExtendedList/IncludeSubKind`);
		expect(status.body.Status.slice(-2)).toEqual([
			{ Kind: 89, Time: '2025-03-01T10:30:00+01:00', Text: 'agent note' },
			{ Kind: 17, SubKind: 73, Time: '2025-03-01T10:30:00+01:00' },
		]);
		expect((await control(context, 'POST', `/orders/${orderId}/status`, { kind: 'six' })).status).toBe(400);
	});

	it('runs an outcome over a chosen delay or at once', async () => {
		const later = await created();
		const now = await created();
		await control(context, 'POST', `/orders/${later}/outcome`, { outcome: 'negative', delayMs: 5_000 });
		const done = await control(context, 'POST', `/orders/${now}/outcome`, { outcome: 'positive', immediate: true });
		expect(done.body.final).toBe(true);
		expect(context.idnow.order(later).final).toBe(false);
		context.idnow.clock.advance(5_000);
		expect(context.idnow.order(later).statuses.at(-1)).toMatchObject({ kind: 17, subKind: 48 });
		expect((await control(context, 'POST', `/orders/${now}/outcome`, { outcome: 'positive' })).status).toBe(409);
		expect((await control(context, 'POST', `/orders/${later}/outcome`, { outcome: 'great' })).status).toBe(400);
	});

	it('times orders out: 99 before identification, 100 after it', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: true });
		const untouched = await created();
		const identified = await created({ Product: 15, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect((await control(context, 'POST', `/orders/${untouched}/expire`)).body.statuses.at(-1)).toMatchObject({
			kind: 99,
			final: true,
		});
		expect((await control(context, 'POST', `/orders/${identified}/expire`)).body.statuses.at(-1)).toMatchObject({
			kind: 100,
		});
		expect((await control(context, 'POST', `/orders/${untouched}/expire`)).status).toBe(409);
	});

	it('deletes data as the retention would, and reports the video', async () => {
		const orderId = await created({ Product: 12, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const video = await control(context, 'GET', `/orders/${orderId}/video`);
		expect(video.body).toMatchObject({
			mime: 'video/mp4',
			provisioned: false,
			sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		const deleted = await control(context, 'POST', `/orders/${orderId}/delete-data`);
		expect(deleted.body.dataDeletedAt).toBe('2025-03-01T10:30:20+01:00');
		expect((await api('GET', `getIdentData/${orderId}`)).status).toBe(404);
	});
});

describe('other controls', () => {
	it('shows SMS and e-mails, system health, sign-me users and the status code table', async () => {
		await created({
			Product: 12,
			Email: 'erika@example.com',
			EmailNotifications: { OnNegativeIdent: 'ops@example.com' },
			Autotest: 'NEGATIVE',
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const messages = await control(context, 'GET', '/messages');
		expect(messages.body.emails.map((email: { kind: string; to: string }) => [email.kind, email.to])).toEqual([
			['invitation', 'erika@example.com'],
			['OnNegativeIdent', 'ops@example.com'],
		]);
		const health = await control(context, 'PUT', '/system', { mailingAvailable: false });
		expect(health.body.mailingAvailable).toBe(false);
		expect((await control(context, 'PUT', '/system', { cpu: true })).status).toBe(400);
		const user = await control(context, 'PUT', '/signme-users', { email: 'new@example.com', ableToSign: ['ADV'] });
		expect(user.body).toEqual({ email: 'new@example.com', ableToSign: ['ADV'] });
		expect(
			(await api('POST', 'checkSignmeUser', { body: { Email: 'new@example.com', signatureType: 'ADV' } })).body
				.UserIsAbleToSign,
		).toBe(true);
		expect(
			(await control(context, 'PUT', '/signme-users', { email: 'x@example.com', ableToSign: ['AES'] })).status,
		).toBe(400);
		expect((await control(context, 'GET', '/signme-users')).body.users).toHaveLength(4);
		const codes = await control(context, 'GET', '/status-codes');
		expect(codes.body.statusCodes).toEqual(IDNOW_STATUS_CODES);
	});

	it('resets orders, messages, accounts and health', async () => {
		await created();
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { identDataFormat: 'object' });
		context.idnow.setSystemHealth({ serverAlive: false });
		await fetch(`${context.base}/__sandbox/reset`, { method: 'POST' });
		expect(context.idnow.orders()).toEqual([]);
		expect(context.idnow.account().identDataFormat).toBe('array');
		expect(context.idnow.systemHealth().serverAlive).toBe(true);
	});
});
