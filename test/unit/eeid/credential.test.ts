import { EeIdApi } from '../../../credentials/EeIdApi.credentials';
import { testCredential } from '../../harness';
import { EEID_TEST_CLIENT } from '../../sandbox/eeid';
import { useEeIdSandbox } from './fixture';

describe('eeID credential', () => {
	const eeid = useEeIdSandbox();

	it('"Test credential" obtains a token and reads the API', async () => {
		const result = await testCredential(new EeIdApi(), {
			clientId: EEID_TEST_CLIENT.clientId,
			clientSecret: EEID_TEST_CLIENT.clientSecret,
			baseUrl: `${eeid.baseUrl}/`,
		});
		expect(result).toEqual({ status: 'OK', message: expect.any(String) });
		expect(eeid.tokenRequests()).toBeGreaterThanOrEqual(1);
	});

	it('"Test credential" names the problem without the secret', async () => {
		const result = await testCredential(new EeIdApi(), {
			clientId: EEID_TEST_CLIENT.clientId,
			clientSecret: 'not-the-secret-at-all',
			baseUrl: eeid.baseUrl,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Check the Client ID and Client Secret');
		expect(result.message).not.toContain('not-the-secret-at-all');
	});
});
