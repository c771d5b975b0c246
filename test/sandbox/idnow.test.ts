/**
 * The IDnow sandbox as a whole: its registry entry and one complete Testrobot order the way a client (the n8n
 * node with its trigger) goes through it. Each concern is tested in detail in ./idnow/*.test.ts.
 */
import { createDecipheriv } from 'node:crypto';

import { jsonResponse, SandboxServer } from './framework';
import { IDNOW_TEST_ACCOUNT, IDNOW_TEST_AES_KEY, IDNOW_TEST_WEBHOOK_TOKEN, idnowEntry, type IdnowSimulator } from './idnow';
import type { RunningSimulator } from './registry';

let running: RunningSimulator & { simulator: IdnowSimulator };
let receiver: SandboxServer;

beforeEach(async () => {
	running = await idnowEntry.start();
	receiver = new SandboxServer({ name: 'n8n' }).route('GET', '/webhook/idnow/*', () => jsonResponse(200, { ok: true }));
	await receiver.start();
});

afterEach(async () => {
	await running.stop();
	await receiver.stop();
});

function call(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
	const { user, password, baseUrl } = running.credential.data as Record<string, string>;
	return fetch(`${baseUrl}/${path}`, {
		method: init.method ?? 'GET',
		headers: {
			authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
			'content-type': 'application/json',
		},
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
}

it('registers as provider idnow with an idnowApi credential pointing at /api/2.10', () => {
	expect(idnowEntry).toMatchObject({ provider: 'idnow', title: 'IDnow identity.TM' });
	expect(running.credential).toEqual({
		type: 'idnowApi',
		name: 'IDnow sandbox',
		data: {
			user: IDNOW_TEST_ACCOUNT.user,
			password: IDNOW_TEST_ACCOUNT.password,
			baseUrl: `${running.baseUrl}/api/2.10`,
			aesSecretKey: IDNOW_TEST_AES_KEY,
			webhookToken: IDNOW_TEST_WEBHOOK_TOKEN,
		},
	});
	expect(running.simulator.apiBaseUrl).toBe(`${running.baseUrl}/api/2.10`);
});

it('goes through a whole Testrobot order: create with webhooks → OnFinal → status, data, PDF → delete', async () => {
	const hooks = `${receiver.baseUrl}/webhook/idnow`;
	const created = await call('putOrder', {
		method: 'PUT',
		body: {
			Product: 12,
			Ref: 'demo-1',
			Autotest: 'POSITIVE',
			getTargetLink: true,
			IdentData: { Firstname: 'Hans', Surname: 'Mustermann', Birthdate: '1980-01-01' },
			WebhookURL: { OnFinal: `${hooks}/final?orderID=[OrderID]&ref=[Ref]` },
		},
	});
	expect(created.status).toBe(202);
	const { OrderID } = (await created.json()) as { OrderID: string };

	await running.simulator.advanceClock(20_000);
	expect(receiver.requests().map((entry) => entry.query)).toEqual([{ orderID: OrderID, ref: 'demo-1' }]);

	const status = (await (await call(`getStatus/${OrderID}`)).json()) as { Status: Array<{ Kind: number }> };
	expect(status.Status.map((entry) => entry.Kind)).toEqual([75, 6, 80]);

	const crypt = Buffer.from(await (await call(`getIdentData/${OrderID}/crypt`)).arrayBuffer());
	const decipher = createDecipheriv('aes-256-gcm', Buffer.from(IDNOW_TEST_AES_KEY, 'hex'), crypt.subarray(0, 23));
	decipher.setAuthTag(crypt.subarray(crypt.length - 16));
	const data = JSON.parse(
		Buffer.concat([decipher.update(crypt.subarray(23, crypt.length - 16)), decipher.final()]).toString(),
	);
	expect(data.IdentData[0]).toMatchObject({
		Type: 1,
		Firstname: 'Hans',
		Surname: 'Mustermann',
		Birthdate: '1980-01-01',
	});

	const pdf = await call(`getIdentDataPDF/${OrderID}`);
	expect(pdf.headers.get('content-type')).toBe('application/pdf');
	expect(
		Buffer.from(await pdf.arrayBuffer())
			.subarray(0, 5)
			.toString(),
	).toBe('%PDF-');

	expect((await call(`delIdentdata/${OrderID}`, { method: 'DELETE' })).status).toBe(202);
	expect((await call(`getIdentData/${OrderID}`)).status).toBe(404);
});
