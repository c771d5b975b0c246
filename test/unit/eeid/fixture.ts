import { EeIdApi } from '../../../credentials/EeIdApi.credentials';
import { CredentialStore } from '../../harness';
import { EEID_REQUESTS_PATH, EEID_TEST_CLIENT, EEID_TOKEN_PATH, EeIdSimulator } from '../../sandbox/eeid';

/** One eeID sandbox and a saved eeID credential pointing at it, fresh for each test. */
export interface EeIdFixture {
	sandbox: EeIdSimulator;
	baseUrl: string;
	credentials: CredentialStore;
	tokenRequests(): number;
	apiRequests(method?: string): number;
}

export function useEeIdSandbox(options: ConstructorParameters<typeof EeIdSimulator>[0] = {}): EeIdFixture {
	const fixture = {} as EeIdFixture;
	beforeEach(async () => {
		fixture.sandbox = new EeIdSimulator(options);
		fixture.baseUrl = await fixture.sandbox.start();
		fixture.credentials = new CredentialStore([
			{
				type: new EeIdApi(),
				data: { clientId: EEID_TEST_CLIENT.clientId, clientSecret: EEID_TEST_CLIENT.clientSecret, baseUrl: fixture.baseUrl },
			},
		]);
		fixture.tokenRequests = () => fixture.sandbox.countRequests({ method: 'POST', path: EEID_TOKEN_PATH });
		fixture.apiRequests = (method?: string) =>
			fixture.sandbox.requests({ method }).filter((request) => request.path.startsWith(EEID_REQUESTS_PATH)).length;
	});
	afterEach(async () => {
		await fixture.sandbox.stop();
	});
	return fixture;
}

export const SECRET_VALUES = [EEID_TEST_CLIENT.clientSecret];

/** Asserts that nothing the user can see carries a secret: neither the client secret nor a bearer token. */
export function expectNoSecrets(value: unknown, extraSecrets: string[] = []): void {
	const text = JSON.stringify(value);
	for (const secret of [...SECRET_VALUES, ...extraSecrets]) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
	expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
}
