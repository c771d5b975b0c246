/**
 * A whole Testrobot order through the nodes, as the first demo runs it: Create with the trigger's webhooks → the
 * sandbox's OnFinal call reaches the IDnow Trigger → Get Status, Get Data, Get Data PDF → Delete Data. Time passes
 * on the sandbox clock only.
 */
import type { IDataObject } from 'n8n-workflow';

import { firstJson, runner, startTriggerBridge, TESTROBOT_DELAY_MS, useIdnow, type TriggerBridge } from './fixture';

describe('IDnow: a whole Testrobot order', () => {
	const fixture = useIdnow();
	const run = runner(fixture);
	let bridge: TriggerBridge;
	const staticData: IDataObject = {};

	beforeEach(async () => {
		bridge = await startTriggerBridge({ events: ['OnFinal'], callerCheck: 'custom', allowedIpRanges: '127.0.0.1' }, fixture.crypt, staticData);
	});
	afterEach(async () => await bridge.stop());

	it('create with webhooks → OnFinal → status, data and PDF (through /crypt) → delete data', async () => {
		const created = firstJson(
			(
				await run(
					'order',
					'create',
					{
						product: 12,
						ref: 'flow-1',
						email: 'erika@example.com',
						sendToTrigger: true,
						triggerUrl: bridge.url,
						orderFields: { Autotest: 'POSITIVE' },
						person: { Firstname: 'Erika', Surname: 'Mustermann', Birthdate: '1964-08-12' },
					},
					{ credentials: fixture.crypt },
				)
			).output,
		);
		expect(created.link).toMatch(/\/status\//);

		const attempts = await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
		// Every kind the order names was called; only OnFinal started the workflow, once.
		expect(attempts.every((attempt) => attempt.acknowledged)).toBe(true);
		expect(attempts.map((attempt) => attempt.webhook)).toContain('OnFinal');
		const [onFinal] = bridge.runs();
		expect(bridge.runs()).toHaveLength(1);
		const event = onFinal.workflowData![0][0].json as Record<string, any>;
		expect(event).toMatchObject({ kind: 'OnFinal', OrderID: created.OrderID, Ref: 'flow-1', final: true, identity: null, status: null });

		const orderId = event.OrderID as string;
		const status = firstJson((await run('order', 'getStatus', { orderId }, { credentials: fixture.crypt })).output);
		expect(status).toMatchObject({ final: true, status: 'verified' });
		const data = await run('identification', 'getData', { orderId }, { credentials: fixture.crypt });
		expect(firstJson(data.output)).toMatchObject({ verified: true, person: { givenName: 'Erika', birthDate: '1964-08-12' } });
		const pdf = await run('identification', 'getDataPdf', { orderId, binaryPropertyName: 'pdf' }, { credentials: fixture.crypt });
		expect((await pdf.binary(0, 'pdf')).data.subarray(0, 5).toString()).toBe('%PDF-');
		expect(fixture.idnow.cryptLog().map((entry) => entry.path)).toEqual([
			`/api/2.10/getIdentData/${orderId}/crypt`,
			`/api/2.10/getIdentDataPDF/${orderId}/crypt`,
		]);
		await run('identification', 'deleteData', { orderId }, { credentials: fixture.crypt });
		expect(fixture.idnow.order(orderId).dataDeletedAt).not.toBeNull();

		// IDnow retrying the same OnFinal later starts nothing more.
		await fixture.idnow.redeliverWebhook(fixture.idnow.webhookEvents().find((hook) => hook.kind === 'OnFinal')!.id, { times: 2 });
		expect(bridge.runs()).toHaveLength(1);
	});
});
