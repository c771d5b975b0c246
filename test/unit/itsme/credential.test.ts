import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { CmItsmeApi } from '../../../credentials/CmItsmeApi.credentials';
import { CmItsme } from '../../../nodes/CmItsme/CmItsme.node';
import { CmItsmeTrigger } from '../../../nodes/CmItsme/CmItsmeTrigger.node';
import { ITSME_CREDENTIAL_TEST } from '../../../nodes/CmItsme/constants';
import { testMerchantToken } from '../../../nodes/CmItsme/credentialTest';
import { closedPortUrl } from '../../harness';
import { ensureRuntime } from '../../harness/runtime';
import { ITSME_API_PREFIX, ITSME_TEST_TOKEN } from '../../sandbox/itsme';
import { useItsmeSandbox } from './fixture';

const credential = new CmItsmeApi();
const SANDBOX = { token: ITSME_TEST_TOKEN, environment: 'sandbox' };

async function authenticate(data: ICredentialDataDecryptedObject, request: IHttpRequestOptions) {
	return await credential.authenticate(data, request);
}

describe('CM itsme credential: the token goes into the body of POST /transactions only', () => {
	const body = { service: 'login', redirectUrl: 'https://example.com/' };

	it.each([
		['the sandbox environment', SANDBOX, { url: 'https://api.sandbox.cmdisp.com/itsme/v1/transactions' }],
		['the production environment', { token: 'tok', environment: 'production' }, { url: 'https://api.cmdisp.com/itsme/v1/transactions' }],
		[
			'a custom base URL given as baseURL + url, with trailing slashes',
			{ token: 'tok', environment: 'custom', baseUrl: 'http://127.0.0.1:4011/itsme/v1/' },
			{ baseURL: 'http://127.0.0.1:4011/itsme/v1', url: '/transactions/' },
		],
	])('adds it for %s', async (_case, data, target) => {
		const signed = await authenticate(data, { method: 'POST', body, ...target } as IHttpRequestOptions);
		expect(signed.body).toEqual({ ...body, token: data.token });
	});

	it.each<[string, IHttpRequestOptions]>([
		['a status read', { method: 'GET', url: 'https://api.sandbox.cmdisp.com/itsme/v1/status/abc' }],
		['a POST to another path', { method: 'POST', url: 'https://api.sandbox.cmdisp.com/itsme/v1/other', body }],
		['a POST to another host', { method: 'POST', url: 'https://attacker.example/itsme/v1/transactions', body }],
		['a POST to the other environment', { method: 'POST', url: 'https://api.cmdisp.com/itsme/v1/transactions', body }],
	])('leaves it out of %s', async (_case, request) => {
		const sent = await authenticate(SANDBOX, request);
		expect(sent).toEqual(request);
		expect(JSON.stringify(sent)).not.toContain(ITSME_TEST_TOKEN);
	});
});

describe('CM itsme credential: "Test" creates a harmless transaction and reports CM\'s own words', () => {
	const itsme = useItsmeSandbox();

	beforeAll(async () => {
		await ensureRuntime();
	});

	/** As n8n's CredentialsTester calls a node's credentialTest method. */
	async function test(data: ICredentialDataDecryptedObject) {
		const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
		return await testMerchantToken.call(context, { id: '1', name: 'CM itsme', type: 'cmItsmeApi', data });
	}

	const custom = (token: string) => ({ token, environment: 'custom', baseUrl: itsme.apiUrl });

	it('succeeds with the sandbox token, creating a login whose redirect nobody follows', async () => {
		expect(await test(custom(ITSME_TEST_TOKEN))).toEqual({
			status: 'OK',
			message: 'CM accepted the merchant token (a test transaction was created).',
		});
		const [created] = itsme.sandbox.transactions();
		expect(created).toMatchObject({ service: 'login', scopes: [], redirectUrl: 'https://example.com/', status: 'open' });
	});

	it("reports CM's message for a token CM refuses (400), without the token", async () => {
		const result = await test(custom('wrong-merchant-token'));
		expect(result).toEqual({
			status: 'Error',
			message: 'CM refused the test transaction (HTTP 400: Invalid token). Check the merchant token and the environment.',
		});
	});

	it("reports CM's message for a 401", async () => {
		itsme.sandbox.configure({ unknownTokenStatus: 401 });
		expect((await test(custom('wrong-merchant-token'))).message).toBe(
			'CM refused the test transaction (HTTP 401: Invalid token). Check the merchant token and the environment.',
		);
	});

	it("reports CM's message for a 500", async () => {
		itsme.sandbox.queueFault({ kind: 'status', status: 500, path: `${ITSME_API_PREFIX}/transactions`, message: 'Error creating the transaction' });
		expect((await test(custom(ITSME_TEST_TOKEN))).message).toBe(
			'CM refused the test transaction (HTTP 500: Error creating the transaction). Check the environment (base URL), or try again later.',
		);
	});

	it('says when CM cannot be reached', async () => {
		const result = await test({ token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: await closedPortUrl() });
		expect(result).toEqual({
			status: 'Error',
			message: 'CM itsme could not be reached (ECONNREFUSED). Check the environment (base URL) and the network.',
		});
	});

	it('asks for what is missing before calling anyone', async () => {
		expect(await test({ token: '', environment: 'sandbox' })).toEqual({
			status: 'Error',
			message: 'Enter the merchant token CM gave you for itsme.',
		});
		expect((await test({ token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: '' })).message).toBe(
			'The CM itsme credential has the environment "Custom" but no valid Base URL. Open the credential and enter the Base URL, e.g. https://api.sandbox.cmdisp.com/itsme/v1, or choose Production or Sandbox.',
		);
		expect(itsme.apiRequests()).toBe(0);
	});

	it('never echoes the token, even where CM would', async () => {
		itsme.sandbox.queueFault({ kind: 'status', status: 400, message: `token ${ITSME_TEST_TOKEN} is blocked` });
		const result = await test(custom(ITSME_TEST_TOKEN));
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(ITSME_TEST_TOKEN);
	});

	it('is what both nodes name in testedBy', () => {
		for (const node of [new CmItsme(), new CmItsmeTrigger()]) {
			expect(node.description.credentials).toEqual([{ name: 'cmItsmeApi', required: true, testedBy: ITSME_CREDENTIAL_TEST }]);
			expect(node.methods.credentialTest[ITSME_CREDENTIAL_TEST]).toBe(testMerchantToken);
		}
	});
});
