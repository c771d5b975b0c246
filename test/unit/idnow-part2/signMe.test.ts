import { IDNOW_TEST_ACCOUNT } from '../../sandbox/idnow';
import { json, startTestServer } from '../../harness';
import { credentialStore, errorOf, firstJson, runner, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);

describe('sign-me → Check User', () => {
	it.each([
		['signme.qes@example.com', 'any', { userExists: true, userIsAbleToSign: true, plainSignatureOrderPossible: true }],
		['SIGNME.BASIC@example.com', 'QES', { userExists: true, userIsAbleToSign: false, plainSignatureOrderPossible: false }],
		['signme.basic@example.com', 'BAS', { userExists: true, userIsAbleToSign: true, plainSignatureOrderPossible: true }],
		['signme.unverified@example.com', 'ADV', { userExists: true, userIsAbleToSign: false, plainSignatureOrderPossible: false }],
		['nobody@example.com', 'any', { userExists: false, userIsAbleToSign: false, plainSignatureOrderPossible: false }],
	])('checks %s for %s', async (email, signatureType, expected) => {
		const { output } = await run('signMe', 'checkUser', { email, signatureType });
		expect(firstJson(output)).toEqual({ email, signatureType: signatureType === 'any' ? null : signatureType, ...expected });
		const sent = JSON.parse(fixture.idnow.requests({ path: '/api/2.10/checkSignmeUser' })[0].body.toString());
		expect(sent).toEqual(signatureType === 'any' ? { Email: email } : { Email: email, signatureType });
	});

	it.each([
		['={{ "" }}', 'The Email is empty'],
		['e.mustermann', '"e.mustermann" is not an e-mail address'],
	])('refuses the Email %j before calling IDnow', async (email, message) => {
		const error = await errorOf(run('signMe', 'checkUser', { email }));
		expect(error).toMatchObject({
			message,
			description: "Enter the person's sign-me user name, their e-mail address, e.g. e.mustermann@example.com.",
		});
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});

	it('refuses an unknown Signature Type (from an expression) before calling IDnow', async () => {
		const error = await errorOf(run('signMe', 'checkUser', { email: 'signme.qes@example.com', signatureType: '={{ "AES" }}' }));
		expect(error).toMatchObject({ message: 'The Signature Type "AES" is not known', description: 'Use one of: QES, ADV, BAS, or Default.' });
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});

	it("explains IDnow's 400 when sign-me is not set up for the account", async () => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { products: [12] });
		const error = await errorOf(run('signMe', 'checkUser', { email: 'signme.qes@example.com' }));
		expect(error).toMatchObject({
			httpCode: '400',
			message: 'IDnow: sign-me is not configured for this account',
			description:
				"IDnow refused the check; its message says why. sign-me must be set up for the account, and Email is the person's sign-me user name.",
		});
	});

	it("reads the table's spelling UserlsAbelToSign as well as the example's", async () => {
		const server = await startTestServer();
		try {
			server.respond(json(200, { UserExists: true, UserlsAbelToSign: true }));
			const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: server.url });
			const { output } = await run('signMe', 'checkUser', { email: 'e.mustermann@example.com' }, { credentials });
			expect(firstJson(output)).toMatchObject({ userExists: true, userIsAbleToSign: true, plainSignatureOrderPossible: true });
		} finally {
			await server.close();
		}
	});
});
