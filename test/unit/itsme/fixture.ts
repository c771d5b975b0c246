import { inspect } from 'node:util';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CmItsmeApi } from '../../../credentials/CmItsmeApi.credentials';
import { CredentialStore } from '../../harness';
import { SandboxClock } from '../../sandbox/framework';
import { ITSME_API_PREFIX, ITSME_SECOND_TOKEN, ITSME_TEST_TOKEN, ItsmeSimulator } from '../../sandbox/itsme';

/** One itsme sandbox (frozen clock) and a saved credential pointing at it, fresh for each test. */
export interface ItsmeFixture {
	sandbox: ItsmeSimulator;
	/** The API base URL, as the credential's custom Base URL. */
	apiUrl: string;
	credentials: CredentialStore;
	/** Requests that reached the API (the page and the controls not counted). */
	apiRequests(method?: string): number;
}

export function credentialStore(data: ICredentialDataDecryptedObject): CredentialStore {
	return new CredentialStore([{ type: new CmItsmeApi(), data }]);
}

export function useItsmeSandbox(): ItsmeFixture {
	const fixture = {} as ItsmeFixture;
	beforeEach(async () => {
		fixture.sandbox = new ItsmeSimulator({ clock: new SandboxClock({ startMs: Date.UTC(2025, 2, 1, 9, 30) }) });
		const origin = await fixture.sandbox.start();
		fixture.apiUrl = `${origin}${ITSME_API_PREFIX}`;
		fixture.credentials = credentialStore({ token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: fixture.apiUrl });
		fixture.apiRequests = (method?: string) => fixture.sandbox.countRequests({ method, path: `${ITSME_API_PREFIX}/*` });
	});
	afterEach(async () => {
		await fixture.sandbox.stop();
	});
	return fixture;
}

/** Everything of a value, as JSON and as util.inspect shows it (an Error's message, stack and cause included). */
export function serialized(value: unknown): string {
	const withErrors = (_key: string, entry: unknown) =>
		entry instanceof Error ? { ...entry, name: entry.name, message: entry.message, stack: entry.stack, cause: entry.cause } : entry;
	return `${JSON.stringify(value, withErrors)}\n${inspect(value, { depth: 20, showHidden: true })}`;
}

/** Asserts that nothing the user can see carries a merchant token. */
export function expectNoMerchantToken(value: unknown): void {
	const text = serialized(value);
	for (const secret of [ITSME_TEST_TOKEN, ITSME_SECOND_TOKEN]) expect(text).not.toContain(secret);
}

/** What a rejected run or webhook gave, as a plain object (message, description, httpCode…). */
export async function errorOf(promise: Promise<unknown>): Promise<Record<string, any>> {
	return await promise.then(
		() => {
			throw new Error('expected a failure');
		},
		(error: Record<string, any>) => error,
	);
}
