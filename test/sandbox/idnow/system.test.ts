import { IDNOW_SECOND_ACCOUNT, IDNOW_TEST_ACCOUNT, PASSWORD_TAN_LIFETIME_MS } from './index';
import { apiClient, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

describe('service monitoring (chapter 8)', () => {
	it('answers serverStatus without authentication, 500 when the server is down', async () => {
		expect(await api('GET', 'serverStatus', { credentials: null })).toMatchObject({ status: 200, body: {} });
		context.idnow.setSystemHealth({ serverAlive: false });
		expect(await api('GET', 'serverStatus', { credentials: null })).toMatchObject({
			status: 500,
			body: { Error: 'Service not available' },
		});
		expect((await api('GET', 'systemStatus')).status).toBe(500);
	});

	it('reports systemStatus with eSign and autoIdent parts for accounts that have those products', async () => {
		context.idnow.setSystemHealth({ videoAvailable: false, eSign: { fesAvailable: false } });
		expect((await api('GET', 'systemStatus')).body).toEqual({
			serverAlive: true,
			apiAvailable: true,
			videoAvailable: false,
			mailingAvailable: true,
			smsTanAvailable: true,
			autoIdentAvailable: true,
			eSign: { serverAlive: true, qesAvailable: true, fesServerAlive: true, fesAvailable: false },
		});
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { products: [12] });
		expect(Object.keys((await api('GET', 'systemStatus')).body)).toEqual([
			'serverAlive',
			'apiAvailable',
			'videoAvailable',
			'mailingAvailable',
			'smsTanAvailable',
		]);
		expect(() => context.idnow.setSystemHealth({ videoAvailable: 'no' as never })).toThrow('videoAvailable');
	});
});

describe('checkSignmeUser (9.1)', () => {
	it.each([
		[{ Email: 'e.mustermann@example.com' }, { UserExists: false, UserIsAbleToSign: false }],
		[{ Email: 'Signme.QES@example.com' }, { UserExists: true, UserIsAbleToSign: true }],
		[{ Email: 'signme.basic@example.com' }, { UserExists: true, UserIsAbleToSign: false }],
		[
			{ Email: 'signme.basic@example.com', signatureType: 'BAS' },
			{ UserExists: true, UserIsAbleToSign: true },
		],
		[
			{ Email: 'signme.unverified@example.com', signatureType: 'ADV' },
			{ UserExists: true, UserIsAbleToSign: false },
		],
	])('answers %j with %j', async (body, expected) => {
		expect(await api('POST', 'checkSignmeUser', { body })).toMatchObject({ status: 200, body: expected });
	});

	it('answers 400 without Email, for an unknown signatureType, and for accounts without eSign', async () => {
		expect((await api('POST', 'checkSignmeUser', { body: {} })).body.Error).toBe('Email: is required');
		expect((await api('POST', 'checkSignmeUser', { body: { Email: 'a@b.c', signatureType: 'AES' } })).status).toBe(400);
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { products: [12] });
		expect((await api('POST', 'checkSignmeUser', { body: { Email: 'a@b.c' } })).body.Error).toBe(
			'sign-me is not configured for this account',
		);
	});
});

describe('changing the API password (9.2)', () => {
	it('sends a TAN to the registered mobile and sets a new password that works at once', async () => {
		expect(await api('POST', 'requestNewPassword', { body: { mobile: IDNOW_TEST_ACCOUNT.mobile } })).toMatchObject({
			status: 200,
			body: {},
		});
		const [sms] = context.idnow.smsMessages();
		expect(sms).toMatchObject({ to: IDNOW_TEST_ACCOUNT.mobile, purpose: 'password', orderId: null });
		const answer = await api('POST', 'confirmNewPassword', { body: { tan: sms.tan } });
		expect(answer).toMatchObject({ status: 200, body: { password: expect.stringMatching(/^[A-Za-z0-9]{16}$/) } });
		const renewed = { user: IDNOW_TEST_ACCOUNT.user, password: answer.body.password as string };
		expect((await api('GET', 'systemStatus', { credentials: renewed })).status).toBe(200);
		expect((await api('GET', 'systemStatus')).status).toBe(401);
		context.idnow.reset();
		expect((await api('GET', 'systemStatus')).status).toBe(200);
	});

	it('answers 401 for another mobile number or an account without one', async () => {
		expect(await api('POST', 'requestNewPassword', { body: { mobile: '+491709999999' } })).toMatchObject({
			status: 401,
			body: { Error: 'Authentication failed, please check username, password and mobile number' },
		});
		expect(
			(
				await api('POST', 'requestNewPassword', {
					body: { mobile: '+491701234567' },
					credentials: IDNOW_SECOND_ACCOUNT,
				})
			).status,
		).toBe(401);
		expect((await api('POST', 'requestNewPassword', { body: {} })).status).toBe(400);
	});

	it('cancels the change on a wrong TAN: even the right TAN then fails', async () => {
		await api('POST', 'requestNewPassword', { body: { mobile: IDNOW_TEST_ACCOUNT.mobile } });
		const tan = context.idnow.latestTan(null);
		expect(await api('POST', 'confirmNewPassword', { body: { tan: 'wrong' } })).toMatchObject({
			status: 401,
			body: { Error: 'Authentication failed, please check username, password, and TAN' },
		});
		expect((await api('POST', 'confirmNewPassword', { body: { tan } })).status).toBe(401);
		expect((await api('GET', 'systemStatus')).status).toBe(200);
	});

	it('lets the TAN expire on the sandbox clock', async () => {
		await api('POST', 'requestNewPassword', { body: { mobile: IDNOW_TEST_ACCOUNT.mobile } });
		context.idnow.clock.advance(PASSWORD_TAN_LIFETIME_MS);
		expect((await api('POST', 'confirmNewPassword', { body: { tan: context.idnow.latestTan(null) } })).status).toBe(
			401,
		);
	});
});
