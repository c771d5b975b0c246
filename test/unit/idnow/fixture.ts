/** Shared setup of the IDnow node tests: a sandbox on a frozen clock, credentials for it, ways to run the nodes. */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { IdnowApi } from '../../../credentials/IdnowApi.credentials';
import { Idnow } from '../../../nodes/Idnow/Idnow.node';
import { IdnowTrigger } from '../../../nodes/Idnow/IdnowTrigger.node';
import { CredentialStore, runExecute, startWebhookBridge, type ExecuteOptions, type WebhookBridge } from '../../harness';
import { SandboxClock } from '../../sandbox/framework';
import {
	IDNOW_SECOND_ACCOUNT,
	IDNOW_TEST_ACCOUNT,
	IDNOW_TEST_AES_KEY,
	IdnowSimulator,
	type IdnowSimulatorOptions,
} from '../../sandbox/idnow';

/** 2025-03-01 10:30:00 in Germany, as the sandbox's own tests. */
export const START = Date.UTC(2025, 2, 1, 9, 30, 0);
export const TESTROBOT_DELAY_MS = 20_000;
export const WEBHOOK_TOKEN = 'f3a9c2d4e5b60718293a4b5c6d7e8f90';

export const node = new Idnow();
export const trigger = new IdnowTrigger();

export interface IdnowFixture {
	idnow: IdnowSimulator;
	/** The test account without its AES key: results come unencrypted. */
	plain: CredentialStore;
	/** The same account with its AES key: results come through /crypt. */
	crypt: CredentialStore;
	/** The second account: IdentData as an object with images, webhooks by POST. */
	second: CredentialStore;
}

export function credentialStore(data: Record<string, unknown>): CredentialStore {
	return new CredentialStore([{ type: new IdnowApi(), data: data as ICredentialDataDecryptedObject }]);
}

export function useIdnow(options: IdnowSimulatorOptions = {}): IdnowFixture {
	const fixture = {} as IdnowFixture;
	beforeEach(async () => {
		fixture.idnow = new IdnowSimulator({ clock: new SandboxClock({ startMs: START }), ...options });
		await fixture.idnow.start();
		const account = (user: string, password: string) => ({
			user,
			password,
			baseUrl: fixture.idnow.apiBaseUrl,
			webhookToken: WEBHOOK_TOKEN,
		});
		fixture.plain = credentialStore(account(IDNOW_TEST_ACCOUNT.user, IDNOW_TEST_ACCOUNT.password));
		fixture.crypt = credentialStore({ ...account(IDNOW_TEST_ACCOUNT.user, IDNOW_TEST_ACCOUNT.password), aesSecretKey: IDNOW_TEST_AES_KEY });
		fixture.second = credentialStore(account(IDNOW_SECOND_ACCOUNT.user, IDNOW_SECOND_ACCOUNT.password));
	});
	afterEach(() => fixture.idnow.stop());
	return fixture;
}

export type Run = (
	resource: string,
	operation: string,
	parameters?: Record<string, unknown>,
	extra?: Partial<ExecuteOptions>,
) => ReturnType<typeof runExecute>;

/** Runs the IDnow node with one resource and operation, with the plain credential unless told otherwise. */
export function runner(fixture: IdnowFixture): Run {
	return (resource, operation, parameters = {}, extra = {}) =>
		runExecute(node, { parameters: { resource, operation, ...parameters } as never, credentials: fixture.plain, ...extra });
}

/** The error a run failed with, as n8n recorded it (message, description, httpCode). */
export async function errorOf(promise: Promise<unknown>): Promise<Record<string, any>> {
	return await promise.then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Record<string, any>) => error,
	);
}

export function firstJson(output: INodeExecutionData[][]): Record<string, any> {
	return output[0][0].json as Record<string, any>;
}

/** An order the Testrobot has finished (video identification, positive unless told otherwise). */
export async function finishedOrder(fixture: IdnowFixture, body: Record<string, unknown> = {}, user?: string): Promise<string> {
	const answer = fixture.idnow.createOrderDirect({ Product: 12, Autotest: 'POSITIVE', Ref: 'unit-test', ...body }, user);
	await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return String(answer.OrderID);
}

export interface TriggerBridge extends WebhookBridge {
	/** The trigger's Production URL as n8n shows it (…/idnow). */
	url: string;
}

/** A real HTTP endpoint in front of the IDnow Trigger, so the sandbox calls it as it would call n8n. */
export async function startTriggerBridge(parameters: INodeParameters, credentials: CredentialStore, staticData: IDataObject): Promise<TriggerBridge> {
	const bridge = await startWebhookBridge(trigger, { parameters, credentials, staticData });
	return { ...bridge, url: `${bridge.url}/webhook/idnow` };
}
