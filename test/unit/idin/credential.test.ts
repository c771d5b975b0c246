import { CmIdin } from '../../../nodes/CmIdin/CmIdin.node';
import { CmIdinApi } from '../../../credentials/CmIdinApi.credentials';
import { runExecute, testCredential } from '../../harness';
import { IDIN_API_PREFIX, IDIN_SECOND_KEY, IDIN_TEST_KEY } from '../../sandbox/idin';
import { credentialStore, errorOf, expectNoSecrets, useIdinSandbox } from './fixture';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}';
const UNKNOWN_KEY_ID = '00000000-0000-4000-8000-000000000000';

describe('CM iDIN "Test credential"', () => {
	const idin = useIdinSandbox();

	function test(overrides: Record<string, string> = {}) {
		return testCredential(new CmIdinApi(), { ...idin.credentialData, ...overrides });
	}

	it('passes when CM answers 404 for a person that cannot exist, and creates nothing', async () => {
		expect(await test()).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await test({ baseUrl: `${idin.baseUrl}/` })).toMatchObject({ status: 'OK' });
		const paths = idin.sandbox.requests().map((request) => `${request.method} ${request.path}`);
		const probe = new RegExp(`^GET ${IDIN_API_PREFIX}/groups/${GUID}/persons/${GUID}$`);
		expect(paths).toHaveLength(2);
		expect(paths.every((path) => probe.test(path))).toBe(true);
		expect(new Set(paths).size).toBe(2);
		expect(idin.sandbox.inspectGroups()).toEqual([]);
	});

	it.each([
		['a wrong Key Secret', { keySecret: 'not-the-key-secret-at-all' }],
		['an unknown Key ID', { keyId: UNKNOWN_KEY_ID }],
		["another key's ID with this secret", { keyId: IDIN_SECOND_KEY.keyId }],
	])('says CM did not accept the key for %s, without the secret', async (_, overrides) => {
		const result = await test(overrides);
		expect(result).toEqual({
			status: 'Error',
			message: "CM did not accept the key (HTTP 401). Check the Key ID and Key Secret, and that this n8n server's clock is right.",
		});
		expect(result.message).not.toContain('not-the-key-secret-at-all');
	});

	it('says when CM refuses the key for iDIN invites (403)', async () => {
		idin.sandbox.queueFault({ kind: 'status', status: 403 });
		expect(await test()).toMatchObject({ status: 'Error', message: expect.stringContaining('(HTTP 403)') });
	});

	it('fails on any other error status instead of calling it a success', async () => {
		idin.sandbox.queueFault({ kind: 'status', status: 500 });
		expect(await test()).toMatchObject({ status: 'Error' });
	});
});

describe('CM iDIN "Test credential" where n8n ignores every HTTP status (n8n 1.x)', () => {
	const idin = useIdinSandbox();

	/** n8n 1.123 reads `ignoreHttpStatusErrors: { ignore, except }` as `true`: every answer arrives as a success. */
	function test(overrides: Record<string, string> = {}) {
		const type = new CmIdinApi();
		type.test = { ...type.test, request: { ...type.test.request, ignoreHttpStatusErrors: true } };
		return testCredential(type, { ...idin.credentialData, ...overrides });
	}

	it('passes on the 404 for a person that cannot exist', async () => {
		expect(await test()).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('fails a wrong Key Secret with the same message as n8n 2.x', async () => {
		expect(await test({ keySecret: 'not-the-key-secret-at-all' })).toEqual({
			status: 'Error',
			message: "CM did not accept the key (HTTP 401). Check the Key ID and Key Secret, and that this n8n server's clock is right.",
		});
	});

	it('fails 403 and any other error status', async () => {
		idin.sandbox.queueFault({ kind: 'status', status: 403 });
		expect(await test()).toMatchObject({ status: 'Error', message: expect.stringContaining('(HTTP 403)') });
		idin.sandbox.queueFault({ kind: 'status', status: 500 });
		expect(await test()).toMatchObject({ status: 'Error', message: expect.stringContaining('HTTP 500') });
	});
});

describe('CM iDIN tokens the sandbox refuses, through the node', () => {
	const idin = useIdinSandbox();
	const node = new CmIdin();

	async function getFails(credentials = idin.credentials) {
		const { groupId, personId } = idin.seedPerson();
		const error = await errorOf(
			runExecute(node, { parameters: { resource: 'person', operation: 'get', groupId, personId }, credentials }),
		);
		expectNoSecrets(error);
		return error;
	}

	it('an expired token: the server clock is more than a minute behind CM', async () => {
		idin.sandbox.clock.advance(91_000);
		expect(await getFails()).toMatchObject({
			message: 'CM iDIN: JWT has expired',
			description: expect.stringContaining("that this n8n server's clock is right"),
			httpCode: '401',
		});
	});

	it('a token not valid yet: the server clock is ahead of CM', async () => {
		idin.sandbox.clock.set(Date.now() - 120_000);
		const error = await getFails();
		expect(error.message).toMatch(/^CM iDIN: JWT (iat is in the future|is not valid yet)/);
		expect(error.httpCode).toBe('401');
	});

	it('a token with a kid CM does not know', async () => {
		const credentials = credentialStore({ ...idin.credentialData, keyId: UNKNOWN_KEY_ID });
		expect(await getFails(credentials)).toMatchObject({ message: 'CM iDIN: JWT kid does not name a known key' });
	});

	it('a token signed with another secret', async () => {
		const credentials = credentialStore({ ...idin.credentialData, keySecret: IDIN_SECOND_KEY.keySecret });
		expect(await getFails(credentials)).toMatchObject({ message: 'CM iDIN: JWT signature does not match' });
	});

	it('the same request goes through with the right key and clock', async () => {
		const { groupId, personId } = idin.seedPerson();
		const { output } = await runExecute(node, {
			parameters: { resource: 'person', operation: 'get', groupId, personId },
			credentials: idin.credentials,
		});
		expect(output[0][0].json).toMatchObject({ personId, status: 'pending' });
		const [request] = idin.sandbox.requests({ method: 'GET' });
		const token = String(request.headers.authorization).replace(/^Bearer /, '');
		expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).kid).toBe(IDIN_TEST_KEY.keyId);
	});
});
