import { CmIdinApi } from '../../../credentials/CmIdinApi.credentials';
import { CredentialStore } from '../../harness';
import { IDIN_API_PREFIX, IDIN_TEST_KEY, IdinSimulator, type IdinSimulatorOptions } from '../../sandbox/idin';

export const WEBHOOK_HEADER = 'X-Webhook-Secret';
export const WEBHOOK_SECRET = 'whsec-3c1d9a7e5b2f4c8d9e0a1b2c3d4e5f60';

/** Every attribute the bank can be asked for, as the node's toggles. */
export const ALL_ATTRIBUTE_TOGGLES = {
	requestIdentity: true,
	requestName: true,
	requestAddress: true,
	requestAdult: true,
	requestDateOfBirth: true,
	requestGender: true,
	requestTelephoneNumber: true,
	requestEmailAddress: true,
};

export const ALL_ATTRIBUTES = {
	identity: true,
	name: true,
	address: true,
	'18y_or_older': true,
	date_of_birth: true,
	gender: true,
	telephone_number: true,
	email_address: true,
};

/** One iDIN sandbox and a saved CM iDIN credential pointing at it, fresh for each test. */
export interface IdinFixture {
	sandbox: IdinSimulator;
	baseUrl: string;
	credentials: CredentialStore;
	credentialData: Record<string, string>;
	/** API calls made (controls are not logged), optionally only those of one method. */
	apiRequests(method?: string): number;
	/** The JSON bodies the API received on a route pattern, e.g. `/groups/:groupId/persons`. */
	bodiesSentTo(path: string): unknown[];
	/** A group with one person asking for every attribute, made without the node. */
	seedPerson(): { groupId: string; personId: string };
}

export function credentialStore(data: Record<string, string>): CredentialStore {
	return new CredentialStore([{ type: new CmIdinApi(), data }]);
}

export function useIdinSandbox(options: IdinSimulatorOptions = {}, credentialOverrides: Record<string, string> = {}): IdinFixture {
	const fixture = {} as IdinFixture;
	beforeEach(async () => {
		fixture.sandbox = new IdinSimulator(options);
		fixture.baseUrl = await fixture.sandbox.start();
		fixture.credentialData = {
			keyId: IDIN_TEST_KEY.keyId,
			keySecret: IDIN_TEST_KEY.keySecret,
			baseUrl: fixture.baseUrl,
			webhookHeaderName: WEBHOOK_HEADER,
			webhookSecret: WEBHOOK_SECRET,
			...credentialOverrides,
		};
		fixture.credentials = credentialStore(fixture.credentialData);
		fixture.apiRequests = (method?: string) =>
			fixture.sandbox.requests({ method }).filter((request) => request.path.startsWith(IDIN_API_PREFIX)).length;
		fixture.bodiesSentTo = (path: string) =>
			fixture.sandbox
				.requests({ method: 'POST', path: `${IDIN_API_PREFIX}${path}` })
				.map((request) => JSON.parse(request.body.toString('utf8')) as unknown);
		fixture.seedPerson = () => {
			const group = fixture.sandbox.createGroupDirect({ name: 'Seeded group' });
			const person = fixture.sandbox.addPersonDirect(group.id, {
				name: 'Andre van Dijk',
				email_address: 'andre@example.com',
				attributes: ALL_ATTRIBUTES,
			});
			return { groupId: group.id, personId: person.id };
		};
	});
	afterEach(async () => {
		await fixture.sandbox.stop();
	});
	return fixture;
}

/** Asserts that nothing the user can see carries a secret: the Key Secret, the webhook secret, or a token. */
export function expectNoSecrets(value: unknown): void {
	const text = JSON.stringify(value) ?? '';
	for (const secret of [IDIN_TEST_KEY.keySecret, WEBHOOK_SECRET]) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
	expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/);
}

/** The error a promise rejects with, as a plain record; fails when it resolves. */
export function errorOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	return promise.then(
		() => {
			throw new Error('expected a failure');
		},
		(error: Record<string, unknown>) => error,
	);
}
