import { closedPortUrl, json, startTestServer, type TestServer } from '../../harness';
import { credentialStore, errorOf, firstJson, runner, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);
const NO_RETRIES = { options: { maxRetries: 0 } };

describe('System → Server Status', () => {
	it('reports alive: true when IDnow answers 200', async () => {
		const json = firstJson((await run('system', 'serverStatus')).output);
		expect(json).toEqual({ alive: true, httpStatus: 200, reason: null, checkedAt: expect.any(String) });
	});

	it('reports a 500 as data: alive: false with IDnow\'s words, not an error', async () => {
		fixture.idnow.setSystemHealth({ serverAlive: false });
		const json = firstJson((await run('system', 'serverStatus', NO_RETRIES)).output);
		expect(json).toMatchObject({ alive: false, httpStatus: 500, reason: 'HTTP 500: Service not available' });
	});

	it('reports no answer at all ("None") as data', async () => {
		const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: await closedPortUrl() });
		const json = firstJson((await run('system', 'serverStatus', NO_RETRIES, { credentials })).output);
		expect(json).toMatchObject({ alive: false, httpStatus: null, reason: 'No answer: the connection was refused (ECONNREFUSED)' });
	});

	it('reports a call that hangs until the timeout as data', async () => {
		fixture.idnow.queueFault({ kind: 'hang', path: '/api/2.10/serverStatus' });
		const json = firstJson((await run('system', 'serverStatus', { options: { maxRetries: 0, timeoutSeconds: 1 } })).output);
		expect(json).toMatchObject({ alive: false, httpStatus: null, reason: expect.stringMatching(/^No answer: the request timed out \(E[A-Z]+\)$/) });
	});

	it('still fails on an answer that says nothing about IDnow (a 404 from a wrong base URL)', async () => {
		const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: `${fixture.idnow.baseUrl}/api/1.0` });
		const error = await errorOf(run('system', 'serverStatus', {}, { credentials }));
		expect(error.httpCode).toBe('404');
	});
});

describe('System → System Status', () => {
	it("outputs IDnow's flags with allAvailable and the parts that are down", async () => {
		const healthy = firstJson((await run('system', 'systemStatus')).output);
		expect(healthy).toMatchObject({
			serverAlive: true,
			apiAvailable: true,
			smsTanAvailable: true,
			eSign: expect.objectContaining({ qesAvailable: true }),
			allAvailable: true,
			unavailable: [],
			httpStatus: 200,
			reason: null,
		});
		fixture.idnow.setSystemHealth({ smsTanAvailable: false, eSign: { qesAvailable: false } });
		const degraded = firstJson((await run('system', 'systemStatus')).output);
		expect(degraded).toMatchObject({ smsTanAvailable: false, allAvailable: false, unavailable: ['smsTanAvailable', 'eSign.qesAvailable'] });
	});

	it('reports "not available at all" (500) as data', async () => {
		fixture.idnow.setSystemHealth({ serverAlive: false });
		const json = firstJson((await run('system', 'systemStatus', NO_RETRIES)).output);
		expect(json).toEqual({
			serverAlive: false,
			allAvailable: false,
			unavailable: ['serverAlive'],
			httpStatus: 500,
			reason: 'HTTP 500: Services not available at all',
			checkedAt: expect.any(String),
		});
	});

	it('fails on wrong credentials (401), which say nothing about IDnow', async () => {
		const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), password: 'wrong-password' });
		const error = await errorOf(run('system', 'systemStatus', {}, { credentials }));
		expect(error.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain('wrong-password');
	});

	describe('answers the sandbox never gives (a scripted server in place of IDnow)', () => {
		let server: TestServer;
		beforeEach(async () => {
			server = await startTestServer();
		});
		afterEach(() => server.close());

		it('refuses a 200 that is not the documented object', async () => {
			server.respond(json(200, ['ok']));
			const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: server.url });
			const error = await errorOf(run('system', 'systemStatus', {}, { credentials }));
			expect(error).toMatchObject({
				message: "IDnow's systemStatus answer is not the documented JSON object",
				description: 'Check that the Base URL in the IDnow credential is the customer API, e.g. https://customer.identity.tm/api/2.10.',
			});
		});
	});
});
