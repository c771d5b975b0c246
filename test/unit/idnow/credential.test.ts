import { IdnowApi } from '../../../credentials/IdnowApi.credentials';
import { testCredential } from '../../harness';
import { IDNOW_TEST_ACCOUNT, IDNOW_TEST_AES_KEY } from '../../sandbox/idnow';
import { useIdnow } from './fixture';

describe('IDnow credential', () => {
	const fixture = useIdnow();
	const data = () => ({ user: IDNOW_TEST_ACCOUNT.user, password: IDNOW_TEST_ACCOUNT.password, baseUrl: `${fixture.idnow.apiBaseUrl}/` });

	it('"Test credential" calls systemStatus with Basic authentication', async () => {
		expect(await testCredential(new IdnowApi(), data())).toEqual({ status: 'OK', message: expect.any(String) });
		expect(fixture.idnow.requests().map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/2.10/systemStatus']);
	});

	it('accepts the AES key as 64 hex or 44 Base64 characters', async () => {
		const base64 = Buffer.from(IDNOW_TEST_AES_KEY, 'hex').toString('base64');
		expect((await testCredential(new IdnowApi(), { ...data(), aesSecretKey: IDNOW_TEST_AES_KEY })).status).toBe('OK');
		expect((await testCredential(new IdnowApi(), { ...data(), aesSecretKey: base64 })).status).toBe('OK');
	});

	it('names a wrong password without showing it', async () => {
		const result = await testCredential(new IdnowApi(), { ...data(), password: 'not-the-password' });
		expect(result).toEqual({
			status: 'Error',
			message: 'IDnow did not accept the user name and password (HTTP 401). Check both, and that the Base URL is the right environment.',
		});
	});

	it('refuses an AES key that is not 32 bytes, before calling IDnow', async () => {
		const result = await testCredential(new IdnowApi(), { ...data(), aesSecretKey: IDNOW_TEST_AES_KEY.slice(2) });
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			'The AES-256 Key of the IDnow credential is not a 32-byte key: enter it as 64 hexadecimal or 44 Base64 characters, or leave it empty to receive results unencrypted.',
		);
		expect(fixture.idnow.requests()).toHaveLength(0);
	});
});
