/** Shared setup of the IDnow part 2 node tests: a sandbox on a frozen clock, credentials for it, ways to run the node. */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { IdnowApi } from '../../../credentials/IdnowApi.credentials';
import { Idnow } from '../../../nodes/Idnow/Idnow.node';
import { CredentialStore, runExecute, type ExecuteOptions } from '../../harness';
import { SandboxClock } from '../../sandbox/framework';
import {
	IDNOW_TEST_ACCOUNT,
	IDNOW_TEST_AES_KEY,
	IdnowSimulator,
	type IdnowSimulatorOptions,
} from '../../sandbox/idnow';

/** 2025-03-01 10:30:00 in Germany, as the sandbox's own tests. */
const START = Date.UTC(2025, 2, 1, 9, 30, 0);
export const TESTROBOT_DELAY_MS = 20_000;
export const WEBHOOK_TOKEN = 'e2b7c1d04f9a46b3a8d15c2e7f90b6a4';
export const TEST_MOBILE = '+491701234567';

export const node = new Idnow();

export interface IdnowFixture {
	idnow: IdnowSimulator;
	/** The credential without an AES key: results come unencrypted. */
	plain: CredentialStore;
	/** The same account with its AES key: results come through /crypt. */
	crypt: CredentialStore;
}

export function credentialStore(data: ICredentialDataDecryptedObject): CredentialStore {
	return new CredentialStore([{ type: new IdnowApi(), data }]);
}

/** A fresh simulator per test on a frozen clock, with a plain and a /crypt credential for its test account. */
export function useIdnow(options: IdnowSimulatorOptions = {}): IdnowFixture {
	const fixture = {} as IdnowFixture;
	beforeEach(async () => {
		fixture.idnow = new IdnowSimulator({ clock: new SandboxClock({ startMs: START }), ...options });
		await fixture.idnow.start();
		const base = {
			user: IDNOW_TEST_ACCOUNT.user,
			password: IDNOW_TEST_ACCOUNT.password,
			baseUrl: fixture.idnow.apiBaseUrl,
			webhookToken: WEBHOOK_TOKEN,
		};
		fixture.plain = credentialStore(base);
		fixture.crypt = credentialStore({ ...base, aesSecretKey: IDNOW_TEST_AES_KEY });
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
		runExecute(node, {
			parameters: { resource, operation, ...parameters } as never,
			credentials: fixture.plain,
			...extra,
		});
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

/** An order that went through the Testrobot and is final (video identification with recordings by default). */
export async function finishedOrder(fixture: IdnowFixture, body: Record<string, unknown> = {}): Promise<string> {
	const answer = fixture.idnow.createOrderDirect({ Product: 12, Autotest: 'POSITIVE', Ref: 'part2-test', ...body });
	await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return String(answer.OrderID);
}

/** sha256 of a stored binary, streamed from the binary data store (a large video is never read into memory). */
export async function storedSha256(binary: IBinaryData): Promise<string> {
	const stream = await Container.get(BinaryDataService).getAsStream(binary.id!);
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export function firstJson(output: INodeExecutionData[][]): Record<string, any> {
	return output[0][0].json as Record<string, any>;
}

/** Everything n8n's logger was asked to log while `action` ran, at any level, as text (errors with their message). */
export async function loggedDuring(action: () => Promise<unknown>): Promise<string> {
	const spies = (['error', 'warn', 'info', 'debug'] as const).map((level) => jest.spyOn(Logger.prototype, level));
	try {
		await action().catch(() => undefined);
		const calls = spies.flatMap((spy) => spy.mock.calls);
		return JSON.stringify(calls, (_key, value: unknown) =>
			value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
		);
	} finally {
		for (const spy of spies) spy.mockRestore();
	}
}

/** A call to the sandbox's API as the test account, bypassing the node: what IDnow itself answers. */
export async function idnowAnswer(fixture: IdnowFixture, path: string): Promise<Record<string, any>> {
	const basic = Buffer.from(`${IDNOW_TEST_ACCOUNT.user}:${IDNOW_TEST_ACCOUNT.password}`).toString('base64');
	const response = await fetch(`${fixture.idnow.apiBaseUrl}/${path}`, { headers: { authorization: `Basic ${basic}` } });
	return (await response.json()) as Record<string, any>;
}
