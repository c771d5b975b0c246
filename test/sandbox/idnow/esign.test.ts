import { createHash } from 'node:crypto';

import { IDNOW_TEST_ACCOUNT, MAX_TAN_TRIES, SIGNATURE_MARKER } from './index';
import { apiClient, expectValidPdf, samplePdf, TESTROBOT_DELAY_MS, useReceiver, useSimulator } from './testing';

const context = useSimulator();
const receiver = useReceiver();
const api = apiClient(context);
const MOBILE = '+491701234567';

function eSignBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		Product: 15,
		Mobile: MOBILE,
		eSignPDF: [
			{ Data: samplePdf('Contract A').toString('base64'), Filename: 'a.pdf', SignaturePosX: 100, SignaturePosY: 100 },
			{ Data: samplePdf('Contract B').toString('base64'), Filename: 'b.pdf', SignatureTag: 'Contract B' },
		],
		...extra,
	};
}

async function create(body: Record<string, unknown>): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body });
	expect(answer.status).toBe(202);
	return answer.body.OrderID;
}

describe('signed results (3.5 to 3.7)', () => {
	it("serves the signed PDFs as Base64 in the document's shape: the original bytes plus the signature", async () => {
		const orderId = await create(eSignBody({ Autotest: 'POSITIVE' }));
		expect((await api('GET', `getESignPDF/${orderId}`)).body.Error).toBe(
			'The order has not been signed (final status 84 required)',
		);
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const answer = await api('GET', `getESignPDF/${orderId}`);
		expect(answer.body).toEqual({ PDFs: [{ Base64Data: expect.any(String) }, { Base64Data: expect.any(String) }] });
		const [first, second] = answer.body.PDFs.map((pdf: { Base64Data: string }) =>
			Buffer.from(pdf.Base64Data, 'base64'),
		);
		const original = samplePdf('Contract A');
		expect(first.subarray(0, original.length)).toEqual(original);
		const trailer = first.subarray(original.length).toString();
		expect(trailer).toContain(`${SIGNATURE_MARKER} order=${orderId} signee="Erika Mustermann"`);
		expect(trailer).toContain(`sha256=${createHash('sha256').update(original).digest('hex')}`);
		expect(trailer.endsWith('%%EOF\n')).toBe(true);
		expect(second.toString('latin1')).toContain('Contract B');
	});

	it('serves signed hashes by file name, and refuses orders without hashes', async () => {
		const hash = createHash('sha256').update('prepared').digest('base64');
		const orderId = await create({
			Product: 15,
			Autotest: 'POSITIVE',
			eSignHash: [{ Hash: hash, Filename: 'prepared.pdf' }],
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const answer = await api('GET', `getESignHash/${orderId}`);
		expect(answer.body).toEqual({ Hashes: [{ 'prepared.pdf': expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) }] });
		const withoutHashes = await create(eSignBody({ Autotest: 'POSITIVE' }));
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect((await api('GET', `getESignHash/${withoutHashes}`)).body.Error).toContain('eSignHash was not set');
		expect((await api('GET', `getESignPDF/${orderId}`)).body.Error).toContain('eSignPDF was not set');
	});

	it('serves the audit log for AES orders (Add 128) only', async () => {
		const aes = await create(eSignBody({ Autotest: 'POSITIVE', Add: 128 }));
		const qes = await create(eSignBody({ Autotest: 'POSITIVE' }));
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const log = await api('GET', `getESignAuditLogPDF/${aes}`);
		expect(log.headers.get('content-type')).toBe('application/pdf');
		expectValidPdf(log.raw);
		expect(log.raw.toString('latin1')).toContain('84  Document signed');
		expect((await api('GET', `getESignAuditLogPDF/${qes}`)).body.Error).toContain('only available for AES orders');
	});

	it("lets a second signer sign the first order's documents (MultiSignOptions.FirstOrderID)", async () => {
		const first = await create(eSignBody());
		const second = await create({
			Product: 15,
			Autotest: 'POSITIVE',
			Mobile: '+491709876543',
			MultiSignOptions: { FirstOrderID: first },
		});
		expect(context.idnow.order(second).documents.map((document) => document.filename)).toEqual(['a.pdf', 'b.pdf']);
	});
});

describe('customer-side signing (chapter 5)', () => {
	beforeEach(() => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, {
			customerSideSigning: true,
			webhooks: { OnFinal: `${receiver.origin}/hook/final?order=[OrderID]` },
		});
	});

	async function readyToSign(extra: Record<string, unknown> = {}): Promise<string> {
		const orderId = await create(eSignBody({ Autotest: 'POSITIVE', ...extra }));
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		return orderId;
	}

	it('signs with the SMS TAN: requestSign 202, confirmSign 202, status 84 final, OnFinal sent', async () => {
		const orderId = await readyToSign({ eSignTanSmsText: 'Code [TAN] for your contract' });
		expect(await api('POST', `requestSign/${orderId}`)).toMatchObject({ status: 202, body: {} });
		const [sms] = context.idnow.smsMessages();
		expect(sms).toMatchObject({ to: MOBILE, purpose: 'eSign', orderId, text: `Code ${sms.tan} for your contract` });
		expect(sms.tan).toMatch(/^\d{6}$/);
		expect(await api('POST', `confirmSign/${orderId}`, { body: { tan: sms.tan } })).toMatchObject({ status: 202 });
		await context.idnow.settle();
		const order = context.idnow.order(orderId);
		expect(order.statuses.map((entry) => entry.kind).slice(-5)).toEqual([102, 83, 71, 84, 80]);
		expect(order.final).toBe(true);
		expect(receiver.received().map((call) => call.query.order)).toEqual([orderId]);
		expect((await api('GET', `getESignPDF/${orderId}`)).status).toBe(200);
		expect(await api('POST', `confirmSign/${orderId}`, { body: { tan: sms.tan } })).toMatchObject({
			status: 410,
			body: { Error: 'Order has already been processed' },
		});
		expect((await api('POST', `requestSign/${orderId}`)).status).toBe(410);
		expect((await api('POST', `requestResendSignTan/${orderId}`)).status).toBe(410);
	});

	it('answers 409 to a wrong TAN and 429 to the last try, cancelling the order (17/61)', async () => {
		const orderId = await readyToSign();
		await api('POST', `requestSign/${orderId}`);
		for (let attempt = 1; attempt < MAX_TAN_TRIES; attempt++) {
			expect(await api('POST', `confirmSign/${orderId}`, { body: { tan: '000000x' } })).toMatchObject({
				status: 409,
				body: { Error: 'Wrong TAN given' },
			});
		}
		expect(await api('POST', `confirmSign/${orderId}`, { body: { tan: '000000x' } })).toMatchObject({
			status: 429,
			body: { Error: 'Too many tries with a wrong TAN, order cancelled' },
		});
		expect(context.idnow.order(orderId).statuses.at(-1)).toMatchObject({ kind: 17, subKind: 61, final: true });
		expect(
			(await api('POST', `confirmSign/${orderId}`, { body: { tan: context.idnow.latestTan(orderId) } })).status,
		).toBe(410);
	});

	it('answers 412 before requestSign, and a resend replaces the TAN', async () => {
		const orderId = await readyToSign();
		expect(await api('POST', `confirmSign/${orderId}`, { body: { tan: '123456' } })).toMatchObject({
			status: 412,
			body: { Error: 'Signing process has not been started, call requestSign first' },
		});
		expect((await api('POST', `requestResendSignTan/${orderId}`)).status).toBe(412);
		await api('POST', `requestSign/${orderId}`);
		const first = context.idnow.latestTan(orderId);
		expect((await api('POST', `requestResendSignTan/${orderId}`)).status).toBe(202);
		const second = context.idnow.latestTan(orderId);
		expect(context.idnow.smsMessages()).toHaveLength(2);
		if (first !== second) {
			expect((await api('POST', `confirmSign/${orderId}`, { body: { tan: first } })).status).toBe(409);
		}
		expect((await api('POST', `confirmSign/${orderId}`, { body: { tan: second } })).status).toBe(202);
	});

	it('answers 406 before identification and for non-eSign orders, 404 for unknown orders, 400 without a tan', async () => {
		const open = await create(eSignBody());
		expect(await api('POST', `requestSign/${open}`)).toMatchObject({ status: 406 });
		const ident = await create({ Product: 12, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(10_000);
		expect((await api('POST', `requestSign/${ident}`)).status).toBe(406);
		expect((await api('POST', 'requestSign/99900000000000')).status).toBe(404);
		expect((await api('POST', `confirmSign/${open}`, { body: {} })).body.Error).toBe('tan: is required');
	});

	it('records 139/66 and calls OnError when the SMS system is down', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, {
			webhooks: { OnError: `${receiver.origin}/hook/error?code=[statusCode]` },
		});
		const orderId = await readyToSign();
		context.idnow.setSystemHealth({ smsTanAvailable: false });
		expect((await api('POST', `requestSign/${orderId}`)).status).toBe(202);
		await context.idnow.settle();
		expect(context.idnow.smsMessages()).toEqual([]);
		expect(context.idnow.order(orderId).statuses.at(-1)).toMatchObject({ kind: 139, subKind: 66 });
		// [statusCode] is only replaced in OnStatusChange URLs, as the document says.
		expect(receiver.received().map((call) => call.query)).toEqual([{ code: '[statusCode]' }]);
	});

	it('answers 400 when the account has no customer-side signing', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: false });
		const orderId = await create(eSignBody());
		expect((await api('POST', `requestSign/${orderId}`)).body.Error).toBe(
			'Customer-side eSign processing is not enabled for this account',
		);
	});
});
