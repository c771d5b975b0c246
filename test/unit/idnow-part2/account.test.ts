import { IDNOW_TEST_ACCOUNT, PASSWORD_TAN_LIFETIME_MS } from '../../sandbox/idnow';
import { json, startTestServer, type TestServer } from '../../harness';
import { credentialStore, errorOf, firstJson, loggedDuring, runner, TEST_MOBILE, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);

const STORE_IT =
	'IDnow has set this new API password; the old one no longer works. Store it now as the Password of the IDnow credential: this output is the only place it appears.';

async function requestChange(): Promise<string> {
	await run('account', 'requestNewPassword', { mobile: TEST_MOBILE });
	return fixture.idnow.latestTan(null);
}

/** The credential as the user would update it after a password change. */
function withPassword(password: string) {
	return credentialStore({ ...fixture.plain.data('idnowApi'), password });
}

describe('Account → Request New Password', () => {
	it('sends the TAN to the registered number and shows the number only masked', async () => {
		const { output } = await run('account', 'requestNewPassword', { mobile: '+49 170 1234567' });
		expect(firstJson(output)).toEqual({ passwordChangeRequested: true, tanSentTo: '+49••••••••67' });
		expect(fixture.idnow.smsMessages()).toEqual([expect.objectContaining({ to: TEST_MOBILE, purpose: 'password', orderId: null })]);
		expect(JSON.parse(fixture.idnow.requests({ path: '/api/2.10/requestNewPassword' })[0].body.toString())).toEqual({ mobile: TEST_MOBILE });
	});

	it('explains a number that is not the registered one (401) without repeating it', async () => {
		const error = await errorOf(run('account', 'requestNewPassword', { mobile: '+491709999999' }));
		expect(error).toMatchObject({
			httpCode: '401',
			description:
				"IDnow refused the user name, the password or the mobile number: the number must be the one registered with IDnow's Service Desk for this API user.",
		});
		// (n8n's error record carries the node's parameters, as for any node; the node's own words do not repeat it.)
		expect(`${error.message} ${error.description}`).not.toContain('+491709999999');
	});

	it.each([
		['={{ "" }}', 'The Mobile Number is empty'],
		['0170 1234567', 'The Mobile Number is not an international phone number'],
		['+49170123456789012', 'The Mobile Number is not an international phone number'],
	])('refuses the number %j before calling IDnow, without repeating it', async (mobile, message) => {
		const error = await errorOf(run('account', 'requestNewPassword', { mobile }));
		expect(error).toMatchObject({
			message,
			description: "Enter the mobile number registered with IDnow's Service Desk in international format, e.g. +49171123456.",
		});
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});
});

describe('Account → Confirm New Password', () => {
	it('outputs the new password once, with the advice to store it; it works and the old one does not', async () => {
		const tan = await requestChange();
		const { output } = await run('account', 'confirmNewPassword', { tan });
		expect(output[0]).toHaveLength(1);
		const { password, ...rest } = firstJson(output);
		expect(rest).toEqual({ passwordChangedAt: expect.any(String), notice: STORE_IT });
		expect(password).toBe(fixture.idnow.account().password);
		expect(firstJson((await run('system', 'systemStatus', {}, { credentials: withPassword(password) })).output).serverAlive).toBe(true);
		expect((await errorOf(run('system', 'systemStatus'))).httpCode).toBe('401');
	});

	it('puts the new password in no log line', async () => {
		const tan = await requestChange();
		let password = '';
		const logged = await loggedDuring(async () => {
			password = firstJson((await run('account', 'confirmNewPassword', { tan })).output).password as string;
			// The next calls with the old and the new credential, failing and succeeding, are logged too.
			await run('system', 'systemStatus');
			await run('system', 'systemStatus', {}, { credentials: withPassword(password) });
		});
		expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
		expect(logged).not.toContain(password);
		expect(logged).not.toContain(IDNOW_TEST_ACCOUNT.password);
	});

	it('explains a wrong TAN (401): nothing changed, start again; no password in the error, the item or the log', async () => {
		await requestChange();
		const logged = await loggedDuring(async () => {
			const error = await errorOf(run('account', 'confirmNewPassword', { tan: '000000' }));
			expect(error).toMatchObject({
				httpCode: '401',
				message: 'IDnow: Authentication failed, please check username, password, and TAN',
				description:
					'IDnow refused the TAN (or the credentials). The password was not changed, and a wrong TAN ends the request: run Account → Request New Password again and confirm with the TAN of the new SMS.',
			});
			expect(JSON.stringify(error)).not.toContain(IDNOW_TEST_ACCOUNT.password);
			const { output } = await run('account', 'confirmNewPassword', { tan: '000000' }, { continueOnFail: true });
			expect(output[0][0].json).toMatchObject({ httpCode: '401' });
			expect(output[0][0].json).not.toHaveProperty('password');
		});
		expect(logged).not.toContain(IDNOW_TEST_ACCOUNT.password);
		expect(fixture.idnow.account().password).toBe(IDNOW_TEST_ACCOUNT.password);
	});

	it('explains an expired TAN the same way', async () => {
		const tan = await requestChange();
		fixture.idnow.clock.advance(PASSWORD_TAN_LIFETIME_MS);
		expect((await errorOf(run('account', 'confirmNewPassword', { tan }))).httpCode).toBe('401');
	});

	it.each([
		['12345', 'The TAN must have exactly 6 characters; "12345" has 5'],
		['={{ "" }}', 'The TAN is empty'],
	])('refuses the TAN %j before calling IDnow', async (tan, message) => {
		expect((await errorOf(run('account', 'confirmNewPassword', { tan }))).message).toBe(message);
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});

	describe('an answer without the documented password (a scripted server in place of IDnow)', () => {
		let server: TestServer;
		beforeEach(async () => {
			server = await startTestServer();
		});
		afterEach(() => server.close());

		it('fails without quoting the answer, which may hold the password in another shape', async () => {
			server.respond(json(200, { Password: 'Xy7newSecretPw42' }));
			const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: server.url });
			const logged = await loggedDuring(async () => {
				const error = await errorOf(run('account', 'confirmNewPassword', { tan: '123456' }, { credentials }));
				expect(error).toMatchObject({
					message: 'IDnow confirmed the password change without sending the new password',
					description:
						'The password may have changed nonetheless. Test the IDnow credential; if it fails, ask IDnow to reset the API password.',
				});
				expect(JSON.stringify(error)).not.toContain('Xy7newSecretPw42');
			});
			expect(logged).not.toContain('Xy7newSecretPw42');
		});
	});
});
